import Formats
import HTTPServer
import Postgres
import RegistryCore
import Routing

/// Validation errors of a form as the templates show them (html.md WEB-10, WEB-21): listed at the
/// top of the form, each linking to its field, and attached to the field (`<name>_error`, which
/// the templates put in an element named by the field's `aria-describedby`).
struct FormErrors {
    private(set) var entries: [(field: String, message: String)] = []

    init() {}

    /// From a store's field errors; `rename` maps store field names to form field names.
    init(_ errors: FieldErrors, rename: [String: String] = [:]) {
        for entry in errors.entries {
            for message in entry.messages { add(rename[entry.field] ?? entry.field, message) }
        }
    }

    mutating func add(_ field: String, _ message: String) {
        entries.append((field, message))
    }

    var isEmpty: Bool { entries.isEmpty }

    /// Adds `errors`, `has_errors` and one `<field>_error` per field to a template context.
    func apply(to context: inout [String: Any], labels: [String: String]) {
        context["has_errors"] = !entries.isEmpty
        context["errors"] = entries.map { entry -> [String: Any] in
            ["field": entry.field, "label": labels[entry.field] ?? entry.field, "message": entry.message]
        }
        for entry in entries where context["\(entry.field)_error"] == nil {
            context["\(entry.field)_error"] = entry.message
        }
    }
}
