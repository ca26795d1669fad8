//! The letter date: `YYYY-MM-DD`, or `YYYY-MM` for a draft whose day is filled in at signing.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use std::fmt;

/// วัน เดือน ปี of a letter, Gregorian; the day is absent in a draft.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LetterDate {
    /// Gregorian year (CE).
    pub year: i32,
    /// Month, 1–12.
    pub month: u32,
    /// Day of the month; `None` leaves the day blank.
    pub day: Option<u32>,
}

impl LetterDate {
    /// A full date.
    pub fn from_naive(d: NaiveDate) -> Self {
        LetterDate {
            year: d.year(),
            month: d.month(),
            day: Some(d.day()),
        }
    }

    /// Parses `YYYY-MM` or `YYYY-MM-DD`, checking that the day exists.
    pub fn parse(s: &str) -> Result<LetterDate, DateProblem> {
        let b = s.as_bytes();
        let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
        let shape_ok = (b.len() == 7 || b.len() == 10)
            && digits(0..4)
            && b[4] == b'-'
            && digits(5..7)
            && (b.len() == 7 || (b[7] == b'-' && digits(8..10)));
        if !shape_ok {
            return Err(DateProblem::Shape);
        }
        let year: i32 = s[0..4].parse().map_err(|_| DateProblem::Shape)?;
        let month: u32 = s[5..7].parse().map_err(|_| DateProblem::Shape)?;
        if !(1..=12).contains(&month) || year < 1 {
            return Err(DateProblem::Month);
        }
        if b.len() == 7 {
            return Ok(LetterDate {
                year,
                month,
                day: None,
            });
        }
        let day: u32 = s[8..10].parse().map_err(|_| DateProblem::Shape)?;
        if NaiveDate::from_ymd_opt(year, month, day).is_none() {
            return Err(DateProblem::Day);
        }
        Ok(LetterDate {
            year,
            month,
            day: Some(day),
        })
    }

    /// The Buddhist-Era year.
    pub fn year_be(&self) -> i32 {
        self.year + 543
    }

    /// The full date, when the day is known.
    pub fn to_naive(&self) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(self.year, self.month, self.day?)
    }
}

/// Why a date string was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateProblem {
    /// Not `YYYY-MM` or `YYYY-MM-DD`.
    Shape,
    /// The month is not 1–12.
    Month,
    /// The day does not exist in that month.
    Day,
}

impl fmt::Display for DateProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            DateProblem::Shape => "the date must be YYYY-MM-DD, or YYYY-MM for a draft",
            DateProblem::Month => "the month must be 01 to 12",
            DateProblem::Day => "that day does not exist in that month",
        })
    }
}

impl fmt::Display for LetterDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.day {
            Some(d) => write!(f, "{:04}-{:02}-{:02}", self.year, self.month, d),
            None => write!(f, "{:04}-{:02}", self.year, self.month),
        }
    }
}

impl Serialize for LetterDate {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for LetterDate {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        LetterDate::parse(&s).map_err(|p| serde::de::Error::custom(format!("date `{s}`: {p}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_full_and_month_only() {
        assert_eq!(
            LetterDate::parse("2021-05-31").unwrap(),
            LetterDate {
                year: 2021,
                month: 5,
                day: Some(31)
            }
        );
        assert_eq!(LetterDate::parse("2021-04").unwrap().day, None);
        assert_eq!(LetterDate::parse("2021-04").unwrap().year_be(), 2564);
    }

    #[test]
    fn refuses_days_that_do_not_exist() {
        assert_eq!(LetterDate::parse("2021-02-29"), Err(DateProblem::Day));
        assert!(LetterDate::parse("2024-02-29").is_ok());
        assert_eq!(LetterDate::parse("2021-13"), Err(DateProblem::Month));
        assert_eq!(LetterDate::parse("31/05/2021"), Err(DateProblem::Shape));
        assert_eq!(LetterDate::parse("2021-5-1"), Err(DateProblem::Shape));
    }
}
