// SPDX-License-Identifier: Apache-2.0
import Foundation
import Glibc
import Testing

/// Who may spend the routes' credentials: the `clients` allow list and proxy credentials,
/// protected mode, and the Unix-socket listener.
@Suite("Client access")
struct ClientAccessTests {
    /// token-proxy with a static-token default route to the echo upstream, an admin listener, and
    /// the `clients` block and `listen` a test gives.
    private struct GuardedProxy {
        static let token = "clients-static-token"
        static let password = "pa55-w0rd-never-logged"

        let upstream: EchoUpstream
        let proxy: TokenProxyProcess
        let adminPort: Int
        let listen: String
        let scratch: ScratchDirectory

        /// - Parameters:
        ///   - listen: the `listen` value; `127.0.0.1:<free port>` when nil.
        ///   - clients: the `clients` block, YAML lines indented by 2 spaces; `PASSWORD_FILE` names
        ///     a file holding `password`.
        init(listen: String? = nil, clients: String = "") async throws {
            upstream = try await EchoUpstream()
            scratch = try ScratchDirectory(prefix: "clients")
            try "\(Self.password)\n".write(to: scratch.file("password"), atomically: true, encoding: .utf8)
            adminPort = try FreePort.allocate()
            // A given `listen` (a Unix socket, all addresses) is awaited through the admin port, which
            // token-proxy opens after its client listener.
            let port: Int
            if let listen {
                self.listen = listen
                port = adminPort
            } else {
                port = try FreePort.allocate()
                self.listen = "127.0.0.1:\(port)"
            }
            proxy = try await TokenProxyProcess(
                configuration: Self.configuration(
                    listen: self.listen, adminPort: adminPort, upstream: upstream, scratch: scratch, clients: clients),
                port: port, adminPort: adminPort)
        }

        func configuration(clients: String) -> String {
            Self.configuration(
                listen: listen, adminPort: adminPort, upstream: upstream, scratch: scratch, clients: clients)
        }

        static func configuration(
            listen: String, adminPort: Int, upstream: EchoUpstream, scratch: ScratchDirectory, clients: String
        ) -> String {
            let passwordFile = scratch.file("password").path
            let block =
                clients.isEmpty
                ? "" : "clients:\n" + clients.replacingOccurrences(of: "PASSWORD_FILE", with: passwordFile)
            return """
                listen: \(listen)
                admin: 127.0.0.1:\(adminPort)
                \(block)
                routes:
                  - name: api
                    upstream: \(upstream.baseURL)
                    proxy: {type: none}
                    auth: {type: static, accessToken: \(token)}
                """
        }

        /// Rewrites the configuration with another `clients` block and waits for the reload.
        func reload(clients: String) async throws {
            let reloads = proxy.process.output().components(separatedBy: "configuration reloaded").count
            try configuration(clients: clients).write(to: proxy.configurationFile, atomically: true, encoding: .utf8)
            proxy.process.send(signal: SIGHUP)
            let deadline = ContinuousClock.now + .seconds(15)
            while proxy.process.output().components(separatedBy: "configuration reloaded").count == reloads {
                guard ContinuousClock.now < deadline else { throw HarnessError.malformedResponse("no reload logged") }
                try await Task.sleep(for: .milliseconds(20))
            }
        }

        func metrics() throws -> [String: Double] {
            try PrometheusText.samples(in: HTTPClient(port: adminPort).exchange(HTTPRequest("GET", "/metrics")).text)
        }

        /// Nothing token-proxy wrote mentions the proxy password.
        var passwordStayedSecret: Bool {
            !(proxy.process.output() + proxy.process.errorOutput()).contains(Self.password)
        }
    }

    private static func basic(_ user: String, _ password: String) -> HTTPField {
        HTTPField("Proxy-Authorization", "Basic " + Data("\(user):\(password)".utf8).base64EncodedString())
    }

    @Test func aLoopbackPeerIsServedByDefault() async throws {
        let guarded = try await GuardedProxy()
        let response = try HTTPClient(port: guarded.proxy.port).exchange(HTTPRequest("GET", "http://api.test/ok"))
        #expect(response.status == 200)
        #expect(try EchoReport(response: response).header("Authorization") == "Bearer \(GuardedProxy.token)")
        let entry = try #require(try await guarded.proxy.requestLog().first)
        #expect(entry.fields["client"]?.hasPrefix("127.0.0.1:") == true)
    }

