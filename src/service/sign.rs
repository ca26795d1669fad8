//! Signing issued letters and verifying signed ones (ลงนามและตรวจสอบหนังสือ): the office's
//! side of `saraban-sign`. A letter is signed on the copy the register holds last (the
//! issued PDF, or the last signed copy for a countersigner), its signature field in the
//! letter's signature space, its appearance typeset here in the letter's font; the signed
//! copy is recorded in the register with who signed, how and when.
//!
//! Verifying reads a PDF with nothing but the file and the roots the office trusts, and
//! says besides whether the letter is the one this register issued (its number and date,
//! and whether the file is a copy the register keeps, byte for byte).

use std::path::PathBuf;

use serde::Serialize;
use ts_rs::TS;

use super::receive::thai_short_date;
use super::Office;
use crate::register::{NewSignature, Signature, SignatureKind, Status};
use crate::sign::{cms, key::Credentials, ltv, pdf, tsa, verify, Certificate, Level};
use crate::typeset::frame::SlotRole;
use crate::typeset::Item;
use crate::{Error, Result};

/// Where the signer's key is.
#[derive(Debug, Clone)]
pub enum KeySource {
    /// A PKCS #12 file and its password.
    Pkcs12 { file: PathBuf, password: String },
    /// A PKCS #11 token: its module, the slot (first with a token when `None`), the PIN.
    Pkcs11 {
        module: PathBuf,
        slot: Option<usize>,
        pin: String,
    },
}

/// How to sign.
#[derive(Debug, Clone)]
pub struct SignRequest {
    pub key: KeySource,
    /// The time-stamp authority (`None`: the office's, if set).
    pub tsa: Option<String>,
    /// The signer's position as the appearance shows it (`None`: the letter's signer's
    /// for the first signature, none for a countersigner).
    pub position: Option<String>,
}

/// What signing did.
#[derive(Debug, Clone, Serialize, TS)]
pub struct Signed {
    /// The signature as recorded.
    pub signature: Signature,
    /// The letter's number.
    pub number: String,
    /// What did not go as asked (no time-stamp, no validation data), each a sentence in
    /// Thai and in English.
    pub notes: Vec<(String, String)>,
}

/// A verification, and where the letter stands in this register.
#[derive(Debug, Clone, Serialize)]
pub struct Verification {
    #[serde(flatten)]
    pub report: verify::Report,
    /// The register's entry this file is a copy of, if any: its id and number.
    pub entry: Option<(i64, String)>,
    /// The file is, byte for byte, the issued PDF or a signed copy this register keeps.
    pub kept_copy: bool,
}

/// The setting that holds the office's time-stamp authority.
pub const TSA_SETTING: &str = "sign.tsa";
/// The setting that holds the roots the office trusts (PEM).
pub const ROOTS_SETTING: &str = "sign.roots";

fn sign_err(th: String, en: String) -> Error {
    Error::Sign { th, en }
}

impl Office {
    /// The time-stamp authority the office set, if any.
    pub fn tsa_url(&self) -> Result<Option<String>> {
        Ok(self
            .reg()?
            .setting(TSA_SETTING)?
            .and_then(|b| String::from_utf8(b).ok())
            .filter(|s| !s.trim().is_empty()))
    }

    /// Sets (or with `None` clears) the office's time-stamp authority.
    pub fn set_tsa_url(&mut self, url: Option<&str>) -> Result<()> {
        self.reg_mut()?
            .set_settings(&[(TSA_SETTING, url.map(str::as_bytes))])
    }

    /// The roots the office trusts.
    pub fn trusted_roots(&self) -> Result<Vec<Certificate>> {
        match self.reg()?.setting(ROOTS_SETTING)? {
            Some(pem) if !pem.is_empty() => crate::sign::key::certificates_from_bytes(&pem),
            _ => Ok(Vec::new()),
        }
    }

