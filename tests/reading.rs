//! How well a received letter is read, field by field, on letters Saraban did not make:
//! the public DLA circulars and a memo in sixteen variants typeset by typst
//! (`tests/foreign/make.py`), as text PDFs and as scans of their first page at 200 dpi,
//! turned 2° and speckled. Each field read is compared with what the page prints; the table
//! is printed and written to `target/reading-accuracy.md`. Letters Saraban issued carry
//! their data and are read exactly (`letter_data.rs`); here every other way in.

use crate::common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use saraban::received::ReceivedFields;
use saraban::service::{letters_in, Office, OfficeSettings};

/// The fields scored, in the order of the table.
const FIELDS: [&str; 8] = [
    "number",
    "date",
    "from",
    "to",
    "subject",
    "urgency",
    "references",
    "enclosures",
];

fn python() -> PathBuf {
    let venv = Path::new(env!("CARGO_MANIFEST_DIR")).join(".tools/py/bin/python");
    if venv.exists() {
        return venv;
    }
    common::missing_tool("typst for Python in .tools/py");
    unreachable!()
}

/// The set, made once per run.
pub(crate) fn foreign() -> &'static Path {
    static DIR: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    DIR.get_or_init(|| {
        if let Some(dir) = std::env::var_os("SARABAN_FOREIGN_DIR") {
            return PathBuf::from(dir);
        }
        let dir = std::env::temp_dir().join(format!("saraban-foreign-{}", std::process::id()));
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/foreign/make.py");
        let o = Command::new(python())
            .arg(&script)
            .arg(&dir)
            .arg("--scans")
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        dir
    })
}

/// A field as scored: without its spaces. Where a line of the page wraps, the page does
/// not show whether a space was there (ขององค์กรปกครองส่วนท้องถิ่น | ผ่านระบบออนไลน์), so
/// neither a space read nor one left out there is a mistake; every character is scored.
fn tidy(s: &str) -> String {
    s.split_whitespace().collect::<String>()
}

/// The share of characters right: 1 − edit distance / the longer length.
fn char_share(a: &str, b: &str) -> f64 {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    1.0 - saraban_receive::fields::edit_distance(&a, &b) as f64 / a.len().max(b.len()) as f64
}

/// A field's value as text, for the share of characters right.
fn as_text(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => tidy(s),
        serde_json::Value::Array(a) => a.iter().map(as_text).collect::<Vec<_>>().join("|"),
        serde_json::Value::Null => String::new(),
        v => v.to_string(),
    }
}

/// Which fields of `read` match `truth` exactly.
fn score(read: &ReceivedFields, truth: &serde_json::Value) -> BTreeMap<&'static str, bool> {
    let text = |k: &str| tidy(truth[k].as_str().unwrap_or(""));
    let list = |k: &str| -> Vec<String> {
        truth[k]
            .as_array()
            .map(|a| a.iter().map(|v| tidy(v.as_str().unwrap_or(""))).collect())
            .unwrap_or_default()
    };
    let urgency = serde_json::to_value(read.urgency).unwrap_or_default();
    let mut m = BTreeMap::new();
    m.insert("number", tidy(&read.number) == text("number"));
    m.insert(
        "date",
        read.date.map(|d| d.to_string()).unwrap_or_default() == text("date"),
    );
    m.insert("from", tidy(&read.from) == text("from"));
    m.insert("to", tidy(&read.to) == text("to"));
    m.insert("subject", tidy(&read.subject) == text("subject"));
    m.insert("urgency", urgency == truth["urgency"]);
    m.insert(
        "references",
        read.references.iter().map(|s| tidy(s)).collect::<Vec<_>>() == list("references"),
    );
    m.insert(
        "enclosures",
        read.enclosures.iter().map(|s| tidy(s)).collect::<Vec<_>>() == list("enclosures"),
    );
    m
}

/// What a form of the set scored: exact matches per field, the mean share of characters
/// right per field, the number of letters, and what was missed.
struct Measured {
    exact: BTreeMap<&'static str, usize>,
    chars: BTreeMap<&'static str, f64>,
    n: usize,
    misses: Vec<String>,
}

