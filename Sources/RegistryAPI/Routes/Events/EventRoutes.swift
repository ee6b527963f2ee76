/// Routes of this resource (api-v2.md §9); filled in by the resource's implementation.
enum EventRoutes {
    static var routes: [APIRoute] { [] }
}
