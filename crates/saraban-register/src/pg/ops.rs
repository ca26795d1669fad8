//! What the register does, on PostgreSQL: the [`Engine`] of [`PgRegister`].

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use postgres::fallible_iterator::FallibleIterator;
use postgres::types::{ToSql, Type};
use postgres::{Row, Transaction};
use sha2::{Digest, Sha256};

use super::trigram::{grams, indexable, like_pattern, readable, GRAMS_FROM, PROBE};
use super::{
    is_away, pg_error, provisional_id, random_id, schema, server_away, PgRegister, WriteError,
    ISSUE_PATIENCE,
};
use crate::audit::{entry_hash, issue_detail, Kept, ReceiptRow, Shown, Verifier};
use crate::drafts::{no_draft, no_version};
use crate::entry::{cancel_note, entry_select, listing, ENTRY_WIDTH};
use crate::fsutil::Output;
use crate::issue::{
    cancellable, check_reason, dated, historical, next_number_with, not_found, prepare,
    series_full, Prepared,
};
use crate::records::{
    AuditRow, LetterRow, ReceivedRow, Record, SeriesRow, StepRow, VersionRow, LETTER_COLUMNS,
    RECEIVED_COLUMNS,
};
use crate::search::{fold_digits, search_text, short_snippet, stored_search_text, Arg};
use crate::Status;
use crate::{
    now_text, AuditReport, DraftInfo, DraftVersion, Engine, Entry, Hit, IssueOptions, Issued,
    Location, SearchQuery, SqliteRegister,
};
use saraban_model::error::Error;
use saraban_model::letter::{Letter, RunningNumber};
use saraban_model::Result;
use saraban_thai::{localize, to_arabic_digits};

fn entry(r: &Row) -> Entry {
    let status: Status = r.get(1);
    let note = if status == Status::Cancelled {
        cancel_note(r.get(10), r.get(11))
    } else {
        String::new()
    };
    Entry {
        id: r.get(0),
        status,
        kind: r.get::<_, crate::StoredKind>(2).0,
        number: r.get::<_, Option<String>>(3).unwrap_or_default(),
        running: r.get::<_, Option<i64>>(4).unwrap_or_default(),
        year_be: r.get::<_, Option<i64>>(5).unwrap_or_default(),
        date: r.get::<_, Option<String>>(6).unwrap_or_default(),
        subject: r.get(7),
        recipient: r.get(8),
        from: r.get(9),
        note,
        sha256: r.get::<_, Option<String>>(12).unwrap_or_default(),
    }
}

fn kind_name(l: &Letter) -> String {
    l.kind.name().to_string()
}

fn to_json(l: &Letter) -> Result<String> {
    serde_json::to_string(l).map_err(|e| Error::Pdf(e.to_string()))
}

/// Appends an entry to the audit chain, under the lock of its head row (taken last in
/// every writing transaction, so writers never wait on each other in a circle).
pub(super) fn append(
    tx: &mut Transaction<'_>,
    user: &str,
    action: &str,
    letter: Option<i64>,
    detail: &str,
) -> std::result::Result<(i64, String), postgres::Error> {
    let head = tx.query_one("SELECT id, hash FROM audit_head FOR UPDATE", &[])?;
    let (last, prev): (i64, String) = (head.get(0), head.get(1));
    let id = last + 1;
    let at = now_text();
    let hash = entry_hash(id, &at, user, action, letter, detail, &prev);
    tx.execute(
        "INSERT INTO audit (id, at, \"user\", action, letter_id, detail, prev_hash, hash)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        &[&id, &at, &user, &action, &letter, &detail, &prev, &hash],
    )?;
    tx.execute("UPDATE audit_head SET id = $1, hash = $2", &[&id, &hash])?;
    Ok((id, hash))
}

/// Saves a draft (shared with the sending of drafts that waited for the server).
pub(super) fn save_draft(reg: &PgRegister, id: Option<i64>, letter: &Letter) -> Result<i64> {
    // Whatever the clerk typed is stored in the form it reads back in.
    let letter = &letter.clone().for_storage();
    let json = to_json(letter)?;
    let now = now_text();
    let (title, recipient, sender) = listing(letter);
    let kind = kind_name(letter);
    reg.write(|c| {
        let mut tx = c.transaction()?;
        let id = match id {
            Some(id) => {
                let same = tx.query_opt(
                    "SELECT letter_json = $2 FROM letters WHERE id = $1 AND status = 'draft'",
                    &[&id, &json],
                )?;
                match same.map(|r| r.get::<_, bool>(0)) {
                    Some(true) => return Ok(id),
                    Some(false) => {}
                    None => return Err(no_draft(id).into()),
                }
                tx.execute(
                    "UPDATE letters SET letter_json = $2, title = $3, kind = $4, updated_at = $5, recipient = $6, sender = $7
                     WHERE id = $1 AND status = 'draft'",
                    &[&id, &json, &title, &kind, &now, &recipient, &sender],
                )?;
                id
            }
            None => tx
                .query_one(
                    "INSERT INTO letters (status, kind, title, created_at, updated_at, letter_json, recipient, sender)
                     VALUES ('draft', $1, $2, $3, $3, $4, $5, $6) RETURNING id",
                    &[&kind, &title, &now, &json, &recipient, &sender],
                )?
                .get(0),
        };
        tx.execute(
            "INSERT INTO letter_versions (letter_id, saved_at, letter_json) VALUES ($1, $2, $3)",
            &[&id, &now, &json],
        )?;
        tx.commit()?;
        Ok(id)
    })
}

/// How one attempt to issue ended.
enum Attempt {
    Done(Issued),
    /// The server went away: try again on a new connection with the same token.
    Away,
    Failed(Error),
}

impl PgRegister {
    fn next_free(&self, prefix: &str, kind: &str, year_be: i64) -> Result<RunningNumber> {
        let last: i64 = self.read(|c| {
            Ok(c.query_opt(
                "SELECT last FROM series WHERE prefix = $1 AND kind = $2 AND year_be = $3",
                &[&prefix, &kind, &year_be],
            )?
            .map(|r| r.get(0))
            .unwrap_or(0))
        })?;
        RunningNumber::new(last + 1).ok_or_else(|| series_full(prefix, year_be))
    }

