//! Every signature of a PDF checked offline (ตรวจสอบลายมือชื่อ): with the file alone and the
//! roots the office trusts (Thai NRCA, TDID, its own authority, added by file).
//!
//! For each signature: whether the bytes it covers are unchanged (the SHA-256 of the byte
//! range against the signed message digest), whether the signature over its attributes is
//! the signer's key's, who signed (the certificate the ESS attribute names), a chain to a
//! trusted root, the certificate valid at the time of signing (the time-stamp's if there is
//! one), not revoked by an OCSP answer the file carries, the time-stamp's own signature and
//! chain, and whether the document changed after it: a later revision that alters a page
//! (its content, resources, annotations other than signature fields, or the number of
//! pages) is a change; one that adds signatures or validation data is not.

use cms::signed_data::{SignedData, SignerIdentifier, SignerInfo};
use const_oid::ObjectIdentifier;
use der::asn1::OctetString;
use der::{Decode, Encode};
use lopdf::{Document, Object, ObjectId};
use serde::Serialize;
use sha2_10::{Digest, Sha256, Sha384, Sha512};
use std::collections::HashSet;
use x509_cert::Certificate;

use crate::cms as pcms;
use crate::key::common_name;
use crate::Level;

/// A problem found, in both languages.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Problem {
    /// A stable code: `altered`, `bad-signature`, `untrusted`, `expired`, `not-yet-valid`,
    /// `revoked`, `changed-after`, `bad-timestamp`, `unsupported`, `malformed`,
    /// `wrong-certificate`.
    pub code: &'static str,
    pub th: String,
    pub en: String,
}

fn problem(code: &'static str, th: impl Into<String>, en: impl Into<String>) -> Problem {
    Problem {
        code,
        th: th.into(),
        en: en.into(),
    }
}

/// The time-stamp of a signature.
#[derive(Debug, Clone, Serialize)]
pub struct Timestamp {
    /// When, as the authority says (RFC 3339, UTC).
    pub time: String,
    /// Unix seconds.
    pub unix: i64,
    /// The authority (its certificate's common name).
    pub authority: String,
    /// Its signature and chain check out, and it is over this signature.
    pub valid: bool,
}

/// Revocation of the signer's certificate as the file's validation data tells.
#[derive(Debug, Clone, Copy, Serialize, PartialEq)]
#[serde(rename_all = "kebab-case")]
pub enum Revocation {
    /// An OCSP answer in the file says good.
    Good,
    /// An OCSP answer in the file says revoked.
    Revoked,
    /// The file carries no answer (offline, nothing more can be known).
    Unknown,
}

/// One signature as verified.
#[derive(Debug, Clone, Serialize)]
pub struct SignatureReport {
    /// The signature field's name.
    pub field: String,
    /// The signer (their certificate's common name).
    pub signer: String,
    /// The authority that issued the signer's certificate.
    pub issuer: String,
    /// The signer's certificate's serial number (hex).
    pub serial: String,
    /// The time the signer's computer claimed (/M), RFC 3339.
    pub claimed_time: Option<String>,
    pub timestamp: Option<Timestamp>,
    /// The PAdES level the signature reaches (None: not a PAdES signature, e.g.
    /// adbe.pkcs7.detached).
    pub level: Option<Level>,
    /// The bytes it signed are unchanged and the signature is the signer's.
    pub intact: bool,
    /// The root the chain ends at, when trusted.
    pub trusted_root: Option<String>,
    pub revocation: Revocation,
    /// A revision after this signature changed what the pages show.
    pub changed_after: bool,
    /// Bytes follow the signature (later revisions), changed or not.
    pub later_revisions: bool,
    /// Everything that is wrong; empty when valid.
    pub problems: Vec<Problem>,
    /// Valid, trusted, and the document unchanged since.
    pub valid: bool,
}

/// The verification of a whole file.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub signatures: Vec<SignatureReport>,
    /// Every signature is valid (and there is at least one).
    pub valid: bool,
}

/// Verifies every signature of `pdf` against `trusted` roots.
pub fn verify(pdf: &[u8], trusted: &[Certificate]) -> Report {
    let now = chrono::Utc::now().timestamp();
    verify_at(pdf, trusted, now)
}

