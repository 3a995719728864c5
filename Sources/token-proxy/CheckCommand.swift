// SPDX-License-Identifier: Apache-2.0
import ArgumentParser
import TokenProxy

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate the configuration and open every store, offline; print one line per route.")

    @OptionGroup var config: ConfigOptions

    func run() throws {
        for line in try ConfigurationCheck.run(configuration: try config.load()) {
            print(line)
        }
    }
}
