//! Signatures of issued letters on PostgreSQL: the statements of `crate::signed` for the
//! server, the signature and its audit entry in one transaction, after the last signature
//! (locked, so two clerks signing at once cannot both build on the same copy).

use postgres::Row;

use super::ops::append;
use super::{PgRegister, WriteError};
use crate::now_text;
use crate::post::sha;
use crate::signed::{
    detail, not_signable, signed_meanwhile, NewSignature, Signature, SignatureKind,
};
use saraban_model::error::Error;
use saraban_model::Result;

const COLUMNS: &str = "id, letter_id, seq, kind, signer, position, certificate, level, signed_at, timestamp, signed_by, pdf_sha256, octet_length(pdf)::bigint";

fn row(r: &Row) -> Signature {
    Signature {
        id: r.get(0),
        letter_id: r.get(1),
        seq: r.get(2),
        kind: SignatureKind::of(r.get(3)),
        signer: r.get(4),
        position: r.get(5),
        certificate: r.get(6),
        level: r.get(7),
        signed_at: r.get(8),
        timestamp: r.get(9),
        signed_by: r.get(10),
        pdf_sha256: r.get(11),
        size: r.get(12),
    }
}

fn no_signature(id: i64) -> Error {
    Error::NotFound {
        th: format!("ไม่พบลายมือชื่อ {id}"),
        en: format!("no signature {id}"),
    }
}

impl PgRegister {
    pub(super) fn add_signature_now(&mut self, n: &NewSignature) -> Result<Signature> {
        if self.read_only {
            return Err(super::ops::read_only());
        }
        self.anchor_ready()?;
        let user = self.user.clone();
        let (id, head) = self.write(|c| {
            let mut tx = c.transaction()?;
            let letter = tx.query_opt(
                "SELECT status, coalesce(number_text, ''), coalesce(pdf_sha256, '') FROM letters WHERE id = $1 FOR UPDATE",
                &[&n.letter_id],
            )?;
            let Some(letter) = letter else {
                return Err(WriteError::Saraban(crate::issue::not_found(&n.letter_id.to_string())));
            };
            let (status, number, issued_sha): (String, String, String) =
                (letter.get(0), letter.get(1), letter.get(2));
            if status != "issued" {
                return Err(WriteError::Saraban(not_signable(&number, &status)));
            }
            let last = tx.query_opt(
                "SELECT seq, pdf_sha256 FROM signatures WHERE letter_id = $1 ORDER BY seq DESC LIMIT 1",
                &[&n.letter_id],
            )?;
            let (seq, base): (i64, String) = match last {
                Some(r) => (r.get::<_, i64>(0) + 1, r.get(1)),
                None => (1, issued_sha),
            };
            if base != n.base_sha256 {
                return Err(WriteError::Saraban(signed_meanwhile()));
            }
            let pdf_sha = sha(&n.pdf);
            let id: i64 = tx
                .query_one(
                    "INSERT INTO signatures (letter_id, seq, kind, signer, position, certificate, level, signed_at, timestamp, signed_by, pdf, pdf_sha256)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
                    &[&n.letter_id, &seq, &n.kind.name(), &n.signer, &n.position, &n.certificate, &n.level, &now_text(), &n.timestamp, &user, &n.pdf, &pdf_sha],
                )?
                .get(0);
            let head = append(&mut tx, &user, "sign", Some(n.letter_id), &detail(id, seq, n, &pdf_sha))?;
            tx.commit()?;
            Ok((id, head))
        })?;
        self.anchor(head.0, &head.1)?;
        self.signature_now(id)
    }

    fn signature_now(&self, id: i64) -> Result<Signature> {
        self.read(|c| {
            Ok(c.query_opt(
                &format!("SELECT {COLUMNS} FROM signatures WHERE id = $1"),
                &[&id],
            )?
            .map(|r| row(&r)))
        })?
        .ok_or_else(|| no_signature(id))
    }

    pub(super) fn signatures_now(&self, letter_id: i64) -> Result<Vec<Signature>> {
        self.read(|c| {
            Ok(c.query(
                &format!("SELECT {COLUMNS} FROM signatures WHERE letter_id = $1 ORDER BY seq"),
                &[&letter_id],
            )?
            .iter()
            .map(row)
            .collect())
        })
    }

    pub(super) fn signed_pdf_now(&self, id: i64) -> Result<Vec<u8>> {
        let (pdf, want): (Vec<u8>, String) = self
            .read(|c| {
                Ok(c.query_opt(
                    "SELECT pdf, pdf_sha256 FROM signatures WHERE id = $1",
                    &[&id],
                )?
                .map(|r| (r.get(0), r.get(1))))
            })?
            .ok_or_else(|| no_signature(id))?;
        crate::post::checked("ฉบับลงนาม", "signed copy", id, pdf, &want)
    }

    pub(super) fn signature_by_sha_now(&self, sha256: &str) -> Result<Option<Signature>> {
        self.read(|c| {
            Ok(c.query_opt(
                &format!("SELECT {COLUMNS} FROM signatures WHERE pdf_sha256 = $1 LIMIT 1"),
                &[&sha256],
            )?
            .map(|r| row(&r)))
        })
    }
}
