// SPDX-License-Identifier: Apache-2.0
import Foundation

/// A network namespace this test made, joined to the test's own namespace by a veth pair:
/// a client inside it reaches token-proxy from a non-loopback address.
///
/// The host end gets `hostAddress`, the namespace end `peerAddress` (both in 198.18.0.0/15,
/// the range RFC 2544 sets aside for tests). The namespace and the pair, with their
/// addresses, are deleted by name when this object is released. Needs root (`ip netns add`).
final class NetworkNamespace {
    let name: String
    let hostAddress: String
    let peerAddress: String
    private let hostLink: String
    private let scratch: ScratchDirectory

    /// Whether this machine lets the test create namespaces (root, and `ip` installed).
    /// Tried once, by making (and at once deleting) a namespace.
    static let isAvailable = getuid() == 0 && (try? NetworkNamespace()) != nil

    init() throws {
        let tag = String(UInt32.random(in: 0..<0xffff_ffff), radix: 16)
        name = "tp-clients-\(tag)"
        hostLink = "tpc\(tag.prefix(8))h"
        let peerLink = "tpc\(tag.prefix(8))p"
        let subnet = "198.18.\(Int.random(in: 0..<256)).\(Int.random(in: 0..<64) * 4)"
        let octets = subnet.split(separator: ".").compactMap { Int($0) }
        hostAddress = "\(octets[0]).\(octets[1]).\(octets[2]).\(octets[3] + 1)"
        peerAddress = "\(octets[0]).\(octets[1]).\(octets[2]).\(octets[3] + 2)"
        scratch = try ScratchDirectory(prefix: "netns")
        try Self.ip(["netns", "add", name], scratch: scratch)
        do {
            try Self.ip(
                ["link", "add", hostLink, "type", "veth", "peer", "name", peerLink, "netns", name], scratch: scratch)
            try Self.ip(["addr", "add", "\(hostAddress)/30", "dev", hostLink], scratch: scratch)
            try Self.ip(["link", "set", hostLink, "up"], scratch: scratch)
            try Self.ip(["-n", name, "addr", "add", "\(peerAddress)/30", "dev", peerLink], scratch: scratch)
            try Self.ip(["-n", name, "link", "set", peerLink, "up"], scratch: scratch)
        } catch {
            removeAll()
            throw error
        }
    }

    deinit {
        removeAll()
    }

    /// Runs `curl -sS <arguments>` inside the namespace; returns the status and body.
    func curl(_ arguments: [String], timeout: Duration = .seconds(20)) async throws -> Curl.Result {
        let marker = "\n--curl-status:"
        let process = try ManagedProcess(
            name: "curl-in-\(name)", executable: try Fixtures.tool("ip", fallbacks: ["/usr/sbin/ip", "/sbin/ip"]),
            arguments: [
                "netns", "exec", name, try Fixtures.tool("curl").path, "-sS", "--max-time",
                String(timeout.components.seconds), "-w", "\(marker)%{http_code}",
            ] + arguments,
            scratch: scratch)
        guard try await DedicatedThread.run({ process.waitForExit(timeout: timeout + .seconds(5)) }) != nil else {
            throw HarnessError.stillRunning(peer: "curl in \(name)", timeout: timeout, stderr: process.errorOutput())
        }
        let output = process.output()
        guard let split = output.range(of: marker, options: .backwards) else {
            return Curl.Result(status: 0, body: output, stderr: process.errorOutput())
        }
        return Curl.Result(
            status: Int(output[split.upperBound...]) ?? 0, body: String(output[..<split.lowerBound]),
            stderr: process.errorOutput())
    }

    /// Deletes the host end of the pair (its peer goes with it) and the namespace, by name.
    private func removeAll() {
        try? Self.ip(["link", "del", hostLink], scratch: scratch)
        try? Self.ip(["netns", "del", name], scratch: scratch)
    }

    private static func ip(_ arguments: [String], scratch: ScratchDirectory) throws {
        let process = try ManagedProcess(
            name: "ip", executable: try Fixtures.tool("ip", fallbacks: ["/usr/sbin/ip", "/sbin/ip"]),
            arguments: arguments, scratch: scratch)
        let exit = process.waitForExit(timeout: .seconds(10))
        guard exit == .exited(0) else {
            throw HarnessError.commandFailed(
                command: "ip \(arguments.joined(separator: " "))", stderr: process.errorOutput())
        }
    }
}
