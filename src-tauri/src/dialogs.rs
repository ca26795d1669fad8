//! Native file dialogs, the printer, and messages before the window exists.
//!
//! Dialogs are opened from Rust, so the web view never hands a path to a command: it can
//! only ask for a dialog, and the clerk chooses. End-to-end tests cannot drive a GTK
//! dialog through WebDriver, so with `SARABAN_TEST_DIALOGS=DIR` an open dialog answers the
//! first file in DIR with a matching extension and a save dialog answers DIR/<default name>.

#[cfg(not(windows))]
use std::io::Write;
use std::path::PathBuf;
#[cfg(not(windows))]
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

/// Windows: the PDF, written to a temporary file, goes to the program Windows opens PDFs
/// with, to print on the default printer (ShellExecute's `print` verb, what "Print" in
/// Explorer's menu does). `Ok(false)`: no program prints PDFs here; the UI then offers to
/// save the PDF instead.
#[cfg(windows)]
pub fn print(pdf: &[u8]) -> Result<bool, Failure> {
    use std::os::windows::ffi::OsStrExt;
    use windows_sys::Win32::UI::Shell::ShellExecuteW;
    use windows_sys::Win32::UI::WindowsAndMessaging::SW_HIDE;
    let failure = |detail: String| Failure {
        message: format!("ส่งงานพิมพ์ไม่สำเร็จ ({detail}) ตรวจสอบเครื่องพิมพ์ หรือบันทึกเป็น PDF แล้วพิมพ์ภายหลัง"),
        problems: vec![],
    };
    // Kept until the next print: the printing program reads it after this returns.
    let path = std::env::temp_dir().join("saraban-print.pdf");
    std::fs::write(&path, pdf).map_err(|e| failure(e.to_string()))?;
    let wide = |s: &std::ffi::OsStr| -> Vec<u16> { s.encode_wide().chain(Some(0)).collect() };
    let (verb, file) = (wide("print".as_ref()), wide(path.as_os_str()));
    // SAFETY: NUL-terminated wide strings that outlive the call; no window handle.
    let code = unsafe {
        ShellExecuteW(
            std::ptr::null_mut(),
            verb.as_ptr(),
            file.as_ptr(),
            std::ptr::null(),
            std::ptr::null(),
            SW_HIDE,
        )
    } as isize;
    match code {
        c if c > 32 => Ok(true),
        // SE_ERR_NOASSOC, SE_ERR_ASSOCINCOMPLETE: nothing prints PDFs on this computer.
        31 | 27 => Ok(false),
        c => Err(failure(format!("รหัส {c}"))),
    }
}

/// Sends a PDF to the default CUPS printer. `Ok(false)`: no printer is set up.
#[cfg(not(windows))]
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
    #[cfg(windows)]
    if std::env::var_os("SARABAN_TEST_DIALOGS").is_none() {
        use windows_sys::Win32::UI::WindowsAndMessaging::{MessageBoxW, MB_ICONERROR, MB_OK};
        let wide = |s: &str| -> Vec<u16> { s.encode_utf16().chain(Some(0)).collect() };
        let (text, title) = (wide(message), wide("สารบรรณ"));
        // SAFETY: NUL-terminated wide strings that outlive the call; no owner window.
        unsafe {
            MessageBoxW(
                std::ptr::null_mut(),
                text.as_ptr(),
                title.as_ptr(),
                MB_OK | MB_ICONERROR,
            )
        };
    }
}

/// Windows draws the app's window with Microsoft Edge WebView2: where it is missing (an
/// older Windows 10 that never had it) the app says so in Thai, and what to install, instead
/// of failing without a word.
pub fn webview_missing() -> Option<String> {
    #[cfg(windows)]
    if let Err(e) = tauri::webview_version() {
        return Some(format!(
            "เครื่องนี้ยังไม่มี Microsoft Edge WebView2 Runtime ที่สารบรรณใช้แสดงหน้าต่าง ({e}) \
             กรุณาติดตั้ง \"Microsoft Edge WebView2 Runtime\" (Evergreen) จากเว็บไซต์ของ Microsoft \
             (https://developer.microsoft.com/microsoft-edge/webview2/) หรือขอให้ผู้ดูแลระบบติดตั้งให้ \
             แล้วเปิดสารบรรณอีกครั้ง ระหว่างนี้ใช้คำสั่ง saraban ในหน้าต่างคำสั่งได้"
        ));
    }
    None
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

    /// Windows: a letter goes to the program that prints PDFs, through ShellExecute's
    /// `print` verb with the user's association — here a stand-in registered for the test
    /// (`cmd /c copy`: the computers that run it, Wine, have no PDF program and no
    /// printer) — and where no program prints PDFs the answer is "none", for the UI to
    /// offer saving the PDF instead. It replaces the computer's `.pdf` association while
    /// it runs, so it runs only where `SARABAN_TEST_PRINT_ASSOC` is set (`make
    /// test-windows`, in its own Wine prefix).
    #[cfg(windows)]
    #[test]
    fn a_letter_goes_to_the_program_that_prints_pdfs() {
        if std::env::var_os("SARABAN_TEST_PRINT_ASSOC").is_none() {
            return;
        }
        let reg = |args: &[&str]| {
            std::process::Command::new("reg")
                .args(args)
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null())
                .status()
                .is_ok_and(|s| s.success())
        };
        // In HKEY_CLASSES_ROOT: Wine 8's ShellExecute reads the machine's classes only, not
        // the user's (HKCU\Software\Classes, where a Windows program would register).
        let (ext, class) = (r"HKCR\.pdf", r"HKCR\SarabanTestPdf");
        reg(&["delete", ext, "/f"]);
        reg(&["delete", class, "/f"]);
        if !reg(&["query", ext]) {
            assert_eq!(super::print(b"%PDF-1.7 nobody prints").ok(), Some(false));
        }

        let out = std::env::temp_dir().join("saraban-printed.pdf");
        let _ = std::fs::remove_file(&out);
        let command = format!(r#"cmd /c copy /y "%1" "{}""#, out.display());
        assert!(reg(&["add", ext, "/ve", "/d", "SarabanTestPdf", "/f"]));
        assert!(reg(&[
            "add",
            &format!(r"{class}\shell\print\command"),
            "/ve",
            "/d",
            &command,
            "/f"
        ]));
        let pdf = b"%PDF-1.7 a letter for the printer".to_vec();
        let sent = super::print(&pdf);
        // The program runs on its own: wait for what it was given.
        let mut printed = None;
        for _ in 0..150 {
            match std::fs::read(&out) {
                Ok(bytes) if bytes == pdf => {
                    printed = Some(bytes);
                    break;
                }
                _ => std::thread::sleep(std::time::Duration::from_millis(100)),
            }
        }
        reg(&["delete", ext, "/f"]);
        reg(&["delete", class, "/f"]);
        let _ = std::fs::remove_file(&out);
        assert_eq!(sent.ok(), Some(true));
        assert!(
            printed.is_some(),
            "the printing program never got the letter"
        );
    }
}
