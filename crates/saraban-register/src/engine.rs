//! The register's one API ([`Engine`]) and the handle the rest of Saraban holds
//! ([`Register`]), whichever engine is behind it.
//!
//! Every guarantee is the engine's to keep, and both keep the same ones: a number is taken
//! in the transaction that stores the letter, its PDF and its audit entry; issued letters
//! are immutable by trigger; the audit chain covers every change and is anchored outside
//! the database. The shared suite (`tests/engines.rs`) runs the same checks against both.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use super::incoming::{NewReceipt, Receipt, ReceiptQuery, Routed, StampData};
use super::post::{
    AddressEntry, Attempt, MailIn, MailState, NewMail, NewSending, Sending, SendingStatus,
};
use super::records::Record;
use super::signed::{NewSignature, Signature};
#[cfg(feature = "postgres")]
use super::PgRegister;
use super::{
    AuditReport, DraftInfo, DraftVersion, Entry, Hit, IssueOptions, Issued, Location, SearchQuery,
    SqliteRegister,
};
use crate::fsutil::Output;
use saraban_model::letter::Letter;
use saraban_model::received::RoutingStep;
use saraban_model::Result;

/// What a register does, on any engine.
pub trait Engine: Send {
    /// Where it lives, as it may be shown (never with a password).
    fn location(&self) -> Location;
    /// Who is working (for the audit trail): the operating system's account.
    fn user(&self) -> &str;
    /// Opened only to read.
    fn is_read_only(&self) -> bool;
    /// Files of this register on this computer that no output may ever replace.
    fn own_files(&self) -> Vec<PathBuf>;
    /// Whether opening it created it (a new file, or a new schema on the server).
    fn created(&self) -> bool;
    /// A second connection to this register, only to read: the long reads (the register
    /// book, an export, the audit) run on it, so that the clerk's own connection stays free
    /// for drafts and issues meanwhile (SQLite's WAL and the server let both run at once).
    fn reader(&self) -> Result<Register>;
    /// What setting it up should tell (Thai, English): on a server, how the connected
    /// role stands to the tables' guards. `None` when there is nothing to say.
    fn setup_note(&self) -> Option<(String, String)> {
        None
    }

    // ---- Drafts (ร่างหนังสือ)
    /// Saves a draft: a new one when `id` is None, else a new version. Returns its id:
    /// negative for a new draft kept on this computer while a server register is away (a
    /// provisional id, good for its later saves, opening and issuing).
    fn save_draft(&mut self, id: Option<i64>, letter: &Letter) -> Result<i64>;
    /// The drafts, most recently saved first.
    fn drafts(&self) -> Result<Vec<DraftInfo>>;
    /// A draft's latest version.
    fn open_draft(&self, id: i64) -> Result<Letter>;
    /// A draft's saved versions, newest first.
    fn draft_versions(&self, id: i64) -> Result<Vec<DraftVersion>>;
    /// One saved version of a draft.
    fn draft_version(&self, id: i64, version: i64) -> Result<Letter>;
    /// Deletes a draft with its versions.
    fn delete_draft(&mut self, id: i64) -> Result<()>;
    /// Restores an earlier version: it becomes the draft's newest (nothing is lost).
    fn restore_draft(&mut self, id: i64, version: i64) -> Result<Letter> {
        let letter = self.draft_version(id, version)?;
        self.save_draft(Some(id), &letter)?;
        Ok(letter)
    }

    // ---- Issuing (ออกเลข)
    /// The number `letter` would get if issued on `date` now, as printed, and its running
    /// number.
    fn next_number(&self, letter: &Letter, date: NaiveDate) -> Result<(String, i64)>;
    /// Issues a letter: the next number of its series, rendered by `render`, stored with
    /// its audit entry in one transaction.
    fn issue_with(
        &mut self,
        letter: &Letter,
        opts: &IssueOptions,
        render: &mut dyn FnMut(&Letter) -> Result<Vec<u8>>,
    ) -> Result<Issued>;
    /// Imports historical letters (numbers and dates kept) in one transaction.
    fn import_all(&mut self, letters: &mut dyn Iterator<Item = (Letter, Vec<u8>)>)
        -> Result<usize>;
    /// Cancels an issued letter (ยกเลิก) with a reason; its number is never reused.
    fn cancel(&mut self, id: i64, reason: &str) -> Result<()>;

