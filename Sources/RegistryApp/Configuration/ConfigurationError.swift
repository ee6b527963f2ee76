/// An invalid environment variable (operations.md OPS-2): commands print it to stderr and exit 2.
///
/// The text names the variable and the problem, e.g.
/// `PORT: must be an integer between 1 and 65535, got "0"`. Values of secret variables
/// (`DATABASE_URL`, `DATABASE_READ_URL`, `METRICS_TOKEN`) are never quoted (OPS-3).
public struct ConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    public let variable: String
    public let problem: String

    public init(variable: String, problem: String) {
        self.variable = variable
        self.problem = problem
    }

    public var description: String { "\(variable): \(problem)" }
}
