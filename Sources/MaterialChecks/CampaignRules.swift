/// The campaign's material rules (`shared/domain.md`); every number is configuration
/// (`[rules]` in tuibao.toml), these are the notice's defaults.
public struct CampaignRules: Sendable, Hashable, Codable {
    /// 征文 2000–3000 字 "左右": accepted within ±10 %.
    public var essayMinWords = 1800
    public var essayMaxWords = 3300
    /// What the notice asks for, quoted in messages.
    public var essayNominal = "2000～3000字左右"
    /// Each image ≥ 1M.
    public var imageMinBytes = 1_048_576
    /// An essay needs at least one image (attached or embedded in the essay).
    public var imageRequiredWithEssay = true
    /// Video 5–15 min, ≥ 1920×1080 (larger side ≥ 1920, smaller ≥ 1080).
    public var videoMinSeconds = 300.0
    public var videoMaxSeconds = 900.0
    public var videoMinLongSide = 1920
    public var videoMinShortSide = 1080
    /// Fields of the form that must not be empty (`NominationForm.Field` raw values).
    public var formRequiredFields = ["unit", "category", "nominee", "deedTitle", "contact", "phone"]
    /// 所局级领导干部 are generally not nominated as individuals: a warning for staff.
    public var leaderTitles = ["所长", "副所长", "党委书记", "党委副书记", "纪委书记", "局长", "副局长", "院长", "副院长"]
    /// Text pasted in the mail body counts as an essay from this many 字 on.
    public var pastedEssayMinWords = 800

    public init() {}
}
