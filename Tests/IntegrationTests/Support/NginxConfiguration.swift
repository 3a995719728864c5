// SPDX-License-Identifier: Apache-2.0
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// An nginx configuration that reverse-proxies to the echo service, written for nginx 1.22.
///
/// nginx streams both ways (no request or response buffering), passes every
/// request header through with the `Host` the client sent, and adds
/// `X-Nginx-Connection` and `X-Nginx-Protocol` so the echo service can report
/// which client connection and HTTP version nginx saw. The access log records
/// the same, plus status, request line and `Authorization` (test tokens only),
/// tab-separated for `NginxAccessLogEntry`. A second access log records how
/// nginx verified each TLS client's certificate, for `ClientVerificationLogEntry`.
struct NginxConfiguration: Sendable {
    /// PEM files for a TLS listener.
    struct Certificates: Sendable {
        var certificate: URL
        var privateKey: URL
        /// CA certificates a client certificate must chain to; nil lets clients connect without one.
        var clientCertificateAuthorities: URL?

        init(certificate: URL, privateKey: URL, clientCertificateAuthorities: URL? = nil) {
            self.certificate = certificate
            self.privateKey = privateKey
            self.clientCertificateAuthorities = clientCertificateAuthorities
        }
    }

    /// A TLS listener beside the plain one, offering HTTP/2 by ALPN when `http2` is set.
    struct TLSListener: Sendable {
        var port: Int
        var certificates: Certificates
        var http2 = true
    }

    /// Plain HTTP port.
    var port: Int
    /// The echo service's port.
    var upstreamPort: Int
    /// Holds the pid file, logs and nginx's temp directories.
    var directory: URL
    var tls: TLSListener?

    var accessLog: URL { directory.appendingPathComponent("access.log") }
    var errorLog: URL { directory.appendingPathComponent("error.log") }
    /// `$ssl_client_verify`, `$ssl_client_s_dn` and the request line per request; `-` fields on the plain listener.
    var clientVerificationLog: URL { directory.appendingPathComponent("client-verification.log") }

    func rendered() -> String {
        let path = directory.path
        // As root, workers would run as nobody and could not use the scratch directory.
        let user = geteuid() == 0 ? "user root;\n" : ""
        return """
            \(user)daemon off;
            master_process on;
            worker_processes 1;
            pid \(path)/nginx.pid;
            error_log \(errorLog.path) info;
            events { worker_connections 1024; }
            http {
                client_body_temp_path \(path)/client_body;
                proxy_temp_path \(path)/proxy;
                fastcgi_temp_path \(path)/fastcgi;
                uwsgi_temp_path \(path)/uwsgi;
                scgi_temp_path \(path)/scgi;
                log_format harness "$connection\\t$server_protocol\\t$status\\t$request\\t$http_authorization";
                log_format client_verification "$ssl_client_verify\\t$ssl_client_s_dn\\t$request";
                access_log \(accessLog.path) harness;
                access_log \(clientVerificationLog.path) client_verification;
                client_max_body_size 0;
                underscores_in_headers on;
                keepalive_requests 10000;
                upstream echo {
                    server 127.0.0.1:\(upstreamPort);
                    keepalive 16;
                }
                server {
                    listen 127.0.0.1:\(port);
            \(tlsDirectives)
                    location / {
                        proxy_pass http://echo;
                        proxy_http_version 1.1;
                        proxy_request_buffering off;
                        proxy_buffering off;
                        proxy_set_header Host $http_host;
                        proxy_set_header Connection "";
                        proxy_set_header X-Nginx-Connection $connection;
                        proxy_set_header X-Nginx-Protocol $server_protocol;
                        proxy_set_header X-Client-Certificate-Verify $ssl_client_verify;
                        proxy_set_header X-Client-Certificate-Subject $ssl_client_s_dn;
                    }
                }
            }

            """
    }

    /// The TLS listen line and certificate directives; nginx 1.22 names `http2` on `listen`, not in its own directive.
    private var tlsDirectives: String {
        guard let tls else { return "" }
        var lines = [
            "listen 127.0.0.1:\(tls.port) ssl\(tls.http2 ? " http2" : "");",
            "ssl_certificate \(tls.certificates.certificate.path);",
            "ssl_certificate_key \(tls.certificates.privateKey.path);",
        ]
        if let authorities = tls.certificates.clientCertificateAuthorities {
            lines += ["ssl_client_certificate \(authorities.path);", "ssl_verify_client on;"]
        }
        return lines.map { "            " + $0 }.joined(separator: "\n")
    }
}

extension NginxConfiguration {
    /// Writes this configuration into `scratch` and starts nginx with it (not yet listening when this returns).
    func start(in scratch: ScratchDirectory) throws -> ManagedProcess {
        let configFile = scratch.file("nginx.conf")
        try rendered().write(to: configFile, atomically: true, encoding: .utf8)
        return try ManagedProcess(
            name: "nginx",
            executable: try Fixtures.tool("nginx", fallbacks: ["/usr/sbin/nginx"]),
            // -e: nginx opens its error log before it reads the config; the default may not be writable.
            arguments: ["-p", scratch.url.path, "-e", errorLog.path, "-c", configFile.path],
            scratch: scratch
        )
    }
}