    // ---- Reading the register
    /// An issued letter by id or by its number as printed (either digit form).
    fn find(&self, id_or_number: &str) -> Result<i64>;
    /// One entry.
    fn entry(&self, id: i64) -> Result<Entry>;
    /// The PDF exactly as issued (its hash checked).
    fn pdf(&self, id: i64) -> Result<Vec<u8>>;
    /// The letter exactly as issued.
    fn issued_letter(&self, id: i64) -> Result<Letter>;
    /// The entries (of a Buddhist-Era year, or all) in register order, one at a time.
    fn each_entry(
        &self,
        year_be: Option<i64>,
        each: &mut dyn FnMut(Entry) -> Result<()>,
    ) -> Result<()>;
    /// How many entries [`Engine::each_entry`] gives.
    fn count_entries(&self, year_be: Option<i64>) -> Result<u64>;
    /// Every entry (of a year, or all) in register order.
    fn entries(&self, year_be: Option<i64>) -> Result<Vec<Entry>> {
        let mut all = Vec::new();
        self.each_entry(year_be, &mut |e| {
            all.push(e);
            Ok(())
        })?;
        Ok(all)
    }
    /// Finds issued letters, newest first.
    fn search(&self, q: &SearchQuery) -> Result<Vec<Hit>>;
    /// How many letters a search finds in all.
    fn search_count(&self, q: &SearchQuery) -> Result<i64>;
    /// How many letters a search finds, counted up to `upto` at most: what a screen that
    /// says "more than N" needs, without counting every match of a common word in a
    /// register of a million letters (a second or more). A negative `upto` counts them all.
    fn search_count_upto(&self, q: &SearchQuery, upto: i64) -> Result<i64>;
    /// A page of a search and how many letters it finds, counted up to `upto` (all when
    /// negative): [`Engine::search`] and [`Engine::search_count_upto`] together, the count
    /// skipped when the first page holds every hit. An engine that can find both in one pass
    /// over its index does (SQLite: a phrase of a common word is looked up once, not twice).
    fn search_counted(&self, q: &SearchQuery, upto: i64) -> Result<(Vec<Hit>, i64)> {
        search_then_count(self, q, upto)
    }

    // ---- The incoming register (ทะเบียนหนังสือรับ)
    /// The newest receipt of a file with this SHA-256, if it was received before.
    fn received_before(&self, sha: &str) -> Result<Option<Receipt>>;
    /// Receives a letter: the next receipt number of its year, the stamped copy made by
    /// `stamp`, the original and the audit entry, in one transaction.
    fn receive(
        &mut self,
        new: &NewReceipt,
        stamp: &mut dyn FnMut(&StampData) -> Result<Vec<u8>>,
    ) -> Result<Receipt>;
    /// One receipt with its routing.
    fn receipt(&self, id: i64) -> Result<Receipt>;
    /// A receipt by id or receipt number (`12/2569`, either digit form).
    fn find_receipt(&self, what: &str) -> Result<i64>;
    /// The file as it arrived, byte for byte (its hash checked).
    fn received_original(&self, id: i64) -> Result<Vec<u8>>;
    /// The stamped copy (its hash checked).
    fn received_stamped(&self, id: i64) -> Result<Vec<u8>>;
    /// Records a routing step (เกษียน), audited.
    fn route(&mut self, id: i64, step: &RoutingStep) -> Result<Routed>;
    /// Cancels a receipt with a reason; its number is never reused.
    fn cancel_receipt(&mut self, id: i64, reason: &str) -> Result<()>;
    /// The receipts (of a year, or all) in register order, one at a time.
    fn each_receipt(
        &self,
        year_be: Option<i64>,
        each: &mut dyn FnMut(Receipt) -> Result<()>,
    ) -> Result<()>;
    /// Finds receipts, newest first.
    fn search_receipts(&self, q: &ReceiptQuery) -> Result<Vec<Receipt>>;

