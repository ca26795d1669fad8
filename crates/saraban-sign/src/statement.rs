//! The signed statement a printed letter carries (ข้อความรับรองในคิวอาร์โค้ด): so that a paper
//! copy, or a photo of it, can be checked offline. A small QR code in the last page's
//! bottom margin holds the register's id, the number, the date, a hash of the
//! subject and a hash of the letter's canonical data (not of the PDF, which holds the code),
//! signed with the office's key as a COSE_Sign1 (RFC 9052, ES256), in base45 (RFC 9285)
//! after `SRB1:` — text any QR reader shows, and Saraban verifies.
//!
//! The office's key is ECDSA P-256, one per register on each computer that issues: its
//! private half stays on that computer (an owner-only file), its public half is recorded in
//! the register, which is where a verifier finds it by the key id the statement names.

use ciborium::value::{Integer, Value};
use coset::{iana, CborSerializable, CoseSign1Builder, HeaderBuilder};
use p256::ecdsa::signature::{Signer, Verifier};
use p256::ecdsa::{Signature, SigningKey, VerifyingKey};
use pkcs8::{DecodePrivateKey, EncodePrivateKey};
use sha2_10::{Digest, Sha256};
use spki::{DecodePublicKey, EncodePublicKey};

use crate::err;
use saraban_model::Result;

/// What a statement's text starts with (and its version).
pub const PREFIX: &str = "SRB1:";

/// What a printed letter states about itself.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Statement {
    /// The register's id (hex).
    pub register: String,
    /// The letter's number as printed (ที่).
    pub number: String,
    /// Its date, YYYY-MM-DD.
    pub date: String,
    /// The first 8 bytes of the SHA-256 of its subject (hex).
    pub subject_sha: String,
    /// The first 16 bytes of the SHA-256 of its canonical data (hex).
    pub data_sha: String,
    /// The key that signed it (hex).
    pub kid: String,
}

/// The office's key for statements.
pub struct OfficeKey(SigningKey);

impl OfficeKey {
    /// A new key.
    pub fn generate() -> OfficeKey {
        OfficeKey(SigningKey::random(&mut rand_core::OsRng))
    }

    /// The key from its PKCS #8 PEM.
    pub fn from_pem(pem: &str) -> Result<OfficeKey> {
        SigningKey::from_pkcs8_pem(pem).map(OfficeKey).map_err(|e| {
            err(
                format!("อ่านกุญแจของสำนักงานไม่ได้: {e}"),
                format!("cannot read the office's key: {e}"),
            )
        })
    }

    /// Its PKCS #8 PEM.
    pub fn to_pem(&self) -> String {
        self.0
            .to_pkcs8_pem(pkcs8::LineEnding::LF)
            .map(|p| p.to_string())
            .unwrap_or_default()
    }

    /// Its public half (DER SubjectPublicKeyInfo).
    pub fn public_der(&self) -> Vec<u8> {
        self.0
            .verifying_key()
            .to_public_key_der()
            .map(|d| d.as_bytes().to_vec())
            .unwrap_or_default()
    }

    /// Its id: the first 8 bytes of the SHA-256 of its public half (hex).
    pub fn kid(&self) -> String {
        kid_of(&self.public_der())
    }
}

/// A public key's id.
pub fn kid_of(public_der: &[u8]) -> String {
    hex(&Sha256::digest(public_der)[..8])
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|c| format!("{c:02x}")).collect()
}

fn unhex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect()
}

/// The hash of a subject as a statement holds it.
pub fn subject_hash(subject: &str) -> String {
    hex(&Sha256::digest(subject.trim().as_bytes())[..8])
}

/// The hash of a letter's canonical data as a statement holds it.
pub fn data_hash(canonical: &[u8]) -> String {
    hex(&Sha256::digest(canonical)[..16])
}

fn int(i: i64) -> Value {
    Value::Integer(Integer::from(i))
}

/// A new register id: 8 random bytes (hex).
pub fn new_register_id() -> String {
    use rand_core::RngCore;
    let mut b = [0u8; 8];
    rand_core::OsRng.fill_bytes(&mut b);
    hex(&b)
}