/// As [`verify`], with "now" given (the certificates' validity when there is no
/// time-stamp).
pub fn verify_at(pdf: &[u8], trusted: &[Certificate], now: i64) -> Report {
    let Ok(doc) = Document::load_mem(pdf) else {
        return Report {
            signatures: Vec::new(),
            valid: false,
        };
    };
    let dss = dss(&doc);
    let mut signatures = Vec::new();
    for (field, sig) in signature_fields(&doc) {
        signatures.push(check(pdf, &doc, &field, &sig, trusted, &dss, now));
    }
    let valid = !signatures.is_empty() && signatures.iter().all(|s| s.valid);
    Report { signatures, valid }
}

/// The validation data in the document security store.
#[derive(Default)]
struct Dss {
    certs: Vec<Certificate>,
    ocsps: Vec<Vec<u8>>,
}

fn dss(doc: &Document) -> Dss {
    let mut out = Dss::default();
    let Some(catalog) = doc
        .trailer
        .get(b"Root")
        .and_then(|o| o.as_reference())
        .ok()
        .and_then(|id| doc.get_dictionary(id).ok())
    else {
        return out;
    };
    let Some(dss) = catalog.get(b"DSS").ok().and_then(|o| resolve_dict(doc, o)) else {
        return out;
    };
    for (key, certs) in [(&b"Certs"[..], true), (b"OCSPs", false)] {
        let Some(list) = dss
            .get(key)
            .ok()
            .and_then(|o| resolve(doc, o).as_array().ok().cloned())
        else {
            continue;
        };
        for item in list {
            if let Object::Stream(s) = resolve(doc, &item) {
                let bytes = s.decompressed_content().unwrap_or(s.content.clone());
                if certs {
                    if let Ok(c) = Certificate::from_der(&bytes) {
                        out.certs.push(c);
                    }
                } else {
                    out.ocsps.push(bytes);
                }
            }
        }
    }
    out
}

fn resolve(doc: &Document, o: &Object) -> Object {
    match o {
        Object::Reference(id) => doc.get_object(*id).cloned().unwrap_or(Object::Null),
        o => o.clone(),
    }
}

fn resolve_dict(doc: &Document, o: &Object) -> Option<lopdf::Dictionary> {
    match resolve(doc, o) {
        Object::Dictionary(d) => Some(d),
        Object::Stream(s) => Some(s.dict),
        _ => None,
    }
}

/// The signature fields (name, signature dictionary) of the form, in order.
fn signature_fields(doc: &Document) -> Vec<(String, lopdf::Dictionary)> {
    let mut out = Vec::new();
    let Some(form) = doc
        .trailer
        .get(b"Root")
        .and_then(|o| o.as_reference())
        .ok()
        .and_then(|id| doc.get_dictionary(id).ok())
        .and_then(|c| c.get(b"AcroForm").ok().and_then(|o| resolve_dict(doc, o)))
    else {
        return out;
    };
    let fields = form
        .get(b"Fields")
        .ok()
        .map(|o| resolve(doc, o))
        .and_then(|o| o.as_array().ok().cloned())
        .unwrap_or_default();
    let mut stack: Vec<(Object, String)> = fields
        .into_iter()
        .rev()
        .map(|f| (f, String::new()))
        .collect();
    let mut seen = HashSet::new();
    while let Some((f, parent)) = stack.pop() {
        if let Object::Reference(id) = f {
            if !seen.insert(id) {
                continue;
            }
        }
        let Some(d) = resolve_dict(doc, &f) else {
            continue;
        };
        let name = d
            .get(b"T")
            .ok()
            .and_then(|o| o.as_str().ok())
            .map(text)
            .unwrap_or_default();
        let full = if parent.is_empty() {
            name
        } else {
            format!("{parent}.{name}")
        };
        if let Ok(kids) = d.get(b"Kids").and_then(|o| o.as_array()) {
            for k in kids.iter().rev() {
                stack.push((k.clone(), full.clone()));
            }
        }
        let is_sig = d
            .get(b"FT")
            .and_then(|o| o.as_name())
            .is_ok_and(|n| n == b"Sig");
        if is_sig {
            if let Some(v) = d.get(b"V").ok().and_then(|o| resolve_dict(doc, o)) {
                out.push((full, v));
            }
        }
    }
    out
}

/// A PDF text string as text.
fn text(b: &[u8]) -> String {
    if b.starts_with(&[0xFE, 0xFF]) {
        let units: Vec<u16> = b[2..]
            .chunks(2)
            .filter(|c| c.len() == 2)
            .map(|c| u16::from_be_bytes([c[0], c[1]]))
            .collect();
        String::from_utf16_lossy(&units)
    } else {
        b.iter().map(|&c| c as char).collect()
    }
}

