//! Search: FTS5 with the trigram tokenizer, so any Thai substring of three characters or
//! more is found without word segmentation; Thai and Arabic digits are folded to one form in
//! the index and in the query; shorter queries scan.
//!
//! A letter issued goes first into `letters_unindexed`, a plain table searched beside the
//! index by scanning (a few hundred letters at most), and joins the index when no clerk is
//! in the issue queue, after the program that issued it has answered its clerk
//! ([`SqliteRegister::settle_search_index_step`]). Inserting into FTS5 merges
//! its segments now and then, 15–70 ms on a large register, and inside an issue's turn
//! every clerk in line waited for it: eight clerks at once had their slowest issues there.

use chrono::NaiveDate;
use rusqlite::{params_from_iter, types::Value, Transaction};

use super::entry::{entry_row, entry_select, ENTRY_WIDTH};
use super::{Entry, SqliteRegister, Status};
use saraban_model::letter::{Kind, Letter};
use saraban_thai::to_arabic_digits;

/// Thai digits to ASCII, the one form the index holds.
pub fn fold_digits(s: &str) -> String {
    to_arabic_digits(s)
}

/// The form the index and the queries share: digits folded, Latin letters in lower case.
pub fn fold(s: &str) -> String {
    to_arabic_digits(s).to_ascii_lowercase()
}

/// What to look for.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize, ts_rs::TS)]
#[serde(default, deny_unknown_fields)]
pub struct SearchQuery {
    /// A substring of the number, subject, recipient, body, signer or owner.
    pub text: Option<String>,
    /// Buddhist-Era year.
    #[ts(type = "number | null")]
    pub year_be: Option<i64>,
    /// Issued on or after.
    #[ts(type = "string | null")]
    pub from: Option<NaiveDate>,
    /// Issued on or before.
    #[ts(type = "string | null")]
    pub to: Option<NaiveDate>,
    /// Letter kind.
    pub kind: Option<Kind>,
    /// Issued or cancelled.
    pub status: Option<Status>,
    /// At most this many (default 50).
    pub limit: Option<usize>,
    /// Skip this many first (the register table fetches page by page).
    #[serde(default)]
    pub offset: Option<usize>,
}

/// A value a search compares a column with.
pub(crate) enum Arg {
    Int(i64),
    Text(String),
}

impl SearchQuery {
    /// The conditions on year, dates, kind and status (drafts are never found) as SQL,
    /// each ` AND …` with the placeholder `mark(n)` gives for the n-th value (from 1), and
    /// the values in order. Each engine marks and binds them its own way.
    pub(crate) fn conditions(&self, mark: impl Fn(usize) -> String) -> (String, Vec<Arg>) {
        let mut c: Vec<(&str, Arg)> = Vec::new();
        if let Some(y) = self.year_be {
            c.push(("l.year_be =", Arg::Int(y)));
        }
        if let Some(d) = self.from {
            c.push(("l.issued_date >=", Arg::Text(d.to_string())));
        }
        if let Some(d) = self.to {
            c.push(("l.issued_date <=", Arg::Text(d.to_string())));
        }
        if let Some(k) = self.kind {
            c.push(("l.kind =", Arg::Text(k.name().into())));
        }
        if let Some(s) = self.status {
            c.push(("l.status =", Arg::Text(s.name().into())));
        }
        let mut sql: String = c
            .iter()
            .enumerate()
            .map(|(i, (cond, _))| format!(" AND {cond} {}", mark(i + 1)))
            .collect();
        if self.status.is_none() {
            sql.push_str(" AND l.status <> 'draft'");
        }
        (sql, c.into_iter().map(|(_, a)| a).collect())
    }

    /// The text looked for, folded (digits, case); none when empty.
    pub(crate) fn folded_text(&self) -> Option<String> {
        self.text
            .as_deref()
            .map(|t| fold(t.trim()))
            .filter(|t| !t.is_empty())
    }
}

impl From<Arg> for Value {
    fn from(a: Arg) -> Value {
        match a {
            Arg::Int(i) => Value::Integer(i),
            Arg::Text(t) => Value::Text(t),
        }
    }
}

