// SPDX-License-Identifier: Apache-2.0
import Foundation
import Glibc

/// `token-proxy ca init`: makes a new local CA and writes it to a directory as
///
/// - `ca.pem`: the certificate, for client apps to trust;
/// - `ca.key`: the private key, PKCS#8 PEM, mode 0600;
/// - `ca.p12`: key and certificate as PKCS12, mode 0600, what `intercept.ca.keyStore` names;
/// - `ca.p12.password`: its random password, mode 0600, read with `${file:}`, so that
///   it is never printed nor written into the configuration.
///
/// Files are created exclusively and never follow a symbolic link; existing ones are
/// replaced only with `force`.
public enum AuthorityFiles {
    public static let certificateName = "ca.pem"
    public static let keyName = "ca.key"
    public static let pkcs12Name = "ca.p12"
    public static let passwordName = "ca.p12.password"
    /// The PKCS12 entry's alias.
    public static let alias = "token-proxy-ca"

    /// Makes the CA at `now` for the machine `hostName` and writes it into `directory` (created, mode 0700, if missing).
    public static func create(
        in directory: String, force: Bool, hostName: String, now: Date = Date()
    ) throws(AuthorityFileError) -> CreatedAuthority {
        let paths = [certificateName, keyName, pkcs12Name, passwordName].map { directory + "/" + $0 }
        try prepare(directory)
        let existing = paths.filter { FileManager.default.fileExists(atPath: $0) || isSymbolicLink($0) }
        guard force || existing.isEmpty else { throw .exists(paths: existing) }
        let authority: NewAuthority
        switch NewAuthority.create(hostName: hostName, now: now) {
        case .success(let created): authority = created
        case .failure(let failure): throw .libcrypto(step: "CA key and certificate", detail: failure.text)
        }
        guard let keyPEM = authority.key.pkcs8PEM else {
            throw .libcrypto(step: "PEM of the CA key", detail: LibCrypto.takeFailure().text)
        }
        let password = Secret(randomPassword())
        guard let pkcs12 = authority.pkcs12(password: password, alias: alias) else {
            throw .libcrypto(step: "PKCS12 file", detail: LibCrypto.takeFailure().text)
        }
        for path in existing where unlink(path) != 0 && errno != ENOENT {
            throw .cannotWrite(path: path, reason: String(cString: strerror(errno)))
        }
        var passwordLine = Array((password.revealed + "\n").utf8)
        defer { passwordLine.wipe() }
        let failure =
            authority.certificate.pem.withUnsafeBytes { write($0, to: paths[0], mode: 0o644) }
            ?? keyPEM.withUnsafeBytes { write($0, to: paths[1], mode: 0o600) }
            ?? pkcs12.withUnsafeBytes { write($0, to: paths[2], mode: 0o600) }
            ?? passwordLine.withUnsafeBytes { write($0, to: paths[3], mode: 0o600) }
        if let failure { throw failure }
        return CreatedAuthority(
            directory: directory, certificatePath: paths[0], keyPath: paths[1], pkcs12Path: paths[2],
            passwordPath: paths[3], summary: authority.certificate.summary(alias: nil),
            fingerprintSHA256: authority.certificate.fingerprintSHA256, keyStorePassword: password)
    }

    private static func prepare(_ directory: String) throws(AuthorityFileError) {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                throw .cannotCreateDirectory(path: directory, reason: "a file of that name exists")
            }
            return
        }
        do {
            try FileManager.default.createDirectory(
                atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw .cannotCreateDirectory(path: directory, reason: "\(error.localizedDescription)")
        }
    }

    private static func isSymbolicLink(_ path: String) -> Bool {
        var status = stat()
        return lstat(path, &status) == 0 && status.st_mode & S_IFMT == S_IFLNK
    }

    /// Creates `path` with `mode` (O_EXCL: never someone else's file, never through a link); nil when written.
    private static func write(_ bytes: UnsafeRawBufferPointer, to path: String, mode: mode_t) -> AuthorityFileError? {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode)
        guard descriptor >= 0 else { return .cannotWrite(path: path, reason: String(cString: strerror(errno))) }
        defer { close(descriptor) }
        guard let base = bytes.baseAddress else { return nil }
        var offset = 0
        while offset < bytes.count {
            let written = Glibc.write(descriptor, base + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                return .cannotWrite(path: path, reason: String(cString: strerror(errno)))
            }
            offset += written
        }
        return nil
    }

    /// 32 random bytes as base64url: 256 bits, and no character that needs quoting anywhere.
    private static func randomPassword() -> String {
        var generator = SystemRandomNumberGenerator()
        var bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        defer { bytes.wipe() }
        return Base64URL.encode(bytes)
    }
}
