//! Reading the fields of an official letter from the words of its first page (the page's
//! text, or OCR of a scan): the layout of ระเบียบงานสารบรรณ. What is read:
//!
//! - ที่ — the segment that starts with ที่ above the subject (the sender's number);
//! - ลงวันที่ — a Thai date (day, month name or its abbreviation, year; Thai or Arabic
//!   digits) above the subject, alone or after วันที่ / ลงวันที่;
//! - จาก — the agency block at the right of the emblem row (its first line), or the
//!   ส่วนราชการ of a memo up to its โทร.;
//! - เรื่อง, เรียน (กราบเรียน, ถึง), อ้างถึง, สิ่งที่ส่งมาด้วย — a label at the start of a segment,
//!   its value, and the lines that hang under the value;
//! - ชั้นความเร็ว, ชั้นความลับ — a segment that is only the mark, above the subject.
//!
//! A row of the page may hold several segments (ที่ … at the left, the agency's address
//! at the right): words far apart are apart.

use chrono::NaiveDate;
use serde::Serialize;

use saraban_model::letter::{Secrecy, Urgency};
use saraban_model::received::ReceivedFields;
use saraban_thai::date::{MONTHS, MONTHS_SHORT};
use saraban_thai::is_thai_combining;

use crate::page::{Page, Rect, Word};

/// Where a field was read on its page (the app highlights it there).
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
pub struct Spot {
    /// The field: `number`, `date`, `from`, `to`, `subject`, `urgency`, `secrecy`,
    /// `references`, `enclosures`.
    pub field: String,
    /// The page, from 0.
    pub page: u32,
    /// The box, in points from the page's top left.
    pub rect: Rect,
}

/// A run of words on one row with no wide gap between them.
#[derive(Debug, Clone)]
struct Segment {
    words: Vec<Word>,
    rect: Rect,
    /// The row of the page it is on.
    row: usize,
}

/// Words as the page shows them: a space where there is a gap a space wide, none where a
/// reader split a word at a mark (poppler parts เป้ from าหมาย by two points).
fn words_text(words: &[Word]) -> String {
    let mut out = String::new();
    let mut last: Option<&Word> = None;
    for w in words {
        if let Some(prev) = last {
            let gap = w.rect.x0 - prev.rect.x1;
            if gap > prev.rect.h().max(w.rect.h()) * 0.12 {
                out.push(' ');
            }
        }
        out.push_str(&w.text);
        last = Some(w);
    }
    out
}

impl Segment {
    fn text(&self) -> String {
        words_text(&self.words)
    }

    /// The value after a label of `n` words: its text and where it starts.
    fn after(&self, n: usize) -> (String, f32) {
        let rest = &self.words[n.min(self.words.len())..];
        let x = rest.first().map(|w| w.rect.x0).unwrap_or(self.rect.x1);
        (words_text(rest), x)
    }
}

/// The segments of a page in reading order: rows top to bottom, left to right in a row.
fn segments(page: &Page) -> Vec<Segment> {
    let mut words: Vec<Word> = page.lines.iter().flatten().cloned().collect();
    if words.is_empty() {
        return Vec::new();
    }
    // The typical height of a line of text.
    let mut heights: Vec<f32> = words.iter().map(|w| w.rect.h()).collect();
    heights.sort_by(|a, b| a.total_cmp(b));
    let line_h = heights[heights.len() / 2].max(1.0);
    words.sort_by(|a, b| a.rect.cy().total_cmp(&b.rect.cy()));
    // Rows: words whose centres are within half a line of the row's first word.
    let mut rows: Vec<Vec<Word>> = Vec::new();
    for w in words {
        match rows.last_mut() {
            Some(row) if (row[0].rect.cy() - w.rect.cy()).abs() < line_h * 0.45 => row.push(w),
            _ => rows.push(vec![w]),
        }
    }
    let mut out = Vec::new();
    for (r, mut row) in rows.into_iter().enumerate() {
        row.sort_by(|a, b| a.rect.x0.total_cmp(&b.rect.x0));
        let mut seg: Vec<Word> = Vec::new();
        for w in row {
            if let Some(last) = seg.last() {
                if w.rect.x0 - last.rect.x1 > line_h * 1.1 {
                    out.push(make_segment(std::mem::take(&mut seg), r));
                }
            }
            seg.push(w);
        }
        if !seg.is_empty() {
            out.push(make_segment(seg, r));
        }
    }
    out
}

