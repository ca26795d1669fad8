//! A receipt of the incoming register (ทะเบียนหนังสือรับ) as both engines hold it: its
//! types, and the texts derived from its fields that the audit chain and the search hold
//! it to. It reads no table: `incoming` (the SQLite engine's statements), `pg::incoming`
//! and `audit` all use it, which keeps the arrows one way.

use sha2::{Digest, Sha256};

use super::entry::hex;
use super::search::fold;
use saraban_model::received::{ReadBy, ReceivedFields, ReceivedKind, RoutingStep};
use saraban_thai::to_thai_digits;

/// A receipt's status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum ReceiptStatus {
    /// รับแล้ว.
    Received,
    /// ยกเลิก: the receipt was wrong (its number is never reused).
    Cancelled,
}

/// One entry of the incoming register.
#[derive(Debug, Clone, PartialEq, serde::Serialize, ts_rs::TS)]
pub struct Receipt {
    /// Row id.
    #[ts(type = "number")]
    pub id: i64,
    /// เลขทะเบียนรับ.
    #[ts(type = "number")]
    pub receipt_number: i64,
    /// The Buddhist-Era year it runs in.
    #[ts(type = "number")]
    pub year_be: i64,
    /// Received at, ISO with the offset (Bangkok).
    pub received_at: String,
    /// Who received it (the operating system's account).
    pub received_by: String,
    /// The fields as confirmed.
    pub fields: ReceivedFields,
    /// How they were read.
    pub read_by: ReadBy,
    /// What the file is.
    pub kind: ReceivedKind,
    /// The file's name as it arrived.
    pub file_name: String,
    /// SHA-256 of the original file.
    pub sha256: String,
    /// SHA-256 of the stamped copy.
    pub stamped_sha256: String,
    /// Received or cancelled.
    pub status: ReceiptStatus,
    /// หมายเหตุ: the cancellation, if any.
    pub note: String,
    /// The routing so far, oldest first.
    pub routing: Vec<Routed>,
    /// The outgoing letters that answer it (their อ้างถึง names it), in order of issue.
    pub replies: Vec<ReplyRef>,
}

/// An issued letter that answers a receipt.
#[derive(Debug, Clone, PartialEq, serde::Serialize, ts_rs::TS)]
pub struct ReplyRef {
    /// Its entry in the outgoing register.
    #[ts(type = "number")]
    pub id: i64,
    /// Its number as printed.
    pub number: String,
    /// Its date, ISO.
    pub date: String,
}

impl Receipt {
    /// เลขรับ as the register book prints it: `๑๒/๒๕๖๙`.
    pub fn receipt_text(&self) -> String {
        to_thai_digits(&format!("{}/{}", self.receipt_number, self.year_be))
    }
}

/// A routing step as recorded: when, by whom.
#[derive(Debug, Clone, PartialEq, serde::Serialize, ts_rs::TS)]
pub struct Routed {
    /// Row id.
    #[ts(type = "number")]
    pub id: i64,
    /// When it was recorded, ISO.
    pub at: String,
    /// Who recorded it.
    pub by: String,
    /// The step.
    pub step: RoutingStep,
}

/// The fields as stored (JSON; its hash is in the audit entry).
pub(crate) fn fields_json(fields: &ReceivedFields) -> String {
    serde_json::to_string(fields).unwrap_or_default()
}

/// What a receipt is searched by: number, sender, recipient, subject, references and
/// enclosures, and the receipt number, folded as the outgoing register's search text is.
pub(crate) fn search_text(fields: &ReceivedFields, receipt: i64, year_be: i64) -> String {
    let mut parts = vec![
        format!("{receipt}/{year_be}"),
        fields.number.clone(),
        fields.from.clone(),
        fields.to.clone(),
        fields.subject.clone(),
    ];
    parts.extend(fields.references.iter().cloned());
    parts.extend(fields.enclosures.iter().cloned());
    fold(&parts.join("\n"))
}

/// The audit detail of a receipt: what the chain holds it to.
pub(crate) fn receive_detail(
    id: i64,
    year_be: i64,
    number: i64,
    at: &str,
    sha: &str,
    stamped_sha: &str,
    fields: &str,
) -> String {
    format!(
        "receipt {id}|{year_be}|{number}|{at}|{sha}|{stamped_sha}|{}",
        hex(&Sha256::digest(fields.as_bytes()))
    )
}

/// The audit detail of a cancelled receipt.
pub(crate) fn cancel_receipt_detail(id: i64, reason: &str) -> String {
    format!("receipt {id}|{reason}")
}

/// The audit detail of a routing step.
pub(crate) fn route_detail(receipt: i64, step: i64, json: &str) -> String {
    format!(
        "receipt {receipt}|{step}|{}",
        hex(&Sha256::digest(json.as_bytes()))
    )
}

pub(crate) const RECEIPT_COLUMNS: &str =
    "id, receipt_number, year_be, received_at, received_by, fields_json, read_by, kind, \
     file_name, sha256, stamped_sha256, status, cancelled_at, cancel_reason";

fn read_by_of(s: &str) -> ReadBy {
    serde_json::from_value(serde_json::Value::String(s.into())).unwrap_or(ReadBy::Clerk)
}

fn kind_of(s: &str) -> ReceivedKind {
    serde_json::from_value(serde_json::Value::String(s.into())).unwrap_or(ReceivedKind::Pdf)
}

pub(crate) fn name_of<T: serde::Serialize>(v: &T) -> String {
    match serde_json::to_value(v) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

/// A receipt from its columns (in [`RECEIPT_COLUMNS`]' order), its routing added later.
#[allow(clippy::too_many_arguments)]
pub(crate) fn receipt_of(
    id: i64,
    receipt_number: i64,
    year_be: i64,
    received_at: String,
    received_by: String,
    fields: &str,
    read_by: &str,
    kind: &str,
    file_name: String,
    sha256: String,
    stamped_sha256: String,
    status: &str,
    cancelled_at: Option<String>,
    cancel_reason: Option<String>,
) -> Receipt {
    let status = if status == "cancelled" {
        ReceiptStatus::Cancelled
    } else {
        ReceiptStatus::Received
    };
    let note = match status {
        ReceiptStatus::Cancelled => super::entry::cancel_note(cancelled_at, cancel_reason),
        ReceiptStatus::Received => String::new(),
    };
    Receipt {
        id,
        receipt_number,
        year_be,
        received_at,
        received_by,
        fields: serde_json::from_str(fields).unwrap_or_default(),
        read_by: read_by_of(read_by),
        kind: kind_of(kind),
        file_name,
        sha256,
        stamped_sha256,
        status,
        note,
        routing: Vec::new(),
        replies: Vec::new(),
    }
}