    // ---- The mailbox (saraban@): address book, outbox and sendings, fetched messages.
    // Both engines keep them; an engine that did not would say so.
    /// The address book.
    fn addresses(&self) -> Result<Vec<AddressEntry>> {
        Err(crate::post::not_on_server())
    }
    /// Adds or updates address-book entries (name, address, note) by name.
    fn save_addresses(&mut self, _entries: &[(String, String, String)]) -> Result<usize> {
        Err(crate::post::not_on_server())
    }
    /// Removes an address-book entry.
    fn delete_address(&mut self, _id: i64) -> Result<()> {
        Err(crate::post::not_on_server())
    }
    /// Puts messages in the outbox (a Message-ID already there is the same sending).
    fn queue_sendings(&mut self, _new: &[NewSending]) -> Result<Vec<Sending>> {
        Err(crate::post::not_on_server())
    }
    /// One sending.
    fn sending(&self, _id: i64) -> Result<Sending> {
        Err(crate::post::not_on_server())
    }
    /// Sendings of a letter, of a receipt, or in a state.
    fn sendings(
        &self,
        _letter_id: Option<i64>,
        _receipt_id: Option<i64>,
        _status: Option<SendingStatus>,
    ) -> Result<Vec<Sending>> {
        Err(crate::post::not_on_server())
    }
    /// The message a sending keeps.
    fn sending_eml(&self, _id: i64) -> Result<Vec<u8>> {
        Err(crate::post::not_on_server())
    }
    /// Records a try at sending.
    fn record_attempt(&mut self, _id: i64, _attempt: &Attempt) -> Result<Sending> {
        Err(crate::post::not_on_server())
    }
    /// Records a receipt reply on the sending it answers.
    fn acknowledge(&mut self, _message_id: &str, _note: &str) -> Result<Option<Sending>> {
        Err(crate::post::not_on_server())
    }
    /// The highest UID taken from a mailbox folder.
    fn last_uid(&self, _mailbox: &str, _uid_validity: u32) -> Result<u32> {
        Err(crate::post::not_on_server())
    }
    /// Records a fetched message (`None`: already here).
    fn take_mail(&mut self, _new: &NewMail) -> Result<Option<MailIn>> {
        Err(crate::post::not_on_server())
    }
    /// One fetched message.
    fn mail(&self, _id: i64) -> Result<MailIn> {
        Err(crate::post::not_on_server())
    }
    /// Fetched messages in these states (all when empty).
    fn mails(&self, _states: &[MailState]) -> Result<Vec<MailIn>> {
        Err(crate::post::not_on_server())
    }
    /// A fetched message's bytes.
    fn mail_eml(&self, _id: i64) -> Result<Vec<u8>> {
        Err(crate::post::not_on_server())
    }
    /// Registers or dismisses a fetched message.
    fn settle_mail(
        &mut self,
        _id: i64,
        _state: MailState,
        _receipt_id: Option<i64>,
    ) -> Result<MailIn> {
        Err(crate::post::not_on_server())
    }

    // ---- Signatures of issued letters (crate::signed)
    /// Records a signature and its signed copy, after the last one.
    fn add_signature(&mut self, new: &NewSignature) -> Result<Signature>;
    /// The signatures of a letter, in order.
    fn signatures(&self, letter_id: i64) -> Result<Vec<Signature>>;
    /// The signed copy a signature keeps (checked against its hash).
    fn signed_pdf(&self, id: i64) -> Result<Vec<u8>>;
    /// The signature whose signed copy has this SHA-256.
    fn signature_by_sha(&self, sha256: &str) -> Result<Option<Signature>>;
    /// How many signatures the register holds.
    fn signature_count(&self) -> Result<i64>;
    /// The issued letter whose PDF, as issued, has this SHA-256.
    fn issued_by_sha(&self, sha256: &str) -> Result<Option<i64>>;

    // ---- The office profile
    /// The value stored under `key`.
    fn setting(&self, key: &str) -> Result<Option<Vec<u8>>>;
    /// Stores (or with `None` removes) values in one audited transaction.
    fn set_settings(&mut self, values: &[(&str, Option<&[u8]>)]) -> Result<()>;
    /// Stores `value` under `key` unless a value is there already (audited when stored);
    /// whether it was stored. Two clerks adding the same key at once add it once.
    fn insert_setting(&mut self, key: &str, value: &[u8]) -> Result<bool>;

    // ---- Integrity
    /// The number of audit entries and the newest one's hash.
    fn audit_head(&self) -> Result<Option<(i64, String)>>;
    /// Checks the register against its audit trail and its anchor.
    fn verify_audit(&self) -> Result<AuditReport>;
    /// The database's own consistency check: `ok` or the problems found.
    fn integrity_check(&self) -> Result<String>;
    /// Writes a verified backup (one SQLite file an office can open anywhere) to `out`,
    /// and its anchor to `anchor` (both checked as outputs before anything is written).
    fn backup_to(&self, out: Output, anchor: Output) -> Result<AuditReport>;
    /// Replaces the register's content with a verified backup.
    fn restore_from(&mut self, from: &Path, force: bool) -> Result<AuditReport>;

