// SPDX-License-Identifier: Apache-2.0
import Glibc

public enum System {
    /// Cores this process may run on.
    public static var coreCount: Int {
        max(Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))), 1)
    }
}
