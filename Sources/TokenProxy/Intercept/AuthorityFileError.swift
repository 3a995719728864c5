// SPDX-License-Identifier: Apache-2.0

/// Why `token-proxy ca init` could not write a new CA.
public enum AuthorityFileError: Error, CustomStringConvertible, Equatable {
    /// Files of an earlier CA are there, and `--force` was not given.
    case exists(paths: [String])
    case cannotCreateDirectory(path: String, reason: String)
    case cannotWrite(path: String, reason: String)
    /// libcrypto could not make the key, the certificate or the PKCS12 file.
    case libcrypto(step: String, detail: String)

    public var description: String {
        switch self {
        case .exists(let paths):
            return "\(paths.joined(separator: ", ")) already exist\(paths.count == 1 ? "s" : ""): "
                + "client apps may trust that CA; choose another --out directory, or pass --force to replace it"
        case .cannotCreateDirectory(let path, let reason):
            return "cannot create the directory \(path): \(reason)"
        case .cannotWrite(let path, let reason):
            return "cannot write \(path): \(reason)"
        case .libcrypto(let step, let detail):
            return "cannot make the \(step): \(detail)"
        }
    }
}
