import HTTPServer
import Routing

/// A route table shaped like api-v2.md §9 (a representative subset), with handler names as
/// handlers so that tests can see which route won.
enum SampleRoutes {
    static let router: Router<String> = {
        var routes = RouterBuilder<String>()
        do {
            try routes.add([.get], "/api/v2/items", handler: "items.list")
            try routes.add([.post], "/api/v2/items", handler: "items.create")
            try routes.add([.get], "/api/v2/items/{id}", handler: "items.show")
            try routes.add([.put, .patch], "/api/v2/items/{id}", handler: "items.update")
            try routes.add([.put], "/api/v2/items/{id}/requeue", handler: "items.requeue")

            try routes.add([.get], "/api/v2/objects", handler: "objects.list")
            // One branch, two names: the handler tells institution from object by API-5.
            try routes.add([.get], "/api/v2/objects/{obj}", handler: "objects.show")
            try routes.add([.post], "/api/v2/objects/{inst}", handler: "objects.create")
            try routes.add([.put, .patch], "/api/v2/objects/{obj}", handler: "objects.update")
            try routes.add([.delete], "/api/v2/objects/{obj}", handler: "objects.delete")
            try routes.add([.delete], "/api/v2/objects/{obj}/delete", handler: "objects.delete")
            try routes.add([.put], "/api/v2/objects/{obj}/restore", handler: "objects.restore")
            try routes.add([.get, .post], "/api/v2/objects/{obj}/finish_delete", handler: "objects.finish_delete")
            try routes.add([.get], "/api/v2/objects/{obj}/premis", handler: "objects.premis")
            try routes.add([.get], "/api/v2/objects/{rest...}", handler: "objects.fallback")

            try routes.add([.get], "/api/v2/files", handler: "files.list")
            try routes.add([.post], "/api/v2/files", handler: "files.create")
            try routes.add([.get], "/api/v2/files/{file}", handler: "files.show")
            try routes.add([.post], "/api/v2/files/{obj}", handler: "files.create")
            try routes.add([.put, .patch, .delete], "/api/v2/files/{file}", handler: "files.change")
            try routes.add([.post], "/api/v2/files/{obj}/create_batch", handler: "files.create_batch")
            try routes.add([.put], "/api/v2/files/restore/{file}", handler: "files.restore")
            try routes.add([.delete], "/api/v2/files/confirm_delete/{file}", handler: "files.confirm_delete")
            try routes.add([.get, .post], "/api/v2/files/finish_delete/{file}", handler: "files.finish_delete")
            try routes.add([.get], "/api/v2/files/{file}/fixity", handler: "files.fixity")
            try routes.add([.get], "/api/v2/files/{rest...}", handler: "files.fallback")

            try routes.add([.get], "/api/v2/events", handler: "events.list")
            try routes.add([.post], "/api/v2/events", handler: "events.create")
            try routes.add([.get], "/api/v2/events/export", handler: "events.export")
            try routes.add([.get], "/api/v2/events/{event}", handler: "events.show")
            try routes.add([.get], "/api/v2/events/{uuid}/proof", handler: "events.proof")

            try routes.add([.post], "/api/v2/{inst}/trigger_bulk_delete", constraints: ["inst": .containsDot], handler: "bulk.trigger")
            try routes.add(
                [.post], "/api/v2/{inst}/confirm_bulk_delete_institution",
                constraints: ["inst": .containsDot], handler: "bulk.confirm_institution"
            )

            try routes.add([.get], "/api/v2/alerts", handler: "alerts.list")
            try routes.add([.get], "/api/v2/alerts/summary", handler: "alerts.summary")
            try routes.add([.get], "/api/v2/notifications/{id}", handler: "notifications.show")
            try routes.add([.get], "/api/v2/notifications/{id}/attachment", handler: "notifications.attachment")
            try routes.add([.post], "/api/v2/notifications/{id}/sent", handler: "notifications.sent")

            // The member prefix: GET only, plus PUT on restore (API-80).
            try routes.add([.get], "/member-api/v2/objects/{obj}", handler: "member.objects.show")
            try routes.add([.get, .put], "/member-api/v2/objects/{obj}/restore", handler: "member.objects.restore")
            try routes.add([.get], "/member-api/v2/files/{file}", handler: "member.files.show")
            try routes.add([.get], "/member-api/v2/files/{rest...}", handler: "member.files.fallback")

            try routes.add([.get], "/health", handler: "health")
            try routes.add([.get], "/", handler: "home")
        } catch {
            fatalError("sample route table is invalid: \(error)")
        }
        return routes.build()
    }()
}

/// A comparable summary of a `RouteMatch<String>`.
enum Outcome: Equatable, CustomStringConvertible {
    case matched(String, template: String, raw: [String: String])
    case notAllowed([String], template: String)
    case notFound

    init(_ match: RouteMatch<String>) {
        switch match {
        case .matched(let handler, let template, let parameters):
            var raw: [String: String] = [:]
            for name in parameters.parameterNames {
                raw[name] = parameters.raw(name).map(String.init)
            }
            self = .matched(handler, template: template, raw: raw)
        case .methodNotAllowed(let allowed, let template):
            self = .notAllowed(allowed.map(\.description), template: template)
        case .notFound:
            self = .notFound
        }
    }

    var description: String {
        switch self {
        case .matched(let handler, let template, let raw): "matched \(handler) \(template) \(raw.sorted { $0.key < $1.key })"
        case .notAllowed(let allowed, let template): "405 \(allowed) \(template)"
        case .notFound: "404"
        }
    }
}

func route(_ method: HTTPMethod, _ path: String, in router: Router<String> = SampleRoutes.router) -> Outcome {
    Outcome(router.match(method, rawPath: path[...]))
}