fn make_segment(words: Vec<Word>, row: usize) -> Segment {
    let rect = words
        .iter()
        .map(|w| w.rect)
        .reduce(Rect::union)
        .unwrap_or_default();
    Segment { words, rect, row }
}

fn is_thai_letter(c: char) -> bool {
    is_thai(c) && !('๐'..='๙').contains(&c)
}

fn is_thai(c: char) -> bool {
    ('\u{0E00}'..='\u{0E7F}').contains(&c)
}

/// Joins a wrapped value's lines: Thai wraps between words without a space, other text
/// at a space.
fn join(parts: &[String]) -> String {
    let mut out = String::new();
    for p in parts.iter().map(|p| p.trim()).filter(|p| !p.is_empty()) {
        let glue = match (out.chars().last(), p.chars().next()) {
            (None, _) => "",
            // Thai letters run on; a number stands apart (ประจำปี ๒๕๖๔, ที่ มท ๐๘๑๐/ว ๑๒).
            (Some(a), Some(b)) if is_thai_letter(a) && is_thai_letter(b) => "",
            _ => " ",
        };
        out.push_str(glue);
        out.push_str(p);
    }
    out
}

/// The labels a header line may start with, and the field each fills.
const LABELS: &[(&str, &str)] = &[
    ("เรื่อง", "subject"),
    ("เรียน", "to"),
    ("กราบเรียน", "to"),
    ("ถึง", "to"),
    ("อ้างถึง", "references"),
    ("สิ่งที่ส่งมาด้วย", "enclosures"),
    ("ส่วนราชการ", "from"),
    ("ที่", "number"),
];

/// A word as OCR may misread it, for comparing with a known word: tone marks and the
/// marks OCR drops most (็ ์ ํ) left out, ิ and ี, ึ and ื taken as one.
pub(crate) fn skeleton(s: &str) -> String {
    s.chars()
        .filter(|c| !matches!(c, '\u{0E47}'..='\u{0E4D}'))
        .map(|c| match c {
            'ิ' => 'ี',
            'ึ' => 'ื',
            c => c,
        })
        .collect()
}

/// The label a segment starts with: the field, the label and how many words it takes.
fn label_of(seg: &Segment) -> Option<(&'static str, usize)> {
    let first = seg.words.first()?.text.trim_end_matches(':');
    for (label, field) in LABELS {
        if first == *label || skeleton(first) == skeleton(label) {
            return Some((field, 1));
        }
        // A long label OCR read in pieces (สิง ทีส่งมา ด้ วย): its first words together.
        if label.chars().count() >= 6 {
            let mut joined = String::new();
            for (k, w) in seg.words.iter().take(5).enumerate() {
                joined.push_str(w.text.trim_end_matches(':'));
                if k > 0 && skeleton(&joined) == skeleton(label) {
                    return Some((field, k + 1));
                }
            }
        }
        // ที่ glued to a letter code (ที่มท ๐๘๑๐.๒/ว ๑๒): the code's two or three consonants,
        // then its digits.
        if *field == "number" {
            if let Some(rest) = first
                .strip_prefix(label)
                .or_else(|| first.strip_prefix("ที"))
            {
                let code = (1..=3).contains(&rest.chars().count())
                    && rest.chars().all(|c| ('ก'..='ฮ').contains(&c));
                let digits_next = seg.words.get(1).is_some_and(|w| {
                    w.text
                        .starts_with(|c: char| c.is_ascii_digit() || ('๐'..='๙').contains(&c))
                });
                if code && digits_next {
                    return Some((field, 0));
                }
            }
        }
        // The label glued to its value by the reader ("เรื่องขอเชิญ…"), except ที่, which
        // starts many words (ที่ดิน).
        if *field != "number" && first.starts_with(label) && first.len() > label.len() {
            let rest = &first[label.len()..];
            if !rest.starts_with(|c: char| is_thai_combining(c)) {
                return Some((field, 0));
            }
        }
    }
    None
}

