import Intake
import Materials

/// One nomination found in a message: its form (if any), the materials that go with it, and
/// what the rules found.
public struct Nomination: Sendable, Hashable {
    public var form: NominationForm?
    /// The form file itself (nil when there is none).
    public var formFile: MaterialFacts?
    public var essays: [MaterialFacts] = []
    public var images: [MaterialFacts] = []
    public var videos: [MaterialFacts] = []
    public var links: [PendingLink] = []
    public var unsafe: [MaterialFacts] = []
    /// Files whose reader died or ran out of time: not judged, staff look at them.
    public var unchecked: [MaterialFacts] = []
    public var problems: [Problem] = []

    public init(form: NominationForm? = nil, formFile: MaterialFacts? = nil) {
        self.form = form
        self.formFile = formFile
    }

    public var action: Action { DecisionRules.action(for: problems) }

    /// The names of every file that goes with this nomination, the form first.
    public var materialNames: [String] {
        ([formFile].compactMap { $0 } + essays + images + videos + unsafe + unchecked).map(\.name)
    }
}

/// What a message holds after the materials were examined and assigned.
public struct MessageMaterials: Sendable, Hashable {
    public var nominations: [Nomination]
    /// Materials that could not be tied to one of several forms: listed for staff.
    public var unassigned: [String]

    public init(nominations: [Nomination], unassigned: [String]) {
        self.nominations = nominations
        self.unassigned = unassigned
    }

    /// The message's action from its nominations'.
    public var action: Action { DecisionRules.action(combining: nominations.map(\.action)) }
}
