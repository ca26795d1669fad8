//! Receiving letters end to end, through the `saraban` command a clerk or a script runs:
//! a letter Saraban issued (its fields exact), another program's PDF, a scan as an image
//! and as a PDF, an e-mail; the receipt stamp where the page has room, never over its
//! text (checked on the rendered pages), the stamped copy still searchable; bad files
//! refused with a clear message and nothing registered; routing, the book, the export
//! and the search of both registers.

use crate::common;

use std::path::Path;
use std::process::Command;

fn run(d: &Path, args: &[&str]) -> std::process::Output {
    run_on(d, "r.sqlite", args)
}

fn run_on(d: &Path, db: &str, args: &[&str]) -> std::process::Output {
    let mut all = vec!["--db", db];
    all.extend_from_slice(args);
    common::saraban(&all, d)
}

fn ok(d: &Path, args: &[&str]) -> String {
    ok_on(d, "r.sqlite", args)
}

fn ok_on(d: &Path, db: &str, args: &[&str]) -> String {
    let o = run_on(d, db, args);
    assert!(o.status.success(), "{args:?}: {}", common::stderr(&o));
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn json(line: &str) -> serde_json::Value {
    serde_json::from_str(line.trim()).unwrap_or_else(|e| panic!("{e}: {line}"))
}

/// A register `db` with a letter issued into it; returns the issued PDF's path.
fn issued_letter(d: &Path, db: &str) -> std::path::PathBuf {
    ok_on(d, db, &["init"]);
    let letter = d.join("out.json");
    std::fs::write(&letter, common::issuable_json("jclair-specialists")).unwrap();
    ok_on(
        d,
        db,
        &[
            "issue",
            letter.to_str().unwrap(),
            "--date",
            "2026-11-30",
            "-o",
            "issued.pdf",
        ],
    );
    d.join("issued.pdf")
}

/// The first page rendered at 72 dpi (one pixel a point), grey.
fn render(pdf: &Path) -> image::GrayImage {
    let out = pdf.with_extension("render");
    let o = Command::new("pdftoppm")
        .args([
            "-r",
            "72",
            "-f",
            "1",
            "-l",
            "1",
            "-gray",
            "-png",
            "-singlefile",
        ])
        .arg(pdf)
        .arg(&out)
        .output()
        .unwrap();
    assert!(o.status.success());
    image::open(format!("{}.png", out.display()))
        .unwrap()
        .to_luma8()
}

/// Where two renders of a page differ: the stamp's ink, as a box in points.
fn changed_box(a: &image::GrayImage, b: &image::GrayImage) -> Option<[f32; 4]> {
    let mut bx: Option<[f32; 4]> = None;
    for (x, y, p) in b.enumerate_pixels() {
        let q = a.get_pixel(x.min(a.width() - 1), y.min(a.height() - 1));
        if (i16::from(p.0[0]) - i16::from(q.0[0])).abs() > 40 {
            let (x, y) = (x as f32, y as f32);
            bx = Some(match bx {
                None => [x, y, x + 1.0, y + 1.0],
                Some(r) => [
                    r[0].min(x),
                    r[1].min(y),
                    r[2].max(x + 1.0),
                    r[3].max(y + 1.0),
                ],
            });
        }
    }
    bx
}

fn overlaps(a: &[f32; 4], b: &[f32; 4]) -> bool {
    a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3]
}