/// The value of a segment after its label (`skip` 0: the label is glued to the value).
fn value_of(seg: &Segment, label: &str, skip: usize) -> (String, f32) {
    if skip > 0 {
        return seg.after(skip);
    }
    let (text, x) = seg.after(0);
    (
        text.strip_prefix(label).unwrap_or(&text).trim().to_string(),
        x,
    )
}

/// A Thai date as printed (`๒๘ พฤศจิกายน ๒๕๖๘`, `5 มี.ค. 2569`, after วันที่ or not).
pub fn parse_thai_date(text: &str) -> Option<NaiveDate> {
    parse_date_with(text, None)
}

/// The month a name OCR misread is nearest to (แกราคศคม for มกราคม): the fewest letters
/// changed, at most half the name's, and fewer than for any other month.
fn nearest_month(name: &str) -> Option<usize> {
    let read: Vec<char> = skeleton(name).chars().collect();
    if read.len() < 3 {
        return None;
    }
    let mut costs: Vec<(usize, usize)> = MONTHS
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let m: Vec<char> = skeleton(m).chars().collect();
            (edit_distance(&read, &m), i)
        })
        .collect();
    costs.sort();
    let (best, i) = costs[0];
    let name_len = skeleton(MONTHS[i]).chars().count();
    (best * 2 <= name_len && costs[1].0 > best).then_some(i)
}

/// How many characters must be put in, left out or changed to make `a` into `b`.
pub fn edit_distance(a: &[char], b: &[char]) -> usize {
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != cb))
                .min(prev[j + 1] + 1)
                .min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// Digits OCR takes for one another in a Thai letter font (seen on the scans of
/// `tests/reading.rs`), each with the digits it may really be, in Arabic.
const CONFUSED: [&[char]; 10] = [
    &['0', '6', '8', '3', '2'],
    &['1', '7'],
    &['2', '6', '1'],
    &['3', '0', '8'],
    &['4', '5'],
    &['5', '8', '4', '9', '6'],
    &['6', '2', '0', '5'],
    &['7', '1'],
    &['8', '5', '0', '3'],
    &['9', '5'],
];

/// A year read by OCR made plausible for a letter received on `today`: four digits (one
/// read twice is dropped), each possibly one it is taken for, within three years before
/// and a month after today; the fewest changes win, then the nearest year. Christian era.
fn plausible_year(digits: &str, today: NaiveDate) -> Option<i32> {
    let d: Vec<char> = digits.chars().collect();
    let mut spellings: Vec<Vec<char>> = Vec::new();
    match d.len() {
        4 => spellings.push(d.clone()),
        5 => {
            for skip in 0..5 {
                spellings.push(
                    d.iter()
                        .enumerate()
                        .filter(|(i, _)| *i != skip)
                        .map(|(_, c)| *c)
                        .collect(),
                );
            }
        }
        _ => return None,
    }
    let now = chrono::Datelike::year(&today);
    let (lo, hi) = (now - 3, now);
    // Cost: a digit kept 0; one taken for another 1, more for the less usual mistakes.
    let mut best: Option<(u32, i32, i32)> = None;
    for sp in spellings {
        let extra = if d.len() == 5 { 10 } else { 0 };
        for year in lo..=hi {
            for era in [year + 543, year] {
                let want: Vec<char> = era.to_string().chars().collect();
                let mut cost = extra;
                let mut changes = 0;
                let ok = want.iter().zip(&sp).all(|(w, r)| {
                    if w == r {
                        return true;
                    }
                    let Some(at) = r
                        .to_digit(10)
                        .and_then(|v| CONFUSED[v as usize].iter().position(|c| c == w))
                    else {
                        return false;
                    };
                    changes += 1;
                    cost += 10 + at as u32;
                    true
                });
                let key = (cost, (now - year).abs(), year);
                if ok && changes <= 2 && best.is_none_or(|b| (key.0, key.1) < (b.0, b.1)) {
                    best = Some(key);
                }
            }
        }
    }
    best.map(|b| b.2)
}

