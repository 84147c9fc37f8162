import Intake

/// The checks that can run on what intake knows today. The material readers (documents, 字数,
/// images, videos, forms) add their problems here as they arrive.
struct MaterialRules {
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
