// SPDX-License-Identifier: Apache-2.0

/// The demo's upstream API: answers every request with a JSON description of
/// what it received, so the injected `Authorization` header can be seen.
final class DemoEchoUpstream: RequestHandler, WholeBodyResponder, Sendable {
    func respond(to head: RequestHead, body: [UInt8], sink: ResponseSink) {
        let headers = head.headers.map { "\(JSONText.quoted($0.name)):\(JSONText.quoted($0.value))" }
        let echo = """
            {"method":\(JSONText.quoted(head.method)),"path":\(JSONText.quoted(head.target)),\
            "headers":{\(headers.joined(separator: ","))},"bodyBytes":\(body.count)}

            """
        sink.respond(status: 200, headers: HTTPHeaders([("Content-Type", "application/json")]), body: Array(echo.utf8))
    }
}