    /// Adds roots (a PEM or DER file's certificates) to those the office trusts.
    pub fn add_trusted_roots(&mut self, bytes: &[u8]) -> Result<Vec<String>> {
        let new = crate::sign::key::certificates_from_bytes(bytes)?;
        let mut all = self.trusted_roots()?;
        let mut names = Vec::new();
        for c in new {
            names.push(crate::sign::key::common_name(&c.tbs_certificate.subject));
            if !all.contains(&c) {
                all.push(c);
            }
        }
        let pem = crate::sign::key::certificates_to_pem(&all)?;
        self.reg_mut()?
            .set_settings(&[(ROOTS_SETTING, Some(pem.as_bytes()))])?;
        Ok(names)
    }

    /// The signatures of a letter, in order.
    pub fn signatures(&self, id: i64) -> Result<Vec<Signature>> {
        self.reg()?.signatures(id)
    }

    /// The copy of a letter the register holds last: the last signed copy, else the
    /// issued PDF.
    pub fn latest_pdf(&self, id: i64) -> Result<Vec<u8>> {
        let reg = self.reg()?;
        match reg.signatures(id)?.last() {
            Some(s) => reg.signed_pdf(s.id),
            None => reg.pdf(id),
        }
    }

    /// Signs an issued letter with a certificate (PAdES): B-T when a time-stamp authority
    /// answers, B-LT when the responders the certificates name answer too; the signed copy
    /// recorded in the register.
    pub fn sign(&mut self, id: i64, req: &SignRequest) -> Result<Signed> {
        let creds = match &req.key {
            KeySource::Pkcs12 { file, password } => {
                let bytes = super::read_limited(file, |p, th, en| Error::Sign {
                    th: format!("{}: {th}", p.display()),
                    en: format!("{}: {en}", p.display()),
                })?;
                Credentials::from_pkcs12(&bytes, password)?
            }
            KeySource::Pkcs11 { module, slot, pin } => {
                Credentials::from_pkcs11(module, *slot, pin)?
            }
        };
        self.sign_with(id, &creds, req)
    }

