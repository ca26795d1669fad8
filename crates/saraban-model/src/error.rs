//! Errors a clerk can act on, in Thai and English.
//!
//! Every variant is one sentence that says what is wrong and what to do next. The CLI picks
//! the language with `--lang`, the app always shows Thai. [`Error::exit_code`] maps each
//! variant to the exit codes of `../shared/spec/cli.md`: 1 for wrong input, 3 for the
//! environment (fonts, emblem, files, disk).

use std::path::PathBuf;

/// The language of messages shown to people.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    /// ภาษาไทย: the default, and what the app shows.
    #[default]
    Th,
    /// English.
    En,
}

impl Lang {
    /// Picks the language from a `--lang` value or a locale string such as `th_TH.UTF-8`.
    /// Anything not English falls back to Thai.
    pub fn from_tag(tag: &str) -> Lang {
        let t = tag.trim().to_ascii_lowercase();
        if t.starts_with("en") || t == "c" || t == "posix" || t.starts_with("c.") {
            Lang::En
        } else {
            Lang::Th
        }
    }

    /// Chooses between the Thai and the English text.
    pub fn pick<'a>(self, th: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Th => th,
            Lang::En => en,
        }
    }
}

/// One problem in a letter, at a JSON path (`subject`, `body[2]`, `owner.phone`).
#[derive(Debug, Clone, PartialEq)]
pub struct InputProblem {
    /// Dotted JSON path with indexes; empty for the whole document.
    pub path: String,
    /// What is wrong, in Thai.
    pub th: String,
    /// What is wrong, in English.
    pub en: String,
}

impl InputProblem {
    /// A problem at `path` described in both languages.
    pub fn new(path: impl Into<String>, th: impl Into<String>, en: impl Into<String>) -> Self {
        InputProblem {
            path: path.into(),
            th: th.into(),
            en: en.into(),
        }
    }

    /// The message in one language, prefixed with the path.
    pub fn message(&self, lang: Lang) -> String {
        let text = lang.pick(&self.th, &self.en);
        if self.path.is_empty() {
            text.to_string()
        } else {
            format!("{}: {}", self.path, text)
        }
    }
}

/// Everything that can go wrong between a letter file and a PDF.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The letter is not valid: one or more problems, each at its JSON path.
    #[error("invalid letter: {}", .0.iter().map(|p| p.message(Lang::En)).collect::<Vec<_>>().join("; "))]
    Input(Vec<InputProblem>),

    /// A file that should be read could not be.
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },

    /// An output file could not be written (disk full, no permission, missing folder).
    #[error("cannot write {path}: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },

    /// No usable font was found, or a font file is not a font.
    #[error("font problem: {en}")]
    Font { th: String, en: String },

    /// The emblem (ตราครุฑ) file is missing or is not a PNG, JPEG or SVG image.
    #[error("emblem problem: {en}")]
    Emblem { th: String, en: String },

    /// The PDF could not be produced (a bug or an exhausted resource).
    #[error("cannot produce the PDF: {0}")]
    Pdf(String),

    /// The register database cannot be used (locked, corrupt, newer, not a register).
    #[error("register: {en}")]
    Register { th: String, en: String },

    /// A program this computer should have is missing or would not run (poppler's
    /// `pdftotext`, Tesseract): the message names the package to install.
    #[error("{en}")]
    Environment { th: String, en: String },

    /// The office's mailbox could not do what was asked: the server unreachable, the
    /// password or certificate not accepted, a message refused (`saraban-mail`).
    #[error("mail: {en}")]
    Mail { th: String, en: String },

    /// A letter could not be signed or a signature not read: the key file or its password,
    /// the token, the time-stamp authority, a PDF that cannot take a signature
    /// (`saraban-sign`).
    #[error("signature: {en}")]
    Sign { th: String, en: String },

    /// No issued letter has that id or number.
    #[error("not found: {en}")]
    NotFound { th: String, en: String },

    /// An output path that must not be written: the register itself, a link, a device,
    /// a folder, a read-only file. Nothing was written.
    #[error("{path}: {en}")]
    Output {
        path: PathBuf,
        th: String,
        en: String,
    },

    /// The letter was issued (its number is taken and stored) but its PDF could not be
    /// written where asked: the clerk gets the number and how to fetch the PDF.
    #[error("issued {number} but could not write its PDF: {cause}")]
    IssuedNotWritten {
        number: String,
        id: i64,
        cause: Box<Error>,
    },
}

