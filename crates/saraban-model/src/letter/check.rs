//! Proofreading (`saraban check`): what is missing or does not belong together.
//!
//! Each finding has a level, the JSON path of the field, a message in Thai and English that
//! quotes the offending text, and where possible a suggestion.

use serde::Serialize;

use super::spell::Speller;
use super::{BodyBlock, Kind, Letter};
use saraban_thai::digits::{is_address_token, is_latin_code, localize};

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, ts_rs::TS)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// The letter must not go out like this.
    Error,
    /// Probably a mistake.
    Warning,
    /// Worth a look.
    Info,
}

/// One proofreading finding.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
pub struct Finding {
    /// How serious.
    pub level: Level,
    /// Dotted JSON path with indexes.
    pub path: String,
    /// The message in Thai.
    pub th: String,
    /// The message in English.
    pub en: String,
    /// A replacement for the field's text, where there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suggestion: Option<String>,
}

/// The 14 offices addressed with กราบเรียน and closed with ขอแสดงความนับถืออย่างยิ่ง
/// (ภาคผนวก ๒ as revised in 2541).
pub const HIGH_OFFICES: &[&str] = &[
    "ประธานองคมนตรี",
    "นายกรัฐมนตรี",
    "ประธานรัฐสภา",
    "ประธานสภาผู้แทนราษฎร",
    "ประธานวุฒิสภา",
    "ประธานศาลฎีกา",
    "รัฐบุรุษ",
    "ประธานศาลรัฐธรรมนูญ",
    "ประธานศาลปกครองสูงสุด",
    "ประธานกรรมการการเลือกตั้ง",
    "ประธานกรรมการสิทธิมนุษยชนแห่งชาติ",
    "ประธานกรรมการป้องกันและปราบปรามการทุจริตแห่งชาติ",
    "ประธานกรรมการตรวจเงินแผ่นดิน",
    "ผู้ตรวจการแผ่นดิน",
];

fn finding(level: Level, path: impl Into<String>, th: String, en: String) -> Finding {
    Finding {
        level,
        path: path.into(),
        th,
        en,
        suggestion: None,
    }
}

/// Every text field of the letter with its JSON path.
fn fields(l: &Letter) -> Vec<(String, &str)> {
    let mut out: Vec<(String, &str)> = Vec::new();
    if let Some(p) = l.number.as_ref().and_then(|n| n.prefix.as_deref()) {
        out.push(("number.prefix".into(), p));
    }
    if let Some(a) = &l.agency {
        out.push(("agency.name".into(), &a.name));
        for (i, s) in a.address.iter().enumerate() {
            out.push((format!("agency.address[{i}]"), s));
        }
    }
    for (name, v) in [
        ("subject", &l.subject),
        ("recipient", &l.recipient),
        ("salutation", &l.salutation),
        ("closing", &l.closing),
    ] {
        if let Some(v) = v {
            out.push((name.into(), v));
        }
    }
    for (i, s) in l.references.iter().enumerate() {
        out.push((format!("references[{i}]"), s));
    }
    for (i, e) in l.enclosures.iter().enumerate() {
        out.push((format!("enclosures[{i}].title"), &e.title));
        if let Some(q) = &e.quantity {
            out.push((format!("enclosures[{i}].quantity"), q));
        }
    }
    for (i, b) in l.body.iter().enumerate() {
        let path = match b {
            BodyBlock::Text(_) => format!("body[{i}]"),
            BodyBlock::Styled(_) => format!("body[{i}].text"),
        };
        out.push((path, b.text()));
    }
    if let Some(s) = &l.signer {
        out.push(("signer.name".into(), &s.name));
        for (i, p) in s.positions.iter().enumerate() {
            out.push((format!("signer.positions[{i}]"), p));
        }
    }
    if let Some(o) = &l.owner {
        for (name, v) in [
            ("owner.department", &o.department),
            ("owner.unit", &o.unit),
            ("owner.phone", &o.phone),
            ("owner.fax", &o.fax),
        ] {
            if let Some(v) = v {
                out.push((name.into(), v));
            }
        }
    }
    for (i, c) in l.copies_to.iter().enumerate() {
        out.push((format!("copies_to[{i}]"), c));
    }
    if let Some(d) = &l.distribution {
        for (i, r) in d.recipients.iter().enumerate() {
            out.push((format!("distribution.recipients[{i}]"), r));
        }
    }
    out
}

