/// The statements a session has prepared, by SQL text and parameter types, with a least-recently-
/// used bound so a session that sees many distinct statements does not grow without limit.
struct PreparedStatementCache {
    struct Key: Hashable {
        let sql: String
        let typeOIDs: [UInt32]
    }

    private struct Entry {
        let name: String
        var lastUse: UInt64
    }

    let capacity: Int
    private var entries: [Key: Entry] = [:]
    private var useCounter: UInt64 = 0
    private var nameCounter = 0

    init(capacity: Int) {
        precondition(capacity > 0)
        self.capacity = capacity
    }

    var count: Int { entries.count }

    /// True if `key` is cached (without marking it used).
    func contains(_ key: Key) -> Bool { entries[key] != nil }

    /// The server-side name of the statement for `key`, marking it recently used.
    mutating func lookup(_ key: Key) -> String? {
        guard entries[key] != nil else { return nil }
        useCounter += 1
        entries[key]!.lastUse = useCounter
        return entries[key]!.name
    }

    /// A name no statement of this session has used (`s1`, `s2`, …). Names are never reused, so a
    /// statement that could not be deallocated can never be confused with a newer one.
    mutating func makeName() -> String {
        nameCounter += 1
        return "s\(nameCounter)"
    }

    /// Records a freshly prepared statement. Returns the name of the statement evicted to stay
    /// within `capacity`, which the caller should DEALLOCATE.
    mutating func insert(_ key: Key, name: String) -> String? {
        useCounter += 1
        entries[key] = Entry(name: name, lastUse: useCounter)
        guard entries.count > capacity else { return nil }
        // A linear scan for the oldest entry: it only runs when a NEW statement arrives at a full
        // cache (rare once an application's statement set is warm), and 256 comparisons are
        // cheaper than maintaining a linked list on every lookup.
        let oldest = entries.min { $0.value.lastUse < $1.value.lastUse }!
        entries[oldest.key] = nil
        return oldest.value.name
    }

    mutating func remove(_ key: Key) -> String? {
        entries.removeValue(forKey: key)?.name
    }
}