fn rfc3339(unix: i64) -> String {
    chrono::DateTime::from_timestamp(unix, 0)
        .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
        .unwrap_or_default()
}

/// A PDF date (D:YYYYMMDDHHmmSS+HH'mm') as Unix seconds.
fn parse_pdf_date(s: &str) -> Option<i64> {
    let s = s.strip_prefix("D:").unwrap_or(s);
    let digits: String = s.chars().take(14).collect();
    if digits.len() < 14 {
        return None;
    }
    let naive = chrono::NaiveDateTime::parse_from_str(&digits, "%Y%m%d%H%M%S").ok()?;
    let rest = &s[14..];
    let offset = match rest.chars().next() {
        Some(c @ ('+' | '-')) => {
            let t: String = rest[1..].chars().filter(|c| c.is_ascii_digit()).collect();
            let h: i64 = t.get(0..2)?.parse().ok()?;
            let m: i64 = t.get(2..4).and_then(|m| m.parse().ok()).unwrap_or(0);
            let v = h * 3600 + m * 60;
            if c == '-' {
                -v
            } else {
                v
            }
        }
        _ => 0,
    };
    Some(naive.and_utc().timestamp() - offset)
}

fn check(
    pdf: &[u8],
    doc: &Document,
    field: &str,
    sig: &lopdf::Dictionary,
    trusted: &[Certificate],
    dss: &Dss,
    now: i64,
) -> SignatureReport {
    let mut r = SignatureReport {
        field: field.to_string(),
        signer: String::new(),
        issuer: String::new(),
        serial: String::new(),
        claimed_time: None,
        timestamp: None,
        level: None,
        intact: false,
        trusted_root: None,
        revocation: Revocation::Unknown,
        changed_after: false,
        later_revisions: false,
        problems: Vec::new(),
        valid: false,
    };
    let malformed = |what: &str| {
        problem(
            "malformed",
            format!("ลายมือชื่อมีโครงสร้างไม่ถูกต้อง ({what})"),
            format!("the signature is malformed ({what})"),
        )
    };
    let claimed = sig
        .get(b"M")
        .ok()
        .and_then(|o| o.as_str().ok())
        .and_then(|b| parse_pdf_date(&text(b)));
    r.claimed_time = claimed.map(rfc3339);
    let sub_filter = sig
        .get(b"SubFilter")
        .and_then(|o| o.as_name())
        .map(|n| n.to_vec())
        .unwrap_or_default();
    // The byte range: all of the file but the signature's own /Contents.
    let range: Vec<i64> = sig
        .get(b"ByteRange")
        .and_then(|o| o.as_array())
        .map(|a| a.iter().filter_map(|o| o.as_i64().ok()).collect())
        .unwrap_or_default();
    let Some(contents) = sig.get(b"Contents").ok().and_then(|o| o.as_str().ok()) else {
        r.problems.push(malformed("/Contents"));
        return r;
    };
    if range.len() != 4
        || range[0] != 0
        || range.iter().any(|v| *v < 0)
        || (range[2] + range[3]) as usize > pdf.len()
        || range[1] > range[2]
    {
        r.problems.push(malformed("/ByteRange"));
        return r;
    }
    let (b, c, d) = (range[1] as usize, range[2] as usize, range[3] as usize);
    // The gap holds exactly the hex string of /Contents.
    let hole_ok = pdf.get(b) == Some(&b'<')
        && pdf.get(c - 1) == Some(&b'>')
        && c - b - 2 >= contents.len() * 2;
    if !hole_ok {
        r.problems.push(malformed("/ByteRange"));
        return r;
    }
    let end = c + d;
    r.later_revisions = end < pdf.len();

    let Ok(sd) = pcms::parse(contents) else {
        r.problems.push(malformed("CMS"));
        return r;
    };
    let Some(info) = sd.signer_infos.0.iter().next().cloned() else {
        r.problems.push(malformed("SignerInfo"));
        return r;
    };
    let mut pool = pcms::certificates(&sd);
    pool.extend(dss.certs.iter().cloned());
    let Some(cert) = find_signer(&info, &pool) else {
        r.problems.push(problem(
            "malformed",
            "ไม่พบใบรับรองของผู้ลงนามในลายมือชื่อ",
            "the signer's certificate is not in the signature",
        ));
        return r;
    };
    r.signer = common_name(&cert.tbs_certificate.subject);
    r.issuer = common_name(&cert.tbs_certificate.issuer);
    r.serial = hex(cert.tbs_certificate.serial_number.as_bytes());

    // Integrity: the digest of the byte range against the signed one.
    let parts = [&pdf[..b], &pdf[c..end]];
    let Some(digest) = digest(&info.digest_alg.oid, &parts) else {
        r.problems.push(problem(
            "unsupported",
            format!("ไม่รู้จักอัลกอริทึมย่อยข้อมูล {}", info.digest_alg.oid),
            format!("unknown digest algorithm {}", info.digest_alg.oid),
        ));
        return r;
    };
    let attrs = info.signed_attrs.clone().unwrap_or_default();
    let signed_digest = attrs
        .iter()
        .find(|a| a.oid == const_oid::db::rfc5911::ID_MESSAGE_DIGEST)
        .and_then(|a| a.values.iter().next())
        .and_then(|v| v.decode_as::<OctetString>().ok());
    let digest_ok = signed_digest
        .as_ref()
        .is_some_and(|d| d.as_bytes() == digest.as_slice());
    if !digest_ok {
        r.problems.push(problem(
            "altered",
            "เนื้อหาที่ลงนามถูกแก้ไข: ค่าย่อยของไฟล์ไม่ตรงกับที่ลงนามไว้",
            "the signed content was altered: the file's digest is not the one signed",
        ));
    }
    let signed_bytes = match attrs.to_der() {
        Ok(d) => d,
        Err(_) => {
            r.problems.push(malformed("signed attributes"));
            return r;
        }
    };
    match verify_signature(
        &cert,
        &info.signature_algorithm.oid,
        Some(&info.digest_alg.oid),
        &signed_bytes,
        info.signature.as_bytes(),
    ) {
        Ok(()) => {}
        Err(e) => r.problems.push(problem(
            "bad-signature",
            format!("ลายมือชื่อไม่ถูกต้อง: ไม่ได้ลงนามด้วยกุญแจของใบรับรองนี้ ({e})"),
            format!("the signature is invalid: it was not made with this certificate's key ({e})"),
        )),
    }
    // The ESS attribute names the signer's certificate: another certificate with the same
    // key cannot stand in.
    let ess = attrs
        .iter()
        .find(|a| a.oid == pcms::ID_AA_SIGNING_CERTIFICATE_V2)
        .and_then(|a| a.values.iter().next())
        .and_then(|v| v.decode_as::<pcms::SigningCertificateV2>().ok());
    if let Some(ess) = &ess {
        let named = ess.certs.first().map(|id| id.cert_hash.as_bytes().to_vec());
        let actual = cert.to_der().ok().map(|d| Sha256::digest(d).to_vec());
        let sha256 = ess.certs.first().is_some_and(|id| {
            id.hash_algorithm
                .as_ref()
                .is_none_or(|a| a.oid == const_oid::db::rfc5912::ID_SHA_256)
        });
        if sha256 && named != actual {
            r.problems.push(problem(
                "wrong-certificate",
                "ใบรับรองที่แนบมาไม่ใช่ใบที่ผู้ลงนามระบุ",
                "the certificate attached is not the one the signer named",
            ));
        }
    }
    r.intact = !r
        .problems
        .iter()
        .any(|p| matches!(p.code, "altered" | "bad-signature" | "wrong-certificate"));

    // The time-stamp over the signature value.
    let token = info.unsigned_attrs.as_ref().and_then(|u| {
        u.iter()
            .find(|a| a.oid == pcms::ID_AA_TIME_STAMP_TOKEN)
            .and_then(|a| a.values.iter().next())
            .and_then(|v| v.to_der().ok())
    });
    if let Some(token) = &token {
        let ts = check_timestamp(token, info.signature.as_bytes(), trusted, &dss.certs, now);
        match ts {
            Ok(t) => r.timestamp = Some(t),
            Err(failure) => {
                let (t, p) = *failure;
                r.timestamp = t;
                r.problems.push(p);
            }
        }
    }
    let at = r
        .timestamp
        .as_ref()
        .filter(|t| t.valid)
        .map(|t| t.unix)
        .unwrap_or(now);

    // The chain, and the certificate's validity when it signed.
    match chain(&cert, &pool, trusted, at) {
        Ok(root) => r.trusted_root = Some(root),
        Err(p) => r.problems.push(p),
    }
    // Revocation, from the file's OCSP answers.
    r.revocation = revocation(&cert, &pool, trusted, &dss.ocsps);
    if r.revocation == Revocation::Revoked {
        r.problems.push(problem(
            "revoked",
            "ใบรับรองของผู้ลงนามถูกเพิกถอนแล้ว (ตามคำตอบ OCSP ในไฟล์)",
            "the signer's certificate has been revoked (by the OCSP answer in the file)",
        ));
    }

    // Later revisions: allowed only when they change nothing the pages show.
    if r.later_revisions {
        match Document::load_mem(&pdf[..end]) {
            Ok(signed) => {
                if fingerprint(&signed) != fingerprint(doc) {
                    r.changed_after = true;
                    r.problems.push(problem(
                        "changed-after",
                        "เอกสารถูกแก้ไขหลังลงนาม (มีการเปลี่ยนหน้า เนื้อหา หรือหมายเหตุประกอบ)",
                        "the document was changed after it was signed (pages, content or annotations)",
                    ));
                }
            }
            Err(_) => r.problems.push(malformed("signed revision")),
        }
    }

    r.level = if sub_filter == b"ETSI.CAdES.detached" {
        let ess_ok = ess.is_some();
        if !ess_ok {
            None
        } else if r.timestamp.is_some() {
            if !dss.ocsps.is_empty() && !dss.certs.is_empty() {
                Some(Level::BLT)
            } else {
                Some(Level::BT)
            }
        } else {
            Some(Level::BB)
        }
    } else {
        None
    };
    r.valid = r.problems.is_empty();
    r
}

