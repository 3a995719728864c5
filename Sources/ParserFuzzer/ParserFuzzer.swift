// SPDX-License-Identifier: Apache-2.0
import Foundation
import TokenProxy

/// Feeds arbitrary bytes to the request parser, body framing and chunked decoder, whole and in pieces, and
/// stops the process when they crash, break a promise about consumed bytes, or read the same bytes differently
/// depending on how they were split: a difference between two reads of one stream is how requests get smuggled.
enum ParserFuzzer {
    /// Small limits, so that the fuzzer reaches every limit with short inputs.
    static let limits = ParserLimits(
        maxHeadBytes: 2048, maxHeaderCount: 8, maxRequestLineBytes: 256, maxChunkSizeDigits: 16,
        maxChunkExtensionBytes: 32, maxTrailerBytes: 128)

    /// Checks one input; returns what the whole-buffer read made of it.
    @discardableResult
    static func check(_ input: UnsafeRawBufferPointer) -> StreamReading {
        var whole = RequestStream(limits: limits)
        whole.receive(input)

        var byteByByte = RequestStream(limits: limits)
        for index in input.indices {
            byteByByte.receive(UnsafeRawBufferPointer(rebasing: input[index..<index + 1]))
        }
        precondition(byteByByte.reading == whole.reading, "byte-by-byte read differs from the whole-buffer read")

        // Pieces of 1 to 64 bytes, sized by a generator seeded from the input, so a crash replays exactly.
        var pieces = RequestStream(limits: limits)
        var random = SplitMix64(seed: input.reduce(UInt64(input.count)) { $0 &* 31 &+ UInt64($1) })
        var start = 0
        while start < input.count {
            let end = min(input.count, start + Int(random.next() % 64) + 1)
            pieces.receive(UnsafeRawBufferPointer(rebasing: input[start..<end]))
            start = end
        }
        precondition(pieces.reading == whole.reading, "read in random pieces differs from the whole-buffer read")
        return whole.reading
    }
}

/// A tiny deterministic generator (SplitMix64) for split points.
struct SplitMix64 {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }
}

/// The entry point: libFuzzer's driver with `-DFUZZING`, else a replay of corpus files.
///
/// SwiftPM links an executable's `main` to this module's entry point, so libFuzzer's own `main` is never
/// used; its driver is started from here instead (`LLVMFuzzerRunDriver`, libFuzzer's API for that case).
@main
struct ParserFuzzerCommand {
    static func main() throws {
        #if FUZZING
            var argc = CommandLine.argc
            var argv = CommandLine.unsafeArgv
            exit(
                runFuzzerDriver(&argc, &argv) { data, size in
                    ParserFuzzer.check(UnsafeRawBufferPointer(start: data, count: size))
                    return 0
                })
        #else
            try replay(CommandLine.arguments.dropFirst())
        #endif
    }

    /// Checks each file given, or each file in each directory given, and prints what the parsers made of it.
    private static func replay(_ paths: ArraySlice<String>) throws {
        guard !paths.isEmpty else {
            print("usage: ParserFuzzer FILE_OR_DIRECTORY...  (build with -DFUZZING for libFuzzer)")
            exit(2)
        }
        for file in try paths.flatMap(files(in:)) {
            guard let bytes = FileManager.default.contents(atPath: file) else {
                print("\(file): cannot be read")
                exit(1)
            }
            let reading = bytes.withUnsafeBytes { ParserFuzzer.check($0) }
            print("\(file): \(reading.requests.count) request(s), \(reading.ending)")
        }
    }

    /// `path` itself, or the files in it when it is a directory, sorted.
    private static func files(in path: String) throws -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
            return [path]
        }
        return try FileManager.default.contentsOfDirectory(atPath: path).sorted().map { "\(path)/\($0)" }
    }
}

#if FUZZING
    /// libFuzzer's driver: parses libFuzzer's flags from the arguments and calls `body` with each input.
    @_silgen_name("LLVMFuzzerRunDriver")
    private func runFuzzerDriver(
        _ argc: UnsafeMutablePointer<CInt>,
        _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
        _ body: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
    ) -> CInt
#endif
