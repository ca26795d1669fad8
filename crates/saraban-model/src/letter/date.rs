//! A date as a clerk types it on the command line: `YYYY-MM-DD` in either era.

/// A date typed as `YYYY-MM-DD` in either era: a year of 2400 or more is a Buddhist-Era
/// year (what a Thai clerk writes), turned into the Christian year *before* the date is
/// made, so that 2567-02-29 (2024, a leap year) is a real day and 2568-02-29 is not.
/// Returns the date and, for a Buddhist-Era year, that year as typed.
pub fn parse_date_either_era(s: &str) -> Result<(chrono::NaiveDate, Option<i32>), crate::Error> {
    let typed = s.trim();
    let ascii = saraban_thai::to_arabic_digits(typed);
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
                saraban_thai::month_name(month)
            } else {
                "(เดือนไม่ถูกต้อง)"
            };
            crate::Error::input(
                "date",
                format!(
                    "วันที่ “{typed}” ไม่มีอยู่จริง: {month_th} ปี {era} {} ไม่มีวันที่ {}",
                    saraban_thai::to_thai_digits(&year.to_string()),
                    saraban_thai::to_thai_digits(&day.to_string())
                ),
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
