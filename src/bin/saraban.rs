//! `saraban`: the command line of ../shared/spec/cli.md, a thin shell over `saraban::Office`.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use saraban::letter::check::Level;
use saraban::{Error, Lang, Letter, Office, OfficeSettings};

#[derive(Parser)]
#[command(
    name = "saraban",
    version,
    about = "Thai official letters (หนังสือราชการ): typeset, proofread, register"
)]
struct Cli {
    /// Language of messages: th or en (default: the system locale, else Thai).
    #[arg(long, global = true, value_parser = ["th", "en"])]
    lang: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Typeset a letter in the official format and write a PDF.
    Render {
        /// The letter (JSON); - reads standard input.
        letter: PathBuf,
        /// Output PDF (default: the letter's name with .pdf; - writes standard output).
        #[arg(short = 'o', long = "output")]
        output: Option<PathBuf>,
        /// The Garuda emblem: PNG, JPEG or SVG (default: $SARABAN_EMBLEM, else an empty slot).
        #[arg(long)]
        emblem: Option<PathBuf>,
        /// A TrueType/OpenType font (regular; bold is looked up beside it, or give it second).
        #[arg(long = "font")]
        fonts: Vec<PathBuf>,
        /// Which copy: the original, or the file copy (สำเนาคู่ฉบับ) with the initials of
        /// ผู้ร่าง / ผู้พิมพ์ / ผู้ทาน.
        #[arg(long, value_parser = ["original", "file"], default_value = "original")]
        copy: String,
    },
    /// Proofread a letter without rendering it.
    Check {
        /// The letter (JSON); - reads standard input.
        letter: PathBuf,
        /// One JSON object per finding.
        #[arg(long)]
        json: bool,
    },
}

fn system_lang() -> Lang {
    for var in ["LC_ALL", "LC_MESSAGES", "LANG"] {
        if let Ok(v) = std::env::var(var) {
            if !v.is_empty() {
                return Lang::from_tag(&v);
            }
        }
    }
    Lang::Th
}

fn read_letter(path: &Path) -> Result<Letter, Error> {
    let text = if path.as_os_str() == "-" {
        let mut s = String::new();
        std::io::stdin()
            .read_to_string(&mut s)
            .map_err(|source| Error::Read {
                path: path.to_path_buf(),
                source,
            })?;
        s
    } else {
        let bytes = std::fs::read(path).map_err(|source| Error::Read {
            path: path.to_path_buf(),
            source,
        })?;
        String::from_utf8(bytes).map_err(|_| {
            Error::input(
                "",
                format!(
                    "ไฟล์ {} ไม่ได้เข้ารหัสเป็น UTF-8 (บันทึกไฟล์ใหม่เป็น UTF-8)",
                    path.display()
                ),
                format!(
                    "{} is not UTF-8 text (save it again as UTF-8)",
                    path.display()
                ),
            )
        })?
    };
    Letter::from_json(&text)
}

fn run(cli: Cli, lang: Lang) -> Result<ExitCode, Error> {
    match cli.command {
        Command::Render {
            letter,
            output,
            emblem,
            fonts,
            copy,
        } => {
            let l = read_letter(&letter)?;
            let emblem = emblem.or_else(|| std::env::var_os("SARABAN_EMBLEM").map(PathBuf::from));
            let office = Office::new(&OfficeSettings {
                fonts,
                emblem,
                ..Default::default()
            })?;
            let opts = saraban::typeset::LayoutOptions {
                file_copy: copy == "file",
            };
            let bytes = office.render_with(&l, &opts)?;
            let out = output.unwrap_or_else(|| {
                if letter.as_os_str() == "-" {
                    PathBuf::from("letter.pdf")
                } else {
                    letter.with_extension("pdf")
                }
            });
            if out.as_os_str() == "-" {
                let mut so = std::io::stdout().lock();
                so.write_all(&bytes)
                    .and_then(|_| so.flush())
                    .map_err(|source| Error::Write {
                        path: out.clone(),
                        source,
                    })?;
            } else {
                saraban::fsutil::write_atomic(&out, &bytes)?;
                eprintln!(
                    "{}",
                    match lang {
                        Lang::Th => format!("เขียน {} แล้ว ({} ไบต์)", out.display(), bytes.len()),
                        Lang::En => format!("wrote {} ({} bytes)", out.display(), bytes.len()),
                    }
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Check { letter, json } => {
            let l = read_letter(&letter)?;
            let speller = saraban::letter::spell::Speller::system();
            let mut findings = saraban::letter::check::check_with(&l, speller.as_ref());
            if speller.is_none() {
                findings.push(saraban::letter::check::Finding {
                    level: Level::Info,
                    path: String::new(),
                    th: "ไม่ได้ตรวจตัวสะกด: ไม่พบพจนานุกรม hunspell-th (ติดตั้งด้วย make setup)".into(),
                    en: "spelling not checked: the hunspell-th dictionary is not installed (make setup)".into(),
                    suggestion: None,
                });
            }
            let mut so = std::io::stdout().lock();
            for f in &findings {
                let message = lang.pick(&f.th, &f.en);
                let line = if json {
                    let mut v = serde_json::json!({
                        "level": f.level,
                        "path": f.path,
                        "message": message,
                    });
                    if let Some(s) = &f.suggestion {
                        v["suggestion"] = serde_json::Value::String(s.clone());
                    }
                    v.to_string()
                } else {
                    let level = match (f.level, lang) {
                        (Level::Error, Lang::Th) => "ผิด",
                        (Level::Warning, Lang::Th) => "เตือน",
                        (Level::Info, Lang::Th) => "หมายเหตุ",
                        (Level::Error, Lang::En) => "error",
                        (Level::Warning, Lang::En) => "warning",
                        (Level::Info, Lang::En) => "info",
                    };
                    match &f.suggestion {
                        Some(s) => format!(
                            "{level}: {}: {message} ({}: {s})",
                            f.path,
                            lang.pick("แนะนำ", "suggestion")
                        ),
                        None => format!("{level}: {}: {message}", f.path),
                    }
                };
                let _ = writeln!(so, "{line}");
            }
            Ok(if findings.iter().any(|f| f.level == Level::Error) {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            })
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let lang = cli
        .lang
        .as_deref()
        .map(Lang::from_tag)
        .unwrap_or_else(system_lang);
    match run(cli, lang) {
        Ok(code) => code,
        Err(e) => {
            for line in e.lines(lang) {
                eprintln!("saraban: {line}");
            }
            ExitCode::from(e.exit_code() as u8)
        }
    }
}
