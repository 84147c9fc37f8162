import ArgumentParser

/// `tuibao`: the email intake gateway for nominations (推报). Subcommands are the staff and
/// operator tools; each lives in its own file.
public struct TuibaoCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "tuibao",
        abstract: "推报邮件受理网关 — email intake gateway for nominations.",
        subcommands: [
            CheckCommand.self, IngestCommand.self, QueueCommand.self, ShowCommand.self, FilesCommand.self,
            DecideCommand.self, NoteCommand.self, OutboxCommand.self, StatsCommand.self, UnitsCommand.self,
            ExportCommand.self, ReprocessCommand.self, PollCommand.self, SendCommand.self, ResendCommand.self,
            ServeCommand.self, StatusCommand.self, DoctorCommand.self, ReplyCommand.self, AttachCommand.self,
            CampaignCommand.self, DupesCommand.self, MergeCommand.self, RemoveCommand.self, ExamineCommand.self, MessagesCommand.self,
            SearchCommand.self, AssignCommand.self, FileCommand.self, ReportCommand.self, PublishCommand.self,
            ReviewCommand.self,
        ]
    )

    public init() {}
}