    /// Takes a ticket in the issue queue of a series (ทะเบียนหนังสือส่ง), and the number the
    /// letter will most likely get: the last number issued plus the clerks ahead, those
    /// whose tickets are newer than the newest served. Eight clerks issuing at once each
    /// typeset with their own number, outside the counter's lock, instead of all with the
    /// same one and seven again inside it. `None` when the series has no letter yet.
    ///
    /// The ticket is also a session advisory lock, held until [`PgRegister::leave`]: the
    /// clerk behind waits for it ([`PgRegister::wait_turn`]) before it takes the counter,
    /// so that clerks take their numbers in the order of their tickets, as guessed (each
    /// typesets in its own time; the first done would otherwise take the first number).
    ///
    /// One statement, committed at once and never to disk (the queue is unlogged): a
    /// ticket lost in a crash only makes a guess wrong, and a wrong guess only costs a
    /// second typesetting inside the lock. A ticket never taken up (a clerk that gave up)
    /// is forgotten when a newer one is served, and its lock ends with its connection;
    /// after a crash the queue starts again from the newest served ticket.
    fn take_ticket(&self, p: &Prepared) -> Result<Option<Ticket>> {
        let row = self.read(|c| {
            c.query_opt(
                "WITH s AS (SELECT id, last, served FROM series
                            WHERE prefix = $1 AND kind = $2 AND year_be = $3),
                      q AS (INSERT INTO series_queue (series_id, taken) SELECT id, served + 1 FROM s
                            ON CONFLICT (series_id)
                            DO UPDATE SET taken = greatest(series_queue.taken, excluded.taken - 1) + 1
                            RETURNING series_id, taken)
                 SELECT s.last, s.served, q.taken, q.series_id,
                        pg_advisory_lock(hashint8(q.series_id), (q.taken % 2147483647)::int4)::text
                 FROM s, q",
                &[&p.prefix, &p.kind, &p.year_be],
            )
        })?;
        let Some(row) = row else {
            return Ok(None);
        };
        let (last, served, taken, series): (i64, i64, i64, i64) =
            (row.get(0), row.get(1), row.get(2), row.get(3));
        let ahead = (taken - served - 1).max(0);
        // No guess past the series' last number: the issue says it is full.
        let predicted = RunningNumber::new(last.saturating_add(1).saturating_add(ahead));
        Ok(Some(Ticket {
            series,
            number: taken,
            predicted,
        }))
    }

    /// Waits (at most [`TURN_PATIENCE`]) until the clerk with the ticket before this one
    /// has issued or gone. Waiting longer only costs a second typesetting, so a clerk
    /// that stalls holds no one up for long.
    fn wait_turn(&self, ticket: &Ticket) {
        let before = ticket.number - 1;
        let waited = self.write(|c| {
            let mut tx = c.transaction()?;
            tx.batch_execute(&format!(
                "SET LOCAL lock_timeout = '{}ms'",
                TURN_PATIENCE.as_millis()
            ))?;
            tx.query_one(
                "SELECT pg_advisory_lock(hashint8($1::bigint), ($2::bigint % 2147483647)::int4)::text,
                        pg_advisory_unlock(hashint8($1::bigint), ($2::bigint % 2147483647)::int4)",
                &[&ticket.series, &before],
            )?;
            tx.commit()?;
            Ok(())
        });
        if let Err(e) = waited {
            tracing::debug!("the clerk ahead kept its turn: {e}");
        }
    }

    /// Gives the ticket's turn to the clerk behind (its lock would end with the
    /// connection anyway).
    fn leave(&self, ticket: &Ticket) {
        let _ = self.write(|c| {
            c.query_one(
                "SELECT pg_advisory_unlock(hashint8($1::bigint), ($2::bigint % 2147483647)::int4)",
                &[&ticket.series, &ticket.number],
            )?;
            Ok(())
        });
    }

    /// One attempt to issue, in one transaction. `token` names this issue across attempts:
    /// a retry after a lost `COMMIT` finds the letter already there.
    #[allow(clippy::too_many_arguments)]
    fn try_issue(
        &self,
        letter: &Letter,
        p: &Prepared,
        opts: &IssueOptions,
        token: &str,
        ticket: i64,
        rendered: &mut Option<(RunningNumber, Vec<u8>)>,
        render: &mut dyn FnMut(&Letter) -> Result<Vec<u8>>,
    ) -> Attempt {
        let mut guard = match self.client_within(ISSUE_PATIENCE) {
            Ok(g) => g,
            Err(e) => return Attempt::Failed(e),
        };
        let client = guard.as_mut().expect("connected");
        let result = (|| -> std::result::Result<(Issued, i64, String), WriteError> {
            let mut tx = client.transaction()?;
            if let Some(r) = tx.query_opt(
                "SELECT id, number_text, running, year_be, issued_date, pdf_sha256 FROM letters WHERE issue_token = $1",
                &[&token],
            )? {
                let head = tx.query_one("SELECT id, hash FROM audit_head", &[])?;
                return Ok((
                    Issued {
                        id: r.get(0),
                        number: r.get(1),
                        running: r.get(2),
                        year_be: r.get(3),
                        date: r.get(4),
                        sha256: r.get(5),
                    },
                    head.get(0),
                    head.get(1),
                ));
            }
            tx.execute(
                "INSERT INTO series (prefix, kind, year_be, last) VALUES ($1, $2, $3, 0)
                 ON CONFLICT (prefix, kind, year_be) DO NOTHING",
                &[&p.prefix, &p.kind, &p.year_be],
            )?;
            // The counter row's lock makes the clerks of this series take turns; it is
            // held to the commit, and a rollback gives the number back.
            let (series_id, running) = match p.carried {
                Some(r) => {
                    let row = tx.query_one(
                        "UPDATE series SET last = greatest(last, $4) WHERE prefix = $1 AND kind = $2 AND year_be = $3
                         RETURNING id",
                        &[&p.prefix, &p.kind, &p.year_be, &r.get()],
                    )?;
                    let series_id: i64 = row.get(0);
                    if let Some(t) = tx.query_opt(
                        "SELECT id FROM letters WHERE series_id = $1 AND year_be = $2 AND running = $3",
                        &[&series_id, &p.year_be, &r.get()],
                    )? {
                        return Err(crate::issue::number_taken(r, p.year_be, t.get(0)).into());
                    }
                    (series_id, r)
                }
                None => {
                    let row = tx.query_one(
                        "UPDATE series SET last = last + 1, served = greatest(served, $4)
                         WHERE prefix = $1 AND kind = $2 AND year_be = $3
                         RETURNING id, last",
                        &[&p.prefix, &p.kind, &p.year_be, &ticket],
                    )?;
                    let running = RunningNumber::new(row.get(1))
                        .ok_or_else(|| series_full(&p.prefix, p.year_be))?;
                    (row.get::<_, i64>(0), running)
                }
            };
            let issued = dated(letter, running, p.date);
            let pdf = match rendered.take() {
                Some((r, pdf)) if r == running => pdf,
                _ => render(&issued)?,
            };
            // Kept for another attempt with the same number.
            *rendered = Some((running, pdf.clone()));
            let sha = crate::entry::hex(&Sha256::digest(&pdf));
            let number = localize(&issued.number_text(), issued.digits).into_owned();
            let json = to_json(&issued)?;
            let now = now_text();
            let kind = kind_name(&issued);
            let (title, recipient, sender) = listing(&issued);
            let search = indexable(&search_text(&issued, &number));
            let search_grams = grams(&search);
            let date = p.date.to_string();
            let historical = i64::from(opts.keep_number);
            let r = running.get();
            // The issued letter's columns, $1 to $18; a draft's id is $19.
            let mut params: Vec<&(dyn ToSql + Sync)> = vec![
                &kind,
                &title,
                &now,
                &json,
                &series_id,
                &p.year_be,
                &r,
                &number,
                &date,
                &self.user,
                &pdf,
                &sha,
                &historical,
                &recipient,
                &sender,
                &search,
                &token,
                &search_grams,
            ];
            let id: i64 = match &opts.draft {
                    Some(draft) => {
                        params.push(draft);
                        let changed = tx.execute(
                            "UPDATE letters SET status = 'issued', kind = $1, title = $2, updated_at = $3, letter_json = $4,
                                series_id = $5, year_be = $6, running = $7, number_text = $8, issued_date = $9,
                                issued_at = $3, issued_by = $10, pdf = $11, pdf_sha256 = $12, historical = $13,
                                recipient = $14, sender = $15, search_text = $16, issue_token = $17,
                                search_grams = $18
                             WHERE id = $19 AND status = 'draft'",
                            &params,
                        )?;
                        if changed == 0 {
                            return Err(no_draft(*draft).into());
                        }
                        *draft
                    }
                    None => tx
                        .query_one(
                            "INSERT INTO letters (status, kind, title, created_at, updated_at, letter_json, series_id, year_be,
                                running, number_text, issued_date, issued_at, issued_by, pdf, pdf_sha256, historical,
                                recipient, sender, search_text, issue_token, search_grams)
                             VALUES ('issued', $1, $2, $3, $3, $4, $5, $6, $7, $8, $9, $3, $10, $11, $12, $13, $14, $15, $16, $17, $18)
                             RETURNING id",
                            &params,
                        )?
                        .get(0),
                };
            let action = if opts.keep_number { "import" } else { "issue" };
            let (head, hash) = append(
                &mut tx,
                &self.user,
                action,
                Some(id),
                &issue_detail(&number, &date, &sha, &json),
            )?;
            // Fault injection for the tests: a clerk killed inside the transaction.
            fail::fail_point!("pg-before-commit");
            tx.commit()?;
            Ok((
                Issued {
                    id,
                    number,
                    running: r,
                    year_be: p.year_be,
                    date,
                    sha256: sha,
                },
                head,
                hash,
            ))
        })();
        drop(guard);
        match result {
            Ok((issued, head, hash)) => match self.anchor(head, &hash) {
                Ok(()) => Attempt::Done(issued),
                Err(e) => {
                    Attempt::Failed(super::super::issue::committed_unanchored(&issued.number, e))
                }
            },
            Err(WriteError::Pg(e)) if is_away(&e) => {
                self.lost();
                Attempt::Away
            }
            Err(WriteError::Pg(e)) => Attempt::Failed(pg_error(e, &self.shown)),
            Err(WriteError::Saraban(e)) => Attempt::Failed(e),
        }
    }

    fn query_all<T>(
        &self,
        sql: &str,
        params: &[&(dyn ToSql + Sync)],
        f: impl Fn(&Row) -> T,
    ) -> Result<Vec<T>> {
        self.read(|c| Ok(c.query(sql, params)?.iter().map(&f).collect()))
    }

    /// [`Self::query_all`] with the parameters' types given: one round trip to the
    /// server instead of one to prepare the statement and another to run it.
    fn query_all_typed<T>(
        &self,
        sql: &str,
        params: &[(&(dyn ToSql + Sync), Type)],
        f: impl Fn(&Row) -> T,
    ) -> Result<Vec<T>> {
        self.read(|c| Ok(c.query_typed(sql, params)?.iter().map(&f).collect()))
    }

    /// A search as SQL over `letters l`; see [`Where`].
    fn where_clause(q: &SearchQuery) -> Where {
        let (filters, conditions) = q.conditions(|n| format!("${n}"));
        let mut args: Vec<(Box<dyn ToSql + Sync>, Type)> = conditions
            .into_iter()
            .map(|a| -> (Box<dyn ToSql + Sync>, Type) {
                match a {
                    Arg::Int(i) => (Box::new(i), Type::INT8),
                    Arg::Text(t) => (Box::new(t), Type::TEXT),
                }
            })
            .collect();
        let text = q.folded_text();
        let (mut exact, mut indexed) = (String::new(), String::new());
        if let Some(t) = &text {
            if t.chars().count() >= GRAMS_FROM {
                args.push((Box::new(indexable(t)), Type::TEXT));
                exact = format!(" AND strpos(l.search_text, ${}) > 0", args.len());
                args.push((Box::new(format!("%{}%", grams(&indexable(t)))), Type::TEXT));
                indexed = format!(" AND l.search_grams LIKE ${}", args.len());
            } else {
                args.push((Box::new(like_pattern(t)), Type::TEXT));
                exact = format!(" AND l.search_text LIKE ${}", args.len());
                if t.chars().count() < crate::search::SHORT_TEXT {
                    exact.push_str(&format!(
                        " AND l.id > (SELECT coalesce(max(id), 0) FROM letters) - {}",
                        crate::search::SHORT_TEXT_WINDOW
                    ));
                }
            }
        }
        Where {
            from: format!("FROM letters l WHERE true {filters}"),
            exact,
            indexed,
            args,
            text,
        }
    }
}

/// A search as SQL: `from` holds its filters but not its text; `exact` finds the text in
/// a letter read, and `indexed`, when there is one, is what an index looks it up by (its
/// argument is the last, so a query without it passes [`Where::params_exact`]). Each
/// argument comes with its type, so that every statement of a search is sent and run in
/// one round trip (`query_typed`).
struct Where {
    from: String,
    exact: String,
    indexed: String,
    args: Vec<(Box<dyn ToSql + Sync>, Type)>,
    /// The folded text looked for.
    text: Option<String>,
}

impl Where {
    fn params(&self) -> Vec<(&(dyn ToSql + Sync), Type)> {
        self.args
            .iter()
            .map(|(a, t)| (a.as_ref(), t.clone()))
            .collect()
    }
    fn params_exact(&self) -> Vec<(&(dyn ToSql + Sync), Type)> {
        let mut p = self.params();
        if !self.indexed.is_empty() {
            p.pop();
        }
        p
    }
}

impl PgRegister {
    /// Whether the register has the block-keyed search index (asked once a connection).
    fn has_blocks(
        &self,
        tx: &mut impl postgres::GenericClient,
    ) -> std::result::Result<bool, postgres::Error> {
        if let Some(b) = self.blocks.get() {
            return Ok(b);
        }
        let b = schema::has_blocks(tx)?;
        self.blocks.set(Some(b));
        Ok(b)
    }
}

/// A clerk's place in the issue queue of a series (see [`PgRegister::take_ticket`]).
struct Ticket {
    /// The series' id.
    series: i64,
    /// The ticket's number in the series' queue.
    number: i64,
    /// The running number the letter will most likely get.
    predicted: Option<RunningNumber>,
}

/// How many letters spread over the newest block a search reads to judge how common its
/// substring is (besides the newest `PROBE`).
const SPREAD: i64 = 100;

