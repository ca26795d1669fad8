//! The audit trail: every issue, import, cancellation and settings change, each entry's
//! hash covering the entry before it, so that a changed or removed entry breaks the chain.
//!
//! A chain inside the file can be recomputed whole by someone who can write the file, so
//! its head is also kept outside it: every change appends `id hash` to an anchor file
//! beside the database (append-only, synced before the commit: [`commit_anchored`]), and the register book prints the head on
//! every page. [`Register::verify_audit`] checks the chain, the anchor, and every issued
//! letter, PDF and series counter against the chain: a row edited with the triggers
//! dropped, an inserted or deleted letter, a raised counter, a truncated tail or a
//! recomputed chain are all reported.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use rusqlite::{params, OptionalExtension, Transaction};
use sha2::{Digest, Sha256};

use super::entry::{hex, listing};
use super::{now_text, SqliteRegister};

/// The hash before the first entry.
pub(crate) const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

pub(crate) fn entry_hash(
    id: i64,
    at: &str,
    user: &str,
    action: &str,
    letter: Option<i64>,
    detail: &str,
    prev: &str,
) -> String {
    let letter = letter.map(|l| l.to_string()).unwrap_or_default();
    let text =
        format!("{id}\u{1f}{at}\u{1f}{user}\u{1f}{action}\u{1f}{letter}\u{1f}{detail}\u{1f}{prev}");
    hex(&Sha256::digest(text.as_bytes()))
}

/// The detail of an issue or import entry: number, date, SHA-256 of the PDF and of the
/// letter's JSON, as stored.
pub(super) fn issue_detail(number: &str, date: &str, pdf_sha: &str, json: &str) -> String {
    format!(
        "{number}|{date}|{pdf_sha}|{}",
        hex(&Sha256::digest(json.as_bytes()))
    )
}

pub(super) fn append(
    tx: &Transaction<'_>,
    user: &str,
    action: &str,
    letter: Option<i64>,
    detail: &str,
) -> rusqlite::Result<()> {
    let mut last = last_entry(tx)?;
    append_after(tx, &mut last, user, action, letter, detail)
}

