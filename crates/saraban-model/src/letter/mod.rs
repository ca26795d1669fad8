//! The letter (หนังสือราชการ) as a clerk composes it.
//!
//! These types are the interchange format of `../shared/spec/letter.schema.json`, one field
//! for one property, and unknown properties are an error so that a typo never silently drops
//! a part of a letter. Text is stored as typed; labels, Buddhist-Era dates and Thai digits
//! are added when the letter is typeset. [`Letter::from_json`] parses and validates, naming
//! the JSON path of every problem.

pub mod check;
mod fields;
mod parse;
mod repair;
pub mod spell;

mod date;
pub use date::parse_date_either_era;
pub use fields::field_label;
pub use parse::{MAX_FIELD_CHARS, MAX_SUBJECT_CHARS, MAX_TOTAL_CHARS};
pub use saraban_thai::{DateProblem, Digits, LetterDate};

use serde::{Deserialize, Serialize};

/// One official letter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[serde(deny_unknown_fields)]
pub struct Letter {
    /// Version of the interchange format (always 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<FormatVersion>,
    /// ชนิดของหนังสือ.
    pub kind: Kind,
    /// หนังสือเวียน: numbered in the ว series.
    #[serde(default, skip_serializing_if = "is_false")]
    pub circular: bool,
    /// ชั้นความเร็ว.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub urgency: Option<Urgency>,
    /// ชั้นความลับ.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secrecy: Option<Secrecy>,
    /// ที่: the letter code and running number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<Number>,
    /// ส่วนราชการเจ้าของหนังสือ and its address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agency: Option<Agency>,
    /// วัน เดือน ปี (Gregorian in the file, Buddhist Era on paper).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(type = "string")]
    pub date: Option<LetterDate>,
    /// เรื่อง.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    /// คำขึ้นต้น (เรียน, กราบเรียน …); the kind's default when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub salutation: Option<String>,
    /// ผู้รับ: to whom.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recipient: Option<String>,
    /// บัญชีแนบท้าย: the distribution list on its own page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub distribution: Option<Distribution>,
    /// อ้างถึง.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub references: Vec<String>,
    /// สิ่งที่ส่งมาด้วย.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub enclosures: Vec<Enclosure>,
    /// ข้อความ: the paragraphs of the body.
    pub body: Vec<BodyBlock>,
    /// คำลงท้าย; the kind's default when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closing: Option<String>,
    /// ผู้ลงนาม.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signer: Option<Signer>,
    /// ตราชื่อส่วนราชการ of a stamped letter.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stamp: Option<Stamp>,
    /// ส่วนราชการเจ้าของเรื่อง and how to reach it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<Owner>,
    /// QR codes printed at the end of the letter.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub qr: Vec<Qr>,
    /// สำเนาส่ง.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub copies_to: Vec<String>,
    /// How digits are printed.
    #[serde(default)]
    pub digits: Digits,
    /// Paper size (memos only; A4 by default).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paper: Option<Paper>,
    /// Initials of ผู้ร่าง / ผู้พิมพ์ / ผู้ทาน, printed on the file copy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub initials: Option<Initials>,
    /// The received letter this one answers (ตอบหนังสือรับ): its receipt in the incoming
    /// register. Not printed (its อ้างถึง says it on paper); the register links the two.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply_to: Option<ReplyTo>,
}

/// A receipt of the incoming register, by its number and year (เลขรับ ๑๒/๒๕๖๙).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(deny_unknown_fields)]
pub struct ReplyTo {
    /// เลขทะเบียนรับ.
    #[ts(type = "number")]
    pub receipt_number: i64,
    /// Its Buddhist-Era year.
    #[ts(type = "number")]
    pub year_be: i64,
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// The `format` constant: only version 1 exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct FormatVersion(u8);

impl<'de> Deserialize<'de> for FormatVersion {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = u64::deserialize(d)?;
        if v == 1 {
            Ok(FormatVersion(1))
        } else {
            Err(serde::de::Error::custom(format!(
                "format {v} is not supported; this version of Saraban reads format 1"
            )))
        }
    }
}