/// One letter found, with where the match is.
#[derive(Debug, Clone, PartialEq, serde::Serialize, ts_rs::TS)]
pub struct Hit {
    /// The letter.
    #[serde(flatten)]
    #[ts(flatten)]
    pub entry: Entry,
    /// The text around the match, the match in «».
    pub snippet: String,
}

/// The searchable text of a letter: everything it prints — number, subject, salutation and
/// recipient, references (อ้างถึง), enclosures, the body, closing, signer (with whom they
/// sign for), the stamp's agency, the agency and its address, the owner's contact block,
/// QR captions, the distribution list and สำเนาส่ง — one per line, digits folded. A clerk
/// finds a letter by any phrase on its paper ("ทส 1011.4/12932" in its อ้างถึง).
pub(crate) fn search_text(l: &Letter, number: &str) -> String {
    parts_text(l, number, true)
}

/// The searchable text as registers written before 2026-12 stored it (number, subject,
/// recipient, body, signer, agency, owner): the audit accepts it for letters issued then,
/// which a server register keeps as they were (its guards refuse any change to an issued
/// row); an SQLite register is indexed again when opened to write (schema 3).
pub(crate) fn search_text_before_all_parts(l: &Letter, number: &str) -> String {
    parts_text(l, number, false)
}

/// The parts of [`search_text`] in their order; without `all`, only the older form's.
fn parts_text(l: &Letter, number: &str, all: bool) -> String {
    let mut parts: Vec<String> = vec![number.to_string()];
    parts.extend(l.subject.iter().cloned());
    if all {
        parts.extend(l.salutation.iter().cloned());
    }
    parts.extend(l.recipient.iter().cloned());
    if all {
        parts.extend(l.references.iter().cloned());
        for e in &l.enclosures {
            parts.push(e.title.clone());
            parts.extend(e.quantity.iter().cloned());
        }
    }
    parts.extend(l.body.iter().map(|b| b.text().to_string()));
    if all {
        parts.extend(l.closing.iter().cloned());
    }
    if let Some(s) = &l.signer {
        parts.push(s.name.clone());
        parts.extend(s.position_lines());
        if all {
            parts.extend(s.for_position.iter().cloned());
        }
    }
    if let (true, Some(st)) = (all, &l.stamp) {
        parts.extend(st.agency.iter().cloned());
    }
    if let Some(a) = &l.agency {
        parts.push(a.name.clone());
        parts.extend(a.address.iter().cloned());
    }
    if let Some(o) = &l.owner {
        parts.extend(
            [&o.department, &o.unit, &o.phone, &o.fax, &o.email]
                .into_iter()
                .flatten()
                .cloned(),
        );
    }
    if all {
        parts.extend(l.qr.iter().filter_map(|q| q.caption.clone()));
        if let Some(d) = &l.distribution {
            parts.extend(d.title.iter().cloned());
            parts.extend(d.recipients.iter().cloned());
        }
        parts.extend(l.copies_to.iter().cloned());
    }
    fold(&parts.join("\n"))
}

/// Indexes every issued letter again with [`search_text`] (schema 3: registers whose index
/// held fewer parts). In the transaction that moves the schema on.
pub(crate) fn reindex(tx: &rusqlite::Transaction<'_>) -> rusqlite::Result<()> {
    let rows: Vec<(i64, String, String)> = {
        let mut stmt = tx.prepare(
            "SELECT id, COALESCE(number_text, ''), letter_json FROM letters WHERE status <> 'draft'",
        )?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        rows.collect::<Result<_, _>>()?
    };
    let mut update = tx.prepare("UPDATE letters_fts SET text = ?2 WHERE rowid = ?1")?;
    for (id, number, json) in rows {
        if let Ok(l) = Letter::from_stored_json(&json) {
            update.execute(rusqlite::params![id, search_text(&l, &number)])?;
        }
    }
    Ok(())
}

/// Makes an issued letter searchable: its text waits in `letters_unindexed` (searched
/// beside the index) until [`SqliteRegister::settle_search_index`] moves it in.
pub(super) fn index_letter(
    tx: &Transaction<'_>,
    id: i64,
    l: &Letter,
    number: &str,
) -> rusqlite::Result<()> {
    tx.prepare_cached("INSERT INTO letters_unindexed (id, text) VALUES (?1, ?2)")?
        .execute(rusqlite::params![id, search_text(l, number)])?;
    Ok(())
}

