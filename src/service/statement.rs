//! The signed statement of a printed letter (`saraban-sign`'s `statement`) on the office's
//! side: the register's id, the office's key on this computer (created on the first issue,
//! its private half in an owner-only file, its public half recorded in the register), the
//! statement sealed into every letter issued, and a photo or scan of a page checked against
//! the register.

use std::path::PathBuf;

use serde::Serialize;

use super::Office;
use crate::sign::statement::{self, OfficeKey, Refusal, Statement};
use crate::{Error, Letter, Result};

/// The setting holding the register's id.
const REGISTER_ID: &str = "statement.register";
/// The settings holding the public keys of the statements: this prefix and the key id,
/// its DER (hex). One row a key, added once (two computers never overwrite each other's).
const KEY_PREFIX: &str = "statement.key.";

/// The folder of the offices' statement keys on this computer (`$SARABAN_KEYS` names
/// another).
fn keys_dir() -> PathBuf {
    crate::fsutil::user_path("SARABAN_KEYS", dirs::config_dir(), &["saraban", "keys"])
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|c| format!("{c:02x}")).collect()
}

fn unhex(s: &str) -> Vec<u8> {
    (0..s.len() / 2)
        .filter_map(|i| u8::from_str_radix(&s[2 * i..2 * i + 2], 16).ok())
        .collect()
}

/// What a picture of a printed letter says, checked.
#[derive(Debug, Clone, Serialize)]
pub struct PrintedCheck {
    /// The statement, when one was read and its signature checked.
    pub statement: Option<Statement>,
    /// Why it was refused, when it was.
    pub refusal: Option<Refusal>,
    /// The register's entry it names (its id), when this register issued it.
    pub entry: Option<i64>,
    /// Every way the statement and the register disagree (Thai, English).
    pub mismatches: Vec<(String, String)>,
    /// Signed by a key this register knows, and the register agrees.
    pub valid: bool,
}

impl Office {
    /// The register's id (made by the migration that brought signatures; made here for a
    /// register without one, once).
    fn register_id(&mut self) -> Result<String> {
        if let Some(id) = self.reg()?.setting(REGISTER_ID)? {
            return Ok(String::from_utf8_lossy(&id).into_owned());
        }
        let id = statement::new_register_id();
        self.reg_mut()?.insert_setting(REGISTER_ID, id.as_bytes())?;
        Ok(self
            .reg()?
            .setting(REGISTER_ID)?
            .map(|b| String::from_utf8_lossy(&b).into_owned())
            .unwrap_or(id))
    }

    /// The public key (DER) of a statement key id this register knows.
    fn statement_key_of(&self, kid: &str) -> Option<Vec<u8>> {
        let reg = self.reg().ok()?;
        let hex = reg.setting(&format!("{KEY_PREFIX}{kid}")).ok()??;
        Some(unhex(&String::from_utf8_lossy(&hex)))
    }

    /// This computer's key for this register, created (and its public half recorded)
    /// the first time.
    pub(super) fn statement_key(&mut self) -> Result<(String, OfficeKey)> {
        let register = self.register_id()?;
        let path = keys_dir().join(format!("{register}.pem"));
        let key = load_or_create(&path)?;
        let name = format!("{KEY_PREFIX}{}", key.kid());
        if self.reg()?.setting(&name)?.is_none() {
            self.reg_mut()?
                .insert_setting(&name, hex(&key.public_der()).as_bytes())?;
        }
        Ok((register, key))
    }

    /// Checks the QR codes in a picture of a printed page against this register.
    pub fn check_printed(&self, picture: &[u8]) -> Result<PrintedCheck> {
        let codes = statement::read_codes(picture)?;
        let mut out = PrintedCheck {
            statement: None,
            refusal: Some(Refusal::NotAStatement),
            entry: None,
            mismatches: Vec::new(),
            valid: false,
        };
        for code in codes {
            match statement::open(&code, |kid| self.statement_key_of(kid)) {
                Err(Refusal::NotAStatement) => continue,
                Err(r) => {
                    out.refusal = Some(r);
                    return Ok(out);
                }
                Ok(st) => {
                    out.refusal = None;
                    self.compare(&st, &mut out)?;
                    out.valid = out.mismatches.is_empty();
                    out.statement = Some(st);
                    return Ok(out);
                }
            }
        }
        Ok(out)
    }