/// [`parse_thai_date`]; with `today` (a scan read by OCR), a year that cannot be the
/// letter's is made plausible ([`plausible_year`]) and a date after today refused.
pub(crate) fn parse_date_with(text: &str, today: Option<NaiveDate>) -> Option<NaiveDate> {
    let t = saraban_thai::to_arabic_digits(text);
    let t = t.trim();
    // After ลงวันที่ or วันที่ (as OCR may spell them).
    let t = match t.split_once(' ') {
        Some((first, rest))
            if ["ลงวนที", "วนที"].contains(&skeleton(first).replace('ั', "").as_str()) =>
        {
            rest.trim()
        }
        _ => t,
    };
    let words: Vec<&str> = t.split_whitespace().collect();
    if words.len() < 3 {
        return None;
    }
    let day: u32 = words[0].parse().ok()?;
    // The month: the words up to the year (OCR may part a month's name: พฤศจิ ก ายน).
    let year_at = (2..words.len())
        .find(|&i| words[i].starts_with(|c: char| c.is_ascii_digit()))
        .unwrap_or(2);
    let name: String = words[1..year_at].concat();
    let month = MONTHS
        .iter()
        .position(|m| name == *m || skeleton(&name) == skeleton(m))
        .or_else(|| MONTHS_SHORT.iter().position(|m| name == *m))
        .or_else(|| today.and_then(|_| nearest_month(&name)))? as u32
        + 1;
    let year_text: String = words[year_at..]
        .join("")
        .chars()
        .filter(char::is_ascii_digit)
        .collect();
    let strict = year_text
        .parse::<i32>()
        .ok()
        .map(|y| if y >= 2400 { y - 543 } else { y });
    let year = match today {
        None => strict.filter(|y| (1941..=2200).contains(y))?,
        Some(today) => match strict {
            Some(y)
                if (chrono::Datelike::year(&today) - 3..=chrono::Datelike::year(&today))
                    .contains(&y) =>
            {
                y
            }
            _ => plausible_year(&year_text, today)?,
        },
    };
    let date = NaiveDate::from_ymd_opt(year, month, day)?;
    match today {
        Some(t) if date > t + chrono::Duration::days(31) => None,
        _ => Some(date),
    }
}

/// The urgency a mark says, compared by its letters alone: OCR of the large red mark
/// drops its marks and vowels above and below (ด่วนที่สุด read as ดวนทสุด).
/// A letter's number read by OCR made plausible: the four digits of a government
/// agency's code (รหัสตัวเลขของส่วนราชการ: มท ๐๘๑๐, ทส ๐๘๐๔, นร ๐๑๐๕) start with ๐, which
/// Tesseract takes for ๖, ๘ or ๓. The five digits of a local government's code are kept.
fn plausible_code(number: &str) -> String {
    // Spaces OCR put inside the code (มท ๓ ๘ ๑๐. ๐/๔๕๖๗) out: none belongs between two
    // of its digits, points and slashes.
    let code_char =
        |c: char| c.is_ascii_digit() || ('๐'..='๙').contains(&c) || c == '.' || c == '/';
    let chars: Vec<char> = number.chars().collect();
    let number: String = chars
        .iter()
        .enumerate()
        .filter(|(i, c)| {
            !(**c == ' '
                && *i > 0
                && chars.get(i + 1).is_some_and(|n| code_char(*n))
                && code_char(chars[i - 1]))
        })
        .map(|(_, c)| *c)
        .collect();
    let number = number.as_str();
    let mut words: Vec<String> = number.split(' ').map(str::to_string).collect();
    let Some(i) = words.iter().position(|w| {
        w.chars()
            .next()
            .is_some_and(|c| c.is_ascii_digit() || ('๐'..='๙').contains(&c))
    }) else {
        return number.to_string();
    };
    let code: Vec<char> = words[i].chars().collect();
    let lead = code
        .iter()
        .take_while(|c| c.is_ascii_digit() || ('๐'..='๙').contains(*c))
        .count();
    let after_letters = i > 0 && words[i - 1].chars().all(is_thai_letter);
    if lead == 4 && after_letters && matches!(code[0], '๖' | '๘' | '๓' | '6' | '8' | '3') {
        let zero = if code[0].is_ascii_digit() { '0' } else { '๐' };
        words[i] = std::iter::once(zero)
            .chain(code[1..].iter().copied())
            .collect();
    }
    words.join(" ")
}

