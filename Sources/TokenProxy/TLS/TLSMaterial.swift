// SPDX-License-Identifier: Apache-2.0
import Foundation

/// Everything a route's `tls.*` names, opened and converted once (start-up,
/// reload, `check`): the trust store and the client identity, as PEM for curl.
public struct TLSMaterial: Sendable {
    /// Nil when the route trusts the system CAs.
    public let trustStore: TrustStore?
    /// Nil when the route does not present a client certificate.
    public let clientIdentity: ClientIdentity?

    /// Reads the stores `configuration` names. `now` decides which certificates
    /// are reported as expired or not yet valid.
    public static func load(_ configuration: TLSConfiguration, now: Date = Date()) throws(KeyStoreError) -> TLSMaterial
    {
        let trustStore = try configuration.trustStore.map { path throws(KeyStoreError) in
            try TrustStore.load(path: path, password: configuration.trustStorePassword, now: now)
        }
        let clientIdentity = try configuration.keyStore.map { path throws(KeyStoreError) in
            try ClientIdentity.load(
                path: path,
                storePassword: configuration.keyStorePassword,
                keyPassword: configuration.keyPassword,
                alias: configuration.keyAlias,
                now: now
            )
        }
        return TLSMaterial(trustStore: trustStore, clientIdentity: clientIdentity)
    }

    /// Warnings from both stores, to log at start-up and print in `check`.
    public var warnings: [String] {
        (trustStore?.warnings ?? []) + (clientIdentity?.warnings ?? [])
    }
}
