//! `saraban sign`, `saraban verify` and `saraban trust`: signing an issued letter with a
//! certificate, verifying a signed PDF offline, and the roots and time-stamp authority
//! the office trusts. The password or PIN comes from `SARABAN_SIGN_PASSWORD` or the
//! terminal (never a flag, which the shell's history would keep).

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Subcommand;
use saraban::service::sign::{KeySource, SignRequest, Verification};
use saraban::sign::verify::SignatureReport;
use saraban::{Error, Lang, Office};

#[derive(Subcommand)]
pub enum TrustAction {
    /// Trust the root certificates in a file (PEM or DER): Thai NRCA, TDID, the office's own.
    Add { file: PathBuf },
    /// The roots trusted and the time-stamp authority.
    List,
    /// The time-stamp authority to ask when signing (an RFC 3161 URL); --clear removes it.
    Tsa {
        url: Option<String>,
        #[arg(long)]
        clear: bool,
    },
}

fn say(lang: Lang, th: String, en: String) {
    crate::print_line(&match lang {
        Lang::Th => th,
        Lang::En => en,
    });
}

/// The key's password or the token's PIN: `SARABAN_SIGN_PASSWORD`, else asked on the
/// terminal without echo.
fn secret(lang: Lang, token: bool) -> Result<String, Error> {
    if let Ok(p) = std::env::var("SARABAN_SIGN_PASSWORD") {
        return Ok(p);
    }
    if !std::io::stdin().is_terminal() {
        return Err(Error::Sign {
            th: "ต้องใช้รหัสผ่าน: ตั้ง SARABAN_SIGN_PASSWORD หรือสั่งจากเทอร์มินัลเพื่อพิมพ์รหัส".into(),
            en: "a password is needed: set SARABAN_SIGN_PASSWORD, or run it at a terminal to type it".into(),
        });
    }
    let prompt = match (lang, token) {
        (Lang::Th, true) => "รหัส PIN ของบัตรหรือโทเคน: ",
        (Lang::Th, false) => "รหัสผ่านของไฟล์กุญแจ: ",
        (Lang::En, true) => "the card's or token's PIN: ",
        (Lang::En, false) => "the key file's password: ",
    };
    rpassword::prompt_password(prompt).map_err(|source| Error::Read {
        path: PathBuf::from("terminal"),
        source,
    })
}

#[allow(clippy::too_many_arguments)]
pub fn sign(
    office: &mut Office,
    id: &str,
    p12: Option<PathBuf>,
    pkcs11: Option<PathBuf>,
    slot: Option<usize>,
    tsa: Option<String>,
    position: Option<String>,
    output: Option<PathBuf>,
    json: bool,
    lang: Lang,
) -> Result<ExitCode, Error> {
    let entry = office.show(id)?;
    let output = match &output {
        Some(out) => Some(office.output(out)?),
        None => None,
    };
    let key = match (p12, pkcs11) {
        (Some(file), None) => KeySource::Pkcs12 {
            file,
            password: secret(lang, false)?,
        },
        (None, Some(module)) => KeySource::Pkcs11 {
            module,
            slot,
            pin: secret(lang, true)?,
        },
        _ => {
            return Err(Error::Sign {
                th: "ระบุกุญแจหนึ่งอย่าง: --p12 ไฟล์ หรือ --pkcs11 โมดูล".into(),
                en: "give one key: --p12 FILE or --pkcs11 MODULE".into(),
            })
        }
    };
    let signed = office.sign(entry.id, &SignRequest { key, tsa, position })?;
    let pdf = office.latest_pdf(entry.id)?;
    if let Some(out) = output {
        out.commit(&pdf)?;
    }
    if json {
        crate::print_line(&serde_json::to_string(&signed).unwrap_or_default());
    } else {
        let s = &signed.signature;
        say(
            lang,
            format!(
                "ลงนามหนังสือ {} แล้ว (ลายมือชื่อที่ {}): {} ระดับ PAdES {}{}",
                signed.number,
                s.seq,
                s.signer,
                s.level,
                s.timestamp
                    .as_deref()
                    .map(|t| format!(", ตราเวลา {t}"))
                    .unwrap_or_default()
            ),
            format!(
                "signed {} (signature {}): {}, PAdES {}{}",
                signed.number,
                s.seq,
                s.signer,
                s.level,
                s.timestamp
                    .as_deref()
                    .map(|t| format!(", time-stamped {t}"))
                    .unwrap_or_default()
            ),
        );
    }
    for (th, en) in &signed.notes {
        tell!("saraban: {}", if lang == Lang::Th { th } else { en });
    }
    Ok(ExitCode::SUCCESS)
}

