//! `saraban`: the command line of ../shared/spec/cli.md, a thin shell over `saraban::Office`.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use saraban::letter::check::Level;
use saraban::service::{ExportFormat, PrintCopy};
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
    /// The register database (default: $SARABAN_DB, else the app's own in the data folder).
    #[arg(long, global = true)]
    db: Option<PathBuf>,
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
    /// Issue a letter: the next running number, the date, the final PDF, stored for good.
    Issue {
        /// The letter (JSON); - reads standard input.
        letter: PathBuf,
        /// Date of issue, YYYY-MM-DD (default: today).
        #[arg(long)]
        date: Option<String>,
        /// Also write the issued PDF here.
        #[arg(short = 'o', long = "output")]
        output: Option<PathBuf>,
        /// Print the result as JSON.
        #[arg(long)]
        json: bool,
        /// Import a historical entry: keep the running number the letter carries.
        #[arg(long)]
        keep_number: bool,
        /// The Garuda emblem (default: $SARABAN_EMBLEM).
        #[arg(long)]
        emblem: Option<PathBuf>,
        /// Font file(s), as for render.
        #[arg(long = "font")]
        fonts: Vec<PathBuf>,
    },
    /// Find issued letters (newest first).
    Search {
        /// A Thai or Latin substring; Thai and Arabic digits match each other.
        query: Option<String>,
        /// Buddhist-Era year.
        #[arg(long)]
        year: Option<i64>,
        /// Issued on or after (YYYY-MM-DD).
        #[arg(long)]
        from: Option<String>,
        /// Issued on or before (YYYY-MM-DD).
        #[arg(long)]
        to: Option<String>,
        /// Letter kind.
        #[arg(long, value_parser = ["external", "memo", "stamped", "order", "announcement"])]
        kind: Option<String>,
        /// Status.
        #[arg(long, value_parser = ["issued", "cancelled"])]
        status: Option<String>,
        /// At most N results.
        #[arg(long, default_value_t = 50)]
        limit: usize,
        /// One JSON object per line.
        #[arg(long)]
        json: bool,
    },
    /// Show one issued letter (and write its PDF exactly as issued).
    Show {
        /// Its id or its number (e.g. "มท ๐๘๑๐.๒/ว ๑๒๓").
        id: String,
        /// Write the stored PDF here.
        #[arg(long)]
        pdf: Option<PathBuf>,
        /// As JSON.
        #[arg(long)]
        json: bool,
    },
    /// Cancel an issued letter; its number is never reused.
    Cancel {
        /// Its id or number.
        id: String,
        /// Why.
        #[arg(long)]
        reason: String,
    },
    /// Export the register (ทะเบียนหนังสือส่ง).
    Export {
        /// csv or xlsx.
        #[arg(long, value_parser = ["csv", "xlsx"])]
        format: String,
        /// The file to write.
        #[arg(short = 'o', long = "output")]
        output: PathBuf,
        /// Only this Buddhist-Era year.
        #[arg(long)]
        year: Option<i64>,
    },
    /// Print the register of a year as the official register form (PDF).
    Book {
        /// Buddhist-Era year.
        #[arg(long)]
        year: i64,
        /// The PDF to write.
        #[arg(short = 'o', long = "output")]
        output: PathBuf,
    },
    /// The audit trail.
    Audit {
        #[command(subcommand)]
        action: AuditAction,
    },
    /// Drafts: save, list, open, versions, restore, delete.
    Draft {
        #[command(subcommand)]
        action: DraftAction,
    },
    /// The office profile kept in the register (agency, units, owners, signers, emblem, font).
    Profile {
        #[command(subcommand)]
        action: ProfileAction,
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

#[derive(Subcommand)]
enum AuditAction {
    /// Check the hash chain; report the first broken link.
    Verify,
}

#[derive(Subcommand)]
enum ProfileAction {
    /// Print the profile as JSON.
    Show,
    /// Store a profile from a JSON file (the app's settings form writes the same).
    Set { profile: PathBuf },
    /// Import the office's emblem (SVG, PNG or JPEG).
    Emblem { file: PathBuf },
    /// Import the letter font (regular; the bold face is found beside it).
    Font { file: PathBuf },
}

#[derive(Subcommand)]
enum DraftAction {
    /// Save a letter as a new draft, or as a new version of draft --id.
    Save {
        letter: PathBuf,
        #[arg(long)]
        id: Option<i64>,
    },
    /// List the drafts.
    List,
    /// Print a draft's letter JSON (or write it with -o).
    Open {
        id: i64,
        #[arg(short = 'o', long = "output")]
        output: Option<PathBuf>,
    },
    /// List a draft's saved versions.
    Versions { id: i64 },
    /// Make an earlier version the current one.
    Restore { id: i64, version: i64 },
    /// Delete a draft.
    Delete { id: i64 },
}

fn parse_date(s: &str, what: &str) -> Result<chrono::NaiveDate, Error> {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| {
        Error::input(
            what,
            format!("วันที่ “{s}” ต้องอยู่ในรูป ปปปป-ดด-วว (ค.ศ.)"),
            format!("the date “{s}” must be YYYY-MM-DD"),
        )
    })
}

