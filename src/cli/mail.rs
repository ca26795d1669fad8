//! The CLI's mailbox commands (`saraban mailbox`, `addresses`, `send`, `outbox`, `fetch`,
//! `mail`): thin calls of the office's mailbox, their results printed in the clerk's
//! language or as JSON.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Subcommand;

use saraban::error::{Error, Lang};
use saraban::register::{MailIn, MailState, Sending, SendingStatus};
use saraban::service::mail::{Security, SendReport, Server};
use saraban::service::{Office, ReceiveOptions};

#[derive(Subcommand)]
pub enum MailboxAction {
    /// Set the office's mailbox (saraban@…); the password comes from
    /// SARABAN_MAIL_PASSWORD or is asked on the terminal, and is kept on this computer only.
    Set {
        /// The central address, saraban@….
        #[arg(long)]
        address: String,
        /// The SMTP server: smtps://host[:465] or smtp://host[:587] (STARTTLS).
        #[arg(long)]
        smtp: String,
        /// The IMAP server: imaps://host[:993] or imap://host[:143] (STARTTLS).
        #[arg(long)]
        imap: String,
        /// The login name (default: the address).
        #[arg(long)]
        user: Option<String>,
        /// implicit, starttls or none (none only to this computer); default: by the URLs.
        #[arg(long)]
        tls: Option<String>,
        /// Trust this certificate (PEM) alone: a self-signed office server, or the office's
        /// own authority.
        #[arg(long = "pin-cert")]
        pin_cert: Option<PathBuf>,
        /// Fetch every N minutes while the app runs (0: on start and on demand only).
        #[arg(long)]
        every: Option<u32>,
    },
    /// Show the mailbox (never the password).
    Show {
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
pub enum AddressesAction {
    /// Add or change an agency's address.
    Add {
        /// The agency, as letters name it in เรียน.
        name: String,
        /// Its saraban@ address.
        address: String,
        /// A note.
        #[arg(long, default_value = "")]
        note: String,
    },
    /// Import a directory (DGA's list of saraban@ addresses), CSV or XLSX.
    Import { file: PathBuf },
    /// List the address book.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Remove an entry by its id.
    Delete { id: i64 },
}

#[derive(Subcommand)]
pub enum MailAction {
    /// The fetched messages still to act on (or --all).
    List {
        #[arg(long)]
        all: bool,
        #[arg(long)]
        json: bool,
    },
    /// Receive a fetched message's letters into the incoming register, and send its
    /// sender the receipt reply.
    Receive {
        /// The message's id (saraban fetch lists them).
        id: i64,
        /// เรื่อง, instead of what was read.
        #[arg(long)]
        subject: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Set aside a message that brings no letter.
    Dismiss { id: i64 },
    /// Write a fetched message as it arrived (.eml).
    Save {
        id: i64,
        #[arg(short = 'o', long = "output")]
        output: PathBuf,
    },
}

fn say(lang: Lang, th: String, en: String) {
    crate::print_line(&match lang {
        Lang::Th => th,
        Lang::En => en,
    });
}

fn password(lang: Lang) -> Result<Option<String>, Error> {
    if let Ok(p) = std::env::var("SARABAN_MAIL_PASSWORD") {
        return Ok(Some(p));
    }
    if !std::io::stdin().is_terminal() {
        return Ok(None);
    }
    let prompt = match lang {
        Lang::Th => "รหัสผ่านของกล่องอีเมล: ",
        Lang::En => "mailbox password: ",
    };
    rpassword::prompt_password(prompt)
        .map(Some)
        .map_err(|source| Error::Read {
            path: PathBuf::from("terminal"),
            source,
        })
}

pub fn mailbox(office: &mut Office, action: MailboxAction, lang: Lang) -> Result<ExitCode, Error> {
    match action {
        MailboxAction::Set {
            address,
            smtp,
            imap,
            user,
            tls,
            pin_cert,
            every,
        } => {
            let tls = match tls.as_deref() {
                None => None,
                Some(t) => Some(Security::parse(t).ok_or_else(|| {
                    Error::input(
                        "tls",
                        format!("--tls {t}: ใช้ implicit, starttls หรือ none"),
                        format!("--tls {t}: use implicit, starttls or none"),
                    )
                })?),
            };
            let pinned_cert = match pin_cert {
                Some(p) => Some(
                    std::fs::read_to_string(&p)
                        .map_err(|source| Error::Read { path: p, source })?,
                ),
                None => None,
            };
            let mb = saraban_mail::Mailbox {
                address,
                smtp: Server::parse(&smtp, true, tls)?,
                imap: Server::parse(&imap, false, tls)?,
                user: user.unwrap_or_default(),
                pinned_cert,
                fetch_minutes: every.unwrap_or(15),
            };
            let pw = password(lang)?;
            office.set_mailbox(&mb, pw.as_deref())?;
            let in_keyring = office.mailbox_setup()?.in_keyring;
            let (kept_th, kept_en) = match (pw.is_some(), in_keyring) {
                (true, true) => (
                    "เก็บรหัสผ่านไว้ในที่เก็บรหัสผ่านของระบบ (keyring)",
                    "password kept in the system's keyring",
                ),
                (true, false) => (
                    "เก็บรหัสผ่านไว้ในเครื่องนี้ (ไฟล์ที่เจ้าของเครื่องอ่านได้คนเดียว)",
                    "password kept on this computer (a file only its owner can read)",
                ),
                (false, _) => (
                    "ยังไม่มีรหัสผ่าน (ตั้ง SARABAN_MAIL_PASSWORD แล้วสั่งอีกครั้ง)",
                    "no password yet (set SARABAN_MAIL_PASSWORD and run it again)",
                ),
            };
            let (smtp, imap) = (
                format!("{} {}", mb.smtp.label(), mb.smtp.security.name()),
                format!("{} {}", mb.imap.label(), mb.imap.security.name()),
            );
            say(
                lang,
                format!(
                    "ตั้งกล่องอีเมล {} แล้ว (ส่ง {smtp}, รับ {imap}) {kept_th}",
                    mb.address
                ),
                format!(
                    "mailbox {} set (send {smtp}, fetch {imap}); {kept_en}",
                    mb.address
                ),
            );
            Ok(ExitCode::SUCCESS)
        }
        MailboxAction::Show { json } => {
            let setup = office.mailbox_setup()?;
            if json {
                crate::print_line(&serde_json::to_string(&setup).unwrap_or_default());
            } else if let Some(mb) = setup.mailbox {
                say(
                    lang,
                    format!(
                        "{}: ส่ง {} ({}), รับ {} ({}), รหัสผ่าน{}",
                        mb.address,
                        mb.smtp.label(),
                        mb.smtp.security.name(),
                        mb.imap.label(),
                        mb.imap.security.name(),
                        if setup.password_kept {
                            "เก็บไว้ในเครื่องนี้"
                        } else {
                            "ยังไม่มีในเครื่องนี้"
                        }
                    ),
                    format!(
                        "{}: send {} ({}), fetch {} ({}), password {}",
                        mb.address,
                        mb.smtp.label(),
                        mb.smtp.security.name(),
                        mb.imap.label(),
                        mb.imap.security.name(),
                        if setup.password_kept {
                            "kept on this computer"
                        } else {
                            "not on this computer"
                        }
                    ),
                );
            } else {
                say(lang, "ยังไม่ได้ตั้งกล่องอีเมล".into(), "no mailbox set".into());
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

pub fn addresses(
    office: &mut Office,
    action: AddressesAction,
    lang: Lang,
) -> Result<ExitCode, Error> {
    match action {
        AddressesAction::Add {
            name,
            address,
            note,
        } => {
            office.add_address(&name, &address, &note)?;
            say(
                lang,
                format!("บันทึก {name} <{address}> แล้ว"),
                format!("saved {name} <{address}>"),
            );
        }
        AddressesAction::Import { file } => {
            let n = office.import_addresses(&file)?;
            say(
                lang,
                format!("นำเข้า {n} รายการ"),
                format!("imported {n} entries"),
            );
        }
        AddressesAction::List { json } => {
            for e in office.addresses()? {
                if json {
                    crate::print_line(&serde_json::to_string(&e).unwrap_or_default());
                } else {
                    crate::print_line(&format!("{}\t{}\t{}\t{}", e.id, e.name, e.address, e.note));
                }
            }
        }
        AddressesAction::Delete { id } => {
            office.delete_address(id)?;
            say(
                lang,
                format!("ลบที่อยู่ {id} แล้ว"),
                format!("address {id} deleted"),
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn status_text(s: &Sending, lang: Lang) -> String {
    match (s.status, lang) {
        (SendingStatus::Sent, Lang::Th) => "ส่งแล้ว",
        (SendingStatus::Queued, Lang::Th) => "รอส่ง (อยู่ในกล่องขาออก)",
        (SendingStatus::Failed, Lang::Th) => "ส่งไม่สำเร็จ",
        (SendingStatus::Sent, Lang::En) => "sent",
        (SendingStatus::Queued, Lang::En) => "queued (in the outbox)",
        (SendingStatus::Failed, Lang::En) => "failed",
    }
    .to_string()
}

fn print_report(r: &SendReport, json: bool, lang: Lang) -> ExitCode {
    for s in &r.sendings {
        if json {
            crate::print_line(&serde_json::to_string(s).unwrap_or_default());
        } else {
            crate::print_line(&format!(
                "{}\t{} <{}>\t{}\t{}",
                s.id,
                s.name,
                s.address,
                status_text(s, lang),
                s.answer.clone().unwrap_or_default()
            ));
        }
    }
    let (sent, queued, failed) = r.counts();
    if !json {
        say(
            lang,
            format!("ส่งแล้ว {sent} รอส่ง {queued} ไม่สำเร็จ {failed}"),
            format!("sent {sent}, queued {queued}, failed {failed}"),
        );
    }
    if let Some(why) = &r.waiting_because {
        tell!("saraban: {why}");
    }
    if failed > 0 {
        ExitCode::from(3)
    } else {
        ExitCode::SUCCESS
    }
}

pub fn send(
    office: &mut Office,
    id: &str,
    to: &[String],
    attach: &[PathBuf],
    json: bool,
    lang: Lang,
) -> Result<ExitCode, Error> {
    let r = office.send_letter(id, to, attach)?;
    Ok(print_report(&r, json, lang))
}

pub fn outbox(office: &mut Office, send: bool, json: bool, lang: Lang) -> Result<ExitCode, Error> {
    if send {
        let r = office.send_outbox()?;
        return Ok(print_report(&r, json, lang));
    }
    let list = office.outbox()?;
    for s in &list {
        if json {
            crate::print_line(&serde_json::to_string(s).unwrap_or_default());
        } else {
            crate::print_line(&format!(
                "{}\t{} <{}>\t{}\t{}",
                s.id,
                s.name,
                s.address,
                status_text(s, lang),
                s.answer.clone().unwrap_or_default()
            ));
        }
    }
    if !json {
        say(
            lang,
            format!("รอส่ง {} ฉบับ", list.len()),
            format!("{} waiting", list.len()),
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn state_text(m: &MailIn, lang: Lang) -> &'static str {
    match (m.state, lang) {
        (MailState::New, Lang::Th) => "รอลงรับ",
        (MailState::Received, Lang::Th) => "ลงรับแล้ว",
        (MailState::NoLetter, Lang::Th) => "ไม่มีหนังสือแนบ",
        (MailState::Dismissed, Lang::Th) => "ละแล้ว",
        (MailState::Refused, Lang::Th) => "ไม่รับ",
        (MailState::Acknowledgment, Lang::Th) => "แจ้งเลขรับกลับ",
        (MailState::New, Lang::En) => "to receive",
        (MailState::Received, Lang::En) => "received",
        (MailState::NoLetter, Lang::En) => "no letter",
        (MailState::Dismissed, Lang::En) => "dismissed",
        (MailState::Refused, Lang::En) => "refused",
        (MailState::Acknowledgment, Lang::En) => "receipt reply",
    }
}

fn print_mail(m: &MailIn, json: bool, lang: Lang) {
    if json {
        crate::print_line(&serde_json::to_string(m).unwrap_or_default());
    } else {
        let mut line = format!(
            "{}\t{}\t{} <{}>\t{}",
            m.id,
            state_text(m, lang),
            m.from_name,
            m.from_address,
            m.subject
        );
        if let Some(p) = &m.problem {
            line.push_str(&format!("\t⚠ {p}"));
        }
        crate::print_line(&line);
    }
}

pub fn fetch(office: &mut Office, json: bool, lang: Lang) -> Result<ExitCode, Error> {
    let r = office.fetch_mail()?;
    for m in &r.taken {
        print_mail(m, json, lang);
    }
    if !json {
        let letters = r.taken.iter().filter(|m| m.state == MailState::New).count();
        say(
            lang,
            format!("รับข้อความใหม่ {} ฉบับ (มีหนังสือรอลงรับ {letters}) ซ้ำ {} (ไม่รับซ้ำ) ลงรับด้วย saraban mail receive ID", r.taken.len(), r.duplicates),
            format!("{} new messages ({letters} with letters to receive), {} duplicates (not taken twice); receive with saraban mail receive ID", r.taken.len(), r.duplicates),
        );
    }
    Ok(ExitCode::SUCCESS)
}

pub fn mail(office: &mut Office, action: MailAction, lang: Lang) -> Result<ExitCode, Error> {
    match action {
        MailAction::List { all, json } => {
            let list = if all {
                office.all_fetched()?
            } else {
                office.fetched()?
            };
            for m in &list {
                print_mail(m, json, lang);
            }
        }
        MailAction::Receive { id, subject, json } => {
            let mut opts = ReceiveOptions::default();
            if let Some(s) = subject {
                let files = office.mail_letters(id)?;
                if let Some(f) = files.first() {
                    let mut fields = office.read_received(f)?.fields;
                    fields.subject = s;
                    opts.fields = Some(fields);
                }
            }
            let r = office.receive_mail(id, &opts)?;
            if json {
                crate::print_line(&serde_json::to_string(&r).unwrap_or_default());
            } else {
                for x in &r.receipts {
                    say(
                        lang,
                        format!(
                            "ลงรับแล้ว เลขรับ {} เรื่อง {}",
                            x.receipt.receipt_text(),
                            x.receipt.fields.subject
                        ),
                        format!(
                            "received as {}/{}: {}",
                            x.receipt.receipt_number, x.receipt.year_be, x.receipt.fields.subject
                        ),
                    );
                }
                if let Some(s) = &r.reply {
                    say(
                        lang,
                        format!("แจ้งเลขรับถึง {}: {}", s.address, status_text(s, lang)),
                        format!("receipt reply to {}: {}", s.address, status_text(s, lang)),
                    );
                }
            }
        }
        MailAction::Dismiss { id } => {
            office.dismiss_mail(id)?;
            say(
                lang,
                format!("ละข้อความ {id} แล้ว (ยังเก็บบันทึกไว้)"),
                format!("message {id} dismissed (still on record)"),
            );
        }
        MailAction::Save { id, output } => {
            let eml = office.mail_eml(id)?;
            office.output(&output)?.commit(&eml)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