/// The longest a clerk waits for the clerk ahead in the issue queue.
const TURN_PATIENCE: Duration = Duration::from_secs(2);

/// What a search costs the server, in letters the walk back from the newest reads and
/// checks (the unit; 4.6 µs each on the million-letter bench register): a candidate the
/// block-keyed index names costs about three, since each lies on a page of its own and is
/// checked against both columns (10 ms for the 668 of one block, against 3.6 ms for a walk
/// over 762 letters), and each block asked costs about 150 besides (its index lookup and
/// the statement: 0.5–2 ms).
const BLOCK_CANDIDATE_COST: f64 = 3.0;
const BLOCK_QUESTION_COST: f64 = 150.0;

/// Whether walking back from the newest letter finds the `wanted` newest matches more
/// cheaply than asking the block-keyed index block by block, when `found` of `read`
/// letters sampled among the newest match and the newest id is `newest`. The walk reads
/// about `wanted / d` letters for a density `d`; the blocks read every candidate of each
/// block they ask (a bitmap has no order to stop early in): the newest block, begun with
/// the letters since `newest`'s block began, and as many whole ones after it as `d` says
/// are needed. Nothing found: the blocks (the walk would have no bound).
fn walk_is_cheaper(found: i64, read: i64, newest: i64, wanted: i64) -> bool {
    if found <= 0 || read <= 0 {
        return false;
    }
    let d = found as f64 / read as f64;
    let block = (1i64 << schema::BLOCK_SHIFT) as f64;
    let walk = wanted as f64 / d;
    let (first, more) = blocks_needed(d, newest, wanted);
    let blocks =
        (1.0 + more) * BLOCK_QUESTION_COST + BLOCK_CANDIDATE_COST * d * (first + more * block);
    walk <= blocks
}

/// The letters in the newest block (the one `newest` is in), and how many whole blocks
/// after it hold the `wanted` newest matches at a density `d` (> 0).
fn blocks_needed(d: f64, newest: i64, wanted: i64) -> (f64, f64) {
    let block = (1i64 << schema::BLOCK_SHIFT) as f64;
    let first = (newest - ((newest >> schema::BLOCK_SHIFT) << schema::BLOCK_SHIFT) + 1) as f64;
    let short = (wanted as f64 - d * first).max(0.0);
    (first, (short / (d * block)).ceil())
}

/// The search's first statement where the register has the block-keyed index: the newest
/// matches (`probe`, as the statement of its own would find them) and, on every row after
/// their columns, the newest id (from the primary key, before the planner's settings that
/// would have the server read the whole table for it) with how many of SPREAD letters
/// spread over the newest block match and how many were read. The spread letters are
/// read only when the newest did not fill the page; with no match among the newest, one
/// row holds the counts alone (its letter's columns empty). One statement where two were:
/// a search that goes on to the blocks saves a round trip and a plan.
fn probe_and_spread(probe: &str, w: &Where, wanted: i64) -> String {
    let Where { from, exact, .. } = w;
    let step = ((1i64 << schema::BLOCK_SHIFT) / SPREAD).max(1);
    format!(
        "WITH probe AS MATERIALIZED ({probe}),
              newest AS (SELECT coalesce(max(id), 0) AS id FROM letters),
              spread AS (SELECT (SELECT id FROM newest) AS newest,
                                count(*) FILTER (WHERE true {exact}) AS found, count(*) AS read
                         {from} AND l.id = ANY(ARRAY(SELECT n.id - k * {step} FROM newest n,
                                                     generate_series(1, {SPREAD}) k
                                                     WHERE n.id - k * {step} > 0))
                           AND (SELECT count(*) FROM probe) < {wanted})
         SELECT probe.*, spread.newest, spread.found, spread.read
         FROM spread LEFT JOIN probe ON true ORDER BY probe.id DESC"
    )
}

/// The most blocks one statement asks for (see [`by_blocks`]): planning each costs about
/// 0.05 ms, a statement of its own about 0.3 ms.
const MOST_BLOCKS_ASKED: i64 = 8;

/// How many blocks a statement asks for, the newest first, when `wanted` more matches
/// are to be found at `d` matches a letter: those `d` says hold them and one more (the
/// server reads no more of them than it needs, see [`by_blocks`]).
fn blocks_to_ask(d: f64, newest: i64, wanted: i64) -> i64 {
    if d <= 0.0 || !d.is_finite() {
        return 2;
    }
    let (_, more) = blocks_needed(d, newest, wanted);
    (more as i64 + 2).clamp(1, MOST_BLOCKS_ASKED)
}

/// Matches too rare to be worth another block: fewer than this many expected in the rest
/// of the register are read in one go (reading one costs about what asking one more
/// block does for a few).
const READ_THE_REST: f64 = 300.0;

/// The newest `wanted` matches of a search of four characters or more (the newest id in
/// the register is `newest`, and `d` the share of the newest letters that match), asked
/// of the block-keyed index (`letters_grams_block`) block by block from the newest, so
/// that a substring with thousands of matches in the register reads about `wanted` of
/// them, not all. Once the blocks read say the rest of the register holds few matches, the
/// rest is asked for at once (a substring with none among the newest costs two questions).
///
/// One statement asks for several blocks, each a branch of a `UNION ALL` under one
/// `LIMIT`: the server reads them in turn, newest first, and stops at the branch that
/// fills the page, so a block asked for and not needed costs only its planning. (A list
/// or a range of blocks in one condition is no key of the index: `= ANY` has the server
/// read every match in the register, 5 s on a million letters, and `BETWEEN` scans the
/// index from the first block.)
fn by_blocks(
    tx: &mut Transaction<'_>,
    w: &Where,
    select: &str,
    newest: i64,
    wanted: i64,
    d: f64,
) -> std::result::Result<Vec<Row>, postgres::Error> {
    let Where {
        from,
        exact,
        indexed,
        ..
    } = w;
    let shift = schema::BLOCK_SHIFT;
    let mut found: Vec<Row> = Vec::new();
    let mut block = newest >> shift;
    let mut asked = blocks_to_ask(d, newest, wanted);
    loop {
        let need = wanted - found.len() as i64;
        let last = (block - asked + 1).max(0);
        // `::bigint`: the index's key is `id >> 13`, a bigint; an integer literal would
        // make the block a filter of every match instead of a key of the index.
        let branches: Vec<String> = (last..=block)
            .rev()
            .map(|b| {
                format!(
                    "({select}, l.search_text {from} AND (l.id >> {shift}) = {b}::bigint {indexed} {exact}
                      ORDER BY l.id DESC LIMIT {need})"
                )
            })
            .collect();
        let sql = format!(
            "SELECT * FROM ({}) AS found LIMIT {need}",
            branches.join(" UNION ALL ")
        );
        found.extend(tx.query_typed(&sql, &w.params())?);
        // In the order of the blocks asked, each newest first; said again, not assumed.
        found.sort_by_key(|r| std::cmp::Reverse(r.get::<_, i64>(0)));
        if found.len() as i64 >= wanted || last == 0 {
            return Ok(found);
        }
        block = last;
        let start = block << shift;
        let looked = (newest - start + 1).max(1) as f64;
        // One more than found: none found among a few hundred letters (the newest
        // block just begun) does not yet say that the rest holds few.
        let expected = (found.len() as f64 + 1.0) / looked * start as f64;
        if expected < READ_THE_REST {
            let need = wanted - found.len() as i64;
            // `+ 0`: the id bounds only filter what the grams' index names.
            let sql = format!(
                "{select}, l.search_text {from} AND l.id + 0 < {start} {indexed} {exact}
                 ORDER BY l.id DESC LIMIT {need}"
            );
            found.extend(tx.query_typed(&sql, &w.params())?);
            return Ok(found);
        }
        let rate = (found.len() as f64 + 1.0) / looked;
        asked = blocks_to_ask(rate, start - 1, wanted - found.len() as i64);
        block -= 1;
    }
}

impl Engine for PgRegister {
    fn setup_note(&self) -> Option<(String, String)> {
        self.note.borrow().clone()
    }
    fn location(&self) -> Location {
        Location::Server(self.shown.clone())
    }
    fn user(&self) -> &str {
        &self.user
    }
    fn is_read_only(&self) -> bool {
        self.read_only
    }
    fn own_files(&self) -> Vec<PathBuf> {
        vec![self.anchor_file()]
    }
    fn reader(&self) -> Result<super::super::Register> {
        Ok(super::super::Register::new(PgRegister::connect_with(
            self.config.clone(),
            self.tls.clone(),
            self.shown.clone(),
            crate::Access::Read,
            self.local.clone(),
        )?))
    }
    fn created(&self) -> bool {
        self.created
    }

