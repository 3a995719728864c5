// SPDX-License-Identifier: Apache-2.0
import Foundation

extension EchoUpstream {
    /// When the echo service received each request for `path`, in order (its `/stats` `arrivals`).
    func arrivals(of path: String) throws -> [Date] {
        struct Stats: Decodable { let arrivals: [String: [Double]] }
        let response = try HTTPClient(port: echoPort, timeout: .seconds(10)).exchange(HTTPRequest("GET", "/stats"))
        let stats = try JSONDecoder().decode(Stats.self, from: Data(response.body))
        return (stats.arrivals[path] ?? []).map(Date.init(timeIntervalSince1970:))
    }
}
