//! What a clerk's first day found (issue 19), held by the core whichever front end asks:
//! a letter with errors takes no number, and what a letter's kind has not never prints.

use crate::common;

use std::process::Command;

use saraban::register::{Access, Register};
use saraban::service::IssueOptions;
use saraban::Letter;

use common::office_on;

fn text_of(pdf: &[u8], dir: &std::path::Path) -> String {
    let path = dir.join("letter.pdf");
    std::fs::write(&path, pdf).unwrap();
    let out = Command::new("pdftotext")
        .arg(&path)
        .arg("-")
        .output()
        .unwrap_or_else(|_| {
            common::missing_tool("pdftotext (poppler-utils)");
            unreachable!()
        });
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// An order with no subject and no body was issued as ๒/๒๕๖๙ while the findings said
/// "ไม่มีเรื่อง": a number is a legal record, and the core now refuses to spend one.
#[test]
fn a_letter_with_errors_takes_no_number_on_any_path() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("register.sqlite");
    let mut office = office_on(&db);
    let empty_order = Letter::from_json(
        r#"{"kind":"order","agency":{"name":"องค์การบริหารส่วนตำบลบางพลี"},"date":"2026-12-05","body":[""]}"#,
    )
    .unwrap();
    let err = office
        .issue(&empty_order, &IssueOptions::default())
        .unwrap_err();
    let th = err.lines(saraban::Lang::Th).join("\n");
    assert!(th.contains("ไม่มีเรื่อง"), "{th}");
    assert!(th.contains("ไม่มีข้อความ"), "{th}");
    assert!(th.contains("ยังไม่ออกเลข"), "{th}");
    assert_eq!(err.exit_code(), 1);
    // As a saved draft, issued by id (the app's path): refused alike.
    let id = office.save_draft(None, &empty_order).unwrap();
    assert!(office.issue_draft(id, &IssueOptions::default()).is_err());
    assert_eq!(
        office.search(&Default::default()).unwrap().total,
        0,
        "no number was spent"
    );

    // The command line: exit 1, the findings on standard error, nothing issued.
    let file = dir.path().join("order.json");
    std::fs::write(&file, empty_order.to_json()).unwrap();
    drop(office);
    let out = common::saraban(
        &[
            "--db",
            db.to_str().unwrap(),
            "issue",
            file.to_str().unwrap(),
        ],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(1), "{}", common::stderr(&out));
    let said = common::stderr(&out);
    assert!(
        said.contains("subject") && said.contains("not issued"),
        "{said}"
    );
    let office = office_on(&db);
    assert_eq!(office.search(&Default::default()).unwrap().total, 0);

    // Mended, the same letter takes the first number of its series.
    let mut mended = empty_order.clone();
    mended.subject = Some("แต่งตั้งคณะกรรมการตรวจรับพัสดุ".into());
    mended.body = vec![saraban::letter::BodyBlock::Text("ข้อความของคำสั่ง".into())];
    let mut office = office;
    let issued = office.issue(&mended, &IssueOptions::default()).unwrap();
    assert!(issued.number.starts_with('๑'), "{}", issued.number);
}

/// Switching a letter from external to order kept its contact block (กอง, โทร., e-mail),
/// which the order's form hides and its PDF printed. A letter now prints only the parts of
/// its kind; the change names what it drops.
#[test]
fn what_a_kind_has_not_never_prints() {
    let dir = tempfile::tempdir().unwrap();
    let office = common::office_with_emblem();
    let external = common::letter("jclair-specialists");
    let phone = external.owner.as_ref().unwrap().phone.clone().unwrap();
    let as_external = text_of(&office.render(&external).unwrap(), dir.path());
    let phone_digits: String = phone.chars().filter(|c| !c.is_whitespace()).collect();
    let printed = |text: &str| {
        text.chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .contains(&phone_digits)
    };
    assert!(
        printed(&as_external),
        "the external letter prints its telephone"
    );

    let (order, dropped) = external.clone().with_kind(saraban::letter::Kind::Order);
    assert!(
        dropped.contains(&"ส่วนราชการเจ้าของเรื่อง (โทร. อีเมล)"),
        "{dropped:?}"
    );
    assert!(dropped.contains(&"สิ่งที่ส่งมาด้วย"), "{dropped:?}");
    assert!(order.owner.is_none() && order.enclosures.is_empty());
    // Even a letter that still holds them (a file, an old draft) never prints them.
    let mut stale = external.clone();
    stale.kind = saraban::letter::Kind::Order;
    assert!(!stale.hidden_parts().is_empty());
    let text = text_of(&office.render(&stale).unwrap(), dir.path());
    assert!(
        !printed(&text),
        "the order printed the contact block:\n{text}"
    );
    let enclosure = &external.enclosures[0].title;
    assert!(!text.contains(enclosure.as_str()), "{text}");

    // A stamped letter has no address of its agency (the form hides it).
    let mut stamped = common::letter("stamped");
    let address = "ถนนนครราชสีมา เขตดุสิต";
    stamped.agency.as_mut().unwrap().address = vec![address.into()];
    let text = text_of(&office.render(&stamped).unwrap(), dir.path());
    assert!(!text.contains("นครราชสีมา"), "{text}");
}

