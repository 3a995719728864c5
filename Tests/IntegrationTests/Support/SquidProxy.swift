// SPDX-License-Identifier: Apache-2.0
import Foundation

/// squid on a free loopback port: the chained HTTP proxy a route's `proxy` settings point at.
///
/// It forwards plain HTTP requests sent in absolute form and tunnels `CONNECT`
/// to any port (squid's stock configuration allows only 443), caches nothing,
/// and with `credentials` demands HTTP basic proxy authentication, checked by
/// squid's own `basic_ncsa_auth` against an htpasswd file. Every request it
/// handled is in `accessLog()`. It stops when released.
final class SquidProxy {
    /// A proxy user and its password.
    struct Credentials: Sendable {
        let user: String
        let password: String
    }

    let port: Int
    let process: ManagedProcess
    private let credentials: Credentials?
    private let scratch: ScratchDirectory

    /// `http://127.0.0.1:<port>`, as `HTTPS_PROXY` would name it.
    var url: String { "http://127.0.0.1:\(port)" }

    private var accessLogFile: URL { scratch.file("access.log") }

    init(credentials: Credentials? = nil) async throws {
        self.credentials = credentials
        scratch = try ScratchDirectory(prefix: "squid")
        // Started as root, squid works as an unprivileged user that must still write its logs here.
        try FileManager.default.setAttributes([.posixPermissions: 0o777], ofItemAtPath: scratch.url.path)
        port = try FreePort.allocate()
        var authentication = "http_access allow all"
        if let credentials {
            let hash = try await ToolRun.output(of: "openssl", ["passwd", "-apr1", credentials.password])
            let passwords = scratch.file("passwords")
            try "\(credentials.user):\(hash)".write(to: passwords, atomically: true, encoding: .utf8)
            authentication = """
                auth_param basic program \(try Self.helper("basic_ncsa_auth")) \(passwords.path)
                auth_param basic realm token-proxy tests
                acl authenticated proxy_auth REQUIRED
                http_access allow authenticated
                http_access deny all
                """
        }
        let configuration = scratch.file("squid.conf")
        try """
        http_port 127.0.0.1:\(port)
        visible_hostname token-proxy-tests
        pid_filename \(scratch.file("squid.pid").path)
        cache_log \(scratch.file("cache.log").path)
        logformat tests %rm %ru %un %>Hs
        access_log stdio:\(scratch.file("access.log").path) tests
        netdb_filename none
        coredump_dir \(scratch.url.path)
        cache deny all
        pinger_enable off
        shutdown_lifetime 0 seconds
        \(authentication)

        """.write(to: configuration, atomically: true, encoding: .utf8)
        process = try ManagedProcess(
            name: "squid", executable: try Fixtures.tool("squid", fallbacks: ["/usr/sbin/squid"]),
            arguments: ["-N", "-f", configuration.path], scratch: scratch)
        try await process.waitForPort(port)
    }

    /// The requests squid handled so far; waits up to `timeout` until there are at least `count`.
    ///
    /// squid logs a request when it ends, and a `CONNECT` tunnel only when the
    /// client closes it: stop the client first to see its tunnels.
    func accessLog(atLeast count: Int = 0, timeout: Duration = .seconds(5)) async throws -> [SquidAccessLogEntry] {
        let deadline = ContinuousClock.now + timeout
        while true {
            let text = (try? String(contentsOf: accessLogFile, encoding: .utf8)) ?? ""
            let entries = text.split(separator: "\n").compactMap(SquidAccessLogEntry.init(line:))
                .filter { $0.url != Self.connectionWithoutRequest }
            if entries.count >= count || ContinuousClock.now >= deadline { return entries }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// Every request squid handled before this call: sends a marker request
    /// through squid (to a closed port, so squid answers it at once) and
    /// returns the entries logged before the marker's.
    ///
    /// squid writes each entry as its request ends, so once the marker is in
    /// the log, any request that ended earlier is too: a test can show that a
    /// request did *not* pass through squid without waiting for a timeout.
    func settledAccessLog() async throws -> [SquidAccessLogEntry] {
        let marker = "http://127.0.0.1:\(try FreePort.allocate())/squid-log-marker-\(UUID().uuidString)"
        var arguments = ["--proxy", url, marker]
        if let credentials { arguments += ["--proxy-user", "\(credentials.user):\(credentials.password)"] }
        _ = try await Curl.run(arguments)
        let deadline = ContinuousClock.now + .seconds(5)
        while true {
            let entries = try await accessLog()
            if let end = entries.firstIndex(where: { $0.url == marker }) { return Array(entries[..<end]) }
            guard ContinuousClock.now < deadline else {
                throw HarnessError.malformedResponse("squid never logged its marker request \(marker)")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// What squid logs for a connection closed before it sent a request, such as `waitForPort`'s probe.
    private static let connectionWithoutRequest = "error:transaction-end-before-headers"

    /// A helper program squid ships, e.g. an authenticator.
    private static func helper(_ name: String) throws -> String {
        let path = "/usr/lib/squid/\(name)"
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw HarnessError.missingTool(name: name, searched: [path])
        }
        return path
    }
}

/// One line of the access log `SquidProxy` sets up.
struct SquidAccessLogEntry: Equatable, Sendable {
    /// `GET`, `CONNECT`, ...
    let method: String
    /// The absolute URL, or `host:port` for `CONNECT`.
    let url: String
    /// The proxy user the request named, `-` for none.
    let user: String
    /// The status squid answered with, e.g. 407 for refused credentials.
    let status: Int

    init(method: String, url: String, user: String, status: Int) {
        self.method = method
        self.url = url
        self.user = user
        self.status = status
    }

    init?(line: Substring) {
        let fields = line.split(separator: " ").map(String.init)
        guard fields.count == 4, let status = Int(fields[3]) else { return nil }
        method = fields[0]
        url = fields[1]
        user = fields[2]
        self.status = status
    }
}
