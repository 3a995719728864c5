// SPDX-License-Identifier: Apache-2.0
import Glibc

/// A failed system call, with the operation and `errno` it failed with.
public struct SystemError: Error, Equatable, CustomStringConvertible {
    public let operation: String
    public let errno: Int32

    public init(operation: String, errno: Int32) {
        self.operation = operation
        self.errno = errno
    }

    public var description: String { "\(operation) failed: \(String(cString: strerror(errno)))" }
}

/// The outcome of a system call on a non-blocking descriptor.
enum IOResult<Value> {
    case done(Value)
    case wouldBlock
}

/// Runs a system call that returns -1 and sets `errno` on failure: retries on
/// `EINTR`, reports `EAGAIN` as `.wouldBlock`, and throws anything else.
/// `EBADF` and `EFAULT` mean a bug in token-proxy, not a condition to handle.
func systemCall<Value: FixedWidthInteger>(
    _ operation: String, _ body: () -> Value
) throws(SystemError) -> IOResult<Value> {
    while true {
        let result = body()
        if result >= 0 { return .done(result) }
        let code = Glibc.errno
        switch code {
        case EINTR:
            continue
        case EAGAIN, EWOULDBLOCK:
            return .wouldBlock
        case EBADF, EFAULT:
            preconditionFailure("\(operation) on an invalid descriptor or buffer: errno \(code)")
        default:
            throw SystemError(operation: operation, errno: code)
        }
    }
}
