// SPDX-License-Identifier: Apache-2.0

/// An ECDSA signature turned from libcrypto's DER `ECDSA-Sig-Value` into the
/// fixed-width `r || s` that JWS requires (RFC 7518 section 3.4).
enum ECDSASignature {
    /// Nil when `der` is not a SEQUENCE of two INTEGERs that fit `coordinateLength` bytes each.
    static func jose(fromDER der: [UInt8], coordinateLength: Int) -> [UInt8]? {
        var outer = DERReader(der[...])
        guard let sequence = outer.read(DERReader.sequence), outer.isAtEnd else { return nil }
        var inner = DERReader(sequence.content)
        guard let r = inner.read(DERReader.integer), let s = inner.read(DERReader.integer), inner.isAtEnd,
            let left = fixedWidth(r.content, coordinateLength), let right = fixedWidth(s.content, coordinateLength)
        else { return nil }
        return left + right
    }

    /// A non-negative INTEGER's content, its sign byte dropped, left-padded with zeros.
    private static func fixedWidth(_ integer: ArraySlice<UInt8>, _ length: Int) -> [UInt8]? {
        let magnitude = integer.drop { $0 == 0 }
        guard magnitude.count <= length, integer.first.map({ $0 & 0x80 == 0 }) ?? false else { return nil }
        return [UInt8](repeating: 0, count: length - magnitude.count) + magnitude
    }
}
