//! The incoming register on PostgreSQL: the statements of `crate::incoming` for the server.
//! The receipt number is taken with the row lock of its year's counter, held to the commit,
//! so clerks receiving at once take turns and a rollback gives the number back.

use postgres::Row;
use sha2::{Digest, Sha256};

use super::ops::append;
use super::{PgRegister, WriteError};
use crate::entry::hex;
use crate::incoming::{
    at_text, cancel_receipt_detail, check_file_hash, name_of, parse_receipt_number,
    receipt_not_found, receipt_of, receive_detail, route_detail, search_text, still_open,
    NewReceipt, Prepared, Receipt, ReceiptQuery, Routed, StampData, RECEIPT_COLUMNS,
};
use crate::issue::{check_reason, committed_unanchored};
use crate::now_text;
use crate::search::fold;
use saraban_model::error::Error;
use saraban_model::received::RoutingStep;
use saraban_model::Result;
use saraban_thai::to_thai_digits;

fn receipt_row(r: &Row) -> Receipt {
    receipt_of(
        r.get(0),
        r.get(1),
        r.get(2),
        r.get(3),
        r.get(4),
        r.get::<_, &str>(5),
        r.get::<_, &str>(6),
        r.get::<_, &str>(7),
        r.get(8),
        r.get(9),
        r.get(10),
        r.get::<_, &str>(11),
        r.get(12),
        r.get(13),
    )
}

fn no_receipt(id: i64) -> Error {
    receipt_not_found(&id.to_string())
}

impl PgRegister {
    pub(super) fn received_before_now(&self, sha: &str) -> Result<Option<Receipt>> {
        let id: Option<i64> = self.read(|c| {
            Ok(c.query_opt(
                "SELECT id FROM received WHERE sha256 = $1 AND status = 'received' ORDER BY id DESC LIMIT 1",
                &[&sha],
            )?
            .map(|r| r.get(0)))
        })?;
        id.map(|id| self.receipt_now(id)).transpose()
    }

    pub(super) fn receive_now(
        &mut self,
        new: &NewReceipt,
        stamp: &mut dyn FnMut(&StampData) -> Result<Vec<u8>>,
    ) -> Result<Receipt> {
        if self.read_only {
            return Err(super::ops::read_only());
        }
        let p = Prepared::of(new, |sha| self.received_before_now(sha))?;
        let (at, year_be) = (p.at, p.year_be);
        let data = |n: i64| p.stamp_data(n);
        let predicted: i64 = self.read(|c| {
            Ok(c.query_opt(
                "SELECT last FROM receipt_years WHERE year_be = $1",
                &[&year_be],
            )?
            .map(|r| r.get::<_, i64>(0))
            .unwrap_or(0)
                + 1)
        })?;
        let mut stamped = Some((predicted, stamp(&data(predicted))?));
        let (sha, fields) = (p.sha.clone(), p.fields.clone());
        self.anchor_ready()?;
        let user = self.user.clone();
        let at_s = at_text(at);
        let (id, number, head, hash) = self.write(|c| {
            let mut tx = c.transaction()?;
            tx.execute(
                "INSERT INTO receipt_years (year_be, last) VALUES ($1, 0) ON CONFLICT (year_be) DO NOTHING",
                &[&year_be],
            )?;
            let number: i64 = tx
                .query_one(
                    "UPDATE receipt_years SET last = last + 1 WHERE year_be = $1 RETURNING last",
                    &[&year_be],
                )?
                .get(0);
            let copy = match stamped.take() {
                Some((n, pdf)) if n == number => pdf,
                _ => stamp(&data(number)).map_err(WriteError::Saraban)?,
            };
            let stamped_sha = hex(&Sha256::digest(&copy));
            let search = search_text(&new.fields, number, year_be);
            let id: i64 = tx
                .query_one(
                    "INSERT INTO received (status, year_be, receipt_number, received_at, received_by, fields_json,
                        read_by, kind, file_name, original, sha256, stamped, stamped_sha256, search_text)
                     VALUES ('received', $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id",
                    &[
                        &year_be,
                        &number,
                        &at_s,
                        &user,
                        &fields,
                        &name_of(&new.read_by),
                        &name_of(&new.kind),
                        &new.file_name,
                        &new.original,
                        &sha,
                        &copy,
                        &stamped_sha,
                        &search,
                    ],
                )?
                .get(0);
            let (head, hash) = append(
                &mut tx,
                &user,
                "receive",
                None,
                &receive_detail(id, year_be, number, &at_s, &sha, &stamped_sha, &fields),
            )?;
            tx.commit()?;
            Ok((id, number, head, hash))
        })?;
        self.anchor(head, &hash).map_err(|e| {
            committed_unanchored(&to_thai_digits(&format!("รับ {number}/{year_be}")), e)
        })?;
        self.receipt_now(id)
    }

