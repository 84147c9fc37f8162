/// A MinHash signature: for each of `k` hash permutations, the minimum permuted hash value
/// over all shingles of a text. The fraction of equal positions between two signatures is an
/// unbiased estimate of the Jaccard similarity of the two shingle sets (standard error
/// ≈ √(J(1−J)/k), i.e. ≤ 0.044 for k = 128).
public struct MinHashSignature: Sendable, Hashable, Codable {
    public var values: [UInt32]

    public init(values: [UInt32]) {
        self.values = values
    }
}

/// Deterministic 64-bit mixing helpers (SplitMix64). Never Swift's `Hasher`, which is randomly
/// seeded per process: fingerprints are stored in the database and compared across runs,
/// machines and platforms.
enum Mix {
    /// SplitMix64 finalizer (Stafford variant 13): a bijection on UInt64 with full avalanche.
    @inline(__always)
    static func mix64(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    static let golden: UInt64 = 0x9E37_79B9_7F4A_7C15
}

/// SplitMix64 pseudo-random generator, used to derive per-permutation parameters from a seed.
struct SplitMix64 {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state = state &+ Mix.golden
        return Mix.mix64(state)
    }
}

/// Computes character-shingle sets and MinHash signatures of normalized text
/// (see ``TextNormalizer/normalized(_:)``).
///
/// - Shingles are k-grams of Unicode scalars (k = `shingleLength`, default 5: with Chinese text
///   a 5-character window is already specific to a phrase, while stock words such as 物理研究所 or
///   超导实验室 only produce a handful of shingles shared with unrelated essays).
/// - Each shingle is hashed once to 64 bits: FNV-1a over the scalar values, then the SplitMix64
///   finalizer. Deterministic across processes and platforms.
/// - Each of the `permutations` hash functions is `h_i(x) = (a_i · x + b_i) mod 2⁶⁴`, keeping the
///   high 32 bits (multiply-shift hashing; `a_i` odd), with `a_i`, `b_i` drawn from a SplitMix64
///   generator seeded with `seed`. Two hashers with equal parameters produce equal signatures.
public struct MinHasher: Sendable {
    /// The default seed. Changing it invalidates every stored signature and band key.
    public static let defaultSeed: UInt64 = 0x7475_6962_616F_2D31 // "tuibao-1"

    public let permutations: Int
    public let shingleLength: Int
    public let seed: UInt64
    private let multipliers: [UInt64]
    private let offsets: [UInt64]

    public init(permutations: Int = 128, shingleLength: Int = 5, seed: UInt64 = MinHasher.defaultSeed) {
        precondition(permutations > 0, "permutations must be positive")
        precondition(shingleLength > 0, "shingleLength must be positive")
        self.permutations = permutations
        self.shingleLength = shingleLength
        self.seed = seed
        var generator = SplitMix64(seed: seed)
        var multipliers: [UInt64] = []
        var offsets: [UInt64] = []
        multipliers.reserveCapacity(permutations)
        offsets.reserveCapacity(permutations)
        for _ in 0..<permutations {
            multipliers.append(generator.next() | 1)
            offsets.append(generator.next())
        }
        self.multipliers = multipliers
        self.offsets = offsets
    }

    /// The 64-bit hashes of all `shingleLength`-scalar windows of `normalized`, as a set.
    /// A non-empty text shorter than one window yields a single shingle (the whole text);
    /// an empty text yields the empty set.
    public func shingles(of normalized: String) -> Set<UInt64> {
        Set(shingleHashes(of: normalized))
    }

    /// The shingle hashes in text order (with repetitions).
    func shingleHashes(of normalized: String) -> [UInt64] {
        let scalars = normalized.unicodeScalars.map(\.value)
        let k = shingleLength
        guard !scalars.isEmpty else { return [] }
        guard scalars.count >= k else { return [Self.hash(scalars[...])] }
        var hashes: [UInt64] = []
        hashes.reserveCapacity(scalars.count - k + 1)
        scalars.withUnsafeBufferPointer { buffer in
            for start in 0...(buffer.count - k) {
                var h: UInt64 = 0xCBF2_9CE4_8422_2325 // FNV-1a offset basis
                for index in start..<(start + k) {
                    h ^= UInt64(buffer[index])
                    h &*= 0x0000_0100_0000_01B3 // FNV-1a prime
                }
                hashes.append(Mix.mix64(h))
            }
        }
        return hashes
    }

    private static func hash(_ scalars: ArraySlice<UInt32>) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for value in scalars {
            h ^= UInt64(value)
            h &*= 0x0000_0100_0000_01B3
        }
        return Mix.mix64(h)
    }

    /// The MinHash signature of `normalized` (already passed through ``TextNormalizer``).
    /// An empty text gives a signature of `UInt32.max` values.
    public func signature(of normalized: String) -> MinHashSignature {
        signature(ofShingleHashes: shingleHashes(of: normalized))
    }

    /// The MinHash signature of a set (or sequence) of shingle hashes.
    public func signature<S: Sequence>(ofShingleHashes hashes: S) -> MinHashSignature where S.Element == UInt64 {
        var minima = [UInt32](repeating: .max, count: permutations)
        multipliers.withUnsafeBufferPointer { a in
            offsets.withUnsafeBufferPointer { b in
                minima.withUnsafeMutableBufferPointer { m in
                    for x in hashes {
                        for i in 0..<m.count {
                            let permuted = UInt32(truncatingIfNeeded: (a[i] &* x &+ b[i]) >> 32)
                            if permuted < m[i] { m[i] = permuted }
                        }
                    }
                }
            }
        }
        return MinHashSignature(values: minima)
    }

    /// Fraction of positions at which the two signatures agree: an estimate of the Jaccard
    /// similarity of the underlying shingle sets. 0 when the signatures have different lengths
    /// (different hashers) or are empty.
    public static func estimatedSimilarity(_ a: MinHashSignature, _ b: MinHashSignature) -> Double {
        guard a.values.count == b.values.count, !a.values.isEmpty else { return 0 }
        var equal = 0
        for (x, y) in zip(a.values, b.values) where x == y { equal += 1 }
        return Double(equal) / Double(a.values.count)
    }
}
