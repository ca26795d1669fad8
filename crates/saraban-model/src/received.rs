//! A letter that arrived (หนังสือรับ), as the incoming register holds it: the fields a clerk
//! confirms on receipt, whoever read them (the sender's embedded data, the page's text, or
//! OCR of a scan), and the steps of its routing (เกษียนหนังสือ).
//!
//! These are plain data: reading them from a file is `saraban-receive`'s work, numbering
//! and keeping them the register's.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::letter::{Letter, Secrecy, Urgency};

/// The fields of a received letter (แบบทะเบียนหนังสือรับ: ที่, ลงวันที่, จาก, ถึง, เรื่อง, and
/// what the clerk also reads off the page).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, ts_rs::TS)]
#[serde(default)]
pub struct ReceivedFields {
    /// ที่: the sender's number as printed (e.g. `มท ๐๘๑๐.๒/ว ๑๒๓`).
    pub number: String,
    /// ลงวันที่: the letter's date, ISO.
    #[ts(type = "string | null")]
    pub date: Option<NaiveDate>,
    /// จาก: the sending agency.
    pub from: String,
    /// ถึง / เรียน: to whom it is addressed.
    pub to: String,
    /// เรื่อง.
    pub subject: String,
    /// ชั้นความเร็ว.
    pub urgency: Option<Urgency>,
    /// ชั้นความลับ.
    pub secrecy: Option<Secrecy>,
    /// อ้างถึง.
    pub references: Vec<String>,
    /// สิ่งที่ส่งมาด้วย.
    pub enclosures: Vec<String>,
}

impl ReceivedFields {
    /// The fields of a letter Saraban typeset (its embedded data): exact, no guessing.
    pub fn of_letter(letter: &Letter) -> ReceivedFields {
        let local = |s: &str| saraban_thai::localize(s, letter.digits).into_owned();
        let number = if letter.number.is_some() {
            local(&letter.number_text())
        } else {
            String::new()
        };
        ReceivedFields {
            number: number.trim().to_string(),
            date: letter.date.and_then(|d| d.to_naive()),
            from: letter
                .agency
                .as_ref()
                .map(|a| local(&a.name))
                .unwrap_or_default(),
            to: letter.recipient.as_deref().map(local).unwrap_or_default(),
            subject: letter.subject.as_deref().map(local).unwrap_or_default(),
            urgency: letter.urgency,
            secrecy: letter.secrecy,
            references: letter.references.iter().map(|r| local(r)).collect(),
            enclosures: letter.enclosures.iter().map(|e| local(&e.title)).collect(),
        }
    }

    /// The fields with every text trimmed and its spaces made single, empty lines dropped.
    pub fn tidied(mut self) -> ReceivedFields {
        let tidy = |s: &mut String| *s = s.split_whitespace().collect::<Vec<_>>().join(" ");
        for s in [
            &mut self.number,
            &mut self.from,
            &mut self.to,
            &mut self.subject,
        ] {
            tidy(s);
        }
        for list in [&mut self.references, &mut self.enclosures] {
            list.iter_mut().for_each(tidy);
            list.retain(|s| !s.is_empty());
        }
        self
    }
}

/// Where a received file came from and what it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum ReceivedKind {
    /// A PDF with text (the sender's system, or Saraban).
    Pdf,
    /// A PDF of scanned pages (no text): read by OCR.
    ScannedPdf,
    /// A photo or a scan as an image (PNG, JPEG, TIFF): read by OCR, kept as a PDF.
    Image,
}

/// How the fields were read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum ReadBy {
    /// The letter's own data, embedded by the sender's Saraban (`spec/letter-data.md`).
    LetterData,
    /// The page's text and its positions.
    Text,
    /// OCR of the page image (Tesseract, Thai).
    Ocr,
    /// Nothing could be read: the clerk types the fields.
    Clerk,
}

/// A step of a received letter's routing (เกษียนหนังสือ), each a dated entry of its history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum RoutingStep {
    /// The clerk's summary and proposal (สรุปเรื่องและเสนอ).
    Proposal {
        /// สรุปเรื่อง.
        summary: String,
        /// ข้อเสนอ (e.g. เห็นควรมอบกองคลังดำเนินการ).
        proposal: String,
    },
    /// The chief's order (คำสั่งการ / เกษียน): who ordered, what, when.
    Order {
        /// Who gave the order (name and position).
        by: String,
        /// The order's text.
        text: String,
        /// The date of the order, ISO.
        #[ts(type = "string")]
        date: NaiveDate,
    },
    /// Handed over to a unit or an officer (ส่งต่อ / มอบหมาย).
    HandOver {
        /// The unit or officer.
        to: String,
        /// A note.
        #[serde(default)]
        note: String,
    },
    /// Done (ดำเนินการแล้ว), with what was done.
    Done {
        /// What was done.
        #[serde(default)]
        note: String,
    },
}

