//! Parsing and validation: every problem names its JSON path, in Thai and English.

use super::{BodyBlock, Letter};
use crate::error::{Error, InputProblem};

/// The longest subject accepted, in characters. เรื่อง is "the shortest possible summary";
/// anything longer is almost surely a paste into the wrong field.
pub const MAX_SUBJECT_CHARS: usize = 1_000;
/// The longest single text field accepted, in characters.
pub const MAX_FIELD_CHARS: usize = 20_000;
/// The most QR codes one letter may print.
pub const MAX_QR_CODES: usize = 8;

/// The most text one letter may hold, in characters.
pub const MAX_TOTAL_CHARS: usize = 200_000;

pub(super) fn from_json(text: &str) -> crate::Result<Letter> {
    // Windows editors save UTF-8 with a byte order mark: it is not part of the JSON.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let de = &mut serde_json::Deserializer::from_str(text);
    let letter: Letter = match serde_path_to_error::deserialize(de) {
        Ok(l) => l,
        Err(e) => {
            let path = e.path().to_string();
            let path = if path == "." { String::new() } else { path };
            return Err(Error::Input(vec![describe(path, e.inner())]));
        }
    };
    validated(letter)
}

/// A letter from JSON already parsed, with every problem of its structure named by its path;
/// its text is not judged (what a register stored is read back whatever it holds).
pub(super) fn from_value(v: serde_json::Value) -> crate::Result<Letter> {
    serde_path_to_error::deserialize(v).map_err(|e| {
        let path = e.path().to_string();
        let path = if path == "." { String::new() } else { path };
        Error::Input(vec![describe(path, e.inner())])
    })
}

/// The checks of [`from_json`] on a letter that arrived as data (the app's IPC). Line
/// breaks and tabs first get their one meaning ([`super::repair`]).
pub(super) fn validated(letter: Letter) -> crate::Result<Letter> {
    let letter = super::repair::breaks(letter);
    let problems = validate(&letter);
    if problems.is_empty() {
        Ok(letter)
    } else {
        Err(Error::Input(problems))
    }
}

/// Turns a serde_json error into a sentence in both languages.
fn describe(path: String, e: &serde_json::Error) -> InputProblem {
    use serde_json::error::Category;
    let msg = e.to_string();
    // serde_json appends " at line L column C"; keep it for syntax errors only.
    let core = match msg.rfind(" at line ") {
        Some(i) => msg[..i].to_string(),
        None => msg.clone(),
    };
    match e.classify() {
        Category::Syntax | Category::Eof => InputProblem::new(
            String::new(),
            format!(
                "ไฟล์ไม่ใช่ JSON ที่ถูกต้อง (บรรทัด {} คอลัมน์ {}): ตรวจเครื่องหมายจุลภาค วงเล็บ และเครื่องหมายคำพูด",
                e.line(),
                e.column()
            ),
            format!(
                "not valid JSON at line {} column {} ({core}): check commas, brackets and quotes",
                e.line(),
                e.column()
            ),
        ),
        Category::Io => InputProblem::new(path, format!("อ่านข้อมูลไม่ได้: {core}"), core),
        Category::Data => {
            let th = if let Some(rest) = core.strip_prefix("unknown field ") {
                let field = rest.split(',').next().unwrap_or(rest);
                format!(
                    "ไม่รู้จักช่อง {field} (สะกดผิดหรือไม่ ช่องที่ใช้ได้: {})",
                    rest.split_once("expected ").map(|x| x.1).unwrap_or("ดูใน letter.schema.json")
                )
            } else if let Some(rest) = core.strip_prefix("missing field ") {
                format!("ขาดช่อง {rest} ซึ่งต้องมี")
            } else if let Some(rest) = core.strip_prefix("invalid type: ") {
                let (got, want) = rest.split_once(", expected ").unwrap_or((rest, "?"));
                format!("ชนิดข้อมูลไม่ถูกต้อง: ได้ {got} แต่ต้องเป็น {want}")
            } else if let Some(rest) = core.strip_prefix("unknown variant ") {
                let (got, want) = rest.split_once(", expected ").unwrap_or((rest, "?"));
                format!("ค่า {got} ใช้ไม่ได้ ต้องเป็นค่าใดค่าหนึ่งใน {want}")
            } else if core.contains("did not match any variant") {
                "ย่อหน้าต้องเป็นข้อความ หรือวัตถุ {\"text\": …, \"style\": \"paragraph\"|\"item\"|\"plain\"}"
                    .to_string()
            } else if core.contains("that day does not exist") {
                format!("วันที่ “{}” ไม่มีอยู่จริง: เดือนนั้นไม่มีวันที่นั้น", typed(&core))
            } else if core.contains("the date must be") {
                format!(
                    "วันที่ “{}” ต้องอยู่ในรูป ปปปป-ดด-วว หรือ ปปปป-ดด สำหรับร่าง",
                    typed(&core)
                )
            } else if core.contains("the month must be") {
                format!("วันที่ “{}”: เดือนต้องเป็น 01 ถึง 12", typed(&core))
            } else if core.contains("running number") {
                format!(
                    "เลขทะเบียนต้องเป็นจำนวนเต็มตั้งแต่ 1 ถึง {}",
                    crate::letter::RunningNumber::MAX
                )
            } else if core.contains("format") && core.contains("not supported") {
                "รุ่นของรูปแบบไฟล์ไม่รองรับ (รองรับ format 1)".to_string()
            } else {
                format!("ข้อมูลไม่ถูกต้อง: {core}")
            };
            let en = if core.contains("did not match any variant") {
                "a body block must be a string or an object {\"text\": …, \"style\": \"paragraph\"|\"item\"|\"plain\"}"
                    .to_string()
            } else {
                core
            };
            InputProblem::new(path, th, en)
        }
    }
}

