//! The incoming register (ทะเบียนหนังสือรับ): letters that arrived, each given the next
//! receipt number of its calendar year (เลขทะเบียนรับ, starting anew each year as the
//! regulation says) in the transaction that stores the original file byte for byte, its
//! SHA-256, the stamped copy and the audit entry. A receipt is immutable; a wrong one is
//! cancelled with a reason, never deleted. Its routing (เกษียน: proposal, order,
//! hand-over) is a list of dated steps, appended, never changed.
//!
//! What both engines share is here (the types, the checks, the texts of the audit); the
//! SQLite engine's statements too, the server's in `pg::incoming`.

use chrono::{FixedOffset, NaiveDateTime};
use rusqlite::{params, OptionalExtension, TransactionBehavior};
use sha2::{Digest, Sha256};

use super::audit::{append, commit_anchored};
use super::entry::hex;
use super::issue::check_reason;
pub(crate) use super::receipt::{
    cancel_receipt_detail, fields_json, name_of, receipt_of, receive_detail, route_detail,
    search_text, RECEIPT_COLUMNS,
};
pub use super::receipt::{Receipt, ReceiptStatus, ReplyRef, Routed};
use super::search::fold;
use super::{now_text, SqliteRegister};
use saraban_model::error::Error;
use saraban_model::received::{ReadBy, ReceivedFields, ReceivedKind, RoutingStep};
use saraban_thai::to_thai_digits;

/// The largest file a receipt keeps (a scanned letter of many pages is a few megabytes).
pub const MAX_RECEIVED_BYTES: usize = 64 << 20;

/// A letter about to be received: what the clerk confirmed, and the file as it arrived.
#[derive(Debug, Clone)]
pub struct NewReceipt {
    /// The fields, as confirmed.
    pub fields: ReceivedFields,
    /// How they were read.
    pub read_by: ReadBy,
    /// What the file is.
    pub kind: ReceivedKind,
    /// The file's name as it arrived.
    pub file_name: String,
    /// The file byte for byte (for an image: the image; its PDF is the stamped copy).
    pub original: Vec<u8>,
    /// When it was received, Bangkok time (default: now).
    pub received_at: Option<NaiveDateTime>,
    /// The clerk confirmed receiving a file already received.
    pub again: bool,
}

/// What the receipt stamp (ตรารับ) needs: the number and time it shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StampData {
    /// เลขรับ.
    pub receipt_number: i64,
    /// The Buddhist-Era year of the receipt.
    pub year_be: i64,
    /// วันที่ and เวลา, Bangkok time.
    pub received_at: NaiveDateTime,
}

/// Bangkok's offset (the register's dates and times are Bangkok's).
pub(crate) fn bangkok() -> FixedOffset {
    FixedOffset::east_opt(7 * 3600).expect("UTC+7 is a valid offset")
}

/// Now, Bangkok time, to the second.
pub fn now_in_bangkok() -> NaiveDateTime {
    let now = chrono::Utc::now().with_timezone(&bangkok()).naive_local();
    chrono::Timelike::with_nanosecond(&now, 0).unwrap_or(now)
}

/// A receipt time as stored: ISO with Bangkok's offset, to the second.
pub(crate) fn at_text(at: NaiveDateTime) -> String {
    format!("{}+07:00", at.format("%Y-%m-%dT%H:%M:%S"))
}

/// The Buddhist-Era year a receipt time falls in.
pub(crate) fn year_of(at: NaiveDateTime) -> i64 {
    i64::from(chrono::Datelike::year(&at)) + 543
}

/// Checks a new receipt before any number is taken: a file, of a size a letter has, with
/// fields of one line each.
pub(crate) fn check_new(r: &NewReceipt) -> saraban_model::Result<()> {
    if r.original.is_empty() {
        return Err(Error::input(
            "file",
            format!("ไฟล์ {} ว่างเปล่า (๐ ไบต์) ไม่มีหนังสือให้รับ", r.file_name),
            format!(
                "the file {} is empty (0 bytes): there is no letter to receive",
                r.file_name
            ),
        ));
    }
    if r.original.len() > MAX_RECEIVED_BYTES {
        return Err(too_large(&r.file_name, r.original.len()));
    }
    for (path, th, text) in [
        ("number", "ที่", &r.fields.number),
        ("from", "จาก", &r.fields.from),
        ("to", "ถึง", &r.fields.to),
        ("subject", "เรื่อง", &r.fields.subject),
    ] {
        if let Some(c) = text
            .chars()
            .find(|c| c.is_control() || saraban_thai::is_invisible(*c))
        {
            return Err(Error::input(
                path,
                format!("ช่อง{th}มีอักขระควบคุมหรืออักขระที่มองไม่เห็น (U+{:04X}) กรุณาพิมพ์เป็นข้อความบรรทัดเดียว", c as u32),
                format!("the field {path} holds a control or invisible character (U+{:04X}); type it as one line", c as u32),
            ));
        }
    }
    if r.fields.subject.trim().is_empty() {
        return Err(Error::input(
            "subject",
            "ยังไม่ได้ระบุเรื่องของหนังสือที่รับ กรุณาพิมพ์เรื่องก่อนลงรับ",
            "the received letter has no subject: type it before receiving",
        ));
    }
    Ok(())
}

