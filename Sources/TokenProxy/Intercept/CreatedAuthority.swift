// SPDX-License-Identifier: Apache-2.0
import Foundation

/// What `token-proxy ca init` wrote, and what to do with it.
public struct CreatedAuthority: Sendable {
    public let directory: String
    public let certificatePath: String
    public let keyPath: String
    public let pkcs12Path: String
    public let passwordPath: String
    public let summary: CertificateSummary
    public let fingerprintSHA256: String
    /// The PKCS12 password, kept only for `interceptSettings`.
    let keyStorePassword: Secret

    /// The `intercept` settings that use this CA, as the printed block does after `${file:}` is read.
    var interceptSettings: InterceptSettings {
        InterceptSettings(authority: .init(keyStore: pkcs12Path, keyStorePassword: keyStorePassword))
    }

    /// The report `ca init` prints: the CA, the `intercept` block that uses it, and
    /// how client apps of each stack come to trust it. Names files, never the password.
    public var instructions: String {
        let certificate = Self.quoted(certificatePath)
        return """
            Created a local CA for TLS interception in \(directory):
              \(certificatePath)  certificate: give it to client apps
              \(keyPath)  private key (mode 0600): keep it on the proxy's side
              \(pkcs12Path)  key and certificate as PKCS12 (mode 0600), for token-proxy
              \(passwordPath)  the PKCS12 password (mode 0600)
              subject   \(summary.subject)
              valid     \(summary.notBefore.ISO8601Format()) to \(summary.notAfter.ISO8601Format()) (\(Self.validityDays) days)
              SHA-256   \(fingerprintSHA256)

            The CA key is as sensitive as a client secret: whoever holds it can impersonate
            any host to the apps that trust the CA. token-proxy intercepts routed hosts only.

            Add to the configuration:

            intercept:
              ca:
                keyStore: \(pkcs12Path)
                keyStorePassword: ${file:\(passwordPath)}

            Have client apps trust the CA:
              curl          curl --cacert \(certificate) -x http://127.0.0.1:8080 https://api.example.com/
              OpenSSL-based export SSL_CERT_FILE=\(certificate)   (replaces the system CAs for that process)
              Python        export REQUESTS_CA_BUNDLE=\(certificate)   (requests; or verify=\(certificate))
              Node.js       export NODE_EXTRA_CA_CERTS=\(certificate)   (added to Node's own CAs)
              Java          keytool -importcert -noprompt -alias token-proxy-ca -file \(certificate) \\
                              -keystore truststore.p12 -storetype PKCS12 -storepass changeit
                            then run with -Djavax.net.ssl.trustStore=truststore.p12 \\
                              -Djavax.net.ssl.trustStorePassword=changeit
            """
    }

    private static var validityDays: Int { Int(NewAuthority.validity / (24 * 3600)) }

    /// A path as a shell word: quoted only when it needs to be.
    private static func quoted(_ path: String) -> String {
        let plain = path.allSatisfy { $0.isLetter || $0.isNumber || "/._-+:@".contains($0) }
        return plain ? path : "'" + path.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
