//! Thai digits ๐–๙ and Arabic digits 0–9, both ways, leaving URLs and e-mail addresses alone.

use crate::letter::Digits;
use std::borrow::Cow;

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
            while !rest.is_empty() {
                let ws_end = rest
                    .find(|c: char| !c.is_whitespace())
                    .unwrap_or(rest.len());
                out.push_str(&rest[..ws_end]);
                rest = &rest[ws_end..];
                let tok_end = rest.find(char::is_whitespace).unwrap_or(rest.len());
                let tok = &rest[..tok_end];
                if is_address_token(tok) {
                    out.push_str(tok);
                } else {
                    out.push_str(&to_thai_digits(tok));
                }
                rest = &rest[tok_end..];
            }
            Cow::Owned(out)
        }
    }
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
    fn policies() {
        assert_eq!(localize("มท ๐๘20.3", Digits::Thai), "มท ๐๘๒๐.๓");
        assert_eq!(localize("มท ๐๘20.3", Digits::Arabic), "มท 0820.3");
        assert_eq!(localize("มท ๐๘20.3", Digits::AsTyped), "มท ๐๘20.3");
        assert!(matches!(
            localize("ไม่มีตัวเลข", Digits::Thai),
            Cow::Borrowed(_)
        ));
    }
}