/// A receipt checked before any number is taken, on either engine: its file's hash, when
/// it is received and the year it is numbered in, its fields as stored.
pub(crate) struct Prepared {
    pub sha: String,
    pub at: NaiveDateTime,
    pub year_be: i64,
    pub fields: String,
}

impl Prepared {
    /// Checks `new`, and unless the clerk confirmed receiving it again, that its file was
    /// not received before (`earlier` finds the newest receipt of a hash).
    pub(crate) fn of(
        new: &NewReceipt,
        earlier: impl FnOnce(&str) -> saraban_model::Result<Option<Receipt>>,
    ) -> saraban_model::Result<Prepared> {
        check_new(new)?;
        let sha = hex(&Sha256::digest(&new.original));
        if !new.again {
            if let Some(earlier) = earlier(&sha)? {
                return Err(already_received(&earlier));
            }
        }
        let at = new.received_at.unwrap_or_else(now_in_bangkok);
        Ok(Prepared {
            sha,
            at,
            year_be: year_of(at),
            fields: fields_json(&new.fields),
        })
    }

    /// What the stamp shows as receipt `number`.
    pub(crate) fn stamp_data(&self, number: i64) -> StampData {
        StampData {
            receipt_number: number,
            year_be: self.year_be,
            received_at: self.at,
        }
    }
}

/// A file too large to be a letter.
pub fn too_large(name: &str, size: usize) -> Error {
    Error::input(
        "file",
        format!(
            "ไฟล์ {name} ใหญ่ {} MB เกินกว่าที่หนังสือหนึ่งฉบับจะเป็น (ไม่เกิน {} MB) อาจเลือกไฟล์ผิด",
            to_thai_digits(&(size >> 20).to_string()),
            to_thai_digits(&(MAX_RECEIVED_BYTES >> 20).to_string())
        ),
        format!(
            "the file {name} is {} MB, more than a letter can be (at most {} MB); was it the right file?",
            size >> 20,
            MAX_RECEIVED_BYTES >> 20
        ),
    )
}

/// The same file received before: said with the earlier receipt, and how to receive it
/// again (the error's path is `again`, which the app answers with a confirmation).
pub(crate) fn already_received(earlier: &Receipt) -> Error {
    let at = earlier
        .received_at
        .get(..16)
        .unwrap_or(&earlier.received_at)
        .replace('T', " ");
    Error::input(
        "again",
        format!(
            "ไฟล์นี้ลงรับไปแล้ว เลขรับ {} เมื่อ {} (เรื่อง {}) ถ้าต้องการลงรับซ้ำ กรุณายืนยัน (ในคำสั่ง: --again)",
            earlier.receipt_text(),
            to_thai_digits(&at),
            earlier.fields.subject
        ),
        format!(
            "this file was received before: receipt {}/{} at {at} ({}); to receive it again, confirm (--again)",
            earlier.receipt_number, earlier.year_be, earlier.fields.subject
        ),
    )
}

fn no_receipt(id: i64) -> Error {
    Error::input(
        "",
        to_thai_digits(&format!("ไม่พบหนังสือรับรายการ {id} ในทะเบียนหนังสือรับ")),
        format!("there is no receipt {id} in the incoming register"),
    )
}

/// No receipt with this id or number.
pub(crate) fn receipt_not_found(what: &str) -> Error {
    Error::input(
        "",
        format!("ไม่พบหนังสือรับ {what} ในทะเบียนหนังสือรับ (ระบุเลขรับ เช่น ๑๒/๒๕๖๙ หรือรหัสรายการ)"),
        format!("no receipt {what} in the incoming register (give a receipt number such as 12/2569, or an entry id)"),
    )
}

