/// Size and orientation of a TIFF file from IFD0 (the first image; later pages are ignored).
enum TIFFGeometry {
    static func read(_ reader: FileByteReader) throws -> StoredGeometry {
        let tags: [UInt16: UInt32]
        do {
            tags = try TIFFDirectory.scalarTags(
                [TIFFDirectory.imageWidth, TIFFDirectory.imageLength, TIFFDirectory.orientation],
                reader: reader, base: 0, limit: reader.fileSize)
        } catch TIFFDirectory.Failure.truncated {
            throw ImageProbeError.truncated(.tiff)
        } catch TIFFDirectory.Failure.malformed(let detail) {
            throw ImageProbeError.malformed(.tiff, detail: detail)
        }
        guard let width = tags[TIFFDirectory.imageWidth], let height = tags[TIFFDirectory.imageLength],
              width > 0, height > 0 else {
            throw ImageProbeError.malformed(.tiff, detail: "IFD0 has no ImageWidth/ImageLength")
        }
        return StoredGeometry(width: Int(width), height: Int(height),
                              orientation: TIFFDirectory.normalizedOrientation(tags[TIFFDirectory.orientation]))
    }
}
