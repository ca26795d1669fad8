//! A directory of agencies' official addresses (ทำเนียบที่อยู่ไปรษณีย์อิเล็กทรอนิกส์กลาง,
//! as DGA publishes it) read from CSV or XLSX into address-book entries.

use std::path::Path;

use crate::error::{Error, InputProblem};
use crate::Result;

/// The rows of a CSV or XLSX file (the first sheet), as text.
pub(crate) fn rows(path: &Path) -> Result<Vec<Vec<String>>> {
    let lower = path.to_string_lossy().to_lowercase();
    if lower.ends_with(".xlsx") || lower.ends_with(".xls") || lower.ends_with(".ods") {
        use calamine::{open_workbook_auto, Reader};
        let mut book = open_workbook_auto(path).map_err(|e| {
            Error::input(
                "file",
                format!("อ่านไฟล์ {} ไม่ได้: {e}", path.display()),
                format!("cannot read {}: {e}", path.display()),
            )
        })?;
        let Some(Ok(range)) = book.worksheet_range_at(0) else {
            return Ok(Vec::new());
        };
        return Ok(range
            .rows()
            .map(|r| r.iter().map(|c| c.to_string().trim().to_string()).collect())
            .collect());
    }
    let bytes = std::fs::read(path).map_err(|source| Error::Read {
        path: path.to_path_buf(),
        source,
    })?;
    // Excel writes CSV with a byte-order mark.
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(&bytes);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut out = Vec::new();
    for (i, rec) in reader.records().enumerate() {
        let rec = rec.map_err(|e| {
            Error::input(
                format!("row {}", i + 1),
                format!(
                    "อ่านแถวที่ {} ของ {} ไม่ได้ ({e}) บันทึกไฟล์เป็น CSV UTF-8",
                    i + 1,
                    path.display()
                ),
                format!(
                    "row {} of {} cannot be read ({e}); save the file as CSV UTF-8",
                    i + 1,
                    path.display()
                ),
            )
        })?;
        out.push(rec.iter().map(|c| c.trim().to_string()).collect());
    }
    Ok(out)
}

fn is_name_heading(h: &str) -> bool {
    let h = h.to_lowercase();
    [
        "ชื่อ",
        "หน่วยงาน",
        "ส่วนราชการ",
        "name",
        "agency",
        "organization",
    ]
    .iter()
    .any(|k| h.contains(k))
        && !h.contains("อีเมล")
        && !h.contains("mail")
}

/// A heading that names e-mail addresses.
fn is_email_heading(h: &str) -> bool {
    let h = h.to_lowercase();
    ["อีเมล", "mail", "ไปรษณีย์อิเล็กทรอนิกส์"]
        .iter()
        .any(|k| h.contains(k))
}

/// A heading that names addresses (e-mail, or just ที่อยู่).
fn is_address_heading(h: &str) -> bool {
    is_email_heading(h) || h.contains("ที่อยู่")
}

/// The entries (name, address, note) of the rows: the heading row found by its words
/// (else the first two columns hold name and address); empty rows skipped; every bad row
/// named at once.
pub(crate) fn entries(rows: &[Vec<String>]) -> Result<Vec<(String, String, String)>> {
    let heading = rows.iter().take(10).position(|r| {
        r.iter().any(|c| is_name_heading(c)) && r.iter().any(|c| is_address_heading(c))
    });
    let (start, name_col, addr_col) = match heading {
        Some(h) => {
            let r = &rows[h];
            let addr = r
                .iter()
                .position(|c| is_email_heading(c))
                .or_else(|| r.iter().position(|c| is_address_heading(c)))
                .unwrap_or(1);
            let name = r.iter().position(|c| is_name_heading(c)).unwrap_or(0);
            (h + 1, name, addr)
        }
        None => (0, 0, 1),
    };
    let mut out = Vec::new();
    let mut problems = Vec::new();
    for (i, r) in rows.iter().enumerate().skip(start) {
        let name: String = r
            .get(name_col)
            .map(|s| s.split_whitespace().collect::<Vec<_>>().join(" "))
            .unwrap_or_default();
        let address = r
            .get(addr_col)
            .map(|s| s.trim().to_lowercase())
            .unwrap_or_default();
        if name.is_empty() && address.is_empty() {
            continue;
        }
        let row = i + 1;
        if name.is_empty() {
            problems.push(InputProblem::new(
                format!("row {row}"),
                format!("แถว {row}: ไม่มีชื่อส่วนราชการ"),
                format!("row {row}: no agency name"),
            ));
            continue;
        }
        if let Err(Error::Input(p)) =
            saraban_mail::account::check_address(&format!("row {row}"), &address)
        {
            problems.extend(p.into_iter().map(|mut p| {
                p.th = format!("แถว {row} ({name}): {}", p.th);
                p.en = format!("row {row} ({name}): {}", p.en);
                p
            }));
            continue;
        }
        let note: Vec<&str> = r
            .iter()
            .enumerate()
            .filter(|(j, c)| *j != name_col && *j != addr_col && !c.is_empty())
            .map(|(_, c)| c.as_str())
            .collect();
        out.push((name, address, note.join(" ")));
    }
    if !problems.is_empty() {
        return Err(Error::Input(problems));
    }
    if out.is_empty() {
        return Err(Error::input(
            "file",
            "ไม่พบรายการที่อยู่ในไฟล์ (ต้องมีคอลัมน์ชื่อส่วนราชการและอีเมล)",
            "no addresses found in the file (it needs a column of agency names and one of e-mail addresses)",
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(rows: &[&[&str]]) -> Vec<Vec<String>> {
        rows.iter()
            .map(|r| r.iter().map(|c| c.to_string()).collect())
            .collect()
    }

    #[test]
    fn headings_are_found_and_bad_rows_named() {
        let rows = s(&[
            &["ทำเนียบ saraban"],
            &["ลำดับ", "ชื่อหน่วยงาน", "จังหวัด", "อีเมล"],
            &[
                "1",
                "องค์การบริหารส่วนจังหวัดเชียงใหม่",
                "เชียงใหม่",
                "SARABAN@chiangmaipao.go.th",
            ],
            &["", "", "", ""],
            &["2", "เทศบาลนครขอนแก่น", "ขอนแก่น", "saraban@kkmuni.go.th"],
        ]);
        let e = entries(&rows).unwrap();
        assert_eq!(e.len(), 2);
        assert_eq!(e[0].0, "องค์การบริหารส่วนจังหวัดเชียงใหม่");
        assert_eq!(e[0].1, "saraban@chiangmaipao.go.th");
        assert_eq!(e[0].2, "1 เชียงใหม่");
        let bad = s(&[
            &["name", "email"],
            &["ก", "not-an-address"],
            &["", "x@y.go.th"],
        ]);
        let err = entries(&bad).unwrap_err();
        let lines = err.lines(crate::error::Lang::Th);
        assert_eq!(lines.len(), 2, "{lines:?}");
        assert!(lines[0].contains("แถว 2"), "{lines:?}");
    }

    #[test]
    fn without_headings_the_first_two_columns() {
        let e = entries(&s(&[&["กรม ก", "saraban@a.go.th"]])).unwrap();
        assert_eq!(
            e,
            vec![("กรม ก".into(), "saraban@a.go.th".into(), String::new())]
        );
    }
}