/// Whether a receipt of `status` can be cancelled or routed.
pub(crate) fn still_open(id: i64, status: Option<&str>) -> saraban_model::Result<()> {
    match status {
        Some("received") => Ok(()),
        Some("cancelled") => Err(Error::input(
            "",
            to_thai_digits(&format!("หนังสือรับรายการ {id} ถูกยกเลิกไปแล้ว")),
            format!("receipt {id} is cancelled"),
        )),
        _ => Err(no_receipt(id)),
    }
}

/// A receipt number as typed (`12/2569`, `๑๒/๒๕๖๙`): number and year.
pub(crate) fn parse_receipt_number(s: &str) -> Option<(i64, i64)> {
    let s = saraban_thai::to_arabic_digits(s.trim());
    let (n, y) = s.split_once('/')?;
    Some((n.trim().parse().ok()?, y.trim().parse().ok()?))
}

fn receipt_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Receipt> {
    Ok(receipt_of(
        r.get(0)?,
        r.get(1)?,
        r.get(2)?,
        r.get(3)?,
        r.get(4)?,
        &r.get::<_, String>(5)?,
        &r.get::<_, String>(6)?,
        &r.get::<_, String>(7)?,
        r.get(8)?,
        r.get(9)?,
        r.get(10)?,
        &r.get::<_, String>(11)?,
        r.get(12)?,
        r.get(13)?,
    ))
}

/// What to look for in the incoming register.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize, ts_rs::TS)]
#[serde(default, deny_unknown_fields)]
pub struct ReceiptQuery {
    /// A substring of the number, sender, recipient, subject, references or enclosures,
    /// or the receipt number (`12/2569`).
    pub text: Option<String>,
    /// Buddhist-Era year of the receipt.
    #[ts(type = "number | null")]
    pub year_be: Option<i64>,
    /// At most this many (default 50).
    pub limit: Option<usize>,
    /// Skip this many first.
    pub offset: Option<usize>,
}

impl SqliteRegister {
    /// The receipt of a file with this SHA-256, the newest, if it was received before.
    pub fn received_before(&self, sha: &str) -> saraban_model::Result<Option<Receipt>> {
        let id: Option<i64> = self
            .conn
            .query_row(
                "SELECT id FROM received WHERE sha256 = ?1 AND status = 'received' ORDER BY id DESC LIMIT 1",
                [sha],
                |r| r.get(0),
            )
            .optional()?;
        id.map(|id| self.receipt(id)).transpose()
    }

    fn next_receipt_number(&self, year_be: i64) -> saraban_model::Result<i64> {
        let last: Option<i64> = self
            .conn
            .query_row(
                "SELECT last FROM receipt_years WHERE year_be = ?1",
                [year_be],
                |r| r.get(0),
            )
            .optional()?;
        Ok(last.unwrap_or(0) + 1)
    }

    /// Receives a letter (ลงรับ): the next receipt number of its year, the stamped copy
    /// made by `stamp`, the original and the audit entry, in one transaction.
    ///
    /// The stamp is drawn before the write lock with the number the receipt will most
    /// likely get, and again inside only when another clerk took that number meanwhile.
    pub fn receive(
        &mut self,
        new: &NewReceipt,
        stamp: &mut dyn FnMut(&StampData) -> saraban_model::Result<Vec<u8>>,
    ) -> saraban_model::Result<Receipt> {
        let p = Prepared::of(new, |sha| self.received_before(sha))?;
        let (at, year_be) = (p.at, p.year_be);
        let (sha, fields) = (&p.sha, &p.fields);
        let data = |n: i64| p.stamp_data(n);
        let predicted = self.next_receipt_number(year_be)?;
        let mut stamped = Some((predicted, stamp(&data(predicted))?));
        self.conn.pragma_update(None, "synchronous", "FULL")?;
        let result = (|| -> saraban_model::Result<i64> {
            let anchor = self.anchor_ready()?;
            let tx = self
                .conn
                .transaction_with_behavior(TransactionBehavior::Immediate)?;
            let number: i64 = tx.query_row(
                "INSERT INTO receipt_years (year_be, last) VALUES (?1, 1)
                 ON CONFLICT (year_be) DO UPDATE SET last = last + 1 RETURNING last",
                [year_be],
                |r| r.get(0),
            )?;
            let copy = match stamped.take() {
                Some((n, pdf)) if n == number => pdf,
                _ => stamp(&data(number))?,
            };
            let stamped_sha = hex(&Sha256::digest(&copy));
            let at_s = at_text(at);
            tx.execute(
                "INSERT INTO received (status, year_be, receipt_number, received_at, received_by, fields_json,
                    read_by, kind, file_name, original, sha256, stamped, stamped_sha256, search_text)
                 VALUES ('received', ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
                params![
                    year_be,
                    number,
                    at_s,
                    self.user,
                    fields,
                    name_of(&new.read_by),
                    name_of(&new.kind),
                    new.file_name,
                    new.original,
                    sha,
                    copy,
                    stamped_sha,
                    search_text(&new.fields, number, year_be)
                ],
            )?;
            let id = tx.last_insert_rowid();
            append(
                &tx,
                &self.user,
                "receive",
                None,
                &receive_detail(id, year_be, number, &at_s, sha, &stamped_sha, fields),
            )?;
            commit_anchored(tx, anchor)?;
            Ok(id)
        })();
        let _ = self.conn.pragma_update(None, "synchronous", "NORMAL");
        self.receipt(result?)
    }

