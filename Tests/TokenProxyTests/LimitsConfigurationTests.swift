// SPDX-License-Identifier: Apache-2.0
import Testing

@testable import TokenProxy

@Suite struct LimitsConfigurationTests {
    private func config(limits: String) -> String {
        """
        limits:
        \(limits)
        routes:
          - name: api
            upstream: https://api.example.com
        """
    }

    @Test func theDefaultsFitA128MiBContainer() throws {
        let limits = try loadConfig(ConfigurationLoaderTests.minimal).limits
        #expect(limits.maxBodyBytes == nil)
        #expect(limits.replayBufferBytes == 1 << 20)
        #expect(limits.replayBudgetBytes == 32 << 20)
        #expect(limits.responseBudgetBytes == 32 << 20)
    }

    @Test func theBudgetsCanBeSet() throws {
        let limits = try loadConfig(
            config(
                limits: """
                      replayBufferBytes: 65536
                      replayBudgetBytes: 1048576
                      responseBudgetBytes: 4194304
                      maxBodyBytes: 0
                    """)
        ).limits
        #expect(limits.replayBufferBytes == 65536)
        #expect(limits.replayBudgetBytes == 1_048_576)
        #expect(limits.responseBudgetBytes == 4_194_304)
        #expect(limits.maxBodyBytes == 0)
    }

    @Test func aNegativeBudgetIsRefusedNamingTheKey() {
        let message = configFailure(config(limits: "  responseBudgetBytes: -1"))
        #expect(message.contains("responseBudgetBytes"))
        #expect(message.contains("at least 0"))
    }
}