/// How many letters may wait outside the index before an issue settles them although the
/// queue is not empty (scanning them costs a search about a millisecond).
pub const UNINDEXED_MOST: i64 = 2_000;

/// How many letters must wait before the program that issued the last of them moves them
/// into the index, once it has answered its clerk and no clerk is in line
/// ([`SqliteRegister::settle_search_index_step`]).
pub const UNINDEXED_SETTLE: i64 = 500;

/// How many waiting letters go into the index in one transaction.
pub const SETTLE_CHUNK: i64 = 100;

/// A letter's search text, from the index or from the letters waiting to join it (`l` the
/// letters' alias): for reading found letters by id.
const TEXT_OF: &str = "coalesce((SELECT f.text FROM letters_fts f WHERE f.rowid = l.id),
    (SELECT u.text FROM letters_unindexed u WHERE u.id = l.id))";

impl SqliteRegister {
    /// Moves every letter waiting outside the search index into it, [`SETTLE_CHUNK`] at
    /// a time, each chunk in its own transaction taken in the issue queue's turn; returns
    /// how many moved. A search finds the same letters before and after.
    pub fn settle_search_index(&mut self) -> saraban_model::Result<usize> {
        let mut moved = 0;
        loop {
            match self.settle_chunk()? {
                0 => return Ok(moved),
                n => moved += n,
            }
        }
    }

    /// Moves the oldest [`SETTLE_CHUNK`] waiting letters into the index in one transaction,
    /// in the queue's turn (a clerk who comes meanwhile waits one chunk at most); FTS5
    /// merges as it does on any insert, here and never in an issue's turn.
    fn settle_chunk(&mut self) -> saraban_model::Result<usize> {
        let _turn = self.issue_place().map(super::queue::Place::wait);
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let upto: Option<i64> = tx.query_row(
            &format!(
                "SELECT max(id) FROM (SELECT id FROM letters_unindexed ORDER BY id LIMIT {SETTLE_CHUNK})"
            ),
            [],
            |r| r.get(0),
        )?;
        let Some(upto) = upto else {
            return Ok(0);
        };
        let n = tx.execute(
            "INSERT INTO letters_fts (rowid, text)
             SELECT id, text FROM letters_unindexed WHERE id <= ?1 ORDER BY id",
            [upto],
        )?;
        tx.execute("DELETE FROM letters_unindexed WHERE id <= ?1", [upto])?;
        tx.commit()?;
        Ok(n)
    }

    /// One step of the index's upkeep, for a program to take once an issue has answered
    /// its clerk: once [`UNINDEXED_SETTLE`] letters wait, moves the oldest
    /// [`SETTLE_CHUNK`] of them into the index at each step taken while no clerk is in
    /// line, until none waits; how many moved (0: nothing due, or a clerk in line). The
    /// app takes the steps in the background between a clerk's actions, the command line
    /// after it has printed the number, so the clerk never waits for FTS5's merging.
    pub fn settle_search_index_step(&mut self) -> saraban_model::Result<usize> {
        let waiting = self.waiting_outside_index()?;
        self.settling = (self.settling || waiting >= UNINDEXED_SETTLE) && waiting > 0;
        if !self.settling || !super::queue::is_idle(&self.path) {
            return Ok(0);
        }
        self.settle_chunk()
    }

    /// After an issue, its turn over: once [`UNINDEXED_MOST`] letters wait (a register
    /// whose programs did not come round to [`Self::settle_search_index_step`]), moves
    /// chunks into the index until fewer wait, whoever is in line. A failure is only
    /// logged: the letters stay searchable where they are.
    pub(crate) fn settle_search_index_if_overdue(&mut self) {
        let mut left = self.waiting_outside_index().unwrap_or(0);
        while left >= UNINDEXED_MOST {
            match self.settle_chunk() {
                Ok(0) => return,
                Ok(n) => left -= n as i64,
                Err(e) => {
                    tracing::warn!("the search index was not settled: {e}");
                    return;
                }
            }
        }
    }

    /// How many issued letters wait outside the search index.
    fn waiting_outside_index(&self) -> saraban_model::Result<i64> {
        Ok(self
            .conn
            .query_row("SELECT count(*) FROM letters_unindexed", [], |r| r.get(0))?)
    }

