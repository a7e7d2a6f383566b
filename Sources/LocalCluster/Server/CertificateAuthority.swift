import Crypto
import Foundation
import SwiftASN1
import X509

/// A throwaway certificate authority, made at start: it issues the local API server's
/// certificate (for 127.0.0.1, ::1 and localhost) and client certificates for a user and
/// groups, all as PEM. `slipway dev` and the tests use it; nothing is trusted system-wide.
public struct CertificateAuthority: Sendable {
    public let certificatePEM: String
    public let keyPEM: String
    private let key: P256.Signing.PrivateKey
    private let name: DistinguishedName

    /// A certificate and its private key, PEM-encoded.
    public struct Issued: Sendable {
        public let certificatePEM: String
        public let keyPEM: String
    }

    public init(commonName: String = "slipway local CA") throws {
        key = P256.Signing.PrivateKey()
        name = try DistinguishedName { CommonName(commonName) }
        let now = Date()
        let certificate = try Certificate(
            version: .v3, serialNumber: .init(), publicKey: .init(key.publicKey),
            notValidBefore: now - 3600, notValidAfter: now + 86400 * 365, issuer: name, subject: name,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: nil))
                Critical(KeyUsage(keyCertSign: true, cRLSign: true))
            },
            issuerPrivateKey: .init(key))
        certificatePEM = try certificate.serializeAsPEM().pemString
        keyPEM = key.pemRepresentation
    }

    /// A server certificate valid for 127.0.0.1, ::1 and localhost.
    public func issueServer() throws -> Issued {
        try issue(
            subject: DistinguishedName { CommonName("localhost") },
            extensions: Certificate.Extensions {
                Critical(KeyUsage(digitalSignature: true, keyEncipherment: true))
                try ExtendedKeyUsage([.serverAuth])
                SubjectAlternativeNames([
                    .dnsName("localhost"), .ipAddress(ASN1OctetString(contentBytes: [127, 0, 0, 1])),
                    .ipAddress(ASN1OctetString(contentBytes: ArraySlice([UInt8](repeating: 0, count: 15) + [1]))),
                ])
            })
    }

    /// A client certificate: CN is the user name, O entries are the groups (as Kubernetes reads them).
    public func issueClient(user: String, groups: [String] = []) throws -> Issued {
        try issue(
            subject: DistinguishedName {
                for group in groups { OrganizationName(group) }
                CommonName(user)
            },
            extensions: Certificate.Extensions {
                Critical(KeyUsage(digitalSignature: true, keyEncipherment: true))
                try ExtendedKeyUsage([.clientAuth])
            })
    }

    private func issue(subject: DistinguishedName, extensions: Certificate.Extensions) throws -> Issued {
        let leafKey = P256.Signing.PrivateKey()
        let now = Date()
        let certificate = try Certificate(
            version: .v3, serialNumber: .init(), publicKey: .init(leafKey.publicKey),
            notValidBefore: now - 3600, notValidAfter: now + 86400 * 365, issuer: name, subject: subject,
            signatureAlgorithm: .ecdsaWithSHA256, extensions: extensions, issuerPrivateKey: .init(key))
        return Issued(certificatePEM: try certificate.serializeAsPEM().pemString, keyPEM: leafKey.pemRepresentation)
    }
}

import NIOSSL

extension CertificateAuthority {
    /// A TLS server configuration with a certificate from this CA; with
    /// `requireClientCertificate`, only clients holding a certificate from this CA get in.
    public func serverTLS(requireClientCertificate: Bool) throws -> TLSConfiguration {
        let server = try issueServer()
        var tls = TLSConfiguration.makeServerConfiguration(
            certificateChain: try NIOSSLCertificate.fromPEMBytes(Array(server.certificatePEM.utf8)).map { .certificate($0) },
            privateKey: .privateKey(try NIOSSLPrivateKey(bytes: Array(server.keyPEM.utf8), format: .pem)))
        if requireClientCertificate {
            tls.certificateVerification = .noHostnameVerification
            tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMBytes(Array(certificatePEM.utf8)))
        }
        return tls
    }
}
