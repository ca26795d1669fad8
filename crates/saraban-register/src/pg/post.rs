//! The mailbox's records on PostgreSQL: the statements of `crate::post` for the server
//! (the address book, the sendings with their messages, the messages fetched), each change
//! in one transaction with its audit entry.

use postgres::Row;

use super::ops::append;
use super::PgRegister;
use crate::now_text;
use crate::post::{
    sha, AddressEntry, Attempt, MailIn, MailState, NewMail, NewSending, Sending, SendingKind,
    SendingStatus,
};
use saraban_model::error::Error;
use saraban_model::Result;

const SENDING_COLUMNS: &str = "id, kind, letter_id, receipt_id, name, address, message_id, eml_sha256, octet_length(eml)::bigint, status, queued_at, queued_by, attempts, sent_at, answer, acknowledged";

fn sending_row(r: &Row) -> Sending {
    Sending {
        id: r.get(0),
        kind: SendingKind::of(r.get(1)),
        letter_id: r.get(2),
        receipt_id: r.get(3),
        name: r.get(4),
        address: r.get(5),
        message_id: r.get(6),
        eml_sha256: r.get(7),
        size: r.get(8),
        status: SendingStatus::of(r.get(9)),
        queued_at: r.get(10),
        queued_by: r.get(11),
        attempts: r.get(12),
        sent_at: r.get(13),
        answer: r.get(14),
        acknowledged: r.get(15),
    }
}

const MAIL_COLUMNS: &str = "id, uid, message_id, from_address, from_name, subject, sent_at, fetched_at, eml_sha256, octet_length(eml)::bigint, letters, state, problem, receipt_id";

fn mail_row(r: &Row) -> MailIn {
    MailIn {
        id: r.get(0),
        uid: r.get(1),
        message_id: r.get(2),
        from_address: r.get(3),
        from_name: r.get(4),
        subject: r.get(5),
        sent_at: r.get(6),
        fetched_at: r.get(7),
        eml_sha256: r.get(8),
        size: r.get(9),
        letters: r.get(10),
        state: MailState::of(r.get(11)),
        problem: r.get(12),
        receipt_id: r.get(13),
    }
}

impl PgRegister {
    fn writable(&self) -> Result<()> {
        if self.read_only {
            return Err(super::ops::read_only());
        }
        self.anchor_ready()
    }

    pub(super) fn addresses_now(&self) -> Result<Vec<AddressEntry>> {
        self.read(|c| {
            Ok(c.query(
                "SELECT id, name, address, note FROM addresses ORDER BY name, id",
                &[],
            )?
            .iter()
            .map(|r| AddressEntry {
                id: r.get(0),
                name: r.get(1),
                address: r.get(2),
                note: r.get(3),
            })
            .collect())
        })
    }

    pub(super) fn save_addresses_now(
        &mut self,
        entries: &[(String, String, String)],
    ) -> Result<usize> {
        self.writable()?;
        let user = self.user.clone();
        let (changed, head) = self.write(|c| {
            let mut tx = c.transaction()?;
            let mut changed = 0u64;
            for (name, address, note) in entries {
                changed += tx.execute(
                    "INSERT INTO addresses (name, address, note) VALUES ($1, $2, $3)
                     ON CONFLICT (name) DO UPDATE SET address = excluded.address, note = excluded.note
                     WHERE addresses.address IS DISTINCT FROM excluded.address OR addresses.note IS DISTINCT FROM excluded.note",
                    &[name, address, note],
                )?;
            }
            let head = if changed > 0 {
                Some(append(&mut tx, &user, "addresses", None, &format!("{changed} saved"))?)
            } else {
                None
            };
            tx.commit()?;
            Ok((changed as usize, head))
        })?;
        if let Some((id, hash)) = head {
            self.anchor(id, &hash)?;
        }
        Ok(changed)
    }

