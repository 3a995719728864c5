// SPDX-License-Identifier: Apache-2.0
import Foundation

/// Why the test harness could not start, reach or understand a peer.
///
/// Each case names the peer and carries what its process wrote on stderr, so a
/// failing test says why nginx or the authorization server did not come up.
enum HarnessError: Error, CustomStringConvertible {
    /// A tool the tests need is not installed.
    case missingTool(name: String, searched: [String])
    /// The process exited before it accepted connections.
    case exitedEarly(peer: String, status: Int32, stderr: String)
    /// The process still runs but never listened on its port.
    case notListening(peer: String, port: Int, timeout: Duration, stderr: String)
    /// A command did not finish within its time.
    case stillRunning(peer: String, timeout: Duration, stderr: String)
    /// A socket call failed.
    case socket(operation: String, errno: Int32)
    /// The peer closed the connection or stopped sending before the response was complete.
    case truncatedResponse(received: Int)
    /// The response did not parse as HTTP/1.x.
    case malformedResponse(String)
    /// A control or stats request to a fixture server did not answer 2xx.
    case controlFailed(peer: String, path: String, status: Int, body: String)
    /// A set-up command (such as `ip netns add`) failed or did not finish.
    case commandFailed(command: String, stderr: String)

    var description: String {
        switch self {
        case .missingTool(let name, let searched):
            return
                "\(name) not found (looked in \(searched.joined(separator: ", "))); install it to run the integration tests"
        case .exitedEarly(let peer, let status, let stderr):
            return "\(peer) exited with status \(status) before listening; its stderr:\n\(stderr)"
        case .notListening(let peer, let port, let timeout, let stderr):
            return "\(peer) did not listen on 127.0.0.1:\(port) within \(timeout); its stderr:\n\(stderr)"
        case .stillRunning(let peer, let timeout, let stderr):
            return "\(peer) still ran after \(timeout) and was stopped; its stderr:\n\(stderr)"
        case .socket(let operation, let errno):
            return "\(operation) failed: \(String(cString: strerror(errno)))"
        case .truncatedResponse(let received):
            return "the connection ended after \(received) bytes, before the response was complete"
        case .malformedResponse(let reason):
            return "malformed HTTP response: \(reason)"
        case .controlFailed(let peer, let path, let status, let body):
            return "\(peer) answered \(path) with \(status): \(body)"
        case .commandFailed(let command, let stderr):
            return "\(command) failed; its stderr:\n\(stderr)"
        }
    }
}
