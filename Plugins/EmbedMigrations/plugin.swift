import Foundation
import PackagePlugin

/// Compiles every `migrations/NNNN_*.sql` file of the package into a Swift source of the target,
/// so the binary carries its schema (operations.md OPS-30) and cannot drift from the folder.
@main
struct EmbedMigrations: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: any Target) throws -> [Command] {
        let migrations = context.package.directoryURL.appending(path: "migrations")
        let files = (try? FileManager.default.contentsOfDirectory(at: migrations, includingPropertiesForKeys: nil)) ?? []
        let sqlFiles = files.filter { $0.pathExtension == "sql" }.sorted { $0.lastPathComponent < $1.lastPathComponent }
        let output = context.pluginWorkDirectoryURL.appending(path: "EmbeddedMigrations.swift")
        return [
            .buildCommand(
                displayName: "Embedding \(sqlFiles.count) migrations",
                executable: try context.tool(named: "MigrationsEmbedder").url,
                // The directory itself is an input and an argument: the tool lists it when it runs, so
                // a migration added later is picked up even when SwiftPM reuses this plugin's command
                // list from an earlier build.
                arguments: [output.path, "EmbeddedMigrations", "--directory", migrations.path, "sql"],
                inputFiles: [migrations] + sqlFiles,
                outputFiles: [output]
            )
        ]
    }
}