/// A letter whose อ้างถึง names "ทส 1011.4/12932" was not found by searching 12932: every
/// part a letter prints is now in its search text, on both engines.
#[test]
fn a_letter_is_found_by_any_phrase_it_prints_on_both_engines() {
    use saraban::register::{Location, SearchQuery};
    let letter = Letter::from_json(
        &serde_json::json!({
            "kind": "external", "number": {"prefix": "มท ๐๘๑๐.๓"},
            "agency": {"name": "กรมส่งเสริมการปกครองท้องถิ่น", "address": ["ถนนนครราชสีมา เขตดุสิต กทม. ๑๐๓๐๐"]},
            "subject": "การจัดการขยะมูลฝอยชุมชน",
            "recipient": "ผู้ว่าราชการจังหวัด ทุกจังหวัด",
            "references": ["หนังสือกระทรวงทรัพยากรธรรมชาติและสิ่งแวดล้อม ที่ ทส 1011.4/12932 ลงวันที่ 3 พฤษภาคม 2564"],
            "enclosures": [{"title": "แบบรายงานปริมาณขยะรายเดือน", "quantity": "จำนวน ๑ ชุด"}],
            "body": ["ด้วยกรมได้รับแจ้งเรื่องการคัดแยกขยะ"],
            "closing": "ขอแสดงความนับถืออย่างยิ่ง",
            "signer": {"name": "นายประยูร รัตนเสนีย์", "positions": ["อธิบดีกรมส่งเสริมการปกครองท้องถิ่น"]},
            "owner": {"department": "กองสาธารณสุขท้องถิ่น", "phone": "๐ ๒๒๔๑ ๗๒๒๕"},
            "qr": [{"data": "https://www.dla.go.th/waste", "caption": "แบบฟอร์มออนไลน์สำหรับรายงาน"}],
            "distribution": {"title": "บัญชีรายชื่อจังหวัดนำร่อง", "recipients": ["จังหวัดลำพูน"]},
            "copies_to": ["สำนักงานส่งเสริมการปกครองท้องถิ่นจังหวัด ทุกจังหวัด"]
        })
        .to_string(),
    )
    .unwrap();
    let phrases = [
        ("อ้างถึง", "12932"),
        ("อ้างถึง", "ทส 1011.4"),
        ("สิ่งที่ส่งมาด้วย", "แบบรายงานปริมาณขยะ"),
        ("คำลงท้าย", "ขอแสดงความนับถืออย่างยิ่ง"),
        ("QR", "แบบฟอร์มออนไลน์"),
        ("บัญชีแจกจ่าย", "จังหวัดลำพูน"),
        ("บัญชีแจกจ่าย", "จังหวัดนำร่อง"),
        ("สำเนาส่ง", "สำนักงานส่งเสริมการปกครองท้องถิ่นจังหวัด"),
        ("เรื่อง", "ขยะมูลฝอยชุมชน"),
        ("ส่วนราชการเจ้าของเรื่อง", "สาธารณสุขท้องถิ่น"),
    ];
    let office = common::office_with_emblem();
    let dir = tempfile::tempdir().unwrap();
    let cluster = crate::pg::Cluster::start();
    let local = dir.path().join("local");
    std::fs::create_dir_all(&local).unwrap();
    let registers = vec![
        Register::create(&dir.path().join("r.sqlite")).unwrap(),
        Register::open_at_in(
            &Location::Server(cluster.url("parts")),
            Access::Create,
            Some(&local),
        )
        .unwrap(),
    ];
    for mut reg in registers {
        let where_ = reg.location().to_string();
        let opts = IssueOptions {
            date: chrono::NaiveDate::from_ymd_opt(2026, 12, 5),
            any_date: true,
            ..Default::default()
        };
        reg.issue(&letter, &opts, |l| office.render(l)).unwrap();
        for (part, phrase) in phrases {
            let q = SearchQuery {
                text: Some(phrase.into()),
                ..Default::default()
            };
            let hits = reg.search(&q).unwrap();
            assert_eq!(hits.len(), 1, "{where_}: “{phrase}” ({part}) not found");
        }
        assert!(reg.verify_audit().unwrap().problems.is_empty(), "{where_}");
    }
}