fn find_signer(info: &SignerInfo, pool: &[Certificate]) -> Option<Certificate> {
    pool.iter()
        .find(|c| match &info.sid {
            SignerIdentifier::IssuerAndSerialNumber(is) => {
                c.tbs_certificate.issuer == is.issuer
                    && c.tbs_certificate.serial_number == is.serial_number
            }
            SignerIdentifier::SubjectKeyIdentifier(ski) => {
                ski_of(c).as_deref() == Some(ski.0.as_bytes())
            }
        })
        .cloned()
}

fn ski_of(c: &Certificate) -> Option<Vec<u8>> {
    use x509_cert::ext::pkix::SubjectKeyIdentifier;
    c.tbs_certificate.extensions.as_ref()?.iter().find_map(|e| {
        (e.extn_id == const_oid::db::rfc5280::ID_CE_SUBJECT_KEY_IDENTIFIER)
            .then(|| SubjectKeyIdentifier::from_der(e.extn_value.as_bytes()).ok())
            .flatten()
            .map(|s| s.0.as_bytes().to_vec())
    })
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|c| format!("{c:02x}")).collect()
}

/// The digest of `parts` by the algorithm `oid`.
fn digest(oid: &ObjectIdentifier, parts: &[&[u8]]) -> Option<Vec<u8>> {
    use const_oid::db::rfc5912::{ID_SHA_256, ID_SHA_384, ID_SHA_512};
    fn run<D: Digest>(parts: &[&[u8]]) -> Vec<u8> {
        let mut h = D::new();
        for p in parts {
            h.update(p);
        }
        h.finalize().to_vec()
    }
    match *oid {
        o if o == ID_SHA_256 => Some(run::<Sha256>(parts)),
        o if o == ID_SHA_384 => Some(run::<Sha384>(parts)),
        o if o == ID_SHA_512 => Some(run::<Sha512>(parts)),
        _ => None,
    }
}

