// SPDX-License-Identifier: Apache-2.0

/// The demo's upstream API: answers every request with a JSON description of
/// what it received, so the injected `Authorization` header can be seen.
final class DemoEchoUpstream: RequestHandler, RequestResponder, Sendable {
    func respond(to request: ClientRequest, sink: ResponseSink) {
        let headers = request.head.headers.map { "\(JSONText.quoted($0.name)):\(JSONText.quoted($0.value))" }
        let body = """
            {"method":\(JSONText.quoted(request.head.method)),"path":\(JSONText.quoted(request.head.target)),\
            "headers":{\(headers.joined(separator: ","))},"bodyBytes":\(request.body?.count ?? 0)}

            """
        sink.respond(status: 200, headers: HTTPHeaders([("Content-Type", "application/json")]), body: Array(body.utf8))
    }
}
