// SPDX-License-Identifier: Apache-2.0

/// A socket curl asked its `CurlMulti` to watch, and what decides whether its registration may
/// outlive curl's interest in it (`CurlMulti.stopWatching`).
struct CurlSocket {
    let watch: SocketWatch
    /// The open file behind the socket's number when curl first asked for it.
    let identity: FileIdentity?
    /// Whether curl has asked to read it; a connection is read only once it is connected.
    var hasBeenRead = false
}