/// Checks `sig` over `data` with `cert`'s key: RSA PKCS #1 v1.5 or ECDSA P-256, with the
/// digest the algorithm names (or `digest_alg` for a bare rsaEncryption).
pub(crate) fn verify_signature(
    cert: &Certificate,
    alg: &ObjectIdentifier,
    digest_alg: Option<&ObjectIdentifier>,
    data: &[u8],
    sig: &[u8],
) -> Result<(), String> {
    use const_oid::db::rfc5912::*;
    let (hash_oid, ec) = match *alg {
        o if o == SHA_256_WITH_RSA_ENCRYPTION => (ID_SHA_256, false),
        o if o == SHA_384_WITH_RSA_ENCRYPTION => (ID_SHA_384, false),
        o if o == SHA_512_WITH_RSA_ENCRYPTION => (ID_SHA_512, false),
        o if o == RSA_ENCRYPTION => (*digest_alg.ok_or("no digest algorithm")?, false),
        o if o == ECDSA_WITH_SHA_256 => (ID_SHA_256, true),
        o if o == ECDSA_WITH_SHA_384 => (ID_SHA_384, true),
        o if o == ECDSA_WITH_SHA_512 => (ID_SHA_512, true),
        o => return Err(format!("unsupported signature algorithm {o}")),
    };
    let hash = digest(&hash_oid, &[data]).ok_or("unsupported digest")?;
    let spki = &cert.tbs_certificate.subject_public_key_info;
    if ec {
        use p256::ecdsa::signature::hazmat::PrehashVerifier;
        let key = p256::ecdsa::VerifyingKey::from_sec1_bytes(spki.subject_public_key.raw_bytes())
            .map_err(|_| "not a P-256 key".to_string())?;
        let s = p256::ecdsa::Signature::from_der(sig).map_err(|e| e.to_string())?;
        key.verify_prehash(&hash, &s).map_err(|e| e.to_string())
    } else {
        let der = spki.to_der().map_err(|e| e.to_string())?;
        let key = <rsa::RsaPublicKey as spki::DecodePublicKey>::from_public_key_der(&der)
            .map_err(|e| e.to_string())?;
        let scheme = match hash_oid {
            o if o == ID_SHA_256 => rsa::Pkcs1v15Sign::new::<Sha256>(),
            o if o == ID_SHA_384 => rsa::Pkcs1v15Sign::new::<Sha384>(),
            _ => rsa::Pkcs1v15Sign::new::<Sha512>(),
        };
        key.verify(scheme, &hash, sig).map_err(|e| e.to_string())
    }
}