    // ---- Moving a register between engines
    /// Every row, in an order [`Engine::load`] can take: settings, series, letters,
    /// versions, audit.
    fn dump(&self, sink: &mut dyn FnMut(Record) -> Result<()>) -> Result<()>;
    /// Fills an empty register with the rows `source` hands to its sink, in one
    /// transaction, ids and hashes kept. Returns how many rows.
    fn load(&mut self, source: &mut crate::records::RecordSource<'_>) -> Result<u64>;

    /// Moves letters issued since into the search index, its merging done now (SQLite's
    /// `letters_unindexed`, see the search module); how many moved. A server's index takes
    /// each letter as it is issued: nothing to do.
    fn settle_search_index(&mut self) -> Result<usize> {
        Ok(0)
    }

    /// One step of the search index's upkeep once an issue has answered its clerk: moves
    /// a chunk of the letters waiting outside the index when enough wait and no clerk is
    /// in line; how many moved, 0 when nothing is due (always on a server, whose index
    /// takes each letter as it is issued).
    fn settle_search_index_step(&mut self) -> Result<usize> {
        Ok(0)
    }

    /// The SQLite engine behind this register, if it is one (tests of its triggers).
    fn as_sqlite(&self) -> Option<&SqliteRegister> {
        None
    }

    /// The PostgreSQL engine behind this register, if it is one.
    #[cfg(feature = "postgres")]
    fn as_pg(&self) -> Option<&PgRegister> {
        None
    }
}

/// A register on either engine (ทะเบียนหนังสือส่ง): what `--db` names. It dereferences to
/// [`Engine`]; the few methods with closures are also here in their generic form.
pub struct Register(Box<dyn Engine>);

/// [`Engine::search_counted`] in two passes: the page, then (unless the first page holds
/// every hit) the count.
fn search_then_count<E: Engine + ?Sized>(
    engine: &E,
    q: &SearchQuery,
    upto: i64,
) -> Result<(Vec<Hit>, i64)> {
    let hits = engine.search(q)?;
    if q.offset.unwrap_or(0) == 0 && hits.len() < q.limit.unwrap_or(50) {
        let n = hits.len() as i64;
        return Ok((hits, n));
    }
    let n = engine.search_count_upto(q, upto)?;
    Ok((hits, n))
}

impl std::ops::Deref for Register {
    type Target = dyn Engine;
    fn deref(&self) -> &(dyn Engine + 'static) {
        &*self.0
    }
}

impl std::ops::DerefMut for Register {
    fn deref_mut(&mut self) -> &mut (dyn Engine + 'static) {
        &mut *self.0
    }
}

impl Register {
    /// A register over `engine`.
    pub fn new(engine: impl Engine + 'static) -> Register {
        Register(Box::new(engine))
    }

    /// Opens the register at `location` as `access` says: a file or a server.
    pub fn open_at(location: &Location, access: super::Access) -> Result<Register> {
        Register::open_at_in(location, access, None)
    }

    /// [`Register::open_at`], with this computer's folder for a server register (its
    /// anchor, copies, drafts waiting) at `local` instead of the user's
    /// ([`super::local_dir`]).
    pub fn open_at_in(
        location: &Location,
        access: super::Access,
        local: Option<&Path>,
    ) -> Result<Register> {
        match location {
            Location::File(p) => Ok(Register::new(SqliteRegister::open_with(p, access)?)),
            #[cfg(feature = "postgres")]
            Location::Server(url) => Ok(Register::new(PgRegister::connect_in(url, access, local)?)),
            #[cfg(not(feature = "postgres"))]
            Location::Server(_) => {
                let _ = local;
                Err(saraban_model::Error::Register {
                    th: "สารบรรณรุ่นนี้สร้างโดยไม่มีส่วนเชื่อมต่อเซิร์ฟเวอร์ PostgreSQL ใช้ไฟล์ทะเบียนแทน หรือใช้รุ่นที่มีส่วนนี้".into(),
                    en: "this Saraban was built without PostgreSQL support (cargo feature `postgres`); use a register file, or a build with it".into(),
                })
            }
        }
    }

