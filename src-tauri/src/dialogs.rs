//! Native file dialogs, the printer, and messages before the window exists.
//!
//! Dialogs are opened from Rust, so the web view never hands a path to a command: it can
//! only ask for a dialog, and the clerk chooses. End-to-end tests cannot drive a GTK
//! dialog through WebDriver, so with `SARABAN_TEST_DIALOGS=DIR` an open dialog answers the
//! first file in DIR with a matching extension and a save dialog answers DIR/<default name>.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use saraban::service::Failure;
use tauri::{AppHandle, Runtime};
use tauri_plugin_dialog::DialogExt;

/// A file-type filter: its Thai name and extensions.
pub struct Filter(&'static str, &'static [&'static str]);

impl Filter {
    pub const EMBLEM: Filter = Filter("ภาพตราครุฑ (SVG, PNG, JPEG)", &["svg", "png", "jpg", "jpeg"]);
    pub const FONT: Filter = Filter("ฟอนต์ (TTF, OTF)", &["ttf", "otf"]);
    pub const PDF: Filter = Filter("PDF", &["pdf"]);
    pub const WORD: Filter = Filter("Word (DOCX)", &["docx"]);
    pub const CSV: Filter = Filter("CSV", &["csv"]);
    pub const XLSX: Filter = Filter("Excel", &["xlsx"]);
    pub const JSON: Filter = Filter("หนังสือ (JSON)", &["json"]);
    pub const DIRECTORY: Filter = Filter("ทำเนียบที่อยู่ (CSV, Excel)", &["csv", "xlsx"]);
    pub const CERTIFICATE: Filter = Filter("ใบรับรอง (PEM)", &["pem", "crt", "cer"]);
    pub const SIGNING_KEY: Filter =
        Filter("กุญแจและใบรับรอง (PKCS #12: .p12, .pfx)", &["p12", "pfx"]);
    pub const VERIFY: Filter = Filter(
        "หนังสือที่จะตรวจสอบ (PDF, ภาพถ่ายหรือภาพสแกน)",
        &["pdf", "png", "jpg", "jpeg"],
    );
    pub const REGISTER: Filter = Filter("ทะเบียน (SQLite)", &["sqlite", "db"]);
    pub const RECEIVED: Filter = Filter(
        "หนังสือรับ (PDF, ภาพสแกน, อีเมล)",
        &["pdf", "png", "jpg", "jpeg", "tif", "tiff", "eml"],
    );
}

fn test_dir() -> Option<PathBuf> {
    std::env::var_os("SARABAN_TEST_DIALOGS").map(PathBuf::from)
}

/// Asks for a file to open.
pub fn pick<R: Runtime>(app: &AppHandle<R>, title: &str, filter: Filter) -> Option<PathBuf> {
    if let Some(dir) = test_dir() {
        let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
            .ok()?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| {
                p.extension()
                    .map(|e| {
                        filter
                            .1
                            .contains(&e.to_string_lossy().to_lowercase().as_str())
                    })
                    .unwrap_or(false)
            })
            .collect();
        files.sort();
        return files.into_iter().next();
    }
    app.dialog()
        .file()
        .set_title(title)
        .add_filter(filter.0, filter.1)
        .blocking_pick_file()
        .and_then(|p| p.into_path().ok())
}

/// Asks for files to open (several at once).
pub fn pick_many<R: Runtime>(app: &AppHandle<R>, title: &str) -> Vec<PathBuf> {
    if let Some(dir) = test_dir() {
        let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
            .map(|r| r.filter_map(|e| e.ok().map(|e| e.path())).collect())
            .unwrap_or_default();
        files.retain(|p| {
            p.extension()
                .is_some_and(|e| e == "bin" || e == "xlsx" || e == "docx")
        });
        files.sort();
        return files;
    }
    app.dialog()
        .file()
        .set_title(title)
        .blocking_pick_files()
        .unwrap_or_default()
        .into_iter()
        .filter_map(|p| p.into_path().ok())
        .collect()
}

/// Asks where to save, suggesting `name`.
pub fn save<R: Runtime>(
    app: &AppHandle<R>,
    title: &str,
    name: &str,
    filter: Filter,
) -> Option<PathBuf> {
    if let Some(dir) = test_dir() {
        return Some(dir.join(name));
    }
    let mut dialog = app
        .dialog()
        .file()
        .set_title(title)
        .set_file_name(name)
        .add_filter(filter.0, filter.1);
    if let Some(docs) = dirs_documents() {
        dialog = dialog.set_directory(docs);
    }
    dialog.blocking_save_file().and_then(|p| p.into_path().ok())
}

fn dirs_documents() -> Option<PathBuf> {
    let home = std::env::var_os("HOME").map(PathBuf::from)?;
    let docs = home.join("Documents");
    Some(if docs.is_dir() { docs } else { home })
}

/// A file name from a letter's number and subject: no slashes or other characters a
/// file system refuses, at most 80 characters, cut at the end of a word.
pub fn file_name(stem: &str, ext: &str) -> String {
    let clean: String = stem
        .chars()
        .map(|c| match c {
            '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|' => '-',
            c if c.is_control() => ' ',
            c => c,
        })
        .collect();
    let clean: String = clean.split_whitespace().collect::<Vec<_>>().join(" ");
    // At most 80 characters, cut where a line could break: never mid-word.
    let clean: String = saraban::thai::breaks::shorten(clean.trim_matches(['.', ' ', '-']), 80)
        .trim_end_matches(['.', ' ', '-'])
        .to_string();
    let clean = if clean.is_empty() {
        "หนังสือ".to_string()
    } else {
        clean
    };
    format!("{clean}.{ext}")
}

/// Sends a PDF to the default CUPS printer. `Ok(false)`: no printer is set up.
pub fn print(pdf: &[u8]) -> Result<bool, Failure> {
    let has_default = Command::new("lpstat")
        .arg("-d")
        .output()
        .map(|o| {
            o.status.success()
                && String::from_utf8_lossy(&o.stdout).contains(':')
                && !String::from_utf8_lossy(&o.stdout).contains("no system default")
        })
        .unwrap_or(false);
    if !has_default {
        return Ok(false);
    }
    let failure = |detail: String| Failure {
        message: format!("ส่งงานพิมพ์ไม่สำเร็จ ({detail}) ตรวจสอบเครื่องพิมพ์ หรือบันทึกเป็น PDF แล้วพิมพ์ภายหลัง"),
        problems: vec![],
    };
    let mut child = Command::new("lp")
        .args(["-t", "Saraban", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| failure(e.to_string()))?;
    if let Some(mut stdin) = child.stdin.take() {
        stdin.write_all(pdf).map_err(|e| failure(e.to_string()))?;
    }
    let out = child
        .wait_with_output()
        .map_err(|e| failure(e.to_string()))?;
    if out.status.success() {
        Ok(true)
    } else {
        Err(failure(
            String::from_utf8_lossy(&out.stderr).trim().to_string(),
        ))
    }
}

/// Says why the app cannot start, before or instead of its window: on standard error,
/// and in a message box when there is a display (a clerk starting the app from the menu
/// sees no terminal).
pub fn fatal(message: &str) {
    eprintln!("สารบรรณ: {message}");
    #[cfg(target_os = "linux")]
    if std::env::var_os("SARABAN_TEST_DIALOGS").is_none() && gtk::init().is_ok() {
        use gtk::prelude::*;
        let dialog = gtk::MessageDialog::new(
            None::<&gtk::Window>,
            gtk::DialogFlags::MODAL,
            gtk::MessageType::Error,
            gtk::ButtonsType::Ok,
            message,
        );
        dialog.set_title("สารบรรณ");
        dialog.run();
        dialog.close();
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn file_names_are_safe_and_readable() {
        assert_eq!(
            super::file_name("มท ๐๘๑๐.๒/ว ๑๒๓ ขอเชิญประชุม", "pdf"),
            "มท ๐๘๑๐.๒-ว ๑๒๓ ขอเชิญประชุม.pdf"
        );
        assert_eq!(super::file_name(" ../ ", "json"), "หนังสือ.json");
        // A long subject is cut at a word's end, not mid-word ("…แผนพัฒน.pdf").
        let long = super::file_name(
            "มท ๐๘๑๐.๓/ว ๑๒๓๔ ขอความร่วมมือประชาสัมพันธ์โครงการพัฒนาศักยภาพบุคลากรท้องถิ่นตามแผนพัฒนาท้องถิ่นประจำปี",
            "pdf",
        );
        let stem = long.strip_suffix(".pdf").unwrap();
        assert!(stem.chars().count() <= 80, "{long}");
        assert!(!stem.ends_with("พัฒน") && !stem.ends_with("ท้องถิ"), "{long}");
    }
}