/// ชนิดของหนังสือ.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// หนังสือภายนอก.
    External,
    /// หนังสือภายใน (บันทึกข้อความ).
    Memo,
    /// หนังสือประทับตรา.
    Stamped,
    /// คำสั่ง.
    Order,
    /// ประกาศ.
    Announcement,
}

/// The parts a kind of letter has (ส่วนของหนังสือแต่ละชนิด), as ../shared/docs/letter-format.md
/// lists them: the one table the proofreader and the app's form read (the UI gets it
/// generated into `bindings.ts` as `KIND_PARTS`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct Parts {
    /// ชั้นความเร็ว and ชั้นความลับ.
    pub urgency: bool,
    /// ที่ (the letter number): needed to issue.
    pub number: bool,
    /// ส่วนราชการเจ้าของหนังสือ.
    pub agency: bool,
    /// Its address (ที่ตั้ง).
    pub address: bool,
    /// คำขึ้นต้น (เรียน …).
    pub salutation: bool,
    /// The recipient (เรียน / ถึง): needed.
    pub recipient: bool,
    /// อ้างถึง.
    pub references: bool,
    /// สิ่งที่ส่งมาด้วย.
    pub enclosures: bool,
    /// คำลงท้าย.
    pub closing: bool,
    /// The signer (ลงชื่อ, ตำแหน่ง): a warning when missing.
    pub signer: bool,
    /// The stamp of the agency (ตราชื่อส่วนราชการ) of a stamped letter.
    pub stamp: bool,
    /// ส่วนราชการเจ้าของเรื่อง (unit, telephone, e-mail): a warning when missing.
    pub owner: bool,
    /// QR codes.
    pub qr: bool,
    /// สำเนาส่ง.
    pub copies: bool,
    /// The distribution list of a circular (บัญชีรายชื่อ).
    pub distribution: bool,
    /// The paper size chosen (a memo may be half a sheet).
    pub paper: bool,
    /// May be a circular (หนังสือเวียน).
    pub circular: bool,
}

impl Kind {
    /// What this kind of letter has.
    pub fn parts(self) -> Parts {
        use Kind::*;
        let numbered = !matches!(self, Order | Announcement);
        Parts {
            urgency: numbered,
            number: numbered,
            agency: true,
            address: self == External,
            salutation: matches!(self, External | Memo),
            recipient: numbered,
            references: self == External,
            enclosures: matches!(self, External | Stamped),
            closing: self == External,
            signer: self != Stamped,
            stamp: self == Stamped,
            owner: matches!(self, External | Stamped | Memo),
            qr: true,
            copies: matches!(self, External | Memo),
            distribution: matches!(self, External | Stamped),
            paper: self == Memo,
            circular: matches!(self, External | Stamped | Memo),
        }
    }

    /// Every kind, in the order the forms and the CLI's help list them.
    pub const ALL: [Kind; 5] = [
        Kind::External,
        Kind::Memo,
        Kind::Stamped,
        Kind::Order,
        Kind::Announcement,
    ];

    /// Its name in the letter JSON, the register's rows and the CLI (`external`, `memo`, …).
    pub fn name(self) -> &'static str {
        match self {
            Kind::External => "external",
            Kind::Memo => "memo",
            Kind::Stamped => "stamped",
            Kind::Order => "order",
            Kind::Announcement => "announcement",
        }
    }

    /// The kind called `name` ([`Kind::name`]).
    pub fn from_name(name: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.name() == name)
    }

    /// The English name of the kind, for messages.
    pub fn english_name(self) -> &'static str {
        match self {
            Kind::External => "external letter",
            Kind::Memo => "memo",
            Kind::Stamped => "stamped letter",
            Kind::Order => "order",
            Kind::Announcement => "announcement",
        }
    }

    /// The Thai name of the kind.
    pub fn thai_name(self) -> &'static str {
        match self {
            Kind::External => "หนังสือภายนอก",
            Kind::Memo => "บันทึกข้อความ",
            Kind::Stamped => "หนังสือประทับตรา",
            Kind::Order => "คำสั่ง",
            Kind::Announcement => "ประกาศ",
        }
    }
}