    /// Opens the existing register at `path` (a file, or a `postgres://` URL) to read and
    /// write; a missing one is refused.
    pub fn open(path: &Path) -> Result<Register> {
        Register::open_at(&Location::from(path), super::Access::Write)
    }

    /// Opens the register at `path`, creating it when absent.
    pub fn create(path: &Path) -> Result<Register> {
        Register::open_at(&Location::from(path), super::Access::Create)
    }

    /// Opens the existing register at `path` only to read it.
    pub fn open_read_only(path: &Path) -> Result<Register> {
        Register::open_at(&Location::from(path), super::Access::Read)
    }

    /// Opens the register at `path` as `access` says.
    pub fn open_with(path: &Path, access: super::Access) -> Result<Register> {
        Register::open_at(&Location::from(path), access)
    }

    /// An in-memory SQLite register (tests).
    pub fn in_memory() -> Result<Register> {
        Ok(Register::new(SqliteRegister::in_memory()?))
    }

    /// Issues a letter (see [`Engine::issue_with`]).
    pub fn issue(
        &mut self,
        letter: &Letter,
        opts: &IssueOptions,
        mut render: impl FnMut(&Letter) -> Result<Vec<u8>>,
    ) -> Result<Issued> {
        self.0.issue_with(letter, opts, &mut render)
    }

    /// Imports historical letters (see [`Engine::import_all`]).
    pub fn import<I>(&mut self, letters: I) -> Result<usize>
    where
        I: IntoIterator<Item = (Letter, Vec<u8>)>,
    {
        self.0.import_all(&mut letters.into_iter())
    }

    /// Calls `each` with the entries in register order (see [`Engine::each_entry`]).
    pub fn for_each_entry(
        &self,
        year_be: Option<i64>,
        mut each: impl FnMut(Entry) -> Result<()>,
    ) -> Result<()> {
        self.0.each_entry(year_be, &mut each)
    }

    /// Where the register lives, as it may be shown.
    pub fn path(&self) -> PathBuf {
        PathBuf::from(self.0.location().shown())
    }

