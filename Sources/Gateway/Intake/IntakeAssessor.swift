import Foundation
import Intake
import MIME
import MaterialChecks
import Materials
import Store

/// The one place a verdict is reached. Given a parsed message, what its files turned out to be
/// and a read-only view of the store, it returns everything intake will do: ignore or file,
/// which submission it continues, each nomination's files, problems and duplicates, the action
/// and the reply. `tuibao check` prints the verdict; ingest, poll, serve and reprocess commit it
/// (`VerdictCommit`) inside the same transaction the view reads from.
struct IntakeAssessor {
    let configuration: GatewayConfiguration
    let templates: ReplyTemplates
    let reading: MaterialReading
    /// For files carried from versions filed before facts were cached (read once, then).
    let fileStore: TuibaoStore?

    func assess(_ parsed: ParsedMessage, examination: MessageExamination, messageRowId: Int64?, rawSHA256: String,
                store: StoreReader, now: Date) throws -> Verdict {
        let inbound = InboundMessage(parsed)
        let header = (messageId: parsed.headers.messageId, subject: parsed.headers.subject.map(HeaderText.singleLine),
                      from: inbound.fromAddress, name: inbound.fromName)
        if let reason = IgnoreRules(ownAddresses: configuration.ownAddresses).reason(for: inbound) {
            return .ignored(reason, header: header)
        }
        if let messageId = header.messageId, try store.isProcessed(messageId: messageId, otherThan: messageRowId) {
            return .ignored(.repeatDelivery, header: header)
        }

        // The facts of this mail's own files (body decorations such as a signature logo aside).
        let newFacts = parsed.attachments.compactMap { examination.facts[MaterialKey(sha256: $0.sha256, name: $0.filename ?? "（无文件名）")] }
            .filter { $0.format != "inline" }
        var continued = try SubmissionLinker(campaign: configuration.campaign).existingSubmission(for: inbound, store: store)
        var linkedBySupplement = false
        var ambiguity: Problem?
        if continued == nil {
            switch try SupplementFinder(configuration: configuration)
                .match(for: inbound, bodyText: parsed.bodyText, newFiles: newFacts, store: store) {
            case .one(let submission):
                continued = submission
                linkedBySupplement = true
            case .ambiguous(let candidates):
                ambiguity = SupplementFinder.ambiguity(candidates)
            case .none:
                break
            }
        }
        let previousVersion = try continued.flatMap { try store.latestVersion(ofSubmission: $0.id!) }
        let previousFiles = try previousVersion.map { try store.files(ofVersion: $0.id!) } ?? []
        let previousLinks = previousVersion.flatMap { PendingLink.list(json: $0.pendingLinks) } ?? []
        let unit = inbound.fromAddress.flatMap(configuration.units.unit(forAddress:))

        // A mail matched to a deed on file that brings nothing new is a resend (or a colleague's
        // copy): answered once, naming the record, and no new version.
        if linkedBySupplement, let continued,
           Set(newFacts.map(\.sha256)).isSubset(of: Set(previousFiles.map(\.sha256))),
           WordCount.count(parsed.bodyText) < configuration.rules.pastedEssayMinWords,
           Set(examination.links.map(\.url)).isSubset(of: Set(previousLinks.map(\.url))) {
            var verdict = Verdict(messageId: header.messageId, subject: header.subject, fromAddress: header.from, fromName: header.name,
                                  ignoreReason: nil, action: .alreadySubmitted, continues: nil, nominations: [], unassigned: [],
                                  reply: nil)
            verdict.resendOf = continued
            verdict.reply = try ReplyBuilder(configuration: configuration, templates: templates)
                .resendReply(to: inbound, parsed: parsed, original: continued, rawSHA256: rawSHA256,
                             earlierReplies: { try store.earlierAutomaticReplies(to: $0) }, now: now)
            return verdict
        }

        let arrived = parsed.attachments.map { attachment in
            PlannedFile(sha256: attachment.sha256, size: attachment.size, filename: attachment.filename,
                        contentType: attachment.contentType, carriedFromVersionId: nil,
                        role: newFacts.first { $0.sha256 == attachment.sha256 }.map(FileRole.init) ?? .other)
        }
        let planned = try plannedFiles(arrived, newFacts: newFacts, previous: previousFiles, store: store)
        let facts = try planned.map { try self.facts(of: $0, examination: examination, store: store) }
        // Links wait in the version until a video arrives: a later mail with neither keeps them.
        let bringsVideo = newFacts.flatMap(\.flattened).contains { $0.kind == .video }
        let links = examination.links.isEmpty && !bringsVideo && continued != nil ? previousLinks : examination.links
        let materials = NominationChecker(rules: configuration.rules)
            .check(files: facts, bodyText: parsed.bodyText, links: links, now: now, asOneNomination: continued != nil)
        let senderProblems = SenderRules(registry: configuration.units).problems(for: inbound, unit: unit) + [ambiguity].compactMap { $0 }

        var nextSequence = try store.nextSequence(campaignId: configuration.campaign.id)
        var nominations: [NominationVerdict] = []
        for (index, nomination) in materials.nominations.enumerated() {
            let continues = index == 0 ? continued : nil
            // With one nomination every file is its own; with several, each takes the files it was
            // given, and what none was given stays with the first so nothing is lost.
            let files = materials.nominations.count == 1 ? planned : planned.filter { file in
                let owners = materials.nominations.indices.filter { materials.nominations[$0].owns(sha256: file.sha256, facts: facts) }
                return owners.contains(index) || (owners.isEmpty && index == 0)
            }
            var verdict = try judge(nomination, files: files, senderProblems: senderProblems, continuing: continues, store: store)
            verdict.versionNumber = (previousVersion?.number ?? 0) + 1
            verdict.links = index == 0 ? links : []
            if continues == nil {
                verdict.newSequence = nextSequence
                verdict.trackingNumber = TrackingNumber(prefix: configuration.campaign.trackingPrefix, sequence: nextSequence).description
                verdict.versionNumber = 1
                nextSequence += 1
            }
            nominations.append(verdict)
        }

        var verdict = Verdict(messageId: header.messageId, subject: header.subject, fromAddress: header.from, fromName: header.name, ignoreReason: nil,
                              action: DecisionRules.action(combining: nominations.map(\.action)), continues: continued,
                              nominations: nominations, unassigned: materials.unassigned, reply: nil)
        verdict.reply = try ReplyBuilder(configuration: configuration, templates: templates)
            .reply(to: inbound, parsed: parsed, verdict: verdict, unitName: continued?.unitName ?? unit?.name,
                   rawSHA256: rawSHA256, earlierReplies: { try store.earlierAutomaticReplies(to: $0) }, now: now)
        return verdict
    }