    /// With the server away nothing typed is lost: the draft waits on this computer. A
    /// new draft then gets a provisional (negative) id, under which its later saves wait
    /// too and become one server draft once the server is back.
    fn save_draft(&mut self, id: Option<i64>, letter: &Letter) -> Result<i64> {
        let provisional = id.filter(|i| *i < 0);
        let on_server = match id {
            Some(p) if p < 0 => self.on_server(p),
            other => other,
        };
        match save_draft(self, on_server, letter) {
            Ok(saved) => {
                if let Some(p) = provisional {
                    self.sent.borrow_mut().insert(p, saved);
                }
                Ok(saved)
            }
            Err(Error::Register { th, en }) if self.client.borrow().is_none() => match on_server {
                None => {
                    let p = provisional.unwrap_or_else(provisional_id);
                    self.keep_waiting(p, letter)?;
                    Ok(p)
                }
                Some(id) => {
                    let kept = self.keep_waiting(id, letter)?;
                    Err(Error::Register {
                        th: format!("{th} (เก็บร่างไว้ในเครื่องนี้ที่ {} และจะส่งขึ้นเซิร์ฟเวอร์เมื่อเชื่อมต่อได้)", kept.display()),
                        en: format!("{en} (the draft is kept on this computer at {} and goes to the server on the next connection)", kept.display()),
                    })
                }
            },
            other => other,
        }
    }
    fn drafts(&self) -> Result<Vec<DraftInfo>> {
        self.query_all(
            "SELECT l.id, l.title, l.kind, l.updated_at, (SELECT count(*) FROM letter_versions v WHERE v.letter_id = l.id)
             FROM letters l WHERE l.status = 'draft' ORDER BY l.updated_at DESC, l.id DESC",
            &[],
            |r| DraftInfo {
                id: r.get(0),
                title: r.get(1),
                kind: r.get::<_, crate::StoredKind>(2).0,
                updated_at: r.get(3),
                versions: r.get(4),
            },
        )
    }
    fn open_draft(&self, id: i64) -> Result<Letter> {
        let id = match self.on_server(id) {
            Some(id) => id,
            None => return self.waiting_letter(id).ok_or_else(|| no_draft(id)),
        };
        let json = self
            .query_all(
                "SELECT letter_json FROM letters WHERE id = $1 AND status = 'draft'",
                &[&id],
                |r| r.get::<_, String>(0),
            )?
            .pop()
            .ok_or_else(|| no_draft(id))?;
        Letter::from_stored_json(&json)
    }
    fn draft_versions(&self, id: i64) -> Result<Vec<DraftVersion>> {
        let Some(id) = self.on_server(id) else {
            return Ok(Vec::new());
        };
        let rows = self.query_all(
            "SELECT id, saved_at, letter_json FROM letter_versions WHERE letter_id = $1 ORDER BY id DESC",
            &[&id],
            |r| (r.get(0), r.get(1), r.get(2)),
        )?;
        Ok(crate::drafts::versions(rows))
    }
    fn draft_version(&self, id: i64, version: i64) -> Result<Letter> {
        let id = self.on_server(id).unwrap_or(id);
        let json = self
            .query_all(
                "SELECT letter_json FROM letter_versions WHERE id = $1 AND letter_id = $2",
                &[&version, &id],
                |r| r.get::<_, String>(0),
            )?
            .pop()
            .ok_or_else(|| no_version(id, version))?;
        Letter::from_stored_json(&json)
    }
    fn delete_draft(&mut self, id: i64) -> Result<()> {
        let Some(id) = self.on_server(id) else {
            self.forget_waiting(id);
            return Ok(());
        };
        let n = self.write(|c| {
            Ok(c.execute(
                "DELETE FROM letters WHERE id = $1 AND status = 'draft'",
                &[&id],
            )?)
        })?;
        if n == 0 {
            return Err(no_draft(id));
        }
        Ok(())
    }

    fn next_number(&self, letter: &Letter, date: NaiveDate) -> Result<(String, i64)> {
        next_number_with(letter, date, |prefix, kind, year| {
            self.next_free(prefix, kind, year)
        })
    }

    fn issue_with(
        &mut self,
        letter: &Letter,
        opts: &IssueOptions,
        render: &mut dyn FnMut(&Letter) -> Result<Vec<u8>>,
    ) -> Result<Issued> {
        if self.read_only {
            return Err(read_only());
        }
        self.anchor_ready()?;
        // A draft still waiting on this computer: the server first (it takes the drafts
        // that wait before anything else), then the draft it became.
        let mapped;
        let opts = match opts.draft.filter(|d| *d < 0) {
            Some(p) => {
                drop(self.client_within(ISSUE_PATIENCE)?);
                mapped = IssueOptions {
                    draft: self.sent.borrow().get(&p).copied(),
                    ..opts.clone()
                };
                &mapped
            }
            None => opts,
        };
        let p = prepare(letter, opts)?;
        // Typeset before any lock, with the number it will most likely get.
        // (With the server away, nothing is predicted: the letter is rendered once the
        // number is taken.)
        let ticket = match p.carried {
            Some(_) => None,
            None => self.take_ticket(&p).ok().flatten(),
        };
        let predicted = match (p.carried, &ticket) {
            (Some(r), _) => Some(r),
            (None, Some(t)) => t.predicted,
            (None, None) => RunningNumber::new(1),
        };
        let issued = (|| {
            let mut rendered = match predicted {
                Some(n) => Some((n, render(&dated(letter, n, p.date))?)),
                None => None,
            };
            if let Some(t) = &ticket {
                self.wait_turn(t);
            }
            let served = ticket.as_ref().map_or(0, |t| t.number);
            let token = random_id();
            let start = Instant::now();
            loop {
                match self.try_issue(letter, &p, opts, &token, served, &mut rendered, render) {
                    Attempt::Done(issued) => return Ok(issued),
                    Attempt::Failed(e) => return Err(e),
                    Attempt::Away if start.elapsed() < ISSUE_PATIENCE => {
                        tracing::warn!(
                            "the register server went away during an issue; trying again"
                        );
                        std::thread::sleep(Duration::from_millis(200));
                    }
                    Attempt::Away => return Err(server_away(&self.shown)),
                }
            }
        })();
        if let Some(t) = &ticket {
            self.leave(t);
        }
        issued
    }

