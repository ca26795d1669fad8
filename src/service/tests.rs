//! Tests of the service API, and the TypeScript types the desktop app is built against.

use super::*;
use crate::letter::{Owner, Signer};

fn profile() -> OfficeProfile {
    OfficeProfile {
        agency: "กรมส่งเสริมการปกครองท้องถิ่น".into(),
        address: vec!["ถนนนครราชสีมา เขตดุสิต กรุงเทพฯ ๑๐๓๐๐".into()],
        units: vec![Unit {
            name: "กองพัฒนาและส่งเสริมการบริหารงานท้องถิ่น".into(),
            prefix: "มท ๐๘๑๐.๒".into(),
        }],
        owners: vec![Owner {
            department: Some("กองพัฒนาและส่งเสริมการบริหารงานท้องถิ่น".into()),
            phone: Some("๐ ๒๒๔๑ ๙๐๐๐".into()),
            ..Default::default()
        }],
        signers: vec![Signer {
            name: "นายสมชาย ใจดี".into(),
            positions: vec![],
            position: Some("อธิบดีกรมส่งเสริมการปกครองท้องถิ่น".into()),
            acting: None,
            for_position: None,
        }],
    }
}

/// A small SVG that stands in for the Garuda (the real one is each office's own file).
pub(crate) fn stand_in_emblem(dir: &Path) -> PathBuf {
    let p = dir.join("emblem.svg");
    std::fs::write(
        &p,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="100" height="110" viewBox="0 0 100 110"><path d="M50 0 L100 110 L0 110 Z" fill="black"/></svg>"#,
    )
    .unwrap();
    p
}

#[test]
fn an_office_keeps_its_profile_emblem_and_drafts_in_the_register() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("register.sqlite");
    let mut office = Office::open_with(&db, Access::Create, &OfficeSettings::default()).unwrap();
    assert!(
        !office.setup().unwrap().configured,
        "a new register asks for the profile"
    );
    office.save_profile(&profile()).unwrap();
    office.import_emblem(&stand_in_emblem(dir.path())).unwrap();
    let mut letter = office.new_letter(Kind::External).unwrap();
    letter.subject = Some("ขอเชิญประชุม COVID-19".into());
    letter.recipient = Some("ผู้ว่าราชการจังหวัดทุกจังหวัด".into());
    letter.body = vec![crate::letter::BodyBlock::Text(
        "ด้วยกรมส่งเสริมการปกครองท้องถิ่นขอเชิญประชุม".into(),
    )];
    let id = office.save_draft(None, &letter).unwrap();
    assert_eq!(office.save_draft(Some(id), &letter).unwrap(), id);
    assert_eq!(
        office.draft_versions(id).unwrap().len(),
        1,
        "an unchanged autosave keeps no version"
    );
    let copy = office.duplicate_draft(id).unwrap();
    assert_ne!(copy, id);
    assert_eq!(
        office.drafts("covid").unwrap().len(),
        2,
        "Latin case is folded"
    );
    drop(office);

    // Opened again: the profile, the emblem and the drafts are there.
    let mut office = Office::open_with(&db, Access::Create, &OfficeSettings::default()).unwrap();
    let setup = office.setup().unwrap();
    assert!(setup.configured);
    assert_eq!(setup.emblem.as_deref(), Some("emblem.svg"));
    assert!(
        office.typeset(&letter).unwrap().pages[0]
            .items
            .iter()
            .any(|(_, it)| matches!(it, crate::typeset::Item::Image { .. })),
        "the stored emblem is drawn"
    );
    let next = office.next_number(&letter, None).unwrap();
    assert_eq!(next.running, 1);
    let issued = office.issue_draft(id, &IssueOptions::default()).unwrap();
    assert_eq!(
        issued.number, next.number,
        "the confirmation showed the number given"
    );
    let page = office
        .search(&SearchQuery {
            text: Some("ขอเชิญประชุม".into()),
            ..Default::default()
        })
        .unwrap();
    assert_eq!((page.total, page.hits[0].entry.id), (1, id));
    let out = dir.path().join("register.xlsx");
    assert!(office.export_to(ExportFormat::Xlsx, None, &out).unwrap() > 0);
    let e = office.cancel(id, "พิมพ์ผิด").unwrap();
    assert_eq!(e.status, crate::register::Status::Cancelled);
    assert_eq!(office.verify_audit().unwrap().first_broken, None);
}