pub(crate) fn urgency_of(text: &str) -> Option<Urgency> {
    let letters: String = text
        .chars()
        .filter(|c| !c.is_whitespace() && !is_thai_combining(*c))
        .collect();
    match letters.as_str() {
        "ดวนทสด" => Some(Urgency::MostUrgent),
        "ดวนมาก" => Some(Urgency::VeryUrgent),
        "ดวน" => Some(Urgency::Urgent),
        _ => None,
    }
}

fn secrecy_of(text: &str) -> Option<Secrecy> {
    match text.replace(' ', "").as_str() {
        "ลับที่สุด" => Some(Secrecy::TopSecret),
        "ลับมาก" => Some(Secrecy::Secret),
        "ลับ" => Some(Secrecy::Confidential),
        _ => None,
    }
}

/// An item number at the start of a list line (`๑.`, `2.`, `(๓)`): the rest.
fn without_item_number(text: &str) -> (bool, &str) {
    let t = text.trim_start();
    let digits: String = t
        .chars()
        .take_while(|c| c.is_ascii_digit() || ('๐'..='๙').contains(c) || *c == '(')
        .collect();
    let rest = &t[digits.len()..];
    let has_digit = digits.chars().any(|c| c != '(');
    if has_digit {
        if let Some(r) = rest.strip_prefix('.').or_else(|| rest.strip_prefix(')')) {
            return (true, r.trim_start());
        }
    }
    (false, t)
}

/// A field read: its text and where.
struct Found {
    parts: Vec<String>,
    rect: Rect,
    value_x: f32,
    field: &'static str,
}

/// Reads the fields of a letter from its first page (and the next, for a long header).
pub fn read(pages: &[Page]) -> (ReceivedFields, Vec<Spot>) {
    read_with(pages, None)
}

