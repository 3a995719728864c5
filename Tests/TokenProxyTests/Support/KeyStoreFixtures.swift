// SPDX-License-Identifier: Apache-2.0
import Foundation

@testable import TokenProxy

/// Key stores made by `openssl` and `keytool` once per test run, in a temporary
/// directory. EC P-256 keys keep generation fast; one RSA key covers RSA.
///
/// CA "Test Root CA" signs "Test Intermediate CA" and the RSA client "test-client";
/// the intermediate signs the EC client "test-client-ec". "Test RSA CA" (30 days)
/// signs nothing: it is an interception CA, like the root as `ca-identity.pem`.
enum KeyStoreFixtures {
    static let password = "changeit"
    static let keyPassword = "keypass99"
    static let pemPassword = "pemsecret"

    struct GenerationFailed: Error, CustomStringConvertible {
        let description: String
    }

    /// The directory, generated on first use; later callers share it.
    static let directory: Result<String, GenerationFailed> = generate()

    /// The path of a generated file; throws when generation failed.
    static func path(_ name: String) throws -> String {
        try directory.get() + "/" + name
    }

    private static func generate() -> Result<String, GenerationFailed> {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("token-proxy-keystores-\(ProcessInfo.processInfo.processIdentifier)")
        do {
            try? FileManager.default.removeItem(at: directory)
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let result = try Shell.run(script, in: directory.path)
            guard result.status == 0 else {
                return .failure(GenerationFailed(description: "fixture script failed: \(result.output)"))
            }
            return .success(directory.path)
        } catch {
            return .failure(GenerationFailed(description: "cannot run the fixture script: \(error)"))
        }
    }

