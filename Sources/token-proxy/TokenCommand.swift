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

    func run() async throws {
        let logger = ProcessLogging.bootstrapQuiet()
        let configuration = try config.load()
        let token = try await AccessTokenGenerator.token(
            configuration: configuration, routeName: route, environment: config.environment, logger: logger)
        print(token.revealed)
    }
}
