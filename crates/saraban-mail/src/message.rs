//! Messages: an official letter or a receipt reply built as MIME (mail-builder), and a
//! message that arrived read into the letters it brings (mail-parser), with the limits
//! that refuse a mail bomb before anything is registered.

use mail_builder::headers::address::Address;
use mail_builder::headers::raw::Raw;
use mail_builder::MessageBuilder;
use mail_parser::{MessageParser, MimeHeaders, PartType};

/// The header that names the letter a message carries (`ที่ … | date`).
pub const LETTER_HEADER: &str = "X-Saraban-Letter";
/// The header of a receipt reply: the receipt number it gives (`12/2569`).
pub const RECEIPT_HEADER: &str = "X-Saraban-Receipt";

/// The largest message taken from the mailbox.
pub const MAX_MESSAGE: u64 = 100 << 20;
/// The most parts a message may have (a letter with its enclosures has a handful).
pub const MAX_PARTS: usize = 200;
/// The deepest nesting of parts inside parts.
pub const MAX_DEPTH: usize = 12;

/// A file attached to a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    /// Its file name.
    pub name: String,
    /// Its media type.
    pub mime: String,
    /// Its bytes.
    pub bytes: Vec<u8>,
}

/// A message to send.
#[derive(Debug, Clone)]
pub struct Outgoing {
    /// The office's name and address.
    pub from: (String, String),
    /// The recipient's name and address.
    pub to: (String, String),
    /// The Message-ID, without angle brackets: one per letter and recipient, so that a
    /// message sent again is known as the same.
    pub message_id: String,
    /// The message it answers (a receipt reply).
    pub in_reply_to: Option<String>,
    /// Subject.
    pub subject: String,
    /// The Thai text of the body.
    pub text: String,
    /// When (seconds since 1970).
    pub date: i64,
    /// Extra headers (`X-Saraban-…`).
    pub headers: Vec<(String, String)>,
    /// The issued PDF first, then the enclosures.
    pub attachments: Vec<Attachment>,
}

impl Outgoing {
    /// The message's bytes, exactly as sent and kept.
    pub fn build(&self) -> Vec<u8> {
        let mut b = MessageBuilder::new()
            .from(Address::new_address(
                Some(self.from.0.clone()),
                self.from.1.clone(),
            ))
            .to(Address::new_address(
                Some(self.to.0.clone()),
                self.to.1.clone(),
            ))
            .subject(self.subject.clone())
            .message_id(self.message_id.clone())
            .date(self.date)
            .text_body(self.text.clone());
        if let Some(r) = &self.in_reply_to {
            b = b.in_reply_to(r.clone()).references(r.clone());
        }
        for (k, v) in &self.headers {
            b = b.header(k.clone(), Raw::new(v.clone()));
        }
        for a in &self.attachments {
            b = b.attachment(a.mime.clone(), a.name.clone(), a.bytes.clone());
        }
        b.write_to_vec().unwrap_or_default()
    }
}

/// A Message-ID for a letter (or a receipt reply) to one recipient: the same each time it
/// is built, unique per register entry and address.
pub fn message_id(kind: &str, register: &str, entry: i64, address: &str, domain: &str) -> String {
    let key = crate::sha256_hex(
        format!(
            "{register}\u{1f}{kind}\u{1f}{entry}\u{1f}{}",
            address.to_lowercase()
        )
        .as_bytes(),
    );
    format!("saraban.{kind}.{entry}.{}@{domain}", &key[..20])
}

/// Why a message that arrived is not taken as letters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// Larger than [`MAX_MESSAGE`].
    TooLarge(u64),
    /// More parts than [`MAX_PARTS`].
    TooManyParts(usize),
    /// Parts nested deeper than [`MAX_DEPTH`].
    TooDeep,
    /// Not a message at all.
    NotAMessage,
}

impl Refusal {
    /// The reason in Thai and English, for the list of messages the clerk sees.
    pub fn text(&self) -> (String, String) {
        match self {
            Refusal::TooLarge(n) => (
                format!("ข้อความใหญ่ {} MB เกินกว่าที่รับได้ ({} MB) ขอให้ผู้ส่งแบ่งส่งหรือส่งทางอื่น", n >> 20, MAX_MESSAGE >> 20),
                format!("the message is {} MB, more than can be taken ({} MB); ask the sender to split it or send it another way", n >> 20, MAX_MESSAGE >> 20),
            ),
            Refusal::TooManyParts(n) => (
                format!("ข้อความมี {n} ส่วน (แนบไฟล์เกิน {MAX_PARTS}) ไม่รับ: อาจเป็นอีเมลก่อกวน (mail bomb)"),
                format!("the message has {n} parts (more than {MAX_PARTS}): refused as a possible mail bomb"),
            ),
            Refusal::TooDeep => (
                format!("ข้อความซ้อนกันลึกเกิน {MAX_DEPTH} ชั้น ไม่รับ: อาจเป็นอีเมลก่อกวน (mail bomb)"),
                format!("the message's parts are nested deeper than {MAX_DEPTH}: refused as a possible mail bomb"),
            ),
            Refusal::NotAMessage => (
                "อ่านข้อความไม่ได้ (ไม่ใช่อีเมลที่ถูกต้อง)".to_string(),
                "the message cannot be read (not a valid e-mail)".to_string(),
            ),
        }
    }
}

