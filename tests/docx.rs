//! The Word hand-off (ส่งออก Word, `saraban docx`): every example and fixture written as a
//! .docx, read back by python-docx (a reader no one here wrote) and turned into PDF by
//! LibreOffice, then compared with Saraban's own PDF of the same letter: every field's text
//! in the same order, the same number of pages, and on the first page ที่, the date,
//! เรื่อง, เรียน (ถึง) and the signer's name within 5 mm of where Saraban puts them.
//!
//! LibreOffice is given the letter font under the name the .docx asks for (TH SarabunIT๙ →
//! Laksaman, its free twin, through a fontconfig alias), as a clerk's computer with the
//! official font installed would have it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use saraban::Letter;

use crate::common;

/// Every letter the tests know: the three DLA circulars and one of each other kind.
const NAMES: &[&str] = &[
    "jclair-specialists",
    "green-area-training",
    "p4g-invitation",
    "memo",
    "order",
    "announcement",
    "stamped",
];

/// 5 mm in points.
const TOLERANCE: f32 = 5.0 * 72.0 / 25.4;

fn python() -> PathBuf {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join(".tools/py/bin/python");
    if !p.exists() {
        common::missing_tool("python-docx in .tools/py");
    }
    p
}

fn pages(pdf: &Path) -> u32 {
    let o = Command::new("pdfinfo").arg(pdf).output().unwrap();
    let s = String::from_utf8_lossy(&o.stdout).into_owned();
    s.lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or_else(|| panic!("pdfinfo {}: {s}", pdf.display()))
}

/// All the text of a PDF, whitespace removed (lines break in other places in Word).
fn flat_text(pdf: &Path) -> String {
    let o = Command::new("pdftotext")
        .arg(pdf)
        .arg("-")
        .output()
        .unwrap();
    squeeze(&String::from_utf8_lossy(&o.stdout))
}

fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Thai text without its marks above and below (tone marks, upper and lower vowels): a
/// PDF's text layer may give a mark after the vowel that follows it (LibreOffice's writes
/// ทั้งสิ้น as ทัง้สิน้), which says nothing about the order of the fields.
fn bases(s: &str) -> String {
    s.chars()
        .filter(|c| !matches!(c, '\u{0E31}' | '\u{0E34}'..='\u{0E3A}' | '\u{0E47}'..='\u{0E4E}'))
        .collect()
}

/// The fields of a letter as printed, in their order: what must come out of Word in the
/// same order (each field's beginning and end, since a page break may fall inside it).
fn fields(office: &saraban::Office, l: &Letter) -> Vec<String> {
    let digits = l.digits;
    let p = |s: &str| saraban::thai::localize(s, digits).into_owned();
    let mut out = Vec::new();
    let mut push = |s: String| {
        let s = squeeze(&s);
        if s.is_empty() {
            return;
        }
        let chars: Vec<char> = s.chars().collect();
        let head: String = chars.iter().take(20).collect();
        let tail: String = chars[chars.len().saturating_sub(20)..].iter().collect();
        out.push(head);
        if chars.len() > 40 {
            out.push(tail);
        }
    };
    if l.kind != saraban::letter::Kind::Memo {
        if let Some(a) = &l.agency {
            if l.kind == saraban::letter::Kind::External {
                push(p(&a.name));
                for x in &a.address {
                    push(p(x));
                }
            }
        }
    }
    if let Some(s) = &l.subject {
        push(p(s));
    }
    if let Some(r) = &l.recipient {
        push(p(r));
    }
    for r in &l.references {
        push(p(r));
    }
    // A stamped letter's enclosures follow its body; other kinds list them above it.
    let stamped = l.kind == saraban::letter::Kind::Stamped;
    if !stamped {
        for e in &l.enclosures {
            push(p(&e.title));
        }
    }
    for b in &l.body {
        push(p(b.text()));
    }
    if stamped {
        for e in &l.enclosures {
            push(p(&e.title));
        }
    }
    if let Some(s) = &l.signer {
        if !s.name.trim().is_empty() {
            push(p(&s.name));
        }
        for x in s.position_lines() {
            push(p(&x));
        }
    }
    let _ = office;
    out
}

