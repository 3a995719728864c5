// SPDX-License-Identifier: Apache-2.0
import ArgumentParser
import TokenProxy

struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token",
        abstract: "Generate Access Token: get a token as serve would and print it alone on stdout.")

    @OptionGroup var config: ConfigOptions

    @Option(help: "Route whose token to get. Default: the first route that injects a token.")
    var route: String?

    @Flag(
        help: """
            Print the decoded claims of the access token (a JWT) instead of the token, to check its scope \
            and audience. The signature is not checked.
            """)
    var claims = false

    func run() async throws {
        let logger = ProcessLogging.bootstrapQuiet()
        let configuration = try config.load()
        let token = try await AccessTokenGenerator.token(
            configuration: configuration, routeName: route, environment: config.environment, logger: logger)
        guard claims else {
            print(token.revealed)
            return
        }
        // An opaque token fails here with "not a JWT"; the token itself is never printed.
        print(try JWTClaims(compact: token.revealed).prettyJSON)
    }
}