/// Checks what the types cannot: required content, lengths, control characters.
fn validate(l: &Letter) -> Vec<InputProblem> {
    let mut out = Vec::new();
    let mut total = 0usize;
    let mut field = |path: String, text: &str, limit: usize, out: &mut Vec<InputProblem>| {
        let n = text.chars().count();
        total += n;
        if n > limit {
            out.push(InputProblem::new(
                path.clone(),
                format!(
                    "ข้อความยาว {} ตัวอักษร เกินที่รับได้ {} ตัวอักษร กรุณาตัดให้สั้นลง",
                    saraban_thai::thai_count(n as u64),
                    saraban_thai::thai_count(limit as u64)
                ),
                format!("the text is {n} characters long, more than the {limit} allowed; please shorten it"),
            ));
        }
        if let Some((i, c)) = text.chars().enumerate().find(|(_, c)| c.is_control()) {
            out.push(InputProblem::new(
                path,
                format!(
                    "มีอักขระควบคุม U+{:04X} ที่ตำแหน่ง {} (เช่น แท็บหรือขึ้นบรรทัดใหม่ที่ติดมาจากการคัดลอก) กรุณาลบออกหรือแทนด้วยช่องว่าง",
                    c as u32,
                    i + 1
                ),
                format!(
                    "contains the control character U+{:04X} at position {} (a tab or line break pasted in?); remove it or use a space",
                    c as u32,
                    i + 1
                ),
            ));
        }
    };

    if let Some(n) = &l.number {
        if let Some(p) = &n.prefix {
            field("number.prefix".into(), p, 100, &mut out);
        }
    }
    if let Some(a) = &l.agency {
        field("agency.name".into(), &a.name, 300, &mut out);
        for (i, line) in a.address.iter().enumerate() {
            field(format!("agency.address[{i}]"), line, 300, &mut out);
        }
    }
    if let Some(s) = &l.subject {
        field("subject".into(), s, MAX_SUBJECT_CHARS, &mut out);
    }
    for (name, v) in [
        ("salutation", &l.salutation),
        ("recipient", &l.recipient),
        ("closing", &l.closing),
    ] {
        if let Some(v) = v {
            field(name.into(), v, 1_000, &mut out);
        }
    }
    if let Some(d) = &l.distribution {
        if let Some(t) = &d.title {
            field("distribution.title".into(), t, 1_000, &mut out);
        }
        if d.recipients.is_empty() {
            out.push(InputProblem::new(
                "distribution.recipients",
                "บัญชีแนบท้ายต้องมีผู้รับอย่างน้อยหนึ่งราย",
                "a distribution list needs at least one recipient",
            ));
        }
        for (i, r) in d.recipients.iter().enumerate() {
            field(format!("distribution.recipients[{i}]"), r, 1_000, &mut out);
        }
    }
    for (i, r) in l.references.iter().enumerate() {
        field(format!("references[{i}]"), r, 2_000, &mut out);
    }
    for (i, e) in l.enclosures.iter().enumerate() {
        field(format!("enclosures[{i}].title"), &e.title, 2_000, &mut out);
        if let Some(q) = &e.quantity {
            field(format!("enclosures[{i}].quantity"), q, 100, &mut out);
        }
    }
    if l.body.is_empty() {
        out.push(InputProblem::new(
            "body",
            "ข้อความ (body) ต้องมีอย่างน้อยหนึ่งย่อหน้า",
            "the body needs at least one paragraph",
        ));
    }
    for (i, b) in l.body.iter().enumerate() {
        let path = match b {
            BodyBlock::Text(_) => format!("body[{i}]"),
            BodyBlock::Styled(_) => format!("body[{i}].text"),
        };
        field(path, b.text(), MAX_FIELD_CHARS, &mut out);
    }
    if let Some(s) = &l.signer {
        field("signer.name".into(), &s.name, 300, &mut out);
        for (i, p) in s.positions.iter().enumerate() {
            field(format!("signer.positions[{i}]"), p, 300, &mut out);
        }
        if let Some(p) = &s.position {
            field("signer.position".into(), p, 300, &mut out);
        }
        if let Some(p) = &s.for_position {
            field("signer.for_position".into(), p, 300, &mut out);
        }
        if s.acting.is_some()
            && s.for_position
                .as_deref()
                .map(str::trim)
                .unwrap_or("")
                .is_empty()
        {
            out.push(InputProblem::new(
                "signer.for_position",
                "ลงนามแทนต้องระบุตำแหน่งที่ลงนามแทน (for_position)",
                "signing for someone else needs the position covered (for_position)",
            ));
        }
    }
    if let Some(i) = &l.initials {
        for (name, v) in [
            ("initials.drafter", &i.drafter),
            ("initials.typist", &i.typist),
            ("initials.proofreader", &i.proofreader),
            ("initials.reviewer", &i.reviewer),
        ] {
            if let Some(v) = v {
                field(name.into(), v, 100, &mut out);
            }
        }
    }
    if l.paper == Some(super::Paper::A5) && l.kind != super::Kind::Memo {
        out.push(InputProblem::new(
            "paper",
            "กระดาษ A5 ใช้ได้เฉพาะบันทึกข้อความ (memo)",
            "A5 paper is for memos (บันทึกข้อความ) only",
        ));
    }
    if let Some(st) = l.stamp.as_ref().and_then(|s| s.agency.as_ref()) {
        field("stamp.agency".into(), st, 300, &mut out);
    }
    if let Some(o) = &l.owner {
        for (name, v) in [
            ("owner.department", &o.department),
            ("owner.unit", &o.unit),
            ("owner.phone", &o.phone),
            ("owner.fax", &o.fax),
            ("owner.email", &o.email),
        ] {
            if let Some(v) = v {
                field(name.into(), v, 300, &mut out);
            }
        }
    }
    if l.qr.len() > MAX_QR_CODES {
        out.push(InputProblem::new(
            "qr",
            format!(
                "มี QR code {} รหัส เกิน {MAX_QR_CODES} รหัสที่หนังสือหนึ่งฉบับพิมพ์ได้",
                l.qr.len()
            ),
            format!(
                "{} QR codes, more than the {MAX_QR_CODES} one letter may print",
                l.qr.len()
            ),
        ));
    }
    for (i, q) in l.qr.iter().enumerate() {
        // A QR code holds at most 2,331 bytes at error-correction level M.
        field(format!("qr[{i}].data"), &q.data, 2_000, &mut out);
        if q.data.is_empty() {
            out.push(InputProblem::new(
                format!("qr[{i}].data"),
                "QR code ต้องมีข้อมูล (เช่น URL)",
                "a QR code needs data (e.g. a URL)",
            ));
        }
        if let Some(c) = &q.caption {
            field(format!("qr[{i}].caption"), c, 300, &mut out);
        }
    }
    for (i, c) in l.copies_to.iter().enumerate() {
        field(format!("copies_to[{i}]"), c, 1_000, &mut out);
    }
    if total > MAX_TOTAL_CHARS {
        out.push(InputProblem::new(
            "",
            format!(
                "หนังสือยาวรวม {} ตัวอักษร เกิน {} ตัวอักษร",
                saraban_thai::thai_count(total as u64),
                saraban_thai::thai_count(MAX_TOTAL_CHARS as u64)
            ),
            format!("the letter holds {total} characters, more than {MAX_TOTAL_CHARS}"),
        ));
    }
    out
}

