import Foundation

/// The rotation carried by a `tkhd` transformation matrix.
enum TrackMatrix {
    /// Clockwise degrees (0, 90, 180, 270) a player turns the picture, from the matrix's first two
    /// rows (a, b / c, d in 16.16 fixed point). ISO 14496-12 maps (x, y) to (a·x + c·y, b·x + d·y)
    /// in a y-down raster, so the angle is atan2(b, a): Apple's portrait matrix (0, 1, −1, 0) gives 90.
    /// Non-square angles snap to the nearest quarter turn; mirroring is not reported.
    static func clockwiseRotation(a: Int32, b: Int32) -> Int {
        if a == 0 && b == 0 { return 0 }
        let degrees = atan2(Double(b), Double(a)) * 180 / Double.pi
        let quarterTurns = Int((degrees / 90).rounded())
        return ((quarterTurns * 90) % 360 + 360) % 360
    }
}