/// What stops a letter from taking a number: the proofreader's errors (spelling aside,
/// which is never an error). A number is a legal record; the core refuses to spend one on
/// a letter that is not ready, whichever front end asks (`Office::issue`).
pub fn blocking(l: &Letter) -> Vec<Finding> {
    check_with(l, None)
        .into_iter()
        .filter(|f| f.level == Level::Error)
        .collect()
}

/// Proofreads a letter without a spelling dictionary.
pub fn check(l: &Letter) -> Vec<Finding> {
    check_with(l, None)
}

/// Proofreads a letter without an office (no font or register needed): what is missing or
/// wrong, most serious first. Spelling is checked when the Thai dictionary is installed
/// (loaded once per process, on first use); when it is not, a note says so.
pub fn proofread(letter: &Letter) -> Vec<Finding> {
    static SPELLER: std::sync::OnceLock<Option<Speller>> = std::sync::OnceLock::new();
    let speller = SPELLER.get_or_init(Speller::system);
    let mut findings = check_with(letter, speller.as_ref());
    if speller.is_none() {
        findings.push(Finding {
            level: Level::Info,
            path: String::new(),
            th: "ไม่ได้ตรวจตัวสะกด: ไม่พบพจนานุกรม hunspell-th (ติดตั้งด้วย make setup)".into(),
            en: "spelling not checked: the hunspell-th dictionary is not installed (make setup)"
                .into(),
            suggestion: None,
        });
    }
    findings
}

/// Proofreads a letter. With a speller, Thai words are spell-checked too. Findings come
/// errors first, then warnings, then notes, in field order.
pub fn check_with(l: &Letter, speller: Option<&Speller>) -> Vec<Finding> {
    let mut out = Vec::new();
    if let Some(sp) = speller {
        spelling(l, sp, &mut out);
    }
    missing_parts(l, &mut out);
    salutation_and_closing(l, &mut out);
    for (path, text) in fields(l) {
        invisible(&path, text, &mut out);
        look_alike(&path, text, &mut out);
        mixed_digits(&path, text, &mut out);
        empty_time_range(&path, text, &mut out);
    }
    for (path, text) in fields(l) {
        range_hyphen(&path, text, &mut out);
        weekdays(&path, text, &mut out);
        date_ranges(&path, text, &mut out);
    }
    quotes(l, &mut out);
    mentions(l, &mut out);
    out.sort_by_key(|f| f.level);
    out
}

/// Characters that print as nothing (ZERO WIDTH SPACE, SOFT HYPHEN…): in a letter code
/// they make look-alike numbers, in text they break search and line breaking.
fn invisible(path: &str, text: &str, out: &mut Vec<Finding>) {
    if let Some((at, c)) = saraban_thai::find_invisible(text) {
        let cleaned: String = text
            .chars()
            .filter(|c| !saraban_thai::is_invisible(*c))
            .collect();
        let level = if path == "number.prefix" {
            Level::Error
        } else {
            Level::Warning
        };
        let mut f = finding(
            level,
            path,
            format!(
                "มีอักขระที่มองไม่เห็น (U+{:04X}) ที่ตำแหน่ง {}: พิมพ์ออกมาไม่เห็นแต่ทำให้ค้นหาและเลขที่ผิดเพี้ยน",
                c as u32,
                at + 1
            ),
            format!(
                "an invisible character (U+{:04X}) at position {}: it prints as nothing but breaks search and numbering",
                c as u32,
                at + 1
            ),
        );
        f.suggestion = Some(cleaned);
        out.push(f);
    }
}

/// Characters that look like others (UTS #39 confusables) in the fields that key a series
/// of numbers: the letter code, and the agency of orders and announcements.
fn look_alike(path: &str, text: &str, out: &mut Vec<Finding>) {
    if path != "number.prefix" && path != "agency.name" {
        return;
    }
    if let Some((at, c, looks)) = saraban_thai::find_look_alike(text) {
        let mut f = finding(
            Level::Error,
            path,
            format!(
                "อักขระ “{c}” (U+{:04X}) ที่ตำแหน่ง {} หน้าตาเหมือน “{looks}” แต่เป็นคนละตัว จะทำให้เลขที่ดูซ้ำกับชุดอื่น",
                c as u32,
                at + 1
            ),
            format!(
                "“{c}” (U+{:04X}) at position {} looks like “{looks}” but is another character: numbers would look like another series'",
                c as u32,
                at + 1
            ),
        );
        let mut fixed = String::new();
        for (i, ch) in text.chars().enumerate() {
            if i == at {
                fixed.push_str(&looks);
            } else {
                fixed.push(ch);
            }
        }
        f.suggestion = Some(fixed);
        out.push(f);
    }
}

