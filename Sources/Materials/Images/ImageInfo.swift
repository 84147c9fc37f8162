/// Image container formats the campaign accepts, decided by magic bytes only.
public enum ImageFormat: String, Sendable, Hashable, Codable {
    case jpeg, png, heif, tiff, bmp
}

/// Facts about one image file. The caller applies the campaign's rules (accepted format, ≥ 1 MiB).
public struct ImageInfo: Sendable, Hashable, Codable {
    public var format: ImageFormat
    /// Size as displayed: stored width and height swapped when `orientation` is 5–8.
    public var width: Int
    public var height: Int
    /// EXIF-style orientation 1–8 (JPEG/TIFF tag 0x0112, HEIF `irot` mapped to 1/8/3/6); 1 when none.
    public var orientation: Int
    /// The file's size in bytes, for the caller's minimum-size rule.
    public var fileSize: Int

    public init(format: ImageFormat, width: Int, height: Int, orientation: Int = 1, fileSize: Int) {
        self.format = format
        self.width = width
        self.height = height
        self.orientation = orientation
        self.fileSize = fileSize
    }
}

/// Why a file whose magic bytes name an image format could not be measured.
public enum ImageProbeError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file could not be opened or read.
    case unreadable(reason: String)
    /// The file ends before the part that gives the image size.
    case truncated(ImageFormat)
    /// The structure contradicts the format (bad marker, impossible size, missing header).
    case malformed(ImageFormat, detail: String)

    public var description: String {
        switch self {
        case .unreadable(let reason): "the image could not be read: \(reason)"
        case .truncated(let format): "the \(format.rawValue) file is truncated before its size information"
        case .malformed(let format, let detail): "the \(format.rawValue) file is malformed: \(detail)"
        }
    }
}

/// Size and orientation as stored, before the display swap.
struct StoredGeometry: Sendable, Equatable {
    var width: Int
    var height: Int
    var orientation = 1

    /// Orientations 5–8 turn the picture a quarter, so the displayed size is swapped.
    var displaySize: (width: Int, height: Int) {
        (5...8).contains(orientation) ? (height, width) : (width, height)
    }
}