    /// Signs with credentials already opened (the app keeps a token's session).
    pub fn sign_with(&mut self, id: i64, creds: &Credentials, req: &SignRequest) -> Result<Signed> {
        let now = chrono::Utc::now();
        let (not_before, not_after) = creds.validity();
        let who = creds.signer_name();
        if now.timestamp() > not_after || now.timestamp() < not_before {
            let when = super::receive::thai_when(
                &chrono::DateTime::from_timestamp(not_after, 0)
                    .unwrap_or_default()
                    .to_rfc3339(),
            );
            return Err(sign_err(
                format!("ใบรับรองของ {who} ใช้ไม่ได้ในขณะนี้ (หมดอายุหรือยังไม่มีผล ใช้ได้ถึง {when}): ขอใบรับรองใหม่จากผู้ให้บริการ"),
                format!("the certificate of {who} is not valid now (expired or not yet valid; valid until {when}): get a new one from your certificate authority"),
            ));
        }
        let entry = self.reg()?.entry(id)?;
        if entry.status != Status::Issued {
            return Err(sign_err(
                format!(
                    "ลงนามหนังสือ {} ไม่ได้: ลงนามได้เฉพาะหนังสือที่ออกเลขแล้วและไม่ถูกยกเลิก",
                    entry.number
                ),
                format!(
                    "cannot sign {}: only issued letters that are not cancelled can be signed",
                    entry.number
                ),
            ));
        }
        let previous = self.reg()?.signatures(id)?;
        let base = self.latest_pdf(id)?;
        let base_sha = crate::sign::sha256_hex(&base);
        let letter = self.reg()?.issued_letter(id)?;
        let seq = previous.len() + 1;
        let position = req.position.clone().unwrap_or_else(|| {
            if seq == 1 {
                letter
                    .signer
                    .as_ref()
                    .map(|s| s.position_lines().join(" "))
                    .unwrap_or_default()
            } else {
                String::new()
            }
        });

        // The field: in the signature space for the one who signs; a countersigner's
        // beside it.
        let (page, rect) = self.field_rect(&letter, seq)?;
        let appearance = self.appearance("ลงนามด้วยลายมือชื่ออิเล็กทรอนิกส์", &who, &position, rect)?;

        let tsa_url = match &req.tsa {
            Some(u) => Some(u.clone()),
            None => self.tsa_url()?,
        };
        let mut notes: Vec<(String, String)> = Vec::new();
        let mut ts_time: Option<String> = None;
        let mut tsa_certs: Vec<Certificate> = Vec::new();
        let signed = pdf::sign(
            &base,
            &pdf::Field {
                page,
                rect,
                appearance: Some(appearance),
                name: format!("ลายมือชื่อ{seq}"),
            },
            &pdf::SigInfo {
                name: Some(who.clone()),
                reason: Some(format!("ลงนามหนังสือ {}", entry.number)),
                location: None,
                time_unix: now.timestamp(),
            },
            pdf::RESERVED,
            |digest| {
                let cms_bytes = cms::signed_data(creds, digest)?;
                let Some(url) = &tsa_url else {
                    notes.push((
                        "ไม่ได้ตั้งผู้ให้บริการตราเวลา (TSA) จึงลงนามระดับ B-B ไม่มีตราเวลา".into(),
                        "no time-stamp authority is set: signed at level B-B (no time-stamp); set one with --tsa".into(),
                    ));
                    return Ok(cms_bytes);
                };
                match cms::signature_value(&cms_bytes).and_then(|v| tsa::timestamp(url, &v)) {
                    Ok(token) => {
                        if let Ok(info) = tsa::tst_info(&token) {
                            ts_time = chrono::DateTime::from_timestamp(
                                info.gen_time.to_unix_duration().as_secs() as i64,
                                0,
                            )
                            .map(|t| t.to_rfc3339());
                        }
                        if let Ok(sd) = cms::parse(&token) {
                            tsa_certs = cms::certificates(&sd);
                        }
                        cms::add_timestamp(&cms_bytes, &token)
                    }
                    Err(e) => {
                        notes.push((
                            format!(
                                "ไม่ได้ตราเวลา ({}) จึงลงนามระดับ B-B",
                                e.lines(crate::Lang::Th).join(" ")
                            ),
                            format!(
                                "no time-stamp ({}), so signed at level B-B",
                                e.lines(crate::Lang::En).join(" ")
                            ),
                        ));
                        Ok(cms_bytes)
                    }
                }
            },
        )?;
        let mut level = if ts_time.is_some() {
            Level::BT
        } else {
            Level::BB
        };
        let mut out = signed;
        // B-LT: the responders' answers for every certificate, in the DSS.
        if level == Level::BT {
            let mut chains = creds.chain.clone();
            chains.extend(tsa_certs);
            let data = ltv::fetch(&chains);
            if !data.revoked.is_empty() {
                return Err(sign_err(
                    format!("ใบรับรองถูกเพิกถอนแล้ว ({}) จึงไม่ลงนาม", data.revoked.join(", ")),
                    format!(
                        "a certificate is revoked ({}), so the letter was not signed",
                        data.revoked.join(", ")
                    ),
                ));
            }
            if data.ocsps.is_empty() || !data.missing.is_empty() {
                let why: Vec<String> = data
                    .missing
                    .iter()
                    .map(|(n, e)| format!("{n}: {e}"))
                    .collect();
                notes.push((
                    format!("ไม่ได้ข้อมูลสถานะใบรับรอง (OCSP) ครบ จึงลงนามระดับ B-T {}", why.join("; ")),
                    format!("the certificates' status (OCSP) could not all be had, so signed at level B-T {}", why.join("; ")),
                ));
            } else {
                out = pdf::add_dss(&out, &data.certs, &data.ocsps, &[])?;
                level = Level::BLT;
            }
        }
        let cert = creds.certificate();
        let signature = self.reg_mut()?.add_signature(&NewSignature {
            letter_id: id,
            kind: SignatureKind::Pades,
            signer: who,
            position,
            certificate: format!(
                "{} #{}",
                crate::sign::key::common_name(&cert.tbs_certificate.issuer),
                hex(cert.tbs_certificate.serial_number.as_bytes())
            ),
            level: level.as_str().to_string(),
            timestamp: ts_time,
            pdf: out,
            base_sha256: base_sha,
        })?;
        Ok(Signed {
            signature,
            number: entry.number,
            notes,
        })
    }