/// The id and hash of the newest entry.
pub(super) fn last_entry(conn: &rusqlite::Connection) -> rusqlite::Result<Option<(i64, String)>> {
    conn.query_row(
        "SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
    .optional()
}

/// Appends after `last` (the newest entry, kept by the caller across a batch) and makes
/// the new entry the newest.
pub(super) fn append_after(
    tx: &Transaction<'_>,
    last: &mut Option<(i64, String)>,
    user: &str,
    action: &str,
    letter: Option<i64>,
    detail: &str,
) -> rusqlite::Result<()> {
    let (id, prev) = match last.take() {
        Some((id, h)) => (id + 1, h),
        None => (1, GENESIS.to_string()),
    };
    let at = now_text();
    let hash = entry_hash(id, &at, user, action, letter, detail, &prev);
    tx.prepare_cached(
        "INSERT INTO audit (id, at, user, action, letter_id, detail, prev_hash, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![id, at, user, action, letter, detail, prev, hash])?;
    *last = Some((id, hash));
    Ok(())
}

/// The anchor file of the register at `db`: `register.sqlite.anchor`.
pub fn anchor_path(db: &Path) -> PathBuf {
    let mut p = db.as_os_str().to_owned();
    p.push(".anchor");
    PathBuf::from(p)
}

/// One thing the verification found wrong.
#[derive(Debug, Clone, PartialEq, serde::Serialize, ts_rs::TS)]
pub struct AuditProblem {
    /// The register entry (letter) concerned, if any.
    #[ts(type = "number | null")]
    pub letter: Option<i64>,
    /// What is wrong, in Thai.
    pub th: String,
    /// What is wrong, in English.
    pub en: String,
}

/// The result of checking the register against its audit trail.
#[derive(Debug, Clone, PartialEq, serde::Serialize, ts_rs::TS)]
pub struct AuditReport {
    /// Entries checked.
    #[ts(type = "number")]
    pub entries: i64,
    /// Issued and cancelled letters checked against the chain.
    #[ts(type = "number")]
    pub letters: i64,
    /// The first entry whose hash or link is wrong, if any.
    #[ts(type = "number | null")]
    pub first_broken: Option<i64>,
    /// The newest entry's hash (what the anchor file and the register book carry).
    pub head: String,
    /// Everything found wrong; empty when the register is intact.
    pub problems: Vec<AuditProblem>,
}

impl AuditReport {
    /// Nothing was found wrong.
    pub fn intact(&self) -> bool {
        self.first_broken.is_none() && self.problems.is_empty()
    }
}

struct Finder(Vec<AuditProblem>);

impl Finder {
    /// A problem; its Thai names entries and counts in Thai digits, as the tables do.
    fn add(&mut self, letter: Option<i64>, th: String, en: String) {
        let th = saraban_thai::to_thai_digits(&th);
        self.0.push(AuditProblem { letter, th, en });
    }

    /// A problem whose Thai names a file: kept as written (a path is typed as it is).
    fn add_naming_a_file(&mut self, letter: Option<i64>, th: String, en: String) {
        self.0.push(AuditProblem { letter, th, en });
    }
}

/// What the chain says about one letter.
#[derive(Default)]
struct Recorded {
    /// number|date|pdf sha[|json sha] of its issue or import.
    issued: Option<String>,
    /// Who issued it and when, as the issue's entry says.
    issued_by: String,
    issued_at: String,
    issues: usize,
    /// The reason of its cancellation.
    cancelled: Option<String>,
}

/// What the register shows of an issued letter beside its hashed content: the columns that
/// the register list, search, export and the printed book read, and the search text. Each
/// is derived again from the letter the chain covers and compared, so a forger who edits
/// them (with the triggers dropped, or as the owner of the server's tables) is seen.
pub(crate) struct Shown<'a> {
    pub title: &'a str,
    pub recipient: &'a str,
    pub sender: &'a str,
    pub issued_by: &'a str,
    pub issued_at: &'a str,
    pub running: Option<i64>,
    /// The search text as the engine holds it, spelled back (`None`: no search row, the
    /// letter hidden from every search).
    pub search: Option<String>,
}

/// How far an entry's issue time may be from its audit entry's (they are taken in one
/// transaction; a server register may wait for the chain's lock in between).
const ISSUED_AT_SLACK_SECONDS: i64 = 120;

fn shown_matches(
    found: &mut Finder,
    id: i64,
    number: &str,
    json: &str,
    rec: &Recorded,
    shown: &Shown,
) {
    let Ok(letter) = saraban_model::letter::Letter::from_stored_json(json) else {
        found.add(
            Some(id),
            format!("เนื้อหาของรายการ {id} ({number}) อ่านไม่ได้"),
            format!("the content of entry {id} ({number}) cannot be read"),
        );
        return;
    };
    let (title, recipient, sender) = listing(&letter);
    let mut wrong: Vec<(&str, &str)> = Vec::new();
    if shown.title != title {
        wrong.push(("เรื่อง", "subject"));
    }
    if shown.recipient != recipient {
        wrong.push(("ถึง", "recipient"));
    }
    if shown.sender != sender {
        wrong.push(("จาก", "sender"));
    }
    if shown.running
        != letter
            .number
            .as_ref()
            .and_then(|n| n.running)
            .map(|r| r.get())
    {
        wrong.push(("เลขทะเบียนส่ง", "running number"));
    }
    if shown.issued_by != rec.issued_by {
        wrong.push(("ผู้ออกเลข", "issued by"));
    }
    let at = |t: &str| chrono::DateTime::parse_from_rfc3339(t).ok();
    match (at(shown.issued_at), at(&rec.issued_at)) {
        (Some(a), Some(b)) if (a - b).num_seconds().abs() <= ISSUED_AT_SLACK_SECONDS => {}
        _ if shown.issued_at == rec.issued_at => {}
        _ => wrong.push(("เวลาออกเลข", "time of issue")),
    }
    if !wrong.is_empty() {
        let th: Vec<&str> = wrong.iter().map(|w| w.0).collect();
        let en: Vec<&str> = wrong.iter().map(|w| w.1).collect();
        found.add(
            Some(id),
            format!(
                "รายการ {id} ({number}): ช่อง {} ที่ทะเบียนแสดง ไม่ตรงกับหนังสือที่ออกเลข (ถูกแก้ไขโดยไม่ผ่านโปรแกรม)",
                th.join(" ")
            ),
            format!(
                "entry {id} ({number}): what the register shows as its {} differs from the letter as issued (changed behind Saraban's back)",
                en.join(", ")
            ),
        );
    }
    let expected = super::search::search_text(&letter, number);
    let older = || super::search::search_text_before_all_parts(&letter, number);
    match &shown.search {
        None => found.add(
            Some(id),
            format!("รายการ {id} ({number}) ไม่มีข้อความสำหรับค้นหา: การค้นหาจะไม่พบหนังสือนี้ (ถูกลบโดยไม่ผ่านโปรแกรม)"),
            format!("entry {id} ({number}) has no search text: searches would not find it (removed behind Saraban's back)"),
        ),
        Some(s) if *s != expected && *s != older() => found.add(
            Some(id),
            format!("ข้อความสำหรับค้นหาของรายการ {id} ({number}) ไม่ตรงกับหนังสือที่ออกเลข (ถูกแก้ไขโดยไม่ผ่านโปรแกรม)"),
            format!("the search text of entry {id} ({number}) differs from the letter as issued (changed behind Saraban's back)"),
        ),
        Some(_) => {}
    }
}

/// What the chain says about one receipt of the incoming register.
#[derive(Default)]
struct RecordedReceipt {
    /// year|number|at|sha|stamped sha|fields sha of its receipt.
    received: Option<String>,
    receipts: usize,
    /// The reason of its cancellation.
    cancelled: Option<String>,
}

/// A receipt as its row holds it, for [`Verifier::receipt`].
pub(crate) struct ReceiptRow<'a> {
    pub id: i64,
    pub status: &'a str,
    pub year_be: i64,
    pub number: i64,
    pub at: &'a str,
    pub original: &'a [u8],
    pub sha: &'a str,
    pub stamped: &'a [u8],
    pub stamped_sha: &'a str,
    pub fields: &'a str,
    pub search: &'a str,
    pub reason: Option<&'a str>,
}

/// What the register keeps byte for byte beside the letters, each with its SHA-256 in the
/// audit chain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Kept {
    /// A message sent (or waiting) from the mailbox.
    Sending,
    /// A message fetched from the mailbox.
    Fetched,
    /// A signed copy of an issued letter.
    Signed,
}

impl Kept {
    fn names(self) -> (&'static str, &'static str) {
        match self {
            Kept::Sending => ("การส่ง", "sending"),
            Kept::Fetched => ("ข้อความที่รับ", "fetched message"),
            Kept::Signed => ("ฉบับลงนาม", "signed copy"),
        }
    }

    /// Its id, bytes and recorded hash, in id order (the same SQL on both engines).
    pub(crate) fn select(self) -> &'static str {
        match self {
            Kept::Sending => "SELECT id, eml, eml_sha256 FROM sendings ORDER BY id",
            Kept::Fetched => "SELECT id, eml, eml_sha256 FROM mail_in ORDER BY id",
            Kept::Signed => "SELECT id, pdf, pdf_sha256 FROM signatures ORDER BY id",
        }
    }
}

/// The checks of [`SqliteRegister::verify_audit`], fed row by row by either engine: the
/// audit entries in order, then the anchor, then the letters, then the series.
pub(crate) struct Verifier {
    found: Finder,
    recorded: HashMap<i64, Recorded>,
    /// What the chain says of each receipt of the incoming register, by its id.
    receipts: HashMap<i64, RecordedReceipt>,
    /// The routing steps the chain holds: step id → (receipt id, hash of the step).
    steps: HashMap<i64, (i64, String)>,
    /// The mailbox's messages the chain holds: (sendings or fetched, id) → SHA-256 of the
    /// message kept.
    messages: HashMap<(Kept, i64), String>,
    hashes: Vec<String>,
    first_broken: Option<i64>,
    prev: String,
    expected_id: i64,
    letters: i64,
}

