//! Issuing (ออกเลข): the next running number, the final PDF and the audit entry, in one
//! transaction; cancelling; reading issued letters back.

use chrono::NaiveDate;
use rusqlite::{params, OptionalExtension, TransactionBehavior};
use sha2::{Digest, Sha256};

use super::audit::{append, append_after, commit_anchored, issue_detail, last_entry};
use super::entry::{entry_row, entry_select, hex, listing};
use super::search::{fold_digits, index_letter, search_text};
use super::{now_text, series_kind, Entry, SqliteRegister};
use saraban_model::error::Error;
use saraban_model::letter::{Kind, Letter, LetterDate, Number, RunningNumber};
use saraban_thai::{localize, to_arabic_digits, to_thai_digits};

/// How a letter is issued.
#[derive(Debug, Clone, Default)]
pub struct IssueOptions {
    /// The date of issue (default: today).
    pub date: Option<NaiveDate>,
    /// Keep the running number the letter carries: a historical entry imported from the
    /// paper register. Otherwise a letter that already has a number is refused.
    pub keep_number: bool,
    /// The draft this letter was composed as; it becomes the issued letter.
    pub draft: Option<i64>,
    /// The clerk insists on a date more than a year from today (`--any-date`).
    pub any_date: bool,
}

/// How far from today a letter may be dated without the clerk insisting.
pub const DATE_WINDOW_DAYS: i64 = 366;

/// Refuses an issue date that is most likely a typing mistake: a Buddhist-Era year given
/// as a Christian one (2567-03-01 would print as the year ๓๑๑๐), or any date more than a
/// year from today, unless the clerk insists. A historical import keeps its old date but
/// must still be a real date of the Thai calendar in use (1941 onwards) and not in the
/// future.
pub fn check_issue_date(
    date: NaiveDate,
    today: NaiveDate,
    opts: &IssueOptions,
) -> saraban_model::Result<()> {
    let year = chrono::Datelike::year(&date);
    if year >= 2400 {
        return Err(Error::input(
            "date",
            format!("ปี {year} เป็นปี พ.ศ. วันที่ต้องเป็น ค.ศ. (ปี พ.ศ. {year} คือ ค.ศ. {})", year - 543),
            format!("{year} is a Buddhist-Era year; dates are given in the Christian era (BE {year} is CE {})", year - 543),
        ));
    }
    let days = (date - today).num_days();
    if opts.keep_number {
        if year < 1941 || days > DATE_WINDOW_DAYS {
            return Err(Error::input(
                "date",
                format!("วันที่ {date} ของหนังสือที่นำเข้าไม่น่าถูกต้อง (ต้องตั้งแต่ ค.ศ. 1941 และไม่เกินหนึ่งปีข้างหน้า)"),
                format!("the imported letter's date {date} cannot be right (it must be 1941 or later and not more than a year ahead)"),
            ));
        }
        return Ok(());
    }
    if days.abs() > DATE_WINDOW_DAYS && !opts.any_date {
        return Err(Error::input(
            "date",
            format!("วันที่ {date} ห่างจากวันนี้ ({today}) เกินหนึ่งปี อาจพิมพ์ปีผิด ถ้าตั้งใจจริงให้ยืนยันวันที่ (ในคำสั่ง: --any-date)"),
            format!("the date {date} is more than a year from today ({today}); if it is meant, insist with --any-date"),
        ));
    }
    Ok(())
}

/// What issuing produced.
#[derive(Debug, Clone, PartialEq, serde::Serialize, ts_rs::TS)]
pub struct Issued {
    /// Row id.
    #[ts(type = "number")]
    pub id: i64,
    /// The number as printed on the letter.
    pub number: String,
    /// The running number.
    #[ts(type = "number")]
    pub running: i64,
    /// Buddhist-Era year of the series.
    #[ts(type = "number")]
    pub year_be: i64,
    /// The date of the letter, ISO.
    pub date: String,
    /// SHA-256 of the PDF, hex.
    pub sha256: String,
}

