//! The letter's data inside its PDF (`spec/letter-data.md`): every issued PDF carries the
//! letter as issued, and reading it back gives the same letter, field by field. poppler's
//! `pdfdetach`, which no one here wrote, lists and extracts it as any reader would.

use crate::common;

use std::process::Command;

use saraban::pdf::attach::{letter_data, LETTER_DATA_NAME};
use saraban::service::IssueOptions;
use saraban::Letter;

use common::office_on;

#[test]
fn an_issued_letter_carries_itself() {
    let dir = tempfile::tempdir().unwrap();
    let mut office = office_on(&dir.path().join("r.sqlite"));
    for (i, name) in common::EXAMPLES.iter().enumerate() {
        let letter = Letter::from_json(&common::issuable_json(name)).unwrap();
        let issued = office
            .issue(
                &letter,
                &IssueOptions {
                    date: Some(chrono::NaiveDate::from_ymd_opt(2026, 5, 1 + i as u32).unwrap()),
                    ..Default::default()
                },
            )
            .unwrap();
        let pdf = office.issued_pdf(issued.id).unwrap();
        let json = letter_data(&pdf).expect("the issued PDF carries its letter");
        let carried = Letter::from_json(&json).unwrap();
        assert_eq!(carried, office.issued_letter(issued.id).unwrap(), "{name}");
        assert_eq!(
            carried
                .number
                .as_ref()
                .and_then(|n| n.running)
                .map(|r| r.get()),
            Some(issued.running)
        );

        // What any PDF reader sees: one attachment, by its name, the same bytes.
        let path = dir.path().join(format!("{name}.pdf"));
        std::fs::write(&path, &pdf).unwrap();
        let list = Command::new("pdfdetach").arg("-list").arg(&path).output();
        let Ok(list) = list else {
            return common::missing_tool("pdfdetach (poppler-utils)");
        };
        let list = String::from_utf8_lossy(&list.stdout);
        assert!(
            list.contains("1 embedded files") && list.contains(LETTER_DATA_NAME),
            "{list}"
        );
        let saved = dir.path().join(format!("{name}.json"));
        let o = Command::new("pdfdetach")
            .args(["-save", "1", "-o"])
            .arg(&saved)
            .arg(&path)
            .output()
            .unwrap();
        assert!(o.status.success());
        assert_eq!(std::fs::read_to_string(&saved).unwrap(), json);
    }
}

#[test]
fn a_cancelled_copy_and_a_plain_pdf() {
    let dir = tempfile::tempdir().unwrap();
    let mut office = office_on(&dir.path().join("r.sqlite"));
    let letter = Letter::from_json(&common::issuable_json("green-area-training")).unwrap();
    let issued = office.issue(&letter, &IssueOptions::default()).unwrap();
    office.cancel(issued.id, "พิมพ์ผิด").unwrap();
    // The copy handed out with ยกเลิก over it still says which letter it is.
    let handed = office.handed_out_pdf(issued.id).unwrap();
    let carried = Letter::from_json(&letter_data(&handed).unwrap()).unwrap();
    assert_eq!(carried, office.issued_letter(issued.id).unwrap());
    // The register book is no letter: it carries none.
    let book = office.book(2569).unwrap();
    assert_eq!(letter_data(&book), None);
    // Nor does anything that is not a PDF, or a broken one.
    assert_eq!(letter_data(b""), None);
    assert_eq!(letter_data(b"%PDF-1.7\n%\xe2\xe3\n1 0 obj <<"), None);
    assert_eq!(letter_data(&handed[..handed.len() / 2]), None);
}