impl Verifier {
    pub(crate) fn new() -> Verifier {
        Verifier {
            found: Finder(Vec::new()),
            recorded: HashMap::new(),
            receipts: HashMap::new(),
            steps: HashMap::new(),
            messages: HashMap::new(),
            hashes: Vec::new(),
            first_broken: None,
            prev: GENESIS.to_string(),
            expected_id: 1,
            letters: 0,
        }
    }

    /// The next audit entry, in id order.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn audit(
        &mut self,
        id: i64,
        at: &str,
        user: &str,
        action: &str,
        letter: Option<i64>,
        detail: String,
        stored_prev: &str,
        hash: String,
    ) {
        let computed = entry_hash(id, at, user, action, letter, &detail, &self.prev);
        if self.first_broken.is_none()
            && (id != self.expected_id || stored_prev != self.prev || computed != hash)
        {
            self.first_broken = Some(id);
        }
        if let Some(rest) = detail.strip_prefix("receipt ") {
            self.receipt_entry(action, rest);
        }
        // The mailbox: a sending queued (`id|kind|address|message-id|sha`) or a message
        // fetched (`id|uid|message-id|from|sha|state`).
        // A signed copy of a letter (`id|seq|kind|level|sha|signer`).
        let kept = match action {
            "mail_queue" => Some(Kept::Sending),
            "mail_fetch" => Some(Kept::Fetched),
            "sign" => Some(Kept::Signed),
            _ => None,
        };
        if let Some(kept) = kept {
            let parts: Vec<&str> = detail.split('|').collect();
            let sha = parts.get(4);
            if let (Some(Ok(id)), Some(sha)) = (parts.first().map(|p| p.parse::<i64>()), sha) {
                self.messages.insert((kept, id), (*sha).to_string());
            }
        }
        if let Some(l) = letter {
            let rec = self.recorded.entry(l).or_default();
            match action {
                "issue" | "import" => {
                    rec.issues += 1;
                    rec.issued = Some(detail);
                    rec.issued_by = user.to_string();
                    rec.issued_at = at.to_string();
                }
                "cancel" => rec.cancelled = Some(detail),
                _ => {}
            }
        }
        self.hashes.push(hash.clone());
        self.prev = hash;
        self.expected_id += 1;
    }

    /// After the last audit entry: the chain's own verdict, then the anchor kept outside
    /// the database (`None`: this register has no anchor, e.g. in memory).
    pub(crate) fn chain_done(&mut self, anchor: Option<&Path>, complete: bool) {
        if let Some(id) = self.first_broken {
            self.found.add(
                None,
                format!("ห่วงโซ่บันทึกการตรวจสอบขาดที่รายการ {id}"),
                format!("the audit chain breaks at entry {id}"),
            );
        }
        if let Some(path) = anchor {
            check_anchor(path, &self.hashes, complete, &mut self.found);
        }
    }

    /// An issued or cancelled letter, in id order. `pdf` is whatever the row holds; `shown`
    /// is what the register shows of it beside its hashed content.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn letter(
        &mut self,
        id: i64,
        status: &str,
        number: &str,
        date: &str,
        pdf: &[u8],
        stored_sha: &str,
        json: &str,
        reason: Option<&str>,
        shown: &Shown,
    ) {
        self.letters += 1;
        let found = &mut self.found;
        let actual_sha = hex(&Sha256::digest(pdf));
        if actual_sha != stored_sha {
            found.add(
                Some(id),
                format!("PDF ของรายการ {id} ({number}) ถูกแก้ไขหลังออกเลข"),
                format!("the PDF of entry {id} ({number}) was changed after issue"),
            );
        }
        let rec = self.recorded.remove(&id).unwrap_or_default();
        match &rec.issued {
            None => found.add(
                Some(id),
                format!("รายการ {id} ({number}) ไม่มีในบันทึกการตรวจสอบ: ถูกเพิ่มเข้าทะเบียนโดยตรง"),
                format!("entry {id} ({number}) is not in the audit trail: it was inserted behind Saraban's back"),
            ),
            Some(detail) => {
                let parts: Vec<&str> = detail.split('|').collect();
                let json_ok = parts
                    .get(3)
                    .is_none_or(|h| *h == hex(&Sha256::digest(json.as_bytes())));
                if parts.first() != Some(&number)
                    || parts.get(1) != Some(&date)
                    || parts.get(2) != Some(&actual_sha.as_str())
                    || !json_ok
                {
                    found.add(
                        Some(id),
                        format!("รายการ {id} ({number}) ไม่ตรงกับที่บันทึกไว้ตอนออกเลข (เลขที่ วันที่ PDF หรือเนื้อหา ถูกแก้ไข)"),
                        format!("entry {id} ({number}) differs from what was recorded at issue (number, date, PDF or content changed)"),
                    );
                } else {
                    shown_matches(found, id, number, json, &rec, shown);
                }
            }
        }
        if rec.issues > 1 {
            found.add(
                Some(id),
                format!("รายการ {id} ถูกบันทึกการออกเลข {} ครั้ง", rec.issues),
                format!("entry {id} was recorded as issued {} times", rec.issues),
            );
        }
        let cancelled = status == "cancelled";
        if cancelled != rec.cancelled.is_some() || (cancelled && rec.cancelled.as_deref() != reason)
        {
            found.add(
                Some(id),
                format!("สถานะยกเลิกของรายการ {id} ({number}) ไม่ตรงกับบันทึกการตรวจสอบ"),
                format!("the cancellation of entry {id} ({number}) does not match the audit trail"),
            );
        }
    }

    /// An audit entry of the incoming register (`receipt <id>|…` in its detail).
    fn receipt_entry(&mut self, action: &str, rest: &str) {
        let Some((id, tail)) = rest.split_once('|') else {
            return;
        };
        let Ok(id) = id.parse::<i64>() else {
            return;
        };
        match action {
            "receive" => {
                let rec = self.receipts.entry(id).or_default();
                rec.receipts += 1;
                rec.received = Some(tail.to_string());
            }
            "cancel_receipt" => {
                self.receipts.entry(id).or_default().cancelled = Some(tail.to_string());
            }
            "route" => {
                if let Some((step, hash)) = tail.split_once('|') {
                    if let Ok(step) = step.parse::<i64>() {
                        self.steps.insert(step, (id, hash.to_string()));
                    }
                }
            }
            _ => {}
        }
    }

    /// A receipt of the incoming register, in id order: its files against their hashes,
    /// the row against its audit entry, its search text against its fields.
    pub(crate) fn receipt(&mut self, r: &ReceiptRow<'_>) {
        let id = r.id;
        let found = &mut self.found;
        let text = format!("{}/{}", r.number, r.year_be);
        let rec = self.receipts.remove(&id).unwrap_or_default();
        let original_sha = hex(&Sha256::digest(r.original));
        let stamped_sha = hex(&Sha256::digest(r.stamped));
        if original_sha != r.sha || stamped_sha != r.stamped_sha {
            found.add(
                None,
                format!("ไฟล์ของหนังสือรับเลขรับ {text} ถูกแก้ไขหลังลงรับ"),
                format!("the file of receipt {text} was changed after it was received"),
            );
        }
        match &rec.received {
            None => found.add(
                None,
                format!("หนังสือรับเลขรับ {text} ไม่มีในบันทึกการตรวจสอบ: ถูกเพิ่มเข้าทะเบียนโดยตรง"),
                format!("receipt {text} is not in the audit trail: it was inserted behind Saraban's back"),
            ),
            Some(detail) => {
                let want = super::receipt::receive_detail(
                    id,
                    r.year_be,
                    r.number,
                    r.at,
                    &original_sha,
                    &stamped_sha,
                    r.fields,
                );
                if want.strip_prefix(&format!("receipt {id}|")) != Some(detail.as_str()) {
                    found.add(
                        None,
                        format!("หนังสือรับเลขรับ {text} ไม่ตรงกับที่บันทึกไว้ตอนลงรับ (เลขรับ เวลา ไฟล์ หรือรายละเอียด ถูกแก้ไข)"),
                        format!("receipt {text} differs from what was recorded at receipt (number, time, files or fields changed)"),
                    );
                }
            }
        }
        if rec.receipts > 1 {
            found.add(
                None,
                format!("หนังสือรับเลขรับ {text} ถูกบันทึกการลงรับ {} ครั้ง", rec.receipts),
                format!("receipt {text} was recorded {} times", rec.receipts),
            );
        }
        let fields: saraban_model::received::ReceivedFields =
            serde_json::from_str(r.fields).unwrap_or_default();
        if super::receipt::search_text(&fields, r.number, r.year_be) != r.search {
            found.add(
                None,
                format!("ข้อความสำหรับค้นหาของหนังสือรับเลขรับ {text} ไม่ตรงกับรายละเอียดที่ลงรับ (ถูกแก้ไขโดยไม่ผ่านโปรแกรม)"),
                format!("the search text of receipt {text} differs from its fields (changed behind Saraban's back)"),
            );
        }
        let cancelled = r.status == "cancelled";
        if cancelled != rec.cancelled.is_some()
            || (cancelled && rec.cancelled.as_deref() != r.reason)
        {
            found.add(
                None,
                format!("สถานะยกเลิกของหนังสือรับเลขรับ {text} ไม่ตรงกับบันทึกการตรวจสอบ"),
                format!("the cancellation of receipt {text} does not match the audit trail"),
            );
        }
    }

    /// A routing step, in id order.
    pub(crate) fn step(&mut self, id: i64, receipt: i64, json: &str) {
        let want = hex(&Sha256::digest(json.as_bytes()));
        match self.steps.remove(&id) {
            Some((r, h)) if r == receipt && h == want => {}
            Some(_) => self.found.add(
                None,
                format!("การเกษียนรายการ {id} ของหนังสือรับรายการ {receipt} ไม่ตรงกับบันทึกการตรวจสอบ (ถูกแก้ไข)"),
                format!("routing step {id} of receipt {receipt} differs from the audit trail (changed)"),
            ),
            None => self.found.add(
                None,
                format!("การเกษียนรายการ {id} ของหนังสือรับรายการ {receipt} ไม่มีในบันทึกการตรวจสอบ: ถูกเพิ่มโดยตรง"),
                format!("routing step {id} of receipt {receipt} is not in the audit trail: it was inserted behind Saraban's back"),
            ),
        }
    }

    /// After the last receipt and step: those the chain knows that the register has not.
    pub(crate) fn receipts_done(&mut self) {
        let mut gone: Vec<i64> = self
            .receipts
            .iter()
            .filter(|(_, r)| r.received.is_some())
            .map(|(id, _)| *id)
            .collect();
        gone.sort_unstable();
        for id in gone {
            self.found.add(
                None,
                format!("หนังสือรับรายการ {id} ที่ลงรับแล้วหายไปจากทะเบียน (ถูกลบ)"),
                format!("received entry {id} is missing from the register (deleted)"),
            );
        }
        let mut steps: Vec<i64> = self.steps.keys().copied().collect();
        steps.sort_unstable();
        for id in steps {
            self.found.add(
                None,
                format!("การเกษียนรายการ {id} หายไปจากทะเบียน (ถูกลบ)"),
                format!("routing step {id} is missing from the register (deleted)"),
            );
        }
    }

    /// A message the mailbox keeps (a sending's, or one fetched) or a signed copy of a
    /// letter, in id order: its bytes against its hash, its hash against the chain.
    pub(crate) fn message(&mut self, kept: Kept, id: i64, eml: &[u8], sha: &str) {
        let what = kept.names();
        let actual = hex(&Sha256::digest(eml));
        match self.messages.remove(&(kept, id)) {
            None => self.found.add(
                None,
                format!("{}รายการ {id} ไม่มีในบันทึกการตรวจสอบ: ถูกเพิ่มโดยตรง", what.0),
                format!(
                    "{} {id} is not in the audit trail: it was inserted behind Saraban's back",
                    what.1
                ),
            ),
            Some(recorded) if recorded != sha || actual != sha => self.found.add(
                None,
                format!("ข้อความของ{}รายการ {id} ไม่ตรงกับที่บันทึกไว้ (ถูกแก้ไข)", what.0),
                format!(
                    "the message of {} {id} differs from what was recorded (changed)",
                    what.1
                ),
            ),
            Some(_) => {}
        }
    }

    /// After the last message: those the chain knows that the register has not.
    pub(crate) fn messages_done(&mut self) {
        let mut gone: Vec<(Kept, i64)> = self.messages.keys().copied().collect();
        gone.sort_unstable();
        for (kept, id) in gone {
            let what = kept.names();
            self.found.add(
                None,
                format!("{}รายการ {id} หายไปจากทะเบียน (ถูกลบ)", what.0),
                format!("{} {id} is missing from the register (deleted)", what.1),
            );
        }
    }

    /// A year's receipt counter and the highest receipt number of that year.
    pub(crate) fn receipt_year(&mut self, year: i64, last: i64, max: i64) {
        if last != max {
            self.found.add(
                None,
                format!("ตัวนับเลขรับปี {year} อยู่ที่ {last} แต่เลขรับสูงสุดคือ {max}: ตัวนับถูกแก้ไข"),
                format!("the receipt counter of {year} says {last} but the highest receipt number is {max}: it was changed"),
            );
        }
    }

    /// A problem found outside the chain's own checks.
    pub(crate) fn problem(&mut self, th: String, en: String) {
        self.found.add(None, th, en);
    }

    /// After the last letter: letters the chain knows that the register no longer has.
    pub(crate) fn letters_done(&mut self) {
        let mut gone: Vec<i64> = self
            .recorded
            .iter()
            .filter(|(_, r)| r.issued.is_some())
            .map(|(id, _)| *id)
            .collect();
        gone.sort_unstable();
        for id in gone {
            self.found.add(
                Some(id),
                format!("รายการ {id} ที่ออกเลขแล้วหายไปจากทะเบียน (ถูกลบหรือเปลี่ยนกลับเป็นร่าง)"),
                format!("issued entry {id} is missing from the register (deleted or turned back into a draft)"),
            );
        }
    }

    /// A series counter and the highest number issued in it: a raised counter is a gap in
    /// the register, a lowered one a duplicate waiting to happen.
    pub(crate) fn series(&mut self, prefix: &str, kind: &str, year: i64, last: i64, max: i64) {
        if last != max {
            self.found.add(
                None,
                format!("ตัวนับเลขของชุด {prefix} ({kind}) ปี {year} อยู่ที่ {last} แต่เลขสูงสุดที่ออกคือ {max}: ตัวนับถูกแก้ไข"),
                format!("the counter of series {prefix} ({kind}) {year} says {last} but the highest number issued is {max}: it was changed"),
            );
        }
    }

    pub(crate) fn finish(self) -> AuditReport {
        AuditReport {
            entries: self.hashes.len() as i64,
            letters: self.letters,
            first_broken: self.first_broken,
            head: self
                .hashes
                .last()
                .cloned()
                .unwrap_or_else(|| GENESIS.into()),
            problems: self.found.0,
        }
    }
}

