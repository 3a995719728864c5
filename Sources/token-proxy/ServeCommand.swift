// SPDX-License-Identifier: Apache-2.0
import ArgumentParser
import TokenProxy

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Run the proxy (the default command).")

    @OptionGroup var config: ConfigOptions

    func run() async throws {
        let logger = ProcessLogging.bootstrap()
        let server = try ProxyServer(configuration: try config.load(), environment: config.environment, logger: logger)
        server.start()
        logger.info("token-proxy listening", metadata: ["port": "\(server.port)"])
        let signal = await Signals.waitForTermination()
        logger.info("stopping", metadata: ["signal": "\(signal)"])
        server.stop()
    }
}