    fn import_all(
        &mut self,
        letters: &mut dyn Iterator<Item = (Letter, Vec<u8>)>,
    ) -> Result<usize> {
        if self.read_only {
            return Err(read_only());
        }
        self.anchor_ready()?;
        let user = self.user.clone();
        let (n, head) = self.write(|c| {
            let mut tx = c.transaction()?;
            let mut n = 0usize;
            let mut head = None;
            for (i, (letter, pdf)) in letters.enumerate() {
                let (running, date) = historical(&letter, i)?;
                let (prefix, kind) = crate::series_key(&letter)?;
                let year_be = i64::from(chrono::Datelike::year(&date)) + 543;
                let series_id: i64 = tx
                    .query_one(
                        "INSERT INTO series (prefix, kind, year_be, last) VALUES ($1, $2, $3, $4)
                         ON CONFLICT (prefix, kind, year_be) DO UPDATE SET last = greatest(series.last, excluded.last)
                         RETURNING id",
                        &[&prefix, &kind, &year_be, &running.get()],
                    )?
                    .get(0);
                let number = localize(&letter.number_text(), letter.digits).into_owned();
                let sha = crate::entry::hex(&Sha256::digest(&pdf));
                let json = to_json(&letter)?;
                let now = now_text();
                let (title, recipient, sender) = listing(&letter);
                let search = indexable(&search_text(&letter, &number));
                let search_grams = grams(&search);
                let date = date.to_string();
                let params: &[&(dyn ToSql + Sync)] = &[
                    &kind_name(&letter), &title, &now, &json, &series_id, &year_be, &running.get(),
                    &number, &date, &user, &pdf, &sha, &recipient, &sender, &search, &search_grams,
                ];
                let id: i64 = tx
                    .query_one(
                        "INSERT INTO letters (status, kind, title, created_at, updated_at, letter_json, series_id, year_be,
                            running, number_text, issued_date, issued_at, issued_by, pdf, pdf_sha256, historical,
                            recipient, sender, search_text, search_grams)
                         VALUES ('issued', $1, $2, $3, $3, $4, $5, $6, $7, $8, $9, $3, $10, $11, $12, 1, $13, $14, $15, $16)
                         RETURNING id",
                        params,
                    )?
                    .get(0);
                head = Some(append(
                    &mut tx,
                    &user,
                    "import",
                    Some(id),
                    &issue_detail(&number, &date, &sha, &json),
                )?);
                n += 1;
            }
            tx.commit()?;
            Ok((n, head))
        })?;
        if let Some((id, hash)) = head {
            self.anchor(id, &hash)?;
        }
        Ok(n)
    }

    fn cancel(&mut self, id: i64, reason: &str) -> Result<()> {
        check_reason(reason)?;
        if self.read_only {
            return Err(read_only());
        }
        self.anchor_ready()?;
        let user = self.user.clone();
        let reason = reason.trim().to_string();
        let (head, hash) = self.write(|c| {
            let mut tx = c.transaction()?;
            let status: Option<String> = tx
                .query_opt("SELECT status FROM letters WHERE id = $1 FOR UPDATE", &[&id])?
                .map(|r| r.get(0));
            cancellable(id, status.as_deref())?;
            let now = now_text();
            tx.execute(
                "UPDATE letters SET status = 'cancelled', cancelled_at = $2, cancelled_by = $3, cancel_reason = $4, updated_at = $2
                 WHERE id = $1",
                &[&id, &now, &user, &reason],
            )?;
            let head = append(&mut tx, &user, "cancel", Some(id), &reason)?;
            tx.commit()?;
            Ok(head)
        })?;
        self.anchor(head, &hash)
    }

    fn find(&self, id_or_number: &str) -> Result<i64> {
        let q = id_or_number.trim();
        if let Ok(id) = to_arabic_digits(q).parse::<i64>() {
            let found = self.query_all(
                "SELECT id FROM letters WHERE id = $1 AND status <> 'draft'",
                &[&id],
                |r| r.get::<_, i64>(0),
            )?;
            if let Some(id) = found.first() {
                return Ok(*id);
            }
        }
        let want = fold_digits(q)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        // The number as stored is in the letter's digits: try both forms by index first.
        let thai = saraban_thai::to_thai_digits(&want);
        let found = self.query_all(
            "SELECT id FROM letters WHERE number_text IN ($1, $2) AND status <> 'draft' ORDER BY id LIMIT 1",
            &[&want, &thai],
            |r| r.get::<_, i64>(0),
        )?;
        if let Some(id) = found.first() {
            return Ok(*id);
        }
        let all = self.query_all(
            "SELECT id, number_text FROM letters WHERE status <> 'draft' ORDER BY id",
            &[],
            |r| (r.get::<_, i64>(0), r.get::<_, String>(1)),
        )?;
        all.into_iter()
            .find(|(_, n)| {
                fold_digits(n)
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
                    == want
            })
            .map(|(id, _)| id)
            .ok_or_else(|| not_found(q))
    }
    fn entry(&self, id: i64) -> Result<Entry> {
        self.query_all(
            &format!(
                "{} FROM letters l WHERE id = $1 AND status <> 'draft'",
                entry_select("l")
            ),
            &[&id],
            entry,
        )?
        .pop()
        .ok_or_else(|| not_found(&id.to_string()))
    }
    fn pdf(&self, id: i64) -> Result<Vec<u8>> {
        let (pdf, sha, number) = self
            .query_all(
                "SELECT pdf, pdf_sha256, number_text FROM letters WHERE id = $1 AND status <> 'draft'",
                &[&id],
                |r| {
                    (
                        r.get::<_, Option<Vec<u8>>>(0).unwrap_or_default(),
                        r.get::<_, Option<String>>(1).unwrap_or_default(),
                        r.get::<_, Option<String>>(2).unwrap_or_default(),
                    )
                },
            )?
            .pop()
            .ok_or_else(|| not_found(&id.to_string()))?;
        if crate::entry::hex(&Sha256::digest(&pdf)) != sha {
            return Err(Error::Register {
                th: saraban_thai::to_thai_digits(&format!("PDF ของรายการ {id} ({number}) ในทะเบียนถูกแก้ไขหลังออกเลข จึงไม่ส่งออก กรุณาตรวจด้วย saraban audit verify")),
                en: format!("the stored PDF of entry {id} ({number}) was changed after issue and is not served; run saraban audit verify"),
            });
        }
        Ok(pdf)
    }
    fn issued_letter(&self, id: i64) -> Result<Letter> {
        let json = self
            .query_all(
                "SELECT letter_json FROM letters WHERE id = $1 AND status <> 'draft'",
                &[&id],
                |r| r.get::<_, String>(0),
            )?
            .pop()
            .ok_or_else(|| not_found(&id.to_string()))?;
        Letter::from_stored_json(&json)
    }
    fn each_entry(
        &self,
        year_be: Option<i64>,
        each: &mut dyn FnMut(Entry) -> Result<()>,
    ) -> Result<()> {
        // Page by page in register order: a year of any size in little memory, and no
        // transaction held open while the caller works.
        let sql = format!(
            "{} FROM letters l WHERE status <> 'draft' AND ($1::BIGINT IS NULL OR year_be = $1)
               AND (year_be, issued_date, id) > ($2, $3, $4)
             ORDER BY year_be, issued_date, id LIMIT 2000",
            entry_select("l")
        );
        let mut after: (i64, String, i64) = (i64::MIN, String::new(), i64::MIN);
        loop {
            let page = self.query_all(&sql, &[&year_be, &after.0, &after.1, &after.2], entry)?;
            let Some(last) = page.last() else {
                return Ok(());
            };
            after = (last.year_be, last.date.clone(), last.id);
            for e in page {
                each(e)?;
            }
        }
    }
    fn count_entries(&self, year_be: Option<i64>) -> Result<u64> {
        let n = self.query_all(
            "SELECT count(*) FROM letters WHERE status <> 'draft' AND ($1::BIGINT IS NULL OR year_be = $1)",
            &[&year_be],
            |r| r.get::<_, i64>(0),
        )?;
        Ok(n.first().copied().unwrap_or(0) as u64)
    }
    fn search(&self, q: &SearchQuery) -> Result<Vec<Hit>> {
        let limit = q.limit.unwrap_or(50).clamp(1, 10_000) as i64;
        let offset = q.offset.unwrap_or(0).min(i64::MAX as usize) as i64;
        let w = PgRegister::where_clause(q);
        let Where {
            from,
            exact,
            indexed,
            ..
        } = &w;
        let needle = w.text.clone().unwrap_or_default();
        let hit = |r: &Row| {
            let indexed: String = r.get::<_, Option<String>>(ENTRY_WIDTH).unwrap_or_default();
            Hit {
                entry: entry(r),
                snippet: short_snippet(&readable(&indexed), &needle).unwrap_or_default(),
            }
        };
        let select = entry_select("l");
        if w.text.as_ref().is_none_or(|t| t.chars().count() < 3) {
            let text_col = if w.text.is_some() {
                "l.search_text"
            } else {
                "''"
            };
            let sql = format!(
                "{select}, {text_col} {from} {exact} ORDER BY l.id DESC LIMIT {limit} OFFSET {offset}"
            );
            return self.query_all_typed(&sql, &w.params_exact(), hit);
        }
        // See `trigram`: the newest letters one by one, then walking back or the index.
        let wanted = limit + offset;
        let probe_sql = format!(
            "{select}, l.search_text FROM (SELECT * {from} ORDER BY l.id DESC LIMIT {PROBE}) l
             WHERE true {exact} ORDER BY l.id DESC LIMIT {wanted}"
        );
        let walk_sql =
            format!("{select}, l.search_text {from} {exact} ORDER BY l.id DESC LIMIT {wanted}");
        let index_sql = format!(
            "{select}, l.search_text {from} {indexed} {exact} ORDER BY l.id DESC LIMIT {wanted}"
        );
        let mut hits = self.read(|c| {
            // Each statement reads a snapshot of its own all the same (READ COMMITTED), so
            // a transaction is begun only where the planner's settings below need one.
            //
            // Found among the newest: walking back from the newest finds the page within
            // about wanted × PROBE / found letters, a bound the index does not have (a
            // substring common in the register has the index name a large share of it).
            //
            // With the block-keyed index, the choice is made on the matches' density d
            // among the newest letters: the walk reads about wanted / d letters, the
            // blocks every candidate of each block asked, each dearer than a letter
            // walked (`walk_is_cheaper`). The newest PROBE letters alone may say little
            // (a burst of one letter sent to many), so d also counts SPREAD letters
            // spread over the newest block, read by the same statement as the newest
            // when these did not fill the page ([`probe_and_spread`]).
            let blocks = !indexed.is_empty() && self.has_blocks(c)?;
            let (rows, spread) = if blocks {
                let rows = c.query_typed(
                    &probe_and_spread(&probe_sql, &w, wanted),
                    &w.params_exact(),
                )?;
                let spread = rows.first().map(|r| {
                    let at = ENTRY_WIDTH + 1;
                    (r.get::<_, i64>(at), r.get::<_, i64>(at + 1), r.get::<_, i64>(at + 2))
                });
                let letters: Vec<Row> = rows
                    .into_iter()
                    .filter(|r| r.get::<_, Option<i64>>(0).is_some())
                    .collect();
                (letters, spread)
            } else {
                (c.query_typed(&probe_sql, &w.params_exact())?, None)
            };
            let probed = rows.len() as i64;
            if probed >= wanted {
                return Ok(rows.iter().map(hit).collect::<Vec<_>>());
            }
            let (walk, newest, density) = match spread {
                Some((newest, found, read)) => {
                    let (found, read) = (found + probed, read + PROBE);
                    let walk = walk_is_cheaper(found, read, newest, wanted);
                    (walk, newest, found as f64 / read as f64)
                }
                None => (probed > 0, 0, 0.0),
            };
            let mut tx = c.transaction()?;
            if walk {
                tx.batch_execute(
                    "SET LOCAL enable_bitmapscan = off; SET LOCAL enable_seqscan = off; SET LOCAL enable_sort = off",
                )?;
                let rows = tx.query_typed(&walk_sql, &w.params_exact())?;
                tx.commit()?;
                return Ok(rows.iter().map(hit).collect());
            }
            // Rare among the newest: the index, with memory for an exact bitmap (a lossy
            // one makes the server read whole pages again).
            tx.batch_execute(
                "SET LOCAL enable_indexscan = off; SET LOCAL enable_seqscan = off; SET LOCAL work_mem = '64MB'",
            )?;
            if blocks {
                let found = by_blocks(&mut tx, &w, &select, newest, wanted, density)?;
                tx.commit()?;
                return Ok(found.iter().map(hit).collect());
            }
            let found: Vec<Hit> = tx
                .query_typed(&index_sql, &w.params())?
                .iter()
                .map(hit)
                .collect();
            tx.commit()?;
            Ok(found)
        })?;
        Ok(hits
            .drain(..)
            .skip(offset as usize)
            .take(limit as usize)
            .collect())
    }
    fn search_count(&self, q: &SearchQuery) -> Result<i64> {
        self.search_count_upto(q, -1)
    }
    /// Counted up to `upto` (all when negative: LIMIT ALL).
    fn search_count_upto(&self, q: &SearchQuery, upto: i64) -> Result<i64> {
        let w = PgRegister::where_clause(q);
        let limit = if upto < 0 {
            "ALL".to_string()
        } else {
            upto.to_string()
        };
        let sql = format!(
            "SELECT count(*) FROM (SELECT 1 {} {} {} LIMIT {limit}) AS found",
            w.from, w.indexed, w.exact
        );
        let n = self.query_all_typed(&sql, &w.params(), |r| r.get::<_, i64>(0))?;
        Ok(n.first().copied().unwrap_or(0))
    }

    fn received_before(&self, sha: &str) -> Result<Option<crate::Receipt>> {
        self.received_before_now(sha)
    }
    fn receive(
        &mut self,
        new: &crate::NewReceipt,
        stamp: &mut dyn FnMut(&crate::StampData) -> Result<Vec<u8>>,
    ) -> Result<crate::Receipt> {
        self.receive_now(new, stamp)
    }
    fn receipt(&self, id: i64) -> Result<crate::Receipt> {
        self.receipt_now(id)
    }
    fn find_receipt(&self, what: &str) -> Result<i64> {
        self.find_receipt_now(what)
    }
    fn received_original(&self, id: i64) -> Result<Vec<u8>> {
        self.received_file_now(id, false)
    }
    fn received_stamped(&self, id: i64) -> Result<Vec<u8>> {
        self.received_file_now(id, true)
    }
    fn route(
        &mut self,
        id: i64,
        step: &saraban_model::received::RoutingStep,
    ) -> Result<crate::Routed> {
        self.route_now(id, step)
    }
    fn cancel_receipt(&mut self, id: i64, reason: &str) -> Result<()> {
        self.cancel_receipt_now(id, reason)
    }
    fn each_receipt(
        &self,
        year_be: Option<i64>,
        each: &mut dyn FnMut(crate::Receipt) -> Result<()>,
    ) -> Result<()> {
        self.each_receipt_now(year_be, each)
    }
    fn search_receipts(&self, q: &crate::ReceiptQuery) -> Result<Vec<crate::Receipt>> {
        self.search_receipts_now(q)
    }
    fn addresses(&self) -> Result<Vec<crate::AddressEntry>> {
        self.addresses_now()
    }
    fn save_addresses(&mut self, entries: &[(String, String, String)]) -> Result<usize> {
        self.save_addresses_now(entries)
    }
    fn delete_address(&mut self, id: i64) -> Result<()> {
        self.delete_address_now(id)
    }
    fn queue_sendings(&mut self, new: &[crate::NewSending]) -> Result<Vec<crate::Sending>> {
        self.queue_sendings_now(new)
    }
    fn sending(&self, id: i64) -> Result<crate::Sending> {
        self.sending_now(id)
    }
    fn add_signature(&mut self, new: &crate::NewSignature) -> Result<crate::Signature> {
        self.add_signature_now(new)
    }
    fn signatures(&self, letter_id: i64) -> Result<Vec<crate::Signature>> {
        self.signatures_now(letter_id)
    }
    fn signed_pdf(&self, id: i64) -> Result<Vec<u8>> {
        self.signed_pdf_now(id)
    }
    fn signature_by_sha(&self, sha256: &str) -> Result<Option<crate::Signature>> {
        self.signature_by_sha_now(sha256)
    }
    fn issued_by_sha(&self, sha256: &str) -> Result<Option<i64>> {
        self.read(|c| {
            Ok(c.query_opt(
                "SELECT id FROM letters WHERE pdf_sha256 = $1 AND status <> 'draft' LIMIT 1",
                &[&sha256],
            )?
            .map(|r| r.get(0)))
        })
    }
    fn signature_count(&self) -> Result<i64> {
        self.read(|c| Ok(c.query_one("SELECT count(*) FROM signatures", &[])?.get(0)))
    }
    fn sendings(
        &self,
        letter_id: Option<i64>,
        receipt_id: Option<i64>,
        status: Option<crate::SendingStatus>,
    ) -> Result<Vec<crate::Sending>> {
        self.sendings_now(letter_id, receipt_id, status)
    }
    fn sending_eml(&self, id: i64) -> Result<Vec<u8>> {
        self.sending_eml_now(id)
    }
    fn record_attempt(&mut self, id: i64, attempt: &crate::Attempt) -> Result<crate::Sending> {
        self.record_attempt_now(id, attempt)
    }
    fn acknowledge(&mut self, message_id: &str, note: &str) -> Result<Option<crate::Sending>> {
        self.acknowledge_now(message_id, note)
    }
    fn last_uid(&self, mailbox: &str, uid_validity: u32) -> Result<u32> {
        self.last_uid_now(mailbox, uid_validity)
    }
    fn take_mail(&mut self, new: &crate::NewMail) -> Result<Option<crate::MailIn>> {
        self.take_mail_now(new)
    }
    fn mail(&self, id: i64) -> Result<crate::MailIn> {
        self.mail_now(id)
    }
    fn mails(&self, states: &[crate::MailState]) -> Result<Vec<crate::MailIn>> {
        self.mails_now(states)
    }
    fn mail_eml(&self, id: i64) -> Result<Vec<u8>> {
        self.mail_eml_now(id)
    }
    fn settle_mail(
        &mut self,
        id: i64,
        state: crate::MailState,
        receipt_id: Option<i64>,
    ) -> Result<crate::MailIn> {
        self.settle_mail_now(id, state, receipt_id)
    }
    fn setting(&self, key: &str) -> Result<Option<Vec<u8>>> {
        let local = &self.local;
        match self.query_all("SELECT value FROM settings WHERE key = $1", &[&key], |r| {
            r.get::<_, Vec<u8>>(0)
        }) {
            Ok(mut values) => {
                let value = values.pop();
                local.keep_setting(&self.register_id, key, value.as_deref());
                Ok(value)
            }
            // The server away: the office as this computer last saw it, so the clerk can
            // go on typing letters in the office's own format.
            Err(e) if self.client.borrow().is_none() => {
                local.setting_copy(&self.register_id, key).ok_or(e)
            }
            Err(e) => Err(e),
        }
    }
    fn insert_setting(&mut self, key: &str, value: &[u8]) -> Result<bool> {
        if self.read_only {
            return Err(read_only());
        }
        self.anchor_ready()?;
        let user = self.user.clone();
        let head = self.write(|c| {
            let mut tx = c.transaction()?;
            let added = tx.execute(
                "INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING",
                &[&key, &value],
            )? == 1;
            let head = if added {
                Some(append(&mut tx, &user, "settings", None, key)?)
            } else {
                None
            };
            tx.commit()?;
            Ok(head)
        })?;
        if let Some((id, hash)) = &head {
            self.anchor(*id, hash)?;
            self.local.keep_setting(&self.register_id, key, Some(value));
        }
        Ok(head.is_some())
    }
    fn set_settings(&mut self, values: &[(&str, Option<&[u8]>)]) -> Result<()> {
        if self.read_only {
            return Err(read_only());
        }
        self.anchor_ready()?;
        let user = self.user.clone();
        let (head, hash) = self.write(|c| {
            let mut tx = c.transaction()?;
            for (key, value) in values {
                match value {
                    Some(v) => tx.execute(
                        "INSERT INTO settings (key, value) VALUES ($1, $2)
                         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                        &[key, v],
                    )?,
                    None => tx.execute("DELETE FROM settings WHERE key = $1", &[key])?,
                };
            }
            let keys: Vec<&str> = values.iter().map(|(k, _)| *k).collect();
            let head = append(&mut tx, &user, "settings", None, &keys.join(","))?;
            tx.commit()?;
            Ok(head)
        })?;
        self.anchor(head, &hash)?;
        let local = &self.local;
        for (key, value) in values {
            local.keep_setting(&self.register_id, key, *value);
        }
        Ok(())
    }

    fn audit_head(&self) -> Result<Option<(i64, String)>> {
        Ok(self
            .query_all(
                "SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1",
                &[],
                |r| (r.get::<_, i64>(0), r.get::<_, String>(1)),
            )?
            .pop())
    }
    fn verify_audit(&self) -> Result<AuditReport> {
        let mut report = self.verify_chain()?;
        // A guard switched off (by the tables' owner) is a change of its own.
        let guards = self.integrity_check()?;
        if guards != "ok" {
            report.problems.push(crate::AuditProblem {
                letter: None,
                th: format!("การป้องกันของทะเบียนบนเซิร์ฟเวอร์ถูกปิดหรือถูกลบ ({guards}): ผู้เป็นเจ้าของตารางอาจแก้ไขทะเบียนได้"),
                en: format!("the register's guards on the server were switched off or removed ({guards}): the tables' owner may have changed the register"),
            });
        }
        Ok(report)
    }
    fn integrity_check(&self) -> Result<String> {
        self.guards_check()
    }
    fn backup_to(&self, out: Output, anchor_out: Output) -> Result<AuditReport> {
        // One SQLite file an office can open anywhere, made by moving the register into
        // the output's (empty) temporary. Not deleted first: on Windows the temporary is
        // held open, its name stays taken until it closes, and putting it in place then
        // found no file.
        let tmp = out.temp_path().to_path_buf();
        let report = {
            let mut copy = crate::Register::new(SqliteRegister::create(&tmp)?);
            let moved = crate::migrate(self, &mut *copy);
            match moved {
                Ok(m) => m.report,
                Err(e) => {
                    let _ = std::fs::remove_file(crate::anchor_path(&tmp));
                    return Err(e);
                }
            }
        };
        let anchor = crate::anchor_path(&tmp);
        let kept = std::fs::read(&anchor).unwrap_or_default();
        let _ = std::fs::remove_file(&anchor);
        out.persist()?;
        if !kept.is_empty() {
            anchor_out.commit(&kept)?;
        }
        Ok(report)
    }
    fn restore_from(&mut self, _from: &Path, _force: bool) -> Result<AuditReport> {
        Err(Error::Register {
            th: format!("ทะเบียนกลางบนเซิร์ฟเวอร์ {} กู้คืนทับไม่ได้ (เสมียนคนอื่นใช้อยู่) ให้สร้างฐานข้อมูลใหม่แล้วย้ายสำเนาเข้าไปด้วย saraban migrate --from สำเนา --to postgres://…", self.shown),
            en: format!("the shared register on {} cannot be restored over (other clerks use it); create a new database and move the backup into it with saraban migrate --from BACKUP --to postgres://…", self.shown),
        })
    }

    fn dump(&self, sink: &mut dyn FnMut(Record) -> Result<()>) -> Result<()> {
        self.dump_now(sink)
    }

    fn load(&mut self, source: &mut crate::records::RecordSource<'_>) -> Result<u64> {
        self.load_now(source)
    }

    fn as_pg(&self) -> Option<&PgRegister> {
        Some(self)
    }
}

