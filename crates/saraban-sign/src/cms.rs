//! The CMS SignedData (RFC 5652) of a PAdES signature: detached (the PDF's byte range is
//! the content), SHA-256, the signed attributes PAdES baseline asks for (content type,
//! message digest, ESS signing-certificate-v2) and no signing-time attribute (PAdES takes
//! the claimed time from the signature dictionary's /M). The time-stamp of B-T is an
//! unsigned attribute over the signature value, added after ([`add_timestamp`]).

use cms::cert::{CertificateChoices, IssuerAndSerialNumber};
use cms::content_info::{CmsVersion, ContentInfo};
use cms::signed_data::{
    CertificateSet, EncapsulatedContentInfo, SignedData, SignerIdentifier, SignerInfo, SignerInfos,
};
use const_oid::ObjectIdentifier;
use der::asn1::{OctetString, SetOfVec};
use der::{Any, Decode, Encode, Sequence};
use sha2_10::{Digest, Sha256};
use spki::AlgorithmIdentifierOwned;
use x509_cert::attr::Attribute;
use x509_cert::ext::pkix::name::GeneralName;
use x509_cert::serial_number::SerialNumber;
use x509_cert::Certificate;

use crate::err;
use crate::key::{Credentials, Key};
use saraban_model::Result;

/// id-aa-signingCertificateV2 (RFC 5035).
pub const ID_AA_SIGNING_CERTIFICATE_V2: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.16.2.47");
/// id-aa-timeStampToken (RFC 3161, appendix A): the signature time-stamp.
pub const ID_AA_TIME_STAMP_TOKEN: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.16.2.14");
/// sha256WithRSAEncryption.
pub const SHA256_WITH_RSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.11");
/// ecdsa-with-SHA256.
pub const ECDSA_WITH_SHA256: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.4.3.2");

/// ESSCertIDv2 (RFC 5035): the hash of the signer's certificate, so that no other
/// certificate with the same key can be claimed as the signer's.
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
pub struct EssCertIdV2 {
    /// Absent: SHA-256, the default.
    #[asn1(optional = "true")]
    pub hash_algorithm: Option<AlgorithmIdentifierOwned>,
    pub cert_hash: OctetString,
    #[asn1(optional = "true")]
    pub issuer_serial: Option<IssuerSerial>,
}

/// IssuerSerial (RFC 5035).
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
pub struct IssuerSerial {
    pub issuer: Vec<GeneralName>,
    pub serial_number: SerialNumber,
}

/// SigningCertificateV2 (RFC 5035).
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
pub struct SigningCertificateV2 {
    pub certs: Vec<EssCertIdV2>,
    #[asn1(optional = "true")]
    pub policies: Option<Vec<Any>>,
}

fn der_err(e: der::Error) -> saraban_model::Error {
    err(
        format!("สร้างข้อมูลลายมือชื่อ (CMS) ไม่ได้: {e}"),
        format!("cannot build the signature's CMS data: {e}"),
    )
}

fn attribute(oid: ObjectIdentifier, value: Any) -> Result<Attribute> {
    let mut values = SetOfVec::new();
    values.insert(value).map_err(der_err)?;
    Ok(Attribute { oid, values })
}

pub(crate) fn sha256_alg() -> AlgorithmIdentifierOwned {
    AlgorithmIdentifierOwned {
        oid: const_oid::db::rfc5912::ID_SHA_256,
        parameters: None,
    }
}

/// The ESS signing-certificate-v2 attribute of `cert`.
fn signing_certificate(cert: &Certificate) -> Result<Attribute> {
    let der = cert.to_der().map_err(der_err)?;
    let id = EssCertIdV2 {
        hash_algorithm: None,
        cert_hash: OctetString::new(Sha256::digest(&der).to_vec()).map_err(der_err)?,
        issuer_serial: Some(IssuerSerial {
            issuer: vec![GeneralName::DirectoryName(
                cert.tbs_certificate.issuer.clone(),
            )],
            serial_number: cert.tbs_certificate.serial_number.clone(),
        }),
    };
    let value = SigningCertificateV2 {
        certs: vec![id],
        policies: None,
    };
    attribute(
        ID_AA_SIGNING_CERTIFICATE_V2,
        Any::encode_from(&value).map_err(der_err)?,
    )
}

/// Signs `data` (the DER of the signed attributes) with the key; the signature value as CMS
/// keeps it (PKCS #1 v1.5 bytes, or an ECDSA signature in DER).
fn sign_bytes(key: &Key, data: &[u8]) -> Result<(Vec<u8>, ObjectIdentifier)> {
    use signature::Signer;
    let failed = |e: &dyn std::fmt::Display| {
        err(format!("ลงนามไม่สำเร็จ: {e}"), format!("signing failed: {e}"))
    };
    Ok(match key {
        Key::Rsa(k) => {
            let s = rsa::pkcs1v15::SigningKey::<Sha256>::new(k.as_ref().clone());
            let sig: rsa::pkcs1v15::Signature = s.try_sign(data).map_err(|e| failed(&e))?;
            (signature::SignatureEncoding::to_vec(&sig), SHA256_WITH_RSA)
        }
        Key::P256(k) => {
            let sig: p256::ecdsa::Signature = k.try_sign(data).map_err(|e| failed(&e))?;
            (sig.to_der().as_bytes().to_vec(), ECDSA_WITH_SHA256)
        }
        Key::Token(t) => {
            let raw = t.sign(data)?;
            if t.is_ec() {
                let sig = p256::ecdsa::Signature::from_slice(&raw).map_err(|e| failed(&e))?;
                (sig.to_der().as_bytes().to_vec(), ECDSA_WITH_SHA256)
            } else {
                (raw, SHA256_WITH_RSA)
            }
        }
    })
}

