//! Electronic signatures of issued letters (ลายมือชื่ออิเล็กทรอนิกส์), and their verification
//! offline.
//!
//! An official letter sent electronically is signed electronically: ETDA's guideline
//! (ขมธอ. 23-2563) points to PAdES (ETSI EN 319 142) with RFC 3161 time-stamps for the
//! signatures a certificate authority backs. This crate makes and checks them:
//!
//! - [`key`]: the signer's key and certificates, from a PKCS #12 file or a PKCS #11 token
//!   (smart card, USB token; SoftHSM2 in the tests), RSA or ECDSA P-256;
//! - [`cms`]: the CMS SignedData of a PAdES signature (RustCrypto's `cms`), with the ESS
//!   signing-certificate-v2 attribute PAdES asks for and no signing-time attribute;
//! - [`tsa`]: an RFC 3161 time-stamp over the signature (PAdES B-T);
//! - [`pdf`]: the PDF side, an incremental update that adds the signature field (its
//!   appearance drawn by the caller) and fills the signature into the byte range, so earlier
//!   signatures stay valid;
//! - [`verify`]: every signature of a PDF checked with nothing but the file and the roots
//!   the office trusts.
//!
//! Why a crate of its own: it knows CMS and X.509 and nothing of letters or registers;
//! the office (`saraban`) draws the appearance and records the signature in the register.
//! No ASN.1 is written by hand: every structure is a `der` type.

pub mod cms;
mod http;
pub mod key;
pub mod ltv;
pub mod pdf;
pub mod statement;
pub mod tsa;
pub mod verify;

pub use x509_cert::Certificate;

use saraban_model::Error;

/// A signing error in both languages.
pub(crate) fn err(th: impl Into<String>, en: impl Into<String>) -> Error {
    Error::Sign {
        th: th.into(),
        en: en.into(),
    }
}

/// The PAdES baseline level a signature reaches (ETSI EN 319 142-1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum Level {
    /// B-B: the signature and the signer's certificate.
    #[serde(rename = "B-B")]
    BB,
    /// B-T: with a time-stamp from a time-stamp authority proving when it existed.
    #[serde(rename = "B-T")]
    BT,
    /// B-LT: with the validation data (certificates, OCSP answers) in the document's DSS.
    #[serde(rename = "B-LT")]
    BLT,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::BB => "B-B",
            Level::BT => "B-T",
            Level::BLT => "B-LT",
        }
    }
}

/// The SHA-256 of `bytes`, in hex (how the register names a file).
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2_10::Digest;
    sha2_10::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