/// [`read`]; with `today`, the page was read by OCR, and a date's year that cannot be the
/// letter's is made plausible for a letter received today.
pub fn read_with(pages: &[Page], today: Option<NaiveDate>) -> (ReceivedFields, Vec<Spot>) {
    let mut fields = ReceivedFields::default();
    let mut spots = Vec::new();
    let Some(page) = pages.first() else {
        return (fields, spots);
    };
    let segs = segments(page);
    let mut line_h: Vec<f32> = segs.iter().map(|s| s.rect.h()).collect();
    line_h.sort_by(|a, b| a.total_cmp(b));
    let line_h = line_h.get(line_h.len() / 2).copied().unwrap_or(12.0);
    let spot = |field: &str, rect: Rect| Spot {
        field: field.into(),
        page: 0,
        rect,
    };

    // The subject's row: what is above it is the head of the letter.
    let subject_y = segs
        .iter()
        .find(|s| matches!(label_of(s), Some(("subject", _))))
        .map(|s| s.rect.y0)
        .unwrap_or(page.h * 0.45);

    let mut found: Vec<Found> = Vec::new();
    let mut current: Option<Found> = None;
    for (i, seg) in segs.iter().enumerate() {
        let text = seg.text();
        let in_head = seg.rect.y0 <= subject_y + 1.0;
        if in_head {
            if fields.urgency.is_none() {
                if let Some(u) = urgency_of(&text) {
                    fields.urgency = Some(u);
                    spots.push(spot("urgency", seg.rect));
                    continue;
                }
            }
            if fields.secrecy.is_none() {
                if let Some(s) = secrecy_of(&text) {
                    fields.secrecy = Some(s);
                    spots.push(spot("secrecy", seg.rect));
                    continue;
                }
            }
            if fields.date.is_none() {
                // A date alone, or after วันที่ (a memo's ที่ … วันที่ … row split or not).
                // The rest of the row too: a wide gap may part the year from the month.
                let row: Vec<&Segment> =
                    segs[i..].iter().take_while(|s| s.row == seg.row).collect();
                let whole = row.iter().map(|s| s.text()).collect::<Vec<_>>().join(" ");
                let date_of =
                    |t: &str| parse_date_with(t.find("วันที่").map(|i| &t[i..]).unwrap_or(t), today);
                if let Some(d) = date_of(&text).or_else(|| date_of(&whole)) {
                    fields.date = Some(d);
                    let rect = row
                        .iter()
                        .map(|s| s.rect)
                        .reduce(Rect::union)
                        .unwrap_or(seg.rect);
                    spots.push(spot("date", rect));
                    if !text.starts_with("ที่") {
                        continue;
                    }
                }
            }
        }
        let label = label_of(seg).filter(|(f, _)| *f != "number" || in_head);
        if let Some((field, skip)) = label {
            if let Some(f) = current.take() {
                found.push(f);
            }
            let label_text = LABELS
                .iter()
                .find(|(l, f)| {
                    *f == field
                        && (skip == 0 && text.starts_with(l)
                            || seg.words[0].text.trim_end_matches(':') == *l)
                })
                .map(|(l, _)| *l)
                .unwrap_or("");
            let (mut value, x) = value_of(seg, label_text, skip);
            if field == "number" {
                // A memo's row: ที่ … วันที่ … in one run.
                if let Some(i) = value.find("วันที่") {
                    value = value[..i].trim().to_string();
                }
            }
            current = Some(Found {
                parts: vec![value],
                rect: seg.rect,
                value_x: x,
                field,
            });
            continue;
        }
        // A line hanging under the current value continues it.
        if let Some(f) = current.as_mut() {
            let near = seg.rect.y0 - f.rect.y1 < line_h * 1.2;
            let under = (seg.rect.x0 - f.value_x).abs() < line_h * 0.6;
            // A memo's ส่วนราชการ wraps to the margin, under its label.
            let at_margin = f.field == "from" && (seg.rect.x0 - f.rect.x0).abs() < line_h * 0.6;
            if near && (under || at_margin) && f.field != "number" {
                f.parts.push(text.clone());
                f.rect = f.rect.union(seg.rect);
                continue;
            }
            found.push(current.take().expect("some"));
        }
    }
    if let Some(f) = current.take() {
        found.push(f);
    }

    for f in found {
        let first_only = |field: &mut String| {
            if field.is_empty() {
                *field = join(&f.parts);
                true
            } else {
                false
            }
        };
        let taken = match f.field {
            "number" => first_only(&mut fields.number),
            "subject" => first_only(&mut fields.subject),
            "to" => first_only(&mut fields.to),
            "from" => {
                let whole = join(&f.parts);
                let cut = whole.find("โทร").map(|i| &whole[..i]).unwrap_or(&whole);
                if fields.from.is_empty() {
                    fields.from = cut.trim().to_string();
                    true
                } else {
                    false
                }
            }
            "references" | "enclosures" => {
                let list = if f.field == "references" {
                    &mut fields.references
                } else {
                    &mut fields.enclosures
                };
                let mut items: Vec<Vec<String>> = Vec::new();
                for p in &f.parts {
                    let (numbered, rest) = without_item_number(p);
                    match items.last_mut() {
                        Some(item) if !numbered => item.push(rest.to_string()),
                        _ => items.push(vec![rest.to_string()]),
                    }
                }
                list.extend(items.iter().map(|i| join(i)).filter(|s| !s.is_empty()));
                true
            }
            _ => false,
        };
        if taken {
            spots.push(spot(f.field, f.rect));
        }
    }

    if today.is_some() {
        fields.number = plausible_code(&fields.number);
    }

    // An external letter's sender: the agency block, the first line right of the page's
    // middle above the date (below any mark at the very top).
    if fields.from.is_empty() {
        let date_y = spots
            .iter()
            .find(|s| s.field == "date")
            .map(|s| s.rect.y0)
            .unwrap_or(subject_y);
        if let Some(seg) = segs.iter().find(|s| {
            s.rect.y1 <= date_y + 1.0
                && s.rect.x0 > page.w * 0.4
                && label_of(s).is_none()
                && urgency_of(&s.text()).is_none()
                && secrecy_of(&s.text()).is_none()
                && s.text().chars().filter(|c| is_thai(*c)).count() >= 4
        }) {
            fields.from = seg.text();
            spots.push(spot("from", seg.rect));
        }
    }
    (fields.tidied(), spots)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(text: &str, x0: f32, y0: f32) -> Word {
        Word {
            text: text.into(),
            rect: Rect {
                x0,
                y0,
                x1: x0 + text.chars().count() as f32 * 6.0,
                y1: y0 + 20.0,
            },
        }
    }

    #[test]
    fn the_head_of_an_external_letter_is_read() {
        let page = Page {
            w: 595.0,
            h: 842.0,
            lines: vec![
                vec![w("ด่วนที่สุด", 85.0, 60.0)],
                vec![w("กรมส่งเสริมการปกครองท้องถิ่น", 300.0, 130.0)],
                vec![
                    w("ที่", 85.0, 160.0),
                    w("มท", 100.0, 160.0),
                    w("๐๘๑๐.๒/ว", 125.0, 160.0),
                    w("๑๒๓", 190.0, 160.0),
                ],
                vec![w("ถนนนครราชสีมา", 300.0, 160.0), w("กทม.", 400.0, 160.0)],
                vec![
                    w("๒๘", 297.0, 200.0),
                    w("พฤศจิกายน", 320.0, 200.0),
                    w("๒๕๖๘", 400.0, 200.0),
                ],
                vec![
                    w("เรื่อง", 85.0, 240.0),
                    w(
                        "โครงการความร่วมมือระหว่างประเทศในการส่งผู้เชี่ยวชาญให้",
                        123.0,
                        240.0,
                    ),
                ],
                vec![
                    w("องค์กรปกครองส่วนท้องถิ่น", 123.0, 262.0),
                    w("ประจำปี", 270.0, 262.0),
                ],
                vec![
                    w("เรียน", 85.0, 300.0),
                    w("ผู้ว่าราชการจังหวัด", 126.0, 300.0),
                    w("ทุกจังหวัด", 249.0, 300.0),
                ],
                vec![
                    w("สิ่งที่ส่งมาด้วย", 85.0, 330.0),
                    w("๑.", 170.0, 330.0),
                    w("รายละเอียดโครงการฯ", 185.0, 330.0),
                ],
                vec![w("๒.", 170.0, 352.0), w("แบบคำขอ", 185.0, 352.0)],
                vec![w("ด้วยกรมส่งเสริมการปกครองท้องถิ่น", 156.0, 390.0)],
            ],
        };
        let (f, spots) = read(&[page]);
        assert_eq!(f.urgency, Some(Urgency::MostUrgent));
        assert_eq!(f.number, "มท ๐๘๑๐.๒/ว ๑๒๓");
        assert_eq!(f.from, "กรมส่งเสริมการปกครองท้องถิ่น");
        assert_eq!(f.date, NaiveDate::from_ymd_opt(2025, 11, 28));
        assert_eq!(
            f.subject,
            "โครงการความร่วมมือระหว่างประเทศในการส่งผู้เชี่ยวชาญให้องค์กรปกครองส่วนท้องถิ่น ประจำปี"
        );
        assert_eq!(f.to, "ผู้ว่าราชการจังหวัด ทุกจังหวัด");
        assert_eq!(f.enclosures, ["รายละเอียดโครงการฯ", "แบบคำขอ"]);
        assert!(spots
            .iter()
            .any(|s| s.field == "subject" && s.rect.y1 > 280.0));
    }

    #[test]
    fn a_year_misread_by_ocr_is_made_plausible() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 5);
        // ๒๕๖๘ read as ๒๕๒๕ or with a digit twice.
        assert_eq!(
            parse_date_with("๒๘ พฤศจิกายน ๒๕๒๕", today),
            NaiveDate::from_ymd_opt(2025, 11, 28)
        );
        assert_eq!(
            parse_date_with("๒๘ พฤศจิกายน ๒๕๒๐๕", today),
            NaiveDate::from_ymd_opt(2025, 11, 28)
        );
        // A month's name misread is taken for the nearest, when nothing else is as near.
        assert_eq!(
            parse_date_with("9 แกราคศคม 2567", today),
            NaiveDate::from_ymd_opt(2024, 1, 9)
        );
        assert_eq!(parse_date_with("9 ประชุม 2567", today), None);
        // A year that is plain is kept; one nothing explains is refused.
        assert_eq!(
            parse_date_with("๕ มีนาคม ๒๕๖๙", today),
            NaiveDate::from_ymd_opt(2026, 3, 5)
        );
        assert_eq!(parse_date_with("๕ มีนาคม ๑๑๑๑", today), None);
        // Text PDFs are read as printed.
        assert_eq!(
            parse_thai_date("๕ มีนาคม ๒๕๒๕"),
            NaiveDate::from_ymd_opt(1982, 3, 5)
        );
    }

    #[test]
    fn a_number_glued_to_its_label_is_read() {
        let page = Page {
            w: 595.0,
            h: 842.0,
            lines: vec![
                vec![
                    w("ที่มท", 85.0, 160.0),
                    w("๐๘๑๐.๒/ว", 125.0, 160.0),
                    w("๑๒๓", 190.0, 160.0),
                ],
                vec![w("ที่ดินสาธารณะ", 85.0, 200.0)],
                vec![w("เรื่อง", 85.0, 240.0), w("ขอเชิญประชุม", 123.0, 240.0)],
            ],
        };
        let (f, _) = read(&[page]);
        assert_eq!(f.number, "มท ๐๘๑๐.๒/ว ๑๒๓");
    }

    #[test]
    fn a_label_read_in_pieces_is_still_a_label() {
        let page = Page {
            w: 595.0,
            h: 842.0,
            lines: vec![
                vec![w("เรื่อง", 85.0, 240.0), w("ขอเชิญประชุม", 123.0, 240.0)],
                vec![
                    w("สิง", 85.0, 300.0),
                    w("ทีส่งมา", 104.0, 300.0),
                    w("ด้", 147.0, 300.0),
                    w("วย", 160.0, 300.0),
                    w("สำเนาหนังสือ", 190.0, 300.0),
                ],
            ],
        };
        let (f, _) = read(&[page]);
        assert_eq!(f.enclosures, ["สำเนาหนังสือ"]);
    }

    #[test]
    fn a_government_code_read_by_ocr_starts_with_nought() {
        assert_eq!(plausible_code("มท ๖๘๒๐.๓/ว ๑๒๓"), "มท ๐๘๒๐.๓/ว ๑๒๓");
        assert_eq!(plausible_code("มท 3810.2/1024"), "มท 0810.2/1024");
        assert_eq!(plausible_code("มท ๓ ๘ ๑๐. ๒/๔๕๖๗"), "มท ๐๘๑๐.๒/๔๕๖๗");
        // A local government's five digits, and a code already right, stay.
        assert_eq!(plausible_code("ชม ๘๑๓๐๑/๑๒๓"), "ชม ๘๑๓๐๑/๑๒๓");
        assert_eq!(plausible_code("มท ๐๘๑๐.๒/ว ๘๙"), "มท ๐๘๑๐.๒/ว ๘๙");
    }

    #[test]
    fn an_urgency_mark_is_known_by_its_letters() {
        assert_eq!(urgency_of("ดวนทสุด"), Some(Urgency::MostUrgent));
        assert_eq!(urgency_of("ด่วน มาก"), Some(Urgency::VeryUrgent));
        assert_eq!(urgency_of("ด่วน"), Some(Urgency::Urgent));
        assert_eq!(urgency_of("ดวนที่สุดท้าย"), None);
    }

    #[test]
    fn dates_in_either_digits_and_abbreviated() {
        assert_eq!(
            parse_thai_date("5 มี.ค. 2569"),
            NaiveDate::from_ymd_opt(2026, 3, 5)
        );
        assert_eq!(
            parse_thai_date("วันที่ ๑ มกราคม ๒๕๖๙"),
            NaiveDate::from_ymd_opt(2026, 1, 1)
        );
        assert_eq!(parse_thai_date("๓๑ กุมภาพันธ์ ๒๕๖๙"), None);
        // A month OCR read in pieces.
        assert_eq!(
            parse_thai_date("๒๘ พฤศจิ ก ายน ๒๕๖๘"),
            NaiveDate::from_ymd_opt(2025, 11, 28)
        );
        assert_eq!(parse_thai_date("เรื่อง ทดสอบ"), None);
    }
}
