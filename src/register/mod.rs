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
mod backup;
mod drafts;
pub mod export;
mod issue;
pub mod schema;
mod search;
mod settings;

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};

pub use audit::{anchor_path, AuditProblem, AuditReport};
pub use drafts::{DraftInfo, DraftVersion};
pub use export::{csv_bytes, xlsx_bytes, REGISTER_COLUMNS};
pub use issue::{check_issue_date, series_key, IssueOptions, Issued, DATE_WINDOW_DAYS};
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
    /// An older (or empty) register opened only to read: it must be opened once to
    /// write first, which brings it up to date.
    NeedsUpgrade,
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
            RegisterError::NeedsUpgrade => Error::Register {
                th: "ทะเบียนนี้ยังว่างหรือเป็นรุ่นเก่า ต้องเปิดด้วยโปรแกรมสารบรรณ (หรือคำสั่งที่เขียนทะเบียน) หนึ่งครั้งก่อน จึงจะอ่านได้".into(),
                en: "this register is empty or from an older Saraban; open it once with the app (or a command that writes) to bring it up to date".into(),
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
    /// Who is working (for the audit trail): the operating system's account.
    pub user: String,
    path: PathBuf,
    /// Opened for reading only (nothing is written, not even the anchor).
    pub(crate) read_only: bool,
}

/// How a register file is opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Create the register when there is none (`saraban init`, the app's first run).
    Create,
    /// An existing register, to read and write.
    Write,
    /// An existing register, only read: works in a read-only folder or on a read-only copy.
    Read,
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

/// The operating system's name of the account running Saraban (never an environment
/// variable someone could set to anything).
fn current_user() -> String {
    whoami::fallible::username().unwrap_or_else(|_| "unknown".into())
}

fn missing(path: &Path) -> Error {
    Error::Register {
        th: format!(
            "ไม่พบทะเบียน {} (ตรวจชื่อไฟล์ที่ระบุด้วย --db หรือสร้างทะเบียนใหม่ด้วย saraban init)",
            path.display()
        ),
        en: format!(
            "there is no register at {} (check the --db path, or create a new register with saraban init)",
            path.display()
        ),
    }
}

/// `file:` URI of a path, for SQLite's URI parameters.
fn file_uri(path: &Path, params: &str) -> String {
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut uri = String::from("file:");
    for b in abs.to_string_lossy().bytes() {
        match b {
            b'%' | b'?' | b'#' => uri.push_str(&format!("%{b:02X}")),
            _ => uri.push(b as char),
        }
    }
    uri.push('?');
    uri.push_str(params);
    uri
}

impl Register {
    /// Opens the existing register at `path` to read and write; a missing file is refused
    /// (a mistyped `--db` never starts a second register numbering from 1).
    pub fn open(path: &Path) -> crate::Result<Register> {
        Register::open_with(path, Access::Write)
    }

    /// Opens the register at `path`, creating it when absent.
    pub fn create(path: &Path) -> crate::Result<Register> {
        Register::open_with(path, Access::Create)
    }

    /// Opens the existing register at `path` only to read it.
    pub fn open_read_only(path: &Path) -> crate::Result<Register> {
        Register::open_with(path, Access::Read)
    }