/// The series a letter is numbered in: its letter code in a canonical form, and the kind
/// of series. Orders and announcements are numbered per issuing agency.
///
/// The canonical form is what makes two codes that print the same one series: Unicode NFC,
/// Thai digits folded to Arabic, every run of spaces (any kind) one space, no space at the
/// ends (`มท ๐๘20.3` and `มท  ๐๘๒๐.๓` are one series). A code holding a character that
/// prints as nothing (ZERO WIDTH SPACE, SOFT HYPHEN…) is refused: it would start a
/// series of numbers that look like another's on paper.
pub fn series_key(letter: &Letter) -> saraban_model::Result<(String, &'static str)> {
    let (path, raw) = match letter.kind {
        Kind::Order | Kind::Announcement => (
            "agency.name",
            letter
                .agency
                .as_ref()
                .map(|a| a.name.as_str())
                .unwrap_or(""),
        ),
        _ => (
            "number.prefix",
            letter
                .number
                .as_ref()
                .and_then(|n| n.prefix.as_deref())
                .unwrap_or(""),
        ),
    };
    if let Some((at, c)) = saraban_thai::find_invisible(raw) {
        return Err(Error::input(
            path,
            format!(
                "มีอักขระที่มองไม่เห็น (U+{:04X}) อยู่ที่ตำแหน่ง {} ของ “{raw}” ซึ่งจะทำให้เลขที่ดูซ้ำกับชุดอื่น กรุณาลบแล้วพิมพ์ใหม่",
                c as u32,
                at + 1
            ),
            format!(
                "“{raw}” holds an invisible character (U+{:04X}) at position {}: it would make numbers that look like another series'; delete it and type the code again",
                c as u32,
                at + 1
            ),
        ));
    }
    if let Some((at, c, looks)) = saraban_thai::find_look_alike(&saraban_thai::nfc(raw)) {
        return Err(Error::input(
            path,
            format!(
                "อักขระ “{c}” (U+{:04X}) ที่ตำแหน่ง {} ของ “{raw}” หน้าตาเหมือน “{looks}” แต่เป็นคนละตัว จะทำให้เกิดชุดเลขที่ซ้ำกับชุดอื่นบนกระดาษ กรุณาพิมพ์ “{looks}” ตัวปกติแทน",
                c as u32,
                at + 1
            ),
            format!(
                "“{c}” (U+{:04X}) at position {} of “{raw}” looks like “{looks}” but is another character: it would start a series whose numbers look like another's on paper; type an ordinary “{looks}”",
                c as u32,
                at + 1
            ),
        ));
    }
    let folded = to_arabic_digits(&saraban_thai::nfc(raw));
    Ok((
        folded.split_whitespace().collect::<Vec<_>>().join(" "),
        series_kind(letter.kind, letter.circular),
    ))
}

/// What issuing a letter needs to know before any number is taken, the letter checked.
pub(super) struct Prepared {
    /// The running number the letter carries (a historical import).
    pub carried: Option<RunningNumber>,
    /// The date of issue.
    pub date: NaiveDate,
    /// The series: its letter code (canonical) and kind, and the Buddhist-Era year.
    pub prefix: String,
    pub kind: &'static str,
    pub year_be: i64,
}

