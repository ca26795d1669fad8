//! The shared register suite: the same scenario — drafts, issuing, cancelling, importing,
//! searching (Thai substrings, both digit forms, Latin case, filters, pages), finding by
//! number, settings, the audit chain — run on an SQLite file and on a real PostgreSQL
//! server started for the test; both must pass every check and give the same answers.
//! Then what only each engine's own defences can show: triggers refuse changes made
//! behind Saraban's back, verification finds what got past them, a database that cannot
//! index Thai is refused, a server that is away is said so in one line.

use crate::pg;

use saraban::register::{IssueOptions, Location, Register, SearchQuery, Status};
use saraban::{Letter, Office};

/// This process's folder for what a computer keeps of server registers (anchors, drafts
/// waiting), given to each register opened: no process-wide variable.
fn local() -> &'static std::path::Path {
    static DIR: std::sync::OnceLock<std::path::PathBuf> = std::sync::OnceLock::new();
    DIR.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("saraban-engines-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        dir
    })
}

fn letter(prefix: &str, circular: bool, subject: &str, body: &str) -> Letter {
    let v = serde_json::json!({
        "kind": "external", "circular": circular, "number": {"prefix": prefix},
        "agency": {"name": "กรมส่งเสริมการปกครองท้องถิ่น"},
        "subject": subject, "recipient": "ผู้ว่าราชการจังหวัด ทุกจังหวัด",
        "body": [body],
        "signer": {"name": "นายประยูร รัตนเสนีย์", "positions": ["อธิบดีกรมส่งเสริมการปกครองท้องถิ่น"]},
        "owner": {"department": "กองพัฒนาและส่งเสริมการบริหารงานท้องถิ่น", "phone": "๐ ๒๒๔๑ ๙๐๐๐"}
    });
    Letter::from_json(&v.to_string()).unwrap()
}