/// Thai words the dictionary does not know but has a near neighbour of.
fn spelling(l: &Letter, sp: &Speller, out: &mut Vec<Finding>) {
    let all = fields(l);
    let context: String = all.iter().map(|(_, t)| *t).collect::<Vec<_>>().join(" ");
    for (path, text) in &all {
        let prose = path == "subject"
            || path.starts_with("body[")
            || path == "recipient"
            || path.starts_with("enclosures[")
            || path.starts_with("references[");
        if !prose {
            continue;
        }
        for m in sp.misspellings(text, &context) {
            let mut f = finding(
                Level::Warning,
                path.clone(),
                format!(
                    "คำว่า “{}” อาจสะกดผิด หมายถึง “{}” หรือไม่",
                    m.word, m.suggestion
                ),
                format!(
                    "“{}” may be misspelt: did you mean “{}”?",
                    m.word, m.suggestion
                ),
            );
            let mut fixed = text.to_string();
            fixed.replace_range(m.start..m.start + m.word.len(), &m.suggestion);
            f.suggestion = Some(fixed);
            out.push(f);
        }
    }
}

fn missing_parts(l: &Letter, out: &mut Vec<Finding>) {
    let need =
        |present: bool, path: &str, th: &str, en: &str, level: Level, out: &mut Vec<Finding>| {
            if !present {
                out.push(finding(
                    level,
                    path,
                    format!("{} ไม่มี{th}", l.kind.thai_name()),
                    format!("the {} has no {en}", l.kind.english_name()),
                ));
            }
        };
    let has = |s: &Option<String>| s.as_deref().map(|x| !x.trim().is_empty()).unwrap_or(false);
    // What each kind must have comes from the one table of parts (Kind::parts).
    let parts = l.kind.parts();
    if parts.number {
        let prefix = l
            .number
            .as_ref()
            .and_then(|n| n.prefix.as_deref())
            .map(|p| !p.trim().is_empty())
            .unwrap_or(false);
        need(
            prefix,
            "number.prefix",
            "เลขที่หนังสือ (ที่)",
            "letter number prefix (ที่)",
            Level::Error,
            out,
        );
    }
    if matches!(l.kind, Kind::External | Kind::Stamped) {
        need(
            l.agency.is_some(),
            "agency",
            "ส่วนราชการเจ้าของหนังสือ",
            "issuing agency",
            Level::Error,
            out,
        );
    }
    need(
        l.date.is_some(),
        "date",
        "วัน เดือน ปี",
        "date",
        Level::Warning,
        out,
    );
    if l.kind != Kind::Stamped {
        need(
            has(&l.subject),
            "subject",
            "เรื่อง",
            "subject (เรื่อง)",
            Level::Error,
            out,
        );
    }
    need(
        l.body.iter().any(|b| !b.text().trim().is_empty()),
        "body",
        "ข้อความ (เนื้อหาของหนังสือ)",
        "body text",
        Level::Error,
        out,
    );
    if parts.recipient {
        need(
            has(&l.recipient),
            "recipient",
            "ผู้รับ (เรียน …)",
            "recipient",
            Level::Error,
            out,
        );
    }
    if parts.owner {
        need(
            l.owner.is_some(),
            "owner",
            "ส่วนราชการเจ้าของเรื่อง (หน่วยงาน โทร. อีเมล) ที่ผู้รับจะติดต่อกลับ",
            "contact block (the unit that owns the matter, telephone, e-mail)",
            Level::Warning,
            out,
        );
    }
    if parts.signer {
        need(
            l.signer.is_some(),
            "signer",
            "ผู้ลงนาม",
            "signer",
            Level::Warning,
            out,
        );
    }
    if l.circular && !has(&l.recipient) && l.distribution.is_none() {
        out.push(finding(
            Level::Error,
            "recipient",
            "หนังสือเวียนต้องระบุผู้รับ เช่น ผู้ว่าราชการจังหวัด ทุกจังหวัด หรือบัญชีแนบท้าย".into(),
            "a circular needs its recipients, e.g. ผู้ว่าราชการจังหวัด ทุกจังหวัด, or a distribution list"
                .into(),
        ));
    }
    if let Some(p) = l.number.as_ref().and_then(|n| n.prefix.as_deref()) {
        if p.contains('/') {
            let mut f = finding(
                Level::Warning,
                "number.prefix",
                format!("รหัสหนังสือ “{p}” มีเครื่องหมาย / อยู่แล้ว ให้ใส่เฉพาะรหัส แล้วใช้ circular สำหรับหนังสือเวียน (ว)"),
                format!("the prefix “{p}” already holds a /: give only the code, and set circular for the ว series"),
            );
            f.suggestion = p.split('/').next().map(|s| s.trim().to_string());
            out.push(f);
        }
    }
}

