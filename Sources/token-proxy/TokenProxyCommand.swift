// SPDX-License-Identifier: Apache-2.0
import ArgumentParser

@main
struct TokenProxyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token-proxy",
        abstract: "A local HTTP proxy that adds OAuth 2.0 client-credentials tokens to the requests of client apps.",
        version: "0.1.0",
        subcommands: [ServeCommand.self, TokenCommand.self, CheckCommand.self, DemoCommand.self, CACommand.self],
        defaultSubcommand: ServeCommand.self
    )
}