    pub(super) fn receipt_now(&self, id: i64) -> Result<Receipt> {
        let mut r = self
            .read(|c| {
                Ok(c.query_opt(
                    &format!("SELECT {RECEIPT_COLUMNS} FROM received WHERE id = $1"),
                    &[&id],
                )?
                .map(|r| receipt_row(&r)))
            })?
            .ok_or_else(|| no_receipt(id))?;
        r.routing = Vec::new();
        self.completed(r)
    }

    pub(super) fn find_receipt_now(&self, what: &str) -> Result<i64> {
        let found: Option<i64> = if let Some((n, y)) = parse_receipt_number(what) {
            self.read(|c| {
                Ok(c.query_opt(
                    "SELECT id FROM received WHERE receipt_number = $1 AND year_be = $2",
                    &[&n, &y],
                )?
                .map(|r| r.get(0)))
            })?
        } else {
            match saraban_thai::to_arabic_digits(what.trim()).parse::<i64>() {
                Ok(id) => self.read(|c| {
                    Ok(
                        c.query_opt("SELECT id FROM received WHERE id = $1", &[&id])?
                            .map(|r| r.get(0)),
                    )
                })?,
                Err(_) => None,
            }
        };
        found.ok_or_else(|| receipt_not_found(what))
    }

    pub(super) fn received_file_now(&self, id: i64, stamped: bool) -> Result<Vec<u8>> {
        let sql = if stamped {
            "SELECT stamped, stamped_sha256 FROM received WHERE id = $1"
        } else {
            "SELECT original, sha256 FROM received WHERE id = $1"
        };
        let (bytes, sha): (Vec<u8>, String) = self
            .read(|c| Ok(c.query_opt(sql, &[&id])?.map(|r| (r.get(0), r.get(1)))))?
            .ok_or_else(|| no_receipt(id))?;
        check_file_hash(id, &bytes, &sha)?;
        Ok(bytes)
    }

    fn replies_now(&self, number: i64, year_be: i64) -> Result<Vec<crate::incoming::ReplyRef>> {
        self.read(|c| {
            Ok(c.query(
                "SELECT id, number_text, issued_date FROM letters
                 WHERE status <> 'draft'
                   AND (letter_json::jsonb -> 'reply_to' ->> 'receipt_number') = $1
                   AND (letter_json::jsonb -> 'reply_to' ->> 'year_be') = $2
                 ORDER BY id",
                &[&number.to_string(), &year_be.to_string()],
            )?
            .iter()
            .map(|r| crate::incoming::ReplyRef {
                id: r.get(0),
                number: r.get::<_, Option<String>>(1).unwrap_or_default(),
                date: r.get::<_, Option<String>>(2).unwrap_or_default(),
            })
            .collect())
        })
    }

    /// A receipt's routing and replies, filled in.
    fn completed(&self, mut r: Receipt) -> Result<Receipt> {
        r.routing = self.routing_now(r.id)?;
        r.replies = self.replies_now(r.receipt_number, r.year_be)?;
        Ok(r)
    }

    pub(super) fn routing_now(&self, id: i64) -> Result<Vec<Routed>> {
        let rows: Vec<(i64, String, String, String)> = self.read(|c| {
            Ok(c.query(
                "SELECT id, at, by_user, step_json FROM receipt_steps WHERE receipt_id = $1 ORDER BY id",
                &[&id],
            )?
            .iter()
            .map(|r| (r.get(0), r.get(1), r.get(2), r.get(3)))
            .collect())
        })?;
        Ok(rows
            .into_iter()
            .filter_map(|(sid, at, by, json)| {
                serde_json::from_str(&json).ok().map(|step| Routed {
                    id: sid,
                    at,
                    by,
                    step,
                })
            })
            .collect())
    }

