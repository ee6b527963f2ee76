import Postgres

/// The people a deletion workflow involves: who counts as the "sole" admin for DOM-121/DOM-132,
/// and the recipients of its notifications (domain.md §8.9).
enum DeletionPeople {
    struct Person: Sendable, Equatable {
        let id: Int64
        let email: String
    }

    /// Active institutional admins of the institution, by e-mail (byte order).
    static func institutionalAdmins(of institutionID: Int64, on connection: PGConnection) throws -> [Person] {
        try people(connection.query("""
            SELECT id, email FROM users
            WHERE institution_id = \(institutionID) AND role = 'institutional_admin' AND deactivated_at IS NULL
            ORDER BY email
            """))
    }

    /// Active admins (role `admin`), by e-mail.
    static func admins(on connection: PGConnection) throws -> [Person] {
        try people(connection.query(
            "SELECT id, email FROM users WHERE role = 'admin' AND deactivated_at IS NULL ORDER BY email"))
    }

    /// DOM-121 / DOM-132: the requester is the only one in `group`.
    static func isSole(_ userID: Int64, in group: [Person]) -> Bool {
        group.count == 1 && group[0].id == userID
    }

    /// "minus requester unless sole" (§8.9): the group without the requester, unless that leaves
    /// nobody because the requester is the group's only member.
    static func recipients(_ group: [Person], exceptRequester requesterID: Int64) -> [String] {
        let others = group.filter { $0.id != requesterID }
        return (others.isEmpty ? group : others).map(\.email)
    }

    /// The union of e-mail lists, in first-seen order (a person is addressed once).
    static func union(_ lists: [String]...) -> [String] {
        var seen = Set<String>()
        var result: [String] = []
        for email in lists.joined() where seen.insert(email).inserted {
            result.append(email)
        }
        return result
    }

    private static func people(_ result: PGResult) throws -> [Person] {
        try (0..<result.rowCount).compactMap { row in
            guard let id = try result.int64(row, 0), let email = result.string(row, 1) else { return nil }
            return Person(id: id, email: email)
        }
    }
}
