//! The mailbox's records (บันทึกการรับส่งทางไปรษณีย์อิเล็กทรอนิกส์): the address book of
//! agencies, every sending of a letter or a receipt reply (the message kept byte for
//! byte with its SHA-256 in the audit chain, its Message-ID, each try and the server's
//! answer), and every message fetched from the saraban@ mailbox (by its folder's
//! UIDVALIDITY and UID, and its Message-ID, so that nothing is taken twice) until the
//! clerk registers or dismisses it.
//!
//! A sending waits in the outbox (`queued`) until a server takes it (`sent`) or refuses
//! it for good (`failed`); its Message-ID is one per letter and recipient, unique here,
//! so queuing the same letter to the same address again finds the first sending.

use rusqlite::{params, OptionalExtension, TransactionBehavior};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::audit::{append, commit_anchored};
use super::entry::hex;
use super::{now_text, SqliteRegister};
use saraban_model::error::Error;

/// สมุดที่อยู่: an agency and its official address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct AddressEntry {
    /// Its id.
    #[ts(type = "number")]
    pub id: i64,
    /// The agency's name, as a letter's เรียน or distribution list names it.
    pub name: String,
    /// Its saraban@ address.
    pub address: String,
    /// A note (the directory's code, a province).
    pub note: String,
}

/// What a sending carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum SendingKind {
    /// An issued letter (หนังสือส่ง).
    Letter,
    /// A receipt reply: the receipt number of a letter that arrived (แจ้งเลขรับ).
    ReceiptReply,
}

impl SendingKind {
    pub(crate) fn name(self) -> &'static str {
        match self {
            SendingKind::Letter => "letter",
            SendingKind::ReceiptReply => "receipt_reply",
        }
    }
    pub(crate) fn of(s: &str) -> SendingKind {
        if s == "receipt_reply" {
            SendingKind::ReceiptReply
        } else {
            SendingKind::Letter
        }
    }
}

/// Where a sending stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum SendingStatus {
    /// In the outbox: not yet taken by the server.
    Queued,
    /// The server took it.
    Sent,
    /// The server refused it for good.
    Failed,
}

impl SendingStatus {
    pub(crate) fn name(self) -> &'static str {
        match self {
            SendingStatus::Queued => "queued",
            SendingStatus::Sent => "sent",
            SendingStatus::Failed => "failed",
        }
    }
    pub(crate) fn of(s: &str) -> SendingStatus {
        match s {
            "sent" => SendingStatus::Sent,
            "failed" => SendingStatus::Failed,
            _ => SendingStatus::Queued,
        }
    }
}

/// A message about to join the outbox.
#[derive(Debug, Clone)]
pub struct NewSending {
    /// What it carries.
    pub kind: SendingKind,
    /// The issued letter (a letter).
    pub letter_id: Option<i64>,
    /// The receipt (a receipt reply).
    pub receipt_id: Option<i64>,
    /// The recipient's name.
    pub name: String,
    /// The recipient's address.
    pub address: String,
    /// The Message-ID.
    pub message_id: String,
    /// The message, exactly as it will be sent.
    pub eml: Vec<u8>,
}

/// One sending (การส่ง), as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Sending {
    /// Its id.
    #[ts(type = "number")]
    pub id: i64,
    /// What it carries.
    pub kind: SendingKind,
    /// The issued letter.
    #[ts(type = "number | null")]
    pub letter_id: Option<i64>,
    /// The receipt answered.
    #[ts(type = "number | null")]
    pub receipt_id: Option<i64>,
    /// To whom.
    pub name: String,
    /// At which address.
    pub address: String,
    /// Its Message-ID.
    pub message_id: String,
    /// The SHA-256 of the message kept.
    pub eml_sha256: String,
    /// Its size in bytes.
    #[ts(type = "number")]
    pub size: i64,
    /// Where it stands.
    pub status: SendingStatus,
    /// When it joined the outbox, and who put it there.
    pub queued_at: String,
    /// Who.
    pub queued_by: String,
    /// How many times a server was tried.
    #[ts(type = "number")]
    pub attempts: i64,
    /// When the server took it.
    pub sent_at: Option<String>,
    /// The server's answer, or why the last try failed.
    pub answer: Option<String>,
    /// The receipt reply that came back (เลขรับของผู้รับ), when one did.
    pub acknowledged: Option<String>,
}

