// SPDX-License-Identifier: Apache-2.0
import Foundation

/// An upstream and token endpoint that fail on purpose (`Tests/Fixtures/fault_server.py`): resets before the
/// response head or in the middle of a body, and token answers that are garbage, HTML, tokenless or never come.
///
/// One process serves both roles on one free loopback port. It stops when released.
final class FaultServer {
    /// How the token endpoint answers.
    enum TokenMode: String, CaseIterable, Sendable {
        case ok
        case garbage
        case html
        case noToken = "no-token"
        case hang
    }

    /// What the server received, from its `GET /stats`.
    struct Stats: Decodable, Sendable {
        let tokenRequests: Int
        let byPath: [String: Int]
        /// The `Authorization` of each upstream request, in order; nil when it had none.
        let authorizations: [String?]
    }

    let port: Int
    let process: ManagedProcess
    private let scratch: ScratchDirectory

    /// `http://127.0.0.1:<port>`, for a route's upstream.
    var baseURL: String { "http://127.0.0.1:\(port)" }

    var tokenURL: String { "\(baseURL)/token" }

    init(tokenMode: TokenMode = .ok) async throws {
        port = try FreePort.allocate()
        scratch = try ScratchDirectory(prefix: "fault-server")
        process = try ManagedProcess.pythonFixture(
            "fault_server.py", arguments: ["--port", String(port), "--token-mode", tokenMode.rawValue], scratch: scratch
        )
        try await process.waitForPort(port)
    }

    /// Token requests from now on are answered by `mode`.
    func setTokenMode(_ mode: TokenMode) throws {
        let request = HTTPRequest("POST", "/control/token-mode", body: .bytes(Array(mode.rawValue.utf8)))
        let response = try HTTPClient(port: port, timeout: .seconds(10)).exchange(request)
        guard response.status == 200 else {
            throw HarnessError.controlFailed(
                peer: process.name, path: request.target, status: response.status,
                body: response.text)
        }
    }

    func stats() throws -> Stats {
        let response = try HTTPClient(port: port, timeout: .seconds(10)).exchange(HTTPRequest("GET", "/stats"))
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(Stats.self, from: Data(response.body))
    }
}
