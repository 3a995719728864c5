// SPDX-License-Identifier: Apache-2.0
import Glibc

/// Which open file a descriptor names. A closed descriptor's number comes back for the next file opened,
/// so the number alone cannot tell whether a socket is still the one it was.
struct FileIdentity: Equatable {
    let device: UInt64
    let inode: UInt64

    /// Nil when `descriptor` is not open.
    init?(of descriptor: Int32) {
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { return nil }
        device = UInt64(status.st_dev)
        inode = UInt64(status.st_ino)
    }
}
