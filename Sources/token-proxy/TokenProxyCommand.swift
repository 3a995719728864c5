// SPDX-License-Identifier: Apache-2.0
import ArgumentParser

@main
struct TokenProxyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token-proxy",
        abstract: "A local HTTP proxy that injects OAuth 2.0 client-credentials tokens."
    )
}
