import Foundation

/// A year and month, the precision of 出生年月 on the nomination form.
public struct YearMonth: Sendable, Equatable, Hashable, Codable, Comparable, CustomStringConvertible {
    public var year: Int
    public var month: Int

    /// Nil unless the month is 1…12 and the year plausible for a person alive today.
    public init?(year: Int, month: Int) {
        guard (1900...2100).contains(year), (1...12).contains(month) else { return nil }
        self.year = year
        self.month = month
    }

    public static func < (lhs: YearMonth, rhs: YearMonth) -> Bool {
        (lhs.year, lhs.month) < (rhs.year, rhs.month)
    }

    public var description: String { String(format: "%04d-%02d", year, month) }
}

/// The fields of the nomination form (附件1 推报表), as read; nil when the form leaves one empty.
public struct NominationForm: Sendable, Hashable, Codable {
    public enum Category: String, Sendable, Hashable, Codable {
        case team
        case individual

        /// The word the form and the notice use.
        public var chineseName: String { self == .team ? "团队" : "个人" }
    }

    /// A field of the form; raw values are the property names, so configuration can list them.
    public enum Field: String, Sendable, Equatable, Codable, CaseIterable {
        case unit, category, nominee, gender, birthDate, title, deedTitle, summary, contact, phone, email

        /// The label printed on the office's form, for messages to units.
        public var label: String {
            switch self {
            case .unit: "推报单位"
            case .category: "推报类型"
            case .nominee: "团队名称/姓名"
            case .gender: "性别"
            case .birthDate: "出生年月"
            case .title: "职务/职称"
            case .deedTitle: "事迹标题"
            case .summary: "事迹简介"
            case .contact: "联系人"
            case .phone: "联系电话"
            case .email: "电子邮箱"
            }
        }

        public static let defaultRequired: [Field] = [.unit, .category, .nominee, .deedTitle, .contact, .phone]
    }

    public var unit: String?
    public var category: Category?
    /// 团队名称 for a team, 姓名 for an individual.
    public var nominee: String?
    public var gender: String?
    public var birthDate: YearMonth?
    /// 职务/职称.
    public var title: String?
    public var deedTitle: String?
    public var summary: String?
    public var contact: String?
    public var phone: String?
    public var email: String?

    public init(unit: String? = nil, category: Category? = nil, nominee: String? = nil, gender: String? = nil,
                birthDate: YearMonth? = nil, title: String? = nil, deedTitle: String? = nil, summary: String? = nil,
                contact: String? = nil, phone: String? = nil, email: String? = nil) {
        self.unit = unit
        self.category = category
        self.nominee = nominee
        self.gender = gender
        self.birthDate = birthDate
        self.title = title
        self.deedTitle = deedTitle
        self.summary = summary
        self.contact = contact
        self.phone = phone
        self.email = email
    }

    /// Age in whole years on `date` (in China Standard Time). Only the birth month is known, so a
    /// person born in the month of `date` counts as having had the birthday.
    public func age(on date: Date) -> Int? {
        guard let birthDate else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Shanghai") ?? TimeZone(secondsFromGMT: 8 * 3600) ?? calendar.timeZone
        let parts = calendar.dateComponents([.year, .month], from: date)
        guard let year = parts.year, let month = parts.month else { return nil }
        let age = year - birthDate.year - (month < birthDate.month ? 1 : 0)
        return age >= 0 ? age : nil
    }

    public func isEmpty(_ field: Field) -> Bool {
        switch field {
        case .unit: unit == nil
        case .category: category == nil
        case .nominee: nominee == nil
        case .gender: gender == nil
        case .birthDate: birthDate == nil
        case .title: title == nil
        case .deedTitle: deedTitle == nil
        case .summary: summary == nil
        case .contact: contact == nil
        case .phone: phone == nil
        case .email: email == nil
        }
    }

    /// The required fields that are empty, in the order asked.
    public func missingFields(_ required: [Field] = Field.defaultRequired) -> [Field] {
        required.filter(isEmpty)
    }

    /// The same by name (`Field` raw values, as configuration lists them); unknown names are ignored.
    public func missingRequiredFields(_ required: [String] = Field.defaultRequired.map(\.rawValue)) -> [String] {
        missingFields(required.compactMap(Field.init(rawValue:))).map(\.rawValue)
    }
}