/// A fontconfig set-up in which "TH SarabunIT๙" is the letter font Saraban lays out with
/// (Debian's Laksaman, TH Sarabun New's free descendant) brought back to TH Sarabun's em:
/// Laksaman draws ก 0.58 em wide where TH Sarabun draws it 0.386 em, which is why Saraban
/// sets it at 0.666 × the TH Sarabun size; here its units per em grow by the same factor
/// and it takes the official name, so that LibreOffice at "16 pt TH SarabunIT๙" sets the
/// same glyphs at the same size as the PDF, as Word does on a clerk's computer with the
/// official font. Returns the fonts.conf to point FONTCONFIG_FILE at.
fn official_font_stand_in(d: &Path) -> PathBuf {
    let fonts = d.join("fonts");
    std::fs::create_dir_all(&fonts).unwrap();
    let script = r#"
import sys
from fontTools.ttLib import TTFont
src, dst, style = sys.argv[1], sys.argv[2], sys.argv[3]
f = TTFont(src)
upm = f["head"].unitsPerEm
ko = f["hmtx"][f.getBestCmap()[ord("ก")]][0] / upm
f["head"].unitsPerEm = round(upm * ko / 0.386)
family = "TH SarabunIT๙"
full = family if style == "Regular" else family + " " + style
name = f["name"]
name.names = [r for r in name.names if r.platformID == 3 and r.nameID not in (1, 2, 4, 6, 16, 17)]
for nid, value in ((1, family), (2, style), (4, full), (6, "THSarabunIT9-" + style)):
    name.setName(value, nid, 3, 1, 0x409)
f.save(dst)
"#;
    for (file, style) in [("Laksaman.ttf", "Regular"), ("Laksaman-Bold.ttf", "Bold")] {
        let src = Path::new("/usr/share/fonts/truetype/tlwg").join(file);
        if !src.exists() {
            common::missing_tool("the letter font (fonts-tlwg-laksaman-ttf)");
        }
        let o = Command::new(python())
            .arg("-c")
            .arg(script)
            .arg(&src)
            .arg(fonts.join(format!("THSarabunIT9-{style}.ttf")))
            .arg(style)
            .output()
            .unwrap();
        assert!(o.status.success(), "fontTools: {}", common::stderr(&o));
    }
    let fc = d.join("fonts.conf");
    std::fs::write(
        &fc,
        format!(
            r#"<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>
<include ignore_missing="yes">/etc/fonts/fonts.conf</include>
<dir>{}</dir>
<cachedir>{}</cachedir>
</fontconfig>"#,
            fonts.display(),
            d.join("fc-cache").display()
        ),
    )
    .unwrap();
    fc
}

/// The first word of page 1 that starts with `prefix`, its top left corner.
fn find(words: &[(String, [f32; 4])], prefix: &str) -> Option<(f32, f32)> {
    words
        .iter()
        .find(|(w, _)| bases(w).starts_with(&bases(prefix)))
        .map(|(_, b)| (b[0], b[1]))
}

#[test]
fn every_letter_as_word_reads_back_and_lands_where_the_pdf_has_it() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let office = common::office_with_emblem();
    let mut letters = BTreeMap::new();
    for name in NAMES {
        let l = common::letter(name);
        std::fs::write(d.join(format!("{name}.pdf")), office.render(&l).unwrap()).unwrap();
        let docx = office.docx(&l).unwrap();
        std::fs::write(d.join(format!("{name}.docx")), &docx).unwrap();
        letters.insert(name.to_string(), l);
    }

    // python-docx reads each back: A4, the official margins, the letter font, Thai.
    let script = r#"
import docx, json, sys
out = {}
for path in sys.argv[1:]:
    d = docx.Document(path)
    s = d.sections[0]
    texts = [p.text for p in d.paragraphs]
    fonts = set()
    for p in d.paragraphs:
        for r in p.runs:
            if r.text.strip():
                fonts.add(r.font.name)
    styles = d.styles.element.xml
    out[path] = {
        "page": [round(s.page_width.mm, 1), round(s.page_height.mm, 1)],
        "margins": [round(s.left_margin.mm, 1), round(s.right_margin.mm, 1)],
        "text": "\n".join(texts),
        "fonts": sorted(f for f in fonts if f),
        "thai": 'w:bidi="th-TH"' in styles,
        "header": "\n".join(p.text for p in s.header.paragraphs),
        "first_header": "\n".join(p.text for p in s.first_page_header.paragraphs),
    }
