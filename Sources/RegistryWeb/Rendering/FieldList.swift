import Formats
import HTTPServer
import Postgres
import RegistryCore
import Routing

/// The rows of a `<dl class="fields">` (the `fields` partial): every field of a record, with an
/// em dash for empty values. Every key is set on every row, because Mustache looks a missing key
/// up in the enclosing contexts and would show a page-level value instead.
struct FieldList {
    private(set) var rows: [[String: Any]] = []

    mutating func text(_ label: String, _ value: String?, mono: Bool = false) {
        rows.append(row(label, text: value, mono: mono))
    }

    mutating func link(_ label: String, _ value: String?, href: String?) {
        var entry = row(label, text: value)
        if value != nil, let href { entry["href"] = href }
        rows.append(entry)
    }

    mutating func time(_ label: String, _ value: Timestamp?) {
        var entry = row(label, text: nil)
        if let time = Display.time(value) {
            entry["time"] = time
            entry["empty"] = false
        }
        rows.append(entry)
    }

    /// WEB-25: binary units and, on detail pages, the exact bytes.
    mutating func size(_ label: String, _ bytes: Int64?) {
        rows.append(row(label, text: bytes.map { "\(Display.size($0)) (\(Display.exactBytes($0)))" }))
    }

    mutating func number(_ label: String, _ value: Int64?) {
        rows.append(row(label, text: value.map { Display.grouped($0) }))
    }

    private func row(_ label: String, text: String?, mono: Bool = false) -> [String: Any] {
        ["label": label, "text": text ?? "", "empty": text == nil, "mono": mono, "href": false, "time": false]
    }
}
