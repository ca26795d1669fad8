//! The audit trail: every issue, import and cancellation, each entry's hash covering the
//! entry before it, so that a changed or removed entry breaks the chain.

use rusqlite::{params, OptionalExtension, Transaction};
use sha2::{Digest, Sha256};

use super::issue::hex;
use super::{now_text, Register};

/// The hash before the first entry.
const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

fn entry_hash(
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
pub(super) fn last_entry(tx: &Transaction<'_>) -> rusqlite::Result<Option<(i64, String)>> {
    tx.query_row(
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

/// The result of checking the chain.
#[derive(Debug, Clone, PartialEq, serde::Serialize, ts_rs::TS)]
pub struct AuditReport {
    /// Entries checked.
    #[ts(type = "number")]
    pub entries: i64,
    /// The first entry whose hash or link is wrong, if any.
    #[ts(type = "number | null")]
    pub first_broken: Option<i64>,
}

impl Register {
    /// Recomputes the chain and reports the first broken link.
    pub fn verify_audit(&self) -> crate::Result<AuditReport> {
        let mut stmt =
            self.conn.prepare("SELECT id, at, user, action, letter_id, detail, prev_hash, hash FROM audit ORDER BY id")?;
        let mut rows = stmt.query([])?;
        let mut prev = GENESIS.to_string();
        let mut expected_id = 1;
        let mut n = 0;
        while let Some(r) = rows.next()? {
            n += 1;
            let id: i64 = r.get(0)?;
            let stored_prev: String = r.get(6)?;
            let hash: String = r.get(7)?;
            let computed = entry_hash(
                id,
                &r.get::<_, String>(1)?,
                &r.get::<_, String>(2)?,
                &r.get::<_, String>(3)?,
                r.get(4)?,
                &r.get::<_, String>(5)?,
                &prev,
            );
            if id != expected_id || stored_prev != prev || computed != hash {
                return Ok(AuditReport {
                    entries: n,
                    first_broken: Some(id),
                });
            }
            prev = hash;
            expected_id += 1;
        }
        Ok(AuditReport {
            entries: n,
            first_broken: None,
        })
    }
}
