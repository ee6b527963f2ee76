import Formats
import RegistryCore

/// API-27: nested lists under `name_attributes` (the workers' Pharos naming) or `name`, never both.
enum NestedLists {
    /// The element records with their error prefixes (`<prefix>checksums[0].`): keys use the plain
    /// name whichever spelling was sent (API-50).
    static func read(_ record: JSONObject, _ name: String, prefix: String,
                     errors: inout FieldErrors) -> [(record: JSONObject, prefix: String)] {
        let attributesName = name + "_attributes"
        let plain = record[name].flatMap { $0.isNull ? nil : $0 }
        let attributes = record[attributesName].flatMap { $0.isNull ? nil : $0 }
        if plain != nil && attributes != nil {
            errors.add(prefix + name, "cannot be sent together with \(attributesName)")
            return []
        }
        guard let value = plain ?? attributes else { return [] }
        guard case .array(let elements) = value else {
            // API-50: nested keys use the plain name whichever spelling was sent (API-27).
            errors.add(prefix + name, "must be an array")
            return []
        }
        var records: [(record: JSONObject, prefix: String)] = []
        for (index, element) in elements.enumerated() {
            let elementPrefix = "\(prefix)\(name)[\(index)]"
            guard case .object(let child) = element else {
                errors.add(elementPrefix, "must be an object")
                continue
            }
            records.append((child, elementPrefix + "."))
        }
        return records
    }
}