/// Checks a letter and its options for issue, on any engine: a number already carried, the
/// date, the letter code.
pub(super) fn prepare(letter: &Letter, opts: &IssueOptions) -> saraban_model::Result<Prepared> {
    let carried = letter.number.as_ref().and_then(|n| n.running);
    if carried.is_some() && !opts.keep_number {
        return Err(Error::input(
            "number.running",
            "หนังสือนี้มีเลขทะเบียนอยู่แล้ว ออกเลขซ้ำไม่ได้ (ถ้าเป็นการนำเข้าทะเบียนเดิม ใช้ --keep-number)",
            "this letter already carries a running number and cannot be issued again (to import a historical entry, use --keep-number)",
        ));
    }
    if opts.keep_number && carried.is_none() {
        return Err(Error::input(
            "number.running",
            "นำเข้าทะเบียนเดิม (--keep-number) ต้องมีเลขทะเบียนในหนังสือ",
            "importing a historical entry (--keep-number) needs the letter's running number",
        ));
    }
    let date = match (opts.date, letter.date.and_then(|d| d.to_naive())) {
        (Some(d), _) => d,
        (None, Some(d)) if opts.keep_number => d,
        _ => saraban_thai::date::today(),
    };
    check_issue_date(date, saraban_thai::date::today(), opts)?;
    let (prefix, kind) = series_key(letter)?;
    if prefix.is_empty() && !matches!(letter.kind, Kind::Order | Kind::Announcement) {
        return Err(Error::input(
            "number.prefix",
            "ออกเลขไม่ได้: หนังสือไม่มีรหัสเลขที่หนังสือ (number.prefix เช่น มท ๐๘๑๐.๒)",
            "cannot issue: the letter has no letter code (number.prefix, e.g. มท ๐๘๑๐.๒)",
        ));
    }
    let year_be = i64::from(chrono::Datelike::year(&date)) + 543;
    Ok(Prepared {
        carried,
        date,
        prefix,
        kind,
        year_be,
    })
}

/// The number `letter` would get on `date`, as printed, and its running number, given the
/// engine's next free number of a series (prefix, kind, Buddhist-Era year).
pub(super) fn next_number_with(
    letter: &Letter,
    date: NaiveDate,
    next_free: impl FnOnce(&str, &str, i64) -> saraban_model::Result<RunningNumber>,
) -> saraban_model::Result<(String, i64)> {
    let (prefix, kind) = series_key(letter)?;
    let year_be = i64::from(chrono::Datelike::year(&date)) + 543;
    let running = next_free(&prefix, kind, year_be)?;
    let next = dated(letter, running, date);
    Ok((
        localize(&next.number_text(), next.digits).into_owned(),
        running.get(),
    ))
}

/// The running number and date a historical letter carries (the `i`th of an import).
pub(super) fn historical(
    letter: &Letter,
    i: usize,
) -> saraban_model::Result<(RunningNumber, NaiveDate)> {
    match (
        letter.number.as_ref().and_then(|x| x.running),
        letter.date.and_then(|d| d.to_naive()),
    ) {
        (Some(running), Some(date)) => Ok((running, date)),
        _ => Err(Error::input(
            format!("[{i}]"),
            "นำเข้าได้เฉพาะหนังสือที่มีเลขทะเบียนและวันที่ครบ",
            "only letters with a running number and a full date can be imported",
        )),
    }
}

/// The letter as issued: its running number and date filled in.
pub(super) fn dated(letter: &Letter, running: RunningNumber, date: NaiveDate) -> Letter {
    let mut issued = letter.clone();
    issued.number.get_or_insert_with(Number::default).running = Some(running);
    issued.date = Some(LetterDate::from_naive(date));
    issued
}

impl SqliteRegister {
    /// The next number of a series as it stands now (outside any transaction).
    fn next_free(
        &self,
        prefix: &str,
        kind: &str,
        year_be: i64,
    ) -> saraban_model::Result<RunningNumber> {
        let last: i64 = self
            .conn
            .query_row(
                "SELECT last FROM series WHERE prefix = ?1 AND kind = ?2 AND year_be = ?3",
                params![prefix, kind, year_be],
                |r| r.get(0),
            )
            .optional()?
            .unwrap_or(0);
        RunningNumber::new(last + 1).ok_or_else(|| series_full(prefix, year_be))
    }

    /// The number `letter` would be given if it were issued on `date` now, as printed
    /// (for the clerk's confirmation). Another clerk issuing first takes it; the issue
    /// itself always takes the next free number in its own transaction.
    pub fn next_number(
        &self,
        letter: &Letter,
        date: NaiveDate,
    ) -> saraban_model::Result<(String, i64)> {
        next_number_with(letter, date, |prefix, kind, year| {
            self.next_free(prefix, kind, year)
        })
    }