/// The anchor file, opened to append before a commit: a register whose anchor cannot be
/// written (a read-only file, a symbolic link put in its place, a folder without write
/// permission) refuses the change before anything is committed, instead of committing what
/// the anchor would never cover.
pub(crate) struct AnchorFile {
    path: PathBuf,
    file: std::fs::File,
}

impl AnchorFile {
    /// Opens (creating) the anchor at `path` to append. Never follows a symbolic link and
    /// never writes into anything but a regular file.
    pub(crate) fn open(path: &Path) -> saraban_model::Result<AnchorFile> {
        let refused = |e: std::io::Error| anchor_error(path, &e);
        if let Ok(m) = std::fs::symlink_metadata(path) {
            if !m.file_type().is_file() {
                return Err(anchor_error(
                    path,
                    &std::io::Error::other("not a regular file (a link or a device)"),
                ));
            }
        }
        // An anchor is lines of `id hash`: a file that holds anything else (a register
        // named like this one's anchor, a document) is never appended to.
        if let Ok(mut f) = std::fs::File::open(path) {
            use std::io::Read;
            let mut head = [0u8; 80];
            let n = f.read(&mut head).map_err(refused)?;
            if n > 0 && !looks_like_anchor(&head[..n]) {
                return Err(anchor_error(
                    path,
                    &std::io::Error::other("it holds something other than an anchor (a register or another file named like it)"),
                ));
            }
        }
        let mut o = std::fs::OpenOptions::new();
        o.create(true).append(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            o.custom_flags(libc_nofollow());
        }
        let file = o.open(path).map_err(refused)?;
        Ok(AnchorFile {
            path: path.to_path_buf(),
            file,
        })
    }

