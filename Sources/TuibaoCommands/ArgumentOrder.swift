import ArgumentParser

/// Lets the options every staff command shares stand anywhere on the line:
/// `tuibao --config F queue` and `tuibao reply --config F preview 36` become
/// `tuibao queue --config F` and `tuibao reply preview 36 --config F`, which ArgumentParser
/// takes (it reads a command's options only after the command's own name).
enum ArgumentOrder {
    /// Options that take a value, and flags, that any leaf command may carry.
    static let valued: Set<String> = ["--config", "--data-dir"]
    static let flags: Set<String> = ["--json", "--wide"]

    static func normalized(_ arguments: [String], root: any ParsableCommand.Type) -> [String] {
        var path: [String] = [], moved: [String] = [], rest: [String] = []
        var command: any ParsableCommand.Type = root
        var index = 0
        var descending = true
        while index < arguments.count {
            let argument = arguments[index]
            if argument == "--" { rest += arguments[index...]; break }
            if descending, let name = valued.first(where: { argument == $0 || argument.hasPrefix($0 + "=") }) {
                if argument == name, index + 1 < arguments.count {
                    moved += [argument, arguments[index + 1]]
                    index += 2
                } else {
                    moved.append(argument)
                    index += 1
                }
                continue
            }
            if descending, flags.contains(argument) {
                moved.append(argument)
                index += 1
                continue
            }
            if descending, let sub = command.configuration.subcommands.first(where: { $0.configuration.commandName == argument }) {
                path.append(argument)
                command = sub
                index += 1
                continue
            }
            // The first argument that is no subcommand name: the leaf command's own arguments follow.
            if descending && !path.isEmpty { descending = false }
            if descending && path.isEmpty && !argument.hasPrefix("-") { descending = false }
            rest.append(argument)
            index += 1
        }
        // Only a leaf (no subcommands of its own) takes the shared options; elsewhere leave the line as it was.
        guard !moved.isEmpty, command.configuration.subcommands.isEmpty, !path.isEmpty else { return arguments }
        return path + rest + moved
    }
}
