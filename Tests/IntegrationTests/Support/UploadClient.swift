// SPDX-License-Identifier: Apache-2.0
import Foundation

/// An app that uploads through token-proxy with Python requests (`Tests/Fixtures/upload_client.py`):
/// a generated body of any size, hashed as it is sent, so that neither side holds it.
enum UploadClient {
    struct Result {
        let status: Int
        let sentBytes: Int
        let sentSHA256: String
        /// What the echo upstream reported receiving; nil when the answer was not its report.
        let received: (bytes: Int, sha256: String)?
        /// The answer's text when it was not the echo upstream's report.
        let text: String?
    }

    /// Sends `PUT http://api.test<path>` with a body of `bytes` bytes through the proxy on `proxyPort`.
    /// - Parameter rate: bytes per second; 0 sends as fast as the proxy takes them.
    static func upload(proxyPort: Int, path: String, bytes: Int, chunked: Bool = false, rate: Int = 0) async throws
        -> Result
    {
        let scratch = try ScratchDirectory(prefix: "upload-client")
        var arguments = [
            "--proxy", "127.0.0.1:\(proxyPort)", "--url", "http://api.test\(path)", "--bytes", String(bytes),
            "--rate", String(rate),
        ]
        if chunked { arguments.append("--chunked") }
        let process = try ManagedProcess.pythonFixture("upload_client.py", arguments: arguments, scratch: scratch)
        let exit = try await DedicatedThread.run { process.waitForExit(timeout: .seconds(600)) }
        guard exit == .exited(0), let line = process.output().split(separator: "\n").last,
            let json = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
            let status = json["status"] as? Int, let sentBytes = json["sent_bytes"] as? Int,
            let sentSHA256 = json["sent_sha256"] as? String
        else {
            throw HarnessError.malformedResponse("upload_client.py: \(process.output()) \(process.errorOutput())")
        }
        let report = json["response"] as? [String: Any]
        let received = (report?["body_length"] as? Int).flatMap { length in
            (report?["body_sha256"] as? String).map { (length, $0) }
        }
        return Result(
            status: status, sentBytes: sentBytes, sentSHA256: sentSHA256, received: received,
            text: json["response"] as? String)
    }
}