fn on(date: &str) -> IssueOptions {
    IssueOptions {
        date: Some(chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").unwrap()),
        any_date: true,
        ..Default::default()
    }
}

/// What the scenario saw, to compare engines.
#[derive(Debug, PartialEq)]
struct Seen {
    numbers: Vec<String>,
    searches: Vec<(String, Vec<String>, i64)>,
    entries: Vec<(String, i64, i64, String, String, String)>,
    found: Vec<String>,
    drafts: Vec<(String, i64)>,
    audit_entries: i64,
}

fn search(reg: &Register, q: SearchQuery) -> (Vec<String>, i64) {
    let hits = reg.search(&q).unwrap();
    let n = reg.search_count(&q).unwrap();
    // Counted up to a bound, on both engines: the count, or the bound when there are more.
    for upto in [0, 1, 2, n, n + 1] {
        assert_eq!(
            reg.search_count_upto(&q, upto).unwrap(),
            n.min(upto),
            "{q:?} up to {upto}"
        );
    }
    // The page and its count in one call (one pass over the index on SQLite): the same
    // page, and the count up to the bound, at every offset and bound, with any page size.
    for upto in [-1, 0, 1, 2, n, n + 1, n + 50] {
        for (offset, limit) in [(None, None), (Some(1), Some(2)), (Some(0), Some(1))] {
            let q = SearchQuery {
                offset,
                limit,
                ..q.clone()
            };
            let (page, counted) = reg.search_counted(&q, upto).unwrap();
            let numbers = |h: &[saraban::register::Hit]| {
                h.iter()
                    .map(|h| (h.entry.id, h.snippet.clone()))
                    .collect::<Vec<_>>()
            };
            assert_eq!(
                numbers(&page),
                numbers(&reg.search(&q).unwrap()),
                "{q:?} up to {upto}"
            );
            let full_page = page.len() == q.limit.unwrap_or(50);
            if upto < 0 || offset.unwrap_or(0) > 0 || full_page {
                let want = if upto < 0 { n } else { n.min(upto) };
                assert_eq!(counted, want, "{q:?} up to {upto}");
            } else {
                assert_eq!(counted, page.len() as i64, "{q:?} up to {upto}");
            }
        }
    }
    for h in &hits {
        if q.text.is_some() {
            assert!(
                h.snippet.contains('«'),
                "no snippet for {:?}: {h:?}",
                q.text
            );
        }
    }
    (hits.into_iter().map(|h| h.entry.number).collect(), n)
}

fn text(t: &str) -> SearchQuery {
    SearchQuery {
        text: Some(t.into()),
        ..Default::default()
    }
}

/// The scenario every engine must pass.
fn scenario(reg: &mut Register, office: &Office) -> Seen {
    let render = |l: &Letter| office.render(l);
    // Drafts: versions kept, an unchanged save keeps none.
    let mut d = letter("มท ๐๘๑๐.๒", true, "ร่างเรื่องการประชุม", "ขอเชิญประชุม");
    let draft = reg.save_draft(None, &d).unwrap();
    d.subject = Some("ร่างเรื่องการประชุมคณะทำงาน".into());
    assert_eq!(reg.save_draft(Some(draft), &d).unwrap(), draft);
    assert_eq!(reg.save_draft(Some(draft), &d).unwrap(), draft);
    assert_eq!(reg.draft_versions(draft).unwrap().len(), 2);
    let first = reg.draft_versions(draft).unwrap().last().unwrap().id;
    assert_eq!(
        reg.draft_version(draft, first).unwrap().subject.as_deref(),
        Some("ร่างเรื่องการประชุม")
    );
    let other = reg
        .save_draft(None, &letter("มท ๐๘๒๐.๓", false, "ร่างที่จะลบ", "ลบ"))
        .unwrap();
    reg.delete_draft(other).unwrap();
    assert!(reg.open_draft(other).is_err());

    // Issuing: one series per code (Thai and Arabic digits are one code), numbers 1, 2, 3…
    let mut numbers = Vec::new();
    let plan = [
        (
            "มท ๐๘๑๐.๒",
            true,
            "การป้องกันน้ำท่วมในเขตเทศบาล ปี ๒๕๖๔",
            "ขอความร่วมมือจังหวัดแจ้งองค์กรปกครองส่วนท้องถิ่น",
            "2021-03-01",
        ),
        (
            "มท 0810.2",
            true,
            "การประชุม P4G Seoul Summit",
            "รายละเอียดตามเว็บไซต์ https://2021p4g-seoulsummit.kr ร้อยละ 50_%",
            "2021-03-02",
        ),
        (
            "มท ๐๘๒๐.๓",
            false,
            "โครงการพื้นที่สีเขียว",
            // A real Cherokee letter: the server spells punctuation with those letters.
            "เพิ่มพื้นที่สีเขียวในชุมชน ๑๐๐ แห่ง \u{13A0}",
            "2021-03-03",
        ),
        (
            "มท ๐๘๑๐.๒",
            true,
            "ผู้เชี่ยวชาญ J.CLAIR",
            "คัดเลือกผู้เชี่ยวชาญด้านการปกครองท้องถิ่น",
            "2021-03-04",
        ),
    ];
    for (prefix, circular, subject, body, date) in plan {
        let i = reg
            .issue(&letter(prefix, circular, subject, body), &on(date), render)
            .unwrap();
        let pdf = reg.pdf(i.id).unwrap();
        assert!(pdf.starts_with(b"%PDF-"));
        assert_eq!(reg.entry(i.id).unwrap().sha256, i.sha256);
        assert_eq!(
            reg.issued_letter(i.id).unwrap().subject.as_deref(),
            Some(subject)
        );
        numbers.push(i.number);
    }
    let issued_draft = reg
        .issue(
            &reg.open_draft(draft).unwrap(),
            &IssueOptions {
                draft: Some(draft),
                ..on("2021-03-05")
            },
            render,
        )
        .unwrap();
    numbers.push(issued_draft.number.clone());
    assert!(
        reg.open_draft(draft).is_err(),
        "an issued draft is no draft"
    );
    assert!(reg.drafts().unwrap().is_empty());

    // The number the next letter would get, without taking it.
    let (next, running) = reg
        .next_number(
            &letter("มท ๐๘๑๐.๒", true, "x", "y"),
            chrono::NaiveDate::from_ymd_opt(2021, 4, 1).unwrap(),
        )
        .unwrap();
    assert_eq!(running, 5);
    numbers.push(next);

    // A historical import keeps its number; the same number again is refused.
    let mut old = letter("มท ๐๘๓๐", false, "หนังสือเก่าจากทะเบียนกระดาษ", "นำเข้า");
    old.number.as_mut().unwrap().running = saraban::letter::RunningNumber::new(77);
    old.date = Some(saraban::letter::LetterDate {
        year: 2020,
        month: 5,
        day: Some(1),
    });
    let keep = IssueOptions {
        keep_number: true,
        ..Default::default()
    };
    numbers.push(reg.issue(&old, &keep, render).unwrap().number);
    assert!(reg.issue(&old, &keep, render).is_err());
    assert_eq!(
        reg.import(vec![{
            let mut l = old.clone();
            l.number.as_mut().unwrap().running = saraban::letter::RunningNumber::new(78);
            (l, b"%PDF-1.7 imported".to_vec())
        }])
        .unwrap(),
        1
    );

    // Cancelling: with a reason, once.
    let to_cancel = reg.find(&numbers[2]).unwrap();
    assert!(reg.cancel(to_cancel, "  ").is_err());
    reg.cancel(to_cancel, "ออกเลขซ้ำซ้อนกับหนังสือฉบับอื่น").unwrap();
    assert!(reg.cancel(to_cancel, "อีกครั้ง").is_err());
    assert!(reg
        .entry(to_cancel)
        .unwrap()
        .note
        .starts_with("ยกเลิก: ออกเลขซ้ำซ้อน"));

    // Settings, audited.
    reg.set_settings(&[
        ("profile", Some(br#"{"name":"x"}"#)),
        ("emblem", Some(&[1, 2, 3])),
    ])
    .unwrap();
    reg.set_settings(&[("emblem", None)]).unwrap();
    assert_eq!(reg.setting("emblem").unwrap(), None);
    assert_eq!(reg.setting("profile").unwrap().unwrap(), br#"{"name":"x"}"#);

    // Search.
    let mut searches = Vec::new();
    let queries: Vec<(&str, SearchQuery)> = vec![
        ("thai substring", text("น้ำท่วม")),
        ("thai inside a word", text("เชี่ยวชา")),
        ("thai digits", text("๒๕๖๔")),
        ("arabic digits find thai", text("2564")),
        ("number, thai digits", text("มท ๐๘๑๐.๒/ว ๒")),
        ("latin case", text("p4g")),
        ("latin upper", text("J.CLAIR")),
        ("percent and underscore are text", text("50_%")),
        ("a lone percent is text", text("%")),
        ("a bang is not a cherokee letter", text("!")),
        ("a cherokee letter is not a bang", text("\u{13A0}")),
        ("short", text("สี")),
        ("url", text("seoulsummit.kr")),
        ("none", text("ไม่มีคำนี้แน่นอน")),
        (
            "cancelled only",
            SearchQuery {
                status: Some(saraban::register::Status::Cancelled),
                ..Default::default()
            },
        ),
        (
            "year and dates",
            SearchQuery {
                year_be: Some(2564),
                from: chrono::NaiveDate::from_ymd_opt(2021, 3, 2),
                to: chrono::NaiveDate::from_ymd_opt(2021, 3, 4),
                ..Default::default()
            },
        ),
        (
            "page two",
            SearchQuery {
                limit: Some(2),
                offset: Some(2),
                ..Default::default()
            },
        ),
        (
            "text and kind",
            SearchQuery {
                text: Some("ท้องถิ่น".into()),
                kind: Some(saraban::letter::Kind::External),
                ..Default::default()
            },
        ),
    ];
    for (name, q) in queries {
        let (found, n) = search(reg, q);
        searches.push((name.to_string(), found, n));
    }
    let get = |name: &str| searches.iter().find(|s| s.0 == name).unwrap().clone();
    assert_eq!(get("thai substring").1, vec![numbers[0].clone()]);
    assert_eq!(get("thai digits").1, get("arabic digits find thai").1);
    assert_eq!(get("latin case").1, vec![numbers[1].clone()]);
    assert!(get("a bang is not a cherokee letter").1.is_empty());
    assert_eq!(
        get("a cherokee letter is not a bang").1,
        vec![numbers[2].clone()]
    );
    assert_eq!(
        get("percent and underscore are text").1,
        vec![numbers[1].clone()]
    );
    assert_eq!(get("a lone percent is text").1, vec![numbers[1].clone()]);
    assert_eq!(get("none").2, 0);
    assert_eq!(get("cancelled only").1, vec![numbers[2].clone()]);
    assert_eq!(get("page two").1.len(), 2);
    assert_eq!(get("year and dates").2, 3);

    // Finding by number in either digit form.
    let mut found = Vec::new();
    for n in [&numbers[0], &numbers[1], &numbers[4]] {
        let id = reg.find(n).unwrap();
        let arabic = saraban::thai::to_arabic_digits(n);
        assert_eq!(reg.find(&arabic).unwrap(), id, "{arabic}");
        found.push(reg.entry(id).unwrap().number);
    }
    assert!(reg.find("มท 9999/ว 1").is_err());

    // A signature: its copy kept in order after the issued PDF, refused on a stale copy
    // (someone signed meanwhile) and on a cancelled letter.
    let all = reg.entries(None).unwrap();
    let issued = all.iter().find(|e| e.status == Status::Issued).unwrap();
    let base = reg.pdf(issued.id).unwrap();
    let mut copy = base.clone();
    copy.extend_from_slice(b"\n% signed\n");
    let new = |pdf: Vec<u8>, base_sha256: String| saraban::register::NewSignature {
        letter_id: issued.id,
        kind: saraban::register::SignatureKind::Pades,
        signer: "สมชาย ใจดี".into(),
        position: "ผู้อำนวยการ".into(),
        certificate: "Test CA #01".into(),
        level: "B-T".into(),
        timestamp: Some("2026-12-06T01:00:00+00:00".into()),
        pdf,
        base_sha256,
    };
    let s = reg
        .add_signature(&new(copy.clone(), issued.sha256.clone()))
        .unwrap();
    assert_eq!(
        (s.seq, s.level.as_str(), s.size),
        (1, "B-T", copy.len() as i64)
    );
    assert_eq!(reg.signed_pdf(s.id).unwrap(), copy);
    assert_eq!(
        reg.signature_by_sha(&s.pdf_sha256).unwrap().unwrap().id,
        s.id
    );
    assert!(reg
        .add_signature(&new(copy.clone(), issued.sha256.clone()))
        .is_err());
    assert_eq!(reg.signatures(issued.id).unwrap().len(), 1);
    assert_eq!(reg.issued_by_sha(&issued.sha256).unwrap(), Some(issued.id));
    if let Some(c) = all.iter().find(|e| e.status == Status::Cancelled) {
        let mut n = new(copy.clone(), c.sha256.clone());
        n.letter_id = c.id;
        assert!(reg.add_signature(&n).is_err());
    }

    // The register, in order; the audit chain intact.
    let entries: Vec<_> = reg
        .entries(None)
        .unwrap()
        .into_iter()
        .map(|e| {
            (
                e.number,
                e.running,
                e.year_be,
                e.status.name().to_string(),
                e.subject,
                e.date,
            )
        })
        .collect();
    assert_eq!(entries.len() as u64, reg.count_entries(None).unwrap());
    let mut streamed = 0;
    reg.for_each_entry(Some(2564), |_| {
        streamed += 1;
        Ok(())
    })
    .unwrap();
    assert_eq!(streamed as u64, reg.count_entries(Some(2564)).unwrap());
    let report = reg.verify_audit().unwrap();
    assert!(report.intact(), "{report:?}");
    Seen {
        numbers,
        searches,
        entries,
        found,
        drafts: reg
            .drafts()
            .unwrap()
            .into_iter()
            .map(|d| (d.title, d.versions))
            .collect(),
        audit_entries: report.entries,
    }
}

#[test]
fn both_engines_pass_the_same_suite_with_the_same_answers() {
    let office = Office::new(&Default::default()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut sqlite = Register::create(&dir.path().join("r.sqlite")).unwrap();
    let on_sqlite = scenario(&mut sqlite, &office);

    let cluster = pg::Cluster::start();
    let url = cluster.url("suite");
    let mut server = Register::open_at_in(
        &Location::Server(url.clone()),
        saraban::register::Access::Create,
        Some(local()),
    )
    .unwrap();
    let on_server = scenario(&mut server, &office);
    assert_eq!(on_sqlite, on_server);
    assert_eq!(on_server.audit_entries, 11);

    // The database was created so that pg_trgm indexes Thai, and the index is used.
    assert_eq!(
        cluster.psql(
            "suite",
            "SELECT datctype FROM pg_database WHERE datname = 'suite'"
        ),
        "C.UTF-8"
    );
    let plan = cluster.psql(
        "suite",
        "SET enable_seqscan = off; EXPLAIN SELECT id FROM letters WHERE search_text LIKE '%น้ำท่วม%'",
    );
    assert!(plan.contains("letters_search"), "{plan}");
    // Four characters or more are looked up by their grams, read back compressed with lz4.
    let plan = cluster.psql(
        "suite",
        "SET enable_seqscan = off; EXPLAIN SELECT id FROM letters WHERE search_grams LIKE '%一丁七%'",
    );
    assert!(plan.contains("letters_grams"), "{plan}");
    assert_eq!(
        cluster.psql(
            "suite",
            "SELECT string_agg(attname || ' ' || attcompression::text, ', ' ORDER BY attname) FROM pg_attribute
             WHERE attrelid = 'letters'::regclass AND attname IN ('search_text', 'search_grams')"
        ),
        "search_grams l, search_text l"
    );
}

/// One search and its answer: the text looked for, the numbers of the letters found and
/// how many there are in all.
type Answer = (Option<String>, (Vec<String>, i64));

/// A register of a few old letters behind more new ones than a server search reads one by
/// one (`trigram::PROBE`, 200), whose newest letters have ids 24 blocks of the server's
/// search index on (ids need not be dense: a register moved in, a sequence moved on). Every
/// way a server search can go — the newest letters, walking back from them, the newest
/// block of the block-keyed index, the next block, the rest of the register at once, the
/// plain index of four-character grams, the trigram index for three characters — must
/// give the SQLite file's answers.
fn behind_the_newest(cluster: &pg::Cluster, server: &str) -> Vec<Answer> {
    let dir = tempfile::tempdir().unwrap();
    let mut registers = [
        Register::create(&dir.path().join("r.sqlite")).unwrap(),
        Register::open_at_in(
            &Location::Server(server.to_string()),
            saraban::register::Access::Create,
            Some(local()),
        )
        .unwrap(),
    ];
    let old = [
        ("การป้องกันน้ำท่วมในเขตเทศบาล", "ไม่การประชุมใหญ่ แต่เป็นการหารือ"),
        ("แนวทางการจัดการน้ำท่วมขัง", "ขอความร่วมมือ มท ๐๘๑๐.๒/ว ๑๒๓๔"),
        ("ขอเชิญประชุมเชิงปฏิบัติการ", "ร่วมมือกันป้องกัน ประสานงานด่วน"),
    ];
    let dated = |mut l: Letter, running: usize, day: u32| {
        l.number.as_mut().unwrap().running = saraban::letter::RunningNumber::new(running as i64);
        l.date = Some(saraban::letter::LetterDate {
            year: 2024,
            month: 1 + day / 28,
            day: Some(1 + day % 28),
        });
        (l, b"%PDF-1.7 imported".to_vec())
    };
    let mut answers = Vec::new();
    for (i, reg) in registers.iter_mut().enumerate() {
        reg.import(
            old.iter()
                .enumerate()
                .map(|(i, (subject, body))| {
                    dated(letter("มท ๐๘๑๐.๒", false, subject, body), i + 1, 0)
                })
                .collect::<Vec<_>>(),
        )
        .unwrap();
        if i == 1 {
            // The new letters from the first id of block 24 (24 << 13) on.
            let db = server.split('/').nth(3).unwrap().split('?').next().unwrap();
            cluster.psql(db, "ALTER SEQUENCE letters_id_seq RESTART WITH 196608");
        }
        reg.import(
            (0..260)
                .map(|i| {
                    let subject = format!("แจ้งเวียนเพื่อทราบ ฉบับที่ {}", i + 1);
                    let body = if i % 40 == 0 {
                        "ขอความร่วมมือทุกจังหวัด"
                    } else if i < 60 && i % 10 == 5 {
                        "โปรดประสานงานด่วนที่สุด"
                    } else {
                        "จึงเรียนมาเพื่อทราบ"
                    };
                    dated(
                        letter("มท ๐๘๑๐.๒", false, &subject, body),
                        old.len() + i + 1,
                        1 + i as u32 / 10,
                    )
                })
                .collect::<Vec<_>>(),
        )
        .unwrap();
        let mut seen = Vec::new();
        for q in [
            text("น้ำท่วม"),
            text("ไม่การ"),
            text("๑๒๓๔"),
            text("ท่วม"),
            text("ท่ว"),
            text("ร่วมมือ"),
            text("เพื่อทราบ"),
            text("ไม่มีคำนี้แน่นอน"),
            SearchQuery {
                text: Some("เพื่อทราบ".into()),
                limit: Some(10),
                offset: Some(250),
                ..Default::default()
            },
            SearchQuery {
                text: Some("ประชุม".into()),
                year_be: Some(2567),
                ..Default::default()
            },
            text("ประสานงานด่วน"),
            SearchQuery {
                text: Some("ประสานงานด่วน".into()),
                limit: Some(3),
                ..Default::default()
            },
        ] {
            seen.push((q.text.clone(), search(reg, q)));
        }
        answers.push(seen);
    }
    assert_eq!(answers[0], answers[1]);
    answers.pop().unwrap()
}

/// The indexes of the grams a server register has.
fn grams_indexes(cluster: &pg::Cluster, db: &str) -> String {
    cluster.psql(
        db,
        "SELECT string_agg(indexname, ',' ORDER BY indexname) FROM pg_indexes
         WHERE tablename = 'letters' AND indexname LIKE 'letters_grams%'",
    )
}

#[test]
fn searches_that_reach_behind_the_newest_letters_answer_alike_on_both_engines() {
    let cluster = pg::Cluster::start();
    let found = behind_the_newest(&cluster, &cluster.url("behind"));
    assert_eq!(
        grams_indexes(&cluster, "behind"),
        "letters_grams_block",
        "the server has btree_gin: the grams are indexed by block"
    );
    let number = |running: i64| {
        format!(
            "มท ๐๘๑๐.๒/{}",
            saraban::thai::to_thai_digits(&running.to_string())
        )
    };
    let hits = |i: usize| found[i].1 .0.clone();
    assert_eq!(hits(0), vec![number(2), number(1)], "น้ำท่วม");
    assert_eq!(hits(1), vec![number(1)], "ไม่การ");
    assert_eq!(hits(2), vec![number(2)], "๑๒๓๔");
    assert_eq!(hits(4), vec![number(2), number(1)], "ท่ว");
    assert_eq!(found[5].1 .1, 9, "ร่วมมือ: 7 new letters and 2 old ones");
    assert_eq!(found[6].1 .1, 260);
    assert_eq!(hits(8).len(), 10);
    assert_eq!(hits(9), vec![number(3), number(1)], "ประชุม in 2567");
    // Six of the oldest new letters (behind the 200 read one by one, in block 24) and the
    // old one (in block 0, read with the rest of the register).
    let urgent: Vec<String> = [55, 45, 35, 25, 15, 5]
        .iter()
        .map(|i| number(3 + i + 1))
        .chain([number(3)])
        .collect();
    assert_eq!(hits(10), urgent, "ประสานงานด่วน");
    assert_eq!(
        hits(11),
        urgent[..3].to_vec(),
        "the newest three, from block 24 alone"
    );
}

/// An office server without `btree_gin` (only `pg_trgm` installed by its administrator,
/// the register's owner unable to add extensions): the register keeps the plain index,
/// finds the same, and `saraban init` says what to install.
#[test]
fn a_server_without_btree_gin_searches_alike_and_init_says_so() {
    let cluster = pg::Cluster::start();
    cluster.psql("postgres", "CREATE ROLE plain_owner LOGIN");
    cluster.psql(
        "postgres",
        "CREATE DATABASE plain ENCODING 'UTF8' LC_CTYPE 'C.UTF-8' TEMPLATE template0",
    );
    cluster.psql(
        "plain",
        "CREATE EXTENSION pg_trgm; GRANT CREATE ON SCHEMA public TO plain_owner",
    );
    let url = cluster.url("plain").replace("saraban@", "plain_owner@");
    behind_the_newest(&cluster, &url);
    assert_eq!(grams_indexes(&cluster, "plain"), "letters_grams");
    let reg = Register::open_at_in(
        &Location::Server(url.clone()),
        saraban::register::Access::Create,
        Some(local()),
    )
    .unwrap();
    let (th, en) = reg.setup_note().expect("init says what the server lacks");
    assert!(th.contains("btree_gin") && en.contains("btree_gin"), "{en}");
    drop(reg);
    // Once the administrator installs it, init builds the index.
    cluster.psql("plain", "CREATE EXTENSION btree_gin");
    drop(
        Register::open_at_in(
            &Location::Server(url),
            saraban::register::Access::Create,
            Some(local()),
        )
        .unwrap(),
    );
    assert_eq!(grams_indexes(&cluster, "plain"), "letters_grams_block");
}

/// The storage settings of the search indexes and their tables, as `name: options`.
fn pending_settings(cluster: &pg::Cluster, db: &str) -> String {
    cluster.psql(
        db,
        "SELECT string_agg(relname || ': ' || coalesce(array_to_string(reloptions, ', '), ''), E'\\n' ORDER BY relname)
         FROM pg_class WHERE relname IN ('letters', 'received', 'letters_search', 'letters_grams_block', 'received_search')",
    )
}

/// A search index merges its pending list into its tree once the list outgrows its limit,
/// inside the insert that crossed it: 60–70 ms within the series' queue, which every clerk
/// behind waited for (`register_pg` bench). The lists are now larger and autovacuum merges
/// them in the background soon after; a register of the schema before gets the same at its
/// upgrade.
#[test]
fn the_search_indexes_are_tidied_by_autovacuum_not_by_a_clerks_issue() {
    let cluster = pg::Cluster::start();
    let url = cluster.url("pending");
    let open = |access| {
        Register::open_at_in(&Location::Server(url.clone()), access, Some(local())).unwrap()
    };
    drop(open(saraban::register::Access::Create));
    let expected =
        "letters: autovacuum_vacuum_insert_threshold=200, autovacuum_vacuum_insert_scale_factor=0
letters_grams_block: gin_pending_list_limit=32768
letters_search: gin_pending_list_limit=32768
received: autovacuum_vacuum_insert_threshold=200, autovacuum_vacuum_insert_scale_factor=0
received_search: gin_pending_list_limit=32768";
    assert_eq!(
        pending_settings(&cluster, "pending"),
        expected,
        "a new register"
    );
    // A register made before: PostgreSQL's defaults, schema version 8.
    cluster.psql(
        "pending",
        "ALTER INDEX letters_search RESET (gin_pending_list_limit);
         ALTER INDEX letters_grams_block RESET (gin_pending_list_limit);
         ALTER INDEX received_search RESET (gin_pending_list_limit);
         ALTER TABLE letters RESET (autovacuum_vacuum_insert_threshold, autovacuum_vacuum_insert_scale_factor);
         ALTER TABLE received RESET (autovacuum_vacuum_insert_threshold, autovacuum_vacuum_insert_scale_factor);
         UPDATE saraban_register SET version = 8",
    );
    assert!(!pending_settings(&cluster, "pending").contains("32768"));
    drop(open(saraban::register::Access::Write));
    assert_eq!(pending_settings(&cluster, "pending"), expected, "upgraded");
}

#[test]
fn the_server_refuses_changes_behind_sarabans_back_and_verification_finds_the_rest() {
    let office = Office::new(&Default::default()).unwrap();
    let cluster = pg::Cluster::start();
    let db = "guard";
    let mut reg = Register::open_at_in(
        &Location::Server(cluster.url(db)),
        saraban::register::Access::Create,
        Some(local()),
    )
    .unwrap();
    let a = reg
        .issue(
            &letter("มท ๐๘๑๐.๒", true, "ฉบับหนึ่ง", "เนื้อความ"),
            &on("2021-03-01"),
            |l| office.render(l),
        )
        .unwrap();
    reg.issue(
        &letter("มท ๐๘๑๐.๒", true, "ฉบับสอง", "เนื้อความ"),
        &on("2021-03-02"),
        |l| office.render(l),
    )
    .unwrap();
    for sql in [
        format!("UPDATE letters SET title = 'แก้' WHERE id = {}", a.id),
        format!("UPDATE letters SET pdf = 'x' WHERE id = {}", a.id),
        format!("UPDATE letters SET status = 'draft' WHERE id = {}", a.id),
        format!("DELETE FROM letters WHERE id = {}", a.id),
        "UPDATE audit SET detail = 'x' WHERE id = 1".into(),
        "DELETE FROM audit".into(),
        "TRUNCATE audit".into(),
        "TRUNCATE letters CASCADE".into(),
    ] {
        let refused = cluster.psql_result(db, &sql);
        assert!(refused.is_err(), "{sql} was allowed");
    }
    // The UNIQUE constraint stands even if the counter is wound back by hand.
    cluster.psql(db, "UPDATE series SET last = 0");
    assert!(reg
        .issue(
            &letter("มท ๐๘๑๐.๒", true, "ฉบับสาม", "x"),
            &on("2021-03-03"),
            |l| office.render(l)
        )
        .is_err());
    cluster.psql(db, "UPDATE series SET last = 2");
    assert!(reg.verify_audit().unwrap().intact());

    // With the triggers dropped by an administrator, verification still finds the change.
    cluster.psql(
        db,
        &format!(
            "ALTER TABLE letters DISABLE TRIGGER USER; UPDATE letters SET pdf = 'changed' WHERE id = {}; ALTER TABLE letters ENABLE TRIGGER USER",
            a.id
        ),
    );
    let report = reg.verify_audit().unwrap();
    assert!(!report.intact());
    assert!(
        report.problems.iter().any(|p| p.letter == Some(a.id)),
        "{report:?}"
    );
    assert!(reg.pdf(a.id).is_err(), "a changed PDF is never served");
}

#[test]
fn a_database_that_cannot_index_thai_is_refused_and_an_absent_server_is_one_line() {
    let cluster = pg::Cluster::start();
    cluster.psql(
        "postgres",
        "CREATE DATABASE latin TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'",
    );
    let err = Register::open_at_in(
        &Location::Server(cluster.url("latin")),
        saraban::register::Access::Create,
        Some(local()),
    )
    .err()
    .expect("a database with ctype C is refused");
    let th = err.lines(saraban::Lang::Th).join("\n");
    assert!(th.contains("ภาษาไทย") && th.contains("C.UTF-8"), "{th}");

    // A missing database is not created unless asked (init).
    let err = Register::open_at_in(
        &Location::Server(cluster.url("nosuch")),
        saraban::register::Access::Write,
        Some(local()),
    )
    .err()
    .unwrap();
    assert!(err
        .lines(saraban::Lang::Th)
        .join("\n")
        .contains("saraban init"));

    // The server away: one line, in Thai, that says nothing was issued.
    let url = cluster.url("away");
    let mut reg = Register::open_at_in(
        &Location::Server(url.clone()),
        saraban::register::Access::Create,
        Some(local()),
    )
    .unwrap();
    reg.set_settings(&[("office-note", Some("สำนักงานของเรา".as_bytes()))])
        .unwrap();
    let before = letter("มท ๐๘๑๐.๒", true, "ร่างก่อนเซิร์ฟเวอร์ดับ", "ฉบับแรก");
    let d0 = reg.save_draft(None, &before).unwrap();
    cluster.stop();
    // A register this computer never reached cannot be opened while its server is away.
    let err = Register::open_at_in(
        &Location::Server(cluster.url("never")),
        saraban::register::Access::Write,
        Some(local()),
    )
    .err()
    .unwrap();
    let th = err.lines(saraban::Lang::Th).join("\n");
    assert!(
        th.contains("ติดต่อเซิร์ฟเวอร์ทะเบียน") && !th.contains('\n'),
        "{th}"
    );
    // One it knows opens at once: the office as last seen, everything else says the
    // server is away in one line, without waiting for it each time.
    let started = std::time::Instant::now();
    let known = Register::open_at_in(
        &Location::Server(url),
        saraban::register::Access::Write,
        Some(local()),
    )
    .expect("a known register opens while its server is away");
    assert_eq!(
        known.setting("office-note").unwrap().as_deref(),
        Some("สำนักงานของเรา".as_bytes())
    );
    let err = known.drafts().err().unwrap();
    let th = err.lines(saraban::Lang::Th).join("\n");
    assert!(
        th.contains("ติดต่อเซิร์ฟเวอร์ทะเบียน") && !th.contains('\n'),
        "{th}"
    );
    assert!(known.search(&text("ร่าง")).is_err());
    assert!(
        started.elapsed() < std::time::Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    assert!(reg.drafts().is_err());
    // A draft typed meanwhile waits on this computer, and goes up on the next connection.
    // A new one gets a provisional id, under which its later saves wait too; it opens
    // from here.
    let first = letter("มท ๐๘๑๐.๒", true, "ร่างที่พิมพ์ตอนเซิร์ฟเวอร์ดับ", "ไม่มีอะไร");
    let p = reg.save_draft(None, &first).expect("kept on this computer");
    assert!(p < 0, "{p}");
    let typed = letter(
        "มท ๐๘๑๐.๒",
        true,
        "ร่างที่พิมพ์ตอนเซิร์ฟเวอร์ดับ (แก้)",
        "ไม่มีอะไรหายไป",
    );
    assert_eq!(reg.save_draft(Some(p), &typed).unwrap(), p);
    assert_eq!(reg.open_draft(p).unwrap(), typed);
    // A draft of the server is kept here too, and says so.
    let edited = letter("มท ๐๘๑๐.๒", true, "ร่างก่อนเซิร์ฟเวอร์ดับ", "ฉบับแรก แก้ตอนดับ");
    let err = reg.save_draft(Some(d0), &edited).unwrap_err();
    let th = err.lines(saraban::Lang::Th).join("\n");
    assert!(th.contains("เก็บร่างไว้ในเครื่องนี้"), "{th}");
    // An issue begun while the server is away waits for it, and takes the next number.
    let back = std::thread::spawn({
        let cluster_dir = cluster.socket_dir().to_path_buf();
        move || {
            std::thread::sleep(std::time::Duration::from_secs(7));
            cluster_dir
        }
    });
    let started = std::time::Instant::now();
    let issuing = std::thread::scope(|s| {
        let waiter = s.spawn(|| {
            let office = Office::new(&Default::default()).unwrap();
            reg.issue(
                &letter("มท ๐๘๑๐.๒", true, "ออกเลขระหว่างเซิร์ฟเวอร์ดับ", "รอ"),
                &on("2021-03-01"),
                |l| office.render(l),
            )
        });
        back.join().unwrap();
        cluster.start_again();
        waiter.join().unwrap()
    });
    let issued = issuing.expect("the issue waited for the server");
    assert_eq!(issued.running, 1);
    assert!(started.elapsed() >= std::time::Duration::from_secs(7));
    let drafts = reg.drafts().unwrap();
    assert_eq!(
        drafts.len(),
        2,
        "the register reconnects by itself and sends the drafts, the new one once"
    );
    assert_eq!(reg.open_draft(d0).unwrap(), edited);
    let sent = drafts.iter().find(|d| d.id != d0).unwrap();
    assert_eq!(reg.open_draft(sent.id).unwrap(), typed);
    assert_eq!(sent.versions, 2);
    // The clerk's next save under the provisional id goes to the draft it became.
    let later = letter(
        "มท ๐๘๑๐.๒",
        true,
        "ร่างที่พิมพ์ตอนเซิร์ฟเวอร์ดับ (แก้อีก)",
        "ไม่มีอะไรหายไป",
    );
    assert_eq!(reg.save_draft(Some(p), &later).unwrap(), sent.id);
    assert_eq!(reg.drafts().unwrap().len(), 2);
    // The register opened while away checks on its first connection that the server still
    // holds it, then works as any other.
    assert_eq!(known.drafts().unwrap().len(), 2);
    assert_eq!(known.count_entries(None).unwrap(), 1);
}

#[test]
fn the_server_register_works_on_the_blocking_threads_the_app_runs_office_work_on() {
    // The app's commands run on Tauri's multi-threaded tokio runtime and hand every office
    // call to its blocking threads (spawn_blocking); the client library runs a runtime of
    // its own, which is started, blocked on and dropped there without a panic.
    let cluster = pg::Cluster::start();
    let url = cluster.url("async");
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let issued = rt.block_on(async move {
        let on_worker = tokio::task::spawn_blocking(move || {
            let office = Office::new(&Default::default()).unwrap();
            let mut reg = Register::open_at_in(
                &Location::Server(url),
                saraban::register::Access::Create,
                Some(local()),
            )
            .unwrap();
            let d = reg
                .save_draft(None, &letter("มท ๐๘๑๐.๒", true, "ร่างจากแอป", "ข้อความ"))
                .unwrap();
            let issued = reg
                .issue(
                    &reg.open_draft(d).unwrap(),
                    &IssueOptions {
                        draft: Some(d),
                        ..on("2021-03-01")
                    },
                    |l| office.render(l),
                )
                .unwrap();
            assert_eq!(reg.search(&text("จากแอป")).unwrap().len(), 1);
            drop(reg);
            issued
        });
        on_worker.await.unwrap()
    });
    assert_eq!(issued.running, 1);
}

#[test]
fn the_server_register_is_encrypted_as_libpq_would_and_checks_certificates_when_asked() {
    let cluster = pg::Cluster::start_tls();
    let encrypted = |db: &str| {
        cluster.psql(
            db,
            "SELECT coalesce(bool_and(s.ssl), false) FROM pg_stat_ssl s JOIN pg_stat_activity a USING (pid) WHERE a.application_name = 'saraban'",
        )
    };
    let open = |url: String| {
        Register::open_at_in(
            &Location::Server(url),
            saraban::register::Access::Create,
            Some(local()),
        )
    };
    // The default (prefer), as psql: encrypted, the certificate not checked (an office's
    // server with Debian's self-signed certificate is reached).
    let reg = open(cluster.tcp_url("tls", "127.0.0.1", "")).unwrap();
    assert_eq!(encrypted("tls"), "t");
    drop(reg);
    // verify-full with the office's certificate authority: checked, and it passes.
    let ca = cluster.ca().display().to_string();
    let reg = open(cluster.tcp_url(
        "tls",
        "localhost",
        &format!("?sslmode=verify-full&sslrootcert={ca}"),
    ))
    .unwrap();
    assert_eq!(encrypted("tls"), "t");
    drop(reg);
    // A certificate another authority did not sign is refused, and said so (not "away").
    let other = cluster.other_ca().display().to_string();
    let err = open(cluster.tcp_url(
        "tls",
        "localhost",
        &format!("?sslmode=verify-ca&sslrootcert={other}"),
    ))
    .err()
    .expect("a certificate from an unknown authority is refused");
    let th = err.lines(saraban::Lang::Th).join("\n");
    assert!(
        th.contains("TLS") && !th.contains("ติดต่อเซิร์ฟเวอร์ทะเบียน"),
        "{th}"
    );
    // disable: in the clear.
    let reg = open(cluster.tcp_url("tls", "127.0.0.1", "?sslmode=disable")).unwrap();
    assert_eq!(encrypted("tls"), "f");
    drop(reg);
    // A missing root file is named.
    let err = open(cluster.tcp_url(
        "tls",
        "localhost",
        "?sslmode=verify-full&sslrootcert=/nonexistent/ca.pem",
    ))
    .err()
    .unwrap();
    assert!(err
        .lines(saraban::Lang::Th)
        .join("\n")
        .contains("/nonexistent/ca.pem"));
}
