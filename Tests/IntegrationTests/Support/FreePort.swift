// SPDX-License-Identifier: Apache-2.0

/// Free TCP ports on 127.0.0.1 for peers whose port must be written into a config before they start.
///
/// The port is free when `allocate()` returns and the kernel does not hand it
/// out again right away; a peer that can bind port 0 itself needs none of this.
enum FreePort {
    static func allocate() throws -> Int {
        try LoopbackSocket.bindEphemeral().port
    }
}