    /// Finds issued letters, newest first.
    pub fn search(&self, q: &SearchQuery) -> saraban_model::Result<Vec<Hit>> {
        let limit = q.limit.unwrap_or(50).clamp(1, 10_000) as i64;
        let offset = q.offset.unwrap_or(0).min(i64::MAX as usize) as i64;
        let (sources, args, text) = where_clause(q);
        let select = entry_select("l");
        let sql = format!(
            "{} ORDER BY k DESC LIMIT {limit} OFFSET {offset}",
            sources.select(&format!("{select}, {{text}}, {{id}} AS k"))
        );
        let mut stmt = self.conn.prepare(&sql)?;
        let needle = text.unwrap_or_default();
        let rows = stmt.query_map(params_from_iter(args.iter()), |r| hit_row(r, &needle))?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }

    /// A page of a search and how many letters it finds, counted up to `upto` (see
    /// [`crate::Engine::search_counted`]), in one pass over the index when the search has a
    /// text of a trigram or more and `upto` bounds it (else `None`): the ids of the first
    /// `upto` hits, newest first, give the count and the page, whose entries are then read
    /// by id. A phrase of common trigrams costs FTS5 tens of milliseconds on a million
    /// letters, and the page and its count each paid it.
    pub fn search_in_one_pass(
        &self,
        q: &SearchQuery,
        upto: i64,
    ) -> saraban_model::Result<Option<(Vec<Hit>, i64)>> {
        let limit = q.limit.unwrap_or(50).clamp(1, 10_000);
        let offset = q.offset.unwrap_or(0);
        let (sources, args, text) = where_clause(q);
        let one_pass = text
            .as_ref()
            .is_some_and(|t| t.chars().count() >= SHORT_TEXT)
            && upto >= 0
            && offset.saturating_add(limit) as u64 <= upto as u64;
        if !one_pass {
            return Ok(None);
        }
        let needle = text.unwrap_or_default();
        let ids = self.hit_ids(q, &needle, &sources, &args, upto)?;
        let page = &ids[offset.min(ids.len())..(offset + limit).min(ids.len())];
        if page.is_empty() {
            return Ok(Some((Vec::new(), ids.len() as i64)));
        }
        let select = entry_select("l");
        let sql = format!(
            "{select}, {TEXT_OF} FROM letters l WHERE l.id IN ({}) ORDER BY l.id DESC",
            id_list(page)
        );
        let mut stmt = self.conn.prepare(&sql)?;
        let hits = stmt
            .query_map([], |r| hit_row(r, &needle))?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Some((hits, ids.len() as i64)))
    }

    /// The ids of the first `upto` letters a search by `needle` (folded, a trigram or
    /// more) finds, newest first: from the index, or, when the text typed before this one
    /// found all its letters and this text contains it, only among those (see
    /// [`Narrowing`]).
    fn hit_ids(
        &self,
        q: &SearchQuery,
        needle: &str,
        sources: &Sources,
        args: &[Value],
        upto: i64,
    ) -> saraban_model::Result<Vec<i64>> {
        let filters = Narrowing::filters_of(q);
        let version = self.version()?;
        // Taken: replaced below by this search's own.
        let earlier = self.narrowing.lock().ok().and_then(|mut n| n.take());
        let among = earlier
            .as_ref()
            .and_then(|n| n.among(&filters, needle, version));
        let (sql, args) = match among {
            Some(among) => {
                // The same filters; the text as a plain substring of the indexed text.
                let (filters_sql, conditions) = q.conditions(|n| format!("?{n}"));
                let mut args: Vec<Value> = conditions.into_iter().map(Value::from).collect();
                args.push(Value::Text(needle.to_string()));
                let sql = format!(
                    "SELECT l.id FROM letters l
                     WHERE l.id IN ({}) AND instr({TEXT_OF}, ?{}) > 0 {filters_sql}
                     ORDER BY l.id DESC LIMIT {upto}",
                    id_list(among),
                    args.len()
                );
                (sql, args)
            }
            None => (
                format!(
                    "{} ORDER BY k DESC LIMIT {upto}",
                    sources.select("SELECT {id} AS k")
                ),
                args.to_vec(),
            ),
        };
        let ids: Vec<i64> = self
            .conn
            .prepare(&sql)?
            .query_map(params_from_iter(args.iter()), |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        if let Ok(mut n) = self.narrowing.lock() {
            *n = ((ids.len() as i64) < upto).then(|| Narrowing {
                filters,
                text: needle.to_string(),
                ids: ids.clone(),
                version,
            });
        }
        Ok(ids)
    }

    /// What changes whenever the register does: SQLite's `data_version` (another
    /// connection committed) and this connection's own count of changed rows.
    fn version(&self) -> saraban_model::Result<(i64, u64)> {
        let data: i64 = self
            .conn
            .query_row("PRAGMA data_version", [], |r| r.get(0))?;
        Ok((data, self.conn.total_changes()))
    }

    /// How many letters a search finds in all (its limit and offset ignored).
    pub fn search_count(&self, q: &SearchQuery) -> saraban_model::Result<i64> {
        self.search_count_upto(q, -1)
    }

    /// How many letters a search finds, counted up to `upto` at most (all of them when
    /// `upto` is negative: SQLite's LIMIT -1).
    pub fn search_count_upto(&self, q: &SearchQuery, upto: i64) -> saraban_model::Result<i64> {
        let (sources, args, _) = where_clause(q);
        let sql = format!(
            "SELECT count(*) FROM ({} LIMIT {upto})",
            sources.select("SELECT 1")
        );
        Ok(self
            .conn
            .query_row(&sql, params_from_iter(args.iter()), |r| r.get(0))?)
    }
}