    pub(super) fn route_now(&mut self, id: i64, step: &RoutingStep) -> Result<Routed> {
        step.check()?;
        if self.read_only {
            return Err(super::ops::read_only());
        }
        let json = serde_json::to_string(step).map_err(|e| Error::Pdf(e.to_string()))?;
        self.anchor_ready()?;
        let user = self.user.clone();
        let at = now_text();
        let (sid, head, hash) = self.write(|c| {
            let mut tx = c.transaction()?;
            let status: Option<String> = tx
                .query_opt("SELECT status FROM received WHERE id = $1 FOR UPDATE", &[&id])?
                .map(|r| r.get(0));
            still_open(id, status.as_deref())?;
            let sid: i64 = tx
                .query_one(
                    "INSERT INTO receipt_steps (receipt_id, at, by_user, step_json) VALUES ($1, $2, $3, $4) RETURNING id",
                    &[&id, &at, &user, &json],
                )?
                .get(0);
            let (head, hash) = append(&mut tx, &user, "route", None, &route_detail(id, sid, &json))?;
            tx.commit()?;
            Ok((sid, head, hash))
        })?;
        self.anchor(head, &hash)?;
        Ok(Routed {
            id: sid,
            at,
            by: user,
            step: step.clone(),
        })
    }

    pub(super) fn cancel_receipt_now(&mut self, id: i64, reason: &str) -> Result<()> {
        check_reason(reason)?;
        if self.read_only {
            return Err(super::ops::read_only());
        }
        self.anchor_ready()?;
        let user = self.user.clone();
        let reason = reason.trim().to_string();
        let (head, hash) = self.write(|c| {
            let mut tx = c.transaction()?;
            let status: Option<String> = tx
                .query_opt("SELECT status FROM received WHERE id = $1 FOR UPDATE", &[&id])?
                .map(|r| r.get(0));
            still_open(id, status.as_deref())?;
            tx.execute(
                "UPDATE received SET status = 'cancelled', cancelled_at = $2, cancelled_by = $3, cancel_reason = $4 WHERE id = $1",
                &[&id, &now_text(), &user, &reason],
            )?;
            let head = append(
                &mut tx,
                &user,
                "cancel_receipt",
                None,
                &cancel_receipt_detail(id, &reason),
            )?;
            tx.commit()?;
            Ok(head)
        })?;
        self.anchor(head, &hash)
    }

    pub(super) fn each_receipt_now(
        &self,
        year_be: Option<i64>,
        each: &mut dyn FnMut(Receipt) -> Result<()>,
    ) -> Result<()> {
        let rows: Vec<Receipt> = self.read(|c| {
            Ok(c.query(
                &format!(
                    "SELECT {RECEIPT_COLUMNS} FROM received WHERE ($1::BIGINT IS NULL OR year_be = $1)
                     ORDER BY year_be, receipt_number"
                ),
                &[&year_be],
            )?
            .iter()
            .map(receipt_row)
            .collect())
        })?;
        for r in rows {
            each(self.completed(r)?)?;
        }
        Ok(())
    }

    pub(super) fn search_receipts_now(&self, q: &ReceiptQuery) -> Result<Vec<Receipt>> {
        let needle = q
            .text
            .as_deref()
            .map(|t| fold(t.trim()))
            .unwrap_or_default();
        let limit = q.limit.unwrap_or(50) as i64;
        let offset = q.offset.unwrap_or(0) as i64;
        let rows: Vec<Receipt> = self.read(|c| {
            Ok(c.query(
                &format!(
                    "SELECT {RECEIPT_COLUMNS} FROM received
                     WHERE ($1::BIGINT IS NULL OR year_be = $1) AND ($2 = '' OR strpos(search_text, $2) > 0)
                     ORDER BY received_at DESC, id DESC LIMIT $3 OFFSET $4"
                ),
                &[&q.year_be, &needle, &limit, &offset],
            )?
            .iter()
            .map(receipt_row)
            .collect())
        })?;
        rows.into_iter().map(|r| self.completed(r)).collect()
    }
}