/// A register file written before every part was indexed is indexed again when first opened
/// to write (schema 3): its old letters are found by their references too, and the audit
/// stays clean.
#[test]
fn an_older_register_file_is_indexed_again_when_opened() {
    use saraban::register::SearchQuery;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.sqlite");
    let office = common::office_with_emblem();
    let mut letter = common::letter("jclair-specialists");
    letter.number.as_mut().unwrap().running = None;
    letter.references = vec!["หนังสือสภาองค์กรปกครองส่วนท้องถิ่น ที่ JC 4471/2564".into()];
    {
        let mut reg = Register::create(&db).unwrap();
        let opts = IssueOptions {
            date: chrono::NaiveDate::from_ymd_opt(2026, 12, 5),
            any_date: true,
            ..Default::default()
        };
        reg.issue(&letter, &opts, |l| office.render(l)).unwrap();
    }
    // As an older Saraban left it: schema 2, the index without the references.
    {
        let conn = rusqlite::Connection::open(&db).unwrap();
        let text: String = conn
            .query_row("SELECT text FROM letters_unindexed", [], |r| r.get(0))
            .unwrap();
        // Schema 8 brought the letters waiting to join the index: before, the index held all.
        conn.execute_batch(
            "INSERT INTO letters_fts (rowid, text) SELECT id, text FROM letters_unindexed;
             DROP TABLE letters_unindexed;",
        )
        .unwrap();
        let older: String = text
            .lines()
            .filter(|l| !l.contains("4471"))
            .collect::<Vec<_>>()
            .join("\n");
        conn.execute("UPDATE letters_fts SET text = ?1", [&older])
            .unwrap();
        // Schema 2 had no incoming register either (schema 4 brought it), nor the index of
        // replies (schema 5), nor the mailbox's records (schema 6), nor signatures (7).
        conn.execute_batch(
            "DROP TABLE signatures; DELETE FROM settings WHERE key LIKE 'statement.%';
             DROP TABLE mail_seen; DROP TABLE mail_in; DROP TABLE sendings; DROP TABLE addresses;
             DROP TABLE receipt_steps; DROP TABLE received; DROP TABLE receipt_years;
             DROP INDEX letters_reply_to;",
        )
        .unwrap();
        conn.pragma_update(None, "user_version", 2).unwrap();
    }
    let reg = Register::open_with(&db, Access::Write).unwrap();
    let q = SearchQuery {
        text: Some("4471".into()),
        ..Default::default()
    };
    assert_eq!(reg.search(&q).unwrap().len(), 1);
    assert!(reg.verify_audit().unwrap().problems.is_empty());
}