fn salutation_and_closing(l: &Letter, out: &mut Vec<Finding>) {
    let (Some(sal), Some(close)) = (l.salutation_or_default(), l.closing_or_default()) else {
        return;
    };
    let sal = sal.trim();
    let close = close.trim();
    let pairs = [
        ("กราบเรียน", "ขอแสดงความนับถืออย่างยิ่ง"),
        ("เรียน", "ขอแสดงความนับถือ"),
    ];
    if let Some(&(_, want)) = pairs.iter().find(|(s, _)| *s == sal) {
        let known = pairs.iter().any(|(_, c)| *c == close);
        if known && close != want {
            let mut f = finding(
                Level::Error,
                "closing",
                format!("คำขึ้นต้น “{sal}” ต้องคู่กับคำลงท้าย “{want}” ไม่ใช่ “{close}”"),
                format!("the salutation “{sal}” goes with the closing “{want}”, not “{close}”"),
            );
            f.suggestion = Some(want.to_string());
            out.push(f);
        }
    }
    if let Some(r) = l.recipient.as_deref() {
        let r = r.trim();
        if let Some(office) = HIGH_OFFICES.iter().find(|o| r.starts_with(**o)) {
            if sal == "เรียน" {
                let mut f = finding(
                    Level::Error,
                    "salutation",
                    format!("หนังสือถึง{office}ใช้คำขึ้นต้น “กราบเรียน” และคำลงท้าย “ขอแสดงความนับถืออย่างยิ่ง”"),
                    format!("a letter to {office} opens with “กราบเรียน” and closes with “ขอแสดงความนับถืออย่างยิ่ง”"),
                );
                f.suggestion = Some("กราบเรียน".into());
                out.push(f);
            }
        }
    }
}

fn mixed_digits(path: &str, text: &str, out: &mut Vec<Finding>) {
    let tokens: Vec<&str> = text.split_whitespace().collect();
    let mut thai = false;
    let mut offending: Vec<&str> = Vec::new();
    for (i, w) in tokens.iter().enumerate() {
        let prev = if i > 0 { tokens[i - 1] } else { "" };
        // URLs, e-mail addresses and Latin names or codes (P4G, COVID-19, Project 2021)
        // keep their Arabic digits whatever the letter's policy.
        if is_address_token(w) || is_latin_code(prev, w) {
            continue;
        }
        thai |= w.chars().any(|c| ('\u{0E50}'..='\u{0E59}').contains(&c));
        if w.chars().any(|c| c.is_ascii_digit()) {
            offending.push(w);
        }
    }
    if thai && !offending.is_empty() {
        let quoted = offending
            .iter()
            .take(3)
            .copied()
            .collect::<Vec<_>>()
            .join("”, “");
        let mut f = finding(
            Level::Warning,
            path,
            format!("ใช้เลขไทยปนกับเลขอารบิก (“{quoted}”) ควรใช้แบบเดียวกันทั้งฉบับ"),
            format!("Thai and Arabic digits are mixed (“{quoted}”); use one kind throughout"),
        );
        f.suggestion = Some(localize(text, crate::letter::Digits::Thai).into_owned());
        out.push(f);
    }
}

