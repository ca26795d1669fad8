//! The register in one SQLite file: the embedded engine, which needs no set-up.
//!
//! Every number is taken inside one `BEGIN IMMEDIATE` transaction together with the
//! letter, its PDF and its audit entry; `synchronous = FULL` for issues, WAL for readers
//! beside one writer. The audit anchor is a file beside the database.

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{params, Connection, OpenFlags};

use super::records::{
    AuditRow, LetterRow, ReceivedRow, Record, SeriesRow, StepRow, VersionRow, LETTER_COLUMNS,
    RECEIVED_COLUMNS,
};

use super::{current_user, db_error, schema, Access, RegisterError, BUSY_TIMEOUT};
use saraban_model::error::Error;

/// The register database.
pub struct SqliteRegister {
    pub(crate) conn: Connection,
    /// Who is working (for the audit trail): the operating system's account.
    pub user: String,
    pub(super) path: PathBuf,
    /// Opened for reading only (nothing is written, not even the anchor).
    pub(crate) read_only: bool,
    /// The file did not exist before it was opened.
    pub(crate) created: bool,
    /// A register in a folder that cannot be written, whose `-wal` still held committed
    /// letters, is read from a copy of both files made here (see [`open_reader`]).
    _snapshot: Option<tempfile::TempDir>,
    /// The last search by text that found every letter it matches, which a longer text
    /// typed after it searches among ([`crate::search`]: search as you type).
    pub(crate) narrowing: std::sync::Mutex<Option<super::search::Narrowing>>,
    /// Moving the letters waiting outside the search index into it, begun when enough
    /// waited, until none waits ([`SqliteRegister::settle_search_index_step`]).
    pub(crate) settling: bool,
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

impl SqliteRegister {
    /// Opens the existing register at `path` to read and write; a missing file is refused
    /// (a mistyped `--db` never starts a second register numbering from 1).
    pub fn open(path: &Path) -> saraban_model::Result<SqliteRegister> {
        SqliteRegister::open_with(path, Access::Write)
    }

    /// Opens the register at `path`, creating it when absent.
    pub fn create(path: &Path) -> saraban_model::Result<SqliteRegister> {
        SqliteRegister::open_with(path, Access::Create)
    }

    /// Opens the existing register at `path` only to read it.
    pub fn open_read_only(path: &Path) -> saraban_model::Result<SqliteRegister> {
        SqliteRegister::open_with(path, Access::Read)
    }

