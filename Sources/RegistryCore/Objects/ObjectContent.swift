/// The content fields of an intellectual object (api-v2.md API-62): what an idempotent replay
/// compares and what an update may change. Values are after defaults and derivations (DOM-4 empty
/// optional text is nil, DOM-12 bag name, `storage_option` default `Standard`).
public struct ObjectContent: Sendable {
    public var title: String
    public var description: String?
    public var altIdentifier: String?
    public var access: String
    public var bagName: String
    public var bagGroupIdentifier: String?
    public var etag: String?
    public var storageOption: String
    public var bagitProfileIdentifier: String?
    public var sourceOrganization: String?
    public var internalSenderIdentifier: String?
    public var internalSenderDescription: String?

    public init(title: String, description: String?, altIdentifier: String?, access: String, bagName: String,
                bagGroupIdentifier: String?, etag: String?, storageOption: String, bagitProfileIdentifier: String?,
                sourceOrganization: String?, internalSenderIdentifier: String?, internalSenderDescription: String?) {
        self.title = title
        self.description = description
        self.altIdentifier = altIdentifier
        self.access = access
        self.bagName = bagName
        self.bagGroupIdentifier = bagGroupIdentifier
        self.etag = etag
        self.storageOption = storageOption
        self.bagitProfileIdentifier = bagitProfileIdentifier
        self.sourceOrganization = sourceOrganization
        self.internalSenderIdentifier = internalSenderIdentifier
        self.internalSenderDescription = internalSenderDescription
    }

    /// The database columns of the content fields, in the order of `values` (also the order of
    /// `changes` in audit rows).
    public static let columns: [String] = [
        "title", "description", "alt_identifier", "access", "bag_name", "bag_group_identifier", "etag",
        "storage_option", "bagit_profile_identifier", "source_organization", "internal_sender_identifier",
        "internal_sender_description",
    ]

    /// The values in the order of `columns`.
    public var values: [String?] {
        [title, description, altIdentifier, access, bagName, bagGroupIdentifier, etag, storageOption,
         bagitProfileIdentifier, sourceOrganization, internalSenderIdentifier, internalSenderDescription]
    }

    /// Builds content from values in the order of `columns` (as read from the database).
    init(values: [String?]) {
        self.init(title: values[0] ?? "", description: values[1], altIdentifier: values[2], access: values[3] ?? "",
                  bagName: values[4] ?? "", bagGroupIdentifier: values[5], etag: values[6],
                  storageOption: values[7] ?? "", bagitProfileIdentifier: values[8], sourceOrganization: values[9],
                  internalSenderIdentifier: values[10], internalSenderDescription: values[11])
    }

    /// API-60/62: equal content, field by field as UTF-8 bytes (DOM-5: not Swift's `==`, which
    /// would call canonically equivalent but different byte sequences equal).
    public func sameContent(as other: ObjectContent) -> Bool {
        zip(values, other.values).allSatisfy { Self.sameBytes($0, $1) }
    }

    static func sameBytes(_ left: String?, _ right: String?) -> Bool {
        switch (left, right) {
        case (nil, nil): return true
        case let (left?, right?): return left.utf8.elementsEqual(right.utf8)
        default: return false
        }
    }
}

/// A new object as a create (API-92) stores it.
public struct NewObject: Sendable {
    public var identifier: String
    public var institutionID: Int64
    public var content: ObjectContent

    public init(identifier: String, institutionID: Int64, content: ObjectContent) {
        self.identifier = identifier
        self.institutionID = institutionID
        self.content = content
    }
}
