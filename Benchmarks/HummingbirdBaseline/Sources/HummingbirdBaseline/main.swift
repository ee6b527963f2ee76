import Hummingbird

// GET /health → {"status":"ok"} with the same content type as the registry's route.
let port = Int(CommandLine.arguments.dropFirst().first ?? "") ?? 8090
let router = Router()
router.get("health") { _, _ -> Response in
    Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
             body: .init(byteBuffer: ByteBuffer(string: #"{"status":"ok"}"#)))
}
let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)))
try await app.runService()