/// A message that arrived, read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Incoming {
    /// Its Message-ID, without angle brackets.
    pub message_id: Option<String>,
    /// The From address (lower case).
    pub from_address: String,
    /// The From name.
    pub from_name: String,
    /// Subject.
    pub subject: String,
    /// When the sender dated it (RFC 3339), if it did.
    pub date: Option<String>,
    /// The messages it answers.
    pub in_reply_to: Vec<String>,
    /// The receipt number of a receipt reply.
    pub receipt: Option<String>,
    /// The letter header of a letter sent from Saraban.
    pub letter: Option<String>,
    /// The PDF files: the letters.
    pub letters: Vec<Attachment>,
    /// The other files' names (enclosures that are not PDF).
    pub other_files: Vec<String>,
    /// The text body.
    pub text: String,
}

/// Reads a message that arrived, refusing a mail bomb before its parts are decoded
/// further.
pub fn read(raw: &[u8]) -> Result<Incoming, Refusal> {
    if raw.len() as u64 > MAX_MESSAGE {
        return Err(Refusal::TooLarge(raw.len() as u64));
    }
    // Counted before parsing: a message of thousands of parts or nestings is refused
    // without building them.
    let boundaries = count_boundaries(raw);
    if boundaries > MAX_PARTS * 2 + 2 {
        return Err(Refusal::TooManyParts(boundaries / 2));
    }
    let message = MessageParser::default()
        .parse(raw)
        .ok_or(Refusal::NotAMessage)?;
    if message.parts.len() > MAX_PARTS {
        return Err(Refusal::TooManyParts(message.parts.len()));
    }
    if depth(&message, 0) > MAX_DEPTH {
        return Err(Refusal::TooDeep);
    }
    let from = message.from().and_then(|a| a.first());
    let header_text = |name: &str| {
        message
            .header_raw(name)
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
    };
    let mut out = Incoming {
        message_id: message.message_id().map(str::to_string),
        from_address: from.and_then(|a| a.address()).unwrap_or("").to_lowercase(),
        from_name: from.and_then(|a| a.name()).unwrap_or("").to_string(),
        subject: message.subject().unwrap_or("").to_string(),
        date: message.date().map(|d| d.to_rfc3339()),
        in_reply_to: message
            .in_reply_to()
            .as_text_list()
            .map(|l| l.iter().map(|s| s.to_string()).collect())
            .unwrap_or_default(),
        receipt: header_text(RECEIPT_HEADER),
        letter: header_text(LETTER_HEADER),
        text: message
            .body_text(0)
            .map(|t| t.into_owned())
            .unwrap_or_default(),
        ..Incoming::default()
    };
    for (i, part) in message.attachments().enumerate() {
        let name = part
            .attachment_name()
            .map(str::to_string)
            .unwrap_or_else(|| format!("attachment-{}", i + 1));
        let bytes = part.contents();
        if bytes.starts_with(b"%PDF-")
            || name.to_lowercase().ends_with(".pdf")
                && bytes.windows(5).take(1024).any(|w| w == b"%PDF-")
        {
            out.letters.push(Attachment {
                name,
                mime: "application/pdf".into(),
                bytes: bytes.to_vec(),
            });
        } else {
            out.other_files.push(name);
        }
    }
    Ok(out)
}

/// Only the header of a message (who, what, when), for a message refused: the list
/// still says who sent what.
pub fn headers(raw: &[u8]) -> Incoming {
    let end = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map(|i| i + 4)
        .or_else(|| raw.windows(2).position(|w| w == b"\n\n").map(|i| i + 2))
        .unwrap_or(raw.len().min(64 << 10));
    let Some(m) = MessageParser::default().parse_headers(&raw[..end]) else {
        return Incoming::default();
    };
    let from = m.from().and_then(|a| a.first());
    Incoming {
        message_id: m.message_id().map(str::to_string),
        from_address: from.and_then(|a| a.address()).unwrap_or("").to_lowercase(),
        from_name: from.and_then(|a| a.name()).unwrap_or("").to_string(),
        subject: m.subject().unwrap_or("").to_string(),
        date: m.date().map(|d| d.to_rfc3339()),
        ..Incoming::default()
    }
}

fn count_boundaries(raw: &[u8]) -> usize {
    raw.split(|b| *b == b'\n')
        .filter(|l| l.starts_with(b"--") && l.len() > 2)
        .count()
}

