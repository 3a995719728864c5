// SPDX-License-Identifier: Apache-2.0
import Dispatch
import Foundation

/// What intercepting tunnels with one CA takes: the CA, its leaves and the TLS
/// settings. Made at start-up and on each reload from `intercept`, so that a new
/// CA comes with a new leaf cache and context, and tunnels opened before keep theirs.
final class Interception: Sendable {
    let authority: CertificateAuthority
    let leaves: LeafCache
    private let context: TLSServerContext

    init(authority: CertificateAuthority, leaves: LeafCache, context: TLSServerContext) {
        self.authority = authority
        self.leaves = leaves
        self.context = context
    }

    /// Opens the CA that `settings` name, as `serve`, reload and `check` do.
    static func load(_ settings: InterceptSettings, now: Date = Date()) throws(StartupError) -> Interception {
        let authority: CertificateAuthority
        do {
            authority = try CertificateAuthority.load(settings.authority, now: now)
        } catch {
            throw .interceptAuthority(error)
        }
        guard let context = TLSServerContext() else {
            throw .interceptAuthority(.tlsUnavailable(LibCrypto.takeFailure().text))
        }
        return Interception(
            authority: authority, leaves: LeafCache(minter: LeafMinter(authority: authority)), context: context)
    }

    /// A TLS server session for a tunnel to `leaf`'s host; nil when libssl is out of memory.
    func session(presenting leaf: LeafCertificate) -> TLSServerSession? {
        TLSServerSession(context: context, leaf: leaf)
    }
}
