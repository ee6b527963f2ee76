import Foundation
import PackagePlugin

/// Compiles the HTML templates (`Sources/RegistryWeb/Templates/*.mustache`) and the static files of
/// `public/` into the binary, so a deployed registry is one file and cannot serve a page whose
/// template went missing.
@main
struct EmbedWebAssets: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: any Target) throws -> [Command] {
        let tool = try context.tool(named: "MigrationsEmbedder").url
        let templates = target.directoryURL.appending(path: "Templates")
        let publicFiles = context.package.directoryURL.appending(path: "public")
        return [
            command(tool: tool, name: "EmbeddedTemplates", directory: templates, extensions: ["mustache"], context: context),
            command(tool: tool, name: "EmbeddedPublicFiles", directory: publicFiles, extensions: ["css", "svg", "ico", "txt"],
                    context: context),
        ]
    }

    private func command(tool: URL, name: String, directory: URL, extensions: Set<String>,
                         context: PluginContext) -> Command {
        let files = ((try? FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)) ?? [])
            .filter { extensions.contains($0.pathExtension) }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
        let output = context.pluginWorkDirectoryURL.appending(path: "\(name).swift")
        // The directory is an input and an argument, so files added later are picked up (see EmbedMigrations).
        return .buildCommand(displayName: "Embedding \(files.count) files as \(name)", executable: tool,
                             arguments: [output.path, name, "--directory", directory.path] + extensions.sorted(),
                             inputFiles: [directory] + files, outputFiles: [output])
    }
}