    pub(super) fn delete_address_now(&mut self, id: i64) -> Result<()> {
        self.writable()?;
        let user = self.user.clone();
        let (head, hash) = self.write(|c| {
            let mut tx = c.transaction()?;
            let gone = tx.query_opt("SELECT name, address FROM addresses WHERE id = $1", &[&id])?;
            let Some(gone) = gone else {
                return Err(Error::NotFound {
                    th: format!("ไม่พบที่อยู่ {id} ในสมุดที่อยู่"),
                    en: format!("no address {id} in the address book"),
                }
                .into());
            };
            let (name, address): (String, String) = (gone.get(0), gone.get(1));
            tx.execute("DELETE FROM addresses WHERE id = $1", &[&id])?;
            let head = append(
                &mut tx,
                &user,
                "address_delete",
                None,
                &format!("{name}|{address}"),
            )?;
            tx.commit()?;
            Ok(head)
        })?;
        self.anchor(head, &hash)
    }

    pub(super) fn queue_sendings_now(&mut self, new: &[NewSending]) -> Result<Vec<Sending>> {
        self.writable()?;
        let user = self.user.clone();
        let (ids, head) = self.write(|c| {
            let mut tx = c.transaction()?;
            let mut ids = Vec::new();
            let mut head = None;
            for n in new {
                if let Some(r) = tx.query_opt("SELECT id FROM sendings WHERE message_id = $1", &[&n.message_id])? {
                    ids.push(r.get::<_, i64>(0));
                    continue;
                }
                let eml_sha = sha(&n.eml);
                let id: i64 = tx
                    .query_one(
                        "INSERT INTO sendings (kind, letter_id, receipt_id, name, address, message_id, eml, eml_sha256, status, queued_at, queued_by)
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'queued', $9, $10) RETURNING id",
                        &[&n.kind.name(), &n.letter_id, &n.receipt_id, &n.name, &n.address, &n.message_id, &n.eml, &eml_sha, &now_text(), &user],
                    )?
                    .get(0);
                head = Some(append(
                    &mut tx,
                    &user,
                    "mail_queue",
                    n.letter_id,
                    &format!("{id}|{}|{}|{}|{eml_sha}", n.kind.name(), n.address, n.message_id),
                )?);
                ids.push(id);
            }
            tx.commit()?;
            Ok((ids, head))
        })?;
        if let Some((id, hash)) = head {
            self.anchor(id, &hash)?;
        }
        ids.into_iter().map(|id| self.sending_now(id)).collect()
    }

    pub(super) fn sending_now(&self, id: i64) -> Result<Sending> {
        self.read(|c| {
            Ok(c.query_opt(
                &format!("SELECT {SENDING_COLUMNS} FROM sendings WHERE id = $1"),
                &[&id],
            )?
            .map(|r| sending_row(&r)))
        })?
        .ok_or_else(|| crate::post::not_found("การส่ง", id))
    }

    pub(super) fn sendings_now(
        &self,
        letter_id: Option<i64>,
        receipt_id: Option<i64>,
        status: Option<SendingStatus>,
    ) -> Result<Vec<Sending>> {
        let status = status.map(|s| s.name().to_string());
        self.read(|c| {
            Ok(c.query(
                &format!(
                    "SELECT {SENDING_COLUMNS} FROM sendings
                     WHERE ($1::bigint IS NULL OR letter_id = $1) AND ($2::bigint IS NULL OR receipt_id = $2)
                       AND ($3::text IS NULL OR status = $3)
                     ORDER BY id"
                ),
                &[&letter_id, &receipt_id, &status],
            )?
            .iter()
            .map(sending_row)
            .collect())
        })
    }

    pub(super) fn sending_eml_now(&self, id: i64) -> Result<Vec<u8>> {
        let row = self.read(|c| {
            Ok(
                c.query_opt("SELECT eml, eml_sha256 FROM sendings WHERE id = $1", &[&id])?
                    .map(|r| (r.get::<_, Vec<u8>>(0), r.get::<_, String>(1))),
            )
        })?;
        let (eml, want) = row.ok_or_else(|| crate::post::not_found("การส่ง", id))?;
        crate::post::checked("การส่ง", "sending", id, eml, &want)
    }

    pub(super) fn record_attempt_now(&mut self, id: i64, attempt: &Attempt) -> Result<Sending> {
        self.writable()?;
        let user = self.user.clone();
        let head = self.write(|c| {
            let mut tx = c.transaction()?;
            let status: Option<String> = tx
                .query_opt("SELECT status FROM sendings WHERE id = $1 FOR UPDATE", &[&id])?
                .map(|r| r.get(0));
            match status.as_deref() {
                None => return Err(crate::post::not_found("การส่ง", id).into()),
                Some("queued") => {}
                Some(_) => return Ok(None),
            }
            let now = now_text();
            let head = match attempt {
                Attempt::Sent(answer) => {
                    tx.execute(
                        "UPDATE sendings SET status = 'sent', attempts = attempts + 1, sent_at = $2, answer = $3 WHERE id = $1",
                        &[&id, &now, answer],
                    )?;
                    Some(append(&mut tx, &user, "mail_sent", None, &format!("{id}|{now}|{answer}"))?)
                }
                Attempt::Failed(answer) => {
                    tx.execute(
                        "UPDATE sendings SET status = 'failed', attempts = attempts + 1, answer = $2 WHERE id = $1",
                        &[&id, answer],
                    )?;
                    Some(append(&mut tx, &user, "mail_failed", None, &format!("{id}|{now}|{answer}"))?)
                }
                Attempt::Waiting(why) => {
                    tx.execute(
                        "UPDATE sendings SET attempts = attempts + 1, answer = $2 WHERE id = $1",
                        &[&id, why],
                    )?;
                    None
                }
            };
            tx.commit()?;
            Ok(head)
        })?;
        if let Some((h, hash)) = head {
            self.anchor(h, &hash)?;
        }
        self.sending_now(id)
    }

    pub(super) fn acknowledge_now(
        &mut self,
        message_id: &str,
        note: &str,
    ) -> Result<Option<Sending>> {
        self.writable()?;
        let user = self.user.clone();
        let done = self.write(|c| {
            let mut tx = c.transaction()?;
            let Some(r) = tx.query_opt(
                "SELECT id FROM sendings WHERE message_id = $1",
                &[&message_id],
            )?
            else {
                return Ok(None);
            };
            let id: i64 = r.get(0);
            tx.execute(
                "UPDATE sendings SET acknowledged = $2 WHERE id = $1",
                &[&id, &note],
            )?;
            let head = append(&mut tx, &user, "mail_ack", None, &format!("{id}|{note}"))?;
            tx.commit()?;
            Ok(Some((id, head)))
        })?;
        match done {
            None => Ok(None),
            Some((id, (h, hash))) => {
                self.anchor(h, &hash)?;
                self.sending_now(id).map(Some)
            }
        }
    }

    pub(super) fn last_uid_now(&self, mailbox: &str, uid_validity: u32) -> Result<u32> {
        let mailbox = mailbox.to_lowercase();
        let v = i64::from(uid_validity);
        let n: Option<i64> = self.read(|c| {
            Ok(c.query_one(
                "SELECT max(uid) FROM (SELECT uid FROM mail_in WHERE mailbox = $1 AND uid_validity = $2
                   UNION ALL SELECT uid FROM mail_seen WHERE mailbox = $1 AND uid_validity = $2) u",
                &[&mailbox, &v],
            )?
            .get(0))
        })?;
        Ok(n.unwrap_or(0).clamp(0, u32::MAX as i64) as u32)
    }

    pub(super) fn take_mail_now(&mut self, new: &NewMail) -> Result<Option<MailIn>> {
        self.writable()?;
        let user = self.user.clone();
        let mailbox = new.mailbox.to_lowercase();
        let (v, uid) = (i64::from(new.uid_validity), i64::from(new.uid));
        let taken = self.write(|c| {
            let mut tx = c.transaction()?;
            let known = tx.query_opt(
                "SELECT id FROM mail_in WHERE mailbox = $1 AND ((uid_validity = $2 AND uid = $3)
                   OR ($4::text IS NOT NULL AND message_id = $4 AND from_address = $5))",
                &[&mailbox, &v, &uid, &new.message_id, &new.from_address],
            )?;
            if known.is_some() {
                tx.execute(
                    "INSERT INTO mail_seen (mailbox, uid_validity, uid) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
                    &[&mailbox, &v, &uid],
                )?;
                tx.commit()?;
                return Ok(None);
            }
            let eml_sha = sha(&new.eml);
            let id: i64 = tx
                .query_one(
                    "INSERT INTO mail_in (mailbox, uid_validity, uid, message_id, from_address, from_name, subject, sent_at, fetched_at, fetched_by, eml, eml_sha256, letters, state, problem)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id",
                    &[&mailbox, &v, &uid, &new.message_id, &new.from_address, &new.from_name, &new.subject, &new.sent_at, &now_text(), &user, &new.eml, &eml_sha, &new.letters, &new.state.name(), &new.problem],
                )?
                .get(0);
            let head = append(
                &mut tx,
                &user,
                "mail_fetch",
                None,
                &format!("{id}|{}|{}|{}|{eml_sha}|{}", new.uid, new.message_id.as_deref().unwrap_or(""), new.from_address, new.state.name()),
            )?;
            tx.commit()?;
            Ok(Some((id, head)))
        })?;
        match taken {
            None => Ok(None),
            Some((id, (h, hash))) => {
                self.anchor(h, &hash)?;
                self.mail_now(id).map(Some)
            }
        }
    }

    pub(super) fn mail_now(&self, id: i64) -> Result<MailIn> {
        self.read(|c| {
            Ok(c.query_opt(
                &format!("SELECT {MAIL_COLUMNS} FROM mail_in WHERE id = $1"),
                &[&id],
            )?
            .map(|r| mail_row(&r)))
        })?
        .ok_or_else(|| crate::post::not_found("ข้อความ", id))
    }

    pub(super) fn mails_now(&self, states: &[MailState]) -> Result<Vec<MailIn>> {
        let all: Vec<MailIn> = self.read(|c| {
            Ok(c.query(
                &format!("SELECT {MAIL_COLUMNS} FROM mail_in ORDER BY id"),
                &[],
            )?
            .iter()
            .map(mail_row)
            .collect())
        })?;
        Ok(all
            .into_iter()
            .filter(|m| states.is_empty() || states.contains(&m.state))
            .collect())
    }

    pub(super) fn mail_eml_now(&self, id: i64) -> Result<Vec<u8>> {
        let row = self.read(|c| {
            Ok(
                c.query_opt("SELECT eml, eml_sha256 FROM mail_in WHERE id = $1", &[&id])?
                    .map(|r| (r.get::<_, Vec<u8>>(0), r.get::<_, String>(1))),
            )
        })?;
        let (eml, want) = row.ok_or_else(|| crate::post::not_found("ข้อความ", id))?;
        crate::post::checked("ข้อความ", "fetched message", id, eml, &want)
    }

    pub(super) fn settle_mail_now(
        &mut self,
        id: i64,
        state: MailState,
        receipt_id: Option<i64>,
    ) -> Result<MailIn> {
        self.writable()?;
        let user = self.user.clone();
        let (h, hash) = self.write(|c| {
            let mut tx = c.transaction()?;
            let n = tx.execute(
                "UPDATE mail_in SET state = $2, receipt_id = coalesce($3, receipt_id), settled_at = $4, settled_by = $5 WHERE id = $1",
                &[&id, &state.name(), &receipt_id, &now_text(), &user],
            )?;
            if n == 0 {
                return Err(crate::post::not_found("ข้อความ", id).into());
            }
            let head = append(
                &mut tx,
                &user,
                "mail_settle",
                None,
                &format!("{id}|{}|{}", state.name(), receipt_id.map(|r| r.to_string()).unwrap_or_default()),
            )?;
            tx.commit()?;
            Ok(head)
        })?;
        self.anchor(h, &hash)?;
        self.mail_now(id)
    }
}
