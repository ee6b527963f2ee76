/// Key-and-value conveniences for the common object member shapes; `nil` is written as `null`.
extension JSONWriter {
    /// Writes `"key":"value"`, or `"key":null` for nil.
    public mutating func field(_ key: StaticString, _ value: String?) {
        self.key(key)
        if let value { string(value) } else { null() }
    }

    /// Writes `"key":value`, or `"key":null` for nil.
    public mutating func field(_ key: StaticString, _ value: Int64?) {
        self.key(key)
        if let value { int(value) } else { null() }
    }

    /// Writes `"key":value`, or `"key":null` for nil.
    public mutating func field(_ key: StaticString, _ value: Int?) {
        self.key(key)
        if let value { int(value) } else { null() }
    }

    /// Writes `"key":true` or `"key":false`.
    public mutating func field(_ key: StaticString, _ value: Bool) {
        self.key(key)
        bool(value)
    }

    /// Writes `"key":"<API timestamp>"`, or `"key":null` for nil.
    public mutating func field(_ key: StaticString, _ value: Timestamp?) {
        self.key(key)
        if let value { timestamp(value) } else { null() }
    }
}