/// ชั้นความเร็ว.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum Urgency {
    /// ด่วน.
    Urgent,
    /// ด่วนมาก.
    VeryUrgent,
    /// ด่วนที่สุด.
    MostUrgent,
}

impl Urgency {
    /// The mark printed in red.
    pub fn mark(self) -> &'static str {
        match self {
            Urgency::Urgent => "ด่วน",
            Urgency::VeryUrgent => "ด่วนมาก",
            Urgency::MostUrgent => "ด่วนที่สุด",
        }
    }
}

/// ชั้นความลับ.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum Secrecy {
    /// ลับ.
    Confidential,
    /// ลับมาก.
    Secret,
    /// ลับที่สุด.
    TopSecret,
}

impl Secrecy {
    /// The mark printed in red at the top and bottom of every page.
    pub fn mark(self) -> &'static str {
        match self {
            Secrecy::Confidential => "ลับ",
            Secrecy::Secret => "ลับมาก",
            Secrecy::TopSecret => "ลับที่สุด",
        }
    }
}

/// ที่: the agency's letter code and the running number from the register.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[serde(deny_unknown_fields)]
#[ts(rename = "LetterNumber")]
pub struct Number {
    /// รหัสตัวพยัญชนะและเลขประจำของเจ้าของเรื่อง, e.g. `มท ๐๘๑๐.๒`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prefix: Option<String>,
    /// เลขทะเบียนหนังสือส่ง; absent in a draft.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub running: Option<RunningNumber>,
}

/// เลขทะเบียน: a running number, from 1 to [`RunningNumber::MAX`]. The one type of a running
/// number everywhere (letter, register, printing): a value outside the range cannot be
/// made, so no number ever wraps into one already printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, ts_rs::TS)]
pub struct RunningNumber(u32);

impl RunningNumber {
    /// The highest running number a series may reach in a year.
    pub const MAX: i64 = 999_999;

    /// The running number `n`, if it is within 1..=[`RunningNumber::MAX`].
    pub fn new(n: i64) -> Option<RunningNumber> {
        (1..=Self::MAX)
            .contains(&n)
            .then_some(RunningNumber(n as u32))
    }

    /// Its value.
    pub fn get(self) -> i64 {
        i64::from(self.0)
    }
}

impl std::fmt::Display for RunningNumber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl<'de> Deserialize<'de> for RunningNumber {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = i64::deserialize(d)?;
        RunningNumber::new(v).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "running number {v} is out of range: it must be from 1 to {}",
                RunningNumber::MAX
            ))
        })
    }
}

/// ส่วนราชการเจ้าของหนังสือ.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[serde(deny_unknown_fields)]
pub struct Agency {
    /// ชื่อส่วนราชการ.
    pub name: String,
    /// ที่ตั้ง, one line each.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub address: Vec<String>,
}

/// บัญชีแนบท้าย.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[serde(deny_unknown_fields)]
pub struct Distribution {
    /// The heading of the list.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// ผู้รับ, one per row.
    pub recipients: Vec<String>,
}

/// สิ่งที่ส่งมาด้วย: one enclosed item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[serde(deny_unknown_fields)]
pub struct Enclosure {
    /// ชื่อสิ่งที่ส่งมาด้วย.
    pub title: String,
    /// จำนวน, e.g. `จำนวน ๑ ชุด`, printed at the right-hand tab.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quantity: Option<String>,
}

/// One block of the body: a plain string is an indented paragraph.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[serde(untagged)]
pub enum BodyBlock {
    /// ย่อหน้า: first line indented 2.5 cm.
    Text(String),
    /// A block with an explicit style.
    Styled(StyledBlock),
}

/// A body block with a style.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[serde(deny_unknown_fields)]
pub struct StyledBlock {
    /// The text.
    pub text: String,
    /// How it is set.
    #[serde(default)]
    pub style: BlockStyle,
}

