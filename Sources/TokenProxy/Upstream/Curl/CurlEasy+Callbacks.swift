// SPDX-License-Identifier: Apache-2.0
import CCurl

/// The C trampolines of `CurlEasy`. Each captures nothing, recovers the
/// `CurlEasy` from its userdata (unretained: the object owns the handle) and
/// calls its delegate.
/// - SeeAlso: https://curl.se/libcurl/c/CURLOPT_WRITEFUNCTION.html,
///   https://curl.se/libcurl/c/CURLOPT_HEADERFUNCTION.html
extension CurlEasy {
    func installCallbacks() {
        let userdata = Unmanaged.passUnretained(self).toOpaque()
        set(CURLOPT_HEADERDATA, pointer: userdata)
        set(CURLOPT_WRITEDATA, pointer: userdata)
        ccurl_easy_setopt_header_function(handle) { data, size, count, userdata in
            CurlEasy.from(userdata: userdata).deliverHeaderLine(data, size * count)
        }
        ccurl_easy_setopt_write_function(handle) { data, size, count, userdata in
            CurlEasy.from(userdata: userdata).deliverBody(data, size * count)
        }
    }

    private static func from(userdata: UnsafeMutableRawPointer?) -> CurlEasy {
        Unmanaged<CurlEasy>.fromOpaque(userdata!).takeUnretainedValue()
    }

    private func deliverHeaderLine(_ data: UnsafeMutablePointer<CChar>?, _ length: Int) -> Int {
        guard let delegate else { return 0 }
        delegate.curlEasy(self, didReceiveHeaderLine: UnsafeRawBufferPointer(start: data, count: length))
        return length
    }

    private func deliverBody(_ data: UnsafeMutablePointer<CChar>?, _ length: Int) -> Int {
        // No delegate means the exchange was abandoned: returning less than `length` stops the transfer.
        guard let delegate else { return 0 }
        let accepted = delegate.curlEasy(self, didReceiveBody: UnsafeRawBufferPointer(start: data, count: length))
        return accepted ? length : ccurl_write_pause
    }
}