/// Finds `HH.MM – HH.MM` where both times are the same.
fn empty_time_range(path: &str, text: &str, out: &mut Vec<Finding>) {
    let norm: Vec<char> = saraban_thai::to_arabic_digits(text).chars().collect();
    let time_at = |i: usize| -> Option<(String, usize)> {
        // H.MM or HH.MM or HH:MM starting at i
        let mut j = i;
        let mut h = String::new();
        while j < norm.len() && norm[j].is_ascii_digit() && h.len() < 2 {
            h.push(norm[j]);
            j += 1;
        }
        if h.is_empty() || j + 2 >= norm.len() || !(norm[j] == '.' || norm[j] == ':') {
            return None;
        }
        if !(norm[j + 1].is_ascii_digit() && norm[j + 2].is_ascii_digit()) {
            return None;
        }
        let hour: u32 = h.parse().ok()?;
        Some((format!("{hour:02}.{}{}", norm[j + 1], norm[j + 2]), j + 3))
    };
    let mut i = 0;
    while i < norm.len() {
        let boundary = i == 0 || !norm[i - 1].is_ascii_digit() && norm[i - 1] != '.';
        if boundary {
            if let Some((t1, end1)) = time_at(i) {
                let mut k = end1;
                while k < norm.len() && norm[k] == ' ' {
                    k += 1;
                }
                if k < norm.len() && matches!(norm[k], '-' | '–' | '—') {
                    k += 1;
                    while k < norm.len() && norm[k] == ' ' {
                        k += 1;
                    }
                    if let Some((t2, end2)) = time_at(k) {
                        let quoted: String = text.chars().skip(i).take(end2 - i).collect();
                        let quoted = quoted.trim();
                        if t1 == t2 {
                            out.push(finding(
                                Level::Error,
                                path,
                                format!("ช่วงเวลา “{quoted}” เริ่มและสิ้นสุดเวลาเดียวกัน"),
                                format!("the time range “{quoted}” ends when it starts"),
                            ));
                        } else if t1 > t2 {
                            out.push(finding(
                                Level::Error,
                                path,
                                format!("ช่วงเวลา “{quoted}” สิ้นสุดก่อนเริ่ม"),
                                format!("the time range “{quoted}” ends before it starts"),
                            ));
                        }
                    }
                }
                i = end1;
                continue;
            }
        }
        i += 1;
    }
}

/// Straight and curly double quotes in one letter: a typographer uses one kind.
fn quotes(l: &Letter, out: &mut Vec<Finding>) {
    let all = fields(l);
    let curly = all.iter().any(|(_, t)| t.contains(['“', '”']));
    if !curly {
        return;
    }
    if let Some((path, text)) = all.iter().find(|(_, t)| t.contains('"')) {
        let mut open = true;
        let fixed: String = text
            .chars()
            .map(|c| {
                if c == '"' {
                    open = !open;
                    if open {
                        '”'
                    } else {
                        '“'
                    }
                } else {
                    c
                }
            })
            .collect();
        let mut f = finding(
            Level::Warning,
            path.clone(),
            "ใช้เครื่องหมายอัญประกาศสองแบบปนกัน (“ ” และ \") ควรใช้ “ ” ทั้งฉบับ".into(),
            "straight (\") and curly (“ ”) quotes are mixed; use “ ” throughout".into(),
        );
        f.suggestion = Some(fixed);
        out.push(f);
    }
}

/// A number or digit (Thai or Arabic) at `c`.
fn is_digit(c: char) -> bool {
    c.is_ascii_digit() || ('\u{0E50}'..='\u{0E59}').contains(&c)
}

/// `๑ - ๔`: a range of numbers, times or dates joined by a spaced hyphen, where the
/// regulation's typography uses an en dash (`๑ – ๔`).
fn range_hyphen(path: &str, text: &str, out: &mut Vec<Finding>) {
    let chars: Vec<char> = text.chars().collect();
    let mut found = false;
    for i in 1..chars.len().saturating_sub(1) {
        if chars[i] != '-' || chars[i - 1] != ' ' || chars[i + 1] != ' ' {
            continue;
        }
        let before = chars[..i - 1].iter().rev().find(|c| **c != ' ');
        let after = chars[i + 2..].iter().find(|c| **c != ' ');
        if before.is_some_and(|c| is_digit(*c) || *c == '.') && after.is_some_and(|c| is_digit(*c))
        {
            found = true;
        }
    }
    if found {
        let mut f = finding(
            Level::Warning,
            path,
            "ช่วงตัวเลขหรือเวลาใช้ยัติภังค์ (-) ควรใช้เครื่องหมาย – (en dash) เช่น ๑ – ๔".into(),
            "a range of numbers or times is joined by a hyphen (-); use an en dash (–), e.g. ๑ – ๔"
                .into(),
        );
        f.suggestion = Some(text.replace(" - ", " – "));
        out.push(f);
    }
}

