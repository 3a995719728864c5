// SPDX-License-Identifier: Apache-2.0
import ArgumentParser
import Foundation
import TokenProxy

/// `token-proxy ca`: the local CA that HTTPS apps trust for TLS interception.
struct CACommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ca",
        abstract: "Manage the local CA that signs the certificates of intercepted hosts.",
        subcommands: [InitCommand.self])

    struct InitCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "init",
            abstract: "Create a new local CA (EC P-256, 2 years) as PEM and PKCS12, and print how to use it.")

        @Option(help: "Directory to write ca.pem, ca.key, ca.p12 and ca.p12.password into; created if missing.")
        var out: String

        @Flag(help: "Replace the files of an existing CA (apps that trust it will stop trusting the proxy).")
        var force = false

        func run() throws {
            // Absolute, so that the printed configuration works wherever the configuration file is.
            let directory = URL(fileURLWithPath: out).standardizedFileURL.path
            let created = try AuthorityFiles.create(
                in: directory, force: force, hostName: ProcessInfo.processInfo.hostName)
            print(created.instructions)
        }
    }
}