impl PgRegister {
    /// The chain, the anchor, every letter and counter (see [`Verifier`]), in one snapshot.
    fn verify_chain(&self) -> Result<AuditReport> {
        let anchor = self.anchor_file();
        self.read(|c| {
            // One snapshot for the whole check.
            let mut tx = c
                .build_transaction()
                .isolation_level(postgres::IsolationLevel::RepeatableRead)
                .read_only(true)
                .start()?;
            let mut v = Verifier::new();
            for r in tx.query_raw(
                "SELECT id, at, \"user\", action, letter_id, detail, prev_hash, hash FROM audit ORDER BY id",
                std::iter::empty::<&str>(),
            )?.iterator() {
                let r = r?;
                v.audit(r.get(0), r.get(1), r.get(2), r.get(3), r.get(4), r.get(5), r.get(6), r.get(7));
            }
            // A computer that never wrote to this register has no anchor for it yet.
            v.chain_done(anchor.exists().then_some(anchor.as_path()), false);
            for r in tx.query_raw(
                "SELECT id, status, number_text, issued_date, pdf, pdf_sha256, letter_json, cancel_reason,
                        title, recipient, sender, issued_by, issued_at, running, search_text, search_grams
                 FROM letters WHERE status <> 'draft' ORDER BY id",
                std::iter::empty::<&str>(),
            )?.iterator() {
                let r = r?;
                // The grams must be those of the search text, which must be the letter's.
                let spelled = r.get::<_, Option<String>>(14);
                let grams_ok = match (&spelled, r.get::<_, Option<String>>(15)) {
                    (Some(t), Some(g)) => grams(t) == g,
                    (None, None) => true,
                    _ => false,
                };
                let search = spelled.filter(|_| grams_ok).map(|t| readable(&t));
                v.letter(
                    r.get(0),
                    r.get(1),
                    &r.get::<_, Option<String>>(2).unwrap_or_default(),
                    &r.get::<_, Option<String>>(3).unwrap_or_default(),
                    &r.get::<_, Option<Vec<u8>>>(4).unwrap_or_default(),
                    &r.get::<_, Option<String>>(5).unwrap_or_default(),
                    r.get(6),
                    r.get::<_, Option<&str>>(7),
                    &Shown {
                        title: &r.get::<_, Option<String>>(8).unwrap_or_default(),
                        recipient: &r.get::<_, Option<String>>(9).unwrap_or_default(),
                        sender: &r.get::<_, Option<String>>(10).unwrap_or_default(),
                        issued_by: &r.get::<_, Option<String>>(11).unwrap_or_default(),
                        issued_at: &r.get::<_, Option<String>>(12).unwrap_or_default(),
                        running: r.get::<_, Option<i64>>(13),
                        search,
                    },
                );
            }
            v.letters_done();
            for r in tx.query(
                "SELECT s.prefix, s.kind, s.year_be, s.last,
                        (SELECT max(running) FROM letters l WHERE l.series_id = s.id AND l.status <> 'draft')
                 FROM series s ORDER BY s.id",
                &[],
            )? {
                v.series(r.get(0), r.get(1), r.get(2), r.get(3), r.get::<_, Option<i64>>(4).unwrap_or(0));
            }
            for r in tx.query_raw(
                "SELECT id, status, year_be, receipt_number, received_at, original, sha256, stamped,
                        stamped_sha256, fields_json, search_text, cancel_reason
                 FROM received ORDER BY id",
                std::iter::empty::<&str>(),
            )?.iterator() {
                let r = r?;
                v.receipt(&ReceiptRow {
                    id: r.get(0),
                    status: r.get(1),
                    year_be: r.get(2),
                    number: r.get(3),
                    at: r.get(4),
                    original: r.get(5),
                    sha: r.get(6),
                    stamped: r.get(7),
                    stamped_sha: r.get(8),
                    fields: r.get(9),
                    search: r.get(10),
                    reason: r.get(11),
                });
            }
            for r in tx.query("SELECT id, receipt_id, step_json FROM receipt_steps ORDER BY id", &[])? {
                v.step(r.get(0), r.get(1), r.get(2));
            }
            v.receipts_done();
            for r in tx.query(
                "SELECT y.year_be, y.last, (SELECT max(receipt_number) FROM received r WHERE r.year_be = y.year_be)
                 FROM receipt_years y ORDER BY y.year_be",
                &[],
            )? {
                v.receipt_year(r.get(0), r.get(1), r.get::<_, Option<i64>>(2).unwrap_or(0));
            }
            // The mailbox's messages, sent and fetched, against their hashes and the chain.
            // And the signed copies of letters.
            for kept in [Kept::Sending, Kept::Fetched, Kept::Signed] {
                for r in tx.query(kept.select(), &[])? {
                    v.message(kept, r.get(0), r.get::<_, &[u8]>(1), r.get(2));
                }
            }
            v.messages_done();
            tx.commit()?;
            Ok(v.finish())
        })
    }

