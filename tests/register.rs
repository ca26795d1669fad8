//! The register: numbering, immutability, search, drafts, export, audit, refusing files
//! that are not ours, and many writers at once.

use crate::common;

use std::path::Path;
use std::process::Command;

use saraban::register::{IssueOptions, Register, SearchQuery};
use saraban::{Letter, Office};

fn short(prefix: &str, circular: bool, subject: &str) -> Letter {
    let v = serde_json::json!({
        "kind": "external", "circular": circular, "number": {"prefix": prefix},
        "agency": {"name": "กรมส่งเสริมการปกครองท้องถิ่น"},
        "subject": subject, "recipient": "ผู้ว่าราชการจังหวัด ทุกจังหวัด",
        "body": ["ขอความร่วมมือจังหวัดแจ้งองค์กรปกครองส่วนท้องถิ่น ภายในวันที่ ๓๐ มิถุนายน ๒๕๖๔"],
        "signer": {"name": "นายประยูร รัตนเสนีย์", "positions": ["อธิบดีกรมส่งเสริมการปกครองท้องถิ่น"]},
        "owner": {"department": "กองพัฒนาและส่งเสริมการบริหารงานท้องถิ่น", "phone": "๐ ๒๒๔๑ ๙๐๐๐"}
    });
    Letter::from_json(&v.to_string()).unwrap()
}

fn office() -> Office {
    Office::new(&Default::default()).expect("bundled font")
}

/// Issues through the register's own API, with this office rendering the PDF.
fn issue_with(
    office: &Office,
    reg: &mut Register,
    letter: &Letter,
    opts: &IssueOptions,
) -> saraban::Result<saraban::register::Issued> {
    reg.issue(letter, opts, |l| office.render(l))
}

fn issue_draft_with(
    office: &Office,
    reg: &mut Register,
    id: i64,
    opts: &IssueOptions,
) -> saraban::Result<saraban::register::Issued> {
    let letter = reg.open_draft(id)?;
    let opts = IssueOptions {
        draft: Some(id),
        ..opts.clone()
    };
    reg.issue(&letter, &opts, |l| office.render(l))
}