/// The letters the last search by text found, all of them: while a clerk types a phrase,
/// each longer text (พื้นที่สีเข, พื้นที่สีเขี, …) finds a part of what the text before found,
/// so it is looked for among those few hundred letters instead of in the index again — where
/// a phrase whose trigrams are in most letters costs FTS5 some 80 ms on a million letters.
/// Kept only while nothing in the register changed. The index is of trigrams with their
/// case (`case_sensitive 1`, the text folded before), so a phrase finds exactly the letters
/// whose indexed text holds it as a plain substring, which is what the narrowed search asks.
#[derive(Debug)]
pub(crate) struct Narrowing {
    /// The search's filters (its year, dates, kind, status).
    filters: String,
    /// The folded text it looked for.
    text: String,
    /// Every letter it found, newest first.
    ids: Vec<i64>,
    /// The register's version then ([`SqliteRegister::version`]).
    version: (i64, u64),
}

impl Narrowing {
    fn filters_of(q: &SearchQuery) -> String {
        format!(
            "{:?}",
            SearchQuery {
                text: None,
                limit: None,
                offset: None,
                ..q.clone()
            }
        )
    }

    /// The letters to look among for `text`, when this search is one it narrows.
    fn among(&self, filters: &str, text: &str, version: (i64, u64)) -> Option<&[i64]> {
        (self.version == version && self.filters == filters && text.contains(&self.text))
            .then_some(&self.ids[..])
    }
}

/// A found letter from a row of an entry's columns followed by its indexed text: the
/// entry, and the text around `needle` in it.
fn hit_row(r: &rusqlite::Row<'_>, needle: &str) -> rusqlite::Result<Hit> {
    let entry = entry_row(r)?;
    let indexed: String = r.get::<_, Option<String>>(ENTRY_WIDTH)?.unwrap_or_default();
    let snippet = short_snippet(&indexed, needle).unwrap_or_default();
    Ok(Hit { entry, snippet })
}

/// Register ids as an SQL list (`3,2,1`): numbers read from the register, never text.
fn id_list(ids: &[i64]) -> String {
    ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
}

/// A text shorter than this many characters is searched in the newest
/// [`SHORT_TEXT_WINDOW`] entries only: no index holds one or two characters (the index is
/// of trigrams), and reading every letter of a register of a million for one keystroke
/// takes seconds — the search as you type would wait on it.
pub const SHORT_TEXT: usize = 3;

/// How many of the newest entries a text shorter than [`SHORT_TEXT`] is searched in.
pub const SHORT_TEXT_WINDOW: i64 = 20_000;

/// Where a search's letters come from: one `FROM … WHERE …` for each table it reads (the
/// index and the letters waiting to join it, or the letters alone when there is no text),
/// with the expressions of the letter's id and its searchable text in each.
pub(crate) struct Sources(Vec<Source>);