/// Receives `file`, checks the stamp is on its first page clear of its text and the
/// stamped copy is still searchable; returns the receipt's JSON.
fn receive_and_check_stamp(d: &Path, file: &str, at: &str) -> serde_json::Value {
    let stamped = format!("{file}.stamped.pdf");
    let r = json(&ok(
        d,
        &["receive", file, "--at", at, "--json", "-o", &stamped],
    ));
    assert_eq!(r["stamp_in_front"], false, "{r}");
    let stamped = d.join(&stamped);
    let original = d.join(file);
    let original_pdf = if file.ends_with(".pdf") {
        original.clone()
    } else {
        // An image is kept as the PDF made of it: the stamped copy's page without its stamp
        // is that PDF; compare with the copy of the same receipt's page 1 instead.
        stamped.clone()
    };
    let before = render(&original_pdf);
    let after = render(&stamped);
    if original_pdf != stamped {
        let ink = changed_box(&before, &after).expect("the stamp is on the first page");
        // 5 × 2.5 cm, at the top right.
        let (w, h) = (ink[2] - ink[0], ink[3] - ink[1]);
        assert!((w - 141.7).abs() < 4.0 && (h - 70.9).abs() < 4.0, "{ink:?}");
        assert!(
            ink[0] > before.width() as f32 / 2.0 && ink[1] < before.height() as f32 / 3.0,
            "{ink:?}"
        );
        for (word, b) in common::word_boxes(&original_pdf, 1) {
            assert!(
                !overlaps(&ink, &b),
                "the stamp {ink:?} covers “{word}” {b:?}"
            );
        }
    }
    // Still text where the original had text, with the stamp's own words added.
    let text = Command::new("pdftotext")
        .arg(&stamped)
        .arg("-")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.contains("เลขรับ") && text.contains("เวลา"), "{text}");
    if file.ends_with(".pdf") && r["read_by"] != "ocr" {
        let subject = r["subject"].as_str().unwrap();
        let first_words: String = subject.chars().take(12).collect();
        assert!(text.contains(&first_words), "{first_words} in {text}");
    }
    r
}

