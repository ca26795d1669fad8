//! Thai digits ๐–๙ and Arabic digits 0–9, both ways, leaving URLs and e-mail addresses alone.

use serde::{Deserialize, Serialize};
use std::borrow::Cow;

/// How the digits a letter prints are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum Digits {
    /// เลขไทย ๐–๙ everywhere except URLs, e-mail addresses and QR data.
    #[default]
    Thai,
    /// Arabic 0–9 everywhere.
    Arabic,
    /// As typed.
    AsTyped,
}

/// A count as a Thai message writes it: Thai digits in groups of three (๒๕,๔๔๐).
pub fn thai_count(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    to_thai_digits(&out)
}

/// Replaces 0–9 by ๐–๙ everywhere.
pub fn to_thai_digits(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '0'..='9' => char::from_u32(0x0E50 + (c as u32 - '0' as u32)).unwrap_or(c),
            _ => c,
        })
        .collect()
}

/// Replaces ๐–๙ by 0–9 everywhere.
pub fn to_arabic_digits(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\u{0E50}'..='\u{0E59}' => {
                char::from_u32('0' as u32 + (c as u32 - 0x0E50)).unwrap_or(c)
            }
            _ => c,
        })
        .collect()
}

/// True for a whitespace-delimited token that is a URL or an e-mail address, whose digits
/// must never change (a link with Thai digits no longer works).
pub fn is_address_token(token: &str) -> bool {
    let t = token
        .trim_matches(|c: char| matches!(c, '(' | ')' | '"' | '“' | '”' | '\'' | ',' | '<' | '>'));
    let lower = t.to_ascii_lowercase();
    if lower.contains("://") || lower.starts_with("www.") {
        return true;
    }
    if let Some((user, host)) = t.split_once('@') {
        return !user.is_empty() && host.contains('.') && !host.starts_with('.');
    }
    false
}

/// Applies the letter's digit policy to text about to be printed. With [`Digits::Thai`]
/// every Arabic digit becomes Thai except inside URLs and e-mail addresses; with
/// [`Digits::Arabic`] every Thai digit becomes Arabic; [`Digits::AsTyped`] changes nothing.
pub fn localize(s: &str, policy: Digits) -> Cow<'_, str> {
    match policy {
        Digits::AsTyped => Cow::Borrowed(s),
        Digits::Arabic => {
            if s.chars().any(|c| ('\u{0E50}'..='\u{0E59}').contains(&c)) {
                Cow::Owned(to_arabic_digits(s))
            } else {
                Cow::Borrowed(s)
            }
        }
        Digits::Thai => {
            if !s.bytes().any(|b| b.is_ascii_digit()) {
                return Cow::Borrowed(s);
            }
            let mut out = String::with_capacity(s.len() + 16);
            // Walk whitespace-separated tokens, keeping the separators as they are.
            let mut rest = s;
            let mut prev = "";
            while !rest.is_empty() {
                let ws_end = rest
                    .find(|c: char| !c.is_whitespace())
                    .unwrap_or(rest.len());
                out.push_str(&rest[..ws_end]);
                rest = &rest[ws_end..];
                let tok_end = rest.find(char::is_whitespace).unwrap_or(rest.len());
                let tok = &rest[..tok_end];
                if is_address_token(tok) || follows_latin_name(prev, tok) {
                    out.push_str(tok);
                } else {
                    thai_digits_outside_codes(tok, &mut out);
                }
                prev = tok;
                rest = &rest[tok_end..];
            }
            Cow::Owned(out)
        }
    }
}

/// Characters that join a Latin code together: `COVID-19`, `v2.0`, `ISO_9001`, `A/4`.
fn in_code(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_' | '/')
}

/// Appends `tok` with its Arabic digits made Thai, except in runs that hold Latin letters
/// (`P4G`, `COVID-19`): digits that belong to a Latin name or code stay as written.
fn thai_digits_outside_codes(tok: &str, out: &mut String) {
    let mut rest = tok;
    while let Some(start) = rest.find(in_code) {
        out.push_str(&rest[..start]);
        let run_len = rest[start..]
            .find(|c: char| !in_code(c))
            .unwrap_or(rest.len() - start);
        let run = &rest[start..start + run_len];
        if run.chars().any(|c| c.is_ascii_alphabetic()) {
            out.push_str(run);
        } else {
            out.push_str(&to_thai_digits(run));
        }
        rest = &rest[start + run_len..];
    }
    out.push_str(rest);
}

/// Punctuation that may stand around a word without being part of it.
fn is_wrapping(c: char) -> bool {
    matches!(
        c,
        '(' | ')' | '[' | ']' | '"' | '“' | '”' | '\'' | '‘' | '’' | ',' | ':' | ';' | '!' | '?'
    )
}

