import Routing

/// Router constraints for the `{x}` of `/objects/{x}`, `/files/{x}` and `/events/{x}`: which kinds
/// of decoded identifier (API-5) a route serves; also for `/checksums/{x}`, where GET shows a
/// checksum by id (#23) and POST creates one for a file (#24).
///
/// Why in the router: the routes of one path shape serve different kinds — `POST /objects/{inst}`
/// creates, `PUT /objects/{obj}` updates. With the kind known while routing, a method the path's
/// kind has no route for is API-7's 405 with the `Allow` of that kind's routes
/// (`POST /objects/test.edu%2Fbag` → `Allow: GET, HEAD, PUT, PATCH, DELETE`), and a kind no route
/// serves is API-5's 404, instead of a handler reading x as the wrong kind of record.
///
/// A segment that does not decode (a bad escape, U+0000: API-2) is accepted by every kind, so the
/// handler answers its 400 as before. Numeric ids are accepted wherever the handler looks records
/// up by id as well as by identifier.
enum PathKindConstraint {
    static let objectsRead = constraint("kind:institution|object|id", institution: true, object: true)
    static let objectsCreate = constraint("kind:institution|id", institution: true)
    static let objectsWrite = constraint("kind:object|id", object: true)
    static let filesRead = constraint("kind:institution|object|file|id", institution: true, object: true, file: true)
    static let filesCreate = constraint("kind:object|id", object: true)
    static let filesWrite = constraint("kind:file|id", file: true)
    static let checksumShow = constraint("kind:id")
    static let checksumCreate = constraint("kind:file|id", file: true)
    static let eventsRead = constraint("kind:institution|object|file|uuid", institution: true, object: true, file: true,
                                       uuid: true, numericID: false)

    private static func constraint(_ label: String, institution: Bool = false, object: Bool = false, file: Bool = false,
                                   uuid: Bool = false, numericID: Bool = true) -> SegmentConstraint {
        SegmentConstraint(label) { raw in
            // GET object, the workers' hottest read, passes here on every request; an identifier
            // without `%` costs a scan, no copy beyond the String (PercentDecoding's fast path).
            guard let decoded = try? PercentDecoding.decode(raw) else { return true }
            switch IdentifierKind.of(decoded) {
            case .institution: return institution
            case .object: return object
            case .file: return file
            case .uuid: return uuid
            case .numericID: return numericID
            case .unknown: return false
            }
        }
    }
}