#[test]
fn a_letter_saraban_issued_is_received_exactly_and_stamped_clear_of_its_text() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let pdf = issued_letter(d, "sender.sqlite");
    // Another office receives it: a register of its own.
    std::fs::copy(&pdf, d.join("arrived.pdf")).unwrap();
    ok(d, &["init"]);
    let r = receive_and_check_stamp(d, "arrived.pdf", "2026-12-02 09:15");
    assert_eq!(r["read_by"], "letter_data");
    assert_eq!(r["receipt_number"], 1);
    assert_eq!(r["number"], "มท ๐๘๑๐.๒/ว ๑");
    assert_eq!(r["date"], "2026-11-30");
    assert_eq!(r["from"], "กรมส่งเสริมการปกครองท้องถิ่น");
    assert_eq!(r["to"], "ผู้ว่าราชการจังหวัด ทุกจังหวัด");
    assert!(r["subject"]
        .as_str()
        .unwrap()
        .starts_with("โครงการความร่วมมือระหว่างประเทศ"));
    assert_eq!(r["received_at"], "2026-12-02T09:15:00+07:00");
    let sha = {
        use sha2::Digest;
        let bytes = std::fs::read(d.join("arrived.pdf")).unwrap();
        sha2::Sha256::digest(&bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    };
    assert_eq!(r["sha256"], sha);
    // The original is kept byte for byte.
    ok(d, &["incoming", "show", "1/2569", "--original", "kept.pdf"]);
    assert_eq!(
        std::fs::read(d.join("kept.pdf")).unwrap(),
        std::fs::read(d.join("arrived.pdf")).unwrap()
    );

    // The same file again: said so, with the earlier receipt; nothing registered.
    let o = run(d, &["--lang", "th", "receive", "arrived.pdf"]);
    assert_eq!(o.status.code(), Some(1));
    let said = common::stderr(&o);
    assert!(said.contains("ลงรับไปแล้ว เลขรับ ๑/๒๕๖๙"), "{said}");
    let again = json(&ok(
        d,
        &[
            "receive",
            "arrived.pdf",
            "--again",
            "--json",
            "--at",
            "2026-12-02 10:00",
        ],
    ));
    assert_eq!(again["receipt_number"], 2);

    // Routing, cancelling, the book, the export, the search of both registers.
    ok(
        d,
        &[
            "route",
            "๑/๒๕๖๙",
            "--summary",
            "กรมแจ้งโครงการ",
            "--proposal",
            "เห็นควรแจ้งกองคลัง",
            "--order",
            "ทราบ ดำเนินการ",
            "--by",
            "ปลัด",
            "--date",
            "2026-12-03",
            "--hand-over",
            "กองคลัง",
        ],
    );
    let shown = json(&ok(d, &["incoming", "show", "1/2569", "--json"]));
    assert_eq!(shown["routing"].as_array().unwrap().len(), 3);
    // The routing sheet (ใบเกษียน) carries the receipt and each step, in order, with who
    // gave the order and when, as printed.
    ok(d, &["incoming", "sheet", "1/2569", "-o", "sheet.pdf"]);
    let sheet = Command::new("pdftotext")
        .arg("-layout")
        .arg(d.join("sheet.pdf"))
        .arg("-")
        .output()
        .unwrap();
    // Rows as the page shows them, the gaps of the layout one space.
    let sheet = String::from_utf8_lossy(&sheet.stdout)
        .lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect::<Vec<_>>()
        .join("\n");
    let at = |what: &str| {
        sheet
            .find(what)
            .unwrap_or_else(|| panic!("{what} on the sheet: {sheet}"))
    };
    assert!(at("ใบเกษียนหนังสือ") < at("เลขรับ ๑/๒๕๖๙"));
    assert!(at("สรุปเรื่อง กรมแจ้งโครงการ") < at("ข้อเสนอ เห็นควรแจ้งกองคลัง"));
    assert!(at("ข้อเสนอ เห็นควรแจ้งกองคลัง") < at("ทราบ ดำเนินการ"));
    assert!(at("ทราบ ดำเนินการ") < at("(ปลัด) ๓ ธ.ค. ๒๕๖๙"));
    assert!(at("(ปลัด) ๓ ธ.ค. ๒๕๖๙") < at("ส่ง กองคลัง"));
    ok(d, &["incoming", "cancel", "2/2569", "--reason", "ลงรับซ้ำ"]);
    ok(
        d,
        &["incoming", "book", "--year", "2569", "-o", "in-book.pdf"],
    );
    let book = Command::new("pdftotext")
        .arg(d.join("in-book.pdf"))
        .arg("-")
        .output()
        .unwrap();
    let book = String::from_utf8_lossy(&book.stdout);
    assert!(book.contains("ทะเบียนหนังสือรับ พ.ศ. ๒๕๖๙"), "{book}");
    for cell in [
        "๑/๒๕๖๙",
        "๒/๒๕๖๙",
        "มท ๐๘๑๐.๒/ว ๑",
        "กองคลัง",
        "ยกเลิก: ลงรับ",
        "(ปลัด)",
    ] {
        assert!(book.contains(cell), "{cell} in {book}");
    }
    ok(
        d,
        &["incoming", "export", "--format", "csv", "-o", "in.csv"],
    );
    let csv = std::fs::read_to_string(d.join("in.csv")).unwrap();
    assert!(
        csv.contains("เลขทะเบียนรับ") && csv.contains("๑/๒๕๖๙"),
        "{csv}"
    );
    let found = ok(
        d,
        &["search", "ความร่วมมือ", "--register", "incoming", "--json"],
    );
    assert_eq!(found.lines().count(), 2, "{found}");
    assert!(found.lines().all(|l| json(l)["register"] == "incoming"));
    // A reply: drafted from the receipt, issued, linked both ways.
    let draft = ok(d, &["reply", "1/2569"]);
    let mut reply = json(&draft);
    assert_eq!(
        reply["reply_to"],
        serde_json::json!({"receipt_number": 1, "year_be": 2569})
    );
    assert_eq!(reply["recipient"], "กรมส่งเสริมการปกครองท้องถิ่น");
    let reference = reply["references"][0].as_str().unwrap().to_string();
    assert!(
        reference
            .starts_with("หนังสือกรมส่งเสริมการปกครองท้องถิ่น ที่ มท ๐๘๑๐.๒/ว ๑ ลงวันที่ ๓๐ พฤศจิกายน ๒๕๖๙"),
        "{reference}"
    );
    reply["number"] = serde_json::json!({"prefix": "ลป ๐๐๒๓.๓"});
    reply["agency"] = serde_json::json!({"name": "องค์การบริหารส่วนจังหวัดลำปาง", "address": ["ถนนพหลโยธิน ลำปาง ๕๒๐๐๐"]});
    reply["body"] = serde_json::json!([
        "ตามที่กรมแจ้งโครงการ องค์การบริหารส่วนจังหวัดขอส่งคำขอเข้าร่วมโครงการ",
        "จึงเรียนมาเพื่อโปรดทราบ"
    ]);
    reply["signer"] =
        serde_json::json!({"name": "นายก ข", "positions": ["นายกองค์การบริหารส่วนจังหวัดลำปาง"]});
    std::fs::write(d.join("reply.json"), reply.to_string()).unwrap();
    let issued = json(&ok(
        d,
        &["issue", "reply.json", "--date", "2026-12-04", "--json"],
    ));
    let shown = json(&ok(d, &["incoming", "show", "1/2569", "--json"]));
    assert_eq!(shown["replies"][0]["number"], issued["number"], "{shown}");
    let outgoing = json(&ok(d, &["show", &issued["id"].to_string(), "--json"]));
    assert_eq!(outgoing["answers"], "1/2569");
    ok(
        d,
        &["incoming", "book", "--year", "2569", "-o", "in-book2.pdf"],
    );
    let book = Command::new("pdftotext")
        .arg(d.join("in-book2.pdf"))
        .arg("-")
        .output()
        .unwrap();
    let book = String::from_utf8_lossy(&book.stdout).into_owned();
    assert!(
        book.contains("ตอบ") && book.contains("ลป ๐๐๒๓.๓/๑"),
        "{book}"
    );
    // A reply to a receipt this register does not have is refused.
    reply["reply_to"] = serde_json::json!({"receipt_number": 99, "year_be": 2569});
    std::fs::write(d.join("stray.json"), reply.to_string()).unwrap();
    let o = run(d, &["--lang", "th", "issue", "stray.json"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        common::stderr(&o).contains("ไม่มีในทะเบียนหนังสือรับ"),
        "{}",
        common::stderr(&o)
    );

    // Searching both registers: the sender's finds the letter as outgoing; this one's
    // finds the two receipts and its own reply.
    let all = ok_on(
        d,
        "sender.sqlite",
        &["search", "ความร่วมมือ", "--register", "all", "--json"],
    );
    assert!(
        all.lines().all(|l| json(l)["register"] == "outgoing"),
        "{all}"
    );
    assert_eq!(all.lines().count(), 1, "{all}");
    let all = ok(d, &["search", "ความร่วมมือ", "--register", "all", "--json"]);
    let registers: Vec<String> = all
        .lines()
        .map(|l| json(l)["register"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(registers, ["incoming", "incoming", "outgoing"], "{all}");
}

#[test]
fn other_programs_letters_scans_and_mail_are_received() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    ok(d, &["init"]);
    let set = crate::reading::foreign();
    for f in ["jclair-2.pdf", "memo-3.pdf", "p4g-1.scan.png"] {
        std::fs::copy(set.join(f), d.join(f)).unwrap();
    }
    let r = receive_and_check_stamp(d, "jclair-2.pdf", "2026-12-02 09:00");
    assert_eq!(r["read_by"], "text");
    assert_eq!(r["number"], "มท ๐๘๑๐.๒/ว ๔๕๖๗");
    assert_eq!(r["urgency"], "urgent");
    let r = receive_and_check_stamp(d, "memo-3.pdf", "2026-12-02 09:05");
    assert_eq!(r["date"], "2026-07-14");
    let r = receive_and_check_stamp(d, "p4g-1.scan.png", "2026-12-02 09:10");
    assert_eq!(r["read_by"], "ocr");
    assert_eq!(r["kind"], "image");
    assert_eq!(r["receipt_number"], 3);

    // A scan as a PDF of an image: read by OCR too.
    let scan = image::open(d.join("p4g-1.scan.png")).unwrap().to_luma8();
    std::fs::write(
        d.join("scanned.pdf"),
        saraban::pdf::scan::image_pdf(&scan, 200.0).unwrap(),
    )
    .unwrap();
    let r = json(&ok(
        d,
        &[
            "receive",
            "scanned.pdf",
            "--json",
            "--subject",
            "ขอเชิญรับชมการประชุม P4G",
        ],
    ));
    assert_eq!(r["kind"], "scanned_pdf");
    assert_eq!(r["subject"], "ขอเชิญรับชมการประชุม P4G");

    // An e-mail: each PDF attached is a letter.
    let pdf = std::fs::read(d.join("jclair-2.pdf")).unwrap();
    let mut eml = String::from(
        "From: saraban@dla.go.th\r\nTo: saraban@office.go.th\r\nSubject: letters\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nattached\r\n",
    );
    for name in ["one.pdf", "two.pdf"] {
        let mut body = pdf.clone();
        body.extend_from_slice(format!("% {name}\n").as_bytes());
        eml.push_str(&format!(
            "--b\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; filename=\"{name}\"\r\nContent-Transfer-Encoding: base64\r\n\r\n{}\r\n",
            base64(&body)
        ));
    }
    eml.push_str("--b--\r\n");
    std::fs::write(d.join("mail.eml"), eml).unwrap();
    let out = ok(d, &["receive", "mail.eml", "--json"]);
    let got: Vec<serde_json::Value> = out.lines().map(json).collect();
    assert_eq!(got.len(), 2);
    assert_eq!(got[0]["file"], "one.pdf");
    assert_eq!(got[1]["receipt_number"], 6);
}

#[test]
fn bad_files_are_refused_clearly_and_nothing_is_registered() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let pdf = issued_letter(d, "r.sqlite");
    let bytes = std::fs::read(&pdf).unwrap();
    // Encrypted (qpdf), broken (cut in half), empty, 300 MB (sparse), an image bomb, an
    // e-mail with nothing attached, a text file.
    let o = Command::new("qpdf")
        .args(["--encrypt", "secret", "secret", "256", "--"])
        .arg(&pdf)
        .arg(d.join("encrypted.pdf"))
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    std::fs::write(d.join("broken.pdf"), &bytes[..bytes.len() / 3]).unwrap();
    std::fs::write(d.join("empty.pdf"), b"").unwrap();
    let big = std::fs::File::create(d.join("huge.pdf")).unwrap();
    big.set_len(300 << 20).unwrap();
    let mut bomb = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = b"IHDR".to_vec();
    ihdr.extend_from_slice(&100_000u32.to_be_bytes());
    ihdr.extend_from_slice(&100_000u32.to_be_bytes());
    ihdr.extend_from_slice(&[8, 0, 0, 0, 0]);
    bomb.extend_from_slice(&13u32.to_be_bytes());
    bomb.extend_from_slice(&ihdr);
    bomb.extend_from_slice(&crc32(&ihdr).to_be_bytes());
    let idat = [
        b'I', b'D', b'A', b'T', 0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01,
    ];
    bomb.extend_from_slice(&8u32.to_be_bytes());
    bomb.extend_from_slice(&idat);
    bomb.extend_from_slice(&crc32(&idat).to_be_bytes());
    std::fs::write(d.join("bomb.png"), bomb).unwrap();
    std::fs::write(
        d.join("nothing.eml"),
        "From: a@b.go.th\r\nTo: c@d.go.th\r\nSubject: hello\r\nMIME-Version: 1.0\r\nContent-Type: text/plain\r\n\r\nno letter\r\n",
    )
    .unwrap();
    std::fs::write(d.join("notes.txt"), "just some text").unwrap();
    for (file, says) in [
        ("encrypted.pdf", "ถูกเข้ารหัส"),
        ("broken.pdf", "เสียหาย"),
        ("empty.pdf", "ว่างเปล่า"),
        ("huge.pdf", "ใหญ่ ๓๐๐ MB"),
        ("bomb.png", "เกินกว่าภาพหนังสือหนึ่งหน้า"),
        ("nothing.eml", "ไม่มีไฟล์ PDF แนบมา"),
        ("notes.txt", "ไม่ใช่หนังสือที่อ่านได้"),
        ("missing.pdf", "ไม่พบไฟล์"),
    ] {
        let o = run(d, &["--lang", "th", "receive", file]);
        assert_eq!(o.status.code(), Some(1), "{file}: {}", common::stderr(&o));
        let said = common::stderr(&o);
        assert!(said.contains(says), "{file}: {said}");
        assert_eq!(said.lines().count(), 1, "{file}: one line: {said}");
    }
    // Nothing half-registered: the incoming register is empty, its audit intact.
    let found = ok(d, &["search", "--register", "incoming", "--json"]);
    assert_eq!(found.trim(), "");
    ok(d, &["audit", "verify"]);
}

#[test]
fn a_page_with_no_room_at_the_top_right_gets_the_stamp_on_a_page_in_front() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    ok(d, &["init"]);
    // A scanned page whose whole top right is ink (a dark letterhead, say): no room.
    let mut page = image::GrayImage::from_pixel(827, 1169, image::Luma([255]));
    for y in 0..560 {
        for x in 380..827 {
            page.put_pixel(x, y, image::Luma([20]));
        }
    }
    std::fs::write(
        d.join("inked.pdf"),
        saraban::pdf::scan::image_pdf(&page, 100.0).unwrap(),
    )
    .unwrap();
    let r = json(&ok(
        d,
        &[
            "receive",
            "inked.pdf",
            "--json",
            "--subject",
            "ทดสอบ",
            "-o",
            "inked-stamped.pdf",
        ],
    ));
    assert_eq!(r["stamp_in_front"], true);
    let pages = Command::new("pdfinfo")
        .arg(d.join("inked-stamped.pdf"))
        .output()
        .unwrap();
    let pages = String::from_utf8_lossy(&pages.stdout).into_owned();
    let count = pages
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .map(|n| n.trim().to_string());
    assert_eq!(count.as_deref(), Some("2"), "{pages}");
    let first = Command::new("pdftotext")
        .args(["-f", "1", "-l", "1"])
        .arg(d.join("inked-stamped.pdf"))
        .arg("-")
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&first.stdout).contains("เลขรับ"));
}

