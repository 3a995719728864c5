// SPDX-License-Identifier: Apache-2.0
import Testing

@testable import TokenProxy

@Suite struct ConfigPlaceholderTests {
    static let files = [
        "/etc/token-proxy/secret": "line\n",
        "/etc/token-proxy/crlf": "line\r\n",
        "/etc/token-proxy/two-newlines": "line\n\n",
        "/run/secrets/abs": "absolute",
        "/etc/token-proxy/tricky": "${env:HOME}",
    ]

    let expander = PlaceholderExpander(
        environment: ["USER_NAME": "svc", "EMPTY": "", "HOST": "example.com"],
        readFile: { path in
            guard let content = ConfigPlaceholderTests.files[path] else { throw UnreadableFile("no such file") }
            return content
        },
        baseDirectory: "/etc/token-proxy"
    )

    @Test(arguments: [
        ("plain text", "plain text"),
        ("${env:USER_NAME}", "svc"),
        ("${env:EMPTY}", ""),
        ("https://${env:HOST}:8443/${env:USER_NAME}/x", "https://example.com:8443/svc/x"),
        ("$${env:USER_NAME}", "${env:USER_NAME}"),
        ("cost $5 and $$ and $", "cost $5 and $$ and $"),
        ("${file:secret}", "line"),
        ("${file:crlf}", "line"),
        ("${file:two-newlines}", "line\n"),
        ("${file:/run/secrets/abs}!", "absolute!"),
        ("${file:tricky}", "${env:HOME}"),
    ])
    func expands(written: String, expected: String) throws {
        #expect(try expander.expand(written) == expected)
    }

    @Test func failuresNameTheVariableOrFile() {
        #expect(throws: PlaceholderError.unsetVariable("MISSING")) { try expander.expand("a${env:MISSING}b") }
        #expect(throws: PlaceholderError.unreadableFile(path: "nope", reason: "no such file")) {
            try expander.expand("${file:nope}")
        }
    }

    @Test(arguments: ["${env:USER_NAME", "${env:}", "${env:1X}", "${file:}", "${vault:x}", "${USER_NAME}"])
    func malformedPlaceholdersAreRejected(written: String) {
        #expect {
            try expander.expand(written)
        } throws: { error in
            guard let error = error as? PlaceholderError, case .malformed = error else { return false }
            return true
        }
    }

    @Test func loaderErrorsNameKeyAndCause() {
        let yaml = """
            routes:
              - name: api
                upstream: https://api.example.com
                auth: {type: static, accessToken: "${env:TOKEN}"}
            """
        let unset = configFailure(yaml)
        #expect(unset.contains("routes[0].auth.accessToken uses ${env:TOKEN}"), "\(unset)")
        #expect(unset.contains("TOKEN is not set"))

        let unreadable = configFailure(yaml.replacingOccurrences(of: "env:TOKEN", with: "file:token.txt"))
        #expect(
            unreadable.contains(
                "routes[0].auth.accessToken uses ${file:token.txt}, which cannot be read: no such file"),
            "\(unreadable)")

        let malformed = configFailure(yaml.replacingOccurrences(of: "${env:TOKEN}", with: "${env:TOKEN"))
        #expect(malformed.contains("routes[0].auth.accessToken has a malformed placeholder"), "\(malformed)")
    }

    @Test func jsonTokenParametersMayComeFromTheEnvironment() throws {
        let yaml = """
            routes:
              - name: api
                upstream: https://api.example.com
                auth:
                  type: oauth2ClientCredentials
                  accessTokenURL: https://login.example.com/token
                  clientID: id
                  clientSecret: secret
                  accessTokenParameters: ${env:PARAMS}
            """
        let unset = configFailure(yaml)
        #expect(unset.contains("routes[0].auth.accessTokenParameters uses ${env:PARAMS}"), "\(unset)")
        let config = try loadConfig(yaml, environment: ["PARAMS": #"[{"Name":"resource","Value":"r"}]"#])
        guard case .clientCredentials(let credentials) = config.routes[0].auth else {
            Issue.record("expected client credentials")
            return
        }
        #expect(credentials.accessTokenParameters == [TokenParameter(name: "resource", value: "r")])
    }

    @Test func expandedSecretsStaySecret() throws {
        let config = try loadConfig(
            """
            routes:
              - name: api
                upstream: https://api.example.com
                auth: {type: static, accessToken: "Bearer-${env:TOKEN}-${file:/run/secrets/abs}"}
            """, environment: ["TOKEN": "t0k3n"], files: Self.files)
        #expect(config.routes[0].auth == .staticToken(Secret("Bearer-t0k3n-absolute")))
        #expect(!"\(config.routes[0].auth)".contains("t0k3n"))
    }

    @Test func expandedValuesAreNeverEchoed() {
        let message = configFailure(
            """
            routes:
              - name: api
                upstream: "${env:UPSTREAM}"
            """, environment: ["UPSTREAM": "ftp://s3cr3t@host"])
        #expect(message.contains("routes[0].upstream"))
        #expect(!message.contains("s3cr3t"), "\(message)")
    }
}
