// SPDX-License-Identifier: Apache-2.0

extension ProxyConfiguration {
    /// Protected mode: a `listen` that other machines can reach, with no `clients.allow`, still
    /// serves loopback peers only. The warning says so, for `serve`'s start-up log and `check`;
    /// nil when there is nothing to warn about.
    public var protectedModeWarning: String? {
        guard !listen.isLocalOnly, clients.allow == nil else { return nil }
        return "protected mode: listen \(listen) is not a loopback address, but clients.allow is not set, "
            + "so only loopback peers (127.0.0.0/8, ::1) are served and others get 403 client_not_allowed; "
            + "to serve other clients, list their networks in clients.allow (for example [10.0.0.0/8]) "
            + "and consider clients.user and clients.password"
    }
}
