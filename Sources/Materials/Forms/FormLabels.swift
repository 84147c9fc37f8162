import Foundation

/// Recognises the labels of the nomination form however they were typed: spaced out for alignment
/// ("姓　　名"), with half- or full-width colons, a required-field star, or a note in brackets
/// ("事迹简介（300字以内）").
enum FormLabel {
    typealias Field = NominationForm.Field

    /// Every spelling seen in the wild, already in `normalised` form.
    static let aliases: [String: Field] = {
        let table: [(Field, [String])] = [
            (.unit, ["推报单位", "推荐单位", "推报单位名称", "单位名称", "单位"]),
            (.category, ["推报类型", "推荐类型", "推报类别", "类型", "类别"]),
            (.nominee, ["团队名称", "姓名", "团队名称/姓名", "姓名/团队名称", "团队/个人名称", "名称"]),
            (.gender, ["性别"]),
            (.birthDate, ["出生年月", "出生日期", "出生年月日"]),
            (.title, ["职务/职称", "职务职称", "职务、职称", "职务或职称", "职务", "职称"]),
            (.deedTitle, ["事迹标题", "事迹名称", "标题"]),
            (.summary, ["事迹简介", "事迹概要", "主要事迹", "简介"]),
            (.contact, ["联系人", "联系人姓名"]),
            (.phone, ["联系电话", "联系人电话", "手机号码", "手机", "电话", "联系方式"]),
            (.email, ["电子邮箱", "电子邮件", "邮箱", "email", "e-mail", "邮件地址"]),
        ]
        var aliases: [String: Field] = [:]
        for (field, spellings) in table {
            for spelling in spellings { aliases[spelling] = field }
        }
        return aliases
    }()

    /// The field whose label is the whole of `text`, if any.
    static func field(forLabel text: String) -> Field? {
        let key = normalised(text)
        guard !key.isEmpty, key.count <= 12 else { return nil }
        return aliases[key]
    }

    /// Label text reduced to a lookup key: full-width ASCII folded, white space dropped, stars,
    /// trailing colons and one trailing bracketed note removed, ASCII lowercased.
    static func normalised(_ text: String) -> String {
        var key = String(String.UnicodeScalarView(
            text.unicodeScalars.map(foldedWidth).filter { !$0.properties.isWhitespace && $0 != "\u{200B}" }))
        key = key.lowercased()
        key = String(key.drop(while: { "*★※".contains($0) }))
        for _ in 0..<2 {
            while let last = key.last, ":*".contains(last) { key.removeLast() }
            if key.hasSuffix(")"), let open = key.lastIndex(of: "("), open > key.startIndex {
                key = String(key[..<open])
            }
        }
        while let last = key.last, ":*".contains(last) { key.removeLast() }
        return key
    }

    /// Full-width ASCII variants (U+FF01…U+FF5E) to ASCII, the ideographic space to a space.
    static func foldedWidth(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
        switch scalar.value {
        case 0xFF01...0xFF5E: Unicode.Scalar(scalar.value - 0xFEE0) ?? scalar
        case 0x3000: " "
        default: scalar
        }
    }

    /// "label：value" pairs written on one line, as in a cell holding "姓名：张三" or a pasted
    /// "姓名：张三　性别：男". The line must start with a label and a colon; a later label counts
    /// only when white space separates it from the value before it.
    static func labelledPairs(in line: String) -> [(Field, String)]? {
        // Pieces between colons, each with the colon that ended it (kept if it belongs to a value).
        var pieces: [(text: String, colon: String)] = []
        var current = ""
        for character in line {
            if character == ":" || character == "：" {
                pieces.append((current, String(character)))
                current = ""
            } else {
                current.append(character)
            }
        }
        pieces.append((current, ""))
        guard pieces.count >= 2, let firstField = field(forLabel: pieces[0].text) else { return nil }
        var pairs: [(Field, String)] = []
        var currentField = firstField
        var currentValue = ""
        for index in 1..<pieces.count {
            let piece = pieces[index]
            let isLast = index == pieces.count - 1
            if !isLast, let (value, nextField) = splitTrailingLabel(piece.text) {
                pairs.append((currentField, currentValue + value))
                currentField = nextField
                currentValue = ""
            } else {
                currentValue += piece.text + piece.colon
            }
        }
        pairs.append((currentField, currentValue))
        return pairs
    }

    /// "张三　性别" → ("张三", .gender): a value followed, after white space, by the next label.
    private static func splitTrailingLabel(_ piece: String) -> (String, Field)? {
        let words = piece.split(whereSeparator: { $0.isWhitespace })
        guard words.count >= 2 else { return nil }
        // A label may itself be spaced out ("性 别"), so try the last one to three words.
        for length in 1...min(3, words.count - 1) {
            let candidate = words.suffix(length).joined()
            if let field = field(forLabel: candidate) {
                guard let cut = piece.range(of: String(words[words.count - length]), options: .backwards) else { return nil }
                return (String(piece[..<cut.lowerBound]), field)
            }
        }
        return nil
    }
}