/// Checks a certificate's own signature by its issuer's key.
fn signed_by(cert: &Certificate, issuer: &Certificate) -> bool {
    cert.tbs_certificate.issuer == issuer.tbs_certificate.subject
        && cert.tbs_certificate.to_der().ok().is_some_and(|tbs| {
            verify_signature(
                issuer,
                &cert.signature_algorithm.oid,
                None,
                &tbs,
                cert.signature.raw_bytes(),
            )
            .is_ok()
        })
}

fn validity(c: &Certificate) -> (i64, i64) {
    let v = &c.tbs_certificate.validity;
    (
        v.not_before.to_unix_duration().as_secs() as i64,
        v.not_after.to_unix_duration().as_secs() as i64,
    )
}

/// The chain from `cert` to a trusted root, each certificate valid at `at`; the root's name,
/// or the problem.
fn chain(
    cert: &Certificate,
    pool: &[Certificate],
    trusted: &[Certificate],
    at: i64,
) -> Result<String, Problem> {
    let mut current = cert.clone();
    let name = common_name(&cert.tbs_certificate.subject);
    for _ in 0..12 {
        let (nb, na) = validity(&current);
        let who = common_name(&current.tbs_certificate.subject);
        if at > na {
            return Err(problem(
                "expired",
                format!(
                    "ใบรับรองของ {who} หมดอายุแล้วเมื่อ {} (ก่อนเวลาที่ลงนาม)",
                    rfc3339(na)
                ),
                format!(
                    "the certificate of {who} expired on {} (before the time of signing)",
                    rfc3339(na)
                ),
            ));
        }
        if at < nb {
            return Err(problem(
                "not-yet-valid",
                format!("ใบรับรองของ {who} ยังไม่มีผลจนถึง {}", rfc3339(nb)),
                format!(
                    "the certificate of {who} is not valid until {}",
                    rfc3339(nb)
                ),
            ));
        }
        if trusted.contains(&current) {
            return Ok(who);
        }
        let issuer = trusted
            .iter()
            .chain(pool.iter())
            .find(|i| **i != current && signed_by(&current, i));
        match issuer {
            Some(i) => current = i.clone(),
            None => {
                return Err(problem(
                    "untrusted",
                    format!("ใบรับรองของ {name} ไม่ได้ออกโดยผู้ให้บริการที่สำนักงานเชื่อถือ (เพิ่มใบรับรองราก เช่น NRCA หรือ TDID ด้วย --trust)"),
                    format!("the certificate of {name} does not chain to a root the office trusts (add the root, e.g. NRCA or TDID, with --trust)"),
                ))
            }
        }
    }
    Err(problem(
        "untrusted",
        "สายใบรับรองยาวเกินไป",
        "the certificate chain is too long",
    ))
}