    /// Issues a letter: takes the next number of its series, dates it, renders it with
    /// `render`, stores letter, PDF and hash, indexes it and appends to the audit trail,
    /// all or nothing.
    ///
    /// Clerks issuing into one register take turns in the order they came
    /// ([`SqliteRegister::issue_place`]). While it waits, a letter is typeset with the
    /// number it will most likely get — the next free one, after those of the clerks
    /// ahead of it — so that its turn holds only the writing, and a letter that cannot be
    /// typeset fails before anything is locked. Inside the transaction that PDF is used
    /// when the number is the one typeset, else (a clerk ahead issued into another series,
    /// or a program that does not queue took it) the letter is rendered again.
    pub fn issue(
        &mut self,
        letter: &Letter,
        opts: &IssueOptions,
        mut render: impl FnMut(&Letter) -> saraban_model::Result<Vec<u8>>,
    ) -> saraban_model::Result<Issued> {
        let Prepared {
            carried,
            date,
            prefix,
            kind,
            year_be,
        } = prepare(letter, opts)?;
        let dated = |running: RunningNumber| dated(letter, running, date);
        // In line with the other clerks issuing now; typeset while waiting, with the number
        // this letter will get if those ahead issue into the same series.
        let place = self.issue_place();
        let predicted = match carried {
            Some(r) => r,
            None => {
                let next = self.next_free(&prefix, kind, year_be)?;
                let ahead = place.as_ref().map_or(0, |p| p.ahead) as i64;
                RunningNumber::new(next.get() + ahead).unwrap_or(next)
            }
        };
        let mut rendered = Some((predicted, render(&dated(predicted))?));
        // The turn (released when this returns, after the anchor is written).
        let turn = place.map(super::queue::Place::wait);

        // Durable: the commit reaches the disk before the number is reported.
        self.conn.pragma_update(None, "synchronous", "FULL")?;
        let result = (|| {
            let _turn = turn;
            let anchor = self.anchor_ready()?;
            let tx = self
                .conn
                .transaction_with_behavior(TransactionBehavior::Immediate)?;
            tx.execute(
                "INSERT INTO series (prefix, kind, year_be, last) VALUES (?1, ?2, ?3, 0)
                 ON CONFLICT (prefix, kind, year_be) DO NOTHING",
                params![prefix, kind, year_be],
            )?;
            let (series_id, last): (i64, i64) = tx.query_row(
                "SELECT id, last FROM series WHERE prefix = ?1 AND kind = ?2 AND year_be = ?3",
                params![prefix, kind, year_be],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?;
            let running = match carried {
                Some(r) => r,
                None => {
                    RunningNumber::new(last + 1).ok_or_else(|| series_full(&prefix, year_be))?
                }
            };
            tx.execute(
                "UPDATE series SET last = max(last, ?1) WHERE id = ?2",
                params![running.get(), series_id],
            )?;
            let taken: Option<i64> = tx
                .query_row(
                    "SELECT id FROM letters WHERE series_id = ?1 AND year_be = ?2 AND running = ?3",
                    params![series_id, year_be, running.get()],
                    |r| r.get(0),
                )
                .optional()?;
            if let Some(id) = taken {
                return Err(number_taken(running, year_be, id));
            }
            let issued = dated(running);
            let pdf = match rendered.take() {
                Some((r, pdf)) if r == running => pdf,
                _ => render(&issued)?,
            };
            let sha = hex(&Sha256::digest(&pdf));
            let number = localize(&issued.number_text(), issued.digits).into_owned();
            let json = serde_json::to_string(&issued).map_err(|e| Error::Pdf(e.to_string()))?;
            let now = now_text();
            let kind_name = issued.kind.name().to_string();
            let (title, recipient, sender) = listing(&issued);
            let id = match opts.draft {
                Some(draft) => {
                    let changed = tx.execute(
                        "UPDATE letters SET status = 'issued', kind = ?2, title = ?3, updated_at = ?4, letter_json = ?5,
                            series_id = ?6, year_be = ?7, running = ?8, number_text = ?9, issued_date = ?10,
                            issued_at = ?4, issued_by = ?11, pdf = ?12, pdf_sha256 = ?13, historical = ?14,
                            recipient = ?15, sender = ?16
                         WHERE id = ?1 AND status = 'draft'",
                        params![draft, kind_name, title, now, json, series_id, year_be, running.get(), number,
                            date.to_string(), self.user, pdf, sha, opts.keep_number, recipient, sender],
                    )?;
                    if changed == 0 {
                        return Err(crate::drafts::no_draft(draft));
                    }
                    draft
                }
                None => {
                    tx.execute(
                        "INSERT INTO letters (status, kind, title, created_at, updated_at, letter_json, series_id, year_be,
                            running, number_text, issued_date, issued_at, issued_by, pdf, pdf_sha256, historical,
                            recipient, sender)
                         VALUES ('issued', ?1, ?2, ?3, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?3, ?10, ?11, ?12, ?13, ?14, ?15)",
                        params![kind_name, title, now, json, series_id, year_be, running.get(), number, date.to_string(),
                            self.user, pdf, sha, opts.keep_number, recipient, sender],
                    )?;
                    tx.last_insert_rowid()
                }
            };
            index_letter(&tx, id, &issued, &number)?;
            let action = if opts.keep_number { "import" } else { "issue" };
            append(
                &tx,
                &self.user,
                action,
                Some(id),
                &issue_detail(&number, &date.to_string(), &sha, &json),
            )?;
            commit_anchored(tx, anchor)?;
            Ok(Issued {
                id,
                number,
                running: running.get(),
                year_be,
                date: date.to_string(),
                sha256: sha,
            })
        })();
        let _ = self.conn.pragma_update(None, "synchronous", "NORMAL");
        if result.is_ok() {
            self.settle_search_index_if_overdue();
        }
        result
    }