/// A cancelled letter's stored PDF had no mark and could be saved and printed as if valid:
/// the copy handed out now carries a red ยกเลิก with the reason and date on every page,
/// while the register keeps the original bytes.
#[test]
fn a_cancelled_letter_is_handed_out_marked_and_kept_unchanged() {
    use sha2::Digest;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("register.sqlite");
    let mut office = office_on(&db);
    let letter = Letter::from_json(&common::issuable_json("p4g-invitation")).unwrap();
    let mut letter = letter;
    letter.number.as_mut().unwrap().running = None;
    let opts = IssueOptions {
        date: chrono::NaiveDate::from_ymd_opt(2026, 12, 5),
        any_date: true,
        ..Default::default()
    };
    let issued = office.issue(&letter, &opts).unwrap();
    let original = office.issued_pdf(issued.id).unwrap();
    assert_eq!(
        office.handed_out_pdf(issued.id).unwrap(),
        original,
        "not cancelled: as issued"
    );
    office.cancel(issued.id, "ส่งซ้ำกับหนังสือฉบับก่อน").unwrap();
    let marked = office.handed_out_pdf(issued.id).unwrap();
    let text = text_of(&marked, dir.path());
    let pages: Vec<&str> = text
        .split('\u{c}')
        .filter(|p| !p.trim().is_empty())
        .collect();
    assert!(!pages.is_empty());
    for (i, page) in pages.iter().enumerate() {
        assert!(page.contains("ยกเลิก"), "page {}: no mark\n{page}", i + 1);
        assert!(page.contains("ส่งซ้ำกับหนังสือฉบับก่อน"), "page {}", i + 1);
    }
    assert!(
        text.contains("P4G") || text.contains("P๔G"),
        "the letter is still there"
    );
    assert!(!text.contains("root"), "no login name: {text}");
    // The register's copy is byte for byte what was issued.
    let stored = office.issued_pdf(issued.id).unwrap();
    assert_eq!(stored, original);
    let sha: String = sha2::Sha256::digest(&stored)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(sha, issued.sha256);
    // The marked copy is a PDF poppler reads whole.
    let path = dir.path().join("marked.pdf");
    std::fs::write(&path, &marked).unwrap();
    let info = Command::new("pdfinfo").arg(&path).output().unwrap();
    assert!(
        info.status.success(),
        "{}",
        String::from_utf8_lossy(&info.stderr)
    );
}

/// Items styled ข้อ print their numbers: the regulation's order form numbers its items, so
/// an item typed without a number gets the next one; a number the clerk typed is kept.
#[test]
fn items_print_their_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let office = common::office_with_emblem();
    let order = Letter::from_json(
        &serde_json::json!({
            "kind": "order", "agency": {"name": "องค์การบริหารส่วนตำบลบางพลี"},
            "subject": "แต่งตั้งคณะกรรมการตรวจรับพัสดุ", "date": "2026-12-05",
            "body": [
                "เพื่อให้การตรวจรับพัสดุเป็นไปด้วยความเรียบร้อย จึงแต่งตั้งคณะกรรมการ ดังนี้",
                {"text": "นายสมชาย ใจดี ประธานกรรมการ", "style": "item"},
                {"text": "นางสาวสมศรี รักงาน กรรมการ", "style": "item"},
                {"text": "ข้อ ๓ นายสมปอง มั่นคง กรรมการและเลขานุการ", "style": "item"},
                "ทั้งนี้ ตั้งแต่บัดนี้เป็นต้นไป"
            ]
        })
        .to_string(),
    )
    .unwrap();
    let text = text_of(&office.render(&order).unwrap(), dir.path());
    assert!(text.contains("ข้อ ๑ นายสมชาย"), "{text}");
    assert!(text.contains("ข้อ ๒ นางสาวสมศรี"), "{text}");
    assert!(text.contains("ข้อ ๓ นายสมปอง"), "{text}");
    assert!(
        !text.contains("ข้อ ๓ ข้อ ๓") && !text.contains("ข้อ ๔"),
        "{text}"
    );
    // Elsewhere an item is numbered ๑.
    let mut external = common::letter("jclair-specialists");
    external.body.push(saraban::letter::BodyBlock::Styled(
        saraban::letter::StyledBlock {
            text: "ส่งแบบตอบรับภายในกำหนด".into(),
            style: saraban::letter::BlockStyle::Item,
        },
    ));
    let text = text_of(&office.render(&external).unwrap(), dir.path());
    assert!(text.contains("๑. ส่งแบบตอบรับ"), "{text}");
}

