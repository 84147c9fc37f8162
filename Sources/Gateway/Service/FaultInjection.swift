import Foundation

/// Named places in the pipeline where a test can make the process die as if killed, to prove
/// that running intake again loses nothing and doubles nothing. Off unless `TUIBAO_FAULT` names
/// a point; then the process exits with status 86 there, without any cleanup.
public enum FaultPoint: String, Sendable, CaseIterable {
    case afterSpool = "after-spool"
    case afterArrival = "after-arrival"
    case afterFiles = "after-files"
    case beforeCommit = "before-commit"

    static let armed: FaultPoint? = ProcessInfo.processInfo.environment["TUIBAO_FAULT"].flatMap(FaultPoint.init(rawValue:))

    func hit() {
        if Self.armed == self { _exit(86) }
    }

    /// A poison message for tests: dies whenever a message whose subject contains
    /// `$TUIBAO_FAULT_SUBJECT` is being taken in.
    static func crashIfPoisoned(subject: String?) {
        if let marker = ProcessInfo.processInfo.environment["TUIBAO_FAULT_SUBJECT"], !marker.isEmpty,
           subject?.contains(marker) == true {
            _exit(86)
        }
    }
}
