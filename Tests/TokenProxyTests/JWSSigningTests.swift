// SPDX-License-Identifier: Apache-2.0
import CCrypto
import Foundation
import Testing

@testable import TokenProxy

/// JWS signing against RFC 7515 Appendix A, and the JOSE encodings under it.
@Suite struct JWSSigningTests {
    /// RFC 7515 A.2.1's RSA key (from its JWK), as PKCS#8.
    static let rfcRSAKey = """
        -----BEGIN PRIVATE KEY-----
        MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQCh+BYK4uPJtGXO
        jS1lYmM2K5J9vinh8CR3/BYlzJChNuOL2TSXxbbqY913EeZ8dCn5VrD7io8ImtxL
        aYk8wTM/U+3QGbh3hCUv7JFP5IV3aVlL6kKA0ywPVb9ilE8TA5a8bpvfbr3SvaNn
        juygxmj3AbONv/s4yDQs4v5tJ/reSlpIdJed1LnPmt7Ex1sFhSwsD174pcF1A5L5
        ROjtZMEQxrZHYJqkeDrrnGya11UxMFBji4NmXG9veoKjlnAqH2QbgtPr8jkiGUkf
        toaHLFcW9Qr4NY2ai50Xw0Byj3+H2JoY2PyrZ62EWQwuz3WTOTY8BwNNb2BvniHg
        VFbK5emhAgMBAAECggEAEq5xpGnNCivDflJsRQBXHx1hdR1k6Ulwe2JZD50LpXyW
        PEAeP88vLNO97IjlA7/GQ5sLKMgvfTeXZx9SE+7YwVol2NXOoAJe46sui395IW/G
        O+pWJ1O0BkTGoVEn2bKVRUCgu+GjBVaYLU6f3l9kJfFNS3E0QbVdxzubSu3Mkqzj
        kn439X0M/V51gfpRLI9JYanrC4D4qAdGcopV/0ZHHzQlBjudU2QvXt4ehNYTCBr6
        XCLQUShb1juUO1ZdiYoFaFQT5Tw8bGUl/x/jTj3ccPDVZFD9pIuhLhBOneufuBiB
        4cS98l2SR/RQyGWSeWjnczT0QU91p1DhOVRuOopznQKBgQDgHMQQ60imZV1URk0K
        pLttoLhyt3SmqdEf/kgHePDdtzEafpAu+cS191R2JiuoF2yzWXnwFDcqGigp5BNr
        0AHQfD8/Lk8l1Mk09jxxCfui5nYooNyac8YFjm3vItzVCVDnEd3BbVWG8qf6deqE
        lMGAg+C2V0L4oNXnP7LZcPAZRwKBgQC5A8R+CZW2MvRTLLHzwZkUXV866cff7tx6
        kqa0finGG0KgeqlaZPxgCZnFp7AeAcCMtiynVlJ7vMVgePsLq6XtON4tB5kP9jAP
        rq3rbAOal78eUH5OcED6eNuCV8ixEu1eWcPNCS/l1OW1EnXUEoEHKl54Xrrz2uNw
        kgMTP1FZ1wKBgAcCn1dwJKufzBWQxWQp1vsM5fggqPN1qGb5y0MAk3g7/Ls5bkUp
        5u9SN0Ai3Ya6hNnvWJMb7sXQX6U/zyO2M/hTip7tUeh7CXgwo59dkpN75gJLVds2
        9+DAncu3KXU4f2Fa+7bLNrur53k8KwPOq2bbuTG69QtV7Jr5MR0AHWKNAoGBAIf/
        evpitUf+4JYbLpvNXWcY052Mpz22aR84mY3nh3F2LF2mjMJDpTg7FmuyPcVw6EcG
        yoAe9fa65iNqCq+jdw6PVNGo2hxfjSiZ8IIzHdsPXI89//pMjZcQK9r+CCoRjaZj
        OYiIDktVWZzmevJuv6WywUqd57LE3Zar3dLSIkx1AoGAIYd7DHOhrWvxkwPQsRM2
        tOgrjbcrfvtQJipd+DlcxyVuuM9sQLdgjVk2oy26F0EmpScGLq2MowX7fhd/QJQ3
        ydy5cY7YIBi87w93IKLEdfnbJtoOPLUW0ITrJReOgo1cq9SbsxYawBgfp/gh6A56
        03k2+ZQwVK0JKSHuLFkuQ3U=
        -----END PRIVATE KEY-----
        """

