//! Signatures of issued letters (ลายมือชื่ออิเล็กทรอนิกส์): every signed copy kept byte for
//! byte, in order — the one who signs, then each countersigner, each copy the one before
//! with one more signature — with who signed, how (a certificate's PAdES signature, or the
//! typed name the 2564 amendment allows in a system that identified the signer), its level
//! and time, and its SHA-256 in the audit chain. Nothing here is ever changed or deleted.
//!
//! A signature is added on the copy the register holds last ([`NewSignature::base_sha256`]):
//! two clerks signing at once cannot both build on the same copy and lose a signature.

use rusqlite::{params, OptionalExtension, TransactionBehavior};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::audit::{append, commit_anchored};
use super::post::sha;
use super::{now_text, SqliteRegister};
use saraban_model::error::Error;

/// How a letter was signed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum SignatureKind {
    /// A PAdES signature with the signer's certificate.
    Pades,
    /// The signer's name typed in a system that identified them (ระเบียบฯ ๒๕๖๔).
    Typed,
}

impl SignatureKind {
    pub(crate) fn name(self) -> &'static str {
        match self {
            SignatureKind::Pades => "pades",
            SignatureKind::Typed => "typed",
        }
    }
    pub(crate) fn of(s: &str) -> SignatureKind {
        if s == "typed" {
            SignatureKind::Typed
        } else {
            SignatureKind::Pades
        }
    }
}

/// A signature recorded on an issued letter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Signature {
    #[ts(type = "number")]
    pub id: i64,
    /// The letter (register entry).
    #[ts(type = "number")]
    pub letter_id: i64,
    /// 1 for the one who signs, 2 and on for countersigners.
    #[ts(type = "number")]
    pub seq: i64,
    pub kind: SignatureKind,
    /// Who signed (the certificate's name, or the name typed).
    pub signer: String,
    /// Their position as the letter shows it.
    pub position: String,
    /// The certificate: its issuer and serial number (empty for a typed name).
    pub certificate: String,
    /// PAdES B-B, B-T, B-LT, or `typed`.
    pub level: String,
    /// When it was signed (this computer's clock).
    pub signed_at: String,
    /// When the time-stamp authority says it existed (B-T and above).
    pub timestamp: Option<String>,
    /// The account that signed in Saraban.
    pub signed_by: String,
    /// The SHA-256 of the signed copy.
    pub pdf_sha256: String,
    /// Its size in bytes.
    #[ts(type = "number")]
    pub size: i64,
}

/// A signature to record.
#[derive(Debug, Clone)]
pub struct NewSignature {
    pub letter_id: i64,
    pub kind: SignatureKind,
    pub signer: String,
    pub position: String,
    pub certificate: String,
    pub level: String,
    pub timestamp: Option<String>,
    /// The signed copy.
    pub pdf: Vec<u8>,
    /// The SHA-256 of the copy it was made from: the issued PDF or the last signed copy.
    pub base_sha256: String,
}

pub(crate) const SIGNATURE_COLUMNS: &str = "id, letter_id, seq, kind, signer, position, certificate, level, signed_at, timestamp, signed_by, pdf_sha256, length(pdf)";

fn signature_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Signature> {
    Ok(Signature {
        id: r.get(0)?,
        letter_id: r.get(1)?,
        seq: r.get(2)?,
        kind: SignatureKind::of(&r.get::<_, String>(3)?),
        signer: r.get(4)?,
        position: r.get(5)?,
        certificate: r.get(6)?,
        level: r.get(7)?,
        signed_at: r.get(8)?,
        timestamp: r.get(9)?,
        signed_by: r.get(10)?,
        pdf_sha256: r.get(11)?,
        size: r.get(12)?,
    })
}

/// The copy changed under the clerk: someone else signed meanwhile.
pub(crate) fn signed_meanwhile() -> Error {
    Error::Register {
        th: "มีผู้ลงนามหนังสือฉบับนี้ไปก่อนแล้วในระหว่างนี้: ลงนามอีกครั้ง (จะต่อท้ายลายมือชื่อล่าสุด)".into(),
        en: "someone signed this letter meanwhile: sign again (it goes after the latest signature)"
            .into(),
    }
}