impl RoutingStep {
    /// The step's Thai name.
    pub fn thai_name(&self) -> &'static str {
        match self {
            RoutingStep::Proposal { .. } => "เสนอ",
            RoutingStep::Order { .. } => "สั่งการ",
            RoutingStep::HandOver { .. } => "ส่งต่อ",
            RoutingStep::Done { .. } => "ดำเนินการแล้ว",
        }
    }

    /// One line for the register book's การปฏิบัติ column and the routing sheet.
    pub fn line(&self) -> String {
        match self {
            RoutingStep::Proposal { summary, proposal } => {
                let mut s = summary.trim().to_string();
                if !proposal.trim().is_empty() {
                    if !s.is_empty() {
                        s.push(' ');
                    }
                    s.push_str(proposal.trim());
                }
                s
            }
            RoutingStep::Order { by, text, .. } => format!("{} ({})", text.trim(), by.trim()),
            RoutingStep::HandOver { to, note } if note.trim().is_empty() => {
                format!("ส่ง {}", to.trim())
            }
            RoutingStep::HandOver { to, note } => format!("ส่ง {} {}", to.trim(), note.trim()),
            RoutingStep::Done { note } => format!("ดำเนินการแล้ว {}", note.trim()).trim().to_string(),
        }
    }

    /// Checks a step before it is recorded: the texts a step must have.
    pub fn check(&self) -> crate::Result<()> {
        let empty = |s: &str| s.trim().is_empty();
        let missing = match self {
            RoutingStep::Proposal { summary, proposal } if empty(summary) && empty(proposal) => {
                Some(("summary", "สรุปเรื่องหรือข้อเสนอ", "a summary or a proposal"))
            }
            RoutingStep::Order { by, .. } if empty(by) => {
                Some(("by", "ผู้สั่งการ", "who gave the order"))
            }
            RoutingStep::Order { text, .. } if empty(text) => {
                Some(("text", "ข้อความสั่งการ", "the order's text"))
            }
            RoutingStep::HandOver { to, .. } if empty(to) => {
                Some(("to", "หน่วยงานหรือผู้รับมอบ", "the unit or officer"))
            }
            _ => None,
        };
        match missing {
            Some((path, th, en)) => Err(crate::Error::input(
                path,
                format!("ยังไม่ได้ระบุ{th}"),
                format!("{en} is missing"),
            )),
            None => Ok(()),
        }
    }
}

/// How many days an urgent letter may wait for action, by its urgency (ระยะเวลาติดตาม):
/// ด่วนที่สุด the same day, ด่วนมาก 1 day, ด่วน 3 days, an ordinary letter 7 days. The office may
/// hold other rules; these are what the app starts with.
pub fn days_allowed(urgency: Option<Urgency>) -> i64 {
    match urgency {
        Some(Urgency::MostUrgent) => 0,
        Some(Urgency::VeryUrgent) => 1,
        Some(Urgency::Urgent) => 3,
        None => 7,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_issued_letters_fields_are_read_exactly() {
        let letter = Letter::from_json(
            r#"{"kind":"external","circular":true,"urgency":"very_urgent",
            "number":{"prefix":"มท ๐๘๑๐.๒","running":123},"date":"2026-05-01",
            "agency":{"name":"กรมส่งเสริมการปกครองท้องถิ่น","address":["ถนนนครราชสีมา"]},
            "subject":"ทดสอบ","recipient":"ผู้ว่าราชการจังหวัด ทุกจังหวัด",
            "references":["หนังสือกรม ที่ มท ๐๘๑๐/ว ๑"],
            "enclosures":[{"title":"แบบฟอร์ม","quantity":"จำนวน ๑ ชุด"}],
            "body":["ข้อความ"],"closing":"ขอแสดงความนับถือ",
            "signer":{"name":"นายก ข","positions":["อธิบดี"]}}"#,
        )
        .unwrap();
        let f = ReceivedFields::of_letter(&letter);
        assert_eq!(f.number, "มท ๐๘๑๐.๒/ว ๑๒๓");
        assert_eq!(f.date, NaiveDate::from_ymd_opt(2026, 5, 1));
        assert_eq!(f.from, "กรมส่งเสริมการปกครองท้องถิ่น");
        assert_eq!(f.to, "ผู้ว่าราชการจังหวัด ทุกจังหวัด");
        assert_eq!(f.urgency, Some(Urgency::VeryUrgent));
        assert_eq!(f.references, ["หนังสือกรม ที่ มท ๐๘๑๐/ว ๑"]);
        assert_eq!(f.enclosures, ["แบบฟอร์ม"]);
    }

    #[test]
    fn a_step_without_its_text_is_refused() {
        assert!(RoutingStep::HandOver {
            to: " ".into(),
            note: String::new()
        }
        .check()
        .is_err());
        let order = RoutingStep::Order {
            by: "นายอำเภอ".into(),
            text: "ทราบ มอบกองคลัง".into(),
            date: NaiveDate::from_ymd_opt(2026, 5, 2).unwrap(),
        };
        assert!(order.check().is_ok());
        assert_eq!(order.line(), "ทราบ มอบกองคลัง (นายอำเภอ)");
    }
}
