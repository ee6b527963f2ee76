import Testing
@testable import RegistryWeb

/// html.md §4 + WEB-21: the parameter a list's 400 message names, read in one place, and the
/// form errors made of it.
@Suite("HTML: list parameter errors")
struct ListParameterErrorTests {
    @Test("§4: every message shape of the list queries names its parameter; unknown parameters name none", arguments: [
        ("invalid value for event_type: bogus", "event_type"),
        ("invalid date for created_after: x", "created_after"),
        ("invalid boolean for needs_admin_review: maybe", "needs_admin_review"),
        ("invalid integer for institution_id: x", "institution_id"),
        ("invalid month for end", "end"),
        ("parameter may not repeat: intellectual_object_identifier", "intellectual_object_identifier"),
        ("invalid percent-encoding in query parameter name_like", "name_like"),
        ("invalid sort: bogus", "sort"),
        ("invalid sort: ", "sort"),
        ("per_page must be one of 10, 20, 50, 100", "per_page"),
        ("per_page must be between 1 and 1000", "per_page"),
        ("page must be a positive integer", "page"),
        ("since must be one of 24h, 7d, 30d", "since"),
        ("sequence_min and sequence_max need exactly one institution", "sequence_min"),
        // A value may contain anything, the separators of other shapes included.
        ("invalid value for state: a must b: c", "state"),
    ])
    func parameterNamed(message: String, parameter: String) {
        #expect(ListParameterError.parameter(in: message) == parameter)
    }

    @Test("§4: no parameter for an unknown one or a message of no known shape", arguments: [
        "unknown query parameter: foo", "unknown query parameter: per_page must be", "request body is required",
        "the value must be given", "invalid value: x",
    ])
    func noParameter(message: String) {
        #expect(ListParameterError.parameter(in: message) == nil)
    }

    @Test("§4: an alias's error belongs to its filter's control")
    func aliases() {
        #expect(ListParameterError.control(for: "intellectual_object_identifier") == "object_identifier")
        #expect(ListParameterError.control(for: "generic_file_identifier") == "file_identifier")
        #expect(ListParameterError.control(for: "action") == "item_action")
        #expect(ListParameterError.control(for: "institution_identifier") == "institution")
        #expect(ListParameterError.control(for: "institution_id") == "institution")
        #expect(ListParameterError.control(for: "createdBefore") == "created_before")
        #expect(ListParameterError.control(for: "event_type") == "event_type")
    }

    @Test("WEB-21: attached to the control when the form has it, otherwise in the summary only; the message as is")
    func formErrors() throws {
        var attached: [String: Any] = [:]
        ListParameterError.formErrors("invalid value for action: Bogus", controls: ["item_action", "stage"])
            .apply(to: &attached, labels: ["item_action": "Action"])
        #expect(attached["has_errors"] as? Bool == true)
        #expect(attached["item_action_error"] as? String == "invalid value for action: Bogus")
        let entry = try #require((attached["errors"] as? [[String: Any]])?.first)
        #expect(entry["field"] as? String == "item_action")
        #expect(entry["label"] as? Bool == false)  // the message names the parameter itself
        #expect(entry["message"] as? String == "invalid value for action: Bogus")

        var summaryOnly: [String: Any] = [:]
        ListParameterError.formErrors("invalid value for action: Bogus", controls: ["stage"]).apply(to: &summaryOnly, labels: [:])
        let lone = try #require((summaryOnly["errors"] as? [[String: Any]])?.first)
        #expect(lone["field"] as? Bool == false)
        #expect(summaryOnly["item_action_error"] == nil && summaryOnly["action_error"] == nil)
        #expect(summaryOnly["has_errors"] as? Bool == true)
    }

    @Test("WEB-21: the other forms' errors keep their label before the message")
    func labelledFieldErrors() throws {
        var errors = FormErrors()
        errors.add("name", "can't be blank")
        var context: [String: Any] = [:]
        errors.apply(to: &context, labels: ["name": "Name"])
        let entry = try #require((context["errors"] as? [[String: Any]])?.first)
        #expect(entry["field"] as? String == "name" && entry["label"] as? String == "Name")
        #expect(context["name_error"] as? String == "can't be blank")
    }
}