    @Test func aPeerOutsideTheAllowListGets403AndTheConnectionCloses() async throws {
        let guarded = try await GuardedProxy(clients: "  allow: [127.0.0.1/32]")
        let outsider = try HTTPClient(port: guarded.proxy.port, timeout: .seconds(5), from: "127.0.0.2")
        let refusal = try outsider.refusal(after: "GET http://api.test/refused HTTP/1.1\r\nHost: api.test\r\n\r\n")
        #expect(refusal == Refusal(status: 403, error: "client_not_allowed", closed: true))

        let insider = try HTTPClient(port: guarded.proxy.port)
        #expect(try insider.exchange(HTTPRequest("GET", "http://api.test/allowed")).status == 200)
        #expect(try guarded.upstream.requestCounts()["/refused"] == nil)
        #expect(try guarded.upstream.requestCounts()["/allowed"] == 1)
        let samples = try guarded.metrics()
        #expect(samples[#"token_proxy_requests_refused_total{error="client_not_allowed"}"#] == 1)
        #expect(samples[#"token_proxy_requests_total{code="403",route="-"}"#] == 1)
        // Request lines leave with their loop's batch, at the end of the loop's turn.
        #expect(try await eventually { guarded.proxy.process.output().contains("client=127.0.0.2:") })
    }

    @Test func credentialsAreRequiredCheckedAndNeverForwarded() async throws {
        let guarded = try await GuardedProxy(clients: "  user: app\n  password: ${file:PASSWORD_FILE}")
        let client = try HTTPClient(port: guarded.proxy.port)

        let missing = try client.exchange(HTTPRequest("GET", "http://api.test/none"))
        #expect(missing.status == 407)
        #expect(missing.header("Proxy-Authenticate") == #"Basic realm="token-proxy""#)
        #expect(try ProxyErrorBody(response: missing).error == "proxy_authentication_required")

        // The 407 leaves the connection open, so the client retries on it with credentials.
        let wrong = try client.exchange(
            HTTPRequest("GET", "http://api.test/wrong", headers: [Self.basic("app", "not-the-password")]))
        #expect(wrong.status == 407)
        let right = try client.exchange(
            HTTPRequest("GET", "http://api.test/right", headers: [Self.basic("app", GuardedProxy.password)]))
        #expect(right.status == 200)
        let report = try EchoReport(response: right)
        #expect(report.header("Proxy-Authorization") == nil)
        #expect(report.header("Authorization") == "Bearer \(GuardedProxy.token)")

        // A base-URL client (origin form) is checked the same way.
        let originForm = try client.exchange(HTTPRequest("GET", "/origin", headers: [HTTPField("Host", "api.test")]))
        #expect(originForm.status == 407)
        let originFormRight = try client.exchange(
            HTTPRequest(
                "GET", "/origin",
                headers: [HTTPField("Host", "api.test"), Self.basic("app", GuardedProxy.password)]))
        #expect(originFormRight.status == 200)

        // curl, as an independent client, sends Basic proxy credentials the same way.
        let proxyURL = "http://127.0.0.1:\(guarded.proxy.port)"
        let curl = try await Curl.run(
            ["-x", proxyURL, "--proxy-user", "app:\(GuardedProxy.password)", "http://api.test/curl"])
        #expect(curl.status == 200)
        #expect(try await Curl.run(["-x", proxyURL, "http://api.test/curl-none"]).status == 407)

        #expect(try guarded.upstream.requestCounts()["/none"] == nil)
        #expect(try guarded.upstream.requestCounts()["/wrong"] == nil)
        #expect(guarded.passwordStayedSecret)
    }

    @Test func aReloadAppliesANewAllowListToTheNextRequests() async throws {
        let guarded = try await GuardedProxy(clients: "  allow: [127.0.0.1/32]")
        let outsider = try HTTPClient(port: guarded.proxy.port, timeout: .seconds(5), from: "127.0.0.2")
        #expect(try outsider.exchange(HTTPRequest("GET", "http://api.test/before")).status == 403)

        try await guarded.reload(clients: "  allow: [127.0.0.0/8]")
        let admitted = try HTTPClient(port: guarded.proxy.port, from: "127.0.0.2")
        #expect(try admitted.exchange(HTTPRequest("GET", "http://api.test/after")).status == 200)

        try await guarded.reload(clients: "  allow: [127.0.0.0/8]\n  user: app\n  password: ${file:PASSWORD_FILE}")
        // The connection made before the reload is held to the new credentials on its next request.
        #expect(try admitted.exchange(HTTPRequest("GET", "http://api.test/again")).status == 407)
        #expect(guarded.passwordStayedSecret)
    }