/// The office of the register `--db` (default `$SARABAN_DB`, else the app's own), with
/// `settings`' files winning over the register's.
fn open_office(db: &Option<PathBuf>, settings: &OfficeSettings) -> Result<Office, Error> {
    let path = db
        .clone()
        .unwrap_or_else(saraban::service::default_register_path);
    Office::open(&path, settings)
}

fn print_line(line: &str) {
    let mut so = std::io::stdout().lock();
    let _ = writeln!(so, "{line}");
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
        return saraban::service::read_letter(path);
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
            let copy = if copy == "file" {
                PrintCopy::FileCopy
            } else {
                PrintCopy::Original
            };
            let out = output.unwrap_or_else(|| {
                if letter.as_os_str() == "-" {
                    PathBuf::from("letter.pdf")
                } else {
                    letter.with_extension("pdf")
                }
            });
            if out.as_os_str() == "-" {
                let bytes = office.render_copy(&l, copy)?;
                let mut so = std::io::stdout().lock();
                so.write_all(&bytes)
                    .and_then(|_| so.flush())
                    .map_err(|source| Error::Write {
                        path: out.clone(),
                        source,
                    })?;
            } else {
                let size = office.render_to(&l, copy, &out)?;
                eprintln!(
                    "{}",
                    match lang {
                        Lang::Th => format!("เขียน {} แล้ว ({} ไบต์)", out.display(), size),
                        Lang::En => format!("wrote {} ({} bytes)", out.display(), size),
                    }
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Issue {
            letter,
            date,
            output,
            json,
            keep_number,
            emblem,
            fonts,
        } => {
            let l = read_letter(&letter)?;
            let date = date.map(|d| parse_date(&d, "date")).transpose()?;
            let emblem = emblem.or_else(|| std::env::var_os("SARABAN_EMBLEM").map(PathBuf::from));
            let mut office = open_office(
                &cli.db,
                &OfficeSettings {
                    fonts,
                    emblem,
                    ..Default::default()
                },
            )?;
            let issued = office.issue(
                &l,
                &saraban::service::IssueOptions {
                    date,
                    keep_number,
                    draft: None,
                },
            )?;
            if let Some(out) = output {
                office.save_issued_pdf(issued.id, &out)?;
            }
            if json {
                print_line(&serde_json::to_string(&issued).unwrap_or_default());
            } else {
                print_line(&issued.number);
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Search {
            query,
            year,
            from,
            to,
            kind,
            status,
            limit,
            json,
        } => {
            let office = open_office(&cli.db, &OfficeSettings::default())?;
            let q = saraban::service::SearchQuery {
                text: query,
                year_be: year,
                from: from.map(|d| parse_date(&d, "from")).transpose()?,
                to: to.map(|d| parse_date(&d, "to")).transpose()?,
                kind,
                status,
                limit: Some(limit),
                offset: None,
            };
            for h in office.search(&q)?.hits {
                if json {
                    print_line(&serde_json::to_string(&h).unwrap_or_default());
                } else {
                    print_line(&format!(
                        "{}\t{}\t{}\t{}\t{}",
                        h.entry.id, h.entry.number, h.entry.date, h.entry.subject, h.snippet
                    ));
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Show { id, pdf, json } => {
            let office = open_office(&cli.db, &OfficeSettings::default())?;
            let e = office.show(&id)?;
            if let Some(out) = pdf {
                office.save_issued_pdf(e.id, &out)?;
            }
            if json {
                print_line(&serde_json::to_string(&e).unwrap_or_default());
            } else {
                let labels = match lang {
                    Lang::Th => [
                        "รายการ",
                        "ที่",
                        "ลงวันที่",
                        "จาก",
                        "ถึง",
                        "เรื่อง",
                        "สถานะ",
                        "หมายเหตุ",
                    ],
                    Lang::En => [
                        "entry", "number", "date", "from", "to", "subject", "status", "note",
                    ],
                };
                let values = [
                    e.id.to_string(),
                    e.number,
                    e.date,
                    e.from,
                    e.recipient,
                    e.subject,
                    e.status,
                    e.note,
                ];
                for (l, v) in labels.iter().zip(values) {
                    print_line(&format!("{l}: {v}"));
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Cancel { id, reason } => {
            let mut office = open_office(&cli.db, &OfficeSettings::default())?;
            let id = office.show(&id)?.id;
            let e = office.cancel(id, &reason)?;
            print_line(&match lang {
                Lang::Th => format!("ยกเลิก {} แล้ว (เลขนี้จะไม่ถูกนำไปใช้ซ้ำ)", e.number),
                Lang::En => format!("cancelled {} (its number will never be reused)", e.number),
            });
            Ok(ExitCode::SUCCESS)
        }
        Command::Export {
            format,
            output,
            year,
        } => {
            let office = open_office(&cli.db, &OfficeSettings::default())?;
            let format = if format == "csv" {
                ExportFormat::Csv
            } else {
                ExportFormat::Xlsx
            };
            office.export_to(format, year, &output)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Book { year, output } => {
            let office = open_office(&cli.db, &OfficeSettings::default())?;
            office.book_to(year, &output)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Audit {
            action: AuditAction::Verify,
        } => {
            let office = open_office(&cli.db, &OfficeSettings::default())?;
            let report = office.verify_audit()?;
            match report.first_broken {
                None => {
                    print_line(&match lang {
                        Lang::Th => format!("บันทึกการตรวจสอบถูกต้องครบ {} รายการ", report.entries),
                        Lang::En => format!("audit trail intact: {} entries", report.entries),
                    });
                    Ok(ExitCode::SUCCESS)
                }
                Some(id) => Err(Error::Register {
                    th: format!("บันทึกการตรวจสอบถูกแก้ไข: ห่วงโซ่ขาดที่รายการ {id}"),
                    en: format!(
                        "the audit trail was tampered with: the chain breaks at entry {id}"
                    ),
                }),
            }
        }
        Command::Draft { action } => {
            let mut office = open_office(&cli.db, &OfficeSettings::default())?;
            match action {
                DraftAction::Save { letter, id } => {
                    let l = read_letter(&letter)?;
                    print_line(&office.save_draft(id, &l)?.to_string());
                }
                DraftAction::List => {
                    for d in office.drafts("")? {
                        print_line(&format!(
                            "{}\t{}\t{}\t{}",
                            d.id, d.updated_at, d.versions, d.title
                        ));
                    }
                }
                DraftAction::Open { id, output } => {
                    let json = office.open_draft(id)?.to_json();
                    match output {
                        Some(out) => office.write_file(&out, json.as_bytes())?,
                        None => print_line(&json),
                    }
                }
                DraftAction::Versions { id } => {
                    for v in office.draft_versions(id)? {
                        print_line(&format!("{}\t{}", v.id, v.saved_at));
                    }
                }
                DraftAction::Restore { id, version } => {
                    office.restore_draft(id, version)?;
                }
                DraftAction::Delete { id } => office.delete_draft(id)?,
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Profile { action } => {
            let mut office = open_office(&cli.db, &OfficeSettings::default())?;
            match action {
                ProfileAction::Show => {
                    print_line(&serde_json::to_string_pretty(&office.setup()?).unwrap_or_default())
                }
                ProfileAction::Set { profile } => {
                    let text = std::fs::read_to_string(&profile).map_err(|source| Error::Read {
                        path: profile.clone(),
                        source,
                    })?;
                    let p: saraban::service::OfficeProfile =
                        serde_json::from_str(&text).map_err(|e| {
                            Error::input(
                                "",
                                format!("ข้อมูลสำนักงานไม่ถูกต้อง: {e}"),
                                format!("the profile is not valid: {e}"),
                            )
                        })?;
                    office.save_profile(&p)?;
                }
                ProfileAction::Emblem { file } => office.import_emblem(&file)?,
                ProfileAction::Font { file } => office.import_font(&file)?,
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Check { letter, json } => {
            let l = read_letter(&letter)?;
            let findings = saraban::service::proofread(&l);
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