fn on(date: &str) -> IssueOptions {
    IssueOptions {
        date: Some(chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").unwrap()),
        any_date: true,
        ..Default::default()
    }
}

#[test]
fn numbers_run_per_series_and_year() {
    let office = office();
    let mut reg = Register::in_memory().unwrap();
    let a = issue_with(
        &office,
        &mut reg,
        &short("มท ๐๘20.3", true, "หนึ่ง"),
        &on("2026-03-01"),
    )
    .unwrap();
    let b = issue_with(
        &office,
        &mut reg,
        &short("มท ๐๘๒๐.๓", true, "สอง"),
        &on("2026-03-02"),
    )
    .unwrap();
    assert_eq!(
        (a.running, b.running),
        (1, 2),
        "มท ๐๘20.3 and มท ๐๘๒๐.๓ are one series"
    );
    assert_eq!(b.number, "มท ๐๘๒๐.๓/ว ๒");
    let c = issue_with(
        &office,
        &mut reg,
        &short("มท ๐๘๒๐.๓", false, "สาม"),
        &on("2026-03-03"),
    )
    .unwrap();
    assert_eq!(
        (c.running, c.number.as_str()),
        (1, "มท ๐๘๒๐.๓/๑"),
        "circulars have their own series"
    );
    let d = issue_with(
        &office,
        &mut reg,
        &short("มท ๐๘๒๐.๓", true, "สี่"),
        &on("2027-01-01"),
    )
    .unwrap();
    assert_eq!(
        (d.running, d.year_be),
        (1, 2570),
        "a new calendar year starts at 1"
    );
    let mut order = common::letter("order");
    order.number = None;
    let o = issue_with(&office, &mut reg, &order, &on("2026-05-05")).unwrap();
    assert_eq!(o.number, "๑/๒๕๖๙", "orders: number/BE year");
    // The issued letter carries its number and date; its PDF is stored byte for byte.
    let issued = reg.issued_letter(b.id).unwrap();
    assert_eq!(issued.number.unwrap().running.unwrap().get(), 2);
    assert_eq!(issued.date.unwrap().to_string(), "2026-03-02");
    let pdf = reg.pdf(b.id).unwrap();
    use sha2::Digest;
    let sha: String = sha2::Sha256::digest(&pdf)
        .iter()
        .map(|x| format!("{x:02x}"))
        .collect();
    assert_eq!(sha, b.sha256);
    assert!(pdf.starts_with(b"%PDF-"));
}

#[test]
fn a_numbered_letter_is_refused_unless_imported() {
    let office = office();
    let mut reg = Register::in_memory().unwrap();
    let mut l = short("มท ๐๘๑๐.๒", true, "เดิม");
    l.number.as_mut().unwrap().running = Some(saraban::letter::RunningNumber::new(57).unwrap());
    l.date = Some(saraban::letter::LetterDate::parse("2025-02-03").unwrap());
    let e = issue_with(&office, &mut reg, &l, &IssueOptions::default()).unwrap_err();
    assert_eq!(e.exit_code(), 1);
    let imported = issue_with(
        &office,
        &mut reg,
        &l,
        &IssueOptions {
            keep_number: true,
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(
        (imported.running, imported.date.as_str()),
        (57, "2025-02-03")
    );
    assert!(
        issue_with(
            &office,
            &mut reg,
            &l,
            &IssueOptions {
                keep_number: true,
                ..Default::default()
            }
        )
        .is_err(),
        "no duplicate"
    );
    let next = issue_with(
        &office,
        &mut reg,
        &short("มท ๐๘๑๐.๒", true, "ใหม่"),
        &on("2025-03-01"),
    )
    .unwrap();
    assert_eq!(
        next.running, 58,
        "numbering continues after the imported number"
    );
}

#[test]
fn issued_letters_cannot_be_changed_even_with_raw_sql() {
    let office = office();
    let mut reg = Register::in_memory().unwrap();
    let a = issue_with(
        &office,
        &mut reg,
        &short("มท ๐๘๑๐.๒", true, "ห้ามแก้"),
        &on("2026-01-05"),
    )
    .unwrap();
    let conn = reg.connection();
    for sql in [
        "UPDATE letters SET title = 'x' WHERE id = ?1",
        "UPDATE letters SET pdf = x'00' WHERE id = ?1",
        "UPDATE letters SET running = 99 WHERE id = ?1",
        "UPDATE letters SET status = 'draft' WHERE id = ?1",
        "UPDATE letters SET letter_json = '{}' WHERE id = ?1",
        "DELETE FROM letters WHERE id = ?1",
    ] {
        assert!(conn.execute(sql, [a.id]).is_err(), "{sql} must be refused");
    }
    assert!(
        conn.execute("DELETE FROM audit", []).is_err(),
        "audit is append-only"
    );
    reg.cancel(a.id, "พิมพ์ชื่อผู้รับผิด").unwrap();
    let e = reg.entry(a.id).unwrap();
    assert_eq!(e.status, saraban::register::Status::Cancelled);
    assert!(e.note.contains("พิมพ์ชื่อผู้รับผิด"));
    assert!(reg.cancel(a.id, "again").is_err());
    assert!(reg
        .connection()
        .execute(
            "UPDATE letters SET cancel_reason = 'x' WHERE id = ?1",
            [a.id]
        )
        .is_err());
    // The cancelled number is never reused.
    let b = issue_with(
        &office,
        &mut reg,
        &short("มท ๐๘๑๐.๒", true, "ถัดไป"),
        &on("2026-01-06"),
    )
    .unwrap();
    assert_eq!(b.running, 2);
    assert_eq!(reg.verify_audit().unwrap().first_broken, None);
}

#[test]
fn search_finds_substrings_numbers_and_nothing_else() {
    let office = office();
    let mut reg = Register::in_memory().unwrap();
    let a = issue_with(
        &office,
        &mut reg,
        &short("มท ๐๘๑๐.๒", true, "การพัฒนาระบบสารบรรณอิเล็กทรอนิกส์"),
        &on("2026-02-01"),
    )
    .unwrap();
    let b = issue_with(
        &office,
        &mut reg,
        &short("มท ๐๘๑๐.๒", true, "โครงการความร่วมมือระหว่างประเทศ ปี 2569"),
        &on("2026-02-02"),
    )
    .unwrap();
    let find = |q: &str| -> Vec<i64> {
        reg.search(&SearchQuery {
            text: Some(q.into()),
            ..Default::default()
        })
        .unwrap()
        .iter()
        .map(|h| h.entry.id)
        .collect()
    };
    assert_eq!(find("บรรณอิเล็ก"), vec![a.id], "from the middle of words");
    assert_eq!(find("ร่วมมือระหว่าง"), vec![b.id]);
    assert_eq!(find("๒๕๖๙"), vec![b.id], "Thai digits find Arabic ones");
    assert_eq!(
        find("30 มิถุนายน"),
        vec![b.id, a.id],
        "Arabic digits find Thai ones, newest first"
    );
    assert_eq!(find(&a.number), vec![a.id], "the full number");
    assert_eq!(
        find("มท 0810.2/ว 1"),
        vec![a.id],
        "the number in Arabic digits"
    );
    assert!(find("ไม่มีข้อความนี้ในทะเบียน").is_empty());
    for evil in ["' OR 1=1 --", "\"", "*", "NEAR(", "a\" OR \"b", "%", "_"] {
        assert!(find(evil).is_empty(), "{evil} is text");
    }
    assert_eq!(find("สา").len(), 1, "short queries scan");
    let hits = reg
        .search(&SearchQuery {
            text: Some("สารบรรณ".into()),
            ..Default::default()
        })
        .unwrap();
    assert!(hits[0].snippet.contains("«สารบรรณ»"), "{}", hits[0].snippet);
    let year = reg
        .search(&SearchQuery {
            year_be: Some(2570),
            ..Default::default()
        })
        .unwrap();
    assert!(year.is_empty());
    reg.cancel(a.id, "ยกเลิก").unwrap();
    let cancelled = reg
        .search(&SearchQuery {
            status: Some(saraban::register::Status::Cancelled),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(cancelled.len(), 1);
}

/// An issue never moves the waiting letters into the index in its clerk's wait: once
/// `UNINDEXED_SETTLE` wait, the program's steps after the issue move them, a chunk each,
/// while nobody is in line; a register whose programs never took those steps has them
/// moved by the issue that finds `UNINDEXED_MOST` waiting, so they never pile up.
#[test]
fn the_index_takes_the_waiting_letters_in_when_enough_wait_and_nobody_is_in_line() {
    use saraban::register::{SETTLE_CHUNK, UNINDEXED_MOST, UNINDEXED_SETTLE};
    let dir = tempfile::tempdir().unwrap();
    let mut reg = Register::create(&dir.path().join("r.sqlite")).unwrap();
    let letter = short("มท ๐๘๑๐.๒", false, "ทดสอบดัชนีค้นหา");
    let count = |reg: &Register, table: &str| -> i64 {
        reg.connection()
            .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
            .unwrap()
    };
    let issue = |reg: &mut Register| {
        reg.issue(&letter, &on("2026-03-01"), |_| Ok(b"%PDF-1.7\n".to_vec()))
            .unwrap();
    };
    for _ in 1..UNINDEXED_SETTLE {
        issue(&mut reg);
    }
    assert_eq!(reg.settle_search_index_step().unwrap(), 0, "too few wait");
    issue(&mut reg);
    assert_eq!(
        count(&reg, "letters_unindexed"),
        UNINDEXED_SETTLE,
        "an issue moved them"
    );
    assert_eq!(count(&reg, "letters_fts"), 0);
    let mut steps = 0;
    loop {
        match reg.settle_search_index_step().unwrap() {
            0 => break,
            n => {
                assert_eq!(n as i64, SETTLE_CHUNK);
                steps += 1;
            }
        }
    }
    assert_eq!(steps, UNINDEXED_SETTLE / SETTLE_CHUNK);
    assert_eq!(count(&reg, "letters_unindexed"), 0);
    assert_eq!(count(&reg, "letters_fts"), UNINDEXED_SETTLE);
    let found = |reg: &Register| {
        reg.search_count(&SearchQuery {
            text: Some("ดัชนีค้นหา".into()),
            ..Default::default()
        })
        .unwrap()
    };
    assert_eq!(found(&reg), UNINDEXED_SETTLE);
    // No step taken: the issue that finds the most waiting moves a chunk itself.
    for _ in 1..UNINDEXED_MOST {
        issue(&mut reg);
    }
    assert_eq!(count(&reg, "letters_unindexed"), UNINDEXED_MOST - 1);
    issue(&mut reg);
    assert_eq!(
        count(&reg, "letters_unindexed"),
        UNINDEXED_MOST - SETTLE_CHUNK
    );
    assert_eq!(found(&reg), UNINDEXED_SETTLE + UNINDEXED_MOST);
}

/// A letter is found the moment it is issued, while its text waits outside the search
/// index, and the same after the index took it in: by phrase, by a short text, page by
/// page and counted; the audit is content with both.
#[test]
fn letters_are_found_alike_before_and_after_they_join_the_index() {
    let office = office();
    let dir = tempfile::tempdir().unwrap();
    let mut reg = Register::create(&dir.path().join("r.sqlite")).unwrap();
    let mut ids = Vec::new();
    for (i, subject) in [
        "การพัฒนาระบบสารบรรณอิเล็กทรอนิกส์",
        "โครงการความร่วมมือระหว่างประเทศ",
        "การพัฒนาบุคลากรท้องถิ่น",
    ]
    .into_iter()
    .enumerate()
    {
        let date = format!("2026-02-0{}", i + 1);
        ids.push(
            issue_with(
                &office,
                &mut reg,
                &short("มท ๐๘๑๐.๒", false, subject),
                &on(&date),
            )
            .unwrap()
            .id,
        );
        if i == 0 {
            // The first in the index, the others waiting.
            assert_eq!(reg.settle_search_index().unwrap(), 1);
        }
    }
    let waiting = |reg: &Register| -> i64 {
        reg.connection()
            .query_row("SELECT count(*) FROM letters_unindexed", [], |r| r.get(0))
            .unwrap()
    };
    assert_eq!(waiting(&reg), 2);
    let look = |reg: &Register| {
        let find = |q: &str, limit: usize, offset: usize| -> Vec<i64> {
            reg.search(&SearchQuery {
                text: Some(q.into()),
                limit: Some(limit),
                offset: Some(offset),
                ..Default::default()
            })
            .unwrap()
            .iter()
            .map(|h| h.entry.id)
            .collect()
        };
        let count = |q: &str| {
            reg.search_count(&SearchQuery {
                text: Some(q.into()),
                ..Default::default()
            })
            .unwrap()
        };
        assert_eq!(find("การพัฒนา", 50, 0), vec![ids[2], ids[0]], "newest first");
        assert_eq!(find("การพัฒนา", 1, 1), vec![ids[0]], "page by page");
        assert_eq!(find("ระหว่างประเทศ", 50, 0), vec![ids[1]]);
        assert_eq!(find("ทุกจังหวัด", 50, 0), vec![ids[2], ids[1], ids[0]]);
        assert_eq!(find("สา", 50, 0), vec![ids[0]], "a short text scans both");
        assert_eq!(count("การพัฒนา"), 2);
        assert_eq!(count("ทุกจังหวัด"), 3);
        let hits = reg
            .search(&SearchQuery {
                text: Some("บุคลากร".into()),
                ..Default::default()
            })
            .unwrap();
        assert!(hits[0].snippet.contains("«บุคลากร»"), "{}", hits[0].snippet);
        // A search as you type, narrowed from the text before (both tables among).
        for typed in ["การพั", "การพัฒ", "การพัฒนาบุ"] {
            let (hits, n) = reg
                .search_counted(
                    &SearchQuery {
                        text: Some(typed.into()),
                        ..Default::default()
                    },
                    1000,
                )
                .unwrap();
            let want = if typed == "การพัฒนาบุ" {
                1
            } else {
                2
            };
            assert_eq!((hits.len(), n), (want, want as i64), "{typed}");
        }
        assert!(reg.verify_audit().unwrap().intact());
    };
    look(&reg);
    assert_eq!(reg.settle_search_index().unwrap(), 2);
    assert_eq!(waiting(&reg), 0);
    look(&reg);
}

#[test]
fn drafts_keep_every_version() {
    let mut reg = Register::in_memory().unwrap();
    let mut l = short("มท ๐๘๑๐.๒", true, "ร่างแรก");
    let id = reg.save_draft(None, &l).unwrap();
    l.subject = Some("ร่างที่สอง".into());
    assert_eq!(reg.save_draft(Some(id), &l).unwrap(), id);
    let versions = reg.draft_versions(id).unwrap();
    assert_eq!(versions.len(), 2);
    assert_eq!(
        reg.open_draft(id).unwrap().subject.as_deref(),
        Some("ร่างที่สอง")
    );
    let restored = reg.restore_draft(id, versions[1].id).unwrap();
    assert_eq!(restored.subject.as_deref(), Some("ร่างแรก"));
    assert_eq!(
        reg.draft_versions(id).unwrap().len(),
        3,
        "restoring keeps the later version too"
    );
    assert_eq!(reg.drafts().unwrap()[0].title, "ร่างแรก");
    // A draft becomes the issued letter.
    let issued = issue_draft_with(&office(), &mut reg, id, &on("2026-04-01")).unwrap();
    assert_eq!(issued.id, id);
    assert!(reg.open_draft(id).is_err(), "no longer a draft");
    assert!(
        reg.delete_draft(id).is_err(),
        "an issued letter is not deleted"
    );
    let other = reg.save_draft(None, &l).unwrap();
    reg.delete_draft(other).unwrap();
    assert!(reg.drafts().unwrap().is_empty());
}

#[test]
fn exports_open_and_round_trip() {
    let office = office();
    let mut reg = Register::in_memory().unwrap();
    issue_with(
        &office,
        &mut reg,
        &short("มท ๐๘๑๐.๒", true, "เรื่อง, ที่มี \"เครื่องหมาย\""),
        &on("2026-02-01"),
    )
    .unwrap();
    let b = issue_with(
        &office,
        &mut reg,
        &short("มท ๐๘๑๐.๒", true, "เรื่องที่สอง"),
        &on("2026-02-02"),
    )
    .unwrap();
    reg.cancel(b.id, "ซ้ำ").unwrap();
    let entries = reg.entries(Some(2569)).unwrap();
    let csv = saraban::register::csv_bytes(&entries).unwrap();
    assert!(csv.starts_with(&[0xEF, 0xBB, 0xBF]), "BOM for Excel");
    let mut r = csv::Reader::from_reader(&csv[3..]);
    assert_eq!(
        r.headers().unwrap().iter().collect::<Vec<_>>(),
        saraban::register::REGISTER_COLUMNS.to_vec()
    );
    let rows: Vec<csv::StringRecord> = r.records().map(|x| x.unwrap()).collect();
    assert_eq!(rows.len(), 2);
    assert_eq!(&rows[0][0], "๑");
    assert_eq!(&rows[0][1], "มท ๐๘๑๐.๒/ว ๑");
    assert_eq!(&rows[0][2], "๑ กุมภาพันธ์ ๒๕๖๙");
    assert_eq!(&rows[0][5], "เรื่อง, ที่มี \"เครื่องหมาย\"");
    assert!(rows[1][7].starts_with("ยกเลิก: ซ้ำ"));

    let xlsx = saraban::register::xlsx_bytes(&entries, "ทะเบียน").unwrap();
    use calamine::Reader;
    let mut wb: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(xlsx)).unwrap();
    let range = wb.worksheet_range("ทะเบียนหนังสือส่ง").unwrap();
    assert_eq!(range.get_value((0, 5)).unwrap().to_string(), "เรื่อง");
    assert_eq!(
        range.get_value((1, 1)).unwrap().to_string(),
        "มท ๐๘๑๐.๒/ว ๑"
    );
    assert_eq!(range.get_value((2, 0)).unwrap().to_string(), "๒");
    // ลงวันที่ is a date, not text; การปฏิบัติ says what the screen says.
    let date = range.get_value((1, 2)).unwrap();
    assert!(
        matches!(date, calamine::Data::DateTime(_)),
        "the date is a date: {date:?}"
    );
    let serial = (chrono::NaiveDate::from_ymd_opt(2026, 2, 1).unwrap()
        - chrono::NaiveDate::from_ymd_opt(1899, 12, 30).unwrap())
    .num_days() as f64;
    match date {
        calamine::Data::DateTime(d) => assert_eq!(d.as_f64(), serial, "{date:?}"),
        other => panic!("not a date: {other:?}"),
    }
    assert_eq!(range.get_value((1, 6)).unwrap().to_string(), "ส่งแล้ว");
    assert_eq!(range.get_value((2, 6)).unwrap().to_string(), "ยกเลิก");
    assert_eq!(&rows[1][6], "ยกเลิก");

    let office = Office::with_register(&Default::default(), reg).unwrap();
    let book = office.book(2569).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("book.pdf");
    std::fs::write(&p, book).unwrap();
    let info = String::from_utf8(Command::new("pdfinfo").arg(&p).output().unwrap().stdout).unwrap();
    assert!(info.contains("841.89 x 595.27"), "A4 landscape: {info}");
    let text: String = String::from_utf8(
        Command::new("pdftotext")
            .arg(&p)
            .arg("-")
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap()
    .chars()
    .filter(|c| !c.is_whitespace())
    .collect();
    for want in ["ทะเบียนหนังสือส่ง", "ทะเบียนส่ง", "มท๐๘๑๐.๒/ว๒", "ยกเลิก"]
    {
        assert!(text.contains(want), "{want} in the book:\n{text}");
    }
}

#[test]
fn tampering_with_the_audit_trail_is_found() {
    let office = office();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.sqlite");
    let mut reg = Register::create(&db).unwrap();
    for i in 0..3 {
        issue_with(
            &office,
            &mut reg,
            &short("มท ๐๘๑๐.๒", true, &format!("เรื่อง {i}")),
            &on("2026-02-01"),
        )
        .unwrap();
    }
    assert_eq!(reg.verify_audit().unwrap().entries, 3);
    drop(reg);
    let raw = rusqlite_raw(&db);
    raw.execute_batch(
        "DROP TRIGGER audit_append_only_u; UPDATE audit SET detail = 'forged' WHERE id = 2;",
    )
    .unwrap();
    drop(raw);
    let out = crate::common::cli()
        .args(["audit", "verify", "--lang", "en", "--db"])
        .arg(&db)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&out.stderr).contains("breaks at entry 2"));
}

fn rusqlite_raw(p: &Path) -> rusqlite::Connection {
    rusqlite::Connection::open(p).unwrap()
}

#[test]
fn files_that_are_not_our_register_are_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let other = dir.path().join("other.sqlite");
    let c = rusqlite_raw(&other);
    c.execute_batch("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT);")
        .unwrap();
    drop(c);
    let before = std::fs::read(&other).unwrap();
    let e = Register::open(&other).err().expect("refused");
    assert!(e.lines(saraban::Lang::En)[0].contains("not a Saraban register"));
    assert_eq!(std::fs::read(&other).unwrap(), before, "left untouched");
    let text = dir.path().join("notes.txt");
    std::fs::write(
        &text,
        "hello, this is not a database at all, just some text",
    )
    .unwrap();
    assert!(Register::open(&text).is_err());
    assert_eq!(
        std::fs::read_to_string(&text).unwrap(),
        "hello, this is not a database at all, just some text"
    );
    let newer = dir.path().join("newer.sqlite");
    drop(Register::create(&newer).unwrap());
    rusqlite_raw(&newer)
        .pragma_update(None, "user_version", 99)
        .unwrap();
    let e = Register::open(&newer).err().expect("refused");
    assert!(e.lines(saraban::Lang::En)[0].contains("newer Saraban"));
}

/// 8 processes × 500 `saraban issue` on one database: exactly 1..4000, no gap, no failure.
#[test]
fn eight_writers_get_every_number_exactly_once() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.sqlite");
    let letter = dir.path().join("l.json");
    std::fs::write(&letter, short("มท ๐๘๑๐.๒", true, "ทดสอบพร้อมกัน").to_json()).unwrap();
    drop(Register::create(&db).unwrap());
    let per = 500;
    let script = format!(
        // A writer that fails says which of its issues failed and with what exit code
        // (under Wine a writer once ended with nothing on its standard error).
        "for i in $(seq {per}); do \"$0\" issue \"$1\" --db \"$2\" --date 2026-06-01 --any-date \
         || {{ rc=$?; echo \"issue $i of {per} ended with exit $rc\" >&2; exit 1; }}; done",
    );
    let children: Vec<_> = (0..8)
        .map(|_| {
            Command::new("sh")
                .arg("-c")
                .arg(&script)
                .arg(crate::common::cli_path())
                .arg(&letter)
                .arg(&db)
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let mut printed = Vec::new();
    for c in children {
        let out = c.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "a writer failed ({}): {}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
        printed.extend(
            String::from_utf8(out.stdout)
                .unwrap()
                .lines()
                .map(str::to_string),
        );
    }
    assert_eq!(printed.len(), 8 * per);
    let reg = Register::open(&db).unwrap();
    let mut numbers: Vec<i64> = reg
        .entries(Some(2569))
        .unwrap()
        .iter()
        .map(|e| e.running)
        .collect();
    numbers.sort();
    assert_eq!(numbers, (1..=(8 * per) as i64).collect::<Vec<_>>());
    assert_eq!(reg.integrity_check().unwrap(), "ok");
    // One entry a letter, and the one that recorded this computer's statement key (made
    // once, though eight processes started at once).
    assert_eq!(reg.verify_audit().unwrap().entries, (8 * per) as i64 + 1);
    let keys: i64 = reg
        .connection()
        .query_row(
            "SELECT count(*) FROM settings WHERE key LIKE 'statement.key.%'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(keys, 1);
}

/// SIGKILL at random points during 200 issues and draft saves: the database stays sound,
/// everything reported done is there whole, nothing is there by half.
#[test]
fn killed_writers_leave_nothing_half_done() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.sqlite");
    let letter = dir.path().join("l.json");
    std::fs::write(
        &letter,
        short("มท ๐๘๑๐.๒", true, "ทดสอบการถูกหยุดกลางคัน").to_json(),
    )
    .unwrap();
    drop(Register::create(&db).unwrap());
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15 ^ std::process::id() as u64;
    let mut next = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let mut reported: Vec<serde_json::Value> = Vec::new();
    let mut killed = 0;
    for i in 0..200 {
        let mut cmd = crate::common::cli();
        if i % 2 == 0 {
            cmd.args(["issue", "--json", "--any-date", "--date", "2026-07-01"])
                .arg(&letter);
        } else {
            cmd.args(["draft", "save"]).arg(&letter);
        }
        let mut child = cmd
            .arg("--db")
            .arg(&db)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        // One writer in eight runs to its end, so the register also holds
        // finished letters between the killed ones.
        let finish = next() % 8 == 0;
        std::thread::sleep(std::time::Duration::from_micros(next() % 25_000));
        if !finish && child.try_wait().unwrap().is_none() {
            let _ = child.kill(); // SIGKILL
            killed += 1;
        }
        let out = child.wait_with_output().unwrap();
        if out.status.success() && i % 2 == 0 {
            if let Ok(v) = serde_json::from_slice::<serde_json::Value>(&out.stdout) {
                reported.push(v);
            }
        }
    }
    assert!(
        killed > 20,
        "only {killed} of 200 were killed mid-way: the test did not test much"
    );
    let reg = Register::open(&db).unwrap();
    assert_eq!(reg.integrity_check().unwrap(), "ok");
    for r in &reported {
        let id = r["id"].as_i64().unwrap();
        let e = reg.entry(id).unwrap();
        assert_eq!(e.sha256, r["sha256"].as_str().unwrap());
        use sha2::Digest;
        let sha: String = sha2::Sha256::digest(reg.pdf(id).unwrap())
            .iter()
            .map(|x| format!("{x:02x}"))
            .collect();
        assert_eq!(sha, e.sha256, "the stored PDF is the one reported");
    }
    let entries = reg.entries(None).unwrap();
    let mut numbers: Vec<i64> = entries.iter().map(|e| e.running).collect();
    numbers.sort();
    assert_eq!(
        numbers,
        (1..=entries.len() as i64).collect::<Vec<_>>(),
        "gap-free: no number taken by a killed writer"
    );
    let c = reg.connection();
    let indexed: i64 = c
        .query_row(
            "SELECT (SELECT count(*) FROM letters_fts) + (SELECT count(*) FROM letters_unindexed)",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(
        indexed as usize,
        entries.len(),
        "every issued letter indexed, nothing else"
    );
    // One entry a letter, and at most one more: this computer's statement key,
    // written in its own transaction by the first writer that got that far
    // (which may since have been killed before its letter was issued).
    let about_letters: i64 = c
        .query_row(
            "SELECT count(*) FROM audit WHERE letter_id IS NOT NULL",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(
        about_letters as usize,
        entries.len(),
        "one audit entry a letter"
    );
    let report = reg.verify_audit().unwrap();
    assert!(report.intact(), "{report:?}");
    let others = report.entries as usize - entries.len();
    assert!(others <= 1, "{others} audit entries about no letter");
    assert!(
        !reported.is_empty(),
        "no writer finished: nothing was issued"
    );
    assert!(entries.len() >= reported.len());
}
