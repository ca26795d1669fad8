//! The programs a received file is read with, each in a process of its own with a time
//! limit: poppler's `pdftotext` (the text of a PDF with the box of every word), `pdfinfo`
//! and `pdftoppm` (a page as an image), and Tesseract (OCR).
//!
//! Why programs and not linked libraries: a received file comes from outside the office
//! and may be made to crash or hang whatever parses it; in a process of its own with a
//! limit it can only fail to be read, never take the app down with it. poppler reads Thai
//! text exactly (its `ToUnicode` and `ActualText` handling is what the copy tests hold
//! every reader to); the Rust PDF text extractors tried here lost Thai marks.

use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use saraban_model::error::Error;
use wait_timeout::ChildExt;

/// How long one program may take on one file.
pub const LIMIT: Duration = Duration::from_secs(60);

/// What a program printed, or why it could not run.
pub(crate) fn run(
    program: &str,
    args: &[&std::ffi::OsStr],
    limit: Duration,
) -> Result<Vec<u8>, Error> {
    let mut child = Command::new(program)
        .args(args)
        // Tesseract's OpenMP threads fight over the cores: one thread reads a page in a
        // sixth of the time on two cores (1.3 s instead of 8 s, measured here).
        .env("OMP_THREAD_LIMIT", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| missing(program, e))?;
    // Read while it runs: a full pipe would stall it.
    let mut out = child.stdout.take().expect("piped");
    let reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = out.read_to_end(&mut buf);
        buf
    });
    let mut err = child.stderr.take().expect("piped");
    let err_reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = (&mut err).take(64 * 1024).read_to_end(&mut buf);
        buf
    });
    let status = match child.wait_timeout(limit) {
        Ok(Some(s)) => s,
        Ok(None) | Err(_) => {
            let _ = child.kill();
            let _ = child.wait();
            return Err(Error::input(
                "file",
                format!("อ่านไฟล์นานเกิน {} วินาที (ไฟล์อาจเสียหายหรือซับซ้อนผิดปกติ) กรุณากรอกรายละเอียดเอง", LIMIT.as_secs()),
                format!("reading the file took more than {} seconds (it may be damaged or unusually complex); type the fields yourself", LIMIT.as_secs()),
            ));
        }
    };
    let out = reader.join().unwrap_or_default();
    let err = err_reader.join().unwrap_or_default();
    if !status.success() {
        let said = String::from_utf8_lossy(&err);
        let said = said.lines().next().unwrap_or("").trim().to_string();
        return Err(Error::input(
            "file",
            format!("อ่านไฟล์ไม่ได้ ({program}: {said}) ไฟล์อาจเสียหาย"),
            format!("the file cannot be read ({program}: {said}); it may be damaged"),
        ));
    }
    Ok(out)
}

fn missing(program: &str, e: std::io::Error) -> Error {
    // Windows has no package manager of ours: the programs are found on PATH (or beside
    // Saraban), from their Windows builds.
    if cfg!(windows) {
        let what = match program {
            "tesseract" => "Tesseract OCR พร้อมภาษาไทย (tha)",
            _ => "Poppler for Windows",
        };
        let what_en = match program {
            "tesseract" => "Tesseract OCR with its Thai data (tha)",
            _ => "Poppler for Windows",
        };
        return Error::Environment {
            th: format!("เรียกโปรแกรม {program} ไม่ได้ ({e}) ซึ่งใช้อ่านหนังสือที่รับ กรุณาติดตั้ง {what} แล้วเพิ่มโฟลเดอร์ bin ของโปรแกรมนั้นใน PATH หรือวาง {program}.exe ไว้ข้างโปรแกรมสารบรรณ"),
            en: format!("cannot run {program} ({e}), which reads received letters; install {what_en} and add its bin folder to PATH, or put {program}.exe beside Saraban"),
        };
    }
    let package = match program {
        "tesseract" => "tesseract-ocr และ tesseract-ocr-tha",
        _ => "poppler-utils",
    };
    Error::Environment {
        th: format!("เรียกโปรแกรม {program} ไม่ได้ ({e}) ซึ่งใช้อ่านหนังสือที่รับ กรุณาติดตั้ง {package} (bash scripts/setup.sh ติดตั้งให้)"),
        en: format!("cannot run {program} ({e}), which reads received letters; install {package} (bash scripts/setup.sh installs it)"),
    }
}

/// `path` as an argument.
pub(crate) fn arg(path: &Path) -> &std::ffi::OsStr {
    path.as_os_str()
}
