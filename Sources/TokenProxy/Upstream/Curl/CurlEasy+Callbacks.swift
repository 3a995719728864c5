// SPDX-License-Identifier: Apache-2.0
import CCurl
import Glibc

/// The C trampolines of `CurlEasy`. Each captures nothing, recovers the
/// `CurlEasy` from its userdata (unretained: the object owns the handle) and
/// calls its delegate.
/// - SeeAlso: https://curl.se/libcurl/c/CURLOPT_WRITEFUNCTION.html,
///   https://curl.se/libcurl/c/CURLOPT_HEADERFUNCTION.html, https://curl.se/libcurl/c/CURLOPT_READFUNCTION.html,
///   https://curl.se/libcurl/c/CURLOPT_SEEKFUNCTION.html
extension CurlEasy {
    func installCallbacks() {
        let userdata = Unmanaged.passUnretained(self).toOpaque()
        set(CURLOPT_HEADERDATA, pointer: userdata)
        set(CURLOPT_WRITEDATA, pointer: userdata)
        set(CURLOPT_READDATA, pointer: userdata)
        set(CURLOPT_SEEKDATA, pointer: userdata)
        ccurl_easy_setopt_header_function(handle) { data, size, count, userdata in
            CurlEasy.from(userdata: userdata).deliverHeaderLine(data, size * count)
        }
        ccurl_easy_setopt_write_function(handle) { data, size, count, userdata in
            CurlEasy.from(userdata: userdata).deliverBody(data, size * count)
        }
        ccurl_easy_setopt_read_function(handle) { data, size, count, userdata in
            CurlEasy.from(userdata: userdata).fillUpload(data, size * count)
        }
        ccurl_easy_setopt_seek_function(handle) { userdata, offset, origin in
            CurlEasy.from(userdata: userdata).rewindUpload(offset: offset, origin: origin)
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

    private func fillUpload(_ data: UnsafeMutablePointer<CChar>?, _ length: Int) -> Int {
        guard let delegate, let data else { return ccurl_read_abort }
        switch delegate.curlEasy(self, readUploadInto: UnsafeMutableRawBufferPointer(start: data, count: length)) {
        case .bytes(let count): return count
        case .end: return 0
        case .pause: return ccurl_read_pause
        case .abort: return ccurl_read_abort
        }
    }

    /// curl seeks only to resend a body from its start (a connection that died before the answer).
    private func rewindUpload(offset: curl_off_t, origin: Int32) -> Int32 {
        guard offset == 0, origin == SEEK_SET, let delegate, delegate.curlEasyRewindUpload(self) else {
            return ccurl_seek_cantseek
        }
        return ccurl_seek_ok
    }
}
