/// The `/api/v2` route table (api-v2.md §9), assembled from each resource's routes.
public enum APIRouteTable {
    public static var all: [APIRoute] {
        InstitutionRoutes.routes
            + ObjectRoutes.routes
            + FileRoutes.routes
            + ChecksumRoutes.routes
            + StorageRecordRoutes.routes
            + EventRoutes.routes
            + ExportRoutes.routes
            + PremisRoutes.routes
            + FixityRoutes.routes
            + WorkItemRoutes.routes
            + AuditRoutes.routes
            + RestoreRoutes.routes
            + DeletionRoutes.routes
            + AlertRoutes.routes
            + NotificationRoutes.routes
            + ReportRoutes.routes
    }
}