/// A keystroke in a five-page letter took seconds to reach the preview: the press now says
/// which pages a change touched, so the viewer redraws those alone. Typing at the end of the
/// last paragraph changes the last page only; a word in the subject changes the first page
/// only; a paragraph that pushes text onto the next page changes the pages after it. Pages
/// the screen shows already (their fingerprints) are not drawn again.
#[test]
fn the_preview_says_which_pages_a_keystroke_changed() {
    let office = common::office_with_emblem();
    let mut letter = common::letter("jclair-specialists");
    let body = letter.body.clone();
    let preview = |l: &saraban::Letter| office.preview(l, 1.0, &[]).unwrap().fingerprints();
    let mut before = preview(&letter);
    while before.len() < 5 {
        letter.body.extend(body.iter().cloned());
        before = preview(&letter);
    }
    let n = before.len();
    assert!(n >= 5, "a letter of five pages or more: {n}");
    assert_eq!(before, preview(&letter), "stable");
    let changed = |after: &[u64]| -> Vec<usize> {
        (0..after.len().max(n))
            .filter(|&i| before.get(i) != after.get(i))
            .map(|i| i + 1)
            .collect()
    };

    // A letter typed at the end of the last paragraph of the body.
    let mut typed = letter.clone();
    let last = typed.body.len() - 1;
    typed.body[last] = saraban::letter::BodyBlock::Text(format!("{}ก", typed.body[last].text()));
    let pages = changed(&preview(&typed));
    assert!(
        pages.iter().all(|&p| p >= n - 1) && !pages.is_empty(),
        "only the end changed: {pages:?} of {n}"
    );
    // What the screen shows is not drawn again: only the changed pages come as pictures.
    let drawn: Vec<usize> = office
        .preview(&typed, 1.0, &before)
        .unwrap()
        .pages
        .iter()
        .enumerate()
        .filter(|(_, p)| p.picture.is_some())
        .map(|(i, _)| i + 1)
        .collect();
    assert_eq!(drawn, pages, "the pages drawn are the pages changed");

    // A word in the subject: the first page.
    let mut typed = letter.clone();
    typed.subject.as_mut().unwrap().push_str(" ก");
    assert_eq!(changed(&preview(&typed)), vec![1]);

    // A new paragraph near the start pushes everything after it on.
    let mut typed = letter.clone();
    typed.body.insert(1, typed.body[0].clone());
    let pages = changed(&preview(&typed));
    assert!(pages.len() >= n - 1, "everything after it moved: {pages:?}");
}

/// What the register says to a clerk about an entry, a draft or a version names it in Thai
/// digits, as the tables do ("รายการ ๑", not "รายการ 1"), on both engines' messages.
#[test]
fn refusals_name_entries_and_drafts_in_thai_digits() {
    let dir = tempfile::tempdir().unwrap();
    let mut office = office_on(&dir.path().join("register.sqlite"));
    let letter = Letter::from_json(&common::issuable_json("jclair-specialists")).unwrap();
    let issued = office.issue(&letter, &IssueOptions::default()).unwrap();
    office.cancel(issued.id, "พิมพ์ผิด").unwrap();
    let draft = office.save_draft(None, &letter).unwrap();
    let refusals = [
        office.cancel(issued.id, "อีกครั้ง").unwrap_err(),
        office.draft_version(draft, 99).unwrap_err(),
        office
            .issue_draft(draft + 41, &IssueOptions::default())
            .unwrap_err(),
        Letter::from_json(r#"{"kind":"memo","date":"2569-02-30","body":["ก"]}"#)
            .and_then(|l| l.validated())
            .unwrap_err(),
    ];
    for err in refusals {
        let th = saraban::service::Failure::from(&err).message;
        // What the clerk typed is quoted as typed; everything else is Thai.
        let outside: String = th
            .split('“')
            .map(|s| s.split_once('”').map_or(s, |x| x.1))
            .collect();
        assert!(
            th.chars().any(|c| ('๐'..='๙').contains(&c)) || th.contains('“'),
            "{th}"
        );
        assert!(!outside.chars().any(|c| c.is_ascii_alphanumeric()), "{th}");
    }
}

/// `base` as a letter to import: running number `running`, dated 5 January 2026, with
/// `subject` when given; and a stand-in for its PDF.
fn imported(base: &Letter, running: i64, subject: Option<&str>) -> (Letter, Vec<u8>) {
    let mut l = base.clone();
    l.number.as_mut().unwrap().running = saraban::letter::RunningNumber::new(running);
    l.date = Some(saraban::letter::LetterDate {
        year: 2026,
        month: 1,
        day: Some(5),
    });
    if let Some(subject) = subject {
        l.subject = Some(subject.into());
    }
    (l, b"%PDF-1.7\n% imported\n".to_vec())
}

/// An imported register is handed over with its search index settled: no merge is left
/// for the next clerk's issue to finish in its turn while the clerks behind wait.
#[test]
fn an_imported_register_leaves_no_search_merge_to_the_next_issue() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.sqlite");
    let base = common::letter("jclair-specialists");
    let mut reg = Register::create(&db).unwrap();
    reg.import((1..=1500).map(|i| imported(&base, i, None)))
        .unwrap();
    drop(reg);
    let conn = rusqlite::Connection::open(&db).unwrap();
    let before = conn.total_changes();
    conn.execute(
        "INSERT INTO letters_fts (letters_fts, rank) VALUES ('merge', 500)",
        [],
    )
    .unwrap();
    assert!(
        conn.total_changes() - before < 2,
        "the import left merging to do: {} rows changed",
        conn.total_changes() - before
    );
}