/// The value a parse message quotes between backticks (what the clerk typed), for the Thai
/// message to quote it without the English around it.
fn typed(core: &str) -> &str {
    core.split('`').nth(1).unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Lang;

    fn problems(json: &str) -> Vec<InputProblem> {
        match Letter::from_json(json) {
            Err(Error::Input(p)) => p,
            other => panic!("expected input problems, got {other:?}"),
        }
    }

    #[test]
    fn minimal_letter_parses_with_defaults() {
        let l = Letter::from_json(r#"{"kind":"external","body":["ข้อความ"]}"#).unwrap();
        assert_eq!(l.salutation_or_default(), Some("เรียน"));
        assert_eq!(l.closing_or_default(), Some("ขอแสดงความนับถือ"));
        assert_eq!(l.digits, super::super::Digits::Thai);
        assert!(l.is_draft());
    }

    #[test]
    fn unknown_field_names_its_path() {
        let p = problems(r#"{"kind":"external","body":["x"],"owner":{"phon":"1"}}"#);
        assert_eq!(p[0].path, "owner.phon");
        assert!(p[0].en.contains("unknown field `phon`"), "{}", p[0].en);
        assert!(p[0].th.contains("ไม่รู้จักช่อง"));
    }

    #[test]
    fn wrong_type_names_its_index() {
        let p = problems(r#"{"kind":"external","body":["x", 5]}"#);
        assert_eq!(p[0].path, "body[1]");
    }

    #[test]
    fn bad_date_and_syntax_are_explained() {
        let p = problems(r#"{"kind":"external","body":["x"],"date":"2021-02-30"}"#);
        assert_eq!(p[0].path, "date");
        assert!(p[0].th.contains("ไม่มีอยู่จริง"));
        let p = problems("{\"kind\": \"external\",\n \"body\": [\"x\",]}");
        assert!(p[0].message(Lang::En).contains("line 2"), "{:?}", p[0]);
    }

    #[test]
    fn control_characters_and_long_subjects_are_refused() {
        let long = "ก".repeat(100_000);
        let json = format!(r#"{{"kind":"external","subject":"{long}","body":["a\u0007b"]}}"#);
        let p = problems(&json);
        assert!(p
            .iter()
            .any(|x| x.path == "subject" && x.en.contains("100000 characters")));
        assert!(p
            .iter()
            .any(|x| x.path == "body[0]" && x.en.contains("U+0007")));
    }

    #[test]
    fn empty_body_and_zero_running_number_are_refused() {
        assert_eq!(problems(r#"{"kind":"external","body":[]}"#)[0].path, "body");
        let p = problems(r#"{"kind":"external","body":["x"],"number":{"running":0}}"#);
        assert_eq!(p[0].path, "number.running");
    }
}