struct Source {
    from_where: String,
    id: &'static str,
    text: &'static str,
}

impl Sources {
    /// `columns` (with `{id}` and `{text}` for each source's own) over every source, as one
    /// compound SELECT: ordered by a column that is the id in each, SQLite merges the
    /// sources, each read newest first, and stops at the LIMIT.
    fn select(&self, columns: &str) -> String {
        self.0
            .iter()
            .map(|s| {
                format!(
                    "{} {}",
                    columns.replace("{id}", s.id).replace("{text}", s.text),
                    s.from_where
                )
            })
            .collect::<Vec<_>>()
            .join(" UNION ALL ")
    }
}

/// The sources of a search, its arguments, and the folded text looked for.
fn where_clause(q: &SearchQuery) -> (Sources, Vec<Value>, Option<String>) {
    let (filters, conditions) = q.conditions(|n| format!("?{n}"));
    let mut args: Vec<Value> = conditions.into_iter().map(Value::from).collect();
    let text = q.folded_text();
    let both = |indexed: String, waiting: String| {
        Sources(vec![
            Source {
                from_where: indexed,
                id: "f.rowid",
                text: "f.text",
            },
            Source {
                from_where: waiting,
                id: "u.id",
                text: "u.text",
            },
        ])
    };
    let sources = match &text {
        Some(t) if t.chars().count() >= SHORT_TEXT => {
            // A quoted phrase of trigrams: an exact substring, found in the index.
            // Quotes, stars and NEAR( in the query are only text.
            args.push(Value::Text(format!("\"{}\"", t.replace('"', "\"\""))));
            let m = args.len();
            // The same substring among the letters not in the index yet (the index is of
            // trigrams with their case, the text folded before: a phrase matches exactly
            // where it is a plain substring).
            args.push(Value::Text(t.clone()));
            let p = args.len();
            both(
                format!(
                    "FROM letters_fts f JOIN letters l ON l.id = f.rowid
                     WHERE letters_fts MATCH ?{m} {filters}"
                ),
                format!(
                    "FROM letters_unindexed u JOIN letters l ON l.id = u.id
                     WHERE instr(u.text, ?{p}) > 0 {filters}"
                ),
            )
        }
        Some(t) => {
            // Shorter than a trigram: scan, with GLOB on plain text ([*] is a star).
            let mut pattern = String::from("*");
            for c in t.chars() {
                match c {
                    '*' | '?' | '[' => {
                        pattern.push('[');
                        pattern.push(c);
                        pattern.push(']');
                    }
                    _ => pattern.push(c),
                }
            }
            pattern.push('*');
            args.push(Value::Text(pattern));
            let p = args.len();
            let window =
                format!("(SELECT coalesce(max(id), 0) FROM letters) - {SHORT_TEXT_WINDOW}");
            both(
                format!(
                    "FROM letters_fts f JOIN letters l ON l.id = f.rowid
                     WHERE f.text GLOB ?{p} AND f.rowid > {window} {filters}"
                ),
                format!(
                    "FROM letters_unindexed u JOIN letters l ON l.id = u.id
                     WHERE u.text GLOB ?{p} AND u.id > {window} {filters}"
                ),
            )
        }
        None => Sources(vec![Source {
            from_where: format!("FROM letters l WHERE 1 = 1 {filters}"),
            id: "l.id",
            text: "''",
        }]),
    };
    (sources, args, text)
}

pub(super) fn short_snippet(text: &str, needle: &str) -> Option<String> {
    if needle.is_empty() {
        return None;
    }
    // LIKE ignores ASCII case; so does the snippet.
    let i = text
        .to_ascii_lowercase()
        .find(&needle.to_ascii_lowercase())?;
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
        &text[i..i + needle.len()],
        &text[i + needle.len()..end],
        if end < text.len() { "…" } else { "" }
    ))
}

/// The searchable text of a stored letter row (when a register is moved).
pub(super) fn stored_search_text(row: &super::records::LetterRow) -> String {
    let number = row.number_text.clone().unwrap_or_default();
    match Letter::from_stored_json(&row.letter_json) {
        Ok(l) => search_text(&l, &number),
        Err(_) => fold(&format!("{number}\n{}", row.title)),
    }
}