impl BodyBlock {
    /// The text of the block.
    pub fn text(&self) -> &str {
        match self {
            BodyBlock::Text(t) => t,
            BodyBlock::Styled(s) => &s.text,
        }
    }

    /// The style of the block.
    pub fn style(&self) -> BlockStyle {
        match self {
            BodyBlock::Text(_) => BlockStyle::Paragraph,
            BodyBlock::Styled(s) => s.style,
        }
    }
}

/// How a body block is set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum BlockStyle {
    /// First line indented 2.5 cm.
    #[default]
    Paragraph,
    /// ข้อ: a numbered point with a hanging indent.
    Item,
    /// No indent.
    Plain,
}

/// ผู้ลงนาม.
///
/// Either the plain form, `positions` (the lines under the name as typed), or the
/// structured form of ภาคผนวก ๓ ข้อ ๔: the signer's own `position`, an `acting` form and the
/// position covered (`for_position`), from which the lines are built in the official order
/// ([`Signer::position_lines`]).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, ts_rs::TS)]
#[serde(deny_unknown_fields)]
pub struct Signer {
    /// ชื่อเต็ม, printed in parentheses. Empty when the name is written by hand: the page
    /// keeps the signature space and a blank line in parentheses.
    #[serde(default)]
    pub name: String,
    /// ตำแหน่ง lines under the name, as typed (the plain form).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub positions: Vec<String>,
    /// ตำแหน่งของผู้ลงนาม: the signer's own position.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub position: Option<String>,
    /// การลงนามแทน: how the signer signs for the holder of another position.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acting: Option<Acting>,
    /// ตำแหน่งที่ลงนามแทน: the position covered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub for_position: Option<String>,
}

/// The five forms of signing for someone else (ภาคผนวก ๓ ข้อ ๔).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub enum Acting {
    /// ปฏิบัติราชการแทน: by written delegation, while the holder is in post.
    #[serde(rename = "ปฏิบัติราชการแทน")]
    OnBehalf,
    /// รักษาราชการแทน: the post is vacant or its holder cannot act (posts under the
    /// state administration act).
    #[serde(rename = "รักษาราชการแทน")]
    Acting,
    /// รักษาการในตำแหน่ง: vacant or absent holder of another post.
    #[serde(rename = "รักษาการในตำแหน่ง")]
    ActingInPost,
    /// ปฏิบัติหน้าที่แทน.
    #[serde(rename = "ปฏิบัติหน้าที่แทน")]
    PerformingDuties,
    /// รักษาการแทน.
    #[serde(rename = "รักษาการแทน")]
    Caretaker,
}

impl Acting {
    /// The words printed.
    pub fn words(self) -> &'static str {
        match self {
            Acting::OnBehalf => "ปฏิบัติราชการแทน",
            Acting::Acting => "รักษาราชการแทน",
            Acting::ActingInPost => "รักษาการในตำแหน่ง",
            Acting::PerformingDuties => "ปฏิบัติหน้าที่แทน",
            Acting::Caretaker => "รักษาการแทน",
        }
    }
}

impl Signer {
    /// The lines under the name: the plain `positions`, or, in the structured form, the
    /// signer's own position followed by the acting words, then the position covered:
    ///
    /// ```text
    ///        (นายสมชาย ใจดี)
    /// รองอธิบดี ปฏิบัติราชการแทน
    /// อธิบดีกรมส่งเสริมการปกครองท้องถิ่น
    /// ```
    pub fn position_lines(&self) -> Vec<String> {
        let mut out = Vec::new();
        let own = self
            .position
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty());
        match (own, self.acting) {
            (Some(own), Some(a)) => out.push(format!("{own} {}", a.words())),
            (None, Some(a)) => out.push(a.words().to_string()),
            (Some(own), None) => out.push(own.to_string()),
            (None, None) => {}
        }
        if self.acting.is_some() {
            if let Some(f) = self
                .for_position
                .as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
            {
                out.push(f.to_string());
            }
        }
        out.extend(self.positions.iter().cloned());
        out
    }
}