    /// The files of a version, read again after staff attached one (`tuibao attach`): the
    /// same rules, sender problems and duplicate check as at intake, for the one nomination.
    func reassess(files: [PlannedFile], bodyText: String, links: [PendingLink], senderProblems: [Problem],
                  submission: SubmissionRecord, versionNumber: Int, store: StoreReader, now: Date) throws -> NominationVerdict {
        let facts = try files.map { try self.facts(of: $0, examination: MessageExamination(facts: [:], links: []), store: store) }
        let materials = NominationChecker(rules: configuration.rules)
            .check(files: facts, bodyText: bodyText, links: links, now: now, asOneNomination: true)
        var verdict = try judge(materials.nominations[0], files: files, senderProblems: senderProblems, continuing: submission,
                                store: store)
        verdict.versionNumber = versionNumber
        return verdict
    }

    /// One nomination's problems — its materials', the sender's, and what it duplicates — and
    /// its action. Numbering is the caller's.
    private func judge(_ nomination: Nomination, files: [PlannedFile], senderProblems: [Problem], continuing: SubmissionRecord?,
                       store: StoreReader) throws -> NominationVerdict {
        let duplicateCheck = DuplicateCheck(configuration: configuration)
        let essays = duplicateCheck.fingerprints(of: nomination)
        let duplicates = try duplicateCheck.findings(for: nomination, essays: essays, submissionId: continuing?.id, store: store)
        let problems = nomination.problems + senderProblems + duplicates.map(\.problem)
        return NominationVerdict(nomination: nomination, trackingNumber: continuing?.trackingNumber ?? "", newSequence: nil,
                                 versionNumber: 0, files: files, problems: problems, duplicates: duplicates, essays: essays,
                                 action: DecisionRules.action(for: problems))
    }