/// The statement signed with `key`, as the QR code's text.
pub fn seal(st: &Statement, key: &OfficeKey) -> Result<String> {
    let bad = |e: &dyn std::fmt::Display| {
        err(
            format!("สร้างข้อความรับรองไม่ได้: {e}"),
            format!("cannot make the statement: {e}"),
        )
    };
    let bytes = |h: &str| Value::Bytes(unhex(h).unwrap_or_default());
    let payload = Value::Map(vec![
        (int(1), bytes(&st.register)),
        (int(3), Value::Text(st.number.clone())),
        (int(4), Value::Text(st.date.clone())),
        (int(5), bytes(&st.subject_sha)),
        (int(6), bytes(&st.data_sha)),
    ]);
    let mut buf = Vec::new();
    ciborium::into_writer(&payload, &mut buf).map_err(|e| bad(&e))?;
    let protected = HeaderBuilder::new()
        .algorithm(iana::Algorithm::ES256)
        .key_id(unhex(&key.kid()).unwrap_or_default())
        .build();
    let sign1 = CoseSign1Builder::new()
        .protected(protected)
        .payload(buf)
        .create_signature(b"", |tbs| {
            let s: Signature = key.0.sign(tbs);
            s.to_bytes().to_vec()
        })
        .build();
    let cose = sign1.to_vec().map_err(|e| bad(&e))?;
    Ok(format!("{PREFIX}{}", base45::encode(cose)))
}

/// Why a statement is refused.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Refusal {
    /// Not a Saraban statement at all.
    NotAStatement,
    /// Unreadable: damaged, or altered so that it no longer parses.
    Malformed,
    /// Signed by a key this register does not know (another office's, or a forger's).
    UnknownKey(String),
    /// The signature does not match: the statement was altered or forged.
    BadSignature,
}

/// Reads and checks a statement's text against the public keys known: `key` gives the
/// public key (DER) of a key id, if this register knows it.
pub fn open(
    text: &str,
    key: impl Fn(&str) -> Option<Vec<u8>>,
) -> std::result::Result<Statement, Refusal> {
    let body = text
        .trim()
        .strip_prefix(PREFIX)
        .ok_or(Refusal::NotAStatement)?;
    let cose = base45::decode(body).map_err(|_| Refusal::Malformed)?;
    let sign1 = coset::CoseSign1::from_slice(&cose).map_err(|_| Refusal::Malformed)?;
    if sign1.protected.header.alg
        != Some(coset::RegisteredLabelWithPrivate::Assigned(
            iana::Algorithm::ES256,
        ))
    {
        return Err(Refusal::Malformed);
    }
    let kid = hex(&sign1.protected.header.key_id);
    let der = key(&kid).ok_or_else(|| Refusal::UnknownKey(kid.clone()))?;
    let vk =
        VerifyingKey::from_public_key_der(&der).map_err(|_| Refusal::UnknownKey(kid.clone()))?;
    sign1
        .verify_signature(b"", |sig, tbs| {
            let s = Signature::from_slice(sig).map_err(|_| ())?;
            vk.verify(tbs, &s).map_err(|_| ())
        })
        .map_err(|_| Refusal::BadSignature)?;
    let payload = sign1.payload.ok_or(Refusal::Malformed)?;
    let value: Value = ciborium::from_reader(&payload[..]).map_err(|_| Refusal::Malformed)?;
    let map = value.as_map().ok_or(Refusal::Malformed)?;
    let get = |k: i64| {
        map.iter()
            .find(|(key, _)| key.as_integer() == Some(Integer::from(k)))
            .map(|(_, v)| v)
    };
    let bytes = |k: i64| get(k).and_then(|v| v.as_bytes()).map(|b| hex(b));
    let text = |k: i64| get(k).and_then(|v| v.as_text()).map(str::to_string);
    Ok(Statement {
        register: bytes(1).ok_or(Refusal::Malformed)?,
        number: text(3).ok_or(Refusal::Malformed)?,
        date: text(4).ok_or(Refusal::Malformed)?,
        subject_sha: bytes(5).ok_or(Refusal::Malformed)?,
        data_sha: bytes(6).ok_or(Refusal::Malformed)?,
        kid,
    })
}