/// ผู้ร่าง / ผู้พิมพ์ / ผู้ทาน / ผู้ตรวจ: initials printed on the file copy (สำเนาคู่ฉบับ) only.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[serde(deny_unknown_fields)]
pub struct Initials {
    /// ผู้ร่าง.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub drafter: Option<String>,
    /// ผู้พิมพ์.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub typist: Option<String>,
    /// ผู้ทาน.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proofreader: Option<String>,
    /// ผู้ตรวจ.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reviewer: Option<String>,
}

impl Initials {
    /// The lines of the initials block, e.g. `ร่าง สมชาย`.
    pub fn lines(&self) -> Vec<String> {
        [
            ("ร่าง", &self.drafter),
            ("พิมพ์", &self.typist),
            ("ทาน", &self.proofreader),
            ("ตรวจ", &self.reviewer),
        ]
        .into_iter()
        .filter_map(|(label, v)| v.as_deref().map(|v| format!("{label} {}", v.trim())))
        .collect()
    }
}

/// Paper size of a memo (บันทึกข้อความ may be A4 or A5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "lowercase")]
pub enum Paper {
    /// 210 × 297 mm.
    #[default]
    A4,
    /// 148 × 210 mm.
    A5,
}

/// ตราชื่อส่วนราชการ.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[serde(deny_unknown_fields)]
pub struct Stamp {
    /// The agency whose seal is stamped.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agency: Option<String>,
}

/// ส่วนราชการเจ้าของเรื่อง.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[serde(deny_unknown_fields)]
pub struct Owner {
    /// กอง / สำนัก.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub department: Option<String>,
    /// กลุ่มงาน / ฝ่าย.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// โทร.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// โทรสาร.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fax: Option<String>,
    /// ไปรษณีย์อิเล็กทรอนิกส์; never converted to Thai digits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
}

/// A QR code printed at the end of the letter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[serde(deny_unknown_fields)]
pub struct Qr {
    /// What the code holds; never converted to Thai digits.
    pub data: String,
    /// คำอธิบายใต้ QR code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub caption: Option<String>,
}

impl Letter {
    /// Parses and validates a letter from JSON text.
    pub fn from_json(text: &str) -> crate::Result<Letter> {
        parse::from_json(text)
    }

    /// Runs the checks [`Letter::from_json`] runs on a letter that arrived already parsed
    /// (from the app): lengths, control characters, dates, every problem by its path.
    /// The letter comes back with only the parts of its kind ([`Letter::without_hidden_parts`]):
    /// whatever prints or takes a number goes through here.
    pub fn validated(self) -> crate::Result<Letter> {
        parse::validated(self.without_hidden_parts())
    }

