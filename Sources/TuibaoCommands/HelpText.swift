import ArgumentParser

/// Help wrapped by display width. ArgumentParser wraps by characters, so a line of Chinese runs
/// to twice the terminal's width; here its help is asked for unwrapped and wrapped again,
/// counting CJK characters as two columns, continuation lines under the description column.
enum HelpText {
    /// The command a help request is about (`tuibao help reply preview`, `tuibao queue --help`),
    /// or nil when the arguments ask for no help.
    static func requested(in arguments: [String], root: any ParsableCommand.Type) -> (any ParsableCommand.Type)? {
        let asksHelp = arguments.first == "help" || arguments.contains("--help") || arguments.contains("-h")
        guard asksHelp, !arguments.contains("--") else { return nil }
        var command = root
        for argument in arguments.drop(while: { $0 == "help" }) {
            guard let sub = command.configuration.subcommands.first(where: { $0.configuration.commandName == argument }) else { break }
            command = sub
        }
        return command
    }

    static func message(for command: any ParsableCommand.Type, root: any ParsableCommand.Type, width: Int) -> String {
        let unwrapped = root.helpMessage(for: command, columns: 10_000)
        return unwrapped.split(separator: "\n", omittingEmptySubsequences: false)
            .map { wrap(String($0), width: width) }.joined(separator: "\n")
    }

    /// One help line broken at `width` display columns. An option line continues under its
    /// description (after the run of spaces that follows the option's name); other lines under
    /// their own indentation.
    static func wrap(_ line: String, width: Int) -> String {
        guard TextTable.displayWidth(line) > width else { return line }
        let leading = line.prefix(while: { $0 == " " }).count
        var indent = leading
        if leading > 0, let gap = line.dropFirst(leading).range(of: "   ") {
            let nameEnd = line.distance(from: line.startIndex, to: gap.lowerBound)
            indent = nameEnd + line[gap.lowerBound...].prefix(while: { $0 == " " }).count
        }
        guard indent < width / 2 else { return line }
        var lines: [String] = [], current = "", used = 0, lastSpace: (index: String.Index, used: Int)?
        for character in line {
            let characterWidth = TextTable.displayWidth(String(character))
            if used + characterWidth > width {
                // Break at the last space when there is one on this line (English words stay whole).
                if let space = lastSpace, space.used > indent {
                    let head = String(current[..<space.index]), tail = String(current[current.index(after: space.index)...])
                    lines.append(head)
                    current = String(repeating: " ", count: indent) + tail
                    used = indent + TextTable.displayWidth(tail)
                } else {
                    lines.append(current)
                    current = String(repeating: " ", count: indent)
                    used = indent
                }
                lastSpace = nil
            }
            if character == " " && used == indent && !lines.isEmpty { continue }  // no space to open a continuation
            if character == " " && used > indent { lastSpace = (current.endIndex, used) }
            current.append(character)
            used += characterWidth
        }
        lines.append(current)
        return lines.map { $0.replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression) }.joined(separator: "\n")
    }
}
