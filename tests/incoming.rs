//! The incoming register (ทะเบียนหนังสือรับ) on both engines: receipt numbers run per
//! calendar year, atomically under eight clerks receiving at once (1..N, no gap, no
//! duplicate); the original is kept byte for byte with its hash; the same file twice is
//! said with the earlier receipt; bad input leaves nothing half-registered; a receipt is
//! immutable, cancelled with a reason; routing steps are appended; the audit chain covers
//! it all and finds a receipt changed behind Saraban's back; a register moves between the
//! engines with its receipts.

use crate::pg;

use std::sync::Arc;

use chrono::NaiveDateTime;
use saraban::received::{ReadBy, ReceivedFields, ReceivedKind, RoutingStep};
use saraban::register::{
    Access, Location, NewReceipt, ReceiptQuery, ReceiptStatus, Register, StampData,
};

fn local() -> &'static std::path::Path {
    static DIR: std::sync::OnceLock<std::path::PathBuf> = std::sync::OnceLock::new();
    DIR.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("saraban-incoming-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        dir
    })
}

fn at(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
}

fn new(subject: &str, file: &[u8], when: &str) -> NewReceipt {
    NewReceipt {
        fields: ReceivedFields {
            number: "มท ๐๘๑๐.๒/ว ๑๒๓".into(),
            date: chrono::NaiveDate::from_ymd_opt(2026, 11, 30),
            from: "กรมส่งเสริมการปกครองท้องถิ่น".into(),
            to: "ผู้ว่าราชการจังหวัด ทุกจังหวัด".into(),
            subject: subject.into(),
            ..Default::default()
        },
        read_by: ReadBy::Text,
        kind: ReceivedKind::Pdf,
        file_name: "letter.pdf".into(),
        original: file.to_vec(),
        received_at: Some(at(when)),
        again: false,
    }
}

/// A stand-in stamp: what the register stores as the stamped copy says its number.
fn stamp(d: &StampData) -> saraban::Result<Vec<u8>> {
    Ok(format!(
        "stamped {}/{} {}",
        d.receipt_number, d.year_be, d.received_at
    )
    .into_bytes())
}

/// What the scenario saw, to compare engines.
#[derive(Debug, PartialEq)]
struct Seen {
    numbers: Vec<(i64, i64)>,
    found: Vec<Vec<String>>,
    routing: Vec<String>,
    book: Vec<(i64, i64, String, ReceiptStatus)>,
}

