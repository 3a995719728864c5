// SPDX-License-Identifier: Apache-2.0
import CCurl

/// The C trampolines of `CurlMulti`. Each captures nothing, recovers the
/// `CurlMulti` from its userdata (unretained: the multi owns the handle and
/// outlives its transfers) and calls a named method.
/// - SeeAlso: https://curl.se/libcurl/c/CURLMOPT_SOCKETFUNCTION.html,
///   https://curl.se/libcurl/c/CURLMOPT_TIMERFUNCTION.html,
///   https://curl.se/libcurl/c/CURLOPT_CLOSESOCKETFUNCTION.html
extension CurlMulti {
    func installCallbacks() {
        let userdata = Unmanaged.passUnretained(self).toOpaque()
        ccurl_multi_setopt_socket_function(
            handle,
            { easy, socket, what, userdata, _ in
                CurlMulti.from(userdata: userdata).watchSocket(socket, what: what, for: easy)
                return 0
            }, userdata)
        ccurl_multi_setopt_timer_function(
            handle,
            { _, milliseconds, userdata in
                CurlMulti.from(userdata: userdata).scheduleTimeout(milliseconds: milliseconds)
                return 0
            }, userdata)
    }

    func installCloseSocketCallback(on easy: CurlEasy) {
        ccurl_easy_setopt_closesocket_function(easy.handle) { userdata, socket in
            CurlMulti.from(userdata: userdata).closeSocket(socket)
            return 0
        }
    }

    private static func from(userdata: UnsafeMutableRawPointer?) -> CurlMulti {
        Unmanaged<CurlMulti>.fromOpaque(userdata!).takeUnretainedValue()
    }
}