fn depth(m: &mail_parser::Message<'_>, base: usize) -> usize {
    if base > MAX_DEPTH {
        return base;
    }
    // Part 0 is the root; children are listed by their multipart parents.
    let mut deepest = base;
    let mut stack = vec![(0usize, base)];
    let mut seen = 0usize;
    while let Some((i, d)) = stack.pop() {
        seen += 1;
        if seen > MAX_PARTS * 4 || d > MAX_DEPTH {
            return d.max(MAX_DEPTH + 1);
        }
        deepest = deepest.max(d);
        match m.parts.get(i).map(|p| &p.body) {
            Some(PartType::Multipart(children)) => {
                stack.extend(children.iter().map(|c| (*c as usize, d + 1)));
            }
            Some(PartType::Message(inner)) => deepest = deepest.max(depth(inner, d + 1)),
            _ => {}
        }
    }
    deepest
}

#[cfg(test)]
mod tests {
    use super::*;

    fn letter() -> Outgoing {
        Outgoing {
            from: ("กรมส่งเสริมการปกครองท้องถิ่น".into(), "saraban@dla.go.th".into()),
            to: ("จังหวัดเชียงใหม่".into(), "saraban@chiangmai.go.th".into()),
            message_id: message_id("letter", "r", 7, "saraban@chiangmai.go.th", "dla.go.th"),
            in_reply_to: None,
            subject: "ที่ มท ๐๘๑๐.๒/ว ๑๒ เรื่อง การประชุม".into(),
            text: "เรียน ผู้ว่าราชการจังหวัดเชียงใหม่\n".into(),
            date: 1_796_515_200,
            headers: vec![(LETTER_HEADER.into(), "มท ๐๘๑๐.๒/ว ๑๒".into())],
            attachments: vec![
                Attachment {
                    name: "หนังสือ ว ๑๒.pdf".into(),
                    mime: "application/pdf".into(),
                    bytes: b"%PDF-1.7\n%letter".to_vec(),
                },
                Attachment {
                    name: "บัญชี.xlsx".into(),
                    mime: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                        .into(),
                    bytes: b"PK\x03\x04xx".to_vec(),
                },
            ],
        }
    }

    #[test]
    fn a_letter_built_is_read_back_whole() {
        let raw = letter().build();
        let got = read(&raw).unwrap();
        assert_eq!(
            got.message_id.as_deref(),
            Some(letter().message_id.as_str())
        );
        assert_eq!(got.from_address, "saraban@dla.go.th");
        assert_eq!(got.from_name, "กรมส่งเสริมการปกครองท้องถิ่น");
        assert_eq!(got.subject, "ที่ มท ๐๘๑๐.๒/ว ๑๒ เรื่อง การประชุม");
        assert_eq!(got.letter.as_deref(), Some("มท ๐๘๑๐.๒/ว ๑๒"));
        assert_eq!(got.letters.len(), 1);
        assert_eq!(got.letters[0].name, "หนังสือ ว ๑๒.pdf");
        assert_eq!(got.letters[0].bytes, b"%PDF-1.7\n%letter");
        assert_eq!(got.other_files, vec!["บัญชี.xlsx".to_string()]);
        assert!(got.text.contains("เรียน ผู้ว่าราชการจังหวัดเชียงใหม่"));
    }

    #[test]
    fn the_message_id_is_the_same_for_a_letter_and_recipient() {
        let a = message_id("letter", "r", 7, "saraban@x.go.th", "dla.go.th");
        assert_eq!(
            a,
            message_id("letter", "r", 7, "SARABAN@x.go.th", "dla.go.th")
        );
        assert_ne!(
            a,
            message_id("letter", "r", 7, "saraban@y.go.th", "dla.go.th")
        );
        assert_ne!(
            a,
            message_id("letter", "r", 8, "saraban@x.go.th", "dla.go.th")
        );
        assert_ne!(
            a,
            message_id("receipt", "r", 7, "saraban@x.go.th", "dla.go.th")
        );
    }

    #[test]
    fn mail_bombs_are_refused() {
        let mut m = String::from("From: a@b.go.th\r\nSubject: bomb\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n");
        for i in 0..1000 {
            m.push_str(&format!("--b\r\nContent-Type: application/octet-stream\r\nContent-Disposition: attachment; filename=\"f{i}.bin\"\r\n\r\nx\r\n"));
        }
        m.push_str("--b--\r\n");
        assert!(matches!(read(m.as_bytes()), Err(Refusal::TooManyParts(_))));

        let mut deep = String::from("From: a@b.go.th\r\nSubject: deep\r\n");
        for i in 0..1000 {
            deep.push_str(&format!(
                "Content-Type: multipart/mixed; boundary=\"b{i}\"\r\n\r\n--b{i}\r\n"
            ));
        }
        deep.push_str("Content-Type: text/plain\r\n\r\nhi\r\n");
        assert!(read(deep.as_bytes()).is_err());

        let mut deep = String::from("From: a@b.go.th\r\nSubject: deep\r\n");
        for i in 0..40 {
            deep.push_str(&format!(
                "Content-Type: multipart/mixed; boundary=\"b{i}\"\r\n\r\n--b{i}\r\n"
            ));
        }
        deep.push_str("Content-Type: text/plain\r\n\r\nhi\r\n");
        assert_eq!(read(deep.as_bytes()), Err(Refusal::TooDeep));
    }
}