fn scenario(reg: &mut Register) -> Seen {
    let mut numbers = Vec::new();
    let a = reg
        .receive(
            &new("ขอเชิญประชุม", b"%PDF one", "2026-12-01 09:05"),
            &mut stamp,
        )
        .unwrap();
    let b = reg
        .receive(
            &new("ขอความอนุเคราะห์ข้อมูล", b"%PDF two", "2026-12-01 10:30"),
            &mut stamp,
        )
        .unwrap();
    numbers.push((a.year_be, a.receipt_number));
    numbers.push((b.year_be, b.receipt_number));
    assert_eq!(a.received_at, "2026-12-01T09:05:00+07:00");
    assert_eq!(a.receipt_text(), "๑/๒๕๖๙");
    // The original byte for byte, the stamped copy beside it.
    assert_eq!(reg.received_original(a.id).unwrap(), b"%PDF one");
    assert_eq!(
        reg.received_stamped(a.id).unwrap(),
        b"stamped 1/2569 2026-12-01 09:05:00"
    );

    // The same file again: said with the earlier receipt, nothing registered; then, when
    // the clerk confirms, received again with a number of its own.
    let again = reg
        .receive(
            &new("ขอเชิญประชุม", b"%PDF one", "2026-12-01 11:00"),
            &mut stamp,
        )
        .unwrap_err();
    let said = again.lines(saraban::Lang::Th).join(" ");
    assert!(said.contains("ลงรับไปแล้ว เลขรับ ๑/๒๕๖๙"), "{said}");
    assert_eq!(
        again.lines(saraban::Lang::En).len(),
        1,
        "{:?}",
        again.lines(saraban::Lang::En)
    );
    let mut confirmed = new("ขอเชิญประชุม", b"%PDF one", "2026-12-01 11:00");
    confirmed.again = true;
    let c = reg.receive(&confirmed, &mut stamp).unwrap();
    numbers.push((c.year_be, c.receipt_number));

    // Bad input: a clear refusal and no number spent.
    let empty = reg.receive(&new("ว่าง", b"", "2026-12-01 12:00"), &mut stamp);
    assert!(empty
        .unwrap_err()
        .lines(saraban::Lang::Th)
        .join(" ")
        .contains("ว่างเปล่า"));
    let no_subject = reg.receive(&new("  ", b"%PDF x", "2026-12-01 12:00"), &mut stamp);
    assert!(no_subject.is_err());
    let failing = reg.receive(
        &new("ขัดข้อง", b"%PDF y", "2026-12-01 12:00"),
        &mut |_| Err(saraban::Error::Pdf("the stamp failed".into())),
    );
    assert!(failing.is_err());

    // The new year starts its numbers anew.
    let d = reg
        .receive(&new("ปีใหม่", b"%PDF three", "2027-01-02 08:30"), &mut stamp)
        .unwrap();
    numbers.push((d.year_be, d.receipt_number));
    let e = reg
        .receive(&new("ต่อเนื่อง", b"%PDF four", "2026-12-31 16:00"), &mut stamp)
        .unwrap();
    numbers.push((e.year_be, e.receipt_number));

    // Routing: proposal, order, hand-over, each dated and kept in order.
    for step in [
        RoutingStep::Proposal {
            summary: "กรมเชิญประชุมวันที่ ๑๕".into(),
            proposal: "เห็นควรมอบกองช่าง".into(),
        },
        RoutingStep::Order {
            by: "นายกเทศมนตรี".into(),
            text: "ทราบ มอบกองช่างดำเนินการ".into(),
            date: chrono::NaiveDate::from_ymd_opt(2026, 12, 2).unwrap(),
        },
        RoutingStep::HandOver {
            to: "กองช่าง".into(),
            note: String::new(),
        },
    ] {
        reg.route(a.id, &step).unwrap();
    }
    assert!(reg
        .route(
            a.id,
            &RoutingStep::HandOver {
                to: "".into(),
                note: String::new()
            }
        )
        .is_err());
    let routing: Vec<String> = reg
        .receipt(a.id)
        .unwrap()
        .routing
        .iter()
        .map(|r| r.step.line())
        .collect();

    // A wrong receipt is cancelled with a reason; it stays, and takes no more steps.
    assert!(reg.cancel_receipt(b.id, " ").is_err());
    reg.cancel_receipt(b.id, "ลงรับผิดฉบับ").unwrap();
    assert!(reg.cancel_receipt(b.id, "อีกครั้ง").is_err());
    assert!(reg
        .route(b.id, &RoutingStep::Done { note: "x".into() })
        .is_err());
    assert_eq!(reg.receipt(b.id).unwrap().status, ReceiptStatus::Cancelled);
    assert!(reg.receipt(b.id).unwrap().note.contains("ลงรับผิดฉบับ"));

    // Found by receipt number (either digit form) or id; searched by any field.
    assert_eq!(reg.find_receipt("๑/๒๕๗๐").unwrap(), d.id);
    assert_eq!(reg.find_receipt("3/2569").unwrap(), c.id);
    assert_eq!(reg.find_receipt(&a.id.to_string()).unwrap(), a.id);
    assert!(reg.find_receipt("9/2569").is_err());
    let mut found = Vec::new();
    for q in ["ประชุม", "อนุเคราะห์", "0810.2", "๑/๒๕๗๐", "ไม่มีเรื่องนี้"]
    {
        let hits = reg
            .search_receipts(&ReceiptQuery {
                text: Some(q.into()),
                ..Default::default()
            })
            .unwrap();
        found.push(hits.into_iter().map(|r| r.fields.subject).collect());
    }
    let in_2569 = reg
        .search_receipts(&ReceiptQuery {
            year_be: Some(2569),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(in_2569.len(), 4);

    let mut book = Vec::new();
    reg.each_receipt(None, &mut |r| {
        book.push((r.year_be, r.receipt_number, r.fields.subject, r.status));
        Ok(())
    })
    .unwrap();
    let report = reg.verify_audit().unwrap();
    assert!(report.intact(), "{:?}", report.problems);
    Seen {
        numbers,
        found,
        routing,
        book,
    }
}

fn expected_numbers() -> Vec<(i64, i64)> {
    vec![(2569, 1), (2569, 2), (2569, 3), (2570, 1), (2569, 4)]
}

#[test]
fn both_engines_keep_the_incoming_register_alike() {
    let dir = tempfile::tempdir().unwrap();
    let mut sqlite = Register::create(&dir.path().join("r.sqlite")).unwrap();
    let on_sqlite = scenario(&mut sqlite);
    assert_eq!(on_sqlite.numbers, expected_numbers());
    assert_eq!(
        on_sqlite.found,
        vec![
            vec!["ขอเชิญประชุม", "ขอเชิญประชุม"],
            vec!["ขอความอนุเคราะห์ข้อมูล"],
            vec![
                "ปีใหม่",
                "ต่อเนื่อง",
                "ขอเชิญประชุม",
                "ขอความอนุเคราะห์ข้อมูล",
                "ขอเชิญประชุม"
            ],
            vec!["ปีใหม่"],
            Vec::<&str>::new(),
        ]
    );
    assert_eq!(
        on_sqlite.routing,
        [
            "กรมเชิญประชุมวันที่ ๑๕ เห็นควรมอบกองช่าง",
            "ทราบ มอบกองช่างดำเนินการ (นายกเทศมนตรี)",
            "ส่ง กองช่าง"
        ]
    );

    let cluster = pg::Cluster::start();
    let mut server = Register::open_at_in(
        &Location::Server(cluster.url("incoming")),
        Access::Create,
        Some(local()),
    )
    .unwrap();
    let on_server = scenario(&mut server);
    assert_eq!(on_sqlite, on_server);

    // A register moves between engines with its receipts, files, steps and chain.
    let mut moved = Register::open_at_in(
        &Location::Server(cluster.url("moved")),
        Access::Create,
        Some(local()),
    )
    .unwrap();
    let m = saraban::register::migrate(&*sqlite, &mut *moved).unwrap();
    assert!(m.report.intact(), "{:?}", m.report.problems);
    let id = moved.find_receipt("๑/๒๕๖๙").unwrap();
    assert_eq!(moved.received_original(id).unwrap(), b"%PDF one");
    assert_eq!(moved.receipt(id).unwrap().routing.len(), 3);
    // …and the counters go on from where they were.
    let next = moved
        .receive(&new("หลังย้าย", b"%PDF five", "2026-12-31 17:00"), &mut stamp)
        .unwrap();
    assert_eq!((next.year_be, next.receipt_number), (2569, 5));
    let back_dir = tempfile::tempdir().unwrap();
    let mut back = Register::create(&back_dir.path().join("back.sqlite")).unwrap();
    let m = saraban::register::migrate(&*moved, &mut *back).unwrap();
    assert!(m.report.intact(), "{:?}", m.report.problems);
}

#[test]
fn a_receipt_changed_behind_sarabans_back_is_refused_or_found() {
    // SQLite: the triggers refuse; with them dropped, verification finds the change.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r.sqlite");
    let mut reg = Register::create(&path).unwrap();
    let a = reg
        .receive(
            &new("ขอเชิญประชุม", b"%PDF one", "2026-12-01 09:05"),
            &mut stamp,
        )
        .unwrap();
    reg.route(
        a.id,
        &RoutingStep::HandOver {
            to: "กองคลัง".into(),
            note: String::new(),
        },
    )
    .unwrap();
    let conn = reg.connection();
    for sql in [
        "UPDATE received SET fields_json = '{}'",
        "UPDATE received SET original = x'00'",
        "DELETE FROM received",
        "UPDATE receipt_steps SET step_json = '{}'",
        "DELETE FROM receipt_steps",
    ] {
        assert!(conn.execute(sql, []).is_err(), "{sql} was allowed");
    }
    conn.execute_batch(
        "DROP TRIGGER received_immutable;
         UPDATE received SET fields_json = replace(fields_json, 'ประชุม', 'สัมมนา');
         DROP TRIGGER receipt_steps_append_only_u;
         UPDATE receipt_steps SET step_json = replace(step_json, 'กองคลัง', 'กองช่าง');
         UPDATE receipt_years SET last = 7;",
    )
    .unwrap();
    let report = reg.verify_audit().unwrap();
    let said: Vec<&str> = report.problems.iter().map(|p| p.en.as_str()).collect();
    assert!(
        said.iter().any(|p| p.contains("receipt 1/2569 differs")),
        "{said:#?}"
    );
    assert!(
        said.iter()
            .any(|p| p.contains("search text of receipt 1/2569")),
        "{said:#?}"
    );
    assert!(
        said.iter()
            .any(|p| p.contains("routing step 1 of receipt 1 differs")),
        "{said:#?}"
    );
    assert!(
        said.iter()
            .any(|p| p.contains("receipt counter of 2569 says 7")),
        "{said:#?}"
    );
    assert!(said.iter().any(|p| p.contains("schema")), "{said:#?}");
    drop(reg);

    // PostgreSQL: a clerk's statements are refused; an owner who switches the guards off
    // is found by verification, and a changed file is never served.
    let cluster = pg::Cluster::start();
    let db = "guarded";
    let mut reg = Register::open_at_in(
        &Location::Server(cluster.url(db)),
        Access::Create,
        Some(local()),
    )
    .unwrap();
    let a = reg
        .receive(
            &new("ขอเชิญประชุม", b"%PDF one", "2026-12-01 09:05"),
            &mut stamp,
        )
        .unwrap();
    reg.route(
        a.id,
        &RoutingStep::Done {
            note: "แจ้งแล้ว".into(),
        },
    )
    .unwrap();
    for sql in [
        "UPDATE received SET fields_json = '{}'",
        "DELETE FROM received",
        "TRUNCATE received CASCADE",
        "UPDATE receipt_steps SET step_json = '{}'",
        "DELETE FROM receipt_steps",
    ] {
        assert!(cluster.psql_result(db, sql).is_err(), "{sql} was allowed");
    }
    cluster.psql(
        db,
        "ALTER TABLE received DISABLE TRIGGER USER; UPDATE received SET original = '\\x00'; ALTER TABLE received ENABLE TRIGGER USER",
    );
    let report = reg.verify_audit().unwrap();
    assert!(
        report
            .problems
            .iter()
            .any(|p| p.en.contains("file of receipt 1/2569 was changed")),
        "{:?}",
        report.problems
    );
    assert!(
        reg.received_original(a.id).is_err(),
        "a changed file is never served"
    );
}

/// Eight clerks receiving at once, on each engine: the numbers of the year are exactly
/// 1..N, none twice, none skipped.
#[test]
fn eight_clerks_receiving_at_once_get_one_to_n() {
    const CLERKS: usize = 8;
    const EACH: usize = 15;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r.sqlite");
    drop(Register::create(&path).unwrap());
    let cluster = pg::Cluster::start();
    let url = cluster.url("busy");
    drop(
        Register::open_at_in(
            &Location::Server(url.clone()),
            Access::Create,
            Some(local()),
        )
        .unwrap(),
    );
    let locations = [Location::File(path), Location::Server(url)];
    for location in locations {
        let location = Arc::new(location);
        let clerks: Vec<_> = (0..CLERKS)
            .map(|c| {
                let location = location.clone();
                std::thread::spawn(move || {
                    let mut reg =
                        Register::open_at_in(&location, Access::Write, Some(local())).unwrap();
                    (0..EACH)
                        .map(|i| {
                            let file = format!("%PDF clerk {c} letter {i}");
                            reg.receive(
                                &new(
                                    &format!("เรื่องที่ {c}-{i}"),
                                    file.as_bytes(),
                                    "2026-12-03 10:00",
                                ),
                                &mut stamp,
                            )
                            .unwrap()
                            .receipt_number
                        })
                        .collect::<Vec<i64>>()
                })
            })
            .collect();
        let mut all: Vec<i64> = clerks.into_iter().flat_map(|c| c.join().unwrap()).collect();
        all.sort_unstable();
        assert_eq!(
            all,
            (1..=(CLERKS * EACH) as i64).collect::<Vec<_>>(),
            "{location:?}"
        );
        let reg = Register::open_at_in(&location, Access::Read, Some(local())).unwrap();
        // Each stamped copy carries its own receipt's number.
        reg.each_receipt(Some(2569), &mut |r| {
            let stamped = reg.received_stamped(r.id)?;
            assert!(String::from_utf8_lossy(&stamped)
                .starts_with(&format!("stamped {}/2569", r.receipt_number)));
            Ok(())
        })
        .unwrap();
        let report = reg.verify_audit().unwrap();
        assert!(report.intact(), "{location:?}: {:?}", report.problems);
    }
}

/// Every receipt shown asks for its replies: the letters that answer it are found through
/// an index on their `reply_to`, not by reading every letter's JSON (a busy year has tens of
/// thousands).
#[test]
fn a_receipts_replies_are_found_by_index() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r.sqlite");
    drop(Register::create(&path).unwrap());
    let conn = rusqlite::Connection::open(&path).unwrap();
    let plan: Vec<String> = conn
        .prepare(
            "EXPLAIN QUERY PLAN SELECT id, number_text, issued_date FROM letters
             WHERE status <> 'draft' AND json_extract(letter_json, '$.reply_to.receipt_number') = ?1
               AND json_extract(letter_json, '$.reply_to.year_be') = ?2
             ORDER BY id",
        )
        .unwrap()
        .query_map([1, 2569], |r| r.get::<_, String>(3))
        .unwrap()
        .map(|r| r.unwrap())
        .collect();
    assert!(
        plan.iter().any(|p| p.contains("letters_reply_to")),
        "{plan:?}"
    );
}
