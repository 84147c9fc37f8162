/// Locality-sensitive hashing over MinHash signatures: the signature is cut into `bands`
/// bands of `rows` consecutive values, and each band is hashed to one 64-bit key. Two texts are
/// *candidates* for the exact comparison when they share at least one band key (same key in the
/// same band; the band index is mixed into the key, so equal rows in different bands do not
/// collide). Keys are `Int64` so they can be stored in an indexed SQLite `INTEGER` column, e.g.
/// a table `(band_key INTEGER, essay_id INTEGER)` with an index on `band_key`.
///
/// The S-curve. For two texts whose shingle sets have Jaccard similarity `s`, one band matches
/// with probability `s^r`, so the probability of sharing at least one of `b` bands is
/// `P(s) = 1 − (1 − s^r)^b`. With b = 32, r = 4 (128 permutations):
///
/// | s    | P(candidate) |
/// |------|--------------|
/// | 0.10 | 0.003        |
/// | 0.20 | 0.050        |
/// | 0.30 | 0.23         |
/// | 0.38 | 0.50         |
/// | 0.42 | 0.64  (the rule-of-thumb threshold (1/b)^(1/r) ≈ 0.42) |
/// | 0.50 | 0.87         |
/// | 0.60 | 0.988        |
/// | 0.70 | 0.9998       |
/// | 0.80 | > 0.9999999  |
///
/// Near-duplicates (s ≥ 0.6, the default essay threshold) are found almost surely; unrelated
/// essays (s ≈ 0.01–0.05, even on the same topic) rarely become candidates, and when they do
/// the exact check (``Similarity/essays(_:_:hasher:)``) rejects them. Candidates are only a
/// pre-filter: never decide "duplicate" from a shared band alone. Candidates follow Jaccard, not
/// containment, so a resend cut to half the essay (Jaccard ≈ 0.5) is found with probability
/// ≈ 0.87–0.9 only.
public struct LSHBanding: Sendable {
    /// Default seed mixed into every key. Changing it invalidates stored band keys.
    public static let defaultSeed: UInt64 = 0x6C73_682D_6261_6E64 // "lsh-band"

    public let bands: Int
    public let rows: Int
    public let seed: UInt64

    /// `bands * rows` must equal the number of permutations of the ``MinHasher`` whose
    /// signatures are banded (checked in ``bandKeys(of:)``).
    public init(bands: Int = 32, rows: Int = 4, seed: UInt64 = LSHBanding.defaultSeed) {
        precondition(bands > 0 && rows > 0, "bands and rows must be positive")
        self.bands = bands
        self.rows = rows
        self.seed = seed
    }

    /// The signature length this banding expects.
    public var signatureLength: Int { bands * rows }

    /// The probability that two texts of Jaccard similarity `s` share at least one band.
    public func candidateProbability(jaccard s: Double) -> Double {
        1 - integerPower(1 - integerPower(s, rows), bands)
    }

    /// One key per band, in band order.
    public func bandKeys(of signature: MinHashSignature) -> [Int64] {
        precondition(
            signature.values.count == signatureLength,
            "signature has \(signature.values.count) values, banding expects \(bands) × \(rows)"
        )
        var keys: [Int64] = []
        keys.reserveCapacity(bands)
        for band in 0..<bands {
            var h = Mix.mix64(seed ^ (UInt64(band) &+ 1) &* Mix.golden)
            for row in 0..<rows {
                h = Mix.mix64(h ^ UInt64(signature.values[band * rows + row]))
            }
            keys.append(Int64(bitPattern: h))
        }
        return keys
    }
}

private func integerPower(_ base: Double, _ exponent: Int) -> Double {
    var result = 1.0
    var count = exponent
    var factor = base
    while count > 0 {
        if count & 1 == 1 { result *= factor }
        factor *= factor
        count >>= 1
    }
    return result
}
