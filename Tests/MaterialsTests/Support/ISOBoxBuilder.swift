/// Builds ISO-BMFF bytes by hand for synthetic test files.
enum ISOBoxBuilder {
    static func u8(_ value: UInt8) -> [UInt8] { [value] }
    static func u16(_ value: UInt16) -> [UInt8] { withUnsafeBytes(of: value.bigEndian, Array.init) }
    static func u32(_ value: UInt32) -> [UInt8] { withUnsafeBytes(of: value.bigEndian, Array.init) }
    static func i32(_ value: Int32) -> [UInt8] { u32(UInt32(bitPattern: value)) }
    static func u64(_ value: UInt64) -> [UInt8] { withUnsafeBytes(of: value.bigEndian, Array.init) }
    static func fourCC(_ text: String) -> [UInt8] { Array(text.utf8.prefix(4)) }
    static func zeros(_ count: Int) -> [UInt8] { [UInt8](repeating: 0, count: count) }

    static func box(_ type: String, _ payload: [UInt8]) -> [UInt8] {
        u32(UInt32(8 + payload.count)) + fourCC(type) + payload
    }

    static func box(_ type: String, children: [[UInt8]]) -> [UInt8] {
        box(type, children.flatMap { $0 })
    }

    /// A box whose 32-bit size is 1 and whose real size follows as a 64-bit largesize.
    static func largeBox(_ type: String, _ payload: [UInt8]) -> [UInt8] {
        u32(1) + fourCC(type) + u64(UInt64(16 + payload.count)) + payload
    }

    static func fullBox(_ type: String, version: UInt8, flags: UInt32 = 0, _ payload: [UInt8]) -> [UInt8] {
        box(type, u8(version) + Array(u32(flags).suffix(3)) + payload)
    }

    static func fileType(major: String, compatible: [String]) -> [UInt8] {
        box("ftyp", fourCC(major) + u32(0) + compatible.flatMap(fourCC))
    }

    /// Packs a three-letter ISO 639-2 code the way `mdhd` stores it.
    static func packedLanguage(_ code: String) -> UInt16 {
        code.utf8.reduce(UInt16(0)) { $0 << 5 | (UInt16($1) - 0x60) }
    }

    /// A 16.16 transformation matrix for a clockwise rotation (ISO 14496-12 / Apple convention).
    static func matrix(clockwiseDegrees: Int) -> [UInt8] {
        let one: Int32 = 0x10000
        let (a, b): (Int32, Int32) = switch clockwiseDegrees {
        case 90: (0, one)
        case 180: (-one, 0)
        case 270: (0, -one)
        default: (one, 0)
        }
        // a b u / c d v / x y w with c = -b, d = a.
        return [a, b, 0, -b, a, 0, 0, 0, 0x4000_0000].flatMap(i32)
    }
}

/// The parts of a small synthetic movie, each switchable to exercise one code path.
struct SyntheticMovie {
    var major = "mp42"
    var compatible = ["isom", "mp42"]
    var version: UInt8 = 1
    var movieTimescale: UInt32 = 600
    var movieDuration: UInt64 = 600 * 480
    var width = 1920
    var height = 1080
    var clockwiseDegrees = 0
    var language = "zho"
    var handler = "vide"
    var fragmentDuration: UInt64?

    typealias B = ISOBoxBuilder

    var fileType: [UInt8] { B.fileType(major: major, compatible: compatible) }

    var movieHeader: [UInt8] {
        let times = version == 1
            ? B.u64(0) + B.u64(0) + B.u32(movieTimescale) + B.u64(movieDuration)
            : B.u32(0) + B.u32(0) + B.u32(movieTimescale) + B.u32(UInt32(movieDuration))
        // rate, volume, reserved, matrix, pre_defined, next_track_ID
        let rest = B.u32(0x10000) + B.u16(0x100) + B.zeros(10) + B.matrix(clockwiseDegrees: 0) + B.zeros(24) + B.u32(2)
        return B.fullBox("mvhd", version: version, times + rest)
    }

    var trackHeader: [UInt8] {
        let times = version == 1
            ? B.u64(0) + B.u64(0) + B.u32(1) + B.u32(0) + B.u64(movieDuration)
            : B.u32(0) + B.u32(0) + B.u32(1) + B.u32(0) + B.u32(UInt32(movieDuration))
        let rest = B.zeros(8) + B.u16(0) + B.u16(0) + B.u16(0) + B.u16(0) + B.matrix(clockwiseDegrees: clockwiseDegrees)
            + B.u32(UInt32(width) << 16) + B.u32(UInt32(height) << 16)
        return B.fullBox("tkhd", version: version, flags: 3, times + rest)
    }

    var mediaHeader: [UInt8] {
        let times = version == 1
            ? B.u64(0) + B.u64(0) + B.u32(90_000) + B.u64(90_000 * 480)
            : B.u32(0) + B.u32(0) + B.u32(90_000) + B.u32(90_000 * 480)
        return B.fullBox("mdhd", version: version, times + B.u16(B.packedLanguage(language)) + B.u16(0))
    }

    var handlerBox: [UInt8] {
        B.fullBox("hdlr", version: 0, B.u32(0) + B.fourCC(handler) + B.zeros(12) + Array("Synthetic\0".utf8))
    }

    var movie: [UInt8] {
        var children = [movieHeader,
                        B.box("uuid", B.zeros(16) + Array("opaque vendor data".utf8)),
                        B.box("trak", children: [trackHeader,
                                                 B.box("mdia", children: [mediaHeader, handlerBox])])]
        if let fragmentDuration {
            children.append(B.box("mvex", children: [
                B.fullBox("mehd", version: 1, B.u64(fragmentDuration)),
                B.fullBox("trex", version: 0, B.u32(1) + B.u32(1) + B.u32(0) + B.u32(0) + B.u32(0)),
            ]))
        }
        return B.box("moov", children: children)
    }
}
