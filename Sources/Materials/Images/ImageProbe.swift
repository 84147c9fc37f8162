import Foundation

/// Reads image facts from file content. The format comes from magic bytes only — never from the
/// file name — and each reader fetches just the header bytes it needs.
public enum ImageProbe {
    /// How many leading bytes `format(ofHeader:)` looks at; more are ignored, fewer may hide HEIF brands.
    public static let headerLength = 32

    /// The image format named by a file's first bytes (`headerLength` is enough), or nil.
    /// HEIF means an `ftyp` with a HEIF brand (heic, heix, hevc, heim, heis, mif1, msf1); AVIF files
    /// (`avif`/`avis`) use the same container but are deliberately not accepted and give nil.
    public static func format(ofHeader header: some Collection<UInt8>) -> ImageFormat? {
        ImageMagic.format(of: BinaryView(Array(header.prefix(256))))
    }

    /// Format, displayed size and orientation of the image at `url`; nil when the content is not one
    /// of the accepted formats. Throws `ImageProbeError` when it is, but cannot be measured
    /// (truncated or malformed).
    public static func probe(fileAt url: URL) throws(ImageProbeError) -> ImageInfo? {
        do {
            let reader = try FileByteReader(url: url)
            let header = try reader.bytes(at: 0, count: Int(min(reader.fileSize, 256))) ?? BinaryView([])
            guard let format = ImageMagic.format(of: header) else { return nil }
            let stored = try geometry(of: format, reader: reader)
            let display = stored.displaySize
            return ImageInfo(format: format, width: display.width, height: display.height,
                             orientation: stored.orientation, fileSize: Int(clamping: reader.fileSize))
        } catch let error as ImageProbeError {
            throw error
        } catch {
            throw .unreadable(reason: error.localizedDescription)
        }
    }

    private static func geometry(of format: ImageFormat, reader: FileByteReader) throws -> StoredGeometry {
        switch format {
        case .jpeg: try JPEGGeometry.read(reader)
        case .png: try PNGGeometry.read(reader)
        case .heif: try HEIFGeometry.read(reader)
        case .tiff: try TIFFGeometry.read(reader)
        case .bmp: try BMPGeometry.read(reader)
        }
    }
}
