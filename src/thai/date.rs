//! Buddhist-Era dates with full month names: `๓๑ พฤษภาคม ๒๕๖๔`.

use super::digits::localize;
use crate::letter::{Digits, LetterDate};

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

/// A date typed as `YYYY-MM-DD` in either era: a year of 2400 or more is a Buddhist-Era
/// year (what a Thai clerk writes), turned into the Christian year *before* the date is
/// made, so that 2567-02-29 (2024, a leap year) is a real day and 2568-02-29 is not.
/// Returns the date and, for a Buddhist-Era year, that year as typed.
pub fn parse_date_either_era(s: &str) -> Result<(chrono::NaiveDate, Option<i32>), crate::Error> {
    let typed = s.trim();
    let ascii = super::to_arabic_digits(typed);
    let fields: Vec<&str> = ascii.split('-').collect();
    let form = || {
        crate::Error::input(
            "date",
            format!("วันที่ “{typed}” ต้องอยู่ในรูป ปปปป-ดด-วว เช่น 2569-12-05 (พ.ศ.) หรือ 2026-12-05 (ค.ศ.)"),
            format!("the date “{typed}” must be YYYY-MM-DD, e.g. 2569-12-05 (Buddhist Era) or 2026-12-05"),
        )
    };
    let [y, m, d] = fields.as_slice() else {
        return Err(form());
    };
    let all_digits = |t: &str, n: std::ops::RangeInclusive<usize>| {
        n.contains(&t.len()) && t.bytes().all(|b| b.is_ascii_digit())
    };
    if !all_digits(y, 4..=4) || !all_digits(m, 1..=2) || !all_digits(d, 1..=2) {
        return Err(form());
    }
    let (year, month, day): (i32, u32, u32) = (
        y.parse().map_err(|_| form())?,
        m.parse().map_err(|_| form())?,
        d.parse().map_err(|_| form())?,
    );
    let be = (year >= 2400).then_some(year);
    let ce = if be.is_some() { year - 543 } else { year };
    chrono::NaiveDate::from_ymd_opt(ce, month, day)
        .map(|date| (date, be))
        .ok_or_else(|| {
            let era = if be.is_some() { "พ.ศ." } else { "ค.ศ." };
            let month_th = if (1..=12).contains(&month) {
                month_name(month)
            } else {
                "(เดือนไม่ถูกต้อง)"
            };
            crate::Error::input(
                "date",
                format!("วันที่ “{typed}” ไม่มีอยู่จริง: {month_th} ปี {era} {year} ไม่มีวันที่ {day}"),
                format!(
                    "the date “{typed}” does not exist: month {month} of {year} has no day {day}"
                ),
            )
        })
}

#[cfg(test)]
mod era_tests {
    use super::*;

    #[test]
    fn buddhist_era_leap_days_are_real_and_wrong_days_say_the_date_typed() {
        let (d, be) = parse_date_either_era("2567-02-29").unwrap();
        assert_eq!(d.to_string(), "2024-02-29");
        assert_eq!(be, Some(2567));
        let e = parse_date_either_era("2568-02-29").unwrap_err();
        let msg = e.to_string();
        assert!(msg.contains("2568-02-29"), "{msg}");
        assert_eq!(parse_date_either_era("2026-12-05").unwrap().1, None);
        assert!(parse_date_either_era("๒๕๖๙-๑๒-๐๕").is_ok());
        assert!(parse_date_either_era("5/12/2569").is_err());
    }
}