/// Reads a number (Thai or Arabic digits) at `i`: its value and where it ends.
fn number_at(chars: &[char], i: usize) -> Option<(u32, usize)> {
    let mut j = i;
    let mut v: u32 = 0;
    while j < chars.len() && is_digit(chars[j]) && j - i < 5 {
        let d = if chars[j].is_ascii_digit() {
            chars[j] as u32 - '0' as u32
        } else {
            chars[j] as u32 - 0x0E50
        };
        v = v * 10 + d;
        j += 1;
    }
    (j > i).then_some((v, j))
}

fn skip_spaces(chars: &[char], mut i: usize) -> usize {
    while i < chars.len() && chars[i] == ' ' {
        i += 1;
    }
    i
}

/// A month's full Thai name at `i`: its number and where it ends.
fn month_at(chars: &[char], i: usize) -> Option<(u32, usize)> {
    let rest: String = chars[i..chars.len().min(i + 12)].iter().collect();
    saraban_thai::date::month_names()
        .iter()
        .enumerate()
        // มิถุนายน before มีนาคม cannot clash; no name is a prefix of another.
        .find(|(_, m)| rest.starts_with(*m))
        .map(|(k, m)| (k as u32 + 1, i + m.chars().count()))
}

/// `๗ ธันวาคม ๒๕๖๙` (or `๗ ธันวาคม พ.ศ. ๒๕๖๙`) at `i`: the date and where it ends. The
/// year may be missing (`None`).
/// Day, month and (CE) year if written.
type DayMonthYear = (u32, u32, Option<i32>);

fn date_at(chars: &[char], i: usize) -> Option<(DayMonthYear, usize)> {
    let (day, j) = number_at(chars, i)?;
    let j = skip_spaces(chars, j);
    let (month, j) = month_at(chars, j)?;
    let mut k = skip_spaces(chars, j);
    let be: Vec<char> = "พ.ศ.".chars().collect();
    if chars[k..].starts_with(&be) {
        k = skip_spaces(chars, k + be.len());
    }
    match number_at(chars, k) {
        Some((y, end)) if (2400..=2700).contains(&y) => {
            Some(((day, month, Some(y as i32 - 543)), end))
        }
        _ => Some(((day, month, None), j)),
    }
}

/// `วันจันทร์ที่ ๗ ธันวาคม ๒๕๖๙` on a day that is not a Monday.
fn weekdays(path: &str, text: &str, out: &mut Vec<Finding>) {
    const DAYS: [&str; 7] = ["จันทร์", "อังคาร", "พุธ", "พฤหัสบดี", "ศุกร์", "เสาร์", "อาทิตย์"];
    let chars: Vec<char> = text.chars().collect();
    let lead: Vec<char> = "วัน".chars().collect();
    let mut i = 0;
    while i + lead.len() < chars.len() {
        if !chars[i..].starts_with(&lead) {
            i += 1;
            continue;
        }
        let after: String = chars[i + lead.len()..].iter().take(10).collect();
        let Some((wd, name)) = DAYS
            .iter()
            .enumerate()
            .find(|(_, d)| after.starts_with(**d))
        else {
            i += 1;
            continue;
        };
        let mut j = i + lead.len() + name.chars().count();
        let thi: Vec<char> = "ที่".chars().collect();
        j = skip_spaces(&chars, j);
        if chars[j..].starts_with(&thi) {
            j = skip_spaces(&chars, j + thi.len());
        }
        if let Some(((day, month, Some(year)), end)) = date_at(&chars, j) {
            if let Some(date) = chrono::NaiveDate::from_ymd_opt(year, month, day) {
                use chrono::Datelike;
                let actual = date.weekday().num_days_from_monday() as usize;
                if actual != wd {
                    let quoted: String = chars[i..end].iter().collect();
                    let mut f = finding(
                        Level::Error,
                        path,
                        format!("“{quoted}” ไม่ตรงกับปฏิทิน: วันนั้นเป็นวัน{}", DAYS[actual]),
                        format!(
                            "“{quoted}” does not match the calendar: that day is a {}",
                            [
                                "Monday",
                                "Tuesday",
                                "Wednesday",
                                "Thursday",
                                "Friday",
                                "Saturday",
                                "Sunday"
                            ][actual]
                        ),
                    );
                    f.suggestion = Some(text.replacen(
                        &format!("วัน{name}"),
                        &format!("วัน{}", DAYS[actual]),
                        1,
                    ));
                    out.push(f);
                }
            }
            i = end;
            continue;
        }
        i = j;
    }
}