/// True when `tok` is a bare number that continues a Latin name (`Project 2021`, `Agenda
/// 2030:`): such a number is part of the name and keeps its digits.
pub fn follows_latin_name(prev: &str, tok: &str) -> bool {
    let bare = tok.trim_matches(|c: char| is_wrapping(c) || c == '.');
    let number = !bare.is_empty()
        && bare
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | ',' | '-'))
        && bare.chars().any(|c| c.is_ascii_digit());
    let word = prev.trim_matches(is_wrapping);
    let latin_word = word.len() >= 2
        && word.chars().all(|c| c.is_ascii_alphabetic() || c == '-')
        && word.chars().any(|c| c.is_ascii_alphabetic());
    number && latin_word
}

/// True when the digits of `tok` (after `prev`) are part of a Latin name or code, and so
/// are never made Thai: `P4G`, `COVID-19`, `Project 2021`.
pub fn is_latin_code(prev: &str, tok: &str) -> bool {
    if follows_latin_name(prev, tok) {
        return true;
    }
    let mut run_has_letter = false;
    let mut run_has_digit = false;
    let mut any_latin_digit = false;
    let mut any_plain_digit = false;
    for c in tok.chars().chain(std::iter::once(' ')) {
        if in_code(c) {
            run_has_letter |= c.is_ascii_alphabetic();
            run_has_digit |= c.is_ascii_digit();
        } else {
            if run_has_digit {
                if run_has_letter {
                    any_latin_digit = true;
                } else {
                    any_plain_digit = true;
                }
            }
            run_has_letter = false;
            run_has_digit = false;
        }
    }
    any_latin_digit && !any_plain_digit
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_ways() {
        assert_eq!(to_thai_digits("COVID-19 ปี 2564"), "COVID-๑๙ ปี ๒๕๖๔");
        assert_eq!(to_arabic_digits("๑,๐๕๘ แห่ง"), "1,058 แห่ง");
    }

    #[test]
    fn urls_and_email_keep_their_digits() {
        let s = "ทาง https://2021p4g-seoulsummit.kr ทั้งนี้ ปี 2021 และ (saraban01@dla.go.th)";
        assert_eq!(
            localize(s, Digits::Thai),
            "ทาง https://2021p4g-seoulsummit.kr ทั้งนี้ ปี ๒๐๒๑ และ (saraban01@dla.go.th)"
        );
        assert_eq!(
            localize("www.dla2.go.th 5", Digits::Thai),
            "www.dla2.go.th ๕"
        );
    }

    #[test]
    fn digits_of_latin_names_and_codes_stay_arabic() {
        assert_eq!(
            localize(
                "การประชุม P4G ปี 2021 (COVID-19) ระยะ 2 และ Project 2021) Agenda 2030: ข้อ 1-4 v2.0",
                Digits::Thai
            ),
            "การประชุม P4G ปี ๒๐๒๑ (COVID-19) ระยะ ๒ และ Project 2021) Agenda 2030: ข้อ ๑-๔ v2.0"
        );
        assert_eq!(localize("โครงการP4Gปี2021", Digits::Thai), "โครงการP4Gปี๒๐๒๑");
        assert!(is_latin_code("", "COVID-19"));
        assert!(is_latin_code("Project", "2021)"));
        assert!(!is_latin_code("ปี", "2021"));
        assert!(
            is_latin_code("", "P4G/2021"),
            "a run with letters keeps all its digits"
        );
        assert_eq!(
            localize("www.dla2.go.th 5 ISO 9001", Digits::Thai),
            "www.dla2.go.th ๕ ISO 9001"
        );
    }

    #[test]
    fn policies() {
        assert_eq!(localize("มท ๐๘20.3", Digits::Thai), "มท ๐๘๒๐.๓");
        assert_eq!(localize("มท ๐๘20.3", Digits::Arabic), "มท 0820.3");
        assert_eq!(localize("มท ๐๘20.3", Digits::AsTyped), "มท ๐๘20.3");
        assert!(matches!(
            localize("ไม่มีตัวเลข", Digits::Thai),
            Cow::Borrowed(_)
        ));
    }

    #[test]
    fn counts_read_in_thai_digits_with_groups() {
        assert_eq!(super::thai_count(25_440), "๒๕,๔๔๐");
        assert_eq!(super::thai_count(999), "๙๙๙");
        assert_eq!(super::thai_count(1_000_000), "๑,๐๐๐,๐๐๐");
        assert_eq!(super::thai_count(0), "๐");
    }
}
