//! Proofreading (`saraban check`): what is missing or does not belong together.
//!
//! Each finding has a level, the JSON path of the field, a message in Thai and English that
//! quotes the offending text, and where possible a suggestion.

use serde::Serialize;

use super::spell::Speller;
use super::{BodyBlock, Kind, Letter};
use crate::thai::digits::{is_address_token, to_thai_digits};

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

/// Proofreads a letter without a spelling dictionary.
pub fn check(l: &Letter) -> Vec<Finding> {
    check_with(l, None)
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
        mixed_digits(&path, text, &mut out);
        empty_time_range(&path, text, &mut out);
    }
    mentions(l, &mut out);
    out.sort_by_key(|f| f.level);
    out
}

/// Characters that print as nothing (ZERO WIDTH SPACE, SOFT HYPHEN…): in a letter code
/// they make look-alike numbers, in text they break search and line breaking.
fn invisible(path: &str, text: &str, out: &mut Vec<Finding>) {
    if let Some((at, c)) = crate::thai::find_invisible(text) {
        let cleaned: String = text
            .chars()
            .filter(|c| !crate::thai::is_invisible(*c))
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
    match l.kind {
        Kind::External | Kind::Memo | Kind::Stamped => {
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
        _ => {}
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
    if matches!(l.kind, Kind::External | Kind::Memo | Kind::Stamped) {
        need(
            has(&l.recipient),
            "recipient",
            "ผู้รับ (เรียน …)",
            "recipient",
            Level::Error,
            out,
        );
    }
    if l.kind != Kind::Stamped {
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

/// A token whose digits are part of a name or code (P4G, COVID-19) rather than a number.
fn is_code(token: &str) -> bool {
    token.chars().any(|c| c.is_ascii_alphabetic())
}

fn mixed_digits(path: &str, text: &str, out: &mut Vec<Finding>) {
    let words: Vec<&str> = text
        .split_whitespace()
        .filter(|w| !is_address_token(w) && !is_code(w))
        .collect();
    let thai = words
        .iter()
        .any(|w| w.chars().any(|c| ('\u{0E50}'..='\u{0E59}').contains(&c)));
    let arabic = words.iter().any(|w| w.chars().any(|c| c.is_ascii_digit()));
    if thai && arabic {
        let offending: Vec<&str> = words
            .iter()
            .copied()
            .filter(|w| w.chars().any(|c| c.is_ascii_digit()))
            .take(3)
            .collect();
        let quoted = offending.join("”, “");
        let mut f = finding(
            Level::Warning,
            path,
            format!("ใช้เลขไทยปนกับเลขอารบิก (“{quoted}”) ควรใช้แบบเดียวกันทั้งฉบับ"),
            format!("Thai and Arabic digits are mixed (“{quoted}”); use one kind throughout"),
        );
        let fixed: String = text
            .split_inclusive(char::is_whitespace)
            .map(|w| {
                if is_address_token(w.trim()) || is_code(w) {
                    w.to_string()
                } else {
                    to_thai_digits(w)
                }
            })
            .collect();
        f.suggestion = Some(fixed);
        out.push(f);
    }
}

/// Finds `HH.MM – HH.MM` where both times are the same.
fn empty_time_range(path: &str, text: &str, out: &mut Vec<Finding>) {
    let norm: Vec<char> = crate::thai::to_arabic_digits(text).chars().collect();
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
                    if let Some((t2, _)) = time_at(k) {
                        if t1 == t2 {
                            let quoted: String = text.chars().skip(i).take(k + 5 - i).collect();
                            out.push(finding(
                                Level::Error,
                                path,
                                format!("ช่วงเวลา “{}” เริ่มและสิ้นสุดเวลาเดียวกัน", quoted.trim()),
                                format!("the time range “{}” ends when it starts", quoted.trim()),
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
    fn mentions_without_parts() {
        let l = letter(
            r#"{"kind":"external","body":["รายละเอียดปรากฏตามสิ่งที่ส่งมาด้วย","ตาม QR Code ท้ายหนังสือ"]}"#,
        );
        let f = check(&l);
        assert!(f.iter().any(|x| x.path == "body[0]"));
        assert!(f.iter().any(|x| x.path == "body[1]"));
    }
}