/// `๑๐ – ๘ ธันวาคม ๒๕๖๙`: a range of dates that ends before it starts.
fn date_ranges(path: &str, text: &str, out: &mut Vec<Finding>) {
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if !is_digit(chars[i]) || (i > 0 && (is_digit(chars[i - 1]) || chars[i - 1] == '.')) {
            i += 1;
            continue;
        }
        let Some((d1, j)) = number_at(&chars, i) else {
            i += 1;
            continue;
        };
        // The start: a day alone (`๗ – ๘ ธันวาคม`) or a full date.
        let (start, j) = match date_at(&chars, i) {
            Some(((d, m, y), end)) => ((d, Some(m), y), end),
            None => ((d1, None, None), j),
        };
        let k = skip_spaces(&chars, j);
        let dash = k < chars.len() && matches!(chars[k], '–' | '-' | '—');
        let to: Vec<char> = "ถึง".chars().collect();
        let k = if dash {
            skip_spaces(&chars, k + 1)
        } else if chars[k..].starts_with(&to) {
            skip_spaces(&chars, k + to.len())
        } else {
            i = j.max(i + 1);
            continue;
        };
        if let Some(((d2, m2, y2), end)) = date_at(&chars, k) {
            let (d1, m1, y1) = start;
            let m1v = m1.unwrap_or(m2);
            // Without the start's own year a later month is taken as last year's.
            let y1v = y1.or(if m1v > m2 { None } else { y2 });
            let reversed = match (y1v, y2) {
                (Some(a), Some(b)) => (a, m1v, d1) > (b, m2, d2),
                (None, None) => (m1v, d1) > (m2, d2) && m1.is_none(),
                _ => false,
            };
            if reversed && start.0 >= 1 {
                let quoted: String = chars[i..end].iter().collect();
                out.push(finding(
                    Level::Error,
                    path,
                    format!("ช่วงวันที่ “{quoted}” สิ้นสุดก่อนเริ่ม"),
                    format!("the date range “{quoted}” ends before it starts"),
                ));
            }
            i = end;
            continue;
        }
        i = j.max(i + 1);
    }
}

