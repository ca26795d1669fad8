//! Search: FTS5 with the trigram tokenizer, so any Thai substring of three characters or
//! more is found without word segmentation; Thai and Arabic digits are folded to one form in
//! the index and in the query; shorter queries scan.

use chrono::NaiveDate;
use rusqlite::{params_from_iter, types::Value, Transaction};

use super::issue::{entry_row, entry_select};
use super::{Entry, Register};
use crate::letter::Letter;
use crate::thai::to_arabic_digits;

/// The indexed columns, as the search reads them for the snippet.
const FTS_COLUMNS: &str = "f.number, f.subject, f.recipient, f.body, f.signer, f.owner";

/// Thai digits to ASCII, the one form the index holds.
pub fn fold_digits(s: &str) -> String {
    to_arabic_digits(s)
}

/// What to look for.
#[derive(Debug, Clone, Default)]
pub struct SearchQuery {
    /// A substring of the number, subject, recipient, body, signer or owner.
    pub text: Option<String>,
    /// Buddhist-Era year.
    pub year_be: Option<i64>,
    /// Issued on or after.
    pub from: Option<NaiveDate>,
    /// Issued on or before.
    pub to: Option<NaiveDate>,
    /// Letter kind (external, memo, …).
    pub kind: Option<String>,
    /// issued or cancelled.
    pub status: Option<String>,
    /// At most this many (default 50).
    pub limit: Option<usize>,
}

/// One letter found, with where the match is.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Hit {
    /// The letter.
    #[serde(flatten)]
    pub entry: Entry,
    /// The text around the match, the match in «».
    pub snippet: String,
}

pub(super) fn index_letter(
    tx: &Transaction<'_>,
    id: i64,
    l: &Letter,
    number: &str,
) -> rusqlite::Result<()> {
    let body: Vec<&str> = l.body.iter().map(|b| b.text()).collect();
    let signer = l
        .signer
        .as_ref()
        .map(|s| {
            std::iter::once(s.name.clone())
                .chain(s.position_lines())
                .collect::<Vec<_>>()
                .join(" ")
        })
        .unwrap_or_default();
    let mut owner: Vec<String> = Vec::new();
    if let Some(a) = &l.agency {
        owner.push(a.name.clone());
        owner.extend(a.address.iter().cloned());
    }
    if let Some(o) = &l.owner {
        owner.extend(
            [&o.department, &o.unit, &o.phone, &o.fax, &o.email]
                .into_iter()
                .flatten()
                .cloned(),
        );
    }
    tx.execute(
        "INSERT INTO letters_fts (rowid, number, subject, recipient, body, signer, owner) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        rusqlite::params![
            id,
            fold_digits(number),
            fold_digits(l.subject.as_deref().unwrap_or("")),
            fold_digits(l.recipient.as_deref().unwrap_or("")),
            fold_digits(&body.join("\n")),
            fold_digits(&signer),
            fold_digits(&owner.join(" ")),
        ],
    )?;
    Ok(())
}

impl Register {
    /// Finds issued letters, newest first.
    pub fn search(&self, q: &SearchQuery) -> crate::Result<Vec<Hit>> {
        let limit = q.limit.unwrap_or(50).clamp(1, 10_000) as i64;
        let mut filters = String::new();
        let mut args: Vec<Value> = Vec::new();
        let mut add = |sql: &str, v: Value, filters: &mut String| {
            args.push(v);
            filters.push_str(&format!(" AND {sql} ?{}", args.len()));
        };
        if let Some(y) = q.year_be {
            add("l.year_be =", Value::Integer(y), &mut filters);
        }
        if let Some(d) = q.from {
            add("l.issued_date >=", Value::Text(d.to_string()), &mut filters);
        }
        if let Some(d) = q.to {
            add("l.issued_date <=", Value::Text(d.to_string()), &mut filters);
        }
        if let Some(k) = &q.kind {
            add("l.kind =", Value::Text(k.clone()), &mut filters);
        }
        match &q.status {
            Some(s) => add("l.status =", Value::Text(s.clone()), &mut filters),
            None => filters.push_str(" AND l.status <> 'draft'"),
        }
        let select = entry_select("l");
        let text = q
            .text
            .as_deref()
            .map(|t| fold_digits(t.trim()))
            .filter(|t| !t.is_empty());
        let (sql, snippet_col) = match &text {
            Some(t) if t.chars().count() >= 3 => {
                // A quoted phrase: the trigram index matches it as a plain substring, and
                // quotes, stars and NEAR( in the query are only text.
                args.push(Value::Text(format!("\"{}\"", t.replace('"', "\"\""))));
                let m = args.len();
                (
                    format!(
                        "{select}, {FTS_COLUMNS} FROM letters_fts f
                         JOIN letters l ON l.id = f.rowid
                         WHERE letters_fts MATCH ?{m} {filters} ORDER BY f.rowid DESC LIMIT {limit}"
                    ),
                    true,
                )
            }
            Some(t) => {
                let pattern = format!("%{}%", t.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_"));
                args.push(Value::Text(pattern));
                let p = args.len();
                let cols = ["number", "subject", "recipient", "body", "signer", "owner"]
                    .iter()
                    .map(|c| format!("f.{c} LIKE ?{p} ESCAPE '\\'"))
                    .collect::<Vec<_>>()
                    .join(" OR ");
                (
                    format!(
                        "{select}, {FTS_COLUMNS} FROM letters l JOIN letters_fts f ON f.rowid = l.id
                         WHERE ({cols}) {filters} ORDER BY l.id DESC LIMIT {limit}"
                    ),
                    true,
                )
            }
            None => (format!("{select} FROM letters l WHERE 1 = 1 {filters} ORDER BY l.id DESC LIMIT {limit}"), false),
        };
        let mut stmt = self.conn.prepare(&sql)?;
        let needle = text.clone().unwrap_or_default();
        let rows = stmt.query_map(params_from_iter(args.iter()), |r| {
            let entry = entry_row(r)?;
            let mut snippet = String::new();
            if snippet_col {
                for c in 12..18 {
                    let field: String = r.get::<_, Option<String>>(c)?.unwrap_or_default();
                    if let Some(s) = short_snippet(&field, &needle) {
                        snippet = s;
                        break;
                    }
                }
            }
            Ok(Hit { entry, snippet })
        })?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }
}

fn short_snippet(text: &str, needle: &str) -> Option<String> {
    let i = text.find(needle)?;
    let start = text[..i]
        .char_indices()
        .rev()
        .nth(24)
        .map(|(j, _)| j)
        .unwrap_or(0);
    let end = text[i + needle.len()..]
        .char_indices()
        .nth(24)
        .map(|(j, _)| i + needle.len() + j)
        .unwrap_or(text.len());
    Some(format!(
        "{}{}«{}»{}{}",
        if start > 0 { "…" } else { "" },
        &text[start..i],
        needle,
        &text[i + needle.len()..end],
        if end < text.len() { "…" } else { "" }
    ))
}