    /// The parts this letter holds that its kind does not have ([`Kind::parts`]), by their
    /// Thai names: what a change of kind leaves out (a contact block on an order, อ้างถึง
    /// on a memo). A draft keeps them; nothing prints them.
    pub fn hidden_parts(&self) -> Vec<&'static str> {
        let mut out = Vec::new();
        self.clone().strip_hidden(&mut out);
        out
    }

    /// The letter with only the parts of its kind: what is printed and issued, so that what
    /// the form hides never appears on paper ([`Letter::hidden_parts`] names what goes).
    pub fn without_hidden_parts(mut self) -> Letter {
        self.strip_hidden(&mut Vec::new());
        self
    }

    /// The letter as another kind: the parts that kind does not have are left out, and
    /// named (Thai), so that the clerk is told what the change drops.
    pub fn with_kind(mut self, kind: Kind) -> (Letter, Vec<&'static str>) {
        self.kind = kind;
        let mut dropped = Vec::new();
        self.strip_hidden(&mut dropped);
        (self, dropped)
    }

    fn strip_hidden(&mut self, dropped: &mut Vec<&'static str>) {
        let p = self.kind.parts();
        fn drop<T>(keep: bool, v: &mut Option<T>, name: &'static str, out: &mut Vec<&'static str>) {
            if !keep && v.take().is_some() {
                out.push(name);
            }
        }
        fn drop_all<T>(
            keep: bool,
            v: &mut Vec<T>,
            name: &'static str,
            out: &mut Vec<&'static str>,
        ) {
            if !keep && !v.is_empty() {
                v.clear();
                out.push(name);
            }
        }
        drop(p.urgency, &mut self.urgency, "ชั้นความเร็ว", dropped);
        drop(p.urgency, &mut self.secrecy, "ชั้นความลับ", dropped);
        // The number stays: an order or an announcement has no ที่ line, but the register
        // numbers it (๑/๒๕๖๙) and that number is printed.
        drop(p.agency, &mut self.agency, "ส่วนราชการเจ้าของหนังสือ", dropped);
        if let Some(a) = self.agency.as_mut() {
            drop_all(p.address, &mut a.address, "ที่ตั้งส่วนราชการ", dropped);
        }
        drop(p.salutation, &mut self.salutation, "คำขึ้นต้น", dropped);
        drop(p.recipient, &mut self.recipient, "ผู้รับ (เรียน)", dropped);
        drop_all(p.references, &mut self.references, "อ้างถึง", dropped);
        drop_all(p.enclosures, &mut self.enclosures, "สิ่งที่ส่งมาด้วย", dropped);
        drop(p.closing, &mut self.closing, "คำลงท้าย", dropped);
        drop(p.signer, &mut self.signer, "ผู้ลงนาม", dropped);
        drop(p.stamp, &mut self.stamp, "ตราชื่อส่วนราชการ", dropped);
        drop(
            p.owner,
            &mut self.owner,
            "ส่วนราชการเจ้าของเรื่อง (โทร. อีเมล)",
            dropped,
        );
        drop_all(p.qr, &mut self.qr, "QR Code", dropped);
        drop_all(p.copies, &mut self.copies_to, "สำเนาส่ง", dropped);
        drop(p.distribution, &mut self.distribution, "บัญชีแจกจ่าย", dropped);
        drop(p.paper, &mut self.paper, "ขนาดกระดาษ", dropped);
        if !p.circular && self.circular {
            self.circular = false;
            dropped.push("หนังสือเวียน");
        }
    }

    /// Reads a letter the register stored (a draft, a version, an issued letter) as the
    /// clerk left it: line breaks, tabs and stray control characters are repaired, never
    /// refused; only JSON that is not a letter at all is an error.
    pub fn from_stored_json(text: &str) -> crate::Result<Letter> {
        repair::from_stored_json(text)
    }

    /// The letter as a register stores a draft: line breaks and tabs given their meaning,
    /// stray control characters dropped (see [`Letter::from_stored_json`]).
    pub fn for_storage(self) -> Letter {
        let mut letter = repair::stored(self);
        // One letter, one stored form: a paragraph sent as `{text, style: "paragraph"}` (the
        // app's form) is stored as the plain string it means, so that an unchanged letter
        // saved again is seen as unchanged (no new draft version).
        for b in &mut letter.body {
            if let BodyBlock::Styled(s) = b {
                if s.style == BlockStyle::Paragraph {
                    *b = BodyBlock::Text(std::mem::take(&mut s.text));
                }
            }
        }
        letter
    }

    /// The letter as pretty JSON in the interchange format.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// The salutation to print, with the kind's default (เรียน for external letters and memos).
    pub fn salutation_or_default(&self) -> Option<&str> {
        match (&self.salutation, self.kind) {
            (Some(s), _) => Some(s.as_str()),
            (None, Kind::External | Kind::Memo) => Some("เรียน"),
            (None, _) => None,
        }
    }

    /// The lines of ส่วนราชการเจ้าของเรื่อง as printed at the foot of a letter: the department,
    /// the unit, โทร., โทรสาร, ไปรษณีย์อิเล็กทรอนิกส์. `print` gives the letter's digits to
    /// each (never to the e-mail address). One list for every writer of the letter (the
    /// PDF's layout and the Word hand-off).
    pub fn owner_lines(&self, print: impl Fn(&str) -> String) -> Vec<String> {
        let mut lines = Vec::new();
        if let Some(o) = &self.owner {
            for v in [&o.department, &o.unit].into_iter().flatten() {
                lines.push(print(v));
            }
            if let Some(p) = &o.phone {
                lines.push(format!("โทร. {}", print(p)));
            }
            if let Some(f) = &o.fax {
                lines.push(format!("โทรสาร {}", print(f)));
            }
            if let Some(e) = &o.email {
                lines.push(format!("ไปรษณีย์อิเล็กทรอนิกส์ {e}"));
            }
        }
        lines
    }

    /// A memo's ส่วนราชการ: the owning department and unit (else the agency), with the
    /// telephone and e-mail, as the pieces of one line.
    pub fn memo_unit(&self, print: impl Fn(&str) -> String) -> Vec<String> {
        let mut unit: Vec<String> = Vec::new();
        if let Some(o) = &self.owner {
            unit.extend(
                [&o.department, &o.unit]
                    .into_iter()
                    .flatten()
                    .map(|s| print(s)),
            );
        }
        if unit.is_empty() {
            if let Some(a) = &self.agency {
                unit.push(print(&a.name));
            }
        }
        if let Some(o) = &self.owner {
            if let Some(p) = &o.phone {
                unit.push(format!("โทร. {}", print(p)));
            }
            if let Some(e) = &o.email {
                unit.push(format!("ไปรษณีย์อิเล็กทรอนิกส์ {e}"));
            }
        }
        unit
    }

    /// The sending agency's name over a stamped letter's seal: the stamp's own, else the
    /// letter's agency.
    pub fn stamp_agency(&self) -> String {
        self.stamp
            .as_ref()
            .and_then(|s| s.agency.clone())
            .or_else(|| self.agency.as_ref().map(|a| a.name.clone()))
            .unwrap_or_default()
    }

    /// The heading of an order or announcement: `คำสั่ง<agency>` or `ประกาศ<agency>`.
    pub fn directive_title(&self) -> String {
        let word = if self.kind == Kind::Order {
            "คำสั่ง"
        } else {
            "ประกาศ"
        };
        let issuer = self.agency.as_ref().map(|a| a.name.as_str()).unwrap_or("");
        format!("{word}{issuer}")
    }

    /// The closing to print, with the kind's default (ขอแสดงความนับถือ for external letters).
    pub fn closing_or_default(&self) -> Option<&str> {
        match (&self.closing, self.kind) {
            (Some(s), _) => Some(s.as_str()),
            (None, Kind::External) => Some("ขอแสดงความนับถือ"),
            (None, _) => None,
        }
    }

    /// The number as printed after ที่: `มท ๐๘๑๐.๒/ว ๑๒๓`, digits as typed. A draft leaves
    /// the running number blank (`มท ๐๘๑๐.๒/ว`), to be written in when it is issued. Orders
    /// and announcements are numbered `๑๒๓/๒๕๖๗` in their own yearly series.
    pub fn number_text(&self) -> String {
        if matches!(self.kind, Kind::Order | Kind::Announcement) {
            let running = self.number.as_ref().and_then(|n| n.running);
            let year = self
                .date
                .map(|d| d.year_be().to_string())
                .unwrap_or_default();
            return match running {
                Some(r) => format!("{r}/{year}"),
                None => format!("/{year}"),
            };
        }
        let prefix = self
            .number
            .as_ref()
            .and_then(|n| n.prefix.as_deref())
            .unwrap_or("")
            .trim();
        let running = self.number.as_ref().and_then(|n| n.running);
        match (running, self.circular) {
            (Some(r), true) => format!("{prefix}/ว {r}"),
            (Some(r), false) => format!("{prefix}/{r}"),
            (None, true) => format!("{prefix}/ว"),
            (None, false) if prefix.is_empty() => String::new(),
            (None, false) => format!("{prefix}/"),
        }
    }

    /// True when the letter has no running number yet (a draft).
    pub fn is_draft(&self) -> bool {
        self.number.as_ref().and_then(|n| n.running).is_none()
    }
}
