//! The register (ทะเบียนหนังสือส่ง): drafts, running numbers, issued letters, search,
//! export and the audit trail, in one SQLite file.
//!
//! Every number is taken inside one `BEGIN IMMEDIATE` transaction together with the
//! letter, its PDF and its audit entry, so a number is either issued whole or not at all,
//! and a `UNIQUE (series, year, running)` constraint makes a duplicate impossible even if
//! this code were wrong. Issued letters are immutable: triggers refuse any change but a
//! cancellation, and any delete. The register never typesets: whoever issues hands it a
//! function that renders the final PDF.

mod audit;
mod drafts;
pub mod export;
mod issue;
pub mod schema;
mod search;
mod settings;

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};

pub use audit::AuditReport;
pub use drafts::{DraftInfo, DraftVersion};
pub use export::{csv_bytes, xlsx_bytes, REGISTER_COLUMNS};
pub use issue::{series_key, IssueOptions, Issued};
pub use search::{fold, fold_digits, Hit, SearchQuery};

use crate::error::Error;
use crate::letter::Kind;

/// How long a writer waits for another to finish before giving up.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(120);

/// What can go wrong with the database itself.
#[derive(Debug)]
pub enum RegisterError {
    /// The file is an SQLite database of some other program.
    NotARegister,
    /// Written by a newer Saraban.
    Newer { found: i32, supported: i32 },
    /// SQLite said no.
    Db(rusqlite::Error),
}

pub(crate) fn db_error(e: rusqlite::Error) -> RegisterError {
    RegisterError::Db(e)
}

impl From<RegisterError> for Error {
    fn from(e: RegisterError) -> Error {
        match e {
            RegisterError::NotARegister => Error::Register {
                th: "ไฟล์นี้ไม่ใช่ทะเบียนของสารบรรณ (เป็นฐานข้อมูลของโปรแกรมอื่น) จึงไม่เขียนทับ ให้ระบุไฟล์ทะเบียนที่ถูกต้องด้วย --db".into(),
                en: "this file is not a Saraban register (it is another program's database) and was left untouched; give the right register with --db".into(),
            },
            RegisterError::Newer { found, supported } => Error::Register {
                th: format!("ทะเบียนนี้สร้างด้วยสารบรรณรุ่นที่ใหม่กว่า (แบบ {found} รุ่นนี้รองรับถึง {supported}) กรุณาปรับรุ่นโปรแกรม"),
                en: format!("this register was written by a newer Saraban (schema {found}, this one knows up to {supported}); update Saraban"),
            },
            RegisterError::Db(e) => db_to_error(e),
        }
    }
}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Error {
        db_to_error(e)
    }
}

fn db_to_error(e: rusqlite::Error) -> Error {
    use rusqlite::ErrorCode::*;
    let code = e.sqlite_error_code();
    match code {
        Some(DatabaseBusy) | Some(DatabaseLocked) => Error::Register {
            th: "ทะเบียนกำลังถูกใช้งานโดยผู้อื่นนานเกินไป กรุณาลองใหม่อีกครั้ง".into(),
            en: "the register is busy (another user held it too long); try again".into(),
        },
        Some(NotADatabase) | Some(DatabaseCorrupt) => Error::Register {
            th: "ไฟล์ทะเบียนเสียหายหรือไม่ใช่ฐานข้อมูล กรุณากู้คืนจากสำเนาสำรอง".into(),
            en: "the register file is damaged or not a database; restore it from a backup".into(),
        },
        Some(DiskFull) => Error::Register {
            th: "ดิสก์เต็ม บันทึกทะเบียนไม่ได้".into(),
            en: "the disk is full; the register could not be written".into(),
        },
        Some(ReadOnly) | Some(CannotOpen) | Some(PermissionDenied) => Error::Register {
            th: format!("เปิดหรือเขียนไฟล์ทะเบียนไม่ได้ ({e})"),
            en: format!("cannot open or write the register file ({e})"),
        },
        Some(ConstraintViolation) => Error::Register {
            th: format!("ทะเบียนปฏิเสธการเปลี่ยนแปลง: {e}"),
            en: format!("the register refused the change: {e}"),
        },
        _ => Error::Register {
            th: format!("ทะเบียนผิดพลาด: {e}"),
            en: format!("register error: {e}"),
        },
    }
}