json.dump(out, sys.stdout, ensure_ascii=False)
"#;
    let o = Command::new(python())
        .arg("-c")
        .arg(script)
        .args(NAMES.iter().map(|n| d.join(format!("{n}.docx"))))
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "python-docx: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    let read: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    for name in NAMES {
        let r = &read[d.join(format!("{name}.docx")).to_str().unwrap()];
        let l = &letters[*name];
        assert_eq!(r["page"], serde_json::json!([210.0, 297.0]), "{name}");
        assert_eq!(r["margins"], serde_json::json!([30.0, 20.0]), "{name}");
        assert_eq!(r["fonts"], serde_json::json!(["TH SarabunIT๙"]), "{name}");
        assert_eq!(r["thai"], true, "{name}: the text is not tagged Thai");
        let text = squeeze(r["text"].as_str().unwrap());
        let mut at = 0;
        for f in fields(&office, l) {
            match text[at..].find(&f) {
                Some(i) => at += i + f.len(),
                None => panic!("{name}: python-docx does not read {f:?} in order in {text}"),
            }
        }
        // Issued fixtures are not drafts; none of these is marked ร่าง unless it is one.
        let draft = saraban::docx::is_draft(l);
        assert_eq!(
            r["first_header"].as_str().unwrap().contains("ร่าง"),
            draft,
            "{name}: {}",
            r["first_header"]
        );
    }

    // LibreOffice turns them into PDF, with the letter font under Word's name for it.
    let fc = official_font_stand_in(d);
    let lo = d.join("lo");
    let o = Command::new("soffice")
        .env("FONTCONFIG_FILE", &fc)
        .env("HOME", d)
        .arg(format!(
            "-env:UserInstallation=file://{}/profile",
            d.display()
        ))
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(&lo)
        .args(NAMES.iter().map(|n| d.join(format!("{n}.docx"))))
        .output()
        .unwrap_or_else(|_| {
            common::missing_tool("LibreOffice (libreoffice-writer-nogui)");
            unreachable!()
        });
    assert!(o.status.success(), "soffice: {}", common::stderr(&o));
    let mut report = String::new();
    for name in NAMES {
        let ours = d.join(format!("{name}.pdf"));
        let theirs = lo.join(format!("{name}.pdf"));
        assert!(
            theirs.exists(),
            "LibreOffice wrote no {name}.pdf: {}",
            common::stderr(&o)
        );
        let l = &letters[*name];
        assert_eq!(pages(&theirs), pages(&ours), "{name}: page count");
        let text = bases(&flat_text(&theirs));
        let mut at = 0;
        for f in fields(&office, l).iter().map(|f| bases(f)) {
            match text[at..].find(&f) {
                Some(i) => at += i + f.len(),
                None => panic!("{name}: LibreOffice's PDF lacks {f:?} in order: {text}"),
            }
        }
        let (a, b) = (common::word_boxes(&ours, 1), common::word_boxes(&theirs, 1));
        let month = l.date.map(|dt| {
            saraban::thai::format_date(&dt, l.digits)
                .month_year
                .split_whitespace()
                .next()
                .unwrap_or("")
                .to_string()
        });
        let mut marks: Vec<String> = vec!["เรื่อง".into()];
        // ที่ is a part of its own but on a memo (a label) and an unnumbered announcement.
        let unnumbered = l.kind == saraban::letter::Kind::Announcement
            && l.number.as_ref().and_then(|n| n.running).is_none();
        if l.kind != saraban::letter::Kind::Memo && !unnumbered {
            marks.push("ที่".into());
        }
        if let Some(m) = month {
            if matches!(
                l.kind,
                saraban::letter::Kind::External | saraban::letter::Kind::Memo
            ) {
                marks.push(m);
            }
        }
        if let Some(sal) = l.salutation_or_default() {
            marks.push(sal.to_string());
        }
        if l.kind == saraban::letter::Kind::Stamped {
            marks.push("ถึง".into());
        }
        if let Some(s) = &l.signer {
            if let Some(first) = s.name.split_whitespace().next() {
                marks.push(format!("({}", saraban::thai::localize(first, l.digits)));
            }
        }
        for m in &marks {
            let (Some(p), Some(q)) = (find(&a, m), find(&b, m)) else {
                // A part on a later page (a long letter's signature) is not on page 1.
                if find(&a, m).is_some() {
                    panic!("{name}: {m} is on Saraban's first page, not on Word's");
                }
                continue;
            };
            let (dx, dy) = ((p.0 - q.0).abs(), (p.1 - q.1).abs());
            report.push_str(&format!(
                "{name:22} {m:12} dx {:4.1} mm dy {:4.1} mm\n",
                dx * 25.4 / 72.0,
                dy * 25.4 / 72.0
            ));
            assert!(
                dx <= TOLERANCE && dy <= TOLERANCE,
                "{name}: {m} at ({:.1}, {:.1}) mm in Saraban's PDF, ({:.1}, {:.1}) mm in Word's\n{report}",
                p.0 * 25.4 / 72.0,
                p.1 * 25.4 / 72.0,
                q.0 * 25.4 / 72.0,
                q.1 * 25.4 / 72.0
            );
        }
    }
    eprintln!("{report}");
}