    /// The files a new version will hold: the new attachments, plus the earlier files they do
    /// not replace. An earlier file goes when the same content or name came again, or when every
    /// form, essay or video it holds came anew (by role: a corrected essay under a new name
    /// replaces the old essay). Pictures stay — except one too small for the rules when new
    /// pictures came: that is the original the unit was asked for.
    func plannedFiles(_ arrived: [PlannedFile], newFacts: [MaterialFacts], previous: [FileRecord],
                      store: StoreReader) throws -> [PlannedFile] {
        var files = arrived
        guard !previous.isEmpty else { return files }
        let newRoles = Set(newFacts.flatMap(\.providedRoles))
        var replaced: [Int64: Int] = [:]  // earlier file id → index of the new file that takes its place
        for earlier in previous {
            if let index = files.firstIndex(where: { $0.carriedFromVersionId == nil && ($0.sha256 == earlier.sha256
                || ($0.filename != nil && $0.filename?.lowercased() == earlier.filename?.lowercased())) }) {
                replaced[earlier.id!] = index
                continue
            }
            let held = try storedFacts(of: earlier, store: store)
            let replaceable = Set(held.providedRoles.filter(\.replacesEarlier))
            if !replaceable.isEmpty, replaceable.isSubset(of: newRoles), !held.providedRoles.contains(.picture) {
                replaced[earlier.id!] = files.firstIndex { file in
                    file.carriedFromVersionId == nil
                        && newFacts.first(where: { $0.sha256 == file.sha256 }).map { !Set($0.providedRoles).isDisjoint(with: replaceable) } == true
                }
                continue
            }
            if held.kind == .image, held.size < configuration.rules.imageMinBytes, newRoles.contains(.picture) {
                replaced[earlier.id!] = files.firstIndex { $0.carriedFromVersionId == nil && $0.role == .picture }
                continue
            }
            files.append(PlannedFile(sha256: earlier.sha256, size: earlier.size, filename: earlier.filename,
                                     contentType: earlier.contentType,
                                     carriedFromVersionId: earlier.carriedFromVersionId ?? earlier.versionId,
                                     role: earlier.role ?? FileRole(held)))
        }
        for (earlierId, index) in replaced where files[index].replacesFileId == nil {
            files[index].replacesFileId = earlierId
        }
        return files
    }

    /// The cached facts of a file already filed.
    func storedFacts(of file: FileRecord, store: StoreReader) throws -> MaterialFacts {
        try facts(of: PlannedFile(file), examination: MessageExamination(facts: [:], links: []), store: store)
    }

    /// A file's facts: from this message's examination, else the cache (a carried file), else
    /// read now from the file store (a file carried from a database older than the cache).
    private func facts(of file: PlannedFile, examination: MessageExamination, store: StoreReader) throws -> MaterialFacts {
        let key = MaterialKey(sha256: file.sha256, name: file.displayName)
        if let facts = examination.facts[key] { return facts }
        if let facts = try store.cachedFacts(sha256: key.sha256, name: key.name).flatMap(MaterialFacts.init(json:)) { return facts }
        guard let fileStore else {
            return MaterialFacts(name: key.name, sha256: key.sha256, size: Int(file.size), kind: .other)
        }
        return reading.examineStored(file, store: fileStore)
    }
}