    fn guards_check(&self) -> Result<String> {
        // The server keeps its own files consistent; what Saraban can check is its schema:
        // every guard trigger there and enabled.
        let names: Vec<String> = super::schema::GUARDS
            .iter()
            .map(|g| g.to_string())
            .collect();
        let present = self.query_all(
            "SELECT tgname::text FROM pg_trigger WHERE tgname = ANY($1) AND tgenabled <> 'D'",
            &[&names],
            |r| r.get::<_, String>(0),
        )?;
        let missing: Vec<&str> = super::schema::GUARDS
            .iter()
            .filter(|g| !present.iter().any(|p| p == *g))
            .copied()
            .collect();
        Ok(if missing.is_empty() {
            "ok".into()
        } else {
            format!("guard triggers missing or disabled: {}", missing.join(", "))
        })
    }
}

impl PgRegister {
    fn dump_now(&self, sink: &mut dyn FnMut(Record) -> Result<()>) -> Result<()> {
        let mut guard = self.client()?;
        let c = guard.as_mut().expect("connected");
        let shown = self.shown.clone();
        let err = |e| pg_error(e, &shown);
        let mut tx = c
            .build_transaction()
            .isolation_level(postgres::IsolationLevel::RepeatableRead)
            .read_only(true)
            .start()
            .map_err(err)?;
        let none = std::iter::empty::<&str>;
        for r in tx
            .query_raw("SELECT key, value FROM settings ORDER BY key", none())
            .map_err(err)?
            .iterator()
        {
            let r = r.map_err(err)?;
            sink(Record::Setting {
                key: r.get(0),
                value: r.get(1),
            })?;
        }
        for r in tx
            .query_raw(
                "SELECT id, prefix, kind, year_be, last FROM series ORDER BY id",
                none(),
            )
            .map_err(err)?
            .iterator()
        {
            let r = r.map_err(err)?;
            sink(Record::Series(SeriesRow {
                id: r.get(0),
                prefix: r.get(1),
                kind: r.get(2),
                year_be: r.get(3),
                last: r.get(4),
            }))?;
        }
        for r in tx
            .query_raw(
                &format!("SELECT {LETTER_COLUMNS} FROM letters ORDER BY id"),
                none(),
            )
            .map_err(err)?
            .iterator()
        {
            let r = r.map_err(err)?;
            sink(Record::Letter(Box::new(LetterRow {
                id: r.get(0),
                status: r.get(1),
                kind: r.get(2),
                title: r.get(3),
                recipient: r.get(4),
                sender: r.get(5),
                created_at: r.get(6),
                updated_at: r.get(7),
                letter_json: r.get(8),
                series_id: r.get(9),
                year_be: r.get(10),
                running: r.get(11),
                number_text: r.get(12),
                issued_date: r.get(13),
                issued_at: r.get(14),
                issued_by: r.get(15),
                pdf: r.get(16),
                pdf_sha256: r.get(17),
                historical: r.get(18),
                cancelled_at: r.get(19),
                cancelled_by: r.get(20),
                cancel_reason: r.get(21),
            })))?;
        }
        for r in tx
            .query_raw(
                "SELECT id, letter_id, saved_at, letter_json FROM letter_versions ORDER BY id",
                none(),
            )
            .map_err(err)?
            .iterator()
        {
            let r = r.map_err(err)?;
            sink(Record::Version(VersionRow {
                id: r.get(0),
                letter_id: r.get(1),
                saved_at: r.get(2),
                letter_json: r.get(3),
            }))?;
        }
        for r in tx
            .query_raw(
                "SELECT year_be, last FROM receipt_years ORDER BY year_be",
                none(),
            )
            .map_err(err)?
            .iterator()
        {
            let r = r.map_err(err)?;
            sink(Record::ReceiptYear {
                year_be: r.get(0),
                last: r.get(1),
            })?;
        }
        for r in tx
            .query_raw(
                &format!("SELECT {RECEIVED_COLUMNS} FROM received ORDER BY id"),
                none(),
            )
            .map_err(err)?
            .iterator()
        {
            let r = r.map_err(err)?;
            sink(Record::Received(Box::new(ReceivedRow {
                id: r.get(0),
                status: r.get(1),
                year_be: r.get(2),
                receipt_number: r.get(3),
                received_at: r.get(4),
                received_by: r.get(5),
                fields_json: r.get(6),
                read_by: r.get(7),
                kind: r.get(8),
                file_name: r.get(9),
                original: r.get(10),
                sha256: r.get(11),
                stamped: r.get(12),
                stamped_sha256: r.get(13),
                search_text: r.get(14),
                cancelled_at: r.get(15),
                cancelled_by: r.get(16),
                cancel_reason: r.get(17),
            })))?;
        }
        for r in tx
            .query_raw(
                "SELECT id, receipt_id, at, by_user, step_json FROM receipt_steps ORDER BY id",
                none(),
            )
            .map_err(err)?
            .iterator()
        {
            let r = r.map_err(err)?;
            sink(Record::Step(StepRow {
                id: r.get(0),
                receipt_id: r.get(1),
                at: r.get(2),
                by_user: r.get(3),
                step_json: r.get(4),
            }))?;
        }
        for r in tx
            .query_raw("SELECT id, at, \"user\", action, letter_id, detail, prev_hash, hash FROM audit ORDER BY id", none())
            .map_err(err)?
            .iterator()
        {
            let r = r.map_err(err)?;
            sink(Record::Audit(AuditRow {
                id: r.get(0),
                at: r.get(1),
                user: r.get(2),
                action: r.get(3),
                letter_id: r.get(4),
                detail: r.get(5),
                prev_hash: r.get(6),
                hash: r.get(7),
            }))?;
        }
        tx.commit().map_err(err)?;
        Ok(())
    }