    fn compare(&self, st: &Statement, out: &mut PrintedCheck) -> Result<()> {
        let mine = self
            .reg()?
            .setting(REGISTER_ID)?
            .map(|b| String::from_utf8_lossy(&b).into_owned());
        if mine.as_deref() != Some(st.register.as_str()) {
            out.mismatches.push((
                "หนังสือนี้ไม่ได้ออกจากทะเบียนนี้".into(),
                "this letter was not issued from this register".into(),
            ));
            return Ok(());
        }
        let entry = match self.show(&st.number) {
            Ok(e) => e,
            Err(_) => {
                out.mismatches.push((
                    format!("ไม่มีหนังสือเลขที่ {} ในทะเบียน", st.number),
                    format!("there is no letter {} in the register", st.number),
                ));
                return Ok(());
            }
        };
        out.entry = Some(entry.id);
        let letter = self.issued_letter(entry.id)?;
        if entry.date != st.date {
            out.mismatches.push((
                format!("วันที่ไม่ตรงกับทะเบียน ({} ในทะเบียน)", entry.date),
                format!("the date differs from the register's ({})", entry.date),
            ));
        }
        if statement::subject_hash(letter.subject.as_deref().unwrap_or("")) != st.subject_sha {
            out.mismatches.push((
                "เรื่องไม่ตรงกับทะเบียน".into(),
                "the subject differs from the register's".into(),
            ));
        }
        if statement::data_hash(letter.to_json().as_bytes()) != st.data_sha {
            out.mismatches.push((
                "เนื้อหาหนังสือไม่ตรงกับที่ทะเบียนเก็บไว้".into(),
                "the letter differs from the one the register keeps".into(),
            ));
        }
        if entry.status == crate::register::Status::Cancelled {
            out.mismatches.push((
                "หนังสือนี้ถูกยกเลิกแล้ว".into(),
                "this letter has been cancelled".into(),
            ));
        }
        Ok(())
    }
}

/// This computer's key in `path`, made the first time: written to a private temporary
/// file, then linked into place, so that two processes issuing at once keep one key.
fn load_or_create(path: &std::path::Path) -> Result<OfficeKey> {
    if let Ok(pem) = std::fs::read_to_string(path) {
        return OfficeKey::from_pem(&pem);
    }
    let dir = path.parent().unwrap_or(std::path::Path::new("."));
    std::fs::create_dir_all(dir).map_err(|source| Error::Write {
        path: dir.to_path_buf(),
        source,
    })?;
    let key = OfficeKey::generate();
    let tmp = dir.join(format!(".new-{}", std::process::id()));
    crate::fsutil::write_private(&tmp, key.to_pem().as_bytes())?;
    let linked = std::fs::hard_link(&tmp, path);
    let _ = std::fs::remove_file(&tmp);
    match linked {
        Ok(()) => Ok(key),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            let pem = std::fs::read_to_string(path).map_err(|source| Error::Read {
                path: path.to_path_buf(),
                source,
            })?;
            OfficeKey::from_pem(&pem)
        }
        Err(source) => Err(Error::Write {
            path: path.to_path_buf(),
            source,
        }),
    }
}

/// The statement of an issued letter (its number and date assigned).
pub(super) fn statement_of(l: &Letter, register: &str, key: &OfficeKey) -> Result<String> {
    let date = l
        .date
        .and_then(|d| chrono::NaiveDate::from_ymd_opt(d.year, d.month, d.day.unwrap_or(1)))
        .map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_default();
    statement::seal(
        &Statement {
            register: register.to_string(),
            number: crate::thai::to_arabic_digits(&l.number_text()),
            date,
            subject_sha: statement::subject_hash(l.subject.as_deref().unwrap_or("")),
            data_sha: statement::data_hash(l.to_json().as_bytes()),
            kid: key.kid(),
        },
        key,
    )
}
