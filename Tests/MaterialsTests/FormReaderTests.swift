import Foundation
import Testing
@testable import Materials

private func cell(_ text: String, span: Int = 1, continues: Bool = false) -> TableCell {
    TableCell(text: text, columnSpan: span, continuesVerticalMerge: continues)
}

private func yearMonth(_ year: Int, _ month: Int) -> YearMonth? { YearMonth(year: year, month: month) }

struct FormReaderTests {
    /// The office's layout: 4 columns, merged value cells, full-width colons, labels spaced out
    /// for alignment, a photo cell merged down the right-hand side.
    @Test func fourColumnFormWithMergedCells() throws {
        let table = DocumentTable(rows: [
            [cell("附件1  “一所一人一事”推报表", span: 5)],
            [cell("推 报 单 位："), cell("中国科学院物理研究所", span: 4)],
            [cell("推报类型："), cell("团队 □    个人 ☑", span: 4)],
            [cell("姓　　名："), cell("张　三"), cell("性　别："), cell("男"), cell("照片")],
            [cell("出生年月："), cell("1985年3月"), cell("职务/职称："), cell("研究员"), cell("", continues: true)],
            [cell("事迹标题："), cell("在极端条件下探索量子材料", span: 4)],
            [cell("事迹简介\n（300字以内）："), cell("长期从事强关联电子体系研究。\n带领团队建成综合极端条件实验装置。", span: 4)],
            [cell("联 系 人："), cell("李四"), cell("联系电话："), cell("010-82649000"), cell("", continues: true)],
            [cell("电子邮箱："), cell("lisi@iphy.ac.cn", span: 4)],
        ])
        let form = try #require(FormReader.read(tables: [table]))
        #expect(form == NominationForm(
            unit: "中国科学院物理研究所", category: .individual, nominee: "张三", gender: "男",
            birthDate: yearMonth(1985, 3), title: "研究员", deedTitle: "在极端条件下探索量子材料",
            summary: "长期从事强关联电子体系研究。\n带领团队建成综合极端条件实验装置。",
            contact: "李四", phone: "010-82649000", email: "lisi@iphy.ac.cn"))
        #expect(form.missingRequiredFields() == [])
        #expect(FormReader.looksLikeForm(fileName: "材料.docx", tables: [table]))
    }

    /// 2-column rows; empty value cells stay empty instead of taking the next label.
    @Test func twoColumnFormWithEmptyValues() throws {
        let table = DocumentTable(rows: [
            [cell("推报单位"), cell("中国科学院计算技术研究所")],
            [cell("推报类型"), cell("团队")],
            [cell("团队名称"), cell("国产处理器攻关团队")],
            [cell("性别"), cell("")],
            [cell("出生年月"), cell("")],
            [cell("职务/职称"), cell("/")],
            [cell("事迹标题"), cell("十年磨一“芯”")],
            [cell("事迹简介"), cell("团队自2002年起研制通用处理器。")],
            [cell("联系人"), cell("")],
            [cell("联系电话"), cell("13800138000")],
            [cell("电子邮箱"), cell("office@ict.ac.cn")],
        ])
        let form = try #require(FormReader.read(tables: [table]))
        #expect(form.unit == "中国科学院计算技术研究所")
        #expect(form.category == .team)
        #expect(form.nominee == "国产处理器攻关团队")
        #expect(form.gender == nil)
        #expect(form.birthDate == nil)
        #expect(form.title == nil)
        #expect(form.deedTitle == "十年磨一“芯”")
        #expect(form.contact == nil)
        #expect(form.phone == "13800138000")
        #expect(form.missingRequiredFields() == ["contact"])
        #expect(form.missingFields([.unit, .email, .birthDate]) == [.birthDate])
        #expect(form.missingRequiredFields(["email", "gender", "noSuchField"]) == ["gender"])
    }

    @Test func emptyValueCellDoesNotTakeTheNextLabel() throws {
        let table = DocumentTable(rows: [
            [cell("姓名"), cell(""), cell("性别"), cell("女")],
            [cell("联系人"), cell("联系电话"), cell("010-1")],
        ])
        let form = try #require(FormReader.read(tables: [table]))
        #expect(form.nominee == nil)
        #expect(form.gender == "女")
        #expect(form.contact == nil)
        #expect(form.phone == "010-1")
    }

    /// Label and value in one cell, several pairs on one line, the summary in the row below.
    @Test func labelAndValueInTheSameCell() throws {
        let table = DocumentTable(rows: [
            [cell("推报单位：中国科学院大连化学物理研究所")],
            [cell("推报类型：■团队 □个人")],
            [cell("团队名称：洁净能源创新团队")],
            [cell("事迹标题: 让煤变成“油”")],
            [cell("事迹简介：")],
            [cell("团队历经十余年攻关，实现煤制烯烃工业化。")],
            [cell("联系人：王五　　联系电话：0411-84379000")],
            [cell("电子邮箱：wangwu@dicp.ac.cn")],
        ])
        let form = try #require(FormReader.read(tables: [table]))
        #expect(form == NominationForm(
            unit: "中国科学院大连化学物理研究所", category: .team, nominee: "洁净能源创新团队",
            deedTitle: "让煤变成“油”", summary: "团队历经十余年攻关，实现煤制烯烃工业化。",
            contact: "王五", phone: "0411-84379000", email: "wangwu@dicp.ac.cn"))
    }

    @Test func severalPairsInOneCellOnSeparateLines() throws {
        let table = DocumentTable(rows: [[cell("姓名：赵六\n性别：女\n出生年月：1990.07\n职务：副研究员")]])
        let form = try #require(FormReader.read(tables: [table]))
        #expect(form.nominee == "赵六")
        #expect(form.gender == "女")
        #expect(form.birthDate == yearMonth(1990, 7))
        #expect(form.title == "副研究员")
    }

    @Test(arguments: [
        ("团队 ☑ 个人 □", NominationForm.Category.team),
        ("■团队 □个人", .team),
        ("√个人", .individual),
        ("个人", .individual),
        ("团队", .team),
        ("团队□ 个人☑", .individual),
        ("☐团队 ☒个人", .individual),
        ("团队（√） 个人（ ）", .team),
        ("□ 团队   ■ 个人", .individual),
        ("团队[ ] 个人[x]", .individual),
    ])
    func checkedCategory(text: String, expected: NominationForm.Category) {
        #expect(FormValueParsing.category(from: text) == expected)
    }

    @Test(arguments: ["团队 个人", "☑团队 ☑个人", "□团队 □个人", "", "其他"])
    func unreadableCategory(text: String) {
        #expect(FormValueParsing.category(from: text) == nil)
    }

    @Test func categoryBoxesInSeparateCells() throws {
        let table = DocumentTable(rows: [
            [cell("推报类型"), cell("☐ 团队"), cell("☑ 个人")],
            [cell("姓名"), cell("钱七")],
        ])
        let form = try #require(FormReader.read(tables: [table]))
        #expect(form.category == .individual)
        #expect(form.nominee == "钱七")
    }

    @Test(arguments: [
        ("1985年3月", 1985, 3), ("1985.03", 1985, 3), ("1985-03", 1985, 3), ("198503", 1985, 3),
        ("1985/3", 1985, 3), ("１９８５年３月", 1985, 3), ("1985-03-12", 1985, 3), ("19850312", 1985, 3),
        ("1985年12月", 1985, 12), (" 1992. 11 ", 1992, 11), ("1985年3月12日", 1985, 3),
    ])
    func birthDate(text: String, year: Int, month: Int) {
        #expect(FormValueParsing.yearMonth(from: text) == YearMonth(year: year, month: month))
    }

    @Test(arguments: ["不详", "1985年13月", "85年3月", "1985", ""])
    func unreadableBirthDate(text: String) {
        #expect(FormValueParsing.yearMonth(from: text) == nil)
    }

    @Test func ageUsesChinaStandardTimeAndMonthPrecision() throws {
        let form = NominationForm(birthDate: YearMonth(year: 1985, month: 3))
        let formatter = ISO8601DateFormatter()
        // 2025-02-28T16:30Z is already March 1st in Beijing.
        let march = try #require(formatter.date(from: "2025-02-28T16:30:00Z"))
        let february = try #require(formatter.date(from: "2025-02-28T23:30:00+08:00"))
        #expect(form.age(on: march) == 40)
        #expect(form.age(on: february) == 39)
        #expect(NominationForm().age(on: march) == nil)
    }

    @Test func looksLikeFormByNameOrLabels() {
        let twoLabels = DocumentTable(rows: [[cell("标题"), cell("x")], [cell("电话"), cell("1")]])
        let threeLabels = DocumentTable(rows: [[cell("推报单位"), cell("x")], [cell("姓名"), cell("y")],
                                               [cell("事迹标题"), cell("z")]])
        #expect(FormReader.looksLikeForm(fileName: "附件1：推报表（物理所）.docx", tables: []))
        #expect(FormReader.looksLikeForm(fileName: "附件 1 .xlsx", tables: []))
        #expect(FormReader.looksLikeForm(fileName: "一所一人一事推报表.pdf", tables: []))
        #expect(!FormReader.looksLikeForm(fileName: "征文.docx", tables: [twoLabels]))
        #expect(FormReader.looksLikeForm(fileName: "征文.docx", tables: [twoLabels, threeLabels]))
        #expect(!FormReader.looksLikeForm(fileName: nil, tables: []))
        #expect(FormReader.read(tables: [DocumentTable(rows: [[cell("无关"), cell("内容")]])]) == nil)
    }

    /// A form pasted into the mail body, partly copied from a Word table (tab-separated).
    @Test func formPastedAsLines() throws {
        let lines = """
        附件1 推报表
        推报单位：中国科学院青藏高原研究所
        推报类型：个人
        姓名\t孙八\t性别\t男
        出生年月：1988年10月
        职务/职称：副研究员
        事迹标题：冰川上的守望者
        事迹简介：
        十年间三十次登上冰川开展观测。

        建立了青藏高原冰川监测网络。
        联系人：周九
        联系电话：010-84097000
        电子邮箱：zhoujiu@itpcas.ac.cn
        """.components(separatedBy: "\n")
        let form = try #require(FormReader.read(lines: lines))
        #expect(form == NominationForm(
            unit: "中国科学院青藏高原研究所", category: .individual, nominee: "孙八", gender: "男",
            birthDate: yearMonth(1988, 10), title: "副研究员", deedTitle: "冰川上的守望者",
            summary: "十年间三十次登上冰川开展观测。\n建立了青藏高原冰川监测网络。",
            contact: "周九", phone: "010-84097000", email: "zhoujiu@itpcas.ac.cn"))
    }

    @Test func firstFilledValueWinsAcrossTables() throws {
        let first = DocumentTable(rows: [[cell("推报单位"), cell("")], [cell("姓名"), cell("吴十")]])
        let second = DocumentTable(rows: [[cell("推报单位"), cell("中国科学院声学研究所")], [cell("姓名"), cell("别人")]])
        let form = try #require(FormReader.read(tables: [first, second]))
        #expect(form.unit == "中国科学院声学研究所")
        #expect(form.nominee == "吴十")
    }

    @Test func formRoundTripsThroughJSON() throws {
        let form = NominationForm(unit: "中国科学院物理研究所", category: .team, nominee: "团队",
                                  birthDate: YearMonth(year: 1990, month: 1), phone: "1")
        let decoded = try JSONDecoder().decode(NominationForm.self, from: JSONEncoder().encode(form))
        #expect(decoded == form)
        #expect(NominationForm.Field.nominee.label == "团队名称/姓名")
        #expect(YearMonth(year: 1985, month: 3)?.description == "1985-03")
    }

    @Test(arguments: [
        ("姓　　名：", NominationForm.Field.nominee), ("推 报 单 位", .unit), ("职务／职称：", .title),
        ("事迹简介（300字以内）", .summary), ("*联系电话:", .phone), ("E-mail：", .email),
        ("职务、职称", .title), ("出生年月", .birthDate),
    ])
    func tolerantLabels(text: String, field: NominationForm.Field) {
        #expect(FormLabel.field(forLabel: text) == field)
    }
}
