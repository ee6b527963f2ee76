/// A cumulative Prometheus histogram (fixed bucket bounds in seconds). Not synchronized: owners
/// keep it inside their own lock.
public struct Histogram: Sendable {
    public let bounds: [Double]
    public private(set) var counts: [UInt64]
    public private(set) var sum: Double = 0
    public private(set) var count: UInt64 = 0

    /// OPS-37: 0.005 … 10 s.
    public static let requestDurationBounds: [Double] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

    public init(bounds: [Double] = Histogram.requestDurationBounds) {
        self.bounds = bounds
        self.counts = Array(repeating: 0, count: bounds.count)
    }

    public mutating func observe(_ value: Double) {
        for index in bounds.indices where value <= bounds[index] {
            counts[index] += 1
        }
        sum += value
        count += 1
    }

    /// The sum of two histograms with the same bounds.
    public func merged(with other: Histogram) -> Histogram {
        var result = self
        for index in counts.indices { result.counts[index] += other.counts[index] }
        result.sum += other.sum
        result.count += other.count
        return result
    }

    /// Appends the `_bucket`, `_sum` and `_count` lines; `labels` is either empty or `a="b",c="d"`.
    public func render(name: String, labels: String, into text: inout String) {
        let prefix = labels.isEmpty ? "" : labels + ","
        for (index, bound) in bounds.enumerated() {
            text += "\(name)_bucket{\(prefix)le=\"\(bound)\"} \(counts[index])\n"
        }
        text += "\(name)_bucket{\(prefix)le=\"+Inf\"} \(count)\n"
        let labelBlock = labels.isEmpty ? "" : "{\(labels)}"
        text += "\(name)_sum\(labelBlock) \(sum)\n"
        text += "\(name)_count\(labelBlock) \(count)\n"
    }
}

/// Escapes a Prometheus label value (backslash, quote, newline).
public func prometheusLabel(_ value: String) -> String {
    var escaped = ""
    for character in value {
        switch character {
        case "\\": escaped += "\\\\"
        case "\"": escaped += "\\\""
        case "\n": escaped += "\\n"
        default: escaped.append(character)
        }
    }
    return escaped
}