/// A search by a word in most letters of a large register lists the newest thousand and
/// says there are more, counted no further (counting every match of a common word in a
/// million letters took over a second per keystroke); a narrower search and a search
/// without text are counted whole.
#[test]
fn a_search_that_finds_more_than_a_thousand_lists_the_newest_and_says_more() {
    use saraban::register::SearchQuery;
    use saraban::service::SEARCH_COUNT_CAP;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.sqlite");
    let base = common::letter("jclair-specialists");
    let n = SEARCH_COUNT_CAP + 5;
    let mut reg = Register::create(&db).unwrap();
    reg.import((1..=n).map(|i| imported(&base, i, (i == n).then_some("เรื่องเดียวที่ไม่ซ้ำใคร"))))
        .unwrap();
    drop(reg);
    let office = office_on(&db);
    let by = |text: Option<&str>| {
        office
            .search(&SearchQuery {
                text: text.map(String::from),
                limit: Some(100),
                ..Default::default()
            })
            .unwrap()
    };
    let common_word = by(Some("ผู้เชี่ยวชาญ"));
    assert_eq!(
        (common_word.total, common_word.more),
        (SEARCH_COUNT_CAP, true)
    );
    assert_eq!(common_word.hits.len(), 100);
    assert!(
        common_word
            .hits
            .windows(2)
            .all(|w| w[0].entry.id > w[1].entry.id),
        "newest first"
    );
    let one = by(Some("ไม่ซ้ำใคร"));
    assert_eq!((one.total, one.more), (1, false));
    let all = by(None);
    assert_eq!((all.total, all.more), (n, false), "no text: counted whole");
}

