/// What `registry demo-data` creates (operations.md OPS-80).
enum DemoDataSet {
    struct Institution {
        let identifier: String
        let name: String
        let parent: String?
    }

    struct User {
        let email: String
        let name: String
        let institution: String
        let role: String
    }

    struct File {
        let path: String
        let format: String
        let size: Int64
    }

    struct Object {
        let institution: String
        let bagName: String
        let title: String
        let access: String
        let storageOption: String
        let files: [File]

        var identifier: String { institution + "/" + bagName }
    }

    static let institutions = [
        Institution(identifier: "aptrust.org", name: "APTrust", parent: nil),
        Institution(identifier: "test.edu", name: "Test University", parent: nil),
        Institution(identifier: "sub.test.edu", name: "Test University Subscriber", parent: "test.edu"),
        Institution(identifier: "example.org", name: "Example Organization", parent: nil),
    ]

    static let users = [
        User(email: "system@aptrust.org", name: "System", institution: "aptrust.org", role: "admin"),
        User(email: "admin@aptrust.org", name: "APTrust Admin", institution: "aptrust.org", role: "admin"),
        User(email: "admin@test.edu", name: "Test Admin", institution: "test.edu", role: "institutional_admin"),
        User(email: "admin2@test.edu", name: "Test Admin Two", institution: "test.edu", role: "institutional_admin"),
        User(email: "user@test.edu", name: "Test User", institution: "test.edu", role: "institutional_user"),
        User(email: "admin@example.org", name: "Example Admin", institution: "example.org", role: "institutional_admin"),
    ]

    static let objects = [
        Object(institution: "test.edu", bagName: "demo-bag-1", title: "Demo bag one", access: "consortia",
               storageOption: "Standard", files: [
                   File(path: "data/report.pdf", format: "application/pdf", size: 482_113),
                   File(path: "data/photo one.jpg", format: "image/jpeg", size: 1_904_221),
                   File(path: "bagit.txt", format: "text/plain", size: 55),
               ]),
        Object(institution: "test.edu", bagName: "demo-bag-2", title: "Demo bag two (restricted)", access: "restricted",
               storageOption: "Glacier-OR", files: [
                   File(path: "data/ledger.csv", format: "text/csv", size: 88_410),
                   File(path: "bagit.txt", format: "text/plain", size: 55),
               ]),
        Object(institution: "example.org", bagName: "demo-bag-3", title: "Demo bag three", access: "institution",
               storageOption: "Standard", files: [
                   File(path: "data/notes.txt", format: "text/plain", size: 12_004),
                   File(path: "bagit.txt", format: "text/plain", size: 55),
               ]),
    ]

    /// The Pending, unqueued Ingest item of OPS-80.
    static let pendingItem = (institution: "test.edu", name: "demo-bag-4.tar")

    /// The worker agents as the Go workers write them (auditor.md §5.4 uses the same).
    static let exchangeAgent = "https://github.com/APTrust/exchange"
}
