//! Buddhist-Era dates with full month names: `๓๑ พฤษภาคม ๒๕๖๔`.

use super::digits::localize;
use crate::{Digits, LetterDate};

/// The Thai month names, January first (the UI gets them from here: ui/src/lib/bindings.ts).
pub const MONTHS: [&str; 12] = [
    "มกราคม",
    "กุมภาพันธ์",
    "มีนาคม",
    "เมษายน",
    "พฤษภาคม",
    "มิถุนายน",
    "กรกฎาคม",
    "สิงหาคม",
    "กันยายน",
    "ตุลาคม",
    "พฤศจิกายน",
    "ธันวาคม",
];

/// The abbreviated month names (ม.ค. … ธ.ค.), January first: a receipt stamp's date, and
/// dates as letters abbreviate them.
pub const MONTHS_SHORT: [&str; 12] = [
    "ม.ค.",
    "ก.พ.",
    "มี.ค.",
    "เม.ย.",
    "พ.ค.",
    "มิ.ย.",
    "ก.ค.",
    "ส.ค.",
    "ก.ย.",
    "ต.ค.",
    "พ.ย.",
    "ธ.ค.",
];

/// The full Thai name of month 1–12.
pub fn month_name(month: u32) -> &'static str {
    MONTHS[(month.clamp(1, 12) - 1) as usize]
}

/// All twelve month names, in order.
pub fn month_names() -> &'static [&'static str; 12] {
    &MONTHS
}

/// A date as printed: the day (absent in a draft, left blank for the signing date) and the
/// month with the Buddhist-Era year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateText {
    /// The day number, e.g. `๓๑`.
    pub day: Option<String>,
    /// The month and year, e.g. `พฤษภาคม ๒๕๖๔`.
    pub month_year: String,
}

impl DateText {
    /// The whole date on one line; a draft gives only the month and year.
    pub fn joined(&self) -> String {
        match &self.day {
            Some(d) => format!("{d} {}", self.month_year),
            None => self.month_year.clone(),
        }
    }
}

/// Formats a letter date in the Buddhist Era with the full month name.
pub fn format_date(d: &LetterDate, digits: Digits) -> DateText {
    let month_year = format!("{} {}", month_name(d.month), d.year_be());
    let policy = if digits == Digits::AsTyped {
        Digits::Thai
    } else {
        digits
    };
    DateText {
        day: d
            .day
            .map(|day| localize(&day.to_string(), policy).into_owned()),
        month_year: localize(&month_year, policy).into_owned(),
    }
}

/// Today in Thailand (Asia/Bangkok, UTC+7 all year: Thailand keeps no daylight saving),
/// whatever time zone the computer is set to: a letter written at 01:00 in Bangkok on a
/// machine set to UTC is still dated today, not yesterday.
pub fn today() -> chrono::NaiveDate {
    let bangkok = chrono::FixedOffset::east_opt(7 * 3600).expect("UTC+7 is a valid offset");
    chrono::Utc::now().with_timezone(&bangkok).date_naive()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_and_draft_dates() {
        let d = LetterDate::parse("2021-05-31").unwrap();
        assert_eq!(format_date(&d, Digits::Thai).joined(), "๓๑ พฤษภาคม ๒๕๖๔");
        assert_eq!(format_date(&d, Digits::Arabic).joined(), "31 พฤษภาคม 2564");
        let draft = LetterDate::parse("2021-04").unwrap();
        let t = format_date(&draft, Digits::Thai);
        assert_eq!(t.day, None);
        assert_eq!(t.month_year, "เมษายน ๒๕๖๔");
        let jan = LetterDate::parse("2026-01-01").unwrap();
        assert_eq!(format_date(&jan, Digits::Thai).joined(), "๑ มกราคม ๒๕๖๙");
    }
}
