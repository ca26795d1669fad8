//! The audit trail: every issue, import, cancellation and settings change, each entry's
//! hash covering the entry before it, so that a changed or removed entry breaks the chain.
//!
//! A chain inside the file can be recomputed whole by someone who can write the file, so
//! its head is also kept outside it: every commit appends `id hash` to an anchor file
//! beside the database (append-only, synced), and the register book prints the head on
//! every page. [`Register::verify_audit`] checks the chain, the anchor, and every issued
//! letter, PDF and series counter against the chain: a row edited with the triggers
//! dropped, an inserted or deleted letter, a raised counter, a truncated tail or a
//! recomputed chain are all reported.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use rusqlite::{params, OptionalExtension, Transaction};
use sha2::{Digest, Sha256};

use super::issue::hex;
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
    fn add(&mut self, letter: Option<i64>, th: String, en: String) {
        self.0.push(AuditProblem { letter, th, en });
    }
}

/// What the chain says about one letter.
#[derive(Default)]
struct Recorded {
    /// number|date|pdf sha[|json sha] of its issue or import.
    issued: Option<String>,
    issues: usize,
    /// The reason of its cancellation.
    cancelled: Option<String>,
}

/// The checks of [`SqliteRegister::verify_audit`], fed row by row by either engine: the
/// audit entries in order, then the anchor, then the letters, then the series.
pub(crate) struct Verifier {
    found: Finder,
    recorded: HashMap<i64, Recorded>,
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
        if let Some(l) = letter {
            let rec = self.recorded.entry(l).or_default();
            match action {
                "issue" | "import" => {
                    rec.issues += 1;
                    rec.issued = Some(detail);
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
    pub(crate) fn chain_done(&mut self, anchor: Option<&Path>) {
        if let Some(id) = self.first_broken {
            self.found.add(
                None,
                format!("ห่วงโซ่บันทึกการตรวจสอบขาดที่รายการ {id}"),
                format!("the audit chain breaks at entry {id}"),
            );
        }
        if let Some(path) = anchor {
            check_anchor(path, &self.hashes, &mut self.found);
        }
    }

    /// An issued or cancelled letter, in id order. `pdf` is whatever the row holds.
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

/// Appends `id hash` to the anchor file at `path` (append-only, synced). A failure does
/// not undo the commit; it is logged and found by verification.
pub(crate) fn append_anchor(path: &Path, id: i64, hash: &str) {
    let result = (|| {
        let mut f = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)?;
        f.write_all(format!("{id} {hash}\n").as_bytes())?;
        f.sync_data()
    })();
    if let Err(e) = result {
        tracing::warn!("cannot append to the audit anchor {}: {e}", path.display());
    }
}

/// Every line of the anchor file must be an entry of the chain, with the same hash.
fn check_anchor(path: &Path, hashes: &[String], found: &mut Finder) {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(_) if hashes.is_empty() => return,
        Err(e) => {
            found.add(
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
    for (n, line) in text.lines().enumerate() {
        let mut parts = line.split_whitespace();
        let (Some(id), Some(hash)) = (
            parts.next().and_then(|i| i.parse::<usize>().ok()),
            parts.next(),
        ) else {
            found.add(
                None,
                format!("ไฟล์ยึดห่วงโซ่บรรทัด {} อ่านไม่ได้", n + 1),
                format!("line {} of the anchor file is unreadable", n + 1),
            );
            continue;
        };
        match hashes.get(id.wrapping_sub(1)) {
            Some(h) if h == hash => {}
            Some(_) => {
                found.add(
                    None,
                    format!("รายการ {id} ของบันทึกการตรวจสอบไม่ตรงกับไฟล์ยึดห่วงโซ่: บันทึกถูกเขียนใหม่"),
                    format!(
                        "audit entry {id} differs from the anchor file: the chain was rewritten"
                    ),
                );
                return;
            }
            None => {
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
                return;
            }
        }
    }
}

impl SqliteRegister {
    /// The number of audit entries and the newest one's hash (printed on the register book).
    pub fn audit_head(&self) -> crate::Result<Option<(i64, String)>> {
        Ok(last_entry(&self.conn)?)
    }

    /// The anchor file of this register (none in memory).
    fn anchor_file(&self) -> Option<PathBuf> {
        (self.path != Path::new(":memory:")).then(|| anchor_path(&self.path))
    }

    /// Appends the chain's head to the anchor file (after a commit that added entries).
    pub(super) fn anchor(&self) {
        if self.read_only {
            return;
        }
        let (Some(path), Ok(Some((id, hash)))) = (self.anchor_file(), last_entry(&self.conn))
        else {
            return;
        };
        append_anchor(&path, id, &hash);
    }

    /// Checks the register against its audit trail: the chain itself, the anchor file
    /// beside the database, every issued letter's PDF and JSON, every cancellation and
    /// every series counter.
    pub fn verify_audit(&self) -> crate::Result<AuditReport> {
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
        v.chain_done(self.anchor_file().as_deref());
        {
            let mut stmt = self.conn.prepare(
                "SELECT id, status, number_text, issued_date, pdf, pdf_sha256, letter_json, cancel_reason
                 FROM letters WHERE status <> 'draft' ORDER BY id",
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
                );
            }
        }
        v.letters_done();
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
        Ok(v.finish())
    }
}
