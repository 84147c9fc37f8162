import Foundation
import Intake
import Materials

/// Turns the examined files of one message into nominations and their problems: one
/// nomination per form; essays, images and videos go with the form whose nominee or deed title
/// they name; then the campaign's rules run on each. Pure: facts in, problems out.
public struct NominationChecker: Sendable {
    public let rules: CampaignRules

    public init(rules: CampaignRules = CampaignRules()) {
        self.rules = rules
    }

    /// - Parameters:
    ///   - files: the examined attachments (containers keep their members).
    ///   - bodyText: the mail's text, which may hold a pasted essay.
    ///   - links: download links found in the mail, with their extraction codes.
    ///   - asOneNomination: a later version of one submission: everything belongs to it, and the
    ///     first form found is its form.
    public func check(files: [MaterialFacts], bodyText: String?, links: [PendingLink], now: Date,
                      asOneNomination: Bool = false) -> MessageMaterials {
        var materials = files.flatMap(\.flattened)
        if !materials.contains(where: { $0.kind == .essay }), let bodyText {
            let words = WordCount.count(bodyText)
            if words >= rules.pastedEssayMinWords {
                var pasted = MaterialFacts(name: "邮件正文", sha256: "", size: bodyText.utf8.count, kind: .essay, format: "text")
                pasted.wordCount = words
                pasted.text = bodyText
                materials.append(pasted)
            }
        }
        let forms = materials.filter { $0.kind == .form }
        let others = materials.filter { $0.kind != .form }
        var nominations: [Nomination]
        var unassigned: [String] = []
        if forms.count <= 1 || asOneNomination {
            var nomination = Nomination(form: forms.first?.form, formFile: forms.first)
            for material in others { Self.add(material, to: &nomination) }
            nomination.links = links
            nominations = [nomination]
        } else {
            nominations = forms.map { Nomination(form: $0.form, formFile: $0) }
            for material in others {
                let matches = nominations.indices.filter { Self.names(material, nominations[$0].form) }
                if matches.count == 1 {
                    Self.add(material, to: &nominations[matches[0]])
                } else if material.kind == .unsafe || material.kind == .unchecked {
                    // Refused or unchecked files concern whoever they belong to: every nomination hears of it.
                    for index in nominations.indices { Self.add(material, to: &nominations[index]) }
                } else {
                    unassigned.append(material.name)
                }
            }
            unassigned += links.map { "\($0.provider) \($0.url)" }
        }
        for index in nominations.indices {
            nominations[index].problems = problems(of: nominations[index], now: now)
        }
        return MessageMaterials(nominations: nominations, unassigned: unassigned)
    }

    private static func add(_ material: MaterialFacts, to nomination: inout Nomination) {
        switch material.kind {
        case .essay: nomination.essays.append(material)
        case .image: nomination.images.append(material)
        case .video: nomination.videos.append(material)
        case .unsafe: nomination.unsafe.append(material)
        case .unchecked: nomination.unchecked.append(material)
        case .form, .container, .other: break
        }
    }

    /// True when the file's name or the start of its text names the form's nominee or deed title.
    static func names(_ material: MaterialFacts, _ form: NominationForm?) -> Bool {
        guard let form else { return false }
        let keys = [form.nominee, form.deedTitle].compactMap { $0.map(TextMatching.folded) }.filter { $0.count >= 2 }
        let haystack = TextMatching.folded(material.name + " " + String((material.text ?? "").prefix(3000)))
        return keys.contains { haystack.contains($0) }
    }

    // MARK: - Rules