#[test]
fn a_bad_emblem_or_profile_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut office = Office::open_with(
        &dir.path().join("r.sqlite"),
        Access::Create,
        &OfficeSettings::default(),
    )
    .unwrap();
    let bad = dir.path().join("bad.png");
    std::fs::write(&bad, b"\x89PNG not really").unwrap();
    let e = office.import_emblem(&bad).unwrap_err();
    assert!(Failure::from(&e).message.contains("ตราครุฑ"));
    assert_eq!(office.setup().unwrap().emblem, None);
    let e = office.save_profile(&OfficeProfile::default()).unwrap_err();
    let f = Failure::from(&e);
    assert_eq!(f.problems[0].path, "agency");
    assert!(!office.setup().unwrap().configured);
}

#[test]
fn without_a_register_the_office_still_renders() {
    let office = Office::new(&OfficeSettings::default()).unwrap();
    let l = Letter::from_json(r#"{"kind":"memo","subject":"ทดสอบ","body":["ข้อความ"]}"#).unwrap();
    assert!(office.render(&l).unwrap().starts_with(b"%PDF"));
    let e = office.drafts("").unwrap_err();
    assert!(Failure::from(&e).message.contains("ทะเบียน"));
}

/// Every type that crosses the app's IPC, as TypeScript, in one file the UI imports.
/// `SARABAN_WRITE_BINDINGS=1 cargo test bindings` writes it; otherwise this test fails when
/// the committed file differs from the Rust types, so the two are never written twice.
#[test]
fn typescript_bindings_are_current() {
    use ts_rs::TS;
    let cfg = ts_rs::Config::default();
    let decls = [
        crate::letter::Letter::decl(&cfg),
        crate::letter::FormatVersion::decl(&cfg),
        crate::letter::Kind::decl(&cfg),
        crate::letter::Parts::decl(&cfg),
        crate::letter::Urgency::decl(&cfg),
        crate::letter::Secrecy::decl(&cfg),
        crate::letter::Number::decl(&cfg),
        crate::letter::RunningNumber::decl(&cfg),
        crate::letter::Agency::decl(&cfg),
        crate::letter::Distribution::decl(&cfg),
        crate::letter::Enclosure::decl(&cfg),
        crate::letter::BodyBlock::decl(&cfg),
        crate::letter::StyledBlock::decl(&cfg),
        crate::letter::BlockStyle::decl(&cfg),
        crate::letter::Signer::decl(&cfg),
        crate::letter::Acting::decl(&cfg),
        crate::letter::Initials::decl(&cfg),
        crate::letter::ReplyTo::decl(&cfg),
        crate::letter::Paper::decl(&cfg),
        crate::letter::Stamp::decl(&cfg),
        crate::letter::Owner::decl(&cfg),
        crate::letter::Qr::decl(&cfg),
        crate::letter::Digits::decl(&cfg),
        crate::letter::check::Level::decl(&cfg),
        crate::letter::check::Finding::decl(&cfg),
        crate::register::DraftInfo::decl(&cfg),
        crate::register::DraftVersion::decl(&cfg),
        crate::register::Entry::decl(&cfg),
        crate::register::Hit::decl(&cfg),
        crate::register::Issued::decl(&cfg),
        crate::register::AuditReport::decl(&cfg),
        crate::register::AuditProblem::decl(&cfg),
        crate::register::SearchQuery::decl(&cfg),
        crate::register::Status::decl(&cfg),
        Unit::decl(&cfg),
        OfficeProfile::decl(&cfg),
        OfficeSetup::decl(&cfg),
        PrintCopy::decl(&cfg),
        ExportFormat::decl(&cfg),
        SearchPage::decl(&cfg),
        NextNumber::decl(&cfg),
        BookProgress::decl(&cfg),
        Courtesy::decl(&cfg),
        KindChange::decl(&cfg),
        Failure::decl(&cfg),
        FieldProblem::decl(&cfg),
        // The incoming register (หนังสือรับ).
        crate::received::ReceivedFields::decl(&cfg),
        crate::received::ReadBy::decl(&cfg),
        crate::received::ReceivedKind::decl(&cfg),
        crate::received::RoutingStep::decl(&cfg),
        crate::register::Receipt::decl(&cfg),
        crate::register::ReceiptStatus::decl(&cfg),
        crate::register::ReceiptQuery::decl(&cfg),
        crate::register::Routed::decl(&cfg),
        crate::register::ReplyRef::decl(&cfg),
        saraban_receive::Spot::decl(&cfg),
        saraban_receive::Rect::decl(&cfg),
        saraban_receive::ReadingView::decl(&cfg),
        super::Received::decl(&cfg),
        super::Opened::decl(&cfg),
        // The saraban@ mailbox.
        super::mail::Mailbox::decl(&cfg),
        super::mail::Server::decl(&cfg),
        super::mail::Security::decl(&cfg),
        super::mail::MailboxSetup::decl(&cfg),
        super::mail::Recipient::decl(&cfg),
        super::mail::SendReport::decl(&cfg),
        super::mail::FetchReport::decl(&cfg),
        super::mail::MailReceived::decl(&cfg),
        crate::register::AddressEntry::decl(&cfg),
        crate::register::Sending::decl(&cfg),
        crate::register::SendingKind::decl(&cfg),
        crate::register::SendingStatus::decl(&cfg),
        crate::register::MailIn::decl(&cfg),
        crate::register::MailState::decl(&cfg),
        // Signatures.
        crate::register::Signature::decl(&cfg),
        crate::register::SignatureKind::decl(&cfg),
        super::sign::Signed::decl(&cfg),
        super::sign::SignatureView::decl(&cfg),
        super::sign::VerifyView::decl(&cfg),
    ];
    let mut text = String::from(
        "// Generated from the Rust types by `SARABAN_WRITE_BINDINGS=1 cargo test bindings`.\n// Do not edit: change the Rust type and generate again.\n\n",
    );
    for d in decls {
        text.push_str("export ");
        text.push_str(&d);
        text.push_str("\n\n");
    }
    // The names the UI shows, kept once in the core.
    use crate::letter::Kind;
    use crate::register::Status;
    let list = |items: Vec<String>| items.join(", ");
    let js = |s: &str| serde_json::to_string(s).unwrap();
    text.push_str(&format!(
        "/** The letter kinds, in the order the forms list them (Kind::ALL). */\nexport const KINDS: Kind[] = [{}];\n\n",
        list(Kind::ALL.iter().map(|k| js(k.name())).collect())
    ));
    text.push_str(&format!(
        "/** Thai names of the letter kinds (Kind::thai_name). */\nexport const KIND_NAMES: Record<Kind, string> = {{ {} }};\n\n",
        list(Kind::ALL.iter().map(|k| format!("{}: {}", k.name(), js(k.thai_name()))).collect())
    ));
    text.push_str(&format!(
        "/** What each kind of letter has (Kind::parts): the form shows these parts. */\nexport const KIND_PARTS: Record<Kind, Parts> = {{\n{}}};\n\n",
        Kind::ALL
            .iter()
            .map(|k| format!("  {}: {},\n", k.name(), serde_json::to_string(&k.parts()).unwrap()))
            .collect::<String>()
    ));
    text.push_str(&format!(
        "/** Thai names of a letter's standing in the register (Status::thai_name). */\nexport const STATUS_NAMES: Record<Status, string> = {{ {} }};\n\n",
        list(Status::ALL.iter().map(|s| format!("{}: {}", s.name(), js(s.thai_name()))).collect())
    ));
    text.push_str(&format!(
        "/** The Thai month names, January first (thai::date::MONTHS). */\nexport const MONTHS: string[] = [{}];\n\n",
        list(crate::thai::date::MONTHS.iter().map(|m| js(m)).collect())
    ));
    text.push_str(&format!(
        "/** A search text shorter than this (characters) is looked for among the newest entries only (register::SHORT_TEXT). */\nexport const SHORT_TEXT = {};\n\n/** How many of the newest entries (register::SHORT_TEXT_WINDOW). */\nexport const SHORT_TEXT_WINDOW = {};\n",
        crate::register::SHORT_TEXT,
        crate::register::SHORT_TEXT_WINDOW
    ));
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("ui/src/lib/bindings.ts");
    if std::env::var_os("SARABAN_WRITE_BINDINGS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &text).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == text,
        "ui/src/lib/bindings.ts is out of date: run SARABAN_WRITE_BINDINGS=1 cargo test bindings"
    );
}

/// Issue 18.1 (and 17.1's other side): every `Office` method that renders, numbers or
/// issues a letter refuses an invalid one with the same problems, whichever front end
/// hands it over; a draft keeps it.
#[test]
fn every_way_to_print_or_number_a_letter_refuses_the_same_invalid_letter() {
    let dir = tempfile::tempdir().unwrap();
    let mut office = Office::open_with(
        &dir.path().join("r.sqlite"),
        Access::Create,
        &OfficeSettings::default(),
    )
    .unwrap();
    // Built as data (as the app's IPC hands it over), not parsed: nothing checked it yet.
    let mut letter = office.new_letter(Kind::External).unwrap();
    letter.subject = Some("ก".repeat(crate::letter::MAX_SUBJECT_CHARS + 1));
    letter.paper = Some(crate::letter::Paper::A5);
    let expected = match letter.clone().validated() {
        Err(Error::Input(p)) => p,
        other => panic!("the letter should be invalid: {other:?}"),
    };
    let problems = |r: Result<()>| match r {
        Err(Error::Input(p)) => p,
        other => panic!("not refused: {other:?}"),
    };
    let out = dir.path().join("out.pdf");
    let opts = IssueOptions::default();
    let tries: Vec<(&str, Result<()>)> = vec![
        ("typeset", office.typeset(&letter).map(drop)),
        ("render", office.render(&letter).map(drop)),
        (
            "render_copy",
            office.render_copy(&letter, PrintCopy::FileCopy).map(drop),
        ),
        (
            "render_to",
            office
                .render_to(&letter, PrintCopy::Original, &out)
                .map(drop),
        ),
        ("next_number", office.next_number(&letter, None).map(drop)),
        ("issue", office.issue(&letter, &opts).map(drop)),
        ("issue_to", office.issue_to(&letter, &opts, &out).map(drop)),
    ];
    for (name, r) in tries {
        assert_eq!(problems(r), expected, "{name}");
    }
    let id = office.save_draft(None, &letter).unwrap();
    assert_eq!(
        problems(office.issue_draft(id, &opts).map(drop)),
        expected,
        "issue_draft"
    );
    assert!(!out.exists());
    assert_eq!(office.search(&SearchQuery::default()).unwrap().total, 0);
}

/// The names of kinds and statuses (in the register's rows, the CLI, the UI) are their
/// serde names: one spelling everywhere.
#[test]
fn kind_and_status_names_are_their_serde_names() {
    for k in crate::letter::Kind::ALL {
        assert_eq!(serde_json::to_value(k).unwrap(), k.name());
        assert_eq!(crate::letter::Kind::from_name(k.name()), Some(k));
    }
    for s in crate::register::Status::ALL {
        assert_eq!(serde_json::to_value(s).unwrap(), s.name());
        assert_eq!(crate::register::Status::from_name(s.name()), Some(s));
    }
}