    /// The raw SQLite connection of a file register (tests of the triggers).
    ///
    /// # Panics
    /// On a PostgreSQL register.
    pub fn connection(&self) -> &rusqlite::Connection {
        self.0
            .as_sqlite()
            .expect("connection() is only for SQLite registers")
            .connection()
    }
}

impl Engine for SqliteRegister {
    fn settle_search_index(&mut self) -> Result<usize> {
        SqliteRegister::settle_search_index(self)
    }
    fn settle_search_index_step(&mut self) -> Result<usize> {
        SqliteRegister::settle_search_index_step(self)
    }
    fn location(&self) -> Location {
        Location::File(SqliteRegister::path(self).to_path_buf())
    }
    fn user(&self) -> &str {
        &self.user
    }
    fn is_read_only(&self) -> bool {
        SqliteRegister::is_read_only(self)
    }
    fn own_files(&self) -> Vec<PathBuf> {
        SqliteRegister::own_files(self)
    }
    fn created(&self) -> bool {
        self.created
    }
    fn reader(&self) -> Result<Register> {
        Ok(Register::new(SqliteRegister::open_with(
            &self.path,
            super::Access::Read,
        )?))
    }
    fn save_draft(&mut self, id: Option<i64>, letter: &Letter) -> Result<i64> {
        SqliteRegister::save_draft(self, id, letter)
    }
    fn drafts(&self) -> Result<Vec<DraftInfo>> {
        SqliteRegister::drafts(self)
    }
    fn open_draft(&self, id: i64) -> Result<Letter> {
        SqliteRegister::open_draft(self, id)
    }
    fn draft_versions(&self, id: i64) -> Result<Vec<DraftVersion>> {
        SqliteRegister::draft_versions(self, id)
    }
    fn draft_version(&self, id: i64, version: i64) -> Result<Letter> {
        SqliteRegister::draft_version(self, id, version)
    }
    fn delete_draft(&mut self, id: i64) -> Result<()> {
        SqliteRegister::delete_draft(self, id)
    }
    fn next_number(&self, letter: &Letter, date: NaiveDate) -> Result<(String, i64)> {
        SqliteRegister::next_number(self, letter, date)
    }
    fn issue_with(
        &mut self,
        letter: &Letter,
        opts: &IssueOptions,
        render: &mut dyn FnMut(&Letter) -> Result<Vec<u8>>,
    ) -> Result<Issued> {
        SqliteRegister::issue(self, letter, opts, render)
    }
    fn import_all(
        &mut self,
        letters: &mut dyn Iterator<Item = (Letter, Vec<u8>)>,
    ) -> Result<usize> {
        SqliteRegister::import(self, letters)
    }
    fn cancel(&mut self, id: i64, reason: &str) -> Result<()> {
        SqliteRegister::cancel(self, id, reason)
    }
    fn find(&self, id_or_number: &str) -> Result<i64> {
        SqliteRegister::find(self, id_or_number)
    }
    fn entry(&self, id: i64) -> Result<Entry> {
        SqliteRegister::entry(self, id)
    }
    fn pdf(&self, id: i64) -> Result<Vec<u8>> {
        SqliteRegister::pdf(self, id)
    }
    fn issued_letter(&self, id: i64) -> Result<Letter> {
        SqliteRegister::issued_letter(self, id)
    }
    fn each_entry(
        &self,
        year_be: Option<i64>,
        each: &mut dyn FnMut(Entry) -> Result<()>,
    ) -> Result<()> {
        SqliteRegister::for_each_entry(self, year_be, each)
    }
    fn count_entries(&self, year_be: Option<i64>) -> Result<u64> {
        SqliteRegister::count_entries(self, year_be)
    }
    fn entries(&self, year_be: Option<i64>) -> Result<Vec<Entry>> {
        SqliteRegister::entries(self, year_be)
    }
    fn search(&self, q: &SearchQuery) -> Result<Vec<Hit>> {
        SqliteRegister::search(self, q)
    }
    fn search_count(&self, q: &SearchQuery) -> Result<i64> {
        SqliteRegister::search_count(self, q)
    }
    fn search_count_upto(&self, q: &SearchQuery, upto: i64) -> Result<i64> {
        SqliteRegister::search_count_upto(self, q, upto)
    }
    fn search_counted(&self, q: &SearchQuery, upto: i64) -> Result<(Vec<Hit>, i64)> {
        match SqliteRegister::search_in_one_pass(self, q, upto)? {
            Some(found) => Ok(found),
            None => search_then_count(self, q, upto),
        }
    }
    fn received_before(&self, sha: &str) -> Result<Option<Receipt>> {
        SqliteRegister::received_before(self, sha)
    }
    fn receive(
        &mut self,
        new: &NewReceipt,
        stamp: &mut dyn FnMut(&StampData) -> Result<Vec<u8>>,
    ) -> Result<Receipt> {
        SqliteRegister::receive(self, new, stamp)
    }
    fn receipt(&self, id: i64) -> Result<Receipt> {
        SqliteRegister::receipt(self, id)
    }
    fn find_receipt(&self, what: &str) -> Result<i64> {
        SqliteRegister::find_receipt(self, what)
    }
    fn received_original(&self, id: i64) -> Result<Vec<u8>> {
        SqliteRegister::received_original(self, id)
    }
    fn received_stamped(&self, id: i64) -> Result<Vec<u8>> {
        SqliteRegister::received_stamped(self, id)
    }
    fn route(&mut self, id: i64, step: &RoutingStep) -> Result<Routed> {
        SqliteRegister::route(self, id, step)
    }
    fn cancel_receipt(&mut self, id: i64, reason: &str) -> Result<()> {
        SqliteRegister::cancel_receipt(self, id, reason)
    }
    fn each_receipt(
        &self,
        year_be: Option<i64>,
        each: &mut dyn FnMut(Receipt) -> Result<()>,
    ) -> Result<()> {
        SqliteRegister::each_receipt(self, year_be, each)
    }
    fn search_receipts(&self, q: &ReceiptQuery) -> Result<Vec<Receipt>> {
        SqliteRegister::search_receipts(self, q)
    }
    fn setting(&self, key: &str) -> Result<Option<Vec<u8>>> {
        SqliteRegister::setting(self, key)
    }
    fn addresses(&self) -> Result<Vec<AddressEntry>> {
        SqliteRegister::addresses(self)
    }
    fn save_addresses(&mut self, entries: &[(String, String, String)]) -> Result<usize> {
        SqliteRegister::save_addresses(self, entries)
    }
    fn delete_address(&mut self, id: i64) -> Result<()> {
        SqliteRegister::delete_address(self, id)
    }
    fn queue_sendings(&mut self, new: &[NewSending]) -> Result<Vec<Sending>> {
        SqliteRegister::queue_sendings(self, new)
    }
    fn sending(&self, id: i64) -> Result<Sending> {
        SqliteRegister::sending(self, id)
    }
    fn sendings(
        &self,
        letter_id: Option<i64>,
        receipt_id: Option<i64>,
        status: Option<SendingStatus>,
    ) -> Result<Vec<Sending>> {
        SqliteRegister::sendings(self, letter_id, receipt_id, status)
    }
    fn sending_eml(&self, id: i64) -> Result<Vec<u8>> {
        SqliteRegister::sending_eml(self, id)
    }
    fn record_attempt(&mut self, id: i64, attempt: &Attempt) -> Result<Sending> {
        SqliteRegister::record_attempt(self, id, attempt)
    }
    fn acknowledge(&mut self, message_id: &str, note: &str) -> Result<Option<Sending>> {
        SqliteRegister::acknowledge(self, message_id, note)
    }
    fn last_uid(&self, mailbox: &str, uid_validity: u32) -> Result<u32> {
        SqliteRegister::last_uid(self, mailbox, uid_validity)
    }
    fn take_mail(&mut self, new: &NewMail) -> Result<Option<MailIn>> {
        SqliteRegister::take_mail(self, new)
    }
    fn mail(&self, id: i64) -> Result<MailIn> {
        SqliteRegister::mail(self, id)
    }
    fn mails(&self, states: &[MailState]) -> Result<Vec<MailIn>> {
        SqliteRegister::mails(self, states)
    }
    fn mail_eml(&self, id: i64) -> Result<Vec<u8>> {
        SqliteRegister::mail_eml(self, id)
    }
    fn settle_mail(
        &mut self,
        id: i64,
        state: MailState,
        receipt_id: Option<i64>,
    ) -> Result<MailIn> {
        SqliteRegister::settle_mail(self, id, state, receipt_id)
    }
    fn set_settings(&mut self, values: &[(&str, Option<&[u8]>)]) -> Result<()> {
        SqliteRegister::set_settings(self, values)
    }
    fn insert_setting(&mut self, key: &str, value: &[u8]) -> Result<bool> {
        SqliteRegister::insert_setting(self, key, value)
    }
    fn add_signature(&mut self, new: &NewSignature) -> Result<Signature> {
        SqliteRegister::add_signature(self, new)
    }
    fn signatures(&self, letter_id: i64) -> Result<Vec<Signature>> {
        SqliteRegister::signatures(self, letter_id)
    }
    fn signed_pdf(&self, id: i64) -> Result<Vec<u8>> {
        SqliteRegister::signed_pdf(self, id)
    }
    fn signature_by_sha(&self, sha256: &str) -> Result<Option<Signature>> {
        SqliteRegister::signature_by_sha(self, sha256)
    }
    fn signature_count(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("SELECT count(*) FROM signatures", [], |r| r.get(0))?)
    }
    fn issued_by_sha(&self, sha256: &str) -> Result<Option<i64>> {
        use rusqlite::OptionalExtension;
        Ok(self
            .conn
            .query_row(
                "SELECT id FROM letters WHERE pdf_sha256 = ?1 AND status <> 'draft' LIMIT 1",
                [sha256],
                |r| r.get(0),
            )
            .optional()?)
    }
    fn audit_head(&self) -> Result<Option<(i64, String)>> {
        SqliteRegister::audit_head(self)
    }
    fn verify_audit(&self) -> Result<AuditReport> {
        SqliteRegister::verify_audit(self)
    }
    fn integrity_check(&self) -> Result<String> {
        SqliteRegister::integrity_check(self)
    }
    fn backup_to(&self, out: Output, anchor: Output) -> Result<AuditReport> {
        SqliteRegister::backup_to(self, out, anchor)
    }
    fn restore_from(&mut self, from: &Path, force: bool) -> Result<AuditReport> {
        SqliteRegister::restore_from(self, from, force)
    }
    fn dump(&self, sink: &mut dyn FnMut(Record) -> Result<()>) -> Result<()> {
        SqliteRegister::dump(self, sink)
    }
    fn load(&mut self, source: &mut crate::records::RecordSource<'_>) -> Result<u64> {
        SqliteRegister::load(self, source)
    }
    fn as_sqlite(&self) -> Option<&SqliteRegister> {
        Some(self)
    }
}