impl Error {
    /// A single input problem.
    pub fn input(path: impl Into<String>, th: impl Into<String>, en: impl Into<String>) -> Self {
        Error::Input(vec![InputProblem::new(path, th, en)])
    }

    /// A file could not be read. A folder given where a file goes is said as a folder on
    /// every system: Windows answers "access denied" when a folder is opened as a file.
    pub fn read(path: &std::path::Path, source: std::io::Error) -> Self {
        let source = if source.kind() != std::io::ErrorKind::IsADirectory && path.is_dir() {
            std::io::Error::from(std::io::ErrorKind::IsADirectory)
        } else {
            source
        };
        Error::Read {
            path: path.to_path_buf(),
            source,
        }
    }

    /// The exit code of `../shared/spec/cli.md`: 1 input, 3 environment, 4 issued but
    /// the PDF not written.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Input(_) | Error::NotFound { .. } | Error::Output { .. } => 1,
            Error::IssuedNotWritten { .. } => 4,
            // The letter file given does not exist or is not text: wrong input.
            Error::Read { source, .. }
                if matches!(
                    source.kind(),
                    std::io::ErrorKind::InvalidData
                        | std::io::ErrorKind::NotFound
                        | std::io::ErrorKind::IsADirectory
                ) =>
            {
                1
            }
            _ => 3,
        }
    }

    /// The message lines for people, one per problem, in `lang`.
    pub fn lines(&self, lang: Lang) -> Vec<String> {
        match self {
            Error::Input(problems) => problems.iter().map(|p| p.message(lang)).collect(),
            Error::Read { path, source } => vec![match lang {
                Lang::Th => format!("อ่านไฟล์ {} ไม่ได้: {}", path.display(), io_th(source)),
                Lang::En => format!("cannot read {}: {}", path.display(), source),
            }],
            Error::Write { path, source } => vec![match lang {
                Lang::Th => format!(
                    "เขียนไฟล์ {} ไม่ได้: {} (ตรวจสอบว่าโฟลเดอร์มีอยู่ เขียนได้ และดิสก์ไม่เต็ม)",
                    path.display(),
                    io_th(source)
                ),
                Lang::En => format!(
                    "cannot write {}: {} (check that the folder exists, is writable and the disk is not full)",
                    path.display(),
                    source
                ),
            }],
            Error::Font { th, en }
            | Error::Register { th, en }
            | Error::NotFound { th, en }
            | Error::Mail { th, en }
            | Error::Sign { th, en }
            | Error::Environment { th, en } => {
                vec![lang.pick(th, en).to_string()]
            }
            Error::Emblem { th, en } => vec![lang.pick(th, en).to_string()],
            Error::Output { path, th, en } => {
                vec![format!("{}: {}", path.display(), lang.pick(th, en))]
            }
            Error::IssuedNotWritten { number, id, cause } => {
                let mut lines = vec![match lang {
                    Lang::Th => format!(
                        "ออกเลขแล้ว: {number} (รายการ {id}) บันทึกในทะเบียนเรียบร้อย แต่เขียนไฟล์ PDF ไม่ได้ รับ PDF ได้ด้วย saraban show {id} --pdf ไฟล์.pdf อย่าออกเลขซ้ำ"
                    ),
                    Lang::En => format!(
                        "issued {number} (entry {id}): it is in the register, but its PDF could not be written; get it with saraban show {id} --pdf FILE.pdf, do not issue again"
                    ),
                }];
                lines.extend(cause.lines(lang));
                lines
            }
            Error::Pdf(msg) => vec![match lang {
                Lang::Th => format!("สร้าง PDF ไม่สำเร็จ: {msg}"),
                Lang::En => format!("cannot produce the PDF: {msg}"),
            }],
        }
    }
}

