import Foundation

/// Reads a pgbench script of `Benchmarks/pgbench/` the way `pgbench -M prepared` sends it: SQL
/// commands end with `;` or with a `\gset` meta-command, lines starting with `\` are meta-commands,
/// and every `:name` variable becomes the next `$n` parameter of its statement (`::type` casts are
/// not variables). Statements under a `-- helper` comment are the benchmark's own (values the
/// server computes in Swift) and are returned separately.
struct PgbenchScript {
    /// The server's statements, in order, whitespace-normalized, with `$n` placeholders.
    private(set) var serverStatements: [String] = []
    private(set) var helperStatements: [String] = []

    init(contentsOf url: URL) throws {
        let text = try String(contentsOf: url, encoding: .utf8)
        var current: [String] = []
        var nextIsHelper = false
        func finish() {
            let statement = Self.normalized(current.joined(separator: "\n"))
            current = []
            defer { nextIsHelper = false }
            guard !statement.isEmpty, statement != "BEGIN", statement != "COMMIT" else { return }
            if nextIsHelper {
                helperStatements.append(Self.numbered(statement))
            } else {
                serverStatements.append(Self.numbered(statement))
            }
        }
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if current.isEmpty && trimmed.isEmpty { continue }
            if current.isEmpty && trimmed.hasPrefix("--") {
                if trimmed.hasPrefix("-- helper") { nextIsHelper = true }
                continue
            }
            if current.isEmpty && trimmed.hasPrefix("\\") { continue }
            if let gset = line.range(of: "\\gset") {
                current.append(String(line[..<gset.lowerBound]))
                finish()
            } else if trimmed.hasSuffix(";") {
                current.append(String(trimmed.dropLast()))
                finish()
            } else {
                current.append(String(line))
            }
        }
        precondition(current.allSatisfy { $0.trimmingCharacters(in: .whitespaces).isEmpty },
                     "unterminated statement at the end of \(url.lastPathComponent)")
    }

    /// Distinct server statements in order of first use: what a session prepares.
    var preparedOrder: [String] {
        var seen = Set<String>()
        return serverStatements.filter { seen.insert($0).inserted }
    }

    /// Runs of whitespace become one space (they change nothing the server plans or runs).
    static func normalized(_ sql: String) -> String {
        sql.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" }).joined(separator: " ")
    }

    /// `:name` → `$1`, `$2`, … in order of appearance, as pgbench numbers the parameters of a
    /// prepared command (each occurrence is a parameter of its own). A name starts with a letter
    /// or `_`; `::` is a cast.
    static func numbered(_ sql: String) -> String {
        let characters = Array(sql)
        var output = ""
        var parameter = 0
        var index = 0
        func isNameStart(_ c: Character) -> Bool { c == "_" || (c.isASCII && c.isLetter) }
        func isNameCharacter(_ c: Character) -> Bool { isNameStart(c) || (c.isASCII && c.isNumber) }
        while index < characters.count {
            let character = characters[index]
            if character == ":", index + 1 < characters.count, characters[index + 1] == ":" {
                output += "::"
                index += 2
            } else if character == ":", index + 1 < characters.count, isNameStart(characters[index + 1]) {
                index += 1
                while index < characters.count, isNameCharacter(characters[index]) { index += 1 }
                parameter += 1
                output += "$\(parameter)"
            } else {
                output.append(character)
                index += 1
            }
        }
        return output
    }
}