/// Reads every letter of the set in one form (`suffix`: `.pdf` or `.scan.png`).
fn measure(office: &Office, suffix: &str) -> Measured {
    let dir = foreign();
    let mut names: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().ends_with(".truth.json"))
        .collect();
    names.sort();
    let mut exact: BTreeMap<&'static str, usize> = FIELDS.iter().map(|f| (*f, 0)).collect();
    let mut chars: BTreeMap<&'static str, f64> = FIELDS.iter().map(|f| (*f, 0.0)).collect();
    let mut misses = Vec::new();
    for truth_path in &names {
        let stem = truth_path
            .file_name()
            .unwrap()
            .to_string_lossy()
            .trim_end_matches(".truth.json")
            .to_string();
        let truth: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(truth_path).unwrap()).unwrap();
        let file = dir.join(format!("{stem}{suffix}"));
        let bytes = std::fs::read(&file).unwrap();
        let letter = letters_in(&file.file_name().unwrap().to_string_lossy(), bytes)
            .unwrap()
            .remove(0);
        let reading = office.read_received(&letter).unwrap();
        let got = serde_json::to_value(&reading.fields).unwrap();
        for f in FIELDS {
            *chars.get_mut(f).unwrap() += char_share(&as_text(&got[f]), &as_text(&truth[f]));
        }
        for (field, ok) in score(&reading.fields, &truth) {
            if ok {
                *exact.get_mut(field).unwrap() += 1;
            } else {
                let got = serde_json::to_value(&reading.fields).unwrap();
                misses.push(format!(
                    "{stem}{suffix} {field}: read {} / printed {}",
                    got[field], truth[field]
                ));
            }
        }
    }
    let n = names.len();
    for v in chars.values_mut() {
        *v /= n.max(1) as f64;
    }
    Measured {
        exact,
        chars,
        n,
        misses,
    }
}

#[test]
fn received_letters_are_read_field_by_field() {
    let office = Office::new(&OfficeSettings::default()).unwrap();
    let text_pdfs = measure(&office, ".pdf");
    let scans = measure(&office, ".scan.png");
    let (text, n, text_misses) = (&text_pdfs.exact, text_pdfs.n, &text_pdfs.misses);
    let (scan, m, scan_misses) = (&scans.exact, scans.n, &scans.misses);
    assert_eq!(n, 16);
    assert_eq!(m, 16);
    let pct = |k: usize, n: usize| 100.0 * k as f64 / n as f64;
    let mut table = String::from(
        "| field | text PDFs (typst): exact | characters right | scans at 200 dpi, 2°, speckled: exact | characters right |\n|---|---|---|---|---|\n",
    );
    for f in FIELDS {
        table.push_str(&format!(
            "| {f} | {}/{n} ({:.0} %) | {:.1} % | {}/{m} ({:.0} %) | {:.1} % |\n",
            text[f],
            pct(text[f], n),
            100.0 * text_pdfs.chars[f],
            scan[f],
            pct(scan[f], m),
            100.0 * scans.chars[f],
        ));
    }
    eprintln!("{table}");
    eprintln!("text misses:\n{}", text_misses.join("\n"));
    eprintln!("scan misses:\n{}", scan_misses.join("\n"));
    let out = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/reading-accuracy.md");
    let _ = std::fs::write(
        &out,
        format!(
            "{table}\ntext misses:\n{}\n\nscan misses:\n{}\n",
            text_misses.join("\n"),
            scan_misses.join("\n")
        ),
    );
    // The goal on text PDFs: every field at least 95 %.
    for f in FIELDS {
        assert!(pct(text[f], n) >= 95.0, "{f} on text PDFs: {table}");
    }
    // Scans: what is reached today (the goal is 85 % each; see the note), held so
    // that it never falls back.
    for (f, floor) in SCAN_FLOORS {
        assert!(
            pct(scan[f], m) >= floor,
            "{f} on scans fell below {floor} %: {table}"
        );
    }
}

/// The least each field is read exactly on the scans (per cent): what was measured on
/// 2026-12-05 on the set `make.py` draws (its noise from a fixed seed per letter: number 15,
/// date 14, from 12, to 15, subject 12, urgency 16, references 15, enclosures 15 of 16)
/// less a letter of slack. The goal is 85 % each; a tone mark dropped (ท้องถิน) or a word
/// misread in a long line is what keeps จาก and เรื่อง below it.
const SCAN_FLOORS: [(&str, f64); 8] = [
    ("number", 87.0),
    ("date", 81.0),
    ("from", 68.0),
    ("to", 87.0),
    ("subject", 62.0),
    ("urgency", 87.0),
    ("references", 87.0),
    ("enclosures", 87.0),
];
