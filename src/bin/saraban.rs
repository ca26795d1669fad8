//! `saraban`: the command line of ../shared/spec/cli.md, a thin shell over `saraban::Office`.

/// A message on standard error that never panics: `eprintln!` panics when stderr cannot
/// be written (a pipe whose reader left, or one that fails under load), which would end a
/// command that already issued its number with exit 101 and nothing said.
macro_rules! tell {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

/// [`tell!`] without the line's end (a progress line that `\r` rewrites).
macro_rules! tell_on {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let mut e = std::io::stderr();
        let _ = write!(e, $($arg)*);
        let _ = e.flush();
    }};
}

#[path = "../cli/mail.rs"]
mod mail_cli;
#[path = "../cli/sign.rs"]
mod sign_cli;

use std::io::IsTerminal;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::builder::{PossibleValuesParser, TypedValueParser};
use clap::{Parser, Subcommand};
use saraban::letter::check::Level;
use saraban::letter::Kind;
use saraban::register::{Location, Status};
use saraban::service::{Access, ExportFormat, PrintCopy};
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
    /// Create a new, empty register (the only command that creates one).
    Init,
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
        #[arg(long, value_parser = copy_name(), default_value = "original")]
        copy: PrintCopy,
        /// Write PDF/A-3b, the archival form (sRGB output intent, XMP metadata, the letter's data embedded).
        #[arg(long)]
        pdfa: bool,
    },
    /// Hand a letter to Word (ส่งออก Word): a .docx with the same parts in the same places,
    /// TH SarabunIT๙ 16 pt, the Garuda, Thai line breaking. A draft is marked ร่าง, its
    /// number and day left blank; an issued letter (by id or number) comes from the register.
    Docx {
        /// The letter: a JSON file (- reads standard input), or an issued letter's id or
        /// number in the register.
        letter: String,
        /// Output file (default: the letter's name with .docx, or the number's).
        #[arg(short = 'o', long = "output")]
        output: Option<PathBuf>,
        /// The Garuda emblem for a letter from a file: PNG, JPEG or SVG (default:
        /// $SARABAN_EMBLEM; an issued letter uses the register's).
        #[arg(long)]
        emblem: Option<PathBuf>,
    },
    /// Issue a letter: the next running number, the date, the final PDF, stored for good.
    Issue {
        /// The letter (JSON); - reads standard input.
        letter: PathBuf,
        /// Date of issue, YYYY-MM-DD (default: today). A year of 2400 or more is read as
        /// a Buddhist-Era year.
        #[arg(long)]
        date: Option<String>,
        /// Accept a date more than a year from today.
        #[arg(long)]
        any_date: bool,
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
        /// Store and write the letter as PDF/A-3b, the archival form.
        #[arg(long)]
        pdfa: bool,
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
        #[arg(long, value_parser = kind_name())]
        kind: Option<Kind>,
        /// Status.
        #[arg(long, value_parser = status_name())]
        status: Option<Status>,
        /// At most N results.
        #[arg(long, default_value_t = 50)]
        limit: usize,
        /// One JSON object per line.
        #[arg(long)]
        json: bool,
        /// Which register: outgoing (ทะเบียนหนังสือส่ง, the default), incoming
        /// (ทะเบียนหนังสือรับ) or all.
        #[arg(long, value_parser = ["outgoing", "incoming", "all"], default_value = "outgoing")]
        register: String,
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
    /// Receive letters that arrived (ลงรับ): a PDF, a scan or photo (PNG, JPEG, TIFF), or an
    /// e-mail (.eml, each PDF attached a letter); its fields read, the receipt stamp put
    /// on it, numbered in the incoming register (ทะเบียนหนังสือรับ).
    Receive {
        /// The files received.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// When it was received, "YYYY-MM-DD HH:MM" Bangkok time (default: now).
        #[arg(long)]
        at: Option<String>,
        /// Write the stamped PDF here (one letter only).
        #[arg(short = 'o', long = "output")]
        output: Option<PathBuf>,
        /// One JSON object per letter received.
        #[arg(long)]
        json: bool,
        /// Receive a file that was received before (it is said so otherwise).
        #[arg(long)]
        again: bool,
        /// Only read the fields and print them; nothing is received.
        #[arg(long)]
        read_only: bool,
        /// ที่ as printed, instead of what was read.
        #[arg(long)]
        number: Option<String>,
        /// ลงวันที่ (YYYY-MM-DD), instead of what was read.
        #[arg(long)]
        date: Option<String>,
        /// จาก, instead of what was read.
        #[arg(long)]
        from: Option<String>,
        /// ถึง, instead of what was read.
        #[arg(long)]
        to: Option<String>,
        /// เรื่อง, instead of what was read.
        #[arg(long)]
        subject: Option<String>,
    },
    /// Route a received letter (เกษียนหนังสือ): a summary and proposal, an order, a
    /// hand-over, or done.
    Route {
        /// The receipt: its receipt number (12/2569) or id.
        receipt: String,
        /// สรุปเรื่อง (with --proposal: the clerk's summary and proposal).
        #[arg(long)]
        summary: Option<String>,
        /// ข้อเสนอ.
        #[arg(long)]
        proposal: Option<String>,
        /// คำสั่งการ: the chief's order (with --by, and --date, default today).
        #[arg(long)]
        order: Option<String>,
        /// Who gave the order.
        #[arg(long)]
        by: Option<String>,
        /// The date of the order (YYYY-MM-DD).
        #[arg(long)]
        date: Option<String>,
        /// Hand over to this unit or officer.
        #[arg(long = "hand-over")]
        hand_over: Option<String>,
        /// Done (ดำเนินการแล้ว), with what was done.
        #[arg(long)]
        done: Option<String>,
        /// A note to a hand-over.
        #[arg(long)]
        note: Option<String>,
    },
    /// Draft a reply to a received letter (หนังสือตอบ): its sender as the recipient, its
    /// subject, an อ้างถึง naming it, and the link the register keeps when it is issued.
    Reply {
        /// The receipt: its receipt number (12/2569) or id.
        receipt: String,
        /// Write the draft letter (JSON) here; default: standard output.
        #[arg(short = 'o', long = "output")]
        output: Option<PathBuf>,
    },
    /// The incoming register (ทะเบียนหนังสือรับ): show, cancel, overdue, export, book.
    Incoming {
        #[command(subcommand)]
        action: IncomingAction,
    },
    /// Export the register (ทะเบียนหนังสือส่ง).
    Export {
        /// csv or xlsx.
        #[arg(long, value_parser = format_name())]
        format: ExportFormat,
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
    /// Write a verified copy of the register (clerks may keep working meanwhile).
    Backup {
        /// The backup file to write (its anchor is written beside it).
        #[arg(short = 'o', long = "output")]
        output: PathBuf,
    },
    /// Replace the register with a backup, after verifying the backup.
    Restore {
        /// The backup file.
        backup: PathBuf,
        /// Restore even when the backup is older than the register (issued letters lost).
        #[arg(long)]
        force: bool,
    },
    /// Move a whole register to another engine — an SQLite file to a PostgreSQL server
    /// (postgres://…) or back — with letters, PDFs, drafts and the audit chain, verified on
    /// arrival. The target must be empty (a server database is created when missing).
    Migrate {
        /// The register to copy (a file or a postgres:// URL); it is only read.
        #[arg(long)]
        from: PathBuf,
        /// The empty register to fill (a new file, or a postgres:// URL).
        #[arg(long)]
        to: PathBuf,
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
    /// The office's mailbox (saraban@): set it, show it.
    Mailbox {
        #[command(subcommand)]
        action: mail_cli::MailboxAction,
    },
    /// The address book of agencies (สมุดที่อยู่): add, import DGA's directory, list.
    Addresses {
        #[command(subcommand)]
        action: mail_cli::AddressesAction,
    },
    /// Send an issued letter by e-mail to its recipients (เรียน and the distribution list),
    /// or to --to; queued in the outbox when the server is away (and said so).
    Send {
        /// Its id or number.
        id: String,
        /// Send to these (addresses, or names in the address book) instead.
        #[arg(long)]
        to: Vec<String>,
        /// Enclosures (สิ่งที่ส่งมาด้วย) to attach after the letter's PDF.
        #[arg(long)]
        attach: Vec<PathBuf>,
        #[arg(long)]
        json: bool,
    },
    /// What waits to be sent; --send tries it now.
    Outbox {
        #[arg(long)]
        send: bool,
        #[arg(long)]
        json: bool,
    },
    /// Fetch new mail from the mailbox: letters to receive, receipt replies recorded.
    Fetch {
        #[arg(long)]
        json: bool,
    },
    /// Fetched messages: list, receive, dismiss, save.
    Mail {
        #[command(subcommand)]
        action: mail_cli::MailAction,
    },
    /// Sign an issued letter electronically (PAdES): with a PKCS #12 file or a PKCS #11
    /// token; time-stamped when a time-stamp authority answers (B-T), with the certificates'
    /// status kept in the file when their responders answer (B-LT). Signing a signed letter
    /// again adds the next signer. The password or PIN: SARABAN_SIGN_PASSWORD, else asked.
    Sign {
        /// Its id or number.
        id: String,
        /// The signer's PKCS #12 file (.p12, .pfx).
        #[arg(long, conflicts_with_all = ["pkcs11", "typed"])]
        p12: Option<PathBuf>,
        /// Without a certificate: the signer's name typed, as the 2564 amendment allows in a
        /// system that identified them (recorded with who typed it).
        #[arg(long, conflicts_with = "pkcs11")]
        typed: Option<String>,
        /// The token's PKCS #11 module (its maker's .so or .dll).
        #[arg(long)]
        pkcs11: Option<PathBuf>,
        /// The token's slot, counting from 0 (default: the first with a token).
        #[arg(long, requires = "pkcs11")]
        slot: Option<usize>,
        /// The time-stamp authority (RFC 3161 URL; default: the office's, see trust tsa).
        #[arg(long)]
        tsa: Option<String>,
        /// The signer's position as the signature shows it (default: the letter's).
        #[arg(long)]
        position: Option<String>,
        /// Also write the signed PDF here.
        #[arg(short, long)]
        output: Option<PathBuf>,
        #[arg(long)]
        json: bool,
    },
    /// Verify a signed PDF offline: every signature (valid, who, when, by which authority,
    /// whether the document changed after it), its time-stamp, and whether it is a letter of
    /// this register. Exits 0 when every signature is valid, trusted and covers the document.
    Verify {
        /// The PDF.
        file: PathBuf,
        /// Also trust the root certificates in this file (PEM or DER); repeatable.
        #[arg(long)]
        trust: Vec<PathBuf>,
        #[arg(long)]
        json: bool,
    },
    /// The roots the office trusts for verifying, and its time-stamp authority.
    Trust {
        #[command(subcommand)]
        action: sign_cli::TrustAction,
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
enum IncomingAction {
    /// One receipt, its routing; write its stamped copy or the original.
    Show {
        /// Its receipt number (12/2569) or id.
        receipt: String,
        /// Write the stamped PDF here.
        #[arg(long)]
        pdf: Option<PathBuf>,
        /// Write the file as it arrived here.
        #[arg(long)]
        original: Option<PathBuf>,
        /// As JSON.
        #[arg(long)]
        json: bool,
    },
    /// Cancel a wrong receipt; its number is never reused.
    Cancel {
        /// Its receipt number or id.
        receipt: String,
        /// Why.
        #[arg(long)]
        reason: String,
    },
    /// Print a receipt's routing sheet (ใบเกษียนหนังสือ): its fields and every routing
    /// step, to clip to the letter.
    Sheet {
        /// Its receipt number (12/2569) or id.
        receipt: String,
        /// The PDF to write.
        #[arg(short = 'o', long = "output")]
        output: PathBuf,
    },
    /// The receipts waiting past the time their urgency allows.
    Overdue {
        /// One JSON object per line.
        #[arg(long)]
        json: bool,
    },
    /// Export the incoming register.
    Export {
        /// csv or xlsx.
        #[arg(long, value_parser = format_name())]
        format: ExportFormat,
        /// The file to write.
        #[arg(short = 'o', long = "output")]
        output: PathBuf,
        /// Only this Buddhist-Era year.
        #[arg(long)]
        year: Option<i64>,
    },
    /// Print the incoming register of a year as its official form (PDF).
    Book {
        /// Buddhist-Era year.
        #[arg(long)]
        year: i64,
        /// The PDF to write.
        #[arg(short = 'o', long = "output")]
        output: PathBuf,
    },
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

/// A date of issue: as [`parse_date`], but a year of 2400 or more is a Buddhist-Era year
/// typed where a Christian one belongs, read as such and said so.
fn parse_issue_date(s: &str, lang: Lang) -> Result<chrono::NaiveDate, Error> {
    use chrono::Datelike;
    let (ce, be) = saraban::letter::parse_date_either_era(s)?;
    if let Some(year) = be {
        tell!(
            "saraban: {}",
            match lang {
                Lang::Th => format!("อ่านปี {year} เป็นปี พ.ศ.: ลงวันที่ {ce} (ค.ศ. {})", ce.year()),
                Lang::En => format!(
                    "read {year} as a Buddhist-Era year: dated {ce} (CE {})",
                    ce.year()
                ),
            }
        );
    }
    Ok(ce)
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

/// The register path: `--db`, else `$SARABAN_DB`, else the app's own.
fn db_path(db: &Option<PathBuf>) -> PathBuf {
    db.clone()
        .unwrap_or_else(saraban::service::default_register_path)
}

/// The office of the register `--db` (default `$SARABAN_DB`, else the app's own), with
/// `settings`' files winning over the register's. Commands that only read open it
/// read-only; none but `init` creates it.
fn open_office(
    db: &Option<PathBuf>,
    access: Access,
    settings: &OfficeSettings,
) -> Result<Office, Error> {
    Office::open_with(&db_path(db), access, settings)
}

/// Text from the register made safe for a terminal: control characters (ESC, newlines in
/// a field) are shown as escapes, never sent raw.
fn printable(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    out
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

fn draft_access(a: &DraftAction) -> Access {
    match a {
        DraftAction::List | DraftAction::Open { .. } | DraftAction::Versions { .. } => Access::Read,
        _ => Access::Write,
    }
}

fn profile_access(a: &ProfileAction) -> Access {
    match a {
        ProfileAction::Show => Access::Read,
        _ => Access::Write,
    }
}

fn run(cli: Cli, lang: Lang) -> Result<ExitCode, Error> {
    match cli.command {
        Command::Mailbox { action } => {
            let mut office = open_office(&cli.db, Access::Write, &OfficeSettings::default())?;
            mail_cli::mailbox(&mut office, action, lang)
        }
        Command::Addresses { action } => {
            let mut office = open_office(&cli.db, Access::Write, &OfficeSettings::default())?;
            mail_cli::addresses(&mut office, action, lang)
        }
        Command::Send {
            id,
            to,
            attach,
            json,
        } => {
            let mut office = open_office(&cli.db, Access::Write, &OfficeSettings::default())?;
            mail_cli::send(&mut office, &id, &to, &attach, json, lang)
        }
        Command::Outbox { send, json } => {
            let mut office = open_office(&cli.db, Access::Write, &OfficeSettings::default())?;
            mail_cli::outbox(&mut office, send, json, lang)
        }
        Command::Fetch { json } => {
            let mut office = open_office(&cli.db, Access::Write, &OfficeSettings::default())?;
            mail_cli::fetch(&mut office, json, lang)
        }
        Command::Mail { action } => {
            let mut office = open_office(&cli.db, Access::Write, &OfficeSettings::default())?;
            mail_cli::mail(&mut office, action, lang)
        }
        Command::Sign {
            id,
            p12,
            typed,
            pkcs11,
            slot,
            tsa,
            position,
            output,
            json,
        } => {
            let mut office = open_office(&cli.db, Access::Write, &OfficeSettings::default())?;
            if let Some(name) = typed {
                return sign_cli::sign_typed(&mut office, &id, &name, position, output, json, lang);
            }
            sign_cli::sign(
                &mut office,
                &id,
                p12,
                pkcs11,
                slot,
                tsa,
                position,
                output,
                json,
                lang,
            )
        }
        Command::Verify { file, trust, json } => {
            // Verifying needs no register; with one, it also says whether the letter is its.
            let office = open_office(&cli.db, Access::Read, &OfficeSettings::default()).ok();
            sign_cli::verify(office.as_ref(), &file, &trust, json, lang)
        }
        Command::Trust { action } => {
            let mut office = open_office(&cli.db, Access::Write, &OfficeSettings::default())?;
            sign_cli::trust(&mut office, action, lang)
        }
        Command::Init => {
            let path = db_path(&cli.db);
            let location = Location::from(path.as_path());
            let office = Office::open_with(&path, Access::Create, &OfficeSettings::default())?;
            let fresh = office.register_created()?;
            let shown = location.shown();
            print_line(&match (lang, fresh) {
                (Lang::Th, true) => format!("สร้างทะเบียนใหม่ที่ {shown} แล้ว"),
                (Lang::Th, false) => format!("มีทะเบียนอยู่แล้วที่ {shown} (ไม่ได้เปลี่ยนแปลง)"),
                (Lang::En, true) => format!("created a new register at {shown}"),
                (Lang::En, false) => format!("a register is already at {shown} (left as it is)"),
            });
            if let Some((th, en)) = office.setup_note()? {
                print_line(&match lang {
                    Lang::Th => th,
                    Lang::En => en,
                });
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Render {
            letter,
            output,
            emblem,
            fonts,
            copy,
            pdfa,
        } => {
            let l = read_letter(&letter)?;
            let emblem = emblem.or_else(|| std::env::var_os("SARABAN_EMBLEM").map(PathBuf::from));
            let office = Office::new(&OfficeSettings {
                fonts,
                emblem,
                pdfa,
                ..Default::default()
            })?;
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
                say_wrote(lang, &out, size);
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Docx {
            letter,
            output,
            emblem,
        } => {
            let path = PathBuf::from(&letter);
            let from_file = letter == "-" || path.is_file() || letter.ends_with(".json");
            let (office, l, default_out) = if from_file {
                let l = read_letter(&path)?;
                let emblem =
                    emblem.or_else(|| std::env::var_os("SARABAN_EMBLEM").map(PathBuf::from));
                let office = Office::new(&OfficeSettings {
                    emblem,
                    ..Default::default()
                })?;
                let out = if letter == "-" {
                    PathBuf::from("letter.docx")
                } else {
                    path.with_extension("docx")
                };
                (office, l, out)
            } else {
                let office = open_office(&cli.db, Access::Read, &OfficeSettings::default())?;
                let e = office.show(&letter)?;
                let l = office.issued_letter(e.id)?;
                let name: String = e
                    .number
                    .chars()
                    .map(|c| if c == '/' || c == '\\' { '-' } else { c })
                    .collect();
                (office, l, PathBuf::from(format!("{name}.docx")))
            };
            let out = output.unwrap_or(default_out);
            let size = office.docx_to(&l, &out)?;
            say_wrote(lang, &out, size);
            Ok(ExitCode::SUCCESS)
        }
        Command::Issue {
            letter,
            date,
            any_date,
            output,
            json,
            keep_number,
            emblem,
            fonts,
            pdfa,
        } => {
            let l = read_letter(&letter)?;
            let date = date.map(|d| parse_issue_date(&d, lang)).transpose()?;
            let emblem = emblem.or_else(|| std::env::var_os("SARABAN_EMBLEM").map(PathBuf::from));
            let mut office = open_office(
                &cli.db,
                Access::Write,
                &OfficeSettings {
                    fonts,
                    emblem,
                    pdfa,
                    ..Default::default()
                },
            )?;
            let opts = saraban::service::IssueOptions {
                date,
                keep_number,
                draft: None,
                any_date,
            };
            // The output is checked before a number is taken.
            let issued = match output {
                Some(out) => office.issue_to(&l, &opts, &out)?,
                None => office.issue(&l, &opts)?,
            };
            if json {
                print_line(&serde_json::to_string(&issued).unwrap_or_default());
            } else {
                print_line(&issued.number);
            }
            // The clerk has the number; what the issue left for later is done now.
            office.after_issue();
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
            register,
        } => {
            let office = open_office(&cli.db, Access::Read, &OfficeSettings::default())?;
            if register != "outgoing" {
                let hits = office.search_receipts(&saraban::register::ReceiptQuery {
                    text: query.clone(),
                    year_be: year,
                    limit: Some(limit),
                    offset: None,
                })?;
                for r in &hits {
                    if json {
                        let mut v = receipt_json(r);
                        v["register"] = "incoming".into();
                        print_line(&v.to_string());
                    } else {
                        print_line(&format!(
                            "{}\t{}\t{}\t{}\t{}",
                            match lang {
                                Lang::Th => "รับ",
                                Lang::En => "in",
                            },
                            r.receipt_text(),
                            printable(&r.fields.number),
                            r.received_at.get(..10).unwrap_or(""),
                            printable(&r.fields.subject)
                        ));
                    }
                }
                if register == "incoming" {
                    return Ok(ExitCode::SUCCESS);
                }
            }
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
                if json && register == "all" {
                    let mut v = serde_json::to_value(&h).unwrap_or_default();
                    v["register"] = "outgoing".into();
                    print_line(&v.to_string());
                } else if json {
                    print_line(&serde_json::to_string(&h).unwrap_or_default());
                } else {
                    print_line(&format!(
                        "{}\t{}\t{}\t{}\t{}",
                        h.entry.id,
                        printable(&h.entry.number),
                        h.entry.date,
                        printable(&h.entry.subject),
                        printable(&h.snippet)
                    ));
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Show { id, pdf, json } => {
            let office = open_office(&cli.db, Access::Read, &OfficeSettings::default())?;
            let e = office.show(&id)?;
            if let Some(out) = pdf {
                office.save_issued_pdf(e.id, &out)?;
            }
            // The receipt it answers (an extension of the entry).
            let answers = office
                .issued_letter(e.id)?
                .reply_to
                .map(|r| format!("{}/{}", r.receipt_number, r.year_be));
            // How it was sent (an extension of the entry): each sending.
            let sendings = office.sendings_of(e.id)?;
            // Who signed it (an extension of the entry): each signature, in order.
            let signatures = office.signatures(e.id)?;
            if json {
                let mut v = serde_json::to_value(&e).unwrap_or_default();
                if let Some(a) = &answers {
                    v["answers"] = a.clone().into();
                }
                v["sendings"] = serde_json::to_value(&sendings).unwrap_or_default();
                v["signatures"] = serde_json::to_value(&signatures).unwrap_or_default();
                print_line(&v.to_string());
            } else {
                if let Some(a) = &answers {
                    print_line(&match lang {
                        Lang::Th => {
                            format!("ตอบหนังสือรับเลขรับ: {}", saraban::thai::to_thai_digits(a))
                        }
                        Lang::En => format!("answers receipt: {a}"),
                    });
                }
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
                    match lang {
                        Lang::Th => e.status.thai_name(),
                        Lang::En => e.status.name(),
                    }
                    .to_string(),
                    e.note,
                ];
                for (l, v) in labels.iter().zip(values) {
                    print_line(&format!("{l}: {}", printable(&v)));
                }
                for s in &signatures {
                    print_line(&match lang {
                        Lang::Th => format!(
                            "ลายมือชื่อที่ {}: {} ({}) {}",
                            s.seq,
                            printable(&s.signer),
                            s.level,
                            s.signed_at
                        ),
                        Lang::En => format!(
                            "signature {}: {} ({}) {}",
                            s.seq,
                            printable(&s.signer),
                            s.level,
                            s.signed_at
                        ),
                    });
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Cancel { id, reason } => {
            let mut office = open_office(&cli.db, Access::Write, &OfficeSettings::default())?;
            let id = office.show(&id)?.id;
            let e = office.cancel(id, &reason)?;
            print_line(&match lang {
                Lang::Th => format!("ยกเลิก {} แล้ว (เลขนี้จะไม่ถูกนำไปใช้ซ้ำ)", e.number),
                Lang::En => format!("cancelled {} (its number will never be reused)", e.number),
            });
            Ok(ExitCode::SUCCESS)
        }
        Command::Receive {
            files,
            at,
            output,
            json,
            again,
            read_only,
            number,
            date,
            from,
            to,
            subject,
        } => {
            let at = at.map(|a| parse_time(&a)).transpose()?;
            let date = date.map(|d| parse_date(&d, "date")).transpose()?;
            let mut letters = Vec::new();
            for f in &files {
                letters.extend(saraban::service::read_files(f)?);
            }
            if output.is_some() && letters.len() != 1 {
                return Err(Error::input(
                    "output",
                    format!(
                        "-o เขียนฉบับประทับตราได้เมื่อรับหนังสือฉบับเดียว (นี่คือ {} ฉบับ)",
                        letters.len()
                    ),
                    format!(
                        "-o writes the stamped copy of one letter only (these are {})",
                        letters.len()
                    ),
                ));
            }
            let mut office = open_office(
                &cli.db,
                if read_only {
                    Access::Read
                } else {
                    Access::Write
                },
                &OfficeSettings::default(),
            )?;
            let out = match &output {
                Some(o) => Some(office.output(o)?),
                None => None,
            };
            for file in &letters {
                let reading = office.read_received(file)?;
                let mut fields = reading.fields.clone();
                if let Some(v) = &number {
                    fields.number = v.clone();
                }
                if let Some(v) = date {
                    fields.date = Some(v);
                }
                if let Some(v) = &from {
                    fields.from = v.clone();
                }
                if let Some(v) = &to {
                    fields.to = v.clone();
                }
                if let Some(v) = &subject {
                    fields.subject = v.clone();
                }
                if read_only {
                    let v = serde_json::json!({
                        "file": file.name, "read_by": reading.read_by, "kind": reading.kind,
                        "number": fields.number, "date": fields.date, "from": fields.from,
                        "to": fields.to, "subject": fields.subject, "urgency": fields.urgency,
                        "secrecy": fields.secrecy, "references": fields.references,
                        "enclosures": fields.enclosures, "spots": reading.spots,
                    });
                    print_line(&v.to_string());
                    continue;
                }
                let received = office.receive_read(
                    file,
                    &reading,
                    &saraban::service::ReceiveOptions {
                        at,
                        fields: Some(fields),
                        again,
                    },
                )?;
                let r = &received.receipt;
                if json {
                    let mut v = receipt_json(r);
                    v["file"] = file.name.clone().into();
                    v["stamp_in_front"] = received.stamp_in_front.into();
                    print_line(&v.to_string());
                } else {
                    print_line(&match lang {
                        Lang::Th => format!(
                            "ลงรับ {} แล้ว: เลขรับ {} เรื่อง {}{}",
                            file.name,
                            r.receipt_text(),
                            printable(&r.fields.subject),
                            if received.stamp_in_front {
                                " (ตรารับอยู่ในหน้าที่เพิ่มไว้หน้าแรก: มุมขวาบนไม่มีที่ว่าง)"
                            } else {
                                ""
                            }
                        ),
                        Lang::En => format!(
                            "received {}: receipt {}/{}, {}{}",
                            file.name,
                            r.receipt_number,
                            r.year_be,
                            printable(&r.fields.subject),
                            if received.stamp_in_front {
                                " (stamped on a page put in front: no room at the top right)"
                            } else {
                                ""
                            }
                        ),
                    });
                    if let Some((th, en)) = &reading.note {
                        tell!("{}", lang.pick(th, en));
                    }
                }
                if let Some(out) = out {
                    out.commit(&office.received_stamped(r.id)?)?;
                    break;
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Route {
            receipt,
            summary,
            proposal,
            order,
            by,
            date,
            hand_over,
            done,
            note,
        } => {
            use saraban::received::RoutingStep;
            let mut office = open_office(&cli.db, Access::Write, &OfficeSettings::default())?;
            let r = office.find_receipt(&receipt)?;
            let mut steps = Vec::new();
            if summary.is_some() || proposal.is_some() {
                steps.push(RoutingStep::Proposal {
                    summary: summary.unwrap_or_default(),
                    proposal: proposal.unwrap_or_default(),
                });
            }
            if let Some(text) = order {
                steps.push(RoutingStep::Order {
                    by: by.unwrap_or_default(),
                    text,
                    date: match date {
                        Some(d) => parse_date(&d, "date")?,
                        None => saraban::thai::date::today(),
                    },
                });
            }
            if let Some(to) = hand_over {
                steps.push(RoutingStep::HandOver {
                    to,
                    note: note.unwrap_or_default(),
                });
            }
            if let Some(note) = done {
                steps.push(RoutingStep::Done { note });
            }
            if steps.is_empty() {
                return Err(Error::input(
                    "",
                    "ระบุการเกษียนอย่างน้อยหนึ่งอย่าง: --summary/--proposal, --order --by, --hand-over หรือ --done",
                    "give at least one routing step: --summary/--proposal, --order --by, --hand-over or --done",
                ));
            }
            for step in &steps {
                office.route(r.id, step)?;
                print_line(&match lang {
                    Lang::Th => format!(
                        "{} {}: {}",
                        r.receipt_text(),
                        step.thai_name(),
                        printable(&step.line())
                    ),
                    Lang::En => format!(
                        "{}/{}: {}",
                        r.receipt_number,
                        r.year_be,
                        printable(&step.line())
                    ),
                });
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Reply { receipt, output } => {
            let office = open_office(&cli.db, Access::Read, &OfficeSettings::default())?;
            let r = office.find_receipt(&receipt)?;
            let json = office.reply_letter(r.id)?.to_json();
            match output {
                Some(o) => office.output(&o)?.commit(json.as_bytes())?,
                None => print_line(&json),
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Incoming { action } => {
            let access = match action {
                IncomingAction::Cancel { .. } => Access::Write,
                _ => Access::Read,
            };
            let mut office = open_office(&cli.db, access, &OfficeSettings::default())?;
            match action {
                IncomingAction::Show {
                    receipt,
                    pdf,
                    original,
                    json,
                } => {
                    let r = office.find_receipt(&receipt)?;
                    if let Some(p) = pdf {
                        office.save_received_stamped(r.id, &p)?;
                    }
                    if let Some(p) = original {
                        let out = office.output(&p)?;
                        out.commit(&office.received_original(r.id)?)?;
                    }
                    if json {
                        print_line(&receipt_json(&r).to_string());
                    } else {
                        let row = saraban::service::incoming_row(&r);
                        for (l, v) in saraban::service::INCOMING_COLUMNS.iter().zip(row) {
                            print_line(&format!("{l}: {}", printable(&v)));
                        }
                    }
                }
                IncomingAction::Cancel { receipt, reason } => {
                    let id = office.find_receipt(&receipt)?.id;
                    let r = office.cancel_receipt(id, &reason)?;
                    print_line(&match lang {
                        Lang::Th => {
                            format!("ยกเลิกเลขรับ {} แล้ว (เลขนี้จะไม่ถูกนำไปใช้ซ้ำ)", r.receipt_text())
                        }
                        Lang::En => format!(
                            "cancelled receipt {}/{} (its number will never be reused)",
                            r.receipt_number, r.year_be
                        ),
                    });
                }
                IncomingAction::Sheet { receipt, output } => {
                    let id = office.find_receipt(&receipt)?.id;
                    let size = office.routing_sheet_to(id, &output)?;
                    say_wrote(lang, &output, size);
                }
                IncomingAction::Overdue { json } => {
                    for r in office.overdue(saraban::thai::date::today())? {
                        if json {
                            print_line(&receipt_json(&r).to_string());
                        } else {
                            print_line(&format!(
                                "{}\t{}\t{}",
                                r.receipt_text(),
                                r.fields.urgency.map(|u| u.mark()).unwrap_or(""),
                                printable(&r.fields.subject)
                            ));
                        }
                    }
                }
                IncomingAction::Export {
                    format,
                    output,
                    year,
                } => {
                    office.export_incoming_to(format, year, &output)?;
                }
                IncomingAction::Book { year, output } => {
                    let size = office.incoming_book_to(year, &output)?;
                    say_wrote(lang, &output, size);
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Export {
            format,
            output,
            year,
        } => {
            let office = open_office(&cli.db, Access::Read, &OfficeSettings::default())?;
            office.export_to(format, year, &output)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Book { year, output } => {
            let office = open_office(&cli.db, Access::Read, &OfficeSettings::default())?;
            // Progress on a terminal only: a script or the app reads stderr for errors.
            let tty = std::io::stderr().is_terminal();
            let mut shown = false;
            let size = office.book_to_with(year, &output, &mut |p| {
                if tty {
                    let pct = (p.rows * 100).checked_div(p.total).unwrap_or(100);
                    tell_on!(
                        "\r{}",
                        match lang {
                            Lang::Th => format!(
                                "กำลังพิมพ์สมุดทะเบียน หน้า {} · หนังสือ {}/{} ฉบับ ({}%)",
                                p.pages, p.rows, p.total, pct
                            ),
                            Lang::En => format!(
                                "printing the register book: page {} · {}/{} letters ({}%)",
                                p.pages, p.rows, p.total, pct
                            ),
                        }
                    );
                    shown = true;
                }
            })?;
            if shown {
                tell!();
            }
            say_wrote(lang, &output, size);
            Ok(ExitCode::SUCCESS)
        }
        Command::Backup { output } => {
            let office = open_office(&cli.db, Access::Read, &OfficeSettings::default())?;
            let r = office.backup(&output)?;
            print_line(&match lang {
                Lang::Th => format!(
                    "สำรองทะเบียนไว้ที่ {} แล้ว ตรวจสอบถูกต้อง: หนังสือ {} ฉบับ บันทึก {} รายการ",
                    output.display(),
                    r.letters,
                    r.entries
                ),
                Lang::En => format!(
                    "backed up to {}, verified: {} letters, {} audit entries",
                    output.display(),
                    r.letters,
                    r.entries
                ),
            });
            Ok(ExitCode::SUCCESS)
        }
        Command::Restore { backup, force } => {
            let mut office = open_office(&cli.db, Access::Create, &OfficeSettings::default())?;
            let r = office.restore(&backup, force)?;
            print_line(&match lang {
                Lang::Th => format!(
                    "กู้คืนทะเบียนจาก {} แล้ว: หนังสือ {} ฉบับ บันทึก {} รายการ",
                    backup.display(),
                    r.letters,
                    r.entries
                ),
                Lang::En => format!(
                    "restored from {}: {} letters, {} audit entries",
                    backup.display(),
                    r.letters,
                    r.entries
                ),
            });
            Ok(ExitCode::SUCCESS)
        }
        Command::Migrate { from, to } => {
            let moved = saraban::service::migrate_register(&from, &to)?;
            let (from, to) = (
                Location::from(from.as_path()).shown(),
                Location::from(to.as_path()).shown(),
            );
            let r = &moved.report;
            print_line(&match lang {
                Lang::Th => format!(
                    "ย้ายทะเบียนจาก {from} ไปที่ {to} แล้ว: {} แถว หนังสือ {} ฉบับ บันทึกการตรวจสอบ {} รายการ ตรวจสอบปลายทางถูกต้อง (ห่วงโซ่ {})",
                    moved.rows, r.letters, r.entries, &r.head[..12]
                ),
                Lang::En => format!(
                    "moved the register from {from} to {to}: {} rows, {} letters, {} audit entries; verified on arrival (chain {})",
                    moved.rows, r.letters, r.entries, &r.head[..12]
                ),
            });
            Ok(ExitCode::SUCCESS)
        }
        Command::Audit {
            action: AuditAction::Verify,
        } => {
            let office = open_office(&cli.db, Access::Read, &OfficeSettings::default())?;
            let report = office.verify_audit()?;
            if report.intact() {
                print_line(&match lang {
                    Lang::Th => format!(
                        "ทะเบียนถูกต้องครบถ้วน: บันทึกการตรวจสอบ {} รายการ หนังสือ {} ฉบับ ตรงกันทั้งหมด (รหัสตรวจสอบทะเบียน {} ค่าเต็ม {})",
                        report.entries,
                        report.letters,
                        saraban::service::short_code(&report.head),
                        report.head
                    ),
                    Lang::En => format!(
                        "register intact: {} audit entries and {} letters agree (register check code {}, chain head {})",
                        report.entries,
                        report.letters,
                        saraban::service::short_code(&report.head),
                        report.head
                    ),
                });
                Ok(ExitCode::SUCCESS)
            } else {
                for p in &report.problems {
                    tell!("saraban: {}", lang.pick(&p.th, &p.en));
                }
                Err(Error::Register {
                    th: format!(
                        "ทะเบียนถูกแก้ไขนอกโปรแกรม: พบ {} ปัญหา กรุณากู้คืนจากสำเนาสำรองและแจ้งผู้ดูแล",
                        report.problems.len()
                    ),
                    en: format!(
                        "the register was tampered with: {} problems found; restore it from a backup and tell the administrator",
                        report.problems.len()
                    ),
                })
            }
        }
        Command::Draft { action } => {
            let mut office =
                open_office(&cli.db, draft_access(&action), &OfficeSettings::default())?;
            match action {
                DraftAction::Save { letter, id } => {
                    let l = read_letter(&letter)?;
                    print_line(&office.save_draft(id, &l)?.to_string());
                }
                DraftAction::List => {
                    for d in office.drafts("")? {
                        print_line(&format!(
                            "{}\t{}\t{}\t{}",
                            d.id,
                            d.updated_at,
                            d.versions,
                            printable(&d.title)
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
            let mut office =
                open_office(&cli.db, profile_access(&action), &OfficeSettings::default())?;
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

/// The language asked for on the command line (before clap has parsed it), else the
/// system's.
fn lang_from_args() -> Lang {
    let args: Vec<String> = std::env::args().collect();
    for (i, a) in args.iter().enumerate() {
        if let Some(v) = a.strip_prefix("--lang=") {
            return Lang::from_tag(v);
        }
        if a == "--lang" {
            if let Some(v) = args.get(i + 1) {
                return Lang::from_tag(v);
            }
        }
    }
    system_lang()
}

/// A usage error in Thai (clap speaks English only).
fn usage_th(e: &clap::Error) -> String {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    let ctx = |k: ContextKind| match e.get(k) {
        Some(ContextValue::String(s)) => s.clone(),
        Some(ContextValue::Strings(v)) => v.join(", "),
        Some(v) => v.to_string(),
        None => String::new(),
    };
    let what = match e.kind() {
        ErrorKind::UnknownArgument => format!("ไม่รู้จักตัวเลือก {}", ctx(ContextKind::InvalidArg)),
        ErrorKind::InvalidSubcommand => {
            format!("ไม่รู้จักคำสั่ง {}", ctx(ContextKind::InvalidSubcommand))
        }
        ErrorKind::MissingSubcommand => "ต้องระบุคำสั่ง".to_string(),
        ErrorKind::MissingRequiredArgument => {
            format!("ขาดค่าที่ต้องระบุ: {}", ctx(ContextKind::InvalidArg))
        }
        ErrorKind::InvalidValue => format!(
            "ค่า “{}” ของ {} ใช้ไม่ได้ (ใช้ได้: {})",
            ctx(ContextKind::InvalidValue),
            ctx(ContextKind::InvalidArg),
            ctx(ContextKind::ValidValue)
        ),
        ErrorKind::ValueValidation => format!(
            "ค่า “{}” ของ {} ไม่ถูกต้อง",
            ctx(ContextKind::InvalidValue),
            ctx(ContextKind::InvalidArg)
        ),
        ErrorKind::ArgumentConflict => {
            format!("ใช้ {} ร่วมกับตัวเลือกอื่นที่ระบุไม่ได้", ctx(ContextKind::InvalidArg))
        }
        ErrorKind::TooManyValues | ErrorKind::NoEquals => {
            format!("ค่าเกินหรือไม่ถูกที่: {}", ctx(ContextKind::InvalidArg))
        }
        _ => "ใช้คำสั่งไม่ถูกต้อง".to_string(),
    };
    format!("{what} (ดูวิธีใช้: saraban --help)")
}

/// `--kind`: a letter kind by its name in the letter JSON (listed in `--help`).
fn kind_name() -> impl TypedValueParser<Value = Kind> {
    PossibleValuesParser::new(Kind::ALL.map(Kind::name))
        .map(|s| Kind::from_name(&s).unwrap_or(Kind::External))
}

/// `--status`: issued or cancelled.
fn status_name() -> impl TypedValueParser<Value = Status> {
    PossibleValuesParser::new([Status::Issued.name(), Status::Cancelled.name()])
        .map(|s| Status::from_name(&s).unwrap_or(Status::Issued))
}

/// `--copy`: `original`, or `file` (สำเนาคู่ฉบับ).
fn copy_name() -> impl TypedValueParser<Value = PrintCopy> {
    PossibleValuesParser::new(["original", "file"]).map(|s| match s.as_str() {
        "file" => PrintCopy::FileCopy,
        _ => PrintCopy::Original,
    })
}

/// `--format`: `csv` or `xlsx`.
/// A receipt as the JSON of `saraban receive --json` (spec/cli.md).
fn receipt_json(r: &saraban::register::Receipt) -> serde_json::Value {
    serde_json::json!({
        "id": r.id,
        "receipt_number": r.receipt_number,
        "year_be": r.year_be,
        "number": r.fields.number,
        "date": r.fields.date,
        "from": r.fields.from,
        "to": r.fields.to,
        "subject": r.fields.subject,
        "urgency": r.fields.urgency,
        "secrecy": r.fields.secrecy,
        "references": r.fields.references,
        "enclosures": r.fields.enclosures,
        "received_at": r.received_at,
        "received_by": r.received_by,
        "sha256": r.sha256,
        "stamped_sha256": r.stamped_sha256,
        "read_by": r.read_by,
        "kind": r.kind,
        "status": r.status,
        "note": r.note,
        "routing": r.routing,
        "replies": r.replies,
    })
}

/// `--at`: "YYYY-MM-DD HH:MM" (or with seconds), Bangkok time.
fn parse_time(s: &str) -> Result<chrono::NaiveDateTime, Error> {
    let t = s.trim();
    chrono::NaiveDateTime::parse_from_str(t, "%Y-%m-%d %H:%M")
        .or_else(|_| chrono::NaiveDateTime::parse_from_str(t, "%Y-%m-%d %H:%M:%S"))
        .or_else(|_| chrono::NaiveDateTime::parse_from_str(t, "%Y-%m-%dT%H:%M"))
        .map_err(|_| {
            Error::input(
                "at",
                format!("เวลาที่รับ “{t}” ไม่ถูกต้อง ให้เขียนเป็น YYYY-MM-DD HH:MM (ปี ค.ศ.) เช่น 2026-12-05 10:30"),
                format!("the time received “{t}” is not valid; write YYYY-MM-DD HH:MM (Christian era), e.g. 2026-12-05 10:30"),
            )
        })
        .and_then(|at| {
            let year = chrono::Datelike::year(&at);
            if year >= 2400 {
                return Err(Error::input(
                    "at",
                    format!("ปี {year} เป็นปี พ.ศ. เวลาที่รับต้องเป็น ค.ศ. (พ.ศ. {year} คือ ค.ศ. {})", year - 543),
                    format!("{year} is a Buddhist-Era year; the time received is given in the Christian era (BE {year} is CE {})", year - 543),
                ));
            }
            Ok(at)
        })
}

fn format_name() -> impl TypedValueParser<Value = ExportFormat> {
    PossibleValuesParser::new(["csv", "xlsx"]).map(|s| match s.as_str() {
        "csv" => ExportFormat::Csv,
        _ => ExportFormat::Xlsx,
    })
}

fn main() -> ExitCode {
    // Fault injection for the tests (FAILPOINTS=name=action); nothing in a normal build.
    let _faults = fail::FailScenario::setup();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            use clap::error::ErrorKind;
            let shows = matches!(
                e.kind(),
                ErrorKind::DisplayHelp
                    | ErrorKind::DisplayVersion
                    | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
            );
            if shows || lang_from_args() == Lang::En {
                e.exit();
            }
            tell!("saraban: {}", usage_th(&e));
            return ExitCode::from(2);
        }
    };
    let lang = cli
        .lang
        .as_deref()
        .map(Lang::from_tag)
        .unwrap_or_else(system_lang);
    match run(cli, lang) {
        Ok(code) => code,
        Err(e) => {
            for line in e.lines(lang) {
                tell!("saraban: {line}");
            }
            ExitCode::from(e.exit_code() as u8)
        }
    }
}

/// Says on standard error that `path` was written, and its size.
fn say_wrote(lang: Lang, path: &std::path::Path, size: usize) {
    tell!(
        "{}",
        match lang {
            Lang::Th => format!("เขียน {} แล้ว ({} ไบต์)", path.display(), size),
            Lang::En => format!("wrote {} ({} bytes)", path.display(), size),
        }
    );
}