    /// Appends `id hash` and syncs it.
    pub(crate) fn append(mut self, id: i64, hash: &str) -> saraban_model::Result<()> {
        self.line(id, hash, true)
    }

    /// Writes one `id hash` line, synced to the disk when `sync`.
    fn line(&mut self, id: i64, hash: &str, sync: bool) -> saraban_model::Result<()> {
        self.file
            .write_all(format!("{id} {hash}\n").as_bytes())
            .and_then(|()| if sync { self.file.sync_data() } else { Ok(()) })
            .map_err(|e| anchor_error(&self.path, &e))
    }
}

/// Commits `tx` under its anchor (`None`: a register without one), in three steps:
///
/// 1. the head the transaction leaves, `id hash`, is appended and synced *before* the
///    commit, while the write lock is held: an anchor that cannot be written rolls the
///    change back, and no crash can leave a committed entry unanchored;
/// 2. the commit;
/// 3. the same line again, unsynced: the commit happened.
///
/// A crash between 1 and 2 leaves a line once, naming an entry that never came: the next
/// change takes its id, or it is the last line, one past the chain. [`check_anchor`] lets
/// exactly those lines be; a line written twice was committed, and its entry missing is a
/// cut tail. (Before this, the line was written after the commit, and a writer killed in
/// between left an anchor behind its chain: a false report of entries added behind
/// Saraban's back.)
pub(super) fn commit_anchored(
    tx: Transaction<'_>,
    anchor: Option<AnchorFile>,
) -> saraban_model::Result<()> {
    let (Some(mut file), Some((id, hash))) = (anchor, last_entry(&tx)?) else {
        return Ok(tx.commit()?);
    };
    file.line(id, &hash, true)?;
    fail::fail_point!("anchor-before-commit");
    tx.commit()?;
    fail::fail_point!("anchor-after-commit");
    if let Err(e) = file.line(id, &hash, false) {
        // The synced line already anchors the entry.
        tracing::warn!("the anchor's second line was not written: {e}");
    }
    Ok(())
}

