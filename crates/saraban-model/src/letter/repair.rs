//! What a line break, a tab or a stray control character in a letter means, decided once.
//!
//! A clerk types into text areas and pastes from Word, LINE and PDF readers, so any text can
//! hold line breaks and tabs. The model gives them one meaning everywhere (the app's
//! preview, saving a draft, the CLI's JSON, a draft an older version stored):
//!
//! - in a body block, a line break ends the paragraph: the block is split into blocks of
//!   the same style (a continued ข้อ goes on as an indented paragraph), empty lines dropped;
//! - in every other field, which prints on one line or wraps by itself, line breaks and
//!   tabs are spaces;
//! - what the clerk stored is never refused on reading: [`stored`] also drops the control
//!   characters no keyboard types (a BEL pasted in an old version), where a letter file given
//!   to the CLI is still told about them ([`super::parse`]).

use serde_json::Value;

use super::Letter;

/// True for the characters that break a line or advance to a tab stop.
fn is_break(c: char) -> bool {
    matches!(
        c,
        '\n' | '\r' | '\u{0B}' | '\u{0C}' | '\u{85}' | '\u{2028}' | '\u{2029}'
    )
}

/// One field's text on one line: breaks and tabs become single spaces (CR LF is one).
fn one_line(s: &str, drop_controls: bool) -> String {
    let mut out = String::with_capacity(s.len());
    let mut prev_cr = false;
    for c in s.chars() {
        if c == '\n' && prev_cr {
            prev_cr = false;
            continue;
        }
        prev_cr = c == '\r';
        if is_break(c) || c == '\t' {
            out.push(' ');
        } else if drop_controls && c.is_control() {
            continue;
        } else {
            out.push(c);
        }
    }
    out
}

/// True when `s` holds something [`one_line`] would change.
fn needs_repair(s: &str, drop_controls: bool) -> bool {
    s.chars()
        .any(|c| is_break(c) || c == '\t' || (drop_controls && c.is_control()))
}

/// The pieces of a body block's text between its line breaks, tabs made spaces.
fn paragraphs(s: &str, drop_controls: bool) -> Vec<String> {
    let pieces: Vec<String> = s
        .split(is_break)
        .map(|p| one_line(p, drop_controls))
        .filter(|p| !p.trim().is_empty())
        .collect();
    if pieces.is_empty() {
        vec![one_line(s.trim_matches(is_break), drop_controls)]
    } else {
        pieces
    }
}

/// Repairs every text of a letter held as JSON, in place.
fn repair_value(v: &mut Value, drop_controls: bool) {
    if let Some(obj) = v.as_object_mut() {
        for (key, field) in obj.iter_mut() {
            if key == "body" {
                repair_body(field, drop_controls);
            } else {
                repair_strings(field, drop_controls);
            }
        }
    }
}

fn repair_strings(v: &mut Value, drop_controls: bool) {
    match v {
        Value::String(s) if needs_repair(s, drop_controls) => *s = one_line(s, drop_controls),
        Value::Array(a) => a.iter_mut().for_each(|x| repair_strings(x, drop_controls)),
        Value::Object(o) => o
            .values_mut()
            .for_each(|x| repair_strings(x, drop_controls)),
        _ => {}
    }
}

fn repair_body(body: &mut Value, drop_controls: bool) {
    let Value::Array(blocks) = body else {
        return;
    };
    let mut out = Vec::with_capacity(blocks.len());
    for block in blocks.drain(..) {
        let (text, style, plain) = match &block {
            Value::String(s) => (s.clone(), None, true),
            Value::Object(o) => match o.get("text") {
                Some(Value::String(s)) => (s.clone(), o.get("style").cloned(), false),
                _ => {
                    out.push(block);
                    continue;
                }
            },
            _ => {
                out.push(block);
                continue;
            }
        };
        if !needs_repair(&text, drop_controls) {
            out.push(block);
            continue;
        }
        for (i, piece) in paragraphs(&text, drop_controls).into_iter().enumerate() {
            // A ข้อ that goes on after a line break goes on as a paragraph of that ข้อ.
            let style = match (&style, i) {
                (Some(Value::String(s)), i) if s == "item" && i > 0 => {
                    Some(Value::String("paragraph".into()))
                }
                (s, _) => s.clone(),
            };
            out.push(if plain {
                Value::String(piece)
            } else {
                let mut o = serde_json::Map::new();
                o.insert("text".into(), Value::String(piece));
                if let Some(s) = style {
                    o.insert("style".into(), s);
                }
                Value::Object(o)
            });
        }
    }
    *blocks = out;
}

/// The letter with line breaks and tabs given their meaning (see the module).
pub(super) fn breaks(letter: Letter) -> Letter {
    fix(letter, false)
}

/// The letter as stored text is read back: [`breaks`], and invisible control characters
/// that no keyboard types are dropped.
pub(super) fn stored(letter: Letter) -> Letter {
    fix(letter, true)
}

fn fix(letter: Letter, drop_controls: bool) -> Letter {
    let Ok(mut v) = serde_json::to_value(&letter) else {
        return letter;
    };
    if !any_to_repair(&v, drop_controls) {
        return letter;
    }
    repair_value(&mut v, drop_controls);
    serde_json::from_value(v).unwrap_or(letter)
}

fn any_to_repair(v: &Value, drop_controls: bool) -> bool {
    match v {
        Value::String(s) => needs_repair(s, drop_controls),
        Value::Array(a) => a.iter().any(|x| any_to_repair(x, drop_controls)),
        Value::Object(o) => o.values().any(|x| any_to_repair(x, drop_controls)),
        _ => false,
    }
}

/// Reads a letter the register stored (a draft, any version, an issued letter), whatever an
/// older version let through: never refused for its text, only when it is not a letter.
pub(super) fn from_stored_json(text: &str) -> crate::Result<Letter> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut v: Value = serde_json::from_str(text).map_err(|e| {
        crate::Error::Register {
            th: format!("ข้อมูลหนังสือที่เก็บไว้ในทะเบียนเสียหาย อ่านไม่ได้ ({e}) กรุณาเปิดฉบับก่อนหน้าจากประวัติร่าง หรือกู้คืนทะเบียนจากสำเนาสำรอง"),
            en: format!("a letter stored in the register is damaged and cannot be read ({e}); open an earlier version from the draft's history or restore the register from a backup"),
        }
    })?;
    repair_value(&mut v, true);
    super::parse::from_value(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_breaks_in_the_body_are_paragraph_breaks() {
        let l = Letter::from_json(
            r#"{"kind":"external","subject":"ก\nข","body":["หนึ่ง\r\nสอง\n\nสาม", {"text":"ข้อ\nต่อ","style":"item"}]}"#,
        )
        .unwrap();
        assert_eq!(l.subject.as_deref(), Some("ก ข"));
        let texts: Vec<_> = l.body.iter().map(|b| (b.text(), b.style())).collect();
        use super::super::BlockStyle::*;
        assert_eq!(
            texts,
            [
                ("หนึ่ง", Paragraph),
                ("สอง", Paragraph),
                ("สาม", Paragraph),
                ("ข้อ", Item),
                ("ต่อ", Paragraph)
            ]
        );
    }

    #[test]
    fn stored_text_with_any_control_character_reads_back() {
        let l = from_stored_json(r#"{"kind":"external","subject":"ก\u0007ข\tค","body":["\n"]}"#)
            .unwrap();
        assert_eq!(l.subject.as_deref(), Some("กข ค"));
        assert_eq!(l.body.len(), 1);
    }
}
