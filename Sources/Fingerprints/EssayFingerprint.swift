/// What is stored per essay for duplicate detection: the MinHash signature (for estimates) and
/// its LSH band keys (for the indexed candidate lookup).
public struct EssayFingerprint: Sendable, Hashable, Codable {
    /// Texts with fewer normalized characters (letters and digits) are not fingerprinted:
    /// 200 characters is about two Chinese sentences; below that a 5-shingle set is dominated by
    /// stock phrases (unit names, 爱国奉献…) and a similarity says nothing about authorship.
    public static let minimumNormalizedLength = 200

    /// Number of Unicode scalars in the normalized text.
    public var normalizedLength: Int
    /// Number of distinct shingles (used to estimate containment from the signature).
    public var shingleCount: Int
    public var signature: MinHashSignature
    /// One key per LSH band, in band order.
    public var bandKeys: [Int64]
    /// Winnowed passage anchors: what a cut or padded copy still shares with the original.
    public var anchorKeys: [Int64] = []

    public init(normalizedLength: Int, shingleCount: Int, signature: MinHashSignature, bandKeys: [Int64],
                anchorKeys: [Int64] = []) {
        self.normalizedLength = normalizedLength
        self.shingleCount = shingleCount
        self.signature = signature
        self.bandKeys = bandKeys
        self.anchorKeys = anchorKeys
    }

    /// Fingerprint of a raw essay text (normalized here). Nil when the normalized text is
    /// shorter than `minimumLength` characters.
    public static func make(
        text: String,
        hasher: MinHasher = MinHasher(),
        banding: LSHBanding = LSHBanding(),
        minimumLength: Int = EssayFingerprint.minimumNormalizedLength
    ) -> EssayFingerprint? {
        make(normalized: TextNormalizer.normalized(text), hasher: hasher, banding: banding, minimumLength: minimumLength)
    }

    /// Essays are 2,000–3,000 字; a mail body of megabytes pasted as one is compared by its first
    /// `maximumComparedLength` characters (twenty essays' worth), so one hostile text cannot
    /// cost seconds of hashing. A resend of it has the same beginning.
    public static let maximumComparedLength = 60_000

    /// The part of a normalized text that fingerprints and exact comparisons read.
    public static func comparablePart(of normalized: String) -> String {
        normalized.utf8.count <= maximumComparedLength ? normalized  // ≤ that many bytes: ≤ that many scalars
            : String(String.UnicodeScalarView(normalized.unicodeScalars.prefix(maximumComparedLength)))
    }

    /// Fingerprint of text already passed through ``TextNormalizer/normalized(_:)``.
    public static func make(
        normalized: String,
        hasher: MinHasher = MinHasher(),
        banding: LSHBanding = LSHBanding(),
        minimumLength: Int = EssayFingerprint.minimumNormalizedLength
    ) -> EssayFingerprint? {
        let normalized = comparablePart(of: normalized)
        let length = normalized.unicodeScalars.count
        guard length >= minimumLength else { return nil }
        let shingles = hasher.shingles(of: normalized)
        let signature = hasher.signature(ofShingleHashes: shingles)
        return EssayFingerprint(
            normalizedLength: length,
            shingleCount: shingles.count,
            signature: signature,
            bandKeys: banding.bandKeys(of: signature),
            anchorKeys: Winnowing().anchors(of: normalized)
        )
    }

    /// Whether the two fingerprints share at least one band key in the same band (an LSH
    /// candidate pair).
    public func sharesBand(with other: EssayFingerprint) -> Bool {
        zip(bandKeys, other.bandKeys).contains { $0 == $1 }
    }
}

/// Decision thresholds for duplicates, chosen from the measurements in FingerprintsTests
/// (six realistic 2,000–2,300-字 nomination essays, 40 sentences each, two of them about the same
/// institute and field; numbers are the range over the six essays):
///
/// | variant of an essay                                   | Jaccard     | containment |
/// |-------------------------------------------------------|-------------|-------------|
/// | ASCII punctuation + PDF reflow / traditional chars    | 1.000       | 1.000       |
/// | new title                                             | 0.983–0.986 | 0.994–0.997 |
/// | paragraphs reordered                                  | 0.964–0.967 | 0.981–0.983 |
/// | 10 % of sentences replaced                            | 0.815–0.823 | 0.901–0.909 |
/// | all of the above at once                              | 0.783–0.790 | 0.880–0.891 |
/// | shortened to 80 % of the sentences                    | 0.773–0.786 | 0.982–0.984 |
/// | shortened to 50 %                                     | 0.53        | 1.000       |
/// | 20 % / 30 % / 50 % rewritten (same-field sentences)   | 0.65 / 0.51 / 0.31 | 0.79 / 0.68 / 0.48 |
/// | different essays, same institute and field (物理所 超导) | 0.026       | 0.051       |
/// | any two different essays                              | 0.022–0.030 | 0.046–0.061 |
///
/// Different essays share only stock phrases (≈ 3 % of shingles, including two boilerplate
/// sentences every essay carries); resends stay above 0.75. The decision is
/// `jaccard ≥ essaySimilarity || containment ≥ essayContainment`:
///
/// - `essaySimilarity = 0.6`: 20× the highest unrelated value, and still accepting about a
///   quarter of the sentences rewritten (20 % rewritten: 0.65; 30 %: 0.51, left to a human).
///   LSH (32 × 4) makes a pair at Jaccard 0.6 a candidate with probability 0.988.
/// - `essayContainment = 0.8` (of the smaller shingle set in the larger): catches shortened
///   resends, whose Jaccard falls with their length (80 %: 0.78; 50 %: 0.53) while containment
///   stays ≈ 1. It gets a higher bar than Jaccard because a short text made mostly of stock
///   phrases can be largely "contained" in a long unrelated one (unrelated values ≤ 0.061).
///   Note that LSH candidates are found by Jaccard: an excerpt of half the essay (Jaccard 0.53)
///   becomes a candidate only with probability ≈ 0.9 (the test's 50 % excerpt shares no band).
/// - `titleSimilarity = 0.8` (bigram Dice, see ``Similarity/title(_:_:)``): a dropped 里 plus
///   an added `——记韩思远` scores 0.889; the six different titles score ≤ 0.2 against each
///   other, and two different titles with the same `——记…` subtitle 0.18. Apply it only when the
///   normalized nominee and unit already match.
public struct DuplicateThresholds: Sendable, Hashable, Codable {
    /// Exact Jaccard of 5-shingles over normalized text that counts as "the same essay".
    public var essaySimilarity: Double
    /// Containment of the smaller shingle set in the larger that counts as "the same essay".
    public var essayContainment: Double
    /// Title similarity (same nominee and unit) that counts as "the same title".
    public var titleSimilarity: Double

    public init(essaySimilarity: Double = 0.6, essayContainment: Double = 0.8, titleSimilarity: Double = 0.8) {
        self.essaySimilarity = essaySimilarity
        self.essayContainment = essayContainment
        self.titleSimilarity = titleSimilarity
    }

    public static let `default` = DuplicateThresholds()

    /// The essay decision: Jaccard ≥ `essaySimilarity` or containment ≥ `essayContainment`.
    public func isSameEssay(_ similarity: EssaySimilarity) -> Bool {
        similarity.jaccard >= essaySimilarity || similarity.containment >= essayContainment
    }

    /// The title decision (apply only when nominee and unit already match after normalization).
    public func isSameTitle(_ a: String, _ b: String) -> Bool {
        Similarity.title(a, b) >= titleSimilarity
    }
}