/// How a try went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Attempt {
    /// Taken, with the server's answer.
    Sent(String),
    /// Refused for good, with the server's answer.
    Failed(String),
    /// Not now (server away, "try later"): stays in the outbox.
    Waiting(String),
}

/// What a fetched message is, and what became of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum MailState {
    /// Brings letters: waits for the clerk to register it.
    New,
    /// Registered in the incoming register.
    Received,
    /// Brings no letter (or the clerk set it aside): in the list until dismissed.
    NoLetter,
    /// Dismissed by the clerk.
    Dismissed,
    /// Refused (too large, a mail bomb): kept as a record only.
    Refused,
    /// A receipt reply to one of this office's sendings: recorded on it.
    Acknowledgment,
}

impl MailState {
    pub(crate) fn name(self) -> &'static str {
        match self {
            MailState::New => "new",
            MailState::Received => "received",
            MailState::NoLetter => "no_letter",
            MailState::Dismissed => "dismissed",
            MailState::Refused => "refused",
            MailState::Acknowledgment => "acknowledgment",
        }
    }
    pub(crate) fn of(s: &str) -> MailState {
        match s {
            "received" => MailState::Received,
            "no_letter" => MailState::NoLetter,
            "dismissed" => MailState::Dismissed,
            "refused" => MailState::Refused,
            "acknowledgment" => MailState::Acknowledgment,
            _ => MailState::New,
        }
    }
}

/// A message fetched, about to be recorded.
#[derive(Debug, Clone)]
pub struct NewMail {
    /// The mailbox it came from.
    pub mailbox: String,
    /// Its folder's UIDVALIDITY.
    pub uid_validity: u32,
    /// Its UID.
    pub uid: u32,
    /// Its Message-ID.
    pub message_id: Option<String>,
    /// From.
    pub from_address: String,
    /// From's name.
    pub from_name: String,
    /// Subject.
    pub subject: String,
    /// The sender's date.
    pub sent_at: Option<String>,
    /// The message (only its header when refused for size).
    pub eml: Vec<u8>,
    /// How many PDF letters it brings.
    pub letters: i64,
    /// What it is.
    pub state: MailState,
    /// What the clerk should know (refused why; a From that is not the address book's).
    pub problem: Option<String>,
}

/// A fetched message, as recorded (without its bytes).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct MailIn {
    /// Its id.
    #[ts(type = "number")]
    pub id: i64,
    /// Its UID in the mailbox.
    #[ts(type = "number")]
    pub uid: i64,
    /// Its Message-ID.
    pub message_id: Option<String>,
    /// From.
    pub from_address: String,
    /// From's name.
    pub from_name: String,
    /// Subject.
    pub subject: String,
    /// The sender's date.
    pub sent_at: Option<String>,
    /// When it was fetched.
    pub fetched_at: String,
    /// SHA-256 of the message kept.
    pub eml_sha256: String,
    /// Size.
    #[ts(type = "number")]
    pub size: i64,
    /// How many PDF letters.
    #[ts(type = "number")]
    pub letters: i64,
    /// What it is, what became of it.
    pub state: MailState,
    /// What the clerk should know.
    pub problem: Option<String>,
    /// The receipt it became.
    #[ts(type = "number | null")]
    pub receipt_id: Option<i64>,
}

/// The message an engine gives that does not keep the mailbox's records.
pub(crate) fn not_on_server() -> Error {
    Error::Register {
        th: "ทะเบียนนี้ไม่เก็บบันทึกของกล่องอีเมล".into(),
        en: "this register does not keep the mailbox's records".into(),
    }
}

