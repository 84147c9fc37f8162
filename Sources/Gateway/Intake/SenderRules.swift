import Intake

/// What is checked about the sender rather than the materials (those are MaterialChecks'):
/// an address the units registry does not know is a warning for staff.
struct SenderRules {
    let registry: UnitRegistry

    func problems(for message: InboundMessage, unit: RegisteredUnit?) -> [Problem] {
        var problems: [Problem] = []
        if !registry.units.isEmpty, unit == nil {
            problems.append(Problem(code: .senderUnknown,
                                    message: "发件地址 \(message.fromAddress ?? "（无）") 不在单位名录中，工作人员将核实报送单位。"))
        }
        return problems
    }
}