pub fn sign_typed(
    office: &mut Office,
    id: &str,
    name: &str,
    position: Option<String>,
    output: Option<PathBuf>,
    json: bool,
    lang: Lang,
) -> Result<ExitCode, Error> {
    let entry = office.show(id)?;
    let output = match &output {
        Some(out) => Some(office.output(out)?),
        None => None,
    };
    let signed = office.sign_typed(entry.id, name, position.as_deref())?;
    if let Some(out) = output {
        out.commit(&office.latest_pdf(entry.id)?)?;
    }
    if json {
        crate::print_line(&serde_json::to_string(&signed).unwrap_or_default());
    } else {
        say(
            lang,
            format!(
                "ลงชื่อ {} โดยพิมพ์ชื่อในหนังสือ {} แล้ว (บันทึกผู้พิมพ์ไว้ในทะเบียน)",
                signed.signature.signer, signed.number
            ),
            format!(
                "{} typed as the signer of {} (who typed it is recorded)",
                signed.signature.signer, signed.number
            ),
        );
    }
    Ok(ExitCode::SUCCESS)
}

pub fn verify(
    office: Option<&Office>,
    file: &Path,
    trust: &[PathBuf],
    json: bool,
    lang: Lang,
) -> Result<ExitCode, Error> {
    let mut roots = Vec::new();
    for t in trust {
        let bytes = std::fs::read(t).map_err(|source| Error::Read {
            path: t.clone(),
            source,
        })?;
        roots.extend(saraban::sign::key::certificates_from_bytes(&bytes)?);
    }
    let bytes = std::fs::read(file).map_err(|source| Error::Read {
        path: file.to_path_buf(),
        source,
    })?;
    if !bytes.starts_with(b"%PDF") {
        // A photo or scan of a printed page: its QR code's signed statement.
        let office = office.ok_or_else(|| Error::Sign {
            th: "การตรวจหนังสือที่พิมพ์ออกมาต้องใช้ทะเบียนที่ออกหนังสือ (ระบุ --db)".into(),
            en: "checking a printed letter needs the register that issued it (give --db)".into(),
        })?;
        let check = office.check_printed(&bytes)?;
        if json {
            crate::print_line(&serde_json::to_string(&check).unwrap_or_default());
        } else {
            print_printed(&check, lang);
        }
        return Ok(if check.valid {
            ExitCode::SUCCESS
        } else {
            ExitCode::from(1)
        });
    }
    let v: Verification = match office {
        Some(o) => o.verify_pdf(&bytes, &roots)?,
        None => Verification {
            report: saraban::sign::verify::verify(&bytes, &roots),
            entry: None,
            kept_copy: false,
        },
    };
    if json {
        crate::print_line(&serde_json::to_string(&v).unwrap_or_default());
    } else {
        print_verification(&v, lang);
    }
    Ok(if v.report.valid {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn print_printed(c: &saraban::service::statement::PrintedCheck, lang: Lang) {
    use saraban::sign::statement::Refusal;
    if let Some(st) = &c.statement {
        say(
            lang,
            format!(
                "คิวอาร์โค้ดรับรอง: หนังสือที่ {} ลงวันที่ {} ลงนามโดยกุญแจของสำนักงาน {}",
                st.number, st.date, st.kid
            ),
            format!(
                "signed statement: letter {} of {}, signed with the office's key {}",
                st.number, st.date, st.kid
            ),
        );
    }
    match &c.refusal {
        Some(Refusal::NotAStatement) => say(
            lang,
            "ไม่พบคิวอาร์โค้ดรับรองของสารบรรณในภาพ (ถ่ายหรือสแกนให้เห็นมุมขวาล่างของหน้าสุดท้ายชัดเจน)".into(),
            "no Saraban statement QR code found in the picture (photograph or scan the bottom right of the last page, sharp)".into(),
        ),
        Some(Refusal::Malformed) => say(
            lang,
            "คิวอาร์โค้ดอ่านได้แต่ข้อความรับรองเสียหายหรือถูกแก้ไข".into(),
            "the QR code reads but its statement is damaged or altered".into(),
        ),
        Some(Refusal::UnknownKey(k)) => say(
            lang,
            format!("ข้อความรับรองลงนามด้วยกุญแจ {k} ที่ทะเบียนนี้ไม่รู้จัก: ไม่ได้ออกจากสำนักงานนี้ หรือเป็นของปลอม"),
            format!("the statement is signed with a key ({k}) this register does not know: not issued here, or forged"),
        ),
        Some(Refusal::BadSignature) => say(
            lang,
            "ลายมือชื่อของข้อความรับรองไม่ถูกต้อง: ข้อความถูกแก้ไขหรือปลอม".into(),
            "the statement's signature does not match: it was altered or forged".into(),
        ),
        None => {}
    }
    for (th, en) in &c.mismatches {
        say(lang, format!("  ✗ {th}"), format!("  ✗ {en}"));
    }
    if let Some(id) = c.entry {
        say(
            lang,
            format!("รายการ {id} ในทะเบียน"),
            format!("entry {id} of the register"),
        );
    }
    say(
        lang,
        if c.valid {
            "ผลการตรวจสอบ: ถูกต้อง".into()
        } else {
            "ผลการตรวจสอบ: ไม่ผ่าน".into()
        },
        if c.valid {
            "verdict: valid".into()
        } else {
            "verdict: NOT valid".into()
        },
    );
}

fn print_verification(v: &Verification, lang: Lang) {
    if v.report.signatures.is_empty() {
        say(
            lang,
            "ไม่มีลายมือชื่ออิเล็กทรอนิกส์ในไฟล์นี้".into(),
            "this file carries no electronic signature".into(),
        );
    }
    for (i, s) in v.report.signatures.iter().enumerate() {
        print_signature(i + 1, s, lang);
    }
    if let Some((id, number)) = &v.entry {
        say(
            lang,
            format!(
                "เป็นหนังสือในทะเบียนนี้: {number} (รายการ {id}){}",
                if v.kept_copy {
                    " ตรงกับฉบับที่ทะเบียนเก็บไว้ทุกไบต์"
                } else {
                    ""
                }
            ),
            format!(
                "a letter of this register: {number} (entry {id}){}",
                if v.kept_copy {
                    ", byte for byte a copy the register keeps"
                } else {
                    ""
                }
            ),
        );
    }
    say(
        lang,
        if v.report.valid {
            "ผลการตรวจสอบ: ถูกต้อง".into()
        } else {
            "ผลการตรวจสอบ: ไม่ผ่าน".into()
        },
        if v.report.valid {
            "verdict: valid".into()
        } else {
            "verdict: NOT valid".into()
        },
    );
}

fn print_signature(n: usize, s: &SignatureReport, lang: Lang) {
    let level = s.level.map(|l| l.as_str()).unwrap_or("-");
    say(
        lang,
        format!(
            "ลายมือชื่อที่ {n} ({}): {} ออกโดย {} ระดับ {level}",
            s.field, s.signer, s.issuer
        ),
        format!(
            "signature {n} ({}): {} issued by {}, level {level}",
            s.field, s.signer, s.issuer
        ),
    );
    if let Some(t) = &s.timestamp {
        say(
            lang,
            format!(
                "  ตราเวลา: {} โดย {}{}",
                t.time,
                t.authority,
                if t.valid {
                    ""
                } else {
                    " (ไม่ถูกต้อง)"
                }
            ),
            format!(
                "  time-stamp: {} by {}{}",
                t.time,
                t.authority,
                if t.valid { "" } else { " (invalid)" }
            ),
        );
    } else if let Some(c) = &s.claimed_time {
        say(
            lang,
            format!("  เวลาตามเครื่องผู้ลงนาม: {c} (ไม่มีตราเวลา)"),
            format!("  time the signer's computer claimed: {c} (no time-stamp)"),
        );
    }
    if let Some(root) = &s.trusted_root {
        say(
            lang,
            format!("  เชื่อถือได้: ต่อถึง {root}"),
            format!("  trusted: chains to {root}"),
        );
    }
    let rev = match s.revocation {
        saraban::sign::verify::Revocation::Good => (
            "ไม่ถูกเพิกถอน (ตาม OCSP ในไฟล์)",
            "not revoked (by the OCSP answer in the file)",
        ),
        saraban::sign::verify::Revocation::Revoked => ("ถูกเพิกถอน", "revoked"),
        saraban::sign::verify::Revocation::Unknown => (
            "ไม่ทราบสถานะการเพิกถอน (ไฟล์ไม่มีข้อมูล ตรวจแบบออฟไลน์)",
            "revocation unknown (the file carries no answer; checked offline)",
        ),
    };
    say(
        lang,
        format!("  ใบรับรอง: {}", rev.0),
        format!("  certificate: {}", rev.1),
    );
    if s.later_revisions && !s.changed_after {
        say(
            lang,
            "  มีการเพิ่มข้อมูลหลังลงนาม (ลายมือชื่อหรือข้อมูลตรวจสอบ) โดยเนื้อหาไม่เปลี่ยน".into(),
            "  data was added after it (signatures or validation data); the content is unchanged"
                .into(),
        );
    }
    for p in &s.problems {
        say(lang, format!("  ✗ {}", p.th), format!("  ✗ {}", p.en));
    }
    say(
        lang,
        format!(
            "  => {}",
            if s.valid {
                "ถูกต้อง"
            } else {
                "ไม่ถูกต้อง"
            }
        ),
        format!("  => {}", if s.valid { "valid" } else { "NOT valid" }),
    );
}

pub fn trust(office: &mut Office, action: TrustAction, lang: Lang) -> Result<ExitCode, Error> {
    match action {
        TrustAction::Add { file } => {
            let bytes = std::fs::read(&file).map_err(|source| Error::Read {
                path: file.clone(),
                source,
            })?;
            let names = office.add_trusted_roots(&bytes)?;
            say(
                lang,
                format!("เชื่อถือใบรับรองราก: {}", names.join(", ")),
                format!("now trusted: {}", names.join(", ")),
            );
        }
        TrustAction::List => {
            for c in office.trusted_roots()? {
                crate::print_line(&saraban::sign::key::common_name(&c.tbs_certificate.subject));
            }
            if let Some(url) = office.tsa_url()? {
                say(
                    lang,
                    format!("ผู้ให้บริการตราเวลา: {url}"),
                    format!("time-stamp authority: {url}"),
                );
            }
        }
        TrustAction::Tsa { url, clear } => {
            let url = if clear { None } else { url };
            office.set_tsa_url(url.as_deref())?;
            match url {
                Some(u) => say(
                    lang,
                    format!("ตั้งผู้ให้บริการตราเวลาเป็น {u}"),
                    format!("time-stamp authority set to {u}"),
                ),
                None => say(
                    lang,
                    "ยกเลิกผู้ให้บริการตราเวลาแล้ว".into(),
                    "time-stamp authority cleared".into(),
                ),
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