/// What the file's OCSP answers say of `cert`.
fn revocation(
    cert: &Certificate,
    pool: &[Certificate],
    trusted: &[Certificate],
    ocsps: &[Vec<u8>],
) -> Revocation {
    use x509_ocsp::{BasicOcspResponse, CertStatus, OcspResponse};
    let mut status = Revocation::Unknown;
    for bytes in ocsps {
        let basic = match OcspResponse::from_der(bytes) {
            Ok(r) => match r
                .response_bytes
                .and_then(|b| BasicOcspResponse::from_der(b.response.as_bytes()).ok())
            {
                Some(b) => b,
                None => continue,
            },
            Err(_) => match BasicOcspResponse::from_der(bytes) {
                Ok(b) => b,
                Err(_) => continue,
            },
        };
        // Signed by the issuer, or by a responder the issuer certified.
        let Ok(tbs) = basic.tbs_response_data.to_der() else {
            continue;
        };
        let mut signers: Vec<Certificate> = basic.certs.clone().unwrap_or_default();
        signers.extend(
            pool.iter()
                .chain(trusted.iter())
                .filter(|c| c.tbs_certificate.subject == cert.tbs_certificate.issuer)
                .cloned(),
        );
        let issuer = pool
            .iter()
            .chain(trusted.iter())
            .find(|i| signed_by(cert, i));
        let Some(issuer) = issuer else { continue };
        let signed = signers.iter().any(|s| {
            (s == issuer || signed_by(s, issuer))
                && verify_signature(
                    s,
                    &basic.signature_algorithm.oid,
                    None,
                    &tbs,
                    basic.signature.raw_bytes(),
                )
                .is_ok()
        });
        if !signed {
            continue;
        }
        for single in &basic.tbs_response_data.responses {
            if single.cert_id.serial_number != cert.tbs_certificate.serial_number {
                continue;
            }
            match single.cert_status {
                CertStatus::Revoked(_) => return Revocation::Revoked,
                CertStatus::Good(_) => status = Revocation::Good,
                CertStatus::Unknown(_) => {}
            }
        }
    }
    status
}

/// Why a time-stamp token failed, with what it said when it could be read (boxed: a
/// `Timestamp` and a `Problem` are large beside the `Timestamp` of success).
type TimestampFailure = Box<(Option<Timestamp>, Problem)>;

/// Checks a signature time-stamp token over `signature`.
fn check_timestamp(
    token: &[u8],
    signature: &[u8],
    trusted: &[Certificate],
    extra: &[Certificate],
    now: i64,
) -> Result<Timestamp, TimestampFailure> {
    let bad = |th: &str, en: &str| {
        problem(
            "bad-timestamp",
            format!("ตราเวลาไม่ถูกต้อง: {th}"),
            format!("the time-stamp is invalid: {en}"),
        )
    };
    let sd: SignedData = pcms::parse(token).map_err(|_| (None, bad("อ่านไม่ได้", "unreadable")))?;
    let info = crate::tsa::tst_info(token).map_err(|_| (None, bad("อ่านไม่ได้", "unreadable")))?;
    let unix = info.gen_time.to_unix_duration().as_secs() as i64;
    let mut pool = pcms::certificates(&sd);
    pool.extend(extra.iter().cloned());
    let si = sd.signer_infos.0.iter().next().cloned();
    let tsa = si.as_ref().and_then(|si| find_signer(si, &pool));
    let mut ts = Timestamp {
        time: rfc3339(unix),
        unix,
        authority: tsa
            .as_ref()
            .map(|c| common_name(&c.tbs_certificate.subject))
            .unwrap_or_default(),
        valid: false,
    };
    let (Some(si), Some(tsa)) = (si, tsa) else {
        return Err(Box::new((
            Some(ts),
            bad(
                "ไม่มีใบรับรองของผู้ให้บริการตราเวลา",
                "the authority's certificate is missing",
            ),
        )));
    };
    let imprint_ok = digest(&info.message_imprint.hash_algorithm.oid, &[signature])
        .is_some_and(|d| d == info.message_imprint.hashed_message.as_bytes());
    if !imprint_ok {
        return Err(Box::new((
            Some(ts),
            bad("ไม่ได้ประทับลายมือชื่อนี้", "it is not over this signature"),
        )));
    }
    // Its content digest and signature.
    let econtent = sd
        .encap_content_info
        .econtent
        .as_ref()
        .and_then(|c| c.decode_as::<OctetString>().ok());
    let attrs = si.signed_attrs.clone().unwrap_or_default();
    let md = attrs
        .iter()
        .find(|a| a.oid == const_oid::db::rfc5911::ID_MESSAGE_DIGEST)
        .and_then(|a| a.values.iter().next())
        .and_then(|v| v.decode_as::<OctetString>().ok());
    let content_ok = match (econtent, md) {
        (Some(c), Some(md)) => {
            digest(&si.digest_alg.oid, &[c.as_bytes()]).is_some_and(|d| d == md.as_bytes())
        }
        _ => false,
    };
    let sig_ok = attrs.to_der().ok().is_some_and(|d| {
        verify_signature(
            &tsa,
            &si.signature_algorithm.oid,
            Some(&si.digest_alg.oid),
            &d,
            si.signature.as_bytes(),
        )
        .is_ok()
    });
    if !content_ok || !sig_ok {
        return Err(Box::new((
            Some(ts),
            bad(
                "ลายมือชื่อของผู้ให้บริการตราเวลาไม่ถูกต้อง",
                "the authority's signature does not verify",
            ),
        )));
    }
    if let Err(p) = chain(&tsa, &pool, trusted, unix.min(now)) {
        return Err(Box::new((
            Some(ts),
            bad(
                &format!("ผู้ให้บริการตราเวลาไม่น่าเชื่อถือ ({})", p.th),
                &format!("the authority is not trusted ({})", p.en),
            ),
        )));
    }
    ts.valid = true;
    Ok(ts)
}

