import Materials

extension NominationForm.Field {
    /// The label as the unit's own form has it: 团队名称 for a team, 姓名 for an individual.
    func label(for category: NominationForm.Category?) -> String {
        guard self == .nominee, let category else { return label }
        return category == .team ? "团队名称" : "姓名"
    }
}
