// SPDX-License-Identifier: Apache-2.0
import CCurl
import Foundation

/// Receives what one curl transfer delivers. Called on the owning loop's queue,
/// from inside curl's callbacks: implementations must not add or remove handles.
protocol CurlEasyDelegate: AnyObject {
    /// One header line as curl delivers it (status lines and the final empty line included).
    func curlEasy(_ easy: CurlEasy, didReceiveHeaderLine line: UnsafeRawBufferPointer)
    /// Body bytes; return `false` to pause the transfer (the bytes are delivered again after `resume()`).
    func curlEasy(_ easy: CurlEasy, didReceiveBody bytes: UnsafeRawBufferPointer) -> Bool
    /// Fills `buffer` with the next bytes of the request body.
    func curlEasy(_ easy: CurlEasy, readUploadInto buffer: UnsafeMutableRawBufferPointer) -> CurlUploadRead
    /// Starts the request body over from its first byte; false when it cannot be sent again.
    func curlEasyRewindUpload(_ easy: CurlEasy) -> Bool
}

/// What curl's read callback answers.
enum CurlUploadRead: Equatable {
    case bytes(Int)
    /// The body is complete.
    case end
    /// Nothing yet: the transfer pauses until `CurlEasy.resume()`.
    case pause
    /// The body cannot be completed: the transfer fails.
    case abort
}

/// One libcurl easy handle.
///
/// Confined to the queue of the `CurlMulti` it runs on; it owns the handle, the
/// header list, the request body and the error buffer, and frees them in `deinit`.
/// - SeeAlso: https://curl.se/libcurl/c/curl_easy_setopt.html
final class CurlEasy {
    let handle: UnsafeMutableRawPointer
    weak var delegate: CurlEasyDelegate?

    private let errorBuffer: UnsafeMutablePointer<CChar>
    /// The request header list: its nodes and text in one allocation, which curl reads but never frees.
    private var headerList: UnsafeMutableRawPointer?
    private var body: UnsafeMutableRawBufferPointer?
    /// The anchors the SSL context callback installs, kept while the handle may connect with them.
    private var trustAnchors: TrustAnchors?

