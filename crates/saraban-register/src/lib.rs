//! The register (ทะเบียนหนังสือส่ง): drafts, running numbers, issued letters, search,
//! export and the audit trail, behind one API ([`Engine`]) with two engines: one SQLite
//! file ([`SqliteRegister`], the embedded default that needs no set-up) or a PostgreSQL
//! server an office shares ([`PgRegister`]). [`Register`] is whichever one `--db` names;
//! the service, the CLI and the app never know which.
//!
//! On both engines a number is taken inside one transaction together with the letter, its
//! PDF and its audit entry, so a number is either issued whole or not at all, and a
//! `UNIQUE (series, year, running)` constraint makes a duplicate impossible even if this
//! code were wrong. Issued letters are immutable: triggers refuse any change but a
//! cancellation, and any delete. The register never typesets: whoever issues hands it a
//! function that renders the final PDF.
//!
//! Why a crate of its own (`saraban-register`): numbers, storage and integrity depend on
//! the letter model and Thai text only, never on the typesetter or the PDF writer; the
//! `postgres` feature (on by default) brings the server engine and its TLS. Inside, the
//! arrows run one way: `issue` → `audit` → `search` → `entry`, and for the incoming
//! register (ทะเบียนหนังสือรับ) `incoming` → `audit` → `receipt` → `search`
//! (`tests/layers.rs` checks that no modules reach each other in a circle).

mod audit;
mod backup;
mod drafts;
mod engine;
mod entry;
pub mod export;
pub mod fsutil;
pub mod incoming;
mod issue;
mod location;
mod migrate;
#[cfg(feature = "postgres")]
mod pg;
pub mod post;
mod queue;
mod receipt;
mod records;
pub mod schema;
mod search;
mod settings;
pub mod signed;
mod sqlite;

use std::path::PathBuf;
use std::time::Duration;

pub use audit::{anchor_path, AuditProblem, AuditReport};
pub use drafts::{DraftInfo, DraftVersion};
pub use export::{csv_bytes, table_csv, table_xlsx, xlsx_bytes, REGISTER_COLUMNS};
pub use incoming::{
    NewReceipt, Receipt, ReceiptQuery, ReceiptStatus, ReplyRef, Routed, StampData,
    MAX_RECEIVED_BYTES,
};
pub use issue::{check_issue_date, series_key, IssueOptions, Issued, DATE_WINDOW_DAYS};
pub use search::{
    fold, fold_digits, Hit, SearchQuery, SETTLE_CHUNK, SHORT_TEXT, SHORT_TEXT_WINDOW,
    UNINDEXED_MOST, UNINDEXED_SETTLE,
};

pub use engine::{Engine, Register};
pub use location::{split_password, with_password, Location};
pub use migrate::{check_source, migrate, migrate_verified, Migrated};
#[cfg(feature = "postgres")]
pub use pg::PgRegister;
pub use post::{
    AddressEntry, Attempt, MailIn, MailState, NewMail, NewSending, Sending, SendingKind,
    SendingStatus,
};
pub use records::Record;
pub use signed::{NewSignature, Signature, SignatureKind};
pub use sqlite::SqliteRegister;

use saraban_model::error::Error;
use saraban_model::letter::Kind;

/// Saraban's folder on this computer: `$SARABAN_LOCAL_DIR`, else `saraban` in the user's
/// data folder (anchors of server registers, their copies, drafts waiting, window locks).
pub fn local_dir() -> PathBuf {
    fsutil::user_path("SARABAN_LOCAL_DIR", dirs::data_dir(), &["saraban"])
}

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
            RegisterError::Db(e) => Error::from(e),
        }
    }
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

/// The register the desktop app uses: `$SARABAN_DB` (a file or a `postgres://` URL), else
/// `saraban/register.sqlite` in the user's data folder.
pub fn default_path() -> PathBuf {
    crate::fsutil::user_path(
        "SARABAN_DB",
        dirs::data_dir(),
        &["saraban", "register.sqlite"],
    )
}

/// The operating system's name of the account running Saraban (never an environment
/// variable someone could set to anything).
pub(crate) fn current_user() -> String {
    whoami::fallible::username().unwrap_or_else(|_| "unknown".into())
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

/// Where a letter stands in the register (สถานะ).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize, ts_rs::TS,
)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// ร่าง: not issued yet.
    Draft,
    /// ออกเลขแล้ว: numbered, dated, its PDF kept.
    Issued,
    /// ยกเลิก: cancelled with a reason; its number is never used again.
    Cancelled,
}

impl Status {
    /// Every status.
    pub const ALL: [Status; 3] = [Status::Draft, Status::Issued, Status::Cancelled];

    /// Its name in the register's rows, the JSON and the CLI.
    pub fn name(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::Issued => "issued",
            Status::Cancelled => "cancelled",
        }
    }

    /// The status called `name` ([`Status::name`]).
    pub fn from_name(name: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|s| s.name() == name)
    }

    /// How the register shows it in Thai.
    pub fn thai_name(self) -> &'static str {
        match self {
            Status::Draft => "ร่าง",
            Status::Issued => "ส่งแล้ว",
            Status::Cancelled => "ยกเลิก",
        }
    }
}

/// Reads a name stored in a register's column as the enum it names; any other text is an
/// error of the column, never a panic or a guess.
macro_rules! stored_name {
    ($t:ty, $what:literal) => {
        impl rusqlite::types::FromSql for $t {
            fn column_result(
                v: rusqlite::types::ValueRef<'_>,
            ) -> rusqlite::types::FromSqlResult<Self> {
                let s = v.as_str()?;
                <$t>::from_name(s).ok_or_else(|| {
                    rusqlite::types::FromSqlError::Other(format!("unknown {} {s:?}", $what).into())
                })
            }
        }
        #[cfg(feature = "postgres")]
        impl<'a> postgres::types::FromSql<'a> for $t {
            fn from_sql(
                ty: &postgres::types::Type,
                raw: &'a [u8],
            ) -> std::result::Result<Self, Box<dyn std::error::Error + Sync + Send>> {
                let s = <&str as postgres::types::FromSql>::from_sql(ty, raw)?;
                <$t>::from_name(s).ok_or_else(|| format!("unknown {} {s:?}", $what).into())
            }
            fn accepts(ty: &postgres::types::Type) -> bool {
                <&str as postgres::types::FromSql>::accepts(ty)
            }
        }
    };
}
stored_name!(Status, "status");
stored_name!(StoredKind, "letter kind");

/// A letter kind as a register's column holds it (the column is read as this, then
/// `.0`: the kind itself belongs to the letter model, the reading of columns here).
pub(crate) struct StoredKind(pub Kind);

impl StoredKind {
    fn from_name(s: &str) -> Option<StoredKind> {
        Kind::from_name(s).map(StoredKind)
    }
}

/// One issued (or cancelled) letter as the register lists it.
#[derive(Debug, Clone, PartialEq, serde::Serialize, ts_rs::TS)]
pub struct Entry {
    /// Row id.
    #[ts(type = "number")]
    pub id: i64,
    /// Issued or cancelled.
    pub status: Status,
    /// Letter kind.
    pub kind: Kind,
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