    /// Signs with the name typed (ระเบียบฯ ๒๕๖๔: in a system that identified the signer, the
    /// name may be typed instead of signed): no certificate; the name, position and time
    /// shown in the signature space, the copy recorded with who typed it (this computer's
    /// account) in the register and its audit chain.
    pub fn sign_typed(&mut self, id: i64, name: &str, position: Option<&str>) -> Result<Signed> {
        let name = name.trim();
        if name.is_empty() {
            return Err(sign_err(
                "พิมพ์ชื่อผู้ลงนาม".into(),
                "type the signer's name".into(),
            ));
        }
        let entry = self.reg()?.entry(id)?;
        if entry.status != Status::Issued {
            return Err(sign_err(
                format!(
                    "ลงนามหนังสือ {} ไม่ได้: ลงนามได้เฉพาะหนังสือที่ออกเลขแล้วและไม่ถูกยกเลิก",
                    entry.number
                ),
                format!(
                    "cannot sign {}: only issued letters that are not cancelled can be signed",
                    entry.number
                ),
            ));
        }
        let letter = self.reg()?.issued_letter(id)?;
        let seq = self.reg()?.signatures(id)?.len() + 1;
        let position = position.map(str::to_string).unwrap_or_else(|| {
            if seq == 1 {
                letter
                    .signer
                    .as_ref()
                    .map(|s| s.position_lines().join(" "))
                    .unwrap_or_default()
            } else {
                String::new()
            }
        });
        let base = self.latest_pdf(id)?;
        let base_sha = crate::sign::sha256_hex(&base);
        let (page, rect) = self.field_rect(&letter, seq)?;
        let appearance = self.appearance("ลงชื่อโดยพิมพ์ชื่อ (ระเบียบฯ ๒๕๖๔)", name, &position, rect)?;
        let out = pdf::annotate(
            &base,
            &pdf::Field {
                page,
                rect,
                appearance: Some(appearance),
                name: format!("ลายมือชื่อ{seq}"),
            },
            &format!("ลงชื่อ {name} โดยพิมพ์ชื่อ"),
        )?;
        let signature = self.reg_mut()?.add_signature(&NewSignature {
            letter_id: id,
            kind: SignatureKind::Typed,
            signer: name.to_string(),
            position,
            certificate: String::new(),
            level: "typed".into(),
            timestamp: None,
            pdf: out,
            base_sha256: base_sha,
        })?;
        Ok(Signed {
            signature,
            number: entry.number,
            notes: Vec::new(),
        })
    }

    /// The rectangle of the `seq`th signature: the signature space for the first, a
    /// countersigner's beside it to the left where the page has room, else below.
    fn field_rect(&self, letter: &crate::Letter, seq: usize) -> Result<(usize, [f32; 4])> {
        let (page, mut rect) = self.signature_space(letter)?;
        let w = rect[2] - rect[0];
        if seq > 1 {
            let shift = (w + 6.0) * (seq - 1) as f32;
            if rect[0] - shift >= 36.0 {
                rect[0] -= shift;
                rect[2] -= shift;
            } else {
                rect[1] -= 60.0 * (seq - 1) as f32;
                rect[3] -= 60.0 * (seq - 1) as f32;
            }
        }
        Ok((page, rect))
    }

    /// The appearance of a signature in `rect`: a one-page PDF of its size.
    fn appearance(
        &self,
        heading: &str,
        name: &str,
        position: &str,
        rect: [f32; 4],
    ) -> Result<Vec<u8>> {
        let local = chrono::Utc::now()
            .with_timezone(&chrono::FixedOffset::east_opt(7 * 3600).expect("UTC+7"));
        let time = format!(
            "{} {}",
            thai_short_date(local.date_naive()),
            crate::thai::to_thai_digits(&local.format("%H.%M น.").to_string())
        );
        let size = crate::typeset::Size {
            w: rect[2] - rect[0],
            h: rect[3] - rect[1],
        };
        let doc = crate::typeset::layout::signature::appearance(
            &self.press.typesetter,
            &crate::typeset::layout::signature::AppearanceText {
                heading,
                name,
                position,
                time: &time,
            },
            size,
        );
        self.press.writer.write(&doc, &Default::default())
    }

