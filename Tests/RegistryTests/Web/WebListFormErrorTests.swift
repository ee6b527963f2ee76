import Foundation
import Testing
import TestSupport

/// html.md §4 ("Lists … render unknown or invalid parameters as a form error (status 400)") and
/// WEB-21 (errors listed at the top of the form, each linking to its field, and attached to the
/// field with `aria-describedby`).
@Suite("HTML: list filter errors")
struct WebListFormErrorTests {
    /// A 400 page whose summary links `message` to the control `id`, and whose control `id` is
    /// marked invalid and described by the element holding `message`; no other control is.
    static func expectFieldError(_ page: TestHTTPResponse, control id: String, message: String,
                                 sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(page.status == 400, sourceLocation: sourceLocation)
        #expect(page.text.contains(#"<div class="form-errors" role="alert">"#), sourceLocation: sourceLocation)
        #expect(page.text.contains(##"<li><a href="#\##(id)">\##(message)</a></li>"##), "\(id)", sourceLocation: sourceLocation)
        let control = #"<(input|select) id="\#(id)" [^>]*aria-invalid="true" aria-describedby="\#(id)-error">"#
        #expect(page.text.range(of: control, options: .regularExpression) != nil, "\(id)", sourceLocation: sourceLocation)
        #expect(page.text.contains(#"<span id="\#(id)-error" class="field-error">\#(message)</span>"#), "\(id)",
                sourceLocation: sourceLocation)
        #expect(page.text.components(separatedBy: "aria-invalid=").count == 2, "one invalid control", sourceLocation: sourceLocation)
        #expect(page.text.contains("<form") && !page.text.contains("<table"), sourceLocation: sourceLocation)
    }

    /// A 400 page with the message in the summary only (no control to link or mark).
    static func expectSummaryOnly(_ page: TestHTTPResponse, message: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(page.status == 400, sourceLocation: sourceLocation)
        #expect(page.text.contains(#"<div class="form-errors" role="alert">"#), sourceLocation: sourceLocation)
        #expect(page.text.contains("<li>\(message)</li>"), "\(message)", sourceLocation: sourceLocation)
        #expect(!page.text.contains("aria-invalid=") && !page.text.contains("field-error"), sourceLocation: sourceLocation)
    }

    @Test("§4, WEB-21: /events, /objects and /items attach a bad filter value to its control (aliases to theirs)")
    func filterControls() throws {
        let world = try WebWorld.start()

        Self.expectFieldError(try world.instAdmin.get("/events?event_type=bogus"), control: "event_type",
                              message: "invalid value for event_type: bogus")
        Self.expectFieldError(try world.instAdmin.get("/events?created_after=yesterday"), control: "created_after",
                              message: "invalid date for created_after: yesterday")
        Self.expectFieldError(try world.instAdmin.get("/events?sort=bogus"), control: "sort", message: "invalid sort: bogus")
        Self.expectFieldError(try world.instAdmin.get("/events?object_identifier=a&intellectual_object_identifier=b"),
                              control: "object_identifier", message: "parameter may not repeat: intellectual_object_identifier")
        // A link's alias kept by the form as a hidden field, submitted with the filter's own empty
        // control: the empty control is no filter, so this is no repeat.
        let resubmitted = try world.instAdmin.get("/events?object_identifier=&intellectual_object_identifier=test.edu%2Fnone")
        #expect(resubmitted.status == 200)
        #expect(!resubmitted.text.contains("field-error"))
        #expect(try world.instAdmin.get("/objects?created_before=&createdBefore=2030-01-01").status == 200)
        // The form keeps the values as sent.
        let events = try world.instAdmin.get("/events?agent=someone&sequence_min=x")
        Self.expectFieldError(events, control: "sequence_min", message: "invalid integer for sequence_min: x")
        #expect(events.text.contains(#"<input id="agent" name="agent" type="text" value="someone">"#))

        Self.expectFieldError(try world.instAdmin.get("/objects?state=X"), control: "state", message: "invalid value for state: X")
        Self.expectFieldError(try world.instAdmin.get("/objects?per_page=7"), control: "per_page",
                              message: "per_page must be one of 10, 20, 50, 100")
        Self.expectFieldError(try world.instAdmin.get("/objects?createdBefore=soon"), control: "created_before",
                              message: "invalid date for createdBefore: soon")
        Self.expectFieldError(try world.admin.get("/objects?institution=a&institution_identifier=b&access=bogus"),
                              control: "access", message: "invalid value for access: bogus")

        Self.expectFieldError(try world.instAdmin.get("/items?action=Bogus"), control: "item_action",
                              message: "invalid value for action: Bogus")
        Self.expectFieldError(try world.instAdmin.get("/items?needs_admin_review=maybe"), control: "needs_admin_review",
                              message: "invalid boolean for needs_admin_review: maybe")
        Self.expectFieldError(try world.admin.get("/items?institution_id=x"), control: "institution",
                              message: "invalid integer for institution_id: x")
        // An inst admin's form has no institution control: the summary alone.
        Self.expectSummaryOnly(try world.instAdmin.get("/items?institution_id=x"), message: "invalid integer for institution_id: x")
    }

    @Test("§4, WEB-21: unknown parameters and filters without a control are listed in the summary only; other list pages")
    func summaryOnlyAndOtherLists() throws {
        let world = try WebWorld.start()
        Self.expectSummaryOnly(try world.instAdmin.get("/events?foo=1"), message: "unknown query parameter: foo")
        Self.expectSummaryOnly(try world.instAdmin.get("/objects?updated_after=x"), message: "invalid date for updated_after: x")
        Self.expectSummaryOnly(try world.instAdmin.get("/items?retry=maybe"), message: "invalid boolean for retry: maybe")
        Self.expectSummaryOnly(try world.admin.get("/users?sort=email"), message: "invalid sort: email")
        Self.expectSummaryOnly(try world.admin.get("/institutions?sort=bogus"), message: "invalid sort: bogus")

        Self.expectFieldError(try world.admin.get("/deletions?status=bogus"), control: "status",
                              message: "invalid value for status: bogus")
        let alerts = try world.instAdmin.get("/alerts?since=1y")
        Self.expectFieldError(alerts, control: "since",
                              message: "since must be one of 24h, 7d, 30d, an RFC 3339 timestamp or a YYYY-MM-DD date")
        #expect(!alerts.text.contains("Failed fixity checks"))
        Self.expectSummaryOnly(try world.instAdmin.get("/alerts?foo=1"), message: "unknown query parameter: foo")

        // A valid list shows no error markup.
        let fine = try world.instAdmin.get("/events?event_type=ingestion")
        #expect(fine.status == 200 && !fine.text.contains("form-errors") && !fine.text.contains("aria-invalid"))
    }
}