/// Search as you type narrows: on SQLite a longer text is looked for among the letters the
/// text typed before found, and it must find exactly what a fresh search finds — also when
/// a letter was issued between two keystrokes (by this clerk or another), when the text
/// before had other filters, and for Latin text.
#[test]
fn typing_a_phrase_finds_exactly_what_a_fresh_search_finds() {
    use saraban::register::{Hit, SearchQuery, Status};
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.sqlite");
    let base = common::letter("jclair-specialists");
    let letter = |i: i64, subject: &str| imported(&base, i, Some(subject));
    let mut reg = Register::create(&db).unwrap();
    reg.import(
        [
            "พื้นที่สีเขียวในเมือง",
            "พื้นที่สีแดง",
            "พื้นที่สีเขียวริมน้ำ",
            "โรงเรียน ÉCOLE verte",
            "พื้นที่สีเขียว ๒๕๖๙",
        ]
        .iter()
        .zip(1..)
        .map(|(s, i)| letter(i, s)),
    )
    .unwrap();
    let query = |t: &str, status: Option<Status>| SearchQuery {
        text: Some(t.into()),
        status,
        limit: Some(100),
        ..Default::default()
    };
    let ids = |hits: &[Hit]| hits.iter().map(|h| h.entry.id).collect::<Vec<_>>();
    let typed = |reg: &Register, t: &str, status: Option<Status>| {
        let q = query(t, status);
        let (hits, n) = reg.search_counted(&q, 1001).unwrap();
        let fresh = reg.search(&q).unwrap();
        assert_eq!(ids(&hits), ids(&fresh), "{t}");
        assert_eq!(n as usize, fresh.len(), "{t}");
        assert_eq!(
            hits.iter().map(|h| &h.snippet).collect::<Vec<_>>(),
            fresh.iter().map(|h| &h.snippet).collect::<Vec<_>>()
        );
        hits.len()
    };
    let found: Vec<usize> = ["พื้นที่", "พื้นที่สี", "พื้นที่สีเ", "พื้นที่สีเขียว", "พื้นที่สีเขียวใน"]
        .iter()
        .map(|t| typed(&reg, t, None))
        .collect();
    assert_eq!(found, [5, 4, 3, 3, 1], "พื้นที่ is in every letter's body too");
    // A letter issued by this clerk between two keystrokes.
    typed(&reg, "พื้นที่สี", None);
    reg.import([letter(6, "พื้นที่สีเขียวแห่งใหม่")]).unwrap();
    assert_eq!(typed(&reg, "พื้นที่สีเขียว", None), 4);
    // One issued by another clerk (another connection to the file).
    typed(&reg, "พื้นที่สี", None);
    let mut other = Register::open_with(&db, Access::Write).unwrap();
    other.import([letter(7, "พื้นที่สีเขียวของอีกคน")]).unwrap();
    drop(other);
    assert_eq!(typed(&reg, "พื้นที่สีเขียว", None), 5);
    // The text before looked among cancelled letters only.
    assert_eq!(typed(&reg, "พื้นที่สี", Some(Status::Cancelled)), 0);
    assert_eq!(typed(&reg, "พื้นที่สีเขียว", None), 5);
    // Latin letters (ASCII ones folded to lower case in the index and the query).
    assert_eq!(typed(&reg, "ÉCO", None), 1);
    assert_eq!(typed(&reg, "ÉCOLE V", None), 1);
    assert_eq!(typed(&reg, "ÉCOLE X", None), 0);
}

/// A text of one or two characters (no trigram index holds it) is looked for in the newest
/// entries only ([`saraban::register::SHORT_TEXT_WINDOW`]): a keystroke never reads a whole
/// register of a million letters. Three characters or more search the whole register.
#[test]
fn a_text_of_one_or_two_characters_is_looked_for_among_the_newest_entries() {
    use saraban::register::{SearchQuery, SHORT_TEXT_WINDOW};
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.sqlite");
    let base = common::letter("jclair-specialists");
    let dated = |running: i64, subject: &str| imported(&base, running, Some(subject));
    let mut reg = Register::create(&db).unwrap();
    reg.import([dated(1, "เรื่องเก่า ฯฯ")]).unwrap();
    drop(reg);
    // Many entries later (a draft row far on: the next entry's id follows it).
    let c = rusqlite::Connection::open(&db).unwrap();
    c.execute(
        "INSERT INTO letters (id, status, kind, title, created_at, updated_at, letter_json)
         SELECT ?1, 'draft', kind, title, created_at, updated_at, letter_json FROM letters WHERE id = 1",
        [1 + SHORT_TEXT_WINDOW + 5],
    )
    .unwrap();
    drop(c);
    let mut reg = Register::open_with(&db, Access::Write).unwrap();
    reg.import([dated(2, "เรื่องใหม่ ฯฯ")]).unwrap();
    let found = |t: &str| -> Vec<String> {
        reg.search(&SearchQuery {
            text: Some(t.into()),
            ..Default::default()
        })
        .unwrap()
        .into_iter()
        .map(|h| h.entry.subject)
        .collect()
    };
    assert_eq!(
        found("ฯฯ"),
        vec!["เรื่องใหม่ ฯฯ"],
        "two characters: the newest only"
    );
    assert_eq!(
        found("เรื่องเก่า"),
        vec!["เรื่องเก่า ฯฯ"],
        "three or more: the whole register"
    );
}