    @Test func protectedModeWarnsAndServesOnlyLoopbackWhenListeningOnAllInterfaces() async throws {
        let port = try FreePort.allocate()
        let guarded = try await GuardedProxy(listen: "0.0.0.0:\(port)")
        let warning = "protected mode: listen 0.0.0.0:\(port) is not a loopback address"
        // The port answers from the moment the listener opens, a little before start-up logs its warnings.
        #expect(try await eventually { guarded.proxy.process.output().contains(warning) })
        #expect(guarded.proxy.process.output().contains("only loopback peers"))
        let client = try HTTPClient(port: port)
        #expect(try client.exchange(HTTPRequest("GET", "http://api.test/local")).status == 200)

        let check = try await TokenProxyProcess.run(
            ["check"], configuration: guarded.configuration(clients: ""))
        #expect(check.exit == .exited(0))
        #expect(check.stdout.contains(warning))
    }

    @Test func aUnixSocketServesCurlWithTheTokenAndGoesAwayOnExit() async throws {
        let sockets = try ScratchDirectory(prefix: "uds")
        let path = sockets.file("proxy.sock").path
        try Self.leaveStaleSocket(at: path)
        let guarded = try await GuardedProxy(listen: "unix:\(path)", clients: "  socketMode: \"0600\"")

        var status = stat()
        #expect(lstat(path, &status) == 0)
        #expect(status.st_mode & S_IFMT == S_IFSOCK)
        #expect(status.st_mode & 0o777 == 0o600)

        // Base-URL style (origin form) and forward-proxy style (absolute form) over the socket.
        let origin = try await Curl.run(["--unix-socket", path, "http://api.test/uds"])
        #expect(origin.status == 200)
        let report = try EchoReport(json: Data(origin.body.utf8))
        #expect(report.header("Authorization") == "Bearer \(GuardedProxy.token)")
        let absolute = try await Curl.run(
            ["--unix-socket", path, "--request-target", "http://api.test/uds-absolute", "http://api.test/"])
        #expect(absolute.status == 200)
        #expect(try EchoReport(json: Data(absolute.body.utf8)).path == "/uds-absolute")

        let entry = try #require(try await guarded.proxy.requestLog().first)
        #expect(entry.fields["client.uid"] == String(getuid()))
        #expect(entry.fields["client.gid"] == String(getgid()))

        guarded.proxy.process.send(signal: SIGTERM)
        let process = guarded.proxy.process
        #expect(try await DedicatedThread.run { process.waitForExit(timeout: .seconds(10)) } == .exited(0))
        #expect(lstat(path, &status) != 0 && errno == ENOENT)
    }

    @Test(.enabled(if: NetworkNamespace.isAvailable, "needs root to create a network namespace"))
    func aPeerFromAnotherNetworkIsRefusedUnlessAllowed() async throws {
        let namespace = try NetworkNamespace()
        let port = try FreePort.allocate()
        let protected = try await GuardedProxy(listen: "0.0.0.0:\(port)")
        let url = "http://\(namespace.hostAddress):\(port)"
        let refused = try await namespace.curl(["-x", url, "http://api.test/from-outside"])
        #expect(refused.status == 403)
        #expect(refused.body.contains("client_not_allowed"))
        #expect(try protected.upstream.requestCounts()["/from-outside"] == nil)

        let secondPort = try FreePort.allocate()
        let allowing = try await GuardedProxy(
            listen: "0.0.0.0:\(secondPort)", clients: "  allow: [\(namespace.peerAddress)/32]")
        let served = try await namespace.curl(
            ["-x", "http://\(namespace.hostAddress):\(secondPort)", "http://api.test/from-outside"])
        #expect(served.status == 200)
        #expect(try await eventually { allowing.proxy.process.output().contains("client=\(namespace.peerAddress):") })
    }

    /// Binds a Unix socket at `path` and closes it without removing the file, as a crashed run would.
    private static func leaveStaleSocket(at path: String) throws {
        let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: Array(path.utf8)) }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard bound == 0 else { throw HarnessError.socket(operation: "bind \(path)", errno: errno) }
    }
}