    fn load_now(&mut self, source: &mut crate::records::RecordSource<'_>) -> Result<u64> {
        let shown = self.shown.clone();
        let mut guard = self.client()?;
        let c = guard.as_mut().expect("connected");
        let err = |e| pg_error(e, &shown);
        let mut tx = c.transaction().map_err(err)?;
        let used: i64 = tx
            .query_one(
                "SELECT (SELECT count(*) FROM letters) + (SELECT count(*) FROM audit)
                      + (SELECT count(*) FROM series) + (SELECT count(*) FROM settings WHERE key <> 'statement.register')
                      + (SELECT count(*) FROM received)",
                &[],
            )
            .map_err(err)?
            .get(0);
        if used > 0 {
            return Err(crate::migrate::not_empty(&shown));
        }
        // The empty register's own id gives way to the one moved in (the statements of
        // the letters printed so far name that one).
        tx.execute("DELETE FROM settings WHERE key = 'statement.register'", &[])
            .map_err(err)?;
        // Rows go in with COPY, a table at a time, in chunks of a few megabytes; the
        // trigram index is built once at the end (far faster than row by row).
        let search_indexes: Vec<String> = tx
            .query(
                "SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema()
                   AND indexname IN ('letters_search', 'letters_grams', 'letters_grams_block')",
                &[],
            )
            .map_err(err)?
            .iter()
            .map(|r| r.get(0))
            .collect();
        tx.batch_execute(
            "DROP INDEX IF EXISTS letters_search; DROP INDEX IF EXISTS letters_grams;
             DROP INDEX IF EXISTS letters_grams_block; SET LOCAL maintenance_work_mem = '256MB'",
        )
        .map_err(err)?;
        let mut copy = Copier::default();
        let mut n = 0u64;
        let mut last_audit: Option<(i64, String)> = None;
        source(&mut |rec| {
            n += 1;
            let table = match &rec {
                Record::Setting { .. } => "settings (key, value)",
                Record::Series(_) => "series (id, prefix, kind, year_be, last)",
                Record::Letter(_) => LETTERS_COPY,
                Record::Version(_) => "letter_versions (id, letter_id, saved_at, letter_json)",
                Record::ReceiptYear { .. } => "receipt_years (year_be, last)",
                Record::Received(_) => RECEIVED_COPY,
                Record::Step(_) => "receipt_steps (id, receipt_id, at, by_user, step_json)",
                Record::Audit(_) => {
                    "audit (id, at, \"user\", action, letter_id, detail, prev_hash, hash)"
                }
            };
            if copy.table != table || copy.buf.len() > 8 << 20 {
                copy.flush(&mut tx).map_err(err)?;
                copy.table = table;
            }
            let b = &mut copy.buf;
            match rec {
                Record::Setting { key, value } => {
                    text(b, Some(&key));
                    bytes(b, Some(&value));
                }
                Record::Series(s) => {
                    int(b, Some(s.id));
                    text(b, Some(&s.prefix));
                    text(b, Some(&s.kind));
                    int(b, Some(s.year_be));
                    int(b, Some(s.last));
                }
                Record::Letter(l) => {
                    let search = (l.status != "draft").then(|| indexable(&stored_search_text(&l)));
                    int(b, Some(l.id));
                    text(b, Some(&l.status));
                    text(b, Some(&l.kind));
                    text(b, Some(&l.title));
                    text(b, Some(&l.recipient));
                    text(b, Some(&l.sender));
                    text(b, Some(&l.created_at));
                    text(b, Some(&l.updated_at));
                    text(b, Some(&l.letter_json));
                    int(b, l.series_id);
                    int(b, l.year_be);
                    int(b, l.running);
                    text(b, l.number_text.as_deref());
                    text(b, l.issued_date.as_deref());
                    text(b, l.issued_at.as_deref());
                    text(b, l.issued_by.as_deref());
                    bytes(b, l.pdf.as_deref());
                    text(b, l.pdf_sha256.as_deref());
                    int(b, Some(l.historical));
                    text(b, l.cancelled_at.as_deref());
                    text(b, l.cancelled_by.as_deref());
                    text(b, l.cancel_reason.as_deref());
                    text(b, search.as_deref());
                    text(b, search.as_deref().map(grams).as_deref());
                }
                Record::Version(v) => {
                    int(b, Some(v.id));
                    int(b, Some(v.letter_id));
                    text(b, Some(&v.saved_at));
                    text(b, Some(&v.letter_json));
                }
                Record::ReceiptYear { year_be, last } => {
                    int(b, Some(year_be));
                    int(b, Some(last));
                }
                Record::Received(r) => {
                    int(b, Some(r.id));
                    text(b, Some(&r.status));
                    int(b, Some(r.year_be));
                    int(b, Some(r.receipt_number));
                    text(b, Some(&r.received_at));
                    text(b, Some(&r.received_by));
                    text(b, Some(&r.fields_json));
                    text(b, Some(&r.read_by));
                    text(b, Some(&r.kind));
                    text(b, Some(&r.file_name));
                    bytes(b, Some(&r.original));
                    text(b, Some(&r.sha256));
                    bytes(b, Some(&r.stamped));
                    text(b, Some(&r.stamped_sha256));
                    text(b, Some(&r.search_text));
                    text(b, r.cancelled_at.as_deref());
                    text(b, r.cancelled_by.as_deref());
                    text(b, r.cancel_reason.as_deref());
                }
                Record::Step(st) => {
                    int(b, Some(st.id));
                    int(b, Some(st.receipt_id));
                    text(b, Some(&st.at));
                    text(b, Some(&st.by_user));
                    text(b, Some(&st.step_json));
                }
                Record::Audit(a) => {
                    int(b, Some(a.id));
                    text(b, Some(&a.at));
                    text(b, Some(&a.user));
                    text(b, Some(&a.action));
                    int(b, a.letter_id);
                    text(b, Some(&a.detail));
                    text(b, Some(&a.prev_hash));
                    text(b, Some(&a.hash));
                    last_audit = Some((a.id, a.hash));
                }
            }
            // Each row ends its line (the tab after the last field is replaced).
            b.pop();
            b.push(b'\n');
            Ok(())
        })?;
        copy.flush(&mut tx).map_err(err)?;
        if let Some((id, hash)) = &last_audit {
            tx.execute("UPDATE audit_head SET id = $1, hash = $2", &[id, hash])
                .map_err(err)?;
        }
        for index in &search_indexes {
            tx.batch_execute(index).map_err(err)?;
        }
        tx.batch_execute(
            "SELECT setval(pg_get_serial_sequence('series', 'id'), coalesce((SELECT max(id) FROM series), 0) + 1, false);
             SELECT setval(pg_get_serial_sequence('letters', 'id'), coalesce((SELECT max(id) FROM letters), 0) + 1, false);
             SELECT setval(pg_get_serial_sequence('letter_versions', 'id'), coalesce((SELECT max(id) FROM letter_versions), 0) + 1, false);
             SELECT setval(pg_get_serial_sequence('received', 'id'), coalesce((SELECT max(id) FROM received), 0) + 1, false);
             SELECT setval(pg_get_serial_sequence('receipt_steps', 'id'), coalesce((SELECT max(id) FROM receipt_steps), 0) + 1, false);
             ANALYZE series; ANALYZE letters; ANALYZE letter_versions; ANALYZE audit;",
        )
        .map_err(err)?;
        tx.commit().map_err(err)?;
        drop(guard);
        if let Some((id, hash)) = last_audit {
            self.anchor(id, &hash)?;
        }
        Ok(n)
    }
}

const RECEIVED_COPY: &str = "received (id, status, year_be, receipt_number, received_at, received_by, fields_json, \
     read_by, kind, file_name, original, sha256, stamped, stamped_sha256, search_text, cancelled_at, cancelled_by, cancel_reason)";

const LETTERS_COPY: &str = "letters (id, status, kind, title, recipient, sender, created_at, updated_at, letter_json, \
     series_id, year_be, running, number_text, issued_date, issued_at, issued_by, pdf, pdf_sha256, historical, \
     cancelled_at, cancelled_by, cancel_reason, search_text, search_grams)";

/// Rows of one table in COPY's text format, sent when the table changes or the chunk is
/// full.
#[derive(Default)]
struct Copier {
    table: &'static str,
    buf: Vec<u8>,
}

impl Copier {
    fn flush(&mut self, tx: &mut Transaction<'_>) -> std::result::Result<(), postgres::Error> {
        if self.buf.is_empty() {
            return Ok(());
        }
        use std::io::Write;
        let mut w = tx.copy_in(&format!("COPY {} FROM STDIN", self.table))?;
        // An I/O error here comes back from finish() as the server's.
        let _ = w.write_all(&self.buf);
        w.finish()?;
        self.buf.clear();
        Ok(())
    }
}

/// A text field of COPY's text format, then a tab.
fn text(b: &mut Vec<u8>, v: Option<&str>) {
    match v {
        None => b.extend_from_slice(b"\\N"),
        Some(s) => {
            for &c in s.as_bytes() {
                match c {
                    b'\\' => b.extend_from_slice(b"\\\\"),
                    b'\n' => b.extend_from_slice(b"\\n"),
                    b'\r' => b.extend_from_slice(b"\\r"),
                    b'\t' => b.extend_from_slice(b"\\t"),
                    _ => b.push(c),
                }
            }
        }
    }
    b.push(b'\t');
}

fn int(b: &mut Vec<u8>, v: Option<i64>) {
    match v {
        None => b.extend_from_slice(b"\\N"),
        Some(n) => b.extend_from_slice(n.to_string().as_bytes()),
    }
    b.push(b'\t');
}

/// A bytea field: `\\x` and hex (the backslash escaped for COPY).
fn bytes(b: &mut Vec<u8>, v: Option<&[u8]>) {
    match v {
        None => b.extend_from_slice(b"\\N"),
        Some(bytes) => {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            b.extend_from_slice(b"\\\\x");
            for &x in bytes {
                b.push(HEX[(x >> 4) as usize]);
                b.push(HEX[(x & 15) as usize]);
            }
        }
    }
    b.push(b'\t');
}

pub(super) fn read_only() -> Error {
    Error::Register {
        th: "เปิดทะเบียนไว้เพื่ออ่านอย่างเดียว จึงเขียนไม่ได้".into(),
        en: "the register was opened only to read; nothing can be written".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The choice the million-letter bench register showed: a substring in 6 % of the
    /// letters (การผู้เชี่ยวชาญ: 475 of one block's 8 192) is found by walking (3.6 ms)
    /// rather than by asking the newest block and the next (1.3 + 10 ms), which the rule
    /// d² × BLOCK ≥ wanted had chosen; one in 1 % still goes to the blocks, and one found
    /// nowhere among the newest never walks.
    #[test]
    fn the_walk_is_taken_where_it_reads_less_than_the_blocks() {
        let newest = 1_000_000; // 576 letters into its block
        assert!(walk_is_cheaper(18, 300, newest, 50));
        assert!(!walk_is_cheaper(3, 300, newest, 50));
        assert!(!walk_is_cheaper(0, 300, newest, 50));
        assert!(!walk_is_cheaper(5, 0, newest, 50));
        // Common enough to fill the page within the newest letters: the walk.
        assert!(walk_is_cheaper(150, 300, newest, 50));
        // A newest block nearly full holds the page at 2 %: the blocks cost about what the
        // walk does, and a rarer substring goes to them.
        assert!(!walk_is_cheaper(3, 300, (1 << 13) * 123 - 1, 50));
        // A deeper page at the same density wants ten times the walk, and the blocks
        // it needs are the same two: the blocks.
        assert!(!walk_is_cheaper(18, 300, newest, 500));
    }

    /// A statement asks for the blocks the density says hold the page and one more, at
    /// least two when nothing says how many (a burst may leave the sample empty), and never
    /// more than eight.
    #[test]
    fn a_statement_asks_for_the_blocks_the_page_needs_and_one_more() {
        let newest = 1_000_000; // 576 letters into its block
                                // 3 % of 576 letters is 17: the page needs the next block too.
        assert_eq!(blocks_to_ask(0.03, newest, 50), 3);
        // 20 % fills the page within the newest block.
        assert_eq!(blocks_to_ask(0.2, newest, 50), 2);
        // One letter in a thousand: about 8 a block, so eight blocks at most.
        assert_eq!(blocks_to_ask(0.001, newest, 50), MOST_BLOCKS_ASKED);
        assert_eq!(blocks_to_ask(0.0, newest, 50), 2);
        assert_eq!(blocks_to_ask(f64::NAN, newest, 50), 2);
    }
}