    /// Imports historical letters in one transaction (migrating a paper or spreadsheet
    /// register): each keeps the running number and full date it carries, with the PDF
    /// given for it. Returns how many were imported. A duplicate number rolls back all.
    pub fn import<I>(&mut self, letters: I) -> saraban_model::Result<usize>
    where
        I: IntoIterator<Item = (Letter, Vec<u8>)>,
    {
        let user = self.user.clone();
        // A large page cache for the batch: the indexes of a big register stay in memory.
        self.conn.pragma_update(None, "cache_size", -262_144)?;
        let anchor = self.anchor_ready()?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut n = 0;
        let mut last = last_entry(&tx)?;
        // The search rows go in after the letters: FTS5 flushes its pending index at every
        // statement that touches another table, and interleaving would flush per letter.
        let mut to_index: Vec<(i64, String)> = Vec::new();
        {
            let mut series_ins = tx.prepare_cached(
                "INSERT INTO series (prefix, kind, year_be, last) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (prefix, kind, year_be) DO UPDATE SET last = max(last, excluded.last) RETURNING id",
            )?;
            let mut ins = tx.prepare_cached(
                "INSERT INTO letters (status, kind, title, created_at, updated_at, letter_json, series_id, year_be,
                    running, number_text, issued_date, issued_at, issued_by, pdf, pdf_sha256, historical, recipient, sender)
                 VALUES ('issued', ?1, ?2, ?3, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?3, ?10, ?11, ?12, 1, ?13, ?14)",
            )?;
            for (i, (letter, pdf)) in letters.into_iter().enumerate() {
                let (running, date) = historical(&letter, i)?;
                let (prefix, kind) = series_key(&letter)?;
                let year_be = i64::from(chrono::Datelike::year(&date)) + 543;
                let series_id: i64 = series_ins
                    .query_row(params![prefix, kind, year_be, running.get()], |r| r.get(0))?;
                let number = localize(&letter.number_text(), letter.digits).into_owned();
                let sha = hex(&Sha256::digest(&pdf));
                let json = serde_json::to_string(&letter).map_err(|e| Error::Pdf(e.to_string()))?;
                let kind_name = letter.kind.name().to_string();
                let now = now_text();
                let (title, recipient, sender) = listing(&letter);
                ins.execute(params![
                    kind_name,
                    title,
                    now,
                    json,
                    series_id,
                    year_be,
                    running.get(),
                    number,
                    date.to_string(),
                    user,
                    pdf,
                    sha,
                    recipient,
                    sender
                ])?;
                let id = tx.last_insert_rowid();
                to_index.push((id, search_text(&letter, &number)));
                append_after(
                    &tx,
                    &mut last,
                    &user,
                    "import",
                    Some(id),
                    &issue_detail(&number, &date.to_string(), &sha, &json),
                )?;
                n += 1;
            }
            // No incremental merging while the batch goes in; one merge pass after it.
            tx.execute(
                "INSERT INTO letters_fts (letters_fts, rank) VALUES ('automerge', 0)",
                [],
            )?;
            let mut fts =
                tx.prepare_cached("INSERT INTO letters_fts (rowid, text) VALUES (?1, ?2)")?;
            for (id, text) in &to_index {
                fts.execute(params![id, text])?;
            }
            tx.execute(
                "INSERT INTO letters_fts (letters_fts, rank) VALUES ('automerge', 4)",
                [],
            )?;
            finish_merging(&tx)?;
        }
        commit_anchored(tx, anchor)?;
        Ok(n)
    }

    /// Cancels an issued letter (ยกเลิก): its number stays in the register, never reused.
    pub fn cancel(&mut self, id: i64, reason: &str) -> saraban_model::Result<()> {
        check_reason(reason)?;
        self.conn.pragma_update(None, "synchronous", "FULL")?;
        let result = (|| {
            let anchor = self.anchor_ready()?;
            let tx = self
                .conn
                .transaction_with_behavior(TransactionBehavior::Immediate)?;
            let status: Option<String> = tx
                .query_row("SELECT status FROM letters WHERE id = ?1", [id], |r| {
                    r.get(0)
                })
                .optional()?;
            cancellable(id, status.as_deref())?;
            let now = now_text();
            tx.execute(
                "UPDATE letters SET status = 'cancelled', cancelled_at = ?2, cancelled_by = ?3, cancel_reason = ?4, updated_at = ?2
                 WHERE id = ?1",
                params![id, now, self.user, reason.trim()],
            )?;
            append(&tx, &self.user, "cancel", Some(id), reason.trim())?;
            commit_anchored(tx, anchor)
        })();
        let _ = self.conn.pragma_update(None, "synchronous", "NORMAL");
        result
    }

    /// Finds an issued letter by its id or its number as printed (either digit form).
    pub fn find(&self, id_or_number: &str) -> saraban_model::Result<i64> {
        let q = id_or_number.trim();
        if let Ok(id) = to_arabic_digits(q).parse::<i64>() {
            let found: Option<i64> = self
                .conn
                .query_row(
                    "SELECT id FROM letters WHERE id = ?1 AND status <> 'draft'",
                    [id],
                    |r| r.get(0),
                )
                .optional()?;
            if let Some(id) = found {
                return Ok(id);
            }
        }
        let want = fold_digits(q)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        let mut stmt = self
            .conn
            .prepare_cached("SELECT id, number_text FROM letters WHERE status <> 'draft'")?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?;
        for row in rows {
            let (id, number) = row?;
            if fold_digits(&number)
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                == want
            {
                return Ok(id);
            }
        }
        Err(not_found(q))
    }

    /// One issued letter.
    pub fn entry(&self, id: i64) -> saraban_model::Result<Entry> {
        self.conn
            .query_row(
                &format!(
                    "{} FROM letters l WHERE id = ?1 AND status <> 'draft'",
                    entry_select("l")
                ),
                [id],
                entry_row,
            )
            .optional()?
            .ok_or_else(|| not_found(&id.to_string()))
    }

    /// The PDF exactly as issued. Its hash is checked: a PDF changed after issue is never
    /// served.
    pub fn pdf(&self, id: i64) -> saraban_model::Result<Vec<u8>> {
        let (pdf, sha, number): (Vec<u8>, String, String) = self
            .conn
            .query_row(
                "SELECT pdf, pdf_sha256, number_text FROM letters WHERE id = ?1 AND status <> 'draft'",
                [id],
                |r| {
                    let pdf = r.get_ref(0)?.as_bytes_or_null().ok().flatten().unwrap_or_default();
                    Ok((pdf.to_vec(), r.get(1)?, r.get(2)?))
                },
            )
            .optional()?
            .ok_or_else(|| not_found(&id.to_string()))?;
        if hex(&Sha256::digest(&pdf)) != sha {
            return Err(Error::Register {
                th: to_thai_digits(&format!("PDF ของรายการ {id} ({number}) ในทะเบียนถูกแก้ไขหลังออกเลข จึงไม่ส่งออก กรุณาตรวจด้วย saraban audit verify และกู้คืนทะเบียนจากสำเนาสำรอง")),
                en: format!("the stored PDF of entry {id} ({number}) was changed after issue and is not served; run saraban audit verify and restore the register from a backup"),
            });
        }
        Ok(pdf)
    }

    /// The letter exactly as issued.
    pub fn issued_letter(&self, id: i64) -> saraban_model::Result<Letter> {
        let json: String = self
            .conn
            .query_row(
                "SELECT letter_json FROM letters WHERE id = ?1 AND status <> 'draft'",
                [id],
                |r| r.get(0),
            )
            .optional()?
            .ok_or_else(|| not_found(&id.to_string()))?;
        Letter::from_stored_json(&json)
    }

    /// Calls `each` with the register's entries (of one Buddhist-Era year, or all) in
    /// register order, one at a time: a year of any size in little memory.
    pub fn for_each_entry(
        &self,
        year_be: Option<i64>,
        mut each: impl FnMut(Entry) -> saraban_model::Result<()>,
    ) -> saraban_model::Result<()> {
        let mut stmt = self.conn.prepare(&format!(
            "{} FROM letters l WHERE status <> 'draft' AND (?1 IS NULL OR year_be = ?1)
             ORDER BY year_be, issued_date, id",
            entry_select("l")
        ))?;
        let mut rows = stmt.query([year_be])?;
        while let Some(row) = rows.next()? {
            each(entry_row(row)?)?;
        }
        Ok(())
    }

    /// How many entries [`Register::for_each_entry`] will give.
    pub fn count_entries(&self, year_be: Option<i64>) -> saraban_model::Result<u64> {
        Ok(self.conn.query_row(
            "SELECT count(*) FROM letters WHERE status <> 'draft' AND (?1 IS NULL OR year_be = ?1)",
            [year_be],
            |r| r.get::<_, i64>(0),
        )? as u64)
    }

    /// Every issued and cancelled letter, in register order (year, series, number), for a
    /// year or all years.
    pub fn entries(&self, year_be: Option<i64>) -> saraban_model::Result<Vec<Entry>> {
        let mut stmt = self.conn.prepare(&format!(
            "{} FROM letters l WHERE status <> 'draft' AND (?1 IS NULL OR year_be = ?1)
             ORDER BY year_be, issued_date, id",
            entry_select("l")
        ))?;
        let rows = stmt.query_map([year_be], entry_row)?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }
}

