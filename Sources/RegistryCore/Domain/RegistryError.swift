/// What a business action can answer besides success, independent of HTTP; the API and HTML layers
/// map each case to a status (api-v2.md §6) and a page.
public enum RegistryError: Error, Sendable, Equatable {
    /// 401: authentication failed (every cause answered alike, API-12).
    case unauthenticated
    /// 404: the record named does not exist or may not be seen (DOM-96a). The message names it.
    case notFound(String)
    /// 403: visible, but the action is not permitted.
    case forbidden
    /// 400: a malformed request (query parameter, JSON syntax, path encoding).
    case badRequest(String)
    /// 415.
    case unsupportedMediaType(String)
    /// 422 with every field error of the record (API-52).
    case validation(FieldErrors)
    /// 409: state, pending work, workflow status, token.
    case conflict(String)

    public static let forbiddenMessage = "you are not authorized to do this"
}

/// Field errors of one request, in the order found; a field may carry several messages.
public struct FieldErrors: Sendable, Equatable {
    public private(set) var entries: [(field: String, messages: [String])] = []
    /// Where each field's entry is. Performance: a create_batch of thousands of invalid nested
    /// records adds one field per record; a linear search per add made that quadratic (90 s for
    /// 32,000 events, found by a fuzzing run).
    private var positions: [String: Int] = [:]
    /// Field and message pairs already present (one field with thousands of messages, as a bulk
    /// deletion's unknown entries: the same quadratic search otherwise).
    private var present: Set<String> = []

    public init() {}

    public init(_ field: String, _ message: String) {
        add(field, message)
    }

    public mutating func add(_ field: String, _ message: String) {
        guard present.insert(field + "\u{0}" + message).inserted else { return }
        if let index = positions[field] {
            entries[index].messages.append(message)
        } else {
            positions[field] = entries.count
            entries.append((field, [message]))
        }
    }

    public mutating func merge(_ other: FieldErrors) {
        for entry in other.entries {
            for message in entry.messages { add(entry.field, message) }
        }
    }

    /// The same errors with every field name prefixed (`checksums[0].` + `digest`).
    public func prefixed(_ prefix: String) -> FieldErrors {
        var result = FieldErrors()
        for entry in entries {
            for message in entry.messages { result.add(prefix + entry.field, message) }
        }
        return result
    }

    public var isEmpty: Bool { entries.isEmpty }

    public func messages(for field: String) -> [String] {
        positions[field].map { entries[$0].messages } ?? []
    }

    /// Throws `.validation` when anything was collected.
    public func throwIfAny() throws(RegistryError) {
        if !isEmpty { throw .validation(self) }
    }

    public static func == (lhs: FieldErrors, rhs: FieldErrors) -> Bool {
        lhs.entries.count == rhs.entries.count
            && zip(lhs.entries, rhs.entries).allSatisfy { $0.field == $1.field && $0.messages == $1.messages }
    }
}