/// The DER ContentInfo of a detached CMS signature over content whose SHA-256 is
/// `digest`, by `creds`.
pub fn signed_data(creds: &Credentials, digest: &[u8]) -> Result<Vec<u8>> {
    let signer = creds.certificate();
    let content_type = attribute(
        const_oid::db::rfc5911::ID_CONTENT_TYPE,
        Any::encode_from(&const_oid::db::rfc5911::ID_DATA).map_err(der_err)?,
    )?;
    let message_digest = attribute(
        const_oid::db::rfc5911::ID_MESSAGE_DIGEST,
        Any::encode_from(&OctetString::new(digest.to_vec()).map_err(der_err)?).map_err(der_err)?,
    )?;
    let mut attrs = SetOfVec::new();
    for a in [content_type, message_digest, signing_certificate(signer)?] {
        attrs.insert(a).map_err(der_err)?;
    }
    // The signature covers the DER of the attributes as a SET (RFC 5652, 5.4).
    let to_sign = attrs.to_der().map_err(der_err)?;
    let (sig, alg) = sign_bytes(&creds.key, &to_sign)?;
    let info = SignerInfo {
        version: CmsVersion::V1,
        sid: SignerIdentifier::IssuerAndSerialNumber(IssuerAndSerialNumber {
            issuer: signer.tbs_certificate.issuer.clone(),
            serial_number: signer.tbs_certificate.serial_number.clone(),
        }),
        digest_alg: sha256_alg(),
        signed_attrs: Some(attrs),
        signature_algorithm: AlgorithmIdentifierOwned {
            oid: alg,
            parameters: (alg == SHA256_WITH_RSA).then(Any::null),
        },
        signature: OctetString::new(sig).map_err(der_err)?,
        unsigned_attrs: None,
    };
    let mut certs = SetOfVec::new();
    for c in &creds.chain {
        certs
            .insert(CertificateChoices::Certificate(c.clone()))
            .map_err(der_err)?;
    }
    let mut digests = SetOfVec::new();
    digests.insert(sha256_alg()).map_err(der_err)?;
    let mut infos = SetOfVec::new();
    infos.insert(info).map_err(der_err)?;
    let sd = SignedData {
        version: CmsVersion::V1,
        digest_algorithms: digests,
        encap_content_info: EncapsulatedContentInfo {
            econtent_type: const_oid::db::rfc5911::ID_DATA,
            econtent: None,
        },
        certificates: Some(CertificateSet(certs)),
        crls: None,
        signer_infos: SignerInfos(infos),
    };
    ContentInfo {
        content_type: const_oid::db::rfc5911::ID_SIGNED_DATA,
        content: Any::encode_from(&sd).map_err(der_err)?,
    }
    .to_der()
    .map_err(der_err)
}

/// The SignedData inside a DER ContentInfo (trailing bytes, such as the zeros that pad a
/// PDF's /Contents, ignored).
pub fn parse(der_bytes: &[u8]) -> std::result::Result<SignedData, der::Error> {
    let mut reader = der::SliceReader::new(der_bytes)?;
    let ci: ContentInfo = der::Decode::decode(&mut reader)?;
    if ci.content_type != const_oid::db::rfc5911::ID_SIGNED_DATA {
        return Err(der::ErrorKind::Failed.into());
    }
    ci.content.decode_as::<SignedData>()
}

/// The signature value of the (first) signer: what a signature time-stamp covers.
pub fn signature_value(signed: &[u8]) -> Result<Vec<u8>> {
    let sd = parse(signed).map_err(der_err)?;
    let info = sd
        .signer_infos
        .0
        .iter()
        .next()
        .ok_or_else(|| der_err(der::ErrorKind::Failed.into()))?;
    Ok(info.signature.as_bytes().to_vec())
}

/// `signed` with the time-stamp `token` (a DER ContentInfo) as the signer's unsigned
/// signature-time-stamp attribute.
pub fn add_timestamp(signed: &[u8], token: &[u8]) -> Result<Vec<u8>> {
    let mut sd = parse(signed).map_err(der_err)?;
    let token = Any::from_der(token).map_err(der_err)?;
    let mut infos: Vec<SignerInfo> = sd.signer_infos.0.into_vec();
    let info = infos
        .first_mut()
        .ok_or_else(|| der_err(der::ErrorKind::Failed.into()))?;
    let mut unsigned = info.unsigned_attrs.take().unwrap_or_default();
    unsigned
        .insert(attribute(ID_AA_TIME_STAMP_TOKEN, token)?)
        .map_err(der_err)?;
    info.unsigned_attrs = Some(unsigned);
    sd.signer_infos = SignerInfos(SetOfVec::try_from(infos).map_err(der_err)?);
    ContentInfo {
        content_type: const_oid::db::rfc5911::ID_SIGNED_DATA,
        content: Any::encode_from(&sd).map_err(der_err)?,
    }
    .to_der()
    .map_err(der_err)
}

/// The certificates a SignedData carries.
pub fn certificates(sd: &SignedData) -> Vec<Certificate> {
    sd.certificates
        .as_ref()
        .map(|set| {
            set.0
                .iter()
                .filter_map(|c| match c {
                    CertificateChoices::Certificate(c) => Some(c.clone()),
                    _ => None,
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The ContentInfo DER of a SignedData parsed out of it (re-encoded).
pub fn decode_content_info(bytes: &[u8]) -> std::result::Result<ContentInfo, der::Error> {
    let mut reader = der::SliceReader::new(bytes)?;
    der::Decode::decode(&mut reader)
}