    /// Opens the register at `path` as `access` says.
    pub fn open_with(path: &Path, access: Access) -> saraban_model::Result<SqliteRegister> {
        let meta = std::fs::metadata(path).ok();
        let exists = meta.is_some();
        if !exists && access != Access::Create {
            return Err(missing(path));
        }
        // A pipe or a device would block SQLite's open (a FIFO waits for a writer for
        // ever) or be written into: a register is a regular file.
        if meta.as_ref().is_some_and(|m| !m.is_file()) {
            return Err(Error::Register {
                th: format!(
                    "{} ไม่ใช่ไฟล์ทะเบียน (เป็นโฟลเดอร์ ท่อ หรืออุปกรณ์) กรุณาระบุไฟล์ทะเบียนด้วย --db",
                    path.display()
                ),
                en: format!(
                    "{} is not a register file (it is a folder, a pipe or a device); give the register file with --db",
                    path.display()
                ),
            });
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
        let mut snapshot = None;
        let conn = if access == Access::Read {
            let (conn, copy) = open_reader(path)?;
            snapshot = copy;
            conn
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
        Ok(SqliteRegister {
            conn,
            user: current_user(),
            path: path.to_path_buf(),
            read_only: access == Access::Read,
            created: !exists,
            _snapshot: snapshot,
            narrowing: Default::default(),
            settling: false,
        })
    }

    /// Joins this register's issue queue ([`crate::queue`]): clerks issuing into one
    /// register at once take turns in the order they came; the place says how many are
    /// ahead, and waiting on it gives the turn, held while it lives. `None` (SQLite's own
    /// waiting) for a register in memory or read only, or a folder where the queue's file
    /// cannot be made.
    pub(crate) fn issue_place(&self) -> Option<super::queue::Place> {
        if self.read_only || self.path == Path::new(":memory:") {
            return None;
        }
        super::queue::join(&self.path)
    }

    /// An in-memory register (tests).
    pub fn in_memory() -> saraban_model::Result<SqliteRegister> {
        let mut conn = Connection::open_in_memory()?;
        schema::migrate(&mut conn)?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        Ok(SqliteRegister {
            conn,
            user: current_user(),
            path: PathBuf::from(":memory:"),
            read_only: false,
            created: true,
            _snapshot: None,
            narrowing: Default::default(),
            settling: false,
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
        files.push(super::audit::anchor_path(&self.path));
        files
    }

    /// The raw connection (tests of the immutability triggers).
    pub fn connection(&self) -> &Connection {
        &self.conn
    }

    /// `PRAGMA integrity_check`: `ok` or the problems found.
    pub fn integrity_check(&self) -> saraban_model::Result<String> {
        Ok(self
            .conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))?)
    }
}

/// Runs `f` again while SQLite answers busy without waiting (switching the journal mode,
/// a first migration racing another process), for up to 30 seconds.
fn retry_busy<T>(mut f: impl FnMut() -> Result<T, RegisterError>) -> saraban_model::Result<T> {
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
/// cannot be created (a read-only share, a CD) SQLite cannot read the `-wal` beside it. An
/// empty or absent `-wal` holds nothing: the file is read as immutable. A `-wal` that holds
/// committed letters is never ignored (that would show an old register: letters missing
/// from a search, a backup, the audit): the database and its `-wal` are copied to a
/// temporary folder and read there, or, when that fails, the register is refused.
fn open_reader(path: &Path) -> saraban_model::Result<(Connection, Option<tempfile::TempDir>)> {
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let check = |conn: Connection| -> saraban_model::Result<Connection> {
        conn.busy_timeout(BUSY_TIMEOUT)?;
        conn.query_row("PRAGMA schema_version", [], |r| r.get::<_, i64>(0))?;
        schema::check_readable(&conn)?;
        Ok(conn)
    };
    let first = match Connection::open_with_flags(path, flags)
        .map_err(Error::from)
        .and_then(check)
    {
        Ok(conn) => return Ok((conn, None)),
        Err(first) => first,
    };
    let wal = suffixed(path, "-wal");
    let pending = std::fs::metadata(&wal).map(|m| m.len()).unwrap_or(0);
    if pending == 0 {
        let uri = file_uri(path, "immutable=1");
        return Connection::open_with_flags(&uri, flags | OpenFlags::SQLITE_OPEN_URI)
            .map_err(Error::from)
            .and_then(check)
            .map(|c| (c, None))
            .map_err(|_| first);
    }
    let unreadable = |e: String| {
        Error::Register {
        th: format!(
            "ทะเบียน {} มีการบันทึกที่ยังอยู่ในไฟล์ {} และโฟลเดอร์นี้เขียนไม่ได้ จึงอ่านให้ครบไม่ได้ ({e}) กรุณาคัดลอกทะเบียนพร้อมไฟล์ -wal ไปไว้ในโฟลเดอร์ที่เขียนได้ หรือเปิดทะเบียนในที่ที่เขียนได้หนึ่งครั้ง",
            path.display(),
            wal.display()
        ),
        en: format!(
            "the register {} has commits still in {} and its folder cannot be written, so it cannot be read whole ({e}); copy the register with its -wal file to a writable folder, or open it once where it can be written",
            path.display(),
            wal.display()
        ),
    }
    };
    let dir = tempfile::Builder::new()
        .prefix("saraban-read-")
        .tempdir()
        .map_err(|e| unreadable(e.to_string()))?;
    let copy = dir.path().join("register.sqlite");
    std::fs::copy(path, &copy).map_err(|e| unreadable(e.to_string()))?;
    std::fs::copy(&wal, suffixed(&copy, "-wal")).map_err(|e| unreadable(e.to_string()))?;
    let conn = Connection::open_with_flags(&copy, flags)
        .map_err(Error::from)
        .and_then(check)
        .map_err(|e| unreadable(e.to_string()))?;
    Ok((conn, Some(dir)))
}

/// `path` with `suffix` appended to its file name (`register.sqlite-wal`).
fn suffixed(path: &Path, suffix: &str) -> PathBuf {
    let mut p = path.as_os_str().to_owned();
    p.push(suffix);
    PathBuf::from(p)
}

impl SqliteRegister {
    /// Every row, for another engine to load (see [`super::Engine::dump`]).
    pub fn dump(
        &self,
        sink: &mut dyn FnMut(Record) -> saraban_model::Result<()>,
    ) -> saraban_model::Result<()> {
        // One snapshot: a clerk issuing meanwhile is either wholly in it or not at all.
        let tx = self.conn.unchecked_transaction()?;
        {
            let mut stmt = tx.prepare("SELECT key, value FROM settings ORDER BY key")?;
            let mut rows = stmt.query([])?;
            while let Some(r) = rows.next()? {
                sink(Record::Setting {
                    key: r.get(0)?,
                    value: r.get(1)?,
                })?;
            }
            let mut stmt =
                tx.prepare("SELECT id, prefix, kind, year_be, last FROM series ORDER BY id")?;
            let mut rows = stmt.query([])?;
            while let Some(r) = rows.next()? {
                sink(Record::Series(SeriesRow {
                    id: r.get(0)?,
                    prefix: r.get(1)?,
                    kind: r.get(2)?,
                    year_be: r.get(3)?,
                    last: r.get(4)?,
                }))?;
            }
            let mut stmt =
                tx.prepare(&format!("SELECT {LETTER_COLUMNS} FROM letters ORDER BY id"))?;
            let mut rows = stmt.query([])?;
            while let Some(r) = rows.next()? {
                sink(Record::Letter(Box::new(LetterRow {
                    id: r.get(0)?,
                    status: r.get(1)?,
                    kind: r.get(2)?,
                    title: r.get(3)?,
                    recipient: r.get(4)?,
                    sender: r.get(5)?,
                    created_at: r.get(6)?,
                    updated_at: r.get(7)?,
                    letter_json: r.get(8)?,
                    series_id: r.get(9)?,
                    year_be: r.get(10)?,
                    running: r.get(11)?,
                    number_text: r.get(12)?,
                    issued_date: r.get(13)?,
                    issued_at: r.get(14)?,
                    issued_by: r.get(15)?,
                    pdf: r.get(16)?,
                    pdf_sha256: r.get(17)?,
                    historical: r.get(18)?,
                    cancelled_at: r.get(19)?,
                    cancelled_by: r.get(20)?,
                    cancel_reason: r.get(21)?,
                })))?;
            }
            let mut stmt = tx.prepare(
                "SELECT id, letter_id, saved_at, letter_json FROM letter_versions ORDER BY id",
            )?;
            let mut rows = stmt.query([])?;
            while let Some(r) = rows.next()? {
                sink(Record::Version(VersionRow {
                    id: r.get(0)?,
                    letter_id: r.get(1)?,
                    saved_at: r.get(2)?,
                    letter_json: r.get(3)?,
                }))?;
            }
            let mut stmt =
                tx.prepare("SELECT year_be, last FROM receipt_years ORDER BY year_be")?;
            let mut rows = stmt.query([])?;
            while let Some(r) = rows.next()? {
                sink(Record::ReceiptYear {
                    year_be: r.get(0)?,
                    last: r.get(1)?,
                })?;
            }
            let mut stmt = tx.prepare(&format!(
                "SELECT {RECEIVED_COLUMNS} FROM received ORDER BY id"
            ))?;
            let mut rows = stmt.query([])?;
            while let Some(r) = rows.next()? {
                sink(Record::Received(Box::new(ReceivedRow {
                    id: r.get(0)?,
                    status: r.get(1)?,
                    year_be: r.get(2)?,
                    receipt_number: r.get(3)?,
                    received_at: r.get(4)?,
                    received_by: r.get(5)?,
                    fields_json: r.get(6)?,
                    read_by: r.get(7)?,
                    kind: r.get(8)?,
                    file_name: r.get(9)?,
                    original: r.get(10)?,
                    sha256: r.get(11)?,
                    stamped: r.get(12)?,
                    stamped_sha256: r.get(13)?,
                    search_text: r.get(14)?,
                    cancelled_at: r.get(15)?,
                    cancelled_by: r.get(16)?,
                    cancel_reason: r.get(17)?,
                })))?;
            }
            let mut stmt = tx.prepare(
                "SELECT id, receipt_id, at, by_user, step_json FROM receipt_steps ORDER BY id",
            )?;
            let mut rows = stmt.query([])?;
            while let Some(r) = rows.next()? {
                sink(Record::Step(StepRow {
                    id: r.get(0)?,
                    receipt_id: r.get(1)?,
                    at: r.get(2)?,
                    by_user: r.get(3)?,
                    step_json: r.get(4)?,
                }))?;
            }
            let mut stmt = tx.prepare(
                "SELECT id, at, user, action, letter_id, detail, prev_hash, hash FROM audit ORDER BY id",
            )?;
            let mut rows = stmt.query([])?;
            while let Some(r) = rows.next()? {
                sink(Record::Audit(AuditRow {
                    id: r.get(0)?,
                    at: r.get(1)?,
                    user: r.get(2)?,
                    action: r.get(3)?,
                    letter_id: r.get(4)?,
                    detail: r.get(5)?,
                    prev_hash: r.get(6)?,
                    hash: r.get(7)?,
                }))?;
            }
        }
        Ok(())
    }

    /// Fills this empty register with another's rows (see [`super::Engine::load`]).
    pub fn load(
        &mut self,
        source: &mut crate::records::RecordSource<'_>,
    ) -> saraban_model::Result<u64> {
        // The anchor starts afresh with what arrives (replaced once the register is known
        // to be empty).
        let anchor = self.anchor_file().filter(|_| !self.read_only);
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let used: i64 = tx.query_row(
            "SELECT (SELECT count(*) FROM letters) + (SELECT count(*) FROM audit)
                  + (SELECT count(*) FROM series) + (SELECT count(*) FROM settings WHERE key <> 'statement.register')
                  + (SELECT count(*) FROM received)",
            [],
            |r| r.get(0),
        )?;
        if used > 0 {
            return Err(super::migrate::not_empty(&self.path.display().to_string()));
        }
        // The empty register's own id gives way to the one moved in (the statements of
        // the letters printed so far name that one).
        tx.execute("DELETE FROM settings WHERE key = 'statement.register'", [])?;
        let mut n = 0u64;
        let mut to_index: Vec<(i64, String)> = Vec::new();
        {
            let mut setting = tx.prepare("INSERT INTO settings (key, value) VALUES (?1, ?2)")?;
            let mut series = tx.prepare(
                "INSERT INTO series (id, prefix, kind, year_be, last) VALUES (?1, ?2, ?3, ?4, ?5)",
            )?;
            let mut letter = tx.prepare(&format!(
                "INSERT INTO letters ({LETTER_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10,
                    ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22)"
            ))?;
            let mut version = tx.prepare(
                "INSERT INTO letter_versions (id, letter_id, saved_at, letter_json) VALUES (?1, ?2, ?3, ?4)",
            )?;
            let mut audit = tx.prepare(
                "INSERT INTO audit (id, at, user, action, letter_id, detail, prev_hash, hash)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?;
            let mut receipt_year =
                tx.prepare("INSERT INTO receipt_years (year_be, last) VALUES (?1, ?2)")?;
            let mut received = tx.prepare(&format!(
                "INSERT INTO received ({RECEIVED_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10,
                    ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)"
            ))?;
            let mut step = tx.prepare(
                "INSERT INTO receipt_steps (id, receipt_id, at, by_user, step_json) VALUES (?1, ?2, ?3, ?4, ?5)",
            )?;
            source(&mut |rec| {
                n += 1;
                match rec {
                    Record::Setting { key, value } => {
                        setting.execute(params![key, value])?;
                    }
                    Record::Series(s) => {
                        series.execute(params![s.id, s.prefix, s.kind, s.year_be, s.last])?;
                    }
                    Record::Letter(l) => {
                        letter.execute(params![
                            l.id,
                            l.status,
                            l.kind,
                            l.title,
                            l.recipient,
                            l.sender,
                            l.created_at,
                            l.updated_at,
                            l.letter_json,
                            l.series_id,
                            l.year_be,
                            l.running,
                            l.number_text,
                            l.issued_date,
                            l.issued_at,
                            l.issued_by,
                            l.pdf,
                            l.pdf_sha256,
                            l.historical,
                            l.cancelled_at,
                            l.cancelled_by,
                            l.cancel_reason
                        ])?;
                        if l.status != "draft" {
                            to_index.push((l.id, super::search::stored_search_text(&l)));
                        }
                    }
                    Record::Version(v) => {
                        version.execute(params![v.id, v.letter_id, v.saved_at, v.letter_json])?;
                    }
                    Record::ReceiptYear { year_be, last } => {
                        receipt_year.execute(params![year_be, last])?;
                    }
                    Record::Received(r) => {
                        received.execute(params![
                            r.id,
                            r.status,
                            r.year_be,
                            r.receipt_number,
                            r.received_at,
                            r.received_by,
                            r.fields_json,
                            r.read_by,
                            r.kind,
                            r.file_name,
                            r.original,
                            r.sha256,
                            r.stamped,
                            r.stamped_sha256,
                            r.search_text,
                            r.cancelled_at,
                            r.cancelled_by,
                            r.cancel_reason
                        ])?;
                    }
                    Record::Step(st) => {
                        step.execute(params![
                            st.id,
                            st.receipt_id,
                            st.at,
                            st.by_user,
                            st.step_json
                        ])?;
                    }
                    Record::Audit(a) => {
                        audit.execute(params![
                            a.id,
                            a.at,
                            a.user,
                            a.action,
                            a.letter_id,
                            a.detail,
                            a.prev_hash,
                            a.hash
                        ])?;
                    }
                }
                Ok(())
            })?;
            let mut fts = tx.prepare("INSERT INTO letters_fts (rowid, text) VALUES (?1, ?2)")?;
            for (id, text) in &to_index {
                fts.execute(params![id, text])?;
            }
        }
        // The anchor starts at the head that arrived.
        let anchor = match anchor {
            Some(path) => {
                let _ = std::fs::remove_file(&path);
                Some(super::audit::AnchorFile::open(&path)?)
            }
            None => None,
        };
        super::audit::commit_anchored(tx, anchor)?;
        Ok(n)
    }
}
