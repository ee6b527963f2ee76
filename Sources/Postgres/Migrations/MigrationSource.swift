import Foundation

/// Where migrations come from: the copy compiled into the binary, or a directory
/// (`MIGRATIONS_DIR`). Both give the files in numeric order and reject duplicate versions.
public enum MigrationSource {
    /// The `*.sql` files of `directory` whose names match `NNNN_description.sql`; other files are
    /// ignored. Each must be valid UTF-8 (its exact bytes are what the SHA-256 covers).
    public static func load(directory: String) throws(MigrationError) -> [Migration] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory)
        } catch {
            throw .unreadable(path: directory, reason: "\(error)")
        }
        var files: [(name: String, text: String)] = []
        for name in names where Migration.isValidName(name) {
            let path = directory.hasSuffix("/") ? directory + name : directory + "/" + name
            guard let data = FileManager.default.contents(atPath: path) else {
                throw .unreadable(path: path, reason: "cannot read file")
            }
            guard let text = String(validating: data, as: UTF8.self) else {
                throw .unreadable(path: path, reason: "not valid UTF-8")
            }
            files.append((name, text))
        }
        return try embedded(files)
    }

    /// Migrations from (file name, text) pairs, e.g. `EmbeddedMigrations.files`. Names not matching
    /// the pattern are skipped, like stray files in a directory.
    public static func embedded(_ files: [(name: String, text: String)]) throws(MigrationError) -> [Migration] {
        var migrations: [Migration] = []
        for file in files where Migration.isValidName(file.name) {
            migrations.append(try Migration(name: file.name, text: file.text))
        }
        migrations.sort { ($0.number, $0.name) < ($1.number, $1.name) }
        for index in migrations.indices.dropFirst() where migrations[index].version == migrations[index - 1].version {
            throw .duplicateVersion(migrations[index].version)
        }
        return migrations
    }
}