    func problems(of nomination: Nomination, now: Date) -> [Problem] {
        var problems: [Problem] = []
        let messages = ProblemMessages(rules: rules)
        if let form = nomination.form {
            let missing = form.missingFields(rules.formRequiredFields.compactMap(NominationForm.Field.init(rawValue:)))
            if !missing.isEmpty {
                problems.append(messages.formIncomplete(missing.map { $0.label(for: form.category) },
                                                        file: nomination.formFile?.name))
            }
            if form.category != .team, let position = form.title,
               let title = rules.leaderTitles.first(where: { position.contains($0) }) {
                problems.append(messages.nomineeLeader(nominee: form.nominee, position: position, title: title))
            }
        } else if let file = nomination.formFile {
            problems.append(messages.formUnreadable(file.name, reason: file.unreadable))
        } else if nomination.unchecked.isEmpty {
            // An unchecked file may be the form or the essay: not "missing" until staff looked.
            problems.append(messages.formMissing())
        }
        if nomination.essays.isEmpty && nomination.videos.isEmpty && nomination.links.isEmpty && nomination.unchecked.isEmpty {
            problems.append(messages.materialMissing())
        }
        for essay in nomination.essays {
            if let reason = essay.unreadable {
                problems.append(messages.essayUnreadable(essay.name, reason: reason))
            } else if let words = essay.wordCount {
                if words < rules.essayMinWords { problems.append(messages.essayTooShort(essay.name, words: words)) }
                if words > rules.essayMaxWords { problems.append(messages.essayTooLong(essay.name, words: words)) }
            }
        }
        problems += imageProblems(nomination, messages)
        for video in nomination.videos {
            guard let facts = video.video else {
                problems.append(messages.videoUnreadable(video.name, reason: video.unreadable))
                continue
            }
            if !facts.isMP4 { problems.append(messages.videoNotMp4(video.name, container: facts.container)) }
            if facts.durationSeconds == 0 && facts.width == 0 { continue }  // a format that could not be measured
            if facts.durationSeconds < rules.videoMinSeconds { problems.append(messages.videoTooShort(video.name, seconds: facts.durationSeconds)) }
            if facts.durationSeconds > rules.videoMaxSeconds { problems.append(messages.videoTooLong(video.name, seconds: facts.durationSeconds)) }
            if max(facts.width, facts.height) < rules.videoMinLongSide || min(facts.width, facts.height) < rules.videoMinShortSide {
                problems.append(messages.videoLowResolution(video.name, width: facts.width, height: facts.height))
            }
        }
        for link in nomination.links { problems.append(messages.pendingLink(link)) }
        for file in nomination.unsafe { problems.append(messages.unsafe(file.name, reason: file.unsafeReason)) }
        for file in nomination.unchecked { problems.append(messages.unchecked(file.name, reason: file.uncheckedReason)) }
        return problems
    }

    /// Attached images must each reach the size; images embedded in the essay count for "an
    /// image is there" only when one of them reaches it (Word shrinks pictures on save, so an
    /// embedded picture is rarely the original).
    private func imageProblems(_ nomination: Nomination, _ messages: ProblemMessages) -> [Problem] {
        var problems = nomination.images.filter { $0.size < rules.imageMinBytes }.map { messages.imageTooSmall($0.name, size: $0.size) }
        let readableEssays = nomination.essays.filter { $0.unreadable == nil }
        guard rules.imageRequiredWithEssay, !readableEssays.isEmpty, nomination.images.isEmpty,
              nomination.unchecked.isEmpty else { return problems }
        let embedded = readableEssays.flatMap(\.embeddedImages)
        if embedded.contains(where: { $0.size >= rules.imageMinBytes }) { return problems }
        if let largest = embedded.max(by: { $0.size < $1.size }) {
            problems.append(messages.embeddedImagesTooSmall(count: embedded.count, largest: largest.size))
        } else {
            problems.append(messages.imageMissing())
        }
        return problems
    }
}

/// Folding for comparing names: width, case and everything but letters and digits ignored.
enum TextMatching {
    static func folded(_ text: String) -> String {
        let wide = text.applyingTransform(.fullwidthToHalfwidth, reverse: false) ?? text
        return String(wide.lowercased().unicodeScalars.filter { CharacterSet.letters.contains($0) || CharacterSet.decimalDigits.contains($0) }
            .map(Character.init))
    }
}
