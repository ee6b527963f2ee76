/// A command that cannot go on: the message goes to stderr and the process exits with `exitCode`
/// (operations.md §3: 1 failure, 2 usage or configuration error).
public struct CommandFailure: Error, CustomStringConvertible {
    public let exitCode: Int32
    public let message: String

    public init(exitCode: Int32, _ message: String) {
        self.exitCode = exitCode
        self.message = message
    }

    public var description: String { message }

    public static func configuration(_ error: ConfigurationError) -> CommandFailure {
        CommandFailure(exitCode: 2, String(describing: error))
    }
}
