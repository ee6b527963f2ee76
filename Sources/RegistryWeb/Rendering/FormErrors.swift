import Formats
import HTTPServer
import Postgres
import RegistryCore
import Routing

/// Validation errors of a form as the templates show them (html.md WEB-10, WEB-21): listed at the
/// top of the form, each linking to its field, and attached to the field (`<name>_error`, which
/// the templates put in an element named by the field's `aria-describedby`).
struct FormErrors {
    /// Messages about a field, shown after the field's label in the summary ("Name can't be blank").
    private(set) var entries: [(field: String, message: String)] = []
    /// Messages that already name what they are about (a list page's 400), shown as is; `control`
    /// is nil when the form has no control for them (summary only).
    private var namedMessages: [(control: String?, message: String)] = []

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

    /// A message that already names what it is about (a list page's 400, html.md §4), shown as is:
    /// attached to `control` when the form has one, otherwise in the summary only.
    mutating func add(message: String, control: String?) {
        namedMessages.append((control, message))
    }

    var isEmpty: Bool { entries.isEmpty && namedMessages.isEmpty }

    /// Adds `errors`, `has_errors` and one `<field>_error` per field to a template context.
    func apply(to context: inout [String: Any], labels: [String: String]) {
        context["has_errors"] = !isEmpty
        // Every key of an error is always set: Mustache looks a missing key up in the enclosing contexts.
        let labelled = entries.map { entry -> [String: Any] in
            ["field": entry.field, "label": labels[entry.field] ?? entry.field, "message": entry.message]
        }
        let named = namedMessages.map { entry -> [String: Any] in
            ["field": entry.control ?? false, "label": false, "message": entry.message]
        }
        context["errors"] = labelled + named
        let attached = entries.map { ($0.field, $0.message) } + namedMessages.compactMap { entry in
            entry.control.map { ($0, entry.message) }
        }
        for (field, message) in attached where context["\(field)_error"] == nil {
            context["\(field)_error"] = message
        }
    }
}