/// Whether entry `id`, of `status` (None: no such entry), can be cancelled: only an issued
/// letter, once.
pub(super) fn cancellable(id: i64, status: Option<&str>) -> saraban_model::Result<()> {
    match status {
        Some("issued") => Ok(()),
        Some("cancelled") => Err(Error::input(
            "",
            to_thai_digits(&format!("หนังสือรายการ {id} ถูกยกเลิกไปแล้ว")),
            format!("entry {id} is already cancelled"),
        )),
        _ => Err(not_found(&id.to_string())),
    }
}

/// A cancellation's reason: one line of visible text, 1 to 1,000 characters.
pub(super) fn check_reason(reason: &str) -> saraban_model::Result<()> {
    if reason.trim().is_empty() {
        return Err(Error::input(
            "reason",
            "ต้องระบุเหตุผลที่ยกเลิก",
            "a cancellation needs a reason",
        ));
    }
    if let Some(c) = reason
        .chars()
        .find(|c| c.is_control() || saraban_thai::is_invisible(*c))
    {
        return Err(Error::input(
            "reason",
            format!("เหตุผลที่ยกเลิกมีอักขระควบคุมหรืออักขระที่มองไม่เห็น (U+{:04X}) กรุณาพิมพ์เป็นข้อความบรรทัดเดียว", c as u32),
            format!("the reason holds a control or invisible character (U+{:04X}); type it as one line of text", c as u32),
        ));
    }
    if reason.chars().count() > 1000 {
        return Err(Error::input(
            "reason",
            "เหตุผลที่ยกเลิกยาวเกิน 1,000 ตัวอักษร",
            "the reason is longer than 1,000 characters",
        ));
    }
    Ok(())
}

