//! Shared helpers of the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use saraban::typeset::{to_mm, Document, Graphic};
use saraban::{Letter, Office, OfficeSettings};

/// The example letters copied from ../shared/examples.
pub const EXAMPLES: &[&str] = &[
    "jclair-specialists",
    "green-area-training",
    "p4g-invitation",
];

pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// A fixture's JSON as a clerk would issue it: the P4G circular as the department sent it
/// has a time range that ends when it starts ("๒๐.๐๐ – ๒๐.๐๐ น."), an error the core now
/// refuses to number; mended here to the hour the live broadcast began.
pub fn issuable_json(name: &str) -> String {
    std::fs::read_to_string(fixture(&format!("{name}.json")))
        .unwrap()
        .replace("๒๐.๐๐ – ๒๐.๐๐", "๑๙.๐๐ – ๒๐.๐๐")
}

pub fn letter(name: &str) -> Letter {
    let text = std::fs::read_to_string(fixture(&format!("{name}.json"))).unwrap();
    Letter::from_json(&text).unwrap()
}

/// A stand-in emblem of known shape: a black box 100 wide and 120 tall, on a canvas with
/// a 10-unit empty border (the layout must size the ink, not the canvas).
pub fn stand_in_emblem_svg() -> Vec<u8> {
    br#"<svg xmlns="http://www.w3.org/2000/svg" width="120" height="140"><path d="M10 10 H110 V130 H10 Z" fill="black"/></svg>"#.to_vec()
}

pub fn office_with_emblem() -> Office {
    let mut office =
        Office::new(&OfficeSettings::default()).expect("bundled font (run make setup)");
    let g = Graphic::from_bytes(stand_in_emblem_svg(), Path::new("stand-in.svg")).unwrap();
    office.set_emblem(Some(g));
    office
}

/// An office on a register file at `db` (created when absent) with the stand-in emblem.
pub fn office_on(db: &Path) -> Office {
    let register =
        saraban::register::Register::open_with(db, saraban::register::Access::Create).unwrap();
    let mut office = Office::with_register(&OfficeSettings::default(), register).unwrap();
    let g = Graphic::from_bytes(stand_in_emblem_svg(), Path::new("stand-in.svg")).unwrap();
    office.set_emblem(Some(g));
    office
}

/// Prints every text run of a document with its position in mm (for debugging).
pub fn dump(doc: &Document) {
    for (i, page) in doc.pages.iter().enumerate() {
        for (p, t) in page.texts() {
            eprintln!(
                "p{} x={:6.1} y={:6.1} w={:6.1} {}",
                i + 1,
                to_mm(p.x),
                to_mm(p.y),
                to_mm(t.width),
                t.text
            );
        }
    }
}

/// The `saraban` command the tests drive: the one cargo built, or the program named by
/// `SARABAN_TEST_CLI` (`make test-windows` names a script that runs the Windows build
/// under Wine, so the same tests check the Windows CLI, with Linux's tools reading its
/// output).
pub fn cli_path() -> PathBuf {
    match std::env::var_os("SARABAN_TEST_CLI") {
        Some(p) if !p.is_empty() => PathBuf::from(p),
        _ => PathBuf::from(env!("CARGO_BIN_EXE_saraban")),
    }
}

/// A command for the `saraban` under test (see [`cli_path`]).
pub fn cli() -> Command {
    Command::new(cli_path())
}

/// Runs the `saraban` binary in `dir` with English messages.
pub fn saraban(args: &[&str], dir: &Path) -> Output {
    cli()
        .args(args)
        .current_dir(dir)
        .env("LANG", "C")
        .output()
        .unwrap()
}

/// What a command wrote to standard error.
pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A tool a test reads output with is not installed: a failure, never a silent pass, since
/// the set-up (`bash scripts/setup.sh`) installs every tool.
pub fn missing_tool(what: &str) {
    panic!("{what} is not installed: run bash scripts/setup.sh, which installs it");
}

/// The words of one page of a PDF and their boxes (poppler's `pdftotext -bbox`), in points:
/// (text, [xMin, yMin, xMax, yMax]).
pub fn word_boxes(pdf: &Path, page: u32) -> Vec<(String, [f32; 4])> {
    let p = page.to_string();
    let o = Command::new("pdftotext")
        .args(["-f", &p, "-l", &p, "-bbox"])
        .arg(pdf)
        .arg("-")
        .output()
        .unwrap_or_else(|_| {
            missing_tool("pdftotext (poppler-utils)");
            unreachable!()
        });
    let text = String::from_utf8_lossy(&o.stdout).into_owned();
    let mut out = Vec::new();
    for line in text.lines().filter(|l| l.trim_start().starts_with("<word")) {
        let attr = |k: &str| -> f32 {
            let i = line.find(&format!("{k}=\"")).unwrap() + k.len() + 2;
            line[i..line[i..].find('"').unwrap() + i].parse().unwrap()
        };
        let w = line[line.find('>').unwrap() + 1..line.rfind("</word>").unwrap()]
            .replace("&amp;", "&")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"");
        out.push((w, [attr("xMin"), attr("yMin"), attr("xMax"), attr("yMax")]));
    }
    out
}