const SENDING_COLUMNS: &str = "id, kind, letter_id, receipt_id, name, address, message_id, eml_sha256, length(eml), status, queued_at, queued_by, attempts, sent_at, answer, acknowledged";

fn sending_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Sending> {
    Ok(Sending {
        id: r.get(0)?,
        kind: SendingKind::of(&r.get::<_, String>(1)?),
        letter_id: r.get(2)?,
        receipt_id: r.get(3)?,
        name: r.get(4)?,
        address: r.get(5)?,
        message_id: r.get(6)?,
        eml_sha256: r.get(7)?,
        size: r.get(8)?,
        status: SendingStatus::of(&r.get::<_, String>(9)?),
        queued_at: r.get(10)?,
        queued_by: r.get(11)?,
        attempts: r.get(12)?,
        sent_at: r.get(13)?,
        answer: r.get(14)?,
        acknowledged: r.get(15)?,
    })
}

const MAIL_COLUMNS: &str = "id, uid, message_id, from_address, from_name, subject, sent_at, fetched_at, eml_sha256, length(eml), letters, state, problem, receipt_id";

fn mail_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<MailIn> {
    Ok(MailIn {
        id: r.get(0)?,
        uid: r.get(1)?,
        message_id: r.get(2)?,
        from_address: r.get(3)?,
        from_name: r.get(4)?,
        subject: r.get(5)?,
        sent_at: r.get(6)?,
        fetched_at: r.get(7)?,
        eml_sha256: r.get(8)?,
        size: r.get(9)?,
        letters: r.get(10)?,
        state: MailState::of(&r.get::<_, String>(11)?),
        problem: r.get(12)?,
        receipt_id: r.get(13)?,
    })
}

pub(crate) fn not_found(what: &str, id: i64) -> Error {
    Error::NotFound {
        th: format!("ไม่พบ{what} {id}"),
        en: format!(
            "no {} {id}",
            if what == "การส่ง" {
                "sending"
            } else {
                "fetched message"
            }
        ),
    }
}

pub(crate) fn sha(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    hex(&Sha256::digest(bytes))
}

/// A message kept, checked against its recorded hash.
pub(crate) fn checked(
    th: &str,
    en: &str,
    id: i64,
    eml: Vec<u8>,
    want: &str,
) -> saraban_model::Result<Vec<u8>> {
    if sha(&eml) != want {
        return Err(Error::Register {
            th: format!("ข้อความของ{th} {id} ไม่ตรงกับค่าแฮชที่บันทึกไว้ (ถูกแก้ไข)"),
            en: format!(
                "the message of {en} {id} does not match its recorded hash (it was changed)"
            ),
        });
    }
    Ok(eml)
}