    /// One receipt with its routing.
    pub fn receipt(&self, id: i64) -> saraban_model::Result<Receipt> {
        let mut r = self
            .conn
            .query_row(
                &format!("SELECT {RECEIPT_COLUMNS} FROM received WHERE id = ?1"),
                [id],
                receipt_row,
            )
            .optional()?
            .ok_or_else(|| no_receipt(id))?;
        r.routing = Vec::new();
        self.completed(r)
    }

    /// A receipt by its id or its receipt number (`12/2569`, either digit form).
    pub fn find_receipt(&self, what: &str) -> saraban_model::Result<i64> {
        if let Some((n, y)) = parse_receipt_number(what) {
            return self
                .conn
                .query_row(
                    "SELECT id FROM received WHERE receipt_number = ?1 AND year_be = ?2",
                    [n, y],
                    |r| r.get(0),
                )
                .optional()?
                .ok_or_else(|| receipt_not_found(what));
        }
        let id: i64 = saraban_thai::to_arabic_digits(what.trim())
            .parse()
            .map_err(|_| receipt_not_found(what))?;
        self.conn
            .query_row("SELECT id FROM received WHERE id = ?1", [id], |r| r.get(0))
            .optional()?
            .ok_or_else(|| receipt_not_found(what))
    }

    /// The original file of a receipt, byte for byte (its hash checked).
    pub fn received_original(&self, id: i64) -> saraban_model::Result<Vec<u8>> {
        self.received_file(id, "original", "sha256")
    }

    /// The stamped copy of a receipt (its hash checked).
    pub fn received_stamped(&self, id: i64) -> saraban_model::Result<Vec<u8>> {
        self.received_file(id, "stamped", "stamped_sha256")
    }

    fn received_file(&self, id: i64, col: &str, sha_col: &str) -> saraban_model::Result<Vec<u8>> {
        let (bytes, sha): (Vec<u8>, String) = self
            .conn
            .query_row(
                &format!("SELECT {col}, {sha_col} FROM received WHERE id = ?1"),
                [id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?
            .ok_or_else(|| no_receipt(id))?;
        check_file_hash(id, &bytes, &sha)?;
        Ok(bytes)
    }

    /// The issued letters that answer the receipt `number`/`year_be` (their `reply_to`).
    pub fn replies(&self, number: i64, year_be: i64) -> saraban_model::Result<Vec<ReplyRef>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, number_text, issued_date FROM letters
             WHERE status <> 'draft' AND json_extract(letter_json, '$.reply_to.receipt_number') = ?1
               AND json_extract(letter_json, '$.reply_to.year_be') = ?2
             ORDER BY id",
        )?;
        let rows = stmt.query_map([number, year_be], |r| {
            Ok(ReplyRef {
                id: r.get(0)?,
                number: r.get::<_, Option<String>>(1)?.unwrap_or_default(),
                date: r.get::<_, Option<String>>(2)?.unwrap_or_default(),
            })
        })?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }

    /// A receipt's routing and replies, filled in.
    fn completed(&self, mut r: Receipt) -> saraban_model::Result<Receipt> {
        r.routing = self.routing(r.id)?;
        r.replies = self.replies(r.receipt_number, r.year_be)?;
        Ok(r)
    }