    /// RFC 7515 A.3.1's P-256 key (from its JWK), as PKCS#8.
    static let rfcECKey = """
        -----BEGIN PRIVATE KEY-----
        MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgjpsQnnGQmL+YBIff
        H1136cspYG6+0iY7X1fCE9+E9LKhRANCAAR/zc4ncPbEXUGDy+5v20t7WAczNXvp
        7xO6z248e9FURcfxRM0bvZt+hyzf7bnuufSzaV1uqQskrYpGIyiFiOWt
        -----END PRIVATE KEY-----
        """

    /// The payload of Appendix A: `{"iss":"joe",\r\n "exp":1300819380,\r\n "http://example.com/is_root":true}`.
    static let rfcPayload =
        "eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ"

    static func key(_ pem: String) throws -> PrivateKey {
        try PrivateKey.decodePEM(Array(pem.utf8), password: "").get()
    }

    @Test func rs256SignsAppendixA2ByteForByte() throws {
        let signer = try #require(JWSSigner(key: Self.key(Self.rfcRSAKey), algorithm: .rs256))
        let signature = try #require(signer.sign(Array(("eyJhbGciOiJSUzI1NiJ9." + Self.rfcPayload).utf8)))
        #expect(
            Base64URL.encode(signature)
                == "cC4hiUPoj9Eetdgtv3hF80EGrhuB__dzERat0XF9g2VtQgr9PJbu3XOiZj5RZmh7"
                + "AAuHIm4Bh-0Qc_lF5YKt_O8W2Fp5jujGbds9uJdbF9CUAr7t1dnZcAcQjbKBYNX4"
                + "BAynRFdiuB--f_nZLgrnbyTyWzO75vRK5h6xBArLIARNPvkSjtQBMHlb1L07Qe7K"
                + "0GarZRmB_eSN9383LcOLn6_dO--xi12jzDwusC-eOkHWEsqtFZESc6BfI7noOPqv"
                + "hJ1phCnvWh6IeYI2w9QOYEUipUTI8np6LbgGY9Fs98rqVt5AXLIhWkWywlVmtVrB"
                + "p0igcN_IoypGlUPQGe77Rw")
    }

    @Test func appendixA3SignatureVerifiesAndOwnES256SignaturesDoToo() throws {
        let key = try Self.key(Self.rfcECKey)
        let input = Array(("eyJhbGciOiJFUzI1NiJ9." + Self.rfcPayload).utf8)
        let rfcSignature = try #require(
            Base64URL.decode(
                "DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSApmWQxfKTUJqPP3-Kg6NU1Q"))
        #expect(Self.verify(rfcSignature, of: input, key: key, algorithm: .es256))
        var tampered = rfcSignature
        tampered[63] ^= 1
        #expect(!Self.verify(tampered, of: input, key: key, algorithm: .es256))

        let signer = try #require(JWSSigner(key: key, algorithm: .es256))
        let own = try #require(signer.sign(input))
        #expect(own.count == 64)
        #expect(Self.verify(own, of: input, key: key, algorithm: .es256))
    }

    @Test func ps256SignaturesVerifyWithPSSPadding() throws {
        let key = try Self.key(Self.rfcRSAKey)
        let input = Array("header.payload".utf8)
        let signature = try #require(JWSSigner(key: key, algorithm: .ps256)?.sign(input))
        #expect(signature.count == 256)
        #expect(Self.verify(signature, of: input, key: key, algorithm: .ps256))
        #expect(!Self.verify(signature, of: input, key: key, algorithm: .rs256))
    }

    @Test func hs256IsHMACWithSHA256() throws {
        // RFC 4231 test case 2.
        let signer = try #require(JWSSigner(hmacSecret: Secret("Jefe")))
        let mac = try #require(signer.sign(Array("what do ya want for nothing?".utf8)))
        #expect(mac.hexEncoded() == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
    }

    @Test func algorithmsFollowTheKey() throws {
        #expect(JWSSigner.algorithms(for: try Self.key(Self.rfcRSAKey)) == [.rs256, .ps256])
        #expect(JWSSigner.algorithms(for: try Self.key(Self.rfcECKey)) == [.es256])
        #expect(JWSSigner(key: try Self.key(Self.rfcECKey), algorithm: .rs256) == nil)
        #expect(JWSSigner(key: try Self.key(Self.rfcRSAKey), algorithm: .es384) == nil)
    }

    @Test func base64URLHasNoPaddingAndTheURLAlphabet() {
        #expect(Base64URL.encode([0xFB, 0xFF]) == "-_8")
        #expect(Base64URL.encode(Array("{\"alg\":\"RS256\"}".utf8)) == "eyJhbGciOiJSUzI1NiJ9")
        #expect(Base64URL.decode("-_8") == [0xFB, 0xFF])
        #expect(
            Base64URL.decode("eyJhbGciOiJSUzI1NiJ9").map { String(decoding: $0, as: UTF8.self) } == #"{"alg":"RS256"}"#)
        for invalid in ["a", "+_8", "-/8", "ab==", "a$b="] {
            #expect(Base64URL.decode(invalid) == nil, "\(invalid)")
        }
    }

    @Test func derSignaturesBecomeFixedWidthRAndS() {
        // r with a sign byte (0x00 0x80...), s short by one byte: both come out 32 bytes.
        let r = [0x00, 0x80] + [UInt8](repeating: 1, count: 31)
        let s = [UInt8](repeating: 2, count: 31)
        let der = [0x30, UInt8(4 + r.count + s.count), 0x02, UInt8(r.count)] + r + [0x02, UInt8(s.count)] + s
        #expect(
            ECDSASignature.jose(fromDER: der, coordinateLength: 32)
                == [0x80] + [UInt8](repeating: 1, count: 31) + [0] + [UInt8](repeating: 2, count: 31))
        #expect(ECDSASignature.jose(fromDER: der, coordinateLength: 16) == nil)
        #expect(ECDSASignature.jose(fromDER: der + [0], coordinateLength: 32) == nil)
        #expect(ECDSASignature.jose(fromDER: [0x30, 0x03, 0x02, 0x01, 0x81], coordinateLength: 32) == nil)
    }

    /// Verifies a JWS signature with libcrypto, turning ECDSA's `r || s` back into DER first.
    static func verify(_ signature: [UInt8], of input: [UInt8], key: PrivateKey, algorithm: JWSAlgorithm) -> Bool {
        let encoded = algorithm.coordinateLength == nil ? signature : derSignature(signature)
        return key.withHandle { handle in
            input.withUnsafeBufferPointer { data in
                encoded.withUnsafeBufferPointer { bytes in
                    tp_crypto_digest_verify(
                        handle, algorithm == .es384 ? EVP_sha384() : EVP_sha256(), algorithm == .ps256 ? 1 : 0,
                        data.baseAddress, data.count, bytes.baseAddress, bytes.count) == 1
                }
            }
        }
    }

    private static func derSignature(_ jose: [UInt8]) -> [UInt8] {
        func integer(_ bytes: ArraySlice<UInt8>) -> [UInt8] {
            var magnitude = Array(bytes.drop { $0 == 0 })
            if magnitude.first.map({ $0 & 0x80 != 0 }) ?? true { magnitude.insert(0, at: 0) }
            return [0x02, UInt8(magnitude.count)] + magnitude
        }
        let half = jose.count / 2
        let body = integer(jose[..<half]) + integer(jose[half...])
        return [0x30, UInt8(body.count)] + body
    }
}
