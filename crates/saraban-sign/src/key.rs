//! The signer's key and certificate chain (กุญแจและใบรับรองของผู้ลงนาม): from a PKCS #12 file
//! (`.p12`, `.pfx`: what a certificate authority hands out and every browser exports), or
//! on a PKCS #11 token ([`token`](crate::key::token)), where the key never leaves the card.
//!
//! RSA (PKCS #1 v1.5) and ECDSA on P-256, each with SHA-256: what Thai authorities issue.

use der::{Decode, Encode};
use x509_cert::Certificate;

use crate::err;
use saraban_model::Result;

pub mod token;

/// The signer's private key, where it lives.
pub(crate) enum Key {
    /// Boxed: an RSA key is ten times the size of the others.
    Rsa(Box<rsa::RsaPrivateKey>),
    P256(p256::ecdsa::SigningKey),
    Token(token::TokenKey),
}

/// A key that can sign and the certificates that go with it: the signer's own first, then
/// the authorities above it (as far as the file or token holds them).
pub struct Credentials {
    pub(crate) key: Key,
    /// The signer's certificate first.
    pub chain: Vec<Certificate>,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials")
            .field("signer", &self.signer_name())
            .finish_non_exhaustive()
    }
}

impl Credentials {
    /// The key and chain in a PKCS #12 file, opened with its password.
    pub fn from_pkcs12(data: &[u8], password: &str) -> Result<Credentials> {
        let store = p12_keystore::KeyStore::from_pkcs12(
            data,
            password,
            p12_keystore::Pkcs12ImportPolicy::Relaxed,
        )
        .map_err(|e| {
            err(
                format!("เปิดไฟล์กุญแจ PKCS #12 ไม่ได้ ({e}): ตรวจสอบรหัสผ่านและไฟล์ (.p12 หรือ .pfx ที่ได้จากผู้ให้บริการออกใบรับรอง)"),
                format!("cannot open the PKCS #12 file ({e}): check the password and the file (the .p12 or .pfx your certificate authority gave you)"),
            )
        })?;
        let (_, chain) = store.private_key_chain().ok_or_else(|| {
            err(
                "ไฟล์ PKCS #12 นี้ไม่มีกุญแจส่วนตัวคู่กับใบรับรอง",
                "this PKCS #12 file holds no private key with its certificate",
            )
        })?;
        let pkcs8 = chain.key().as_der();
        let key =
            if let Ok(k) = <rsa::RsaPrivateKey as pkcs8::DecodePrivateKey>::from_pkcs8_der(pkcs8) {
                Key::Rsa(Box::new(k))
            } else if let Ok(k) =
                <p256::ecdsa::SigningKey as pkcs8::DecodePrivateKey>::from_pkcs8_der(pkcs8)
            {
                Key::P256(k)
            } else {
                return Err(err(
                    "กุญแจในไฟล์ไม่ใช่ RSA หรือ ECDSA P-256 ซึ่งเป็นชนิดที่รองรับ",
                    "the key in the file is neither RSA nor ECDSA P-256, the kinds supported",
                ));
            };
        let mut certs = Vec::new();
        for c in chain.certs() {
            certs.push(Certificate::from_der(c.as_der()).map_err(|e| {
                err(
                    format!("อ่านใบรับรองในไฟล์ไม่ได้: {e}"),
                    format!("cannot read a certificate in the file: {e}"),
                )
            })?);
        }
        let public = public_key_der(&key)?;
        Credentials::assemble(key, &public, certs)
    }

    /// The chain ordered from the certificate of `public` (the key's) upwards.
    pub(crate) fn assemble(
        key: Key,
        public: &[u8],
        certs: Vec<Certificate>,
    ) -> Result<Credentials> {
        let pos = certs
            .iter()
            .position(|c| {
                c.tbs_certificate
                    .subject_public_key_info
                    .to_der()
                    .is_ok_and(|d| d == public)
            })
            .ok_or_else(|| err("ไม่พบใบรับรองที่คู่กับกุญแจนี้", "no certificate matches this key"))?;
        let mut rest = certs;
        let mut chain = vec![rest.remove(pos)];
        // Then each issuer in turn, as far as they are here.
        while let Some(i) = rest
            .iter()
            .position(|c| c.tbs_certificate.subject == chain.last().unwrap().tbs_certificate.issuer)
        {
            if chain.last().unwrap().tbs_certificate.subject
                == chain.last().unwrap().tbs_certificate.issuer
            {
                break;
            }
            chain.push(rest.remove(i));
        }
        Ok(Credentials { key, chain })
    }

