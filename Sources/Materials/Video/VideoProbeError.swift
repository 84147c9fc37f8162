/// Why a file could not be read as an ISO-BMFF video. Descriptions are plain English for logs;
/// the caller words the message shown to the nominator.
public enum VideoProbeError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file could not be opened or read.
    case unreadable(reason: String)
    /// The file does not start with an `ftyp` box.
    case notISOBMFF
    /// A box (or its header) runs past the end of the file: an incomplete upload.
    case truncated(boxType: String, offset: UInt64)
    /// A box declares an impossible size (below its header, or beyond its parent).
    case invalidBoxSize(boxType: String, offset: UInt64)
    /// A box's content is too short or inconsistent for its type.
    case malformedBox(boxType: String, offset: UInt64)
    /// More boxes than the reader's budget allows.
    case tooManyBoxes
    /// There is no `moov` box, so nothing describes the tracks.
    case missingMovieBox
    /// `moov` has no `mvhd` box.
    case missingMovieHeader

    public var description: String {
        switch self {
        case .unreadable(let reason): "the file could not be read: \(reason)"
        case .notISOBMFF: "not an ISO base media (MP4/QuickTime) file: no ftyp box at the start"
        case .truncated(let type, let offset): "the file is truncated: box '\(type)' at offset \(offset) runs past the end"
        case .invalidBoxSize(let type, let offset): "box '\(type)' at offset \(offset) declares an impossible size"
        case .malformedBox(let type, let offset): "box '\(type)' at offset \(offset) is malformed"
        case .tooManyBoxes: "the file has too many boxes to be a plain video"
        case .missingMovieBox: "the file has no movie box (moov)"
        case .missingMovieHeader: "the movie box has no movie header (mvhd)"
        }
    }

    init(_ error: ISOBoxError) {
        switch error {
        case .truncated(let type, let offset): self = .truncated(boxType: type, offset: offset)
        case .invalidSize(let type, let offset): self = .invalidBoxSize(boxType: type, offset: offset)
        case .tooManyBoxes: self = .tooManyBoxes
        }
    }
}
