/// Routes of this resource (api-v2.md §9); filled in by the resource's implementation.
enum WorkItemRoutes {
    static var routes: [APIRoute] { [] }
}