    /// Opens the register at `path` as `access` says.
    pub fn open_with(path: &Path, access: Access) -> crate::Result<Register> {
        let exists = std::fs::metadata(path).is_ok();
        if !exists && access != Access::Create {
            return Err(missing(path));
        }
        if access == Access::Create {
            if let Some(dir) = path.parent() {
                if !dir.as_os_str().is_empty() && !dir.exists() {
                    std::fs::create_dir_all(dir).map_err(|source| Error::Write {
                        path: dir.to_path_buf(),
                        source,
                    })?;
                }
            }
        }
        let conn = if access == Access::Read {
            open_reader(path)?
        } else {
            let mut flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
            if access == Access::Create {
                flags |= OpenFlags::SQLITE_OPEN_CREATE;
            }
            let mut conn = Connection::open_with_flags(path, flags)?;
            conn.busy_timeout(BUSY_TIMEOUT)?;
            // A file that is not a database at all fails here, before anything is written.
            conn.query_row("PRAGMA schema_version", [], |r| r.get::<_, i64>(0))
                .map_err(Error::from)?;
            // Several processes opening a new register at once take turns: a lock that
            // SQLite reports busy at once (not through the busy handler) is retried.
            retry_busy(|| schema::migrate(&mut conn))?;
            retry_busy(|| ensure_wal(&conn))?;
            conn.pragma_update(None, "foreign_keys", "ON")?;
            conn.pragma_update(None, "synchronous", "NORMAL")?;
            conn
        };
        Ok(Register {
            conn,
            user: current_user(),
            path: path.to_path_buf(),
            read_only: access == Access::Read,
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
            read_only: false,
        })
    }

    /// Whether this register was opened only to read.
    pub fn is_read_only(&self) -> bool {
        self.read_only
    }

    /// Where the database lives.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The files that make up this register (database, `-wal`, `-shm`, `-journal`, the
    /// audit anchor): no output may ever replace them.
    pub fn own_files(&self) -> Vec<PathBuf> {
        if self.path == Path::new(":memory:") {
            return Vec::new();
        }
        let mut files = vec![self.path.clone()];
        for suffix in ["-wal", "-shm", "-journal"] {
            let mut p = self.path.clone().into_os_string();
            p.push(suffix);
            files.push(PathBuf::from(p));
        }
        files.push(audit::anchor_path(&self.path));
        files
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

/// Runs `f` again while SQLite answers busy without waiting (switching the journal mode,
/// a first migration racing another process), for up to 30 seconds.
fn retry_busy<T>(mut f: impl FnMut() -> Result<T, RegisterError>) -> crate::Result<T> {
    let start = std::time::Instant::now();
    loop {
        match f() {
            Err(RegisterError::Db(e))
                if matches!(
                    e.sqlite_error_code(),
                    Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
                ) && start.elapsed() < Duration::from_secs(30) =>
            {
                std::thread::sleep(Duration::from_millis(20));
            }
            other => return other.map_err(Error::from),
        }
    }
}

/// Puts the register in WAL mode unless it already is (the switch needs every other
/// connection gone, so it is only tried when needed).
fn ensure_wal(conn: &Connection) -> Result<(), RegisterError> {
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .map_err(db_error)?;
    if !mode.eq_ignore_ascii_case("wal") {
        let mode: String = conn
            .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
            .map_err(db_error)?;
        if !mode.eq_ignore_ascii_case("wal") {
            // Another connection held the file: try again.
            return Err(RegisterError::Db(rusqlite::Error::SqliteFailure(
                rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_BUSY),
                None,
            )));
        }
    }
    Ok(())
}

/// A read-only connection. A WAL database needs its `-shm` file; in a folder where it
/// cannot be created (a read-only share, a CD) the file is read as immutable.
fn open_reader(path: &Path) -> crate::Result<Connection> {
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let check = |conn: Connection| -> crate::Result<Connection> {
        conn.busy_timeout(BUSY_TIMEOUT)?;
        conn.query_row("PRAGMA schema_version", [], |r| r.get::<_, i64>(0))?;
        schema::check_readable(&conn)?;
        Ok(conn)
    };
    match Connection::open_with_flags(path, flags)
        .map_err(Error::from)
        .and_then(check)
    {
        Ok(conn) => Ok(conn),
        Err(first) => {
            let uri = file_uri(path, "immutable=1");
            Connection::open_with_flags(&uri, flags | OpenFlags::SQLITE_OPEN_URI)
                .map_err(Error::from)
                .and_then(check)
                .map_err(|_| first)
        }
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