/// Whether the start of a file is an anchor's first line: digits, a space, hex digits.
fn looks_like_anchor(head: &[u8]) -> bool {
    let digits = head.iter().take_while(|b| b.is_ascii_digit()).count();
    let rest = &head[digits..];
    digits > 0
        && rest.first() == Some(&b' ')
        && rest[1..]
            .iter()
            .take_while(|b| **b != b'\n')
            .all(|b| b.is_ascii_hexdigit())
}

/// `O_NOFOLLOW`: opening a symbolic link fails.
#[cfg(unix)]
fn libc_nofollow() -> i32 {
    #[cfg(any(target_os = "linux", target_os = "android"))]
    {
        0o400000
    }
    #[cfg(not(any(target_os = "linux", target_os = "android")))]
    {
        0x100
    }
}

pub(crate) fn anchor_error(path: &Path, e: &std::io::Error) -> saraban_model::Error {
    saraban_model::Error::Register {
        th: format!(
            "เขียนไฟล์ยึดห่วงโซ่ {} ไม่ได้ ({e}) ทะเบียนจึงไม่บันทึกการเปลี่ยนแปลง กรุณาแก้สิทธิ์ของไฟล์หรือโฟลเดอร์ให้เขียนได้ (ไฟล์ต้องเป็นไฟล์ธรรมดา ไม่ใช่ลิงก์) แล้วลองใหม่",
            path.display()
        ),
        en: format!(
            "cannot write the audit anchor {} ({e}), so the register made no change; make the file (a regular file, not a link) and its folder writable and try again",
            path.display()
        ),
    }
}

/// Appends `id hash` to the anchor file at `path` (append-only, synced): the error, if
/// any, is the caller's to show.
#[cfg_attr(not(feature = "postgres"), allow(dead_code))]
pub(crate) fn append_anchor(path: &Path, id: i64, hash: &str) -> saraban_model::Result<()> {
    AnchorFile::open(path)?.append(id, hash)
}

/// Every line of the anchor file must be an entry of the chain, with the same hash; with
/// `complete` (one anchor that every commit appends to: a register file) its last line
/// must also be the chain's head, and an emptied anchor is as bad as a missing one.
fn check_anchor(path: &Path, hashes: &[String], complete: bool, found: &mut Finder) {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(_) if hashes.is_empty() => return,
        Err(e) => {
            found.add_naming_a_file(
                None,
                format!(
                    "ไม่พบไฟล์ยึดห่วงโซ่ {} ({e}) จึงยืนยันไม่ได้ว่าบันทึกไม่ถูกเขียนใหม่ทั้งชุด กรุณากู้คืนไฟล์นี้จากสำเนาสำรอง",
                    path.display()
                ),
                format!(
                    "the anchor file {} cannot be read ({e}): a rewritten chain would go unseen; restore it from a backup",
                    path.display()
                ),
            );
            return;
        }
    };
    if text.trim().is_empty() && !hashes.is_empty() {
        found.add_naming_a_file(
            None,
            format!(
                "ไฟล์ยึดห่วงโซ่ {} ว่างเปล่า (ถูกลบเนื้อหา) จึงยืนยันไม่ได้ว่าบันทึกไม่ถูกเขียนใหม่ทั้งชุด กรุณากู้คืนไฟล์นี้จากสำเนาสำรอง",
                path.display()
            ),
            format!(
                "the anchor file {} is empty (it was truncated): a rewritten chain would go unseen; restore it from a backup",
                path.display()
            ),
        );
        return;
    }
    let mut lines: Vec<(usize, &str)> = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let mut parts = line.split_whitespace();
        match (
            parts.next().and_then(|i| i.parse::<usize>().ok()),
            parts.next(),
        ) {
            (Some(id), Some(hash)) => lines.push((id, hash)),
            _ => found.add(
                None,
                format!("ไฟล์ยึดห่วงโซ่บรรทัด {} อ่านไม่ได้", n + 1),
                format!("line {} of the anchor file is unreadable", n + 1),
            ),
        }
    }
    // See [`commit_anchored`]: a line written twice was committed; a line written once
    // may name a change that a crash kept from committing.
    let mut times: HashMap<(usize, &str), usize> = HashMap::new();
    let mut last_at: HashMap<usize, usize> = HashMap::new();
    for (k, line) in lines.iter().enumerate() {
        *times.entry(*line).or_default() += 1;
        last_at.insert(line.0, k);
    }
    // The largest id named after each line.
    let mut later_max = vec![0usize; lines.len()];
    for k in (0..lines.len().saturating_sub(1)).rev() {
        later_max[k] = later_max[k + 1].max(lines[k + 1].0);
    }
    let mut last_id = 0usize;
    for (k, &(id, hash)) in lines.iter().enumerate() {
        if hashes.get(id.wrapping_sub(1)).is_some_and(|h| h == hash) {
            last_id = last_id.max(id);
            continue;
        }
        let once = times[&(id, hash)] == 1;
        // Never committed: its id was taken by a later change, or it is the newest line
        // and names the entry after the chain's last.
        let taken_later = last_at[&id] > k;
        let interrupted_last = id == hashes.len() + 1 && later_max[k] < id;
        if once && (taken_later || interrupted_last) {
            continue;
        }
        if id > hashes.len() {
            found.add(
                None,
                format!(
                    "ไฟล์ยึดห่วงโซ่มีรายการ {id} แต่บันทึกการตรวจสอบมีเพียง {} รายการ: ท้ายบันทึกถูกตัดทิ้ง",
                    hashes.len()
                ),
                format!(
                    "the anchor file names entry {id} but the audit trail has only {}: its tail was cut off",
                    hashes.len()
                ),
            );
        } else {
            found.add(
                None,
                format!("รายการ {id} ของบันทึกการตรวจสอบไม่ตรงกับไฟล์ยึดห่วงโซ่: บันทึกถูกเขียนใหม่"),
                format!("audit entry {id} differs from the anchor file: the chain was rewritten"),
            );
        }
        return;
    }
    if complete && last_id < hashes.len() {
        found.add(
            None,
            format!(
                "ไฟล์ยึดห่วงโซ่ยึดไว้ถึงรายการ {last_id} แต่บันทึกการตรวจสอบมี {} รายการ: รายการหลังจากนั้นไม่ได้ยึดไว้ (เขียนไฟล์ยึดไม่สำเร็จ หรือมีการเพิ่มบันทึกโดยไม่ผ่านโปรแกรม)",
                hashes.len()
            ),
            format!(
                "the anchor file covers the audit trail up to entry {last_id}, but it has {}: the entries after it are not anchored (an anchor write failed, or entries were added behind Saraban's back)",
                hashes.len()
            ),
        );
    }
}