    private static let script = #"""
        set -euo pipefail
        PW=changeit
        ec() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1"; }
        sign() { # csr-subject key out issuer-crt issuer-key extfile
          openssl req -new -key "$2" -subj "$1" -out "$3.csr"
          openssl x509 -req -in "$3.csr" -CA "$4" -CAkey "$5" -CAcreateserial -days 825 -sha256 -extfile "$6" -out "$3"
        }
        printf 'basicConstraints=critical,CA:TRUE,pathlen:0\nkeyUsage=critical,keyCertSign,cRLSign\n' > inter.ext
        printf 'extendedKeyUsage=clientAuth\n' > client.ext
        ec ca.key
        openssl req -x509 -new -key ca.key -sha256 -days 3650 -subj "/CN=Test Root CA" \
          -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign -out ca.crt
        ec inter.key
        sign "/CN=Test Intermediate CA" inter.key inter.crt ca.crt ca.key inter.ext
        ec client-ec.key
        sign "/CN=test-client-ec" client-ec.key client-ec.crt inter.crt inter.key client.ext
        openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out client-rsa.key
        sign "/CN=test-client" client-rsa.key client-rsa.crt ca.crt ca.key client.ext
        cat inter.crt ca.crt > inter-chain.crt
        openssl pkcs12 -export -in client-ec.crt -inkey client-ec.key -certfile inter-chain.crt \
          -name client-ec -out client-ec.p12 -passout pass:$PW
        openssl pkcs12 -export -in client-rsa.crt -inkey client-rsa.key -certfile ca.crt \
          -name client -out client-rsa.p12 -passout pass:$PW
        fromp12() { # source.p12 dest type [keytool options]
          keytool "${@:4}" -importkeystore -noprompt -srckeystore "$1" -srcstoretype PKCS12 -srcstorepass $PW \
            -destkeystore "$2" -deststoretype "$3" -deststorepass $PW
        }
        trust() { # dest type [keytool options]
          keytool "${@:3}" -importcert -noprompt -alias testca -file ca.crt -keystore "$1" -storetype "$2" -storepass $PW
        }
        trust truststore.jks JKS &
        trust truststore.p12 PKCS12 &
        trust truststore-nopass.p12 PKCS12 -J-Dkeystore.pkcs12.certProtectionAlgorithm=NONE \
          -J-Dkeystore.pkcs12.macAlgorithm=NONE &
        fromp12 client-ec.p12 keystore.jks JKS &
        fromp12 client-rsa.p12 keystore-rsa.jks JKS &
        fromp12 client-ec.p12 keystore.p12 PKCS12 &
        fromp12 client-ec.p12 keystore-legacy.p12 PKCS12 -J-Dkeystore.pkcs12.legacy &
        fromp12 client-ec.p12 keystore.jceks JCEKS &
        LC_ALL=C.UTF-8 keytool -genkeypair -alias "Zürich-🔑" -keyalg EC -groupname secp256r1 -dname CN=keytool-generated \
          -validity 365 -keystore unicode.jks -storetype JKS -storepass $PW -keypass $PW &
        wait
        cp keystore.jks keystore-keypass.jks
        keytool -keypasswd -alias client-ec -keypass $PW -new keypass99 -keystore keystore-keypass.jks \
          -storetype JKS -storepass $PW &
        cp keystore.jceks keystore-secret.jceks
        keytool -genseckey -alias aeskey -keyalg AES -keysize 128 -keystore keystore-secret.jceks \
          -storetype JCEKS -storepass $PW -keypass $PW &
        cp keystore-rsa.jks keystore-multi.jks
        fromp12 client-ec.p12 keystore-multi.jks JKS
        trust keystore-multi.jks JKS
        keytool -importkeystore -noprompt -srckeystore keystore-multi.jks -srcstoretype JKS -srcstorepass $PW \
          -destkeystore multi.p12 -deststoretype PKCS12 -deststorepass $PW
        wait
        openssl pkcs12 -export -nokeys -in ca.crt -out nokeys-openssl.p12 -passout pass:$PW
        cat ca.crt inter.crt > bundle.pem
        cat client-ec.crt client-ec.key inter.crt ca.crt > identity.pem
        openssl pkcs8 -topk8 -v2 aes-256-cbc -in client-ec.key -passout pass:pemsecret -out client-ec.enc.key
        cat client-ec.enc.key client-ec.crt inter.crt > identity-encrypted.pem
        openssl ec -in client-ec.key -aes256 -passout pass:pemsecret -out client-ec.legacy.key
        cat client-ec.legacy.key client-ec.crt inter.crt > identity-legacy-encrypted.pem
        openssl rsa -traditional -in client-rsa.key -out client-rsa.traditional.key
        cat client-rsa.crt client-rsa.traditional.key > identity-rsa.pem
        cat client-rsa.key client-ec.crt > identity-mismatch.pem
        base64 truststore.jks > truststore.jks.b64
        head -c 700 keystore.jks > truncated.jks
        cp keystore.p12 implicit.jks
        printf 'these are not the bytes of any key store\n' > garbage.bin
        # Interception CAs: the EC root as PEM and JKS, an RSA root, and a key whose certificate is no CA.
        cat ca.crt ca.key > ca-identity.pem
        openssl pkcs12 -export -in ca.crt -inkey ca.key -name testca -out ca.p12 -passout pass:$PW
        fromp12 ca.p12 ca.jks JKS
        openssl req -x509 -newkey rsa:2048 -nodes -keyout ca-rsa.key -sha256 -days 30 -subj "/CN=Test RSA CA" \
          -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign -out ca-rsa.crt
        cat ca-rsa.crt ca-rsa.key > ca-rsa-identity.pem
        openssl req -x509 -new -key client-ec.key -sha256 -days 30 -subj "/CN=Not a CA" \
          -addext basicConstraints=critical,CA:FALSE -out not-ca.crt
        cat not-ca.crt client-ec.key > not-ca-identity.pem
        """#
}

/// Runs a bash script, for the fixtures and as an independent check of the
/// PEM output with the `openssl` command. Standard error joins the output.
enum Shell {
    struct Output {
        let status: Int32
        let output: String
    }

    static func run(_ script: String, in directory: String? = nil, input: [UInt8] = []) throws -> Output {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["-c", script]
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        let stdin = Pipe()
        let stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stdout
        try process.run()
        // Inputs are a few kilobytes, well within the pipe buffer.
        stdin.fileHandleForWriting.write(Data(input))
        try stdin.fileHandleForWriting.close()
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Output(status: process.terminationStatus, output: String(decoding: output, as: UTF8.self))
    }
}

/// Checks the readers' PEM output with the `openssl` command rather than with
/// the code under test.
enum OpenSSLCheck {
    /// How many certificates `openssl` finds in a PEM bundle; 0 when it cannot parse it.
    static func certificateCount(_ pem: [UInt8]) throws -> Int {
        let result = try Shell.run(
            "openssl crl2pkcs7 -nocrl -certfile /dev/stdin | openssl pkcs7 -print_certs -noout | grep -c '^subject='",
            input: pem)
        return Int(result.output.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
    }

    /// Whether the key's public half equals the first certificate's public key.
    static func keyMatchesFirstCertificate(_ identity: ClientIdentity) throws -> Bool {
        let key = identity.privateKeyPEM.withUnsafeBytes { Array($0) }
        let fromKey = try Shell.run("openssl pkey -pubout", input: key)
        let fromCertificate = try Shell.run("openssl x509 -pubkey -noout", input: identity.certificateChainPEM)
        return fromKey.status == 0 && fromCertificate.status == 0
            && fromKey.output.contains("BEGIN PUBLIC KEY") && fromKey.output == fromCertificate.output
    }
}