pub(crate) fn not_signable(number: &str, status: &str) -> Error {
    Error::Register {
        th: format!("ลงนามหนังสือ {number} ไม่ได้: สถานะ {status} (ลงนามได้เฉพาะหนังสือที่ออกเลขแล้วและไม่ถูกยกเลิก)"),
        en: format!("cannot sign {number}: it is {status} (only issued letters that are not cancelled can be signed)"),
    }
}

/// The audit detail of a signature: `id|seq|kind|level|sha|signer`.
pub(crate) fn detail(id: i64, seq: i64, n: &NewSignature, pdf_sha: &str) -> String {
    format!(
        "{id}|{seq}|{}|{}|{pdf_sha}|{}",
        n.kind.name(),
        n.level,
        n.signer
    )
}

impl SqliteRegister {
    /// Records a signature: its copy, in order after the last, with its audit entry.
    pub fn add_signature(&mut self, n: &NewSignature) -> saraban_model::Result<Signature> {
        let anchor = self.anchor_ready()?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let (status, number, issued_sha): (String, String, String) = tx
            .query_row(
                "SELECT status, coalesce(number_text, ''), coalesce(pdf_sha256, '') FROM letters WHERE id = ?1",
                [n.letter_id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?
            .ok_or_else(|| super::issue::not_found(&n.letter_id.to_string()))?;
        if status != "issued" {
            return Err(not_signable(&number, &status));
        }
        let last: Option<(i64, String)> = tx
            .query_row(
                "SELECT seq, pdf_sha256 FROM signatures WHERE letter_id = ?1 ORDER BY seq DESC LIMIT 1",
                [n.letter_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let (seq, base) = match last {
            Some((seq, sha)) => (seq + 1, sha),
            None => (1, issued_sha),
        };
        if base != n.base_sha256 {
            return Err(signed_meanwhile());
        }
        let pdf_sha = sha(&n.pdf);
        tx.execute(
            "INSERT INTO signatures (letter_id, seq, kind, signer, position, certificate, level, signed_at, timestamp, signed_by, pdf, pdf_sha256)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
            params![n.letter_id, seq, n.kind.name(), n.signer, n.position, n.certificate, n.level, now_text(), n.timestamp, self.user, n.pdf, pdf_sha],
        )?;
        let id = tx.last_insert_rowid();
        append(
            &tx,
            &self.user,
            "sign",
            Some(n.letter_id),
            &detail(id, seq, n, &pdf_sha),
        )?;
        commit_anchored(tx, anchor)?;
        self.signature(id)
    }

    /// One signature.
    pub fn signature(&self, id: i64) -> saraban_model::Result<Signature> {
        self.conn
            .query_row(
                &format!("SELECT {SIGNATURE_COLUMNS} FROM signatures WHERE id = ?1"),
                [id],
                signature_row,
            )
            .optional()?
            .ok_or_else(|| Error::NotFound {
                th: format!("ไม่พบลายมือชื่อ {id}"),
                en: format!("no signature {id}"),
            })
    }

    /// The signatures of a letter, in order.
    pub fn signatures(&self, letter_id: i64) -> saraban_model::Result<Vec<Signature>> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {SIGNATURE_COLUMNS} FROM signatures WHERE letter_id = ?1 ORDER BY seq"
        ))?;
        let rows = stmt.query_map([letter_id], signature_row)?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// The signed copy a signature keeps, checked against its hash.
    pub fn signed_pdf(&self, id: i64) -> saraban_model::Result<Vec<u8>> {
        let (pdf, want): (Vec<u8>, String) = self
            .conn
            .query_row(
                "SELECT pdf, pdf_sha256 FROM signatures WHERE id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?
            .ok_or_else(|| Error::NotFound {
                th: format!("ไม่พบลายมือชื่อ {id}"),
                en: format!("no signature {id}"),
            })?;
        super::post::checked("ฉบับลงนาม", "signed copy", id, pdf, &want)
    }

    /// Which register entry carries a signed copy with this SHA-256.
    pub fn signature_by_sha(&self, sha256: &str) -> saraban_model::Result<Option<Signature>> {
        Ok(self
            .conn
            .query_row(
                &format!("SELECT {SIGNATURE_COLUMNS} FROM signatures WHERE pdf_sha256 = ?1"),
                [sha256],
                signature_row,
            )
            .optional()?)
    }
}