    init() {
        CurlRuntime.ensureInitialized()
        guard let handle = curl_easy_init() else {
            fatalError("curl_easy_init returned NULL: out of memory")
        }
        self.handle = handle
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE))
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
        applyBaseOptions()
    }

    /// Forgets the last transfer's options, header list, body and delegate, ready for another
    /// transfer. The handle keeps its buffers, which is what makes reusing it cheaper than a new one.
    func reset() {
        curl_easy_reset(handle)
        headerList?.deallocate()
        headerList = nil
        body?.deallocate()
        body = nil
        trustAnchors = nil
        delegate = nil
        errorBuffer[0] = 0
        applyBaseOptions()
    }

    /// The options every transfer of this handle needs, whatever its request.
    private func applyBaseOptions() {
        set(CURLOPT_ERRORBUFFER, pointer: UnsafeMutableRawPointer(errorBuffer))
        set(CURLOPT_PRIVATE, pointer: Unmanaged.passUnretained(self).toOpaque())
        set(CURLOPT_NOSIGNAL, 1)
        applyReceiveBufferSize()
        installCallbacks()
    }

    /// How much curl reads from an upstream socket at once; curl's default is 16 KiB.
    static let receiveBufferSize = 64 * 1024

    /// Asks for a `receiveBufferSize` receive buffer: a 64 KiB plain response then takes 2 `recv` and
    /// 1 `poll` instead of 5 and 6. libcurl 7.88 refuses a new size while the handle still holds its
    /// buffer, which it frees at the end of every completed transfer but not after some failures; the
    /// next transfer then runs with the 16 KiB buffer, which is only slower, so the refusal is ignored.
    private func applyReceiveBufferSize() {
        _ = ccurl_easy_setopt_long(handle, CURLOPT_BUFFERSIZE, Self.receiveBufferSize)
    }

    deinit {
        curl_easy_cleanup(handle)
        headerList?.deallocate()
        body?.deallocate()
        errorBuffer.deallocate()
    }

    /// The object behind a handle that `CurlMulti` reports as done.
    static func from(handle: UnsafeMutableRawPointer) -> CurlEasy {
        var pointer: UnsafeMutableRawPointer?
        ccurl_easy_getinfo_pointer(handle, CURLINFO_PRIVATE, &pointer)
        return Unmanaged<CurlEasy>.fromOpaque(pointer!).takeUnretainedValue()
    }

    // MARK: Options

    /// Sets an option whose value token-proxy controls; a failure is a programming error.
    func set(_ option: CURLoption, _ value: Int) {
        let code = ccurl_easy_setopt_long(handle, option, value)
        precondition(code == CURLE_OK, "curl option \(option.rawValue) rejected: \(code.rawValue)")
    }

    func set(_ option: CURLoption, _ value: String) {
        // curl copies string options (since 7.17.0), so the temporary C string may go.
        let code = value.withCString { ccurl_easy_setopt_string(handle, option, $0) }
        precondition(code == CURLE_OK, "curl option \(option.rawValue) rejected: \(code.rawValue)")
    }

    func set(_ option: CURLoption, pointer: UnsafeMutableRawPointer?) {
        let code = ccurl_easy_setopt_pointer(handle, option, pointer)
        precondition(code == CURLE_OK, "curl option \(option.rawValue) rejected: \(code.rawValue)")
    }

    func setLargeSize(_ option: CURLoption, _ value: Int) {
        let code = ccurl_easy_setopt_off_t(handle, option, curl_off_t(value))
        precondition(code == CURLE_OK, "curl option \(option.rawValue) rejected: \(code.rawValue)")
    }

    /// Sets a `CURLOPT_*_BLOB` option; curl keeps its own copy.
    func set(_ option: CURLoption, blob: UnsafeRawBufferPointer) {
        let code = ccurl_easy_setopt_blob(handle, option, blob.baseAddress, blob.count)
        precondition(code == CURLE_OK, "curl blob option \(option.rawValue) rejected: \(code.rawValue)")
    }

    /// Replaces the request header list (`CURLOPT_HTTPHEADER`). One allocation holds the
    /// list's nodes and text, where `curl_slist_append` makes two per line.
    func setHeaderLines(_ lines: CurlHeaderLines) {
        headerList?.deallocate()
        headerList = nil
        var first: UnsafeMutablePointer<curl_slist>?
        if lines.count > 0 {
            let nodesSize = MemoryLayout<curl_slist>.stride * lines.count
            let storage = UnsafeMutableRawPointer.allocate(
                byteCount: nodesSize + lines.text.count, alignment: MemoryLayout<curl_slist>.alignment)
            let nodes = storage.bindMemory(to: curl_slist.self, capacity: lines.count)
            let text = lines.text.withUnsafeBytes { bytes in
                let text = storage + nodesSize
                text.copyMemory(from: bytes.baseAddress!, byteCount: bytes.count)
                return text.bindMemory(to: CChar.self, capacity: bytes.count)
            }
            for (index, start) in lines.lineStarts.enumerated() {
                let next = index + 1 < lines.count ? nodes + index + 1 : nil
                (nodes + index).initialize(to: curl_slist(data: text + start, next: next))
            }
            headerList = storage
            first = nodes
        }
        let code = ccurl_easy_setopt_slist(handle, CURLOPT_HTTPHEADER, first)
        precondition(code == CURLE_OK, "CURLOPT_HTTPHEADER rejected: \(code.rawValue)")
    }

    /// Sends `bytes` as the request body (`CURLOPT_POSTFIELDS`, not copied by curl, so kept here).
    func setBody(_ bytes: [UInt8]) {
        body?.deallocate()
        let storage = UnsafeMutableRawBufferPointer.allocate(byteCount: max(bytes.count, 1), alignment: 1)
        bytes.withUnsafeBytes { storage.copyMemory(from: $0) }
        body = storage
        setLargeSize(CURLOPT_POSTFIELDSIZE_LARGE, bytes.count)
        set(CURLOPT_POSTFIELDS, pointer: storage.baseAddress)
    }

    /// Verifies the peers of new TLS connections against `anchors` alone (`CURLOPT_SSL_CTX_FUNCTION`).
    func verifyPeers(against anchors: TrustAnchors) {
        trustAnchors = anchors
        let code = ccurl_easy_setopt_ssl_ctx_function(
            handle,
            { _, sslContext, userdata in
                Unmanaged<TrustAnchors>.fromOpaque(userdata!).takeUnretainedValue().install(on: sslContext!)
                return CURLE_OK
            }, Unmanaged.passUnretained(anchors).toOpaque())
        precondition(code == CURLE_OK, "CURLOPT_SSL_CTX_FUNCTION rejected: \(code.rawValue)")
    }

    // MARK: Transfer state

    /// Lets a paused transfer continue; curl may call the delegate before this returns.
    func resume() {
        curl_easy_pause(handle, Int32(ccurl_pause_continue))
    }

    /// curl's message for the last failure, or "" when it wrote none.
    private var errorMessage: String {
        String(cString: errorBuffer).trimmingCharacters(in: .newlines)
    }

    /// The last transfer's failure with `code`, with what curl knows about it beyond the code:
    /// the chained proxy's answer to `CONNECT`, the system call's `errno` and the certificate check.
    func failure(_ code: CURLcode) -> CurlError {
        CurlError(
            code: code, message: errorMessage, connectCode: longInfo(CURLINFO_HTTP_CONNECTCODE),
            osErrno: Int32(truncatingIfNeeded: longInfo(CURLINFO_OS_ERRNO)),
            verifyResult: longInfo(CURLINFO_SSL_VERIFYRESULT))
    }

    private func longInfo(_ info: CURLINFO) -> Int {
        Self.longInfo(info, handle: handle)
    }

    private static func longInfo(_ info: CURLINFO, handle: UnsafeMutableRawPointer) -> Int {
        var value = 0
        ccurl_easy_getinfo_long(handle, info, &value)
        return value
    }

    /// Whether the transfer on `handle` has received a response status (curl clears it when a transfer starts).
    static func hasResponse(handle: UnsafeMutableRawPointer) -> Bool {
        longInfo(CURLINFO_RESPONSE_CODE, handle: handle) > 0
    }

    /// Whether the transfer ran on a connection from the cache rather than one it opened.
    var reusedConnection: Bool {
        longInfo(CURLINFO_NUM_CONNECTS) == 0
    }

    /// The HTTP version the last response came with, e.g. "1.1" or "2".
    var negotiatedHTTPVersion: String {
        switch longInfo(CURLINFO_HTTP_VERSION) {
        case CURL_HTTP_VERSION_1_0: return "1.0"
        case CURL_HTTP_VERSION_2_0: return "2"
        case CURL_HTTP_VERSION_3: return "3"
        default: return "1.1"
        }
    }
}