fn base64(b: &[u8]) -> String {
    const T: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for (i, c) in b.chunks(3).enumerate() {
        let n = (u32::from(c[0]) << 16)
            | (u32::from(*c.get(1).unwrap_or(&0)) << 8)
            | u32::from(*c.get(2).unwrap_or(&0));
        for k in 0..4 {
            out.push(if k <= c.len() {
                T[(n >> (18 - 6 * k) & 63) as usize] as char
            } else {
                '='
            });
        }
        if i % 19 == 18 {
            out.push_str("\r\n");
        }
    }
    out
}

fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in data {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

#[test]
fn what_waits_past_its_urgency_is_listed_and_the_register_exports_to_excel() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    issued_letter(d, "sender.sqlite");
    std::fs::copy(d.join("issued.pdf"), d.join("in.pdf")).unwrap();
    ok(d, &["init"]);
    let today = saraban::thai::date::today();
    let long_ago = format!("{} 09:00", today - chrono::Duration::days(20));
    let now = format!("{} 08:00", today);
    // Received twenty days ago, nothing done: overdue. Received today: not yet. Received
    // twenty days ago and done: not overdue.
    ok(d, &["receive", "in.pdf", "--at", &long_ago]);
    ok(d, &["receive", "in.pdf", "--again", "--at", &now]);
    ok(d, &["receive", "in.pdf", "--again", "--at", &long_ago]);
    // By id: near New Year the three are not all of one year's numbers.
    ok(d, &["route", "3", "--done", "แจ้งกองคลังแล้ว"]);
    let overdue: Vec<serde_json::Value> = ok(d, &["incoming", "overdue", "--json"])
        .lines()
        .map(json)
        .collect();
    let ids: Vec<i64> = overdue.iter().map(|r| r["id"].as_i64().unwrap()).collect();
    assert_eq!(ids, [1], "{overdue:?}");

    ok(
        d,
        &["incoming", "export", "--format", "xlsx", "-o", "in.xlsx"],
    );
    use calamine::Reader;
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook(d.join("in.xlsx")).unwrap();
    let range = wb.worksheet_range("ทะเบียนหนังสือรับ").unwrap();
    let cell = |r: u32, c: u32| range.get_value((r, c)).unwrap().to_string();
    assert_eq!(cell(0, 0), "เลขทะเบียนรับ");
    assert_eq!(cell(0, 6), "การปฏิบัติ");
    let first_year = chrono::Datelike::year(&(today - chrono::Duration::days(20))) + 543;
    assert_eq!(
        cell(1, 0),
        saraban::thai::to_thai_digits(&format!("1/{first_year}"))
    );
    assert_eq!(cell(1, 1), "มท ๐๘๑๐.๒/ว ๑");
    assert!(matches!(
        range.get_value((1, 2)).unwrap(),
        calamine::Data::DateTime(_)
    ));
    let done = (1..=3).any(|r| cell(r, 6).contains("ดำเนินการแล้ว แจ้งกองคลังแล้ว"));
    assert!(done, "the routing is the การปฏิบัติ column");
}