    /// The signer's certificate.
    pub fn certificate(&self) -> &Certificate {
        &self.chain[0]
    }

    /// The signer's name as the certificate gives it (its common name, else the whole
    /// subject).
    pub fn signer_name(&self) -> String {
        common_name(&self.chain[0].tbs_certificate.subject)
    }

    /// The certificate's validity, Unix seconds (not before, not after).
    pub fn validity(&self) -> (i64, i64) {
        let v = &self.chain[0].tbs_certificate.validity;
        (
            v.not_before.to_unix_duration().as_secs() as i64,
            v.not_after.to_unix_duration().as_secs() as i64,
        )
    }

    /// The kind of key, as a report names it.
    pub fn algorithm(&self) -> &'static str {
        match &self.key {
            Key::Rsa(_) => "RSA",
            Key::P256(_) => "ECDSA P-256",
            Key::Token(t) => t.algorithm(),
        }
    }
}

/// The DER SubjectPublicKeyInfo of a key.
fn public_key_der(key: &Key) -> Result<Vec<u8>> {
    use spki::EncodePublicKey;
    let der = match key {
        Key::Rsa(k) => rsa::RsaPublicKey::from(k.as_ref()).to_public_key_der(),
        Key::P256(k) => k.verifying_key().to_public_key_der(),
        Key::Token(t) => return t.public_key_der(),
    };
    der.map(|d| d.as_bytes().to_vec()).map_err(|e| {
        err(
            format!("อ่านกุญแจสาธารณะไม่ได้: {e}"),
            format!("cannot encode the public key: {e}"),
        )
    })
}

/// The common name (CN) of an X.509 name, else the whole name.
pub fn common_name(name: &x509_cert::name::Name) -> String {
    for rdn in name.0.iter() {
        for atv in rdn.0.iter() {
            if atv.oid == const_oid::db::rfc4519::CN {
                if let Some(s) = directory_string(&atv.value) {
                    return s;
                }
            }
        }
    }
    name.to_string()
}

/// The text of a DirectoryString (UTF8String, PrintableString, …).
pub(crate) fn directory_string(value: &der::Any) -> Option<String> {
    use der::asn1::{Ia5StringRef, PrintableStringRef, TeletexStringRef, Utf8StringRef};
    if let Ok(s) = value.decode_as::<Utf8StringRef<'_>>() {
        return Some(s.as_str().to_string());
    }
    if let Ok(s) = value.decode_as::<PrintableStringRef<'_>>() {
        return Some(s.as_str().to_string());
    }
    if let Ok(s) = value.decode_as::<Ia5StringRef<'_>>() {
        return Some(s.as_str().to_string());
    }
    if let Ok(s) = value.decode_as::<TeletexStringRef<'_>>() {
        return Some(s.as_str().to_string());
    }
    None
}

/// The certificates of a file, PEM (one or many) or DER: a root the office trusts, a
/// chain.
pub fn certificates_from_bytes(bytes: &[u8]) -> Result<Vec<Certificate>> {
    let bad = |e: &dyn std::fmt::Display| {
        err(
            format!("อ่านใบรับรองไม่ได้ ({e}): ต้องเป็นไฟล์ PEM หรือ DER"),
            format!("cannot read the certificate ({e}): it must be PEM or DER"),
        )
    };
    if bytes.starts_with(b"-----") || bytes.windows(11).any(|w| w == b"-----BEGIN ") {
        Certificate::load_pem_chain(bytes).map_err(|e| bad(&e))
    } else {
        Certificate::from_der(bytes)
            .map(|c| vec![c])
            .map_err(|e| bad(&e))
    }
}

/// Certificates as PEM (how the office keeps the roots it trusts).
pub fn certificates_to_pem(certs: &[Certificate]) -> Result<String> {
    use der::EncodePem;
    let mut pem = String::new();
    for c in certs {
        pem.push_str(&c.to_pem(der::pem::LineEnding::LF).map_err(|e| {
            err(
                format!("บันทึกใบรับรองไม่ได้: {e}"),
                format!("cannot store the certificate: {e}"),
            )
        })?);
    }
    Ok(pem)
}
