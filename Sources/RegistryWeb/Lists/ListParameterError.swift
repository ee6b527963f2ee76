import RegistryCore

/// html.md §4 + WEB-21: a list page answers an unknown or invalid parameter with status 400 and
/// the message as a form error, attached to the filter-form control of that parameter when the
/// form has one. The list queries (RegistryCore, shared with the API) report a bad parameter only
/// as a `.badRequest` message, so this is the ONE place that reads the parameter name back out of
/// those messages; a new message shape needs a case here, not code in each page.
enum ListParameterError {
    /// The parameter a list's 400 message names, as sent, or nil when it names none the form
    /// could have a control for (`unknown query parameter: …`, or a shape not listed here).
    ///
    /// Shapes: `invalid <kind> for <name>: <value>` (value, date, boolean, integer, month),
    /// `parameter may not repeat: <name>`, `invalid percent-encoding in query parameter <name>`, `invalid sort: <value>`, `<name> must …`
    /// (`page`, `per_page`, `since`) and `<name> and <other> need …` (`sequence_min`).
    static func parameter(in message: String) -> String? {
        if message.hasPrefix("unknown query parameter: ") { return nil }
        if message.hasPrefix("invalid sort:") { return "sort" }
        if let name = text(after: "parameter may not repeat: ", in: message) { return name }
        // QueryDecodingError (Routing): a value that cannot be percent-decoded.
        if let name = text(after: "invalid percent-encoding in query parameter ", in: message) { return name }
        if message.hasPrefix("invalid "), let range = message.firstRange(of: " for ") {
            let rest = message[range.upperBound...]
            let name = rest.prefix { $0 != ":" }
            return isParameterName(name) ? String(name) : nil
        }
        for separator in [" must ", " and "] {
            if let range = message.firstRange(of: separator) {
                let name = message[..<range.lowerBound]
                return isParameterName(name) ? String(name) : nil
            }
        }
        return nil
    }

    /// The id of the form control for `parameter`: its filter's own name (aliases resolved).
    static func control(for parameter: String) -> String {
        RepeatedParameters.filterOfAlias[parameter] ?? parameter
    }

    /// The form errors of a list page's 400: `message` as is, attached to the control it names
    /// when `controls` (the ids of the controls the page's form shows) has it, else summary only.
    static func formErrors(_ message: String, controls: Set<String>) -> FormErrors {
        var errors = FormErrors()
        let control = parameter(in: message).map(control(for:))
        errors.add(message: message, control: control.flatMap { controls.contains($0) ? $0 : nil })
        return errors
    }

    private static func text(after prefix: String, in message: String) -> String? {
        guard message.hasPrefix(prefix) else { return nil }
        let name = message.dropFirst(prefix.count)
        return isParameterName(name) ? String(name) : nil
    }

    /// Query parameter names of the lists are ASCII letters, digits and `_` (`createdBefore`
    /// included); anything else means the message is not of a known shape.
    private static func isParameterName(_ text: Substring) -> Bool {
        !text.isEmpty && text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
    }
}