/// The texts of the QR codes in a picture (PNG, JPEG: a photo or a scan of a page).
pub fn read_codes(picture: &[u8]) -> Result<Vec<String>> {
    let img = image::load_from_memory(picture)
        .map_err(|e| {
            err(
                format!("อ่านรูปภาพไม่ได้ ({e}): ใช้ไฟล์ PNG หรือ JPEG"),
                format!("cannot read the picture ({e}): use a PNG or JPEG file"),
            )
        })?
        .to_luma8();
    let (w, h) = img.dimensions();
    let mut out: Vec<String> = Vec::new();
    // The whole picture, then where the statement is printed (the bottom right of the
    // last page): a page with other codes on it can keep the detector from pairing the
    // statement's finder patterns, and a small code reads better larger.
    let regions = [
        (0, 0, w, h),
        (w / 2, h * 2 / 3, w - w / 2, h - h * 2 / 3),
        (0, h / 2, w, h - h / 2),
    ];
    for (i, (x, y, rw, rh)) in regions.into_iter().enumerate() {
        if rw < 21 || rh < 21 {
            continue;
        }
        let part = if i == 0 {
            img.clone()
        } else {
            image::imageops::crop_imm(&img, x, y, rw, rh).to_image()
        };
        let mut texts = decode_all(&part);
        if texts.is_empty() && rw.max(rh) < 2000 {
            let big = image::imageops::resize(
                &part,
                rw * 2,
                rh * 2,
                image::imageops::FilterType::Triangle,
            );
            texts = decode_all(&big);
        }
        for t in texts {
            if !out.contains(&t) {
                out.push(t);
            }
        }
        if out.iter().any(|t| t.starts_with(PREFIX)) {
            break;
        }
    }
    Ok(out)
}

fn decode_all(img: &image::GrayImage) -> Vec<String> {
    let (w, h) = img.dimensions();
    let mut prepared =
        rqrr::PreparedImage::prepare_from_greyscale(w as usize, h as usize, |x, y| {
            img.get_pixel(x as u32, y as u32).0[0]
        });
    prepared
        .detect_grids()
        .into_iter()
        .filter_map(|g| g.decode().ok().map(|(_, text)| text))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(key: &OfficeKey) -> Statement {
        Statement {
            register: "00112233aabbccdd".into(),
            number: "มท 0810.2/45".into(),
            date: "2026-12-06".into(),
            subject_sha: subject_hash("ขออนุมัติเดินทางไปราชการ"),
            data_sha: data_hash(b"{}"),
            kid: key.kid(),
        }
    }

    #[test]
    fn a_sealed_statement_opens_with_its_key_only() {
        let key = OfficeKey::generate();
        let st = sample(&key);
        let text = seal(&st, &key).unwrap();
        assert!(text.starts_with(PREFIX));
        assert!(text.len() < 300, "{}", text.len());
        let known = [(key.kid(), key.public_der())];
        let keys = |k: &str| {
            known
                .iter()
                .find(|(kid, _)| kid == k)
                .map(|(_, d)| d.clone())
        };
        assert_eq!(open(&text, keys).unwrap(), st);
        let other = OfficeKey::generate();
        let others = |k: &str| (k == other.kid()).then(|| other.public_der());
        assert!(matches!(open(&text, others), Err(Refusal::UnknownKey(_))));
        // A forger's key named with the office's key id.
        let forged = seal(&st, &other).unwrap();
        let forged_as_office = forged.clone();
        assert!(matches!(
            open(&forged_as_office, keys),
            Err(Refusal::UnknownKey(_))
        ));
        // The number changed in a statement the office signed: its signature no longer fits.
        let mut sign1 =
            coset::CoseSign1::from_slice(&base45::decode(&text[PREFIX.len()..]).unwrap()).unwrap();
        let mut payload: Value = ciborium::from_reader(&sign1.payload.unwrap()[..]).unwrap();
        for (k, v) in payload.as_map_mut().unwrap() {
            if k.as_integer() == Some(Integer::from(3)) {
                *v = Value::Text("มท 0810.2/46".into());
            }
        }
        let mut buf = Vec::new();
        ciborium::into_writer(&payload, &mut buf).unwrap();
        sign1.payload = Some(buf);
        let altered = format!("{PREFIX}{}", base45::encode(sign1.to_vec().unwrap()));
        assert_eq!(open(&altered, keys), Err(Refusal::BadSignature));
        assert_eq!(
            open("https://example.org", keys),
            Err(Refusal::NotAStatement)
        );
        assert_eq!(open("SRB1:%%%", keys), Err(Refusal::Malformed));
        let again = OfficeKey::from_pem(&key.to_pem()).unwrap();
        assert_eq!(again.kid(), key.kid());
    }
}