#[test]
fn a_draft_is_marked_and_keeps_its_blanks() {
    let office = common::office_with_emblem();
    let mut l = common::letter("jclair-specialists");
    if let Some(n) = l.number.as_mut() {
        n.running = None;
    }
    if let Some(d) = l.date.as_mut() {
        d.day = None;
    }
    assert!(saraban::docx::is_draft(&l));
    let docx = office.docx(&l).unwrap();
    let xml = document_xml(&docx);
    let header = part(&docx, "word/header1.xml") + &part(&docx, "word/header2.xml");
    assert!(header.contains("ร่าง"), "{header}");
    // The number stops at its slash: the running number is written in when issued.
    let prefix = l.number.as_ref().unwrap().prefix.clone().unwrap();
    assert!(
        xml.contains(&format!("ที่ {prefix}/ว</w:t>")) || xml.contains(&format!("ที่ {prefix}/</w:t>")),
        "{xml}"
    );
}

fn part(docx: &[u8], name: &str) -> String {
    use std::io::Read;
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(docx)).unwrap();
    let mut s = String::new();
    if let Ok(mut f) = z.by_name(name) {
        f.read_to_string(&mut s).unwrap();
    }
    s
}

fn document_xml(docx: &[u8]) -> String {
    part(docx, "word/document.xml")
}

#[test]
fn the_cli_writes_a_letter_and_an_issued_one() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(
        d.join("l.json"),
        common::issuable_json("jclair-specialists"),
    )
    .unwrap();
    let o = common::saraban(&["docx", "l.json"], d);
    assert!(o.status.success(), "{}", common::stderr(&o));
    let bytes = std::fs::read(d.join("l.docx")).unwrap();
    assert!(bytes.starts_with(b"PK"));
    let db = d.join("r.sqlite");
    let db = db.to_str().unwrap();
    assert!(common::saraban(&["--db", db, "init"], d).status.success());
    let o = common::saraban(
        &[
            "--db",
            db,
            "issue",
            "l.json",
            "--date",
            "2026-11-30",
            "--json",
        ],
        d,
    );
    assert!(o.status.success(), "{}", common::stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let id = v["id"].to_string();
    let o = common::saraban(&["--db", db, "docx", &id, "-o", "issued.docx"], d);
    assert!(o.status.success(), "{}", common::stderr(&o));
    let xml = document_xml(&std::fs::read(d.join("issued.docx")).unwrap());
    let number = v["number"].as_str().unwrap();
    assert!(
        xml.contains(&format!("ที่ {number}")),
        "{number} not in {xml}"
    );
    assert!(xml.contains("thaiDistribute"));
    // A letter that does not exist is said so, and nothing is written.
    let o = common::saraban(&["--db", db, "docx", "9999", "-o", "none.docx"], d);
    assert!(!o.status.success());
    assert!(!d.join("none.docx").exists());
}