impl SqliteRegister {
    /// The number of audit entries and the newest one's hash (printed on the register book).
    pub fn audit_head(&self) -> saraban_model::Result<Option<(i64, String)>> {
        Ok(last_entry(&self.conn)?)
    }

    /// The anchor file of this register (none in memory).
    pub(super) fn anchor_file(&self) -> Option<PathBuf> {
        (self.path != Path::new(":memory:")).then(|| anchor_path(&self.path))
    }

    /// The anchor opened to append, before a commit (`None`: read-only or in memory): an
    /// anchor that cannot be written refuses the change before anything is committed.
    pub(super) fn anchor_ready(&self) -> saraban_model::Result<Option<AnchorFile>> {
        if self.read_only {
            return Ok(None);
        }
        match self.anchor_file() {
            Some(p) => AnchorFile::open(&p).map(Some),
            None => Ok(None),
        }
    }

    /// Checks the register against its audit trail: the chain itself, the anchor file
    /// beside the database, every issued letter's PDF and JSON, every cancellation and
    /// every series counter.
    pub fn verify_audit(&self) -> saraban_model::Result<AuditReport> {
        let mut v = Verifier::new();
        {
            let mut stmt = self.conn.prepare(
                "SELECT id, at, user, action, letter_id, detail, prev_hash, hash FROM audit ORDER BY id",
            )?;
            let mut rows = stmt.query([])?;
            while let Some(r) = rows.next()? {
                v.audit(
                    r.get(0)?,
                    &r.get::<_, String>(1)?,
                    &r.get::<_, String>(2)?,
                    &r.get::<_, String>(3)?,
                    r.get(4)?,
                    r.get(5)?,
                    &r.get::<_, String>(6)?,
                    r.get(7)?,
                );
            }
        }
        v.chain_done(self.anchor_file().as_deref(), true);
        // A guard dropped or an object added is a change of its own (the first thing a
        // forger with the file does is drop the triggers).
        if let Err(e) = super::schema::check_identical(&self.conn) {
            v.problem(
                e.lines(saraban_model::Lang::Th).join(" "),
                e.lines(saraban_model::Lang::En).join(" "),
            );
        }
        {
            let mut stmt = self.conn.prepare(
                "SELECT l.id, l.status, l.number_text, l.issued_date, l.pdf, l.pdf_sha256, l.letter_json, l.cancel_reason,
                        l.title, l.recipient, l.sender, l.issued_by, l.issued_at, l.running,
                        (SELECT f.text FROM letters_fts f WHERE f.rowid = l.id),
                        (SELECT u.text FROM letters_unindexed u WHERE u.id = l.id)
                 FROM letters l WHERE l.status <> 'draft' ORDER BY l.id",
            )?;
            let mut rows = stmt.query([])?;
            while let Some(r) = rows.next()? {
                // Read whatever is there: a tampered row may hold text where a blob was.
                let pdf = r
                    .get_ref(4)?
                    .as_bytes_or_null()
                    .ok()
                    .flatten()
                    .unwrap_or_default();
                v.letter(
                    r.get(0)?,
                    &r.get::<_, String>(1)?,
                    &r.get::<_, Option<String>>(2)?.unwrap_or_default(),
                    &r.get::<_, Option<String>>(3)?.unwrap_or_default(),
                    pdf,
                    &r.get::<_, Option<String>>(5)?.unwrap_or_default(),
                    &r.get::<_, String>(6)?,
                    r.get::<_, Option<String>>(7)?.as_deref(),
                    &Shown {
                        title: &r.get::<_, Option<String>>(8)?.unwrap_or_default(),
                        recipient: &r.get::<_, Option<String>>(9)?.unwrap_or_default(),
                        sender: &r.get::<_, Option<String>>(10)?.unwrap_or_default(),
                        issued_by: &r.get::<_, Option<String>>(11)?.unwrap_or_default(),
                        issued_at: &r.get::<_, Option<String>>(12)?.unwrap_or_default(),
                        running: r.get::<_, Option<i64>>(13)?,
                        search: r.get::<_, Option<String>>(14)?.or(r.get(15)?),
                    },
                );
            }
        }
        v.letters_done();
        // A letter's search text is in the index or waiting to join it, never in both, and
        // only an issued letter's waits (a draft made findable, a letter found twice).
        let stray: Vec<i64> = self
            .conn
            .prepare(
                "SELECT u.id FROM letters_unindexed u
                 WHERE EXISTS (SELECT 1 FROM letters_fts f WHERE f.rowid = u.id)
                    OR NOT EXISTS (SELECT 1 FROM letters l WHERE l.id = u.id AND l.status <> 'draft')
                 ORDER BY u.id",
            )?
            .query_map([], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        for id in stray {
            v.problem(
                format!("ข้อความสำหรับค้นหาที่รอเข้าดัชนีของรายการ {id} ซ้ำกับดัชนี หรือไม่ใช่ของหนังสือที่ออกเลข (ถูกเพิ่มโดยไม่ผ่านโปรแกรม)"),
                format!("the search text waiting for the index under entry {id} is in the index too, or belongs to no issued letter (added behind Saraban's back)"),
            );
        }
        let mut stmt = self.conn.prepare(
            "SELECT s.prefix, s.kind, s.year_be, s.last,
                    (SELECT max(running) FROM letters l WHERE l.series_id = s.id AND l.status <> 'draft')
             FROM series s ORDER BY s.id",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            v.series(
                &r.get::<_, String>(0)?,
                &r.get::<_, String>(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get::<_, Option<i64>>(4)?.unwrap_or(0),
            );
        }
        self.verify_receipts(&mut v)?;
        self.verify_messages(&mut v)?;
        Ok(v.finish())
    }

    /// The mailbox's part: every message kept, sent or fetched.
    fn verify_messages(&self, v: &mut Verifier) -> saraban_model::Result<()> {
        for kept in [Kept::Sending, Kept::Fetched, Kept::Signed] {
            let mut stmt = self.conn.prepare(kept.select())?;
            let mut rows = stmt.query([])?;
            while let Some(r) = rows.next()? {
                let eml = r
                    .get_ref(1)?
                    .as_bytes_or_null()
                    .ok()
                    .flatten()
                    .unwrap_or_default()
                    .to_vec();
                v.message(kept, r.get(0)?, &eml, &r.get::<_, String>(2)?);
            }
        }
        v.messages_done();
        Ok(())
    }

    /// The incoming register's part of the verification.
    fn verify_receipts(&self, v: &mut Verifier) -> saraban_model::Result<()> {
        let mut stmt = self.conn.prepare(
            "SELECT id, status, year_be, receipt_number, received_at, original, sha256, stamped,
                    stamped_sha256, fields_json, search_text, cancel_reason
             FROM received ORDER BY id",
        )?;
        let mut rows = stmt.query([])?;
        let blob = |r: &rusqlite::Row<'_>, i: usize| -> rusqlite::Result<Vec<u8>> {
            Ok(r.get_ref(i)?
                .as_bytes_or_null()
                .ok()
                .flatten()
                .unwrap_or_default()
                .to_vec())
        };
        while let Some(r) = rows.next()? {
            let text = |i: usize| -> rusqlite::Result<String> {
                Ok(r.get::<_, Option<String>>(i)?.unwrap_or_default())
            };
            v.receipt(&ReceiptRow {
                id: r.get(0)?,
                status: &text(1)?,
                year_be: r.get(2)?,
                number: r.get(3)?,
                at: &text(4)?,
                original: &blob(r, 5)?,
                sha: &text(6)?,
                stamped: &blob(r, 7)?,
                stamped_sha: &text(8)?,
                fields: &text(9)?,
                search: &text(10)?,
                reason: r.get::<_, Option<String>>(11)?.as_deref(),
            });
        }
        let mut stmt = self
            .conn
            .prepare("SELECT id, receipt_id, step_json FROM receipt_steps ORDER BY id")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            v.step(r.get(0)?, r.get(1)?, &r.get::<_, String>(2)?);
        }
        v.receipts_done();
        let mut stmt = self.conn.prepare(
            "SELECT y.year_be, y.last, (SELECT max(receipt_number) FROM received r WHERE r.year_be = y.year_be)
             FROM receipt_years y ORDER BY y.year_be",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            v.receipt_year(
                r.get(0)?,
                r.get(1)?,
                r.get::<_, Option<i64>>(2)?.unwrap_or(0),
            );
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What [`check_anchor`] finds in `anchor` for a chain of `n` entries `h1`, `h2`, …
    fn found(anchor: &str, n: usize) -> Vec<String> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.sqlite.anchor");
        std::fs::write(&path, anchor).unwrap();
        let hashes: Vec<String> = (1..=n).map(|i| format!("h{i}")).collect();
        let mut f = Finder(Vec::new());
        check_anchor(&path, &hashes, true, &mut f);
        f.0.into_iter().map(|p| p.en).collect()
    }

    #[test]
    fn lines_written_after_the_commit_as_before_still_anchor() {
        assert!(found("1 h1\n2 h2\n3 h3\n", 3).is_empty());
    }

    #[test]
    fn a_change_killed_before_its_commit_is_no_forgery() {
        // Killed between the synced line and the commit: one line past the chain.
        assert!(found("1 h1\n1 h1\n2 h2\n2 h2\n3 x3\n", 2).is_empty());
        // ... and the next change took its id.
        assert!(found("1 h1\n1 h1\n2 x2\n2 h2\n2 h2\n", 2).is_empty());
        // ... while another writer's second line came late.
        assert!(found("1 h1\n2 h2\n1 h1\n3 x3\n2 h2\n", 2).is_empty());
        // Killed after the commit, before the second line: still anchored.
        assert!(found("1 h1\n1 h1\n2 h2\n", 2).is_empty());
    }

    #[test]
    fn a_committed_entry_cut_or_rewritten_is_found() {
        // The line was written twice: the entry was committed, and is gone.
        let f = found("1 h1\n1 h1\n2 h2\n2 h2\n3 h3\n3 h3\n", 2);
        assert!(f[0].contains("tail was cut off"), "{f:?}");
        // Two past the chain is never a crash.
        let f = found("1 h1\n1 h1\n2 h2\n2 h2\n4 h4\n", 2);
        assert!(f[0].contains("tail was cut off"), "{f:?}");
        // A committed entry changed.
        let f = found("1 h1\n1 h1\n2 h2\n2 h2\n", 2);
        assert!(f.is_empty());
        let f = found("1 h1\n1 h1\n2 x2\n2 x2\n", 2);
        assert!(f[0].contains("rewritten"), "{f:?}");
        // A single line not taken by a later change and not the newest: rewritten.
        let f = found("1 h1\n2 x2\n3 h3\n", 3);
        assert!(f[0].contains("rewritten"), "{f:?}");
        // Entries the anchor never covered.
        let f = found("1 h1\n1 h1\n", 2);
        assert!(f[0].contains("not anchored"), "{f:?}");
    }
}
