/// Anchors for containment: a resend cut to half its length, or padded with a new opening,
/// shares few LSH bands with the original (their Jaccard is ~0.5 or less) but keeps whole
/// passages. Winnowing (Schleimer, Wilkerson and Aiken, SIGMOD 2003) picks, in every window of
/// `window` consecutive k-gram hashes, the smallest: the choice depends only on the window's
/// text, so a passage the two texts share yields the same anchors in both, wherever it stands.
/// Any shared run of at least `window + gram − 1` characters is guaranteed one shared anchor.
public struct Winnowing: Sendable {
    /// Characters per gram: longer than most sentences, so a gram usually spans two and stock
    /// phrases (unit names, 爱国奉献) or a common sentence rarely make a shared anchor.
    public let gram: Int
    /// Grams per window: about one anchor per `window / 2` characters of text.
    public let window: Int

    public init(gram: Int = 20, window: Int = 60) {
        self.gram = gram
        self.window = window
    }

    /// The anchors of a normalized text, distinct, in text order (as signed keys for the store).
    public func anchors(of normalized: String) -> [Int64] {
        let scalars = normalized.unicodeScalars.map(\.value)
        guard scalars.count >= gram else { return [] }
        var hashes: [UInt64] = []
        hashes.reserveCapacity(scalars.count - gram + 1)
        for start in 0...(scalars.count - gram) {
            var h: UInt64 = 0x811C_9DC5_6A09_E667  // a basis of its own: anchors are not shingle hashes
            for index in start..<(start + gram) {
                h ^= UInt64(scalars[index])
                h &*= 0x0000_0100_0000_01B3
            }
            hashes.append(Mix.mix64(h))
        }
        var chosen: [Int64] = []
        var seen = Set<UInt64>()
        var lastPosition = -1
        let width = min(window, hashes.count)
        // A sliding-window minimum in one pass: `candidates` holds positions with increasing
        // hashes; an equal hash replaces the earlier one, so the front is the rightmost minimum.
        var candidates: [Int] = []
        var head = 0
        for index in hashes.indices {
            while candidates.count > head, hashes[candidates[candidates.count - 1]] >= hashes[index] { candidates.removeLast() }
            candidates.append(index)
            let start = index - width + 1
            guard start >= 0 else { continue }
            while candidates[head] < start { head += 1 }
            let position = candidates[head]
            if position != lastPosition {
                lastPosition = position
                if seen.insert(hashes[position]).inserted { chosen.append(Int64(bitPattern: hashes[position])) }
            }
        }
        return chosen
    }
}