/// A digest of what the pages show: each page's boxes, rotation, content, resources and
/// annotations other than signature fields, followed through references.
fn fingerprint(doc: &Document) -> Vec<u8> {
    let mut h = Sha256::new();
    let pages = doc.get_pages();
    h.update((pages.len() as u64).to_be_bytes());
    for (_, id) in pages {
        let Ok(page) = doc.get_dictionary(id) else {
            continue;
        };
        h.update(b"page");
        h.update(doc.get_page_content(id));
        for key in [&b"MediaBox"[..], b"CropBox", b"Rotate", b"Resources"] {
            if let Ok(o) = page.get(key) {
                h.update(key);
                hash_object(doc, o, &mut h, &mut HashSet::new(), 0);
            }
        }
        if let Ok(annots) = page.get(b"Annots") {
            if let Object::Array(a) = resolve(doc, annots) {
                for annot in a {
                    let Some(d) = resolve_dict(doc, &annot) else {
                        continue;
                    };
                    let sig_field = d
                        .get(b"FT")
                        .and_then(|o| o.as_name())
                        .is_ok_and(|n| n == b"Sig");
                    if sig_field {
                        continue;
                    }
                    hash_object(doc, &annot, &mut h, &mut HashSet::new(), 0);
                }
            }
        }
    }
    h.finalize().to_vec()
}

fn hash_object(
    doc: &Document,
    o: &Object,
    h: &mut Sha256,
    seen: &mut HashSet<ObjectId>,
    depth: usize,
) {
    if depth > 64 {
        return;
    }
    match o {
        Object::Reference(id) => {
            if !seen.insert(*id) {
                h.update(b"seen");
                return;
            }
            if let Ok(o) = doc.get_object(*id) {
                hash_object(doc, o, h, seen, depth + 1);
            }
        }
        Object::Array(a) => {
            h.update(b"[");
            for o in a {
                hash_object(doc, o, h, seen, depth + 1);
            }
            h.update(b"]");
        }
        Object::Dictionary(d) => hash_dict(doc, d, h, seen, depth),
        Object::Stream(s) => {
            hash_dict(doc, &s.dict, h, seen, depth);
            h.update(&s.content);
        }
        other => {
            h.update(format!("{other:?}").as_bytes());
        }
    }
}

fn hash_dict(
    doc: &Document,
    d: &lopdf::Dictionary,
    h: &mut Sha256,
    seen: &mut HashSet<ObjectId>,
    depth: usize,
) {
    h.update(b"<<");
    for (k, v) in d.iter() {
        // A page's parent and an annotation's page point back up; not what it shows.
        if matches!(k.as_slice(), b"Parent" | b"P") {
            continue;
        }
        h.update(k);
        hash_object(doc, v, h, seen, depth + 1);
    }
    h.update(b">>");
}