    /// The routing of a receipt, oldest first.
    pub fn routing(&self, id: i64) -> saraban_model::Result<Vec<Routed>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, at, by_user, step_json FROM receipt_steps WHERE receipt_id = ?1 ORDER BY id",
        )?;
        let rows = stmt.query_map([id], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (sid, at, by, json) = row?;
            if let Ok(step) = serde_json::from_str(&json) {
                out.push(Routed {
                    id: sid,
                    at,
                    by,
                    step,
                });
            }
        }
        Ok(out)
    }

    /// Records a routing step of a receipt (เกษียน), audited.
    pub fn route(&mut self, id: i64, step: &RoutingStep) -> saraban_model::Result<Routed> {
        step.check()?;
        let json = serde_json::to_string(step).map_err(|e| Error::Pdf(e.to_string()))?;
        let anchor = self.anchor_ready()?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        still_open(id, status_in(&tx, id)?.as_deref())?;
        let at = now_text();
        tx.execute(
            "INSERT INTO receipt_steps (receipt_id, at, by_user, step_json) VALUES (?1, ?2, ?3, ?4)",
            params![id, at, self.user, json],
        )?;
        let sid = tx.last_insert_rowid();
        append(
            &tx,
            &self.user,
            "route",
            None,
            &route_detail(id, sid, &json),
        )?;
        commit_anchored(tx, anchor)?;
        Ok(Routed {
            id: sid,
            at,
            by: self.user.clone(),
            step: step.clone(),
        })
    }

    /// Cancels a receipt with a reason: its number stays, never reused.
    pub fn cancel_receipt(&mut self, id: i64, reason: &str) -> saraban_model::Result<()> {
        check_reason(reason)?;
        let anchor = self.anchor_ready()?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        still_open(id, status_in(&tx, id)?.as_deref())?;
        tx.execute(
            "UPDATE received SET status = 'cancelled', cancelled_at = ?2, cancelled_by = ?3, cancel_reason = ?4 WHERE id = ?1",
            params![id, now_text(), self.user, reason.trim()],
        )?;
        append(
            &tx,
            &self.user,
            "cancel_receipt",
            None,
            &cancel_receipt_detail(id, reason.trim()),
        )?;
        commit_anchored(tx, anchor)
    }

    /// The receipts (of a year, or all) in register order, each with its routing.
    pub fn each_receipt(
        &self,
        year_be: Option<i64>,
        each: &mut dyn FnMut(Receipt) -> saraban_model::Result<()>,
    ) -> saraban_model::Result<()> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {RECEIPT_COLUMNS} FROM received WHERE (?1 IS NULL OR year_be = ?1)
             ORDER BY year_be, receipt_number"
        ))?;
        let mut rows = stmt.query([year_be])?;
        while let Some(row) = rows.next()? {
            each(self.completed(receipt_row(row)?)?)?;
        }
        Ok(())
    }

    /// Finds receipts, newest first.
    pub fn search_receipts(&self, q: &ReceiptQuery) -> saraban_model::Result<Vec<Receipt>> {
        let needle = q
            .text
            .as_deref()
            .map(|t| fold(t.trim()))
            .unwrap_or_default();
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {RECEIPT_COLUMNS} FROM received
             WHERE (?1 IS NULL OR year_be = ?1) AND (?2 = '' OR instr(search_text, ?2) > 0)
             ORDER BY received_at DESC, id DESC LIMIT ?3 OFFSET ?4"
        ))?;
        let rows = stmt.query_map(
            params![
                q.year_be,
                needle,
                q.limit.unwrap_or(50) as i64,
                q.offset.unwrap_or(0) as i64
            ],
            receipt_row,
        )?;
        let mut out = Vec::new();
        for r in rows {
            out.push(self.completed(r?)?);
        }
        Ok(out)
    }
}

/// The status of receipt `id` (None: there is none), read in the writing transaction.
fn status_in(tx: &rusqlite::Transaction<'_>, id: i64) -> saraban_model::Result<Option<String>> {
    Ok(tx
        .query_row("SELECT status FROM received WHERE id = ?1", [id], |r| {
            r.get(0)
        })
        .optional()?)
}

/// A stored file whose bytes no longer match the hash taken at receipt.
pub(crate) fn check_file_hash(id: i64, bytes: &[u8], sha: &str) -> saraban_model::Result<()> {
    if hex(&Sha256::digest(bytes)) != sha {
        return Err(Error::Register {
            th: to_thai_digits(&format!(
                "ไฟล์ของหนังสือรับรายการ {id} ไม่ตรงกับที่เก็บไว้ตอนลงรับ (ถูกแก้ไข) ตรวจทะเบียนด้วย saraban audit verify"
            )),
            en: format!(
                "the file of receipt {id} differs from what was kept at receipt (it was changed); check the register with saraban audit verify"
            ),
        });
    }
    Ok(())
}