impl SqliteRegister {
    /// The address book, by name.
    pub fn addresses(&self) -> saraban_model::Result<Vec<AddressEntry>> {
        let mut stmt = self
            .conn
            .prepare("SELECT id, name, address, note FROM addresses ORDER BY name, id")?;
        let rows = stmt.query_map([], |r| {
            Ok(AddressEntry {
                id: r.get(0)?,
                name: r.get(1)?,
                address: r.get(2)?,
                note: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// Adds or updates entries (by name), in one transaction; returns how many changed.
    pub fn save_addresses(
        &mut self,
        entries: &[(String, String, String)],
    ) -> saraban_model::Result<usize> {
        let anchor = self.anchor_ready()?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut changed = 0;
        for (name, address, note) in entries {
            changed += tx.execute(
                "INSERT INTO addresses (name, address, note) VALUES (?1, ?2, ?3)
                 ON CONFLICT (name) DO UPDATE SET address = excluded.address, note = excluded.note
                 WHERE address IS NOT excluded.address OR note IS NOT excluded.note",
                params![name, address, note],
            )?;
        }
        if changed > 0 {
            append(
                &tx,
                &self.user,
                "addresses",
                None,
                &format!("{changed} saved"),
            )?;
        }
        commit_anchored(tx, anchor)?;
        Ok(changed)
    }

    /// Removes an entry.
    pub fn delete_address(&mut self, id: i64) -> saraban_model::Result<()> {
        let anchor = self.anchor_ready()?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let gone: Option<(String, String)> = tx
            .query_row(
                "SELECT name, address FROM addresses WHERE id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let Some((name, address)) = gone else {
            return Err(Error::NotFound {
                th: format!("ไม่พบที่อยู่ {id} ในสมุดที่อยู่"),
                en: format!("no address {id} in the address book"),
            });
        };
        tx.execute("DELETE FROM addresses WHERE id = ?1", [id])?;
        append(
            &tx,
            &self.user,
            "address_delete",
            None,
            &format!("{name}|{address}"),
        )?;
        commit_anchored(tx, anchor)
    }

    /// Puts messages in the outbox, each with its audit entry; a Message-ID already there
    /// is the same sending, returned as it stands.
    pub fn queue_sendings(&mut self, new: &[NewSending]) -> saraban_model::Result<Vec<Sending>> {
        let anchor = self.anchor_ready()?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut ids = Vec::new();
        for n in new {
            let existing: Option<i64> = tx
                .query_row(
                    "SELECT id FROM sendings WHERE message_id = ?1",
                    [&n.message_id],
                    |r| r.get(0),
                )
                .optional()?;
            if let Some(id) = existing {
                ids.push(id);
                continue;
            }
            let eml_sha = sha(&n.eml);
            tx.execute(
                "INSERT INTO sendings (kind, letter_id, receipt_id, name, address, message_id, eml, eml_sha256, status, queued_at, queued_by)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'queued', ?9, ?10)",
                params![n.kind.name(), n.letter_id, n.receipt_id, n.name, n.address, n.message_id, n.eml, eml_sha, now_text(), self.user],
            )?;
            let id = tx.last_insert_rowid();
            append(
                &tx,
                &self.user,
                "mail_queue",
                n.letter_id,
                &format!(
                    "{id}|{}|{}|{}|{eml_sha}",
                    n.kind.name(),
                    n.address,
                    n.message_id
                ),
            )?;
            ids.push(id);
        }
        commit_anchored(tx, anchor)?;
        ids.into_iter().map(|id| self.sending(id)).collect()
    }

    /// One sending.
    pub fn sending(&self, id: i64) -> saraban_model::Result<Sending> {
        self.conn
            .query_row(
                &format!("SELECT {SENDING_COLUMNS} FROM sendings WHERE id = ?1"),
                [id],
                sending_row,
            )
            .optional()?
            .ok_or_else(|| not_found("การส่ง", id))
    }

    /// The sendings of a letter, of a receipt, or in a state; newest last.
    pub fn sendings(
        &self,
        letter_id: Option<i64>,
        receipt_id: Option<i64>,
        status: Option<SendingStatus>,
    ) -> saraban_model::Result<Vec<Sending>> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {SENDING_COLUMNS} FROM sendings
             WHERE (?1 IS NULL OR letter_id = ?1) AND (?2 IS NULL OR receipt_id = ?2) AND (?3 IS NULL OR status = ?3)
             ORDER BY id"
        ))?;
        let rows = stmt.query_map(
            params![letter_id, receipt_id, status.map(|s| s.name())],
            sending_row,
        )?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// The message a sending keeps, checked against its hash.
    pub fn sending_eml(&self, id: i64) -> saraban_model::Result<Vec<u8>> {
        let (eml, want): (Vec<u8>, String) = self
            .conn
            .query_row(
                "SELECT eml, eml_sha256 FROM sendings WHERE id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?
            .ok_or_else(|| not_found("การส่ง", id))?;
        if sha(&eml) != want {
            return Err(Error::Register {
                th: format!("ข้อความของการส่ง {id} ไม่ตรงกับค่าแฮชที่บันทึกไว้ (ถูกแก้ไข)"),
                en: format!(
                    "the message of sending {id} does not match its recorded hash (it was changed)"
                ),
            });
        }
        Ok(eml)
    }

    /// Records a try: taken and refused ones are audited; a "not now" only counted.
    pub fn record_attempt(&mut self, id: i64, attempt: &Attempt) -> saraban_model::Result<Sending> {
        let anchor = self.anchor_ready()?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let status: Option<String> = tx
            .query_row("SELECT status FROM sendings WHERE id = ?1", [id], |r| {
                r.get(0)
            })
            .optional()?;
        match status.as_deref() {
            None => return Err(not_found("การส่ง", id)),
            Some("queued") => {}
            // Already settled (another clerk's outbox run): nothing to record.
            Some(_) => {
                drop(tx);
                return self.sending(id);
            }
        }
        let now = now_text();
        match attempt {
            Attempt::Sent(answer) => {
                tx.execute(
                    "UPDATE sendings SET status = 'sent', attempts = attempts + 1, sent_at = ?2, answer = ?3 WHERE id = ?1",
                    params![id, now, answer],
                )?;
                append(
                    &tx,
                    &self.user,
                    "mail_sent",
                    None,
                    &format!("{id}|{now}|{answer}"),
                )?;
            }
            Attempt::Failed(answer) => {
                tx.execute(
                    "UPDATE sendings SET status = 'failed', attempts = attempts + 1, answer = ?2 WHERE id = ?1",
                    params![id, answer],
                )?;
                append(
                    &tx,
                    &self.user,
                    "mail_failed",
                    None,
                    &format!("{id}|{now}|{answer}"),
                )?;
            }
            Attempt::Waiting(why) => {
                tx.execute(
                    "UPDATE sendings SET attempts = attempts + 1, answer = ?2 WHERE id = ?1",
                    params![id, why],
                )?;
            }
        }
        commit_anchored(tx, anchor)?;
        self.sending(id)
    }

    /// Records a receipt reply on the sending it answers (by its Message-ID); `None` when
    /// no sending has that Message-ID.
    pub fn acknowledge(
        &mut self,
        message_id: &str,
        note: &str,
    ) -> saraban_model::Result<Option<Sending>> {
        let anchor = self.anchor_ready()?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let id: Option<i64> = tx
            .query_row(
                "SELECT id FROM sendings WHERE message_id = ?1",
                [message_id],
                |r| r.get(0),
            )
            .optional()?;
        let Some(id) = id else {
            return Ok(None);
        };
        tx.execute(
            "UPDATE sendings SET acknowledged = ?2 WHERE id = ?1",
            params![id, note],
        )?;
        append(&tx, &self.user, "mail_ack", None, &format!("{id}|{note}"))?;
        commit_anchored(tx, anchor)?;
        self.sending(id).map(Some)
    }

    /// The highest UID taken from a mailbox's folder of this UIDVALIDITY (0: none).
    pub fn last_uid(&self, mailbox: &str, uid_validity: u32) -> saraban_model::Result<u32> {
        let n: Option<i64> = self.conn.query_row(
            "SELECT max(uid) FROM (SELECT uid FROM mail_in WHERE mailbox = ?1 AND uid_validity = ?2
               UNION ALL SELECT uid FROM mail_seen WHERE mailbox = ?1 AND uid_validity = ?2)",
            params![mailbox.to_lowercase(), uid_validity],
            |r| r.get(0),
        )?;
        Ok(n.unwrap_or(0).clamp(0, u32::MAX as i64) as u32)
    }

    /// Records a fetched message with its audit entry; `None` when it is already here
    /// (the same UID, or the same Message-ID from the same sender: a message sent twice).
    pub fn take_mail(&mut self, new: &NewMail) -> saraban_model::Result<Option<MailIn>> {
        let anchor = self.anchor_ready()?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mailbox = new.mailbox.to_lowercase();
        let known: Option<i64> = tx
            .query_row(
                "SELECT id FROM mail_in WHERE mailbox = ?1 AND ((uid_validity = ?2 AND uid = ?3)
                   OR (?4 IS NOT NULL AND message_id = ?4 AND from_address = ?5))",
                params![
                    mailbox,
                    new.uid_validity,
                    new.uid,
                    new.message_id,
                    new.from_address
                ],
                |r| r.get(0),
            )
            .optional()?;
        if known.is_some() {
            // A second copy still takes its UID, so the next fetch starts after it.
            tx.execute(
                "INSERT OR IGNORE INTO mail_seen (mailbox, uid_validity, uid) VALUES (?1, ?2, ?3)",
                params![mailbox, new.uid_validity, new.uid],
            )?;
            tx.commit()?;
            return Ok(None);
        }
        let eml_sha = sha(&new.eml);
        tx.execute(
            "INSERT INTO mail_in (mailbox, uid_validity, uid, message_id, from_address, from_name, subject, sent_at, fetched_at, fetched_by, eml, eml_sha256, letters, state, problem)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
            params![mailbox, new.uid_validity, new.uid, new.message_id, new.from_address, new.from_name, new.subject, new.sent_at, now_text(), self.user, new.eml, eml_sha, new.letters, new.state.name(), new.problem],
        )?;
        let id = tx.last_insert_rowid();
        append(
            &tx,
            &self.user,
            "mail_fetch",
            None,
            &format!(
                "{id}|{}|{}|{}|{eml_sha}|{}",
                new.uid,
                new.message_id.as_deref().unwrap_or(""),
                new.from_address,
                new.state.name()
            ),
        )?;
        commit_anchored(tx, anchor)?;
        self.mail(id).map(Some)
    }

    /// One fetched message.
    pub fn mail(&self, id: i64) -> saraban_model::Result<MailIn> {
        self.conn
            .query_row(
                &format!("SELECT {MAIL_COLUMNS} FROM mail_in WHERE id = ?1"),
                [id],
                mail_row,
            )
            .optional()?
            .ok_or_else(|| not_found("ข้อความ", id))
    }

    /// The fetched messages in these states (all when empty), oldest first.
    pub fn mails(&self, states: &[MailState]) -> saraban_model::Result<Vec<MailIn>> {
        let mut stmt = self
            .conn
            .prepare(&format!("SELECT {MAIL_COLUMNS} FROM mail_in ORDER BY id"))?;
        let rows = stmt.query_map([], mail_row)?;
        let all = rows.collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(all
            .into_iter()
            .filter(|m| states.is_empty() || states.contains(&m.state))
            .collect())
    }

    /// A fetched message's bytes, checked against its hash.
    pub fn mail_eml(&self, id: i64) -> saraban_model::Result<Vec<u8>> {
        let (eml, want): (Vec<u8>, String) = self
            .conn
            .query_row(
                "SELECT eml, eml_sha256 FROM mail_in WHERE id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?
            .ok_or_else(|| not_found("ข้อความ", id))?;
        if sha(&eml) != want {
            return Err(Error::Register {
                th: format!("ข้อความ {id} ไม่ตรงกับค่าแฮชที่บันทึกไว้ (ถูกแก้ไข)"),
                en: format!(
                    "fetched message {id} does not match its recorded hash (it was changed)"
                ),
            });
        }
        Ok(eml)
    }

    /// Settles a fetched message: registered (with its receipt) or dismissed.
    pub fn settle_mail(
        &mut self,
        id: i64,
        state: MailState,
        receipt_id: Option<i64>,
    ) -> saraban_model::Result<MailIn> {
        let anchor = self.anchor_ready()?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let n = tx.execute(
            "UPDATE mail_in SET state = ?2, receipt_id = coalesce(?3, receipt_id), settled_at = ?4, settled_by = ?5 WHERE id = ?1",
            params![id, state.name(), receipt_id, now_text(), self.user],
        )?;
        if n == 0 {
            return Err(not_found("ข้อความ", id));
        }
        append(
            &tx,
            &self.user,
            "mail_settle",
            None,
            &format!(
                "{id}|{}|{}",
                state.name(),
                receipt_id.map(|r| r.to_string()).unwrap_or_default()
            ),
        )?;
        commit_anchored(tx, anchor)?;
        self.mail(id)
    }
}