fn io_th(e: &std::io::Error) -> String {
    use std::io::ErrorKind::*;
    match e.kind() {
        NotFound => "ไม่พบไฟล์".into(),
        IsADirectory => "เป็นโฟลเดอร์ ไม่ใช่ไฟล์".into(),
        PermissionDenied => "ไม่มีสิทธิ์เข้าถึง".into(),
        InvalidData => "ข้อมูลในไฟล์ไม่ถูกต้อง".into(),
        _ => e.to_string(),
    }
}

/// The library's result type.
pub type Result<T> = std::result::Result<T, Error>;

/// SQLite said no: the register layer's `?` on SQLite calls lands here, as
/// [`Error::Register`] with what the clerk can do about it.
#[cfg(feature = "sqlite")]
impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Error {
        db_to_error(e)
    }
}

#[cfg(feature = "sqlite")]
fn db_to_error(e: rusqlite::Error) -> Error {
    use rusqlite::ErrorCode::*;
    let code = e.sqlite_error_code();
    match code {
        Some(DatabaseBusy) | Some(DatabaseLocked) => Error::Register {
            th: "ทะเบียนกำลังถูกใช้งานโดยผู้อื่นนานเกินไป กรุณาลองใหม่อีกครั้ง".into(),
            en: "the register is busy (another user held it too long); try again".into(),
        },
        Some(NotADatabase) | Some(DatabaseCorrupt) => Error::Register {
            th: "ไฟล์ทะเบียนเสียหายหรือไม่ใช่ฐานข้อมูล กรุณากู้คืนจากสำเนาสำรอง".into(),
            en: "the register file is damaged or not a database; restore it from a backup".into(),
        },
        Some(DiskFull) => Error::Register {
            th: "ดิสก์เต็ม บันทึกทะเบียนไม่ได้".into(),
            en: "the disk is full; the register could not be written".into(),
        },
        Some(ReadOnly) | Some(CannotOpen) | Some(PermissionDenied) => Error::Register {
            th: format!("เปิดหรือเขียนไฟล์ทะเบียนไม่ได้ ({e})"),
            en: format!("cannot open or write the register file ({e})"),
        },
        Some(ConstraintViolation) => Error::Register {
            th: format!("ทะเบียนปฏิเสธการเปลี่ยนแปลง: {e}"),
            en: format!("the register refused the change: {e}"),
        },
        _ => Error::Register {
            th: format!("ทะเบียนผิดพลาด: {e}"),
            en: format!("register error: {e}"),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A folder given as a letter is wrong input on every system: Windows says "access
    /// denied" when a folder is opened as a file, Linux "is a directory".
    #[test]
    fn a_folder_read_as_a_file_is_said_as_a_folder() {
        let dir = std::env::temp_dir();
        for source in [
            std::io::Error::from(std::io::ErrorKind::PermissionDenied),
            std::io::Error::from(std::io::ErrorKind::IsADirectory),
        ] {
            let e = Error::read(&dir, source);
            assert_eq!(e.exit_code(), 1);
            assert!(
                e.lines(Lang::Th)[0].contains("เป็นโฟลเดอร์"),
                "{:?}",
                e.lines(Lang::Th)
            );
        }
        // A file that cannot be read for another reason keeps its reason.
        let e = Error::read(
            std::path::Path::new("no-such-file.json"),
            std::io::Error::from(std::io::ErrorKind::PermissionDenied),
        );
        assert_eq!(e.exit_code(), 3);
    }
}