fn mentions(l: &Letter, out: &mut Vec<Finding>) {
    for (i, b) in l.body.iter().enumerate() {
        let t = b.text();
        if t.contains("สิ่งที่ส่งมาด้วย") && l.enclosures.is_empty()
        {
            out.push(finding(
                Level::Error,
                format!("body[{i}]"),
                "ข้อความอ้างถึง “สิ่งที่ส่งมาด้วย” แต่ไม่ได้ระบุสิ่งที่ส่งมาด้วย".into(),
                "the body mentions “สิ่งที่ส่งมาด้วย” but no enclosure is listed".into(),
            ));
        }
        let lower = t.to_lowercase();
        if (lower.contains("qr code") || t.contains("คิวอาร์โค้ด")) && l.qr.is_empty()
        {
            out.push(finding(
                Level::Error,
                format!("body[{i}]"),
                "ข้อความอ้างถึง QR Code แต่ไม่ได้ใส่ QR Code".into(),
                "the body mentions a QR code but none is given".into(),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn letter(json: &str) -> Letter {
        Letter::from_json(json).unwrap()
    }

    #[test]
    fn finds_mixed_digits_and_empty_time_ranges() {
        let l = letter(
            r#"{"kind":"external","subject":"ประจำปี ๒๕๖4","body":["เวลา ๒๐.๐๐ – ๒๐.๐๐ น. ที่ https://a2.go.th"]}"#,
        );
        let f = check(&l);
        let mixed = f
            .iter()
            .find(|x| x.path == "subject")
            .expect("mixed digits found");
        assert!(mixed.th.contains("๒๕๖4"));
        assert_eq!(mixed.suggestion.as_deref(), Some("ประจำปี ๒๕๖๔"));
        assert!(f
            .iter()
            .any(|x| x.path == "body[0]" && x.en.contains("ends when it starts")));
        assert!(
            !f.iter()
                .any(|x| x.path == "body[0]" && x.en.contains("mixed")),
            "URL digits are not mixing"
        );
    }

    #[test]
    fn salutation_closing_pairs_and_high_offices() {
        let l = letter(
            r#"{"kind":"external","salutation":"กราบเรียน","closing":"ขอแสดงความนับถือ","body":["x"]}"#,
        );
        assert!(check(&l)
            .iter()
            .any(|f| f.path == "closing" && f.level == Level::Error));
        let l = letter(r#"{"kind":"external","recipient":"นายกรัฐมนตรี","body":["x"]}"#);
        assert!(check(&l)
            .iter()
            .any(|f| f.path == "salutation" && f.suggestion.as_deref() == Some("กราบเรียน")));
    }

    #[test]
    fn quotes_ranges_weekdays_and_date_ranges() {
        let l = letter(
            r#"{"kind":"external","subject":"โครงการ “สารบรรณ”","body":[
              "ตามที่ \"กรม\" ได้จัดประชุมในวันจันทร์ที่ ๗ ธันวาคม ๒๕๖๙ เวลา ๑๖.๓๐ – ๑๓.๓๐ น.",
              "ระหว่างวันที่ ๑๐ – ๘ ธันวาคม ๒๕๖๙ ข้อ ๑ - ๔",
              "วันศุกร์ที่ ๒๓ กันยายน ๒๕๖๕ ระหว่างวันที่ ๓๐ พฤศจิกายน – ๒ ธันวาคม ๒๕๖๙ และ ๗ – ๘ ธันวาคม ๒๕๖๙",
              "ในการประชุม (Project 2021) และ Agenda 2030: ปี ๒๕๖๙ P4G COVID-19"
            ]}"#,
        );
        let f = check(&l);
        let at = |path: &str, en: &str| {
            f.iter()
                .filter(|x| x.path == path && x.en.contains(en))
                .count()
        };
        assert_eq!(at("body[0]", "quotes are mixed"), 1, "{f:#?}");
        assert_eq!(
            f.iter()
                .find(|x| x.en.contains("quotes"))
                .unwrap()
                .suggestion
                .as_deref(),
            Some("ตามที่ “กรม” ได้จัดประชุมในวันจันทร์ที่ ๗ ธันวาคม ๒๕๖๙ เวลา ๑๖.๓๐ – ๑๓.๓๐ น.")
        );
        // 7 December 2026 is a Monday; 23 September 2022 was a Friday.
        assert_eq!(at("body[0]", "calendar"), 0, "{f:#?}");
        assert_eq!(at("body[2]", "calendar"), 0, "{f:#?}");
        assert_eq!(at("body[0]", "time range"), 1, "{f:#?}");
        assert_eq!(at("body[1]", "date range"), 1, "{f:#?}");
        assert_eq!(at("body[2]", "date range"), 0, "{f:#?}");
        assert_eq!(at("body[1]", "en dash"), 1, "{f:#?}");
        assert_eq!(
            at("body[3]", "mixed"),
            0,
            "Latin names keep their digits: {f:#?}"
        );
        let l = letter(r#"{"kind":"external","body":["ในวันอังคารที่ ๗ ธันวาคม พ.ศ. ๒๕๖๙"]}"#);
        let f = check(&l);
        let wd = f
            .iter()
            .find(|x| x.en.contains("calendar"))
            .expect("weekday");
        assert!(wd.th.contains("วันจันทร์"), "{wd:?}");
        assert_eq!(
            wd.suggestion.as_deref(),
            Some("ในวันจันทร์ที่ ๗ ธันวาคม พ.ศ. ๒๕๖๙")
        );
        assert!(
            f.iter().any(|x| x.path == "owner"),
            "no contact block: {f:#?}"
        );
    }

    #[test]
    fn what_each_kind_must_have_follows_its_parts() {
        for kind in Kind::ALL {
            let parts = kind.parts();
            let bare = Letter::from_json(&format!(
                r#"{{"kind":"{}","body":["ข้อความ"]}}"#,
                kind.name()
            ))
            .unwrap();
            let paths: Vec<String> = check(&bare).into_iter().map(|f| f.path).collect();
            for (has, path) in [
                (parts.number, "number.prefix"),
                (parts.recipient, "recipient"),
                (parts.owner, "owner"),
                (parts.signer, "signer"),
            ] {
                assert_eq!(
                    paths.iter().any(|p| p == path),
                    has,
                    "{kind:?} {path}: {paths:?}"
                );
            }
        }
    }

    #[test]
    fn mentions_without_parts() {
        let l = letter(
            r#"{"kind":"external","body":["รายละเอียดปรากฏตามสิ่งที่ส่งมาด้วย","ตาม QR Code ท้ายหนังสือ"]}"#,
        );
        let f = check(&l);
        assert!(f.iter().any(|x| x.path == "body[0]"));
        assert!(f.iter().any(|x| x.path == "body[1]"));
    }
}