/// A carried running number already in the register, as both engines say it.
pub(crate) fn number_taken(running: RunningNumber, year_be: i64, id: i64) -> Error {
    Error::input(
        "number.running",
        to_thai_digits(&format!(
            "เลขทะเบียน {running} ปี {year_be} ของชุดนี้มีในทะเบียนแล้ว (รายการ {id})"
        )),
        format!("running number {running} of {year_be} in this series is already in the register (entry {id})"),
    )
}

pub(super) fn series_full(prefix: &str, year_be: i64) -> Error {
    Error::input(
        "number.running",
        to_thai_digits(&format!(
            "ชุดเลข {prefix} ปี {year_be} ใช้เลขครบ {} แล้ว ออกเลขต่อไม่ได้",
            RunningNumber::MAX
        )),
        format!(
            "series {prefix} of {year_be} has used all {} numbers; no further number can be issued",
            RunningNumber::MAX
        ),
    )
}

pub(super) fn not_found(what: &str) -> Error {
    Error::NotFound {
        th: format!("ไม่พบหนังสือ {what} ในทะเบียน (ตรวจเลขที่หรือค้นหาด้วย saraban search)"),
        en: format!(
            "no letter {what} in the register (check the number, or find it with saraban search)"
        ),
    }
}

/// A letter issued on the server whose local anchor could not be appended after the
/// commit: the number is taken and must be said, so that nobody issues it again.
pub(crate) fn committed_unanchored(number: &str, e: Error) -> Error {
    let (th, en) = match &e {
        Error::Register { th, en } => (th.clone(), en.clone()),
        other => (other.to_string(), other.to_string()),
    };
    Error::Register {
        th: format!("ออกเลข {number} แล้ว (บันทึกในทะเบียนเรียบร้อย อย่าออกเลขซ้ำ) แต่ {th}"),
        en: format!("{number} was issued (it is in the register: do not issue it again), but {en}"),
    }
}

/// Merges the search index's segments until FTS5 has no merge left to do (a pass that
/// changes fewer than two rows, as the FTS5 documentation says), so that an imported
/// register is handed over settled. A batch left half merged was finished by the next
/// clerk's issue, in its turn, while every clerk behind waited (2 000 letters imported:
/// the next letter's index took 120 ms to commit; the merge here takes 110 ms once).
fn finish_merging(tx: &rusqlite::Transaction) -> rusqlite::Result<()> {
    loop {
        let before = tx.total_changes();
        tx.execute(
            "INSERT INTO letters_fts (letters_fts, rank) VALUES ('merge', 500)",
            [],
        )?;
        if tx.total_changes() - before < 2 {
            return Ok(());
        }
    }
}