    /// The signature space of a letter as laid out: its page (from 0) and rectangle in PDF
    /// points (origin bottom left).
    fn signature_space(&self, letter: &crate::Letter) -> Result<(usize, [f32; 4])> {
        let doc = self.typeset(letter)?;
        for (i, frame) in doc.pages.iter().enumerate() {
            for (p, item) in &frame.items {
                if let Item::Slot {
                    size,
                    role: SlotRole::Signature,
                } = item
                {
                    let h = frame.size.h;
                    return Ok((i, [p.x, h - p.y - size.h, p.x + size.w, h - p.y]));
                }
            }
        }
        // No signature space (a stamped letter): at the foot of the last page.
        let last = doc.pages.len().saturating_sub(1);
        let w = doc.pages.last().map(|f| f.size.w).unwrap_or(595.0);
        Ok((last, [w - 72.0 - 170.0, 60.0, w - 72.0, 111.0]))
    }

    /// Verifies a PDF: every signature against the office's roots and `extra` roots, and
    /// whether it is a letter of this register.
    pub fn verify_pdf(&self, bytes: &[u8], extra: &[Certificate]) -> Result<Verification> {
        let mut roots = self.trusted_roots().unwrap_or_default();
        roots.extend(extra.iter().cloned());
        let report = verify::verify(bytes, &roots);
        let sha = crate::sign::sha256_hex(bytes);
        let mut entry = None;
        let mut kept_copy = false;
        if let Ok(reg) = self.reg() {
            if let Ok(Some(s)) = reg.signature_by_sha(&sha) {
                kept_copy = true;
                if let Ok(e) = reg.entry(s.letter_id) {
                    entry = Some((e.id, e.number));
                }
            }
            // A signed copy's first revision is the issued PDF, as the register keeps it
            // (the signature's update may have added a line break after its %%EOF).
            if entry.is_none() {
                for issued in first_revisions(bytes) {
                    if let Ok(Some(id)) = reg.issued_by_sha(&crate::sign::sha256_hex(issued)) {
                        kept_copy = issued.len() == bytes.len();
                        if let Ok(e) = reg.entry(id) {
                            entry = Some((e.id, e.number));
                        }
                        break;
                    }
                }
            }
        }
        Ok(Verification {
            report,
            entry,
            kept_copy,
        })
    }
}

/// The bytes of a PDF's first revision (up to its first `%%EOF`), with and without the
/// line breaks after it.
fn first_revisions(bytes: &[u8]) -> Vec<&[u8]> {
    let Some(pos) = bytes.windows(5).position(|w| w == b"%%EOF") else {
        return Vec::new();
    };
    let mut end = pos + 5;
    let mut out = vec![&bytes[..end]];
    while end < bytes.len() && matches!(bytes[end], b'\r' | b'\n') {
        end += 1;
        out.push(&bytes[..end]);
    }
    out
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|c| format!("{c:02x}")).collect()
}

/// One signature as the app shows it (Thai).
#[derive(Debug, Clone, Serialize, TS)]
pub struct SignatureView {
    pub field: String,
    pub signer: String,
    pub issuer: String,
    /// PAdES level (`B-B`, `B-T`, `B-LT`), or null when not a PAdES signature.
    pub level: Option<String>,
    /// When the time-stamp authority says it existed (Thai), else the time claimed.
    pub time: String,
    /// Whether the time is a time-stamp's.
    pub timestamped: bool,
    /// The trusted root it chains to.
    pub trusted_root: Option<String>,
    /// What is wrong (Thai), empty when valid.
    pub problems: Vec<String>,
    /// Data (signatures, validation data) was added after it, the content unchanged.
    pub added_after: bool,
    pub valid: bool,
}