/// The register database.
pub struct Register {
    pub(crate) conn: Connection,
    /// Who is working (for the audit trail).
    pub user: String,
    path: PathBuf,
}

/// The register the desktop app uses: `$SARABAN_DB`, else `saraban/register.sqlite` in the
/// user's data folder.
pub fn default_path() -> PathBuf {
    if let Some(p) = std::env::var_os("SARABAN_DB") {
        return PathBuf::from(p);
    }
    dirs::data_dir()
        .unwrap_or_else(|| PathBuf::from("."))
        .join("saraban")
        .join("register.sqlite")
}

fn current_user() -> String {
    std::env::var("SARABAN_USER")
        .or_else(|_| std::env::var("USER"))
        .or_else(|_| std::env::var("USERNAME"))
        .unwrap_or_else(|_| "unknown".into())
}

impl Register {
    /// Opens (creating when absent) the register at `path`.
    pub fn open(path: &Path) -> crate::Result<Register> {
        if let Some(dir) = path.parent() {
            if !dir.as_os_str().is_empty() && !dir.exists() {
                std::fs::create_dir_all(dir).map_err(|source| Error::Write {
                    path: dir.to_path_buf(),
                    source,
                })?;
            }
        }
        let mut conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        // A file that is not a database at all fails here, before anything is written.
        conn.query_row("PRAGMA schema_version", [], |r| r.get::<_, i64>(0))
            .map_err(Error::from)?;
        schema::migrate(&mut conn)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        Ok(Register {
            conn,
            user: current_user(),
            path: path.to_path_buf(),
        })
    }

    /// An in-memory register (tests).
    pub fn in_memory() -> crate::Result<Register> {
        let mut conn = Connection::open_in_memory()?;
        schema::migrate(&mut conn)?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        Ok(Register {
            conn,
            user: current_user(),
            path: PathBuf::from(":memory:"),
        })
    }

    /// Where the database lives.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The raw connection (tests of the immutability triggers).
    pub fn connection(&self) -> &Connection {
        &self.conn
    }

    /// `PRAGMA integrity_check`: `ok` or the problems found.
    pub fn integrity_check(&self) -> crate::Result<String> {
        Ok(self
            .conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))?)
    }
}

/// The series of running numbers a kind of letter belongs to.
pub fn series_kind(kind: Kind, circular: bool) -> &'static str {
    match kind {
        Kind::Order => "order",
        Kind::Announcement => "announcement",
        _ if circular => "circular",
        _ => "letter",
    }
}

pub(crate) fn now_text() -> String {
    chrono::Local::now()
        .format("%Y-%m-%dT%H:%M:%S%.3f%:z")
        .to_string()
}

/// One issued (or cancelled) letter as the register lists it.
#[derive(Debug, Clone, PartialEq, serde::Serialize, ts_rs::TS)]
pub struct Entry {
    /// Row id.
    #[ts(type = "number")]
    pub id: i64,
    /// issued or cancelled.
    pub status: String,
    /// Letter kind (external, memo, …).
    pub kind: String,
    /// The number as printed, e.g. `มท ๐๘๑๐.๒/ว ๑๒๓`.
    pub number: String,
    /// เลขทะเบียนส่ง.
    #[ts(type = "number")]
    pub running: i64,
    /// Buddhist-Era year of the series.
    #[ts(type = "number")]
    pub year_be: i64,
    /// ลงวันที่, ISO.
    pub date: String,
    /// เรื่อง.
    pub subject: String,
    /// ถึง.
    pub recipient: String,
    /// จาก: the agency.
    pub from: String,
    /// หมายเหตุ: the cancellation, if any.
    pub note: String,
    /// SHA-256 of the stored PDF.
    pub sha256: String,
}