/// What the verification screen shows of a file: a signed PDF or a picture of a page.
#[derive(Debug, Clone, Serialize, TS)]
pub struct VerifyView {
    /// The file's name.
    pub file: String,
    /// `pdf` or `printed`.
    pub kind: String,
    pub valid: bool,
    /// The signatures of a PDF.
    pub signatures: Vec<SignatureView>,
    /// The letter of this register it is (its number), if it is one.
    pub number: Option<String>,
    #[ts(type = "number | null")]
    pub entry: Option<i64>,
    /// What the verdict rests on, sentence by sentence (Thai).
    pub notes: Vec<String>,
}

impl Office {
    /// Verifies a file as the app's verification screen shows it: a PDF's signatures, or
    /// a photo or scan's signed statement.
    pub fn verify_view(&self, name: &str, bytes: &[u8]) -> Result<VerifyView> {
        let when = |t: &str| super::receive::thai_when(t);
        if bytes.starts_with(b"%PDF") {
            let v = self.verify_pdf(bytes, &[])?;
            let mut notes = Vec::new();
            if v.report.signatures.is_empty() {
                notes.push("ไม่มีลายมือชื่ออิเล็กทรอนิกส์ในไฟล์นี้".to_string());
            }
            if v.kept_copy {
                notes.push("ตรงกับฉบับที่ทะเบียนเก็บไว้ทุกไบต์".to_string());
            }
            let number = v.entry.as_ref().map(|(_, n)| n.clone());
            return Ok(VerifyView {
                file: name.to_string(),
                kind: "pdf".into(),
                valid: v.report.valid,
                signatures: v
                    .report
                    .signatures
                    .iter()
                    .map(|s| SignatureView {
                        field: s.field.clone(),
                        signer: s.signer.clone(),
                        issuer: s.issuer.clone(),
                        level: s.level.map(|l| l.as_str().to_string()),
                        time: s
                            .timestamp
                            .as_ref()
                            .map(|t| when(&t.time))
                            .or_else(|| s.claimed_time.as_deref().map(when))
                            .unwrap_or_default(),
                        timestamped: s.timestamp.as_ref().is_some_and(|t| t.valid),
                        trusted_root: s.trusted_root.clone(),
                        problems: s.problems.iter().map(|p| p.th.clone()).collect(),
                        added_after: s.later_revisions && !s.changed_after,
                        valid: s.valid,
                    })
                    .collect(),
                number,
                entry: v.entry.map(|(id, _)| id),
                notes,
            });
        }
        let c = self.check_printed(bytes)?;
        use crate::sign::statement::Refusal;
        let mut notes: Vec<String> = Vec::new();
        match &c.refusal {
            Some(Refusal::NotAStatement) => notes
                .push("ไม่พบคิวอาร์โค้ดรับรองในภาพ: สแกนที่ ๓๐๐ dpi หรือถ่ายมุมขวาล่างของหน้าสุดท้ายให้ชัด".into()),
            Some(Refusal::Malformed) => {
                notes.push("คิวอาร์โค้ดอ่านได้ แต่ข้อความรับรองเสียหายหรือถูกแก้ไข".into())
            }
            Some(Refusal::UnknownKey(_)) => notes.push(
                "ข้อความรับรองลงนามด้วยกุญแจที่ทะเบียนนี้ไม่รู้จัก: ไม่ได้ออกจากสำนักงานนี้ หรือเป็นของปลอม".into(),
            ),
            Some(Refusal::BadSignature) => {
                notes.push("ลายมือชื่อของข้อความรับรองไม่ถูกต้อง: ข้อความถูกแก้ไขหรือปลอม".into())
            }
            None => notes.push("ข้อความรับรองในคิวอาร์โค้ดลงนามด้วยกุญแจของสำนักงานนี้".into()),
        }
        notes.extend(c.mismatches.iter().map(|(th, _)| th.clone()));
        Ok(VerifyView {
            file: name.to_string(),
            kind: "printed".into(),
            valid: c.valid,
            signatures: Vec::new(),
            number: c
                .statement
                .as_ref()
                .map(|s| crate::thai::to_thai_digits(&s.number)),
            entry: c.entry,
            notes,
        })
    }
}
