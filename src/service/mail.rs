//! The office's saraban@ mailbox (ภาคผนวก ๗ of the 2564 amendment): issued letters sent to
//! the agencies of their เรียน and distribution list, the outbox that waits for the server,
//! messages fetched into a list the clerk registers from, and the receipt replies both
//! ways. The servers are `saraban-mail`'s; every step is recorded in the register
//! (`register::post`) with its audit entry.
//!
//! The mailbox's settings live in the register (every clerk of the office shares them);
//! its password only on this computer (`secrets`: the operating system's keyring, else a
//! file readable by its owner alone), never printed nor logged.

use std::path::{Path, PathBuf};

use serde::Serialize;
use ts_rs::TS;

use super::receive::{thai_date, ReceiveOptions, Received, ReceivedFile};
use super::Office;
use crate::error::Error;
use crate::register::{
    AddressEntry, Attempt, MailIn, MailState, NewMail, NewSending, Sending, SendingKind,
    SendingStatus,
};
use crate::Result;
use saraban_mail::message::{self, Attachment, Incoming, Outgoing};
use saraban_mail::Failure;

pub use saraban_mail::{Mailbox, Security, Server};

/// The register setting that holds the mailbox.
const MAILBOX_KEY: &str = "mailbox";
/// The register setting that names this register in Message-IDs.
const REGISTER_UID_KEY: &str = "register_uid";

use super::secrets;
pub use super::secrets::{mail_secrets_path, Kept};

/// The mailbox as the settings show it: the password only said to be kept or not.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct MailboxSetup {
    /// The mailbox, when one is set.
    pub mailbox: Option<Mailbox>,
    /// Whether this computer keeps its password.
    pub password_kept: bool,
    /// Whether in the operating system's keyring (else in the owner-only file).
    pub in_keyring: bool,
}

/// A recipient of a sending: the name as the letter gives it, and its address from the
/// address book, when there is one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Recipient {
    /// The agency.
    pub name: String,
    /// Its address; `None`: not in the address book (said before sending).
    pub address: Option<String>,
}

/// What a send did.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct SendReport {
    /// Each sending, as it stands now.
    pub sendings: Vec<Sending>,
    /// Why some wait in the outbox (the server away), if they do.
    pub waiting_because: Option<String>,
}

impl SendReport {
    /// How many in each state: (sent, queued, failed).
    pub fn counts(&self) -> (usize, usize, usize) {
        let n = |s| self.sendings.iter().filter(|x| x.status == s).count();
        (
            n(SendingStatus::Sent),
            n(SendingStatus::Queued),
            n(SendingStatus::Failed),
        )
    }
}

/// What a fetch found.
#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
pub struct FetchReport {
    /// New messages recorded, each as it stands.
    pub taken: Vec<MailIn>,
    /// Messages already recorded (a copy sent again): not taken twice.
    #[ts(type = "number")]
    pub duplicates: u32,
}

/// A fetched message registered: its receipts and the reply sent to its sender.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct MailReceived {
    /// The message.
    pub mail: MailIn,
    /// One receipt per letter it brought.
    pub receipts: Vec<Received>,
    /// The receipt reply (แจ้งเลขรับ) to the sender.
    pub reply: Option<Sending>,
}

fn no_mailbox() -> Error {
    Error::Mail {
        th: "ยังไม่ได้ตั้งค่ากล่องอีเมลกลาง (saraban@) ของสำนักงาน ตั้งด้วย saraban mailbox set --address ... --smtp ... --imap ... หรือในหน้าตั้งค่า".into(),
        en: "the office's mailbox (saraban@) is not set up; set it with saraban mailbox set --address … --smtp … --imap … or in the settings".into(),
    }
}

fn no_password(address: &str) -> Error {
    Error::Mail {
        th: format!("เครื่องนี้ยังไม่มีรหัสผ่านของ {address} ตั้งใหม่ด้วย saraban mailbox set (รหัสผ่านจาก SARABAN_MAIL_PASSWORD หรือพิมพ์เมื่อถาม) หรือในหน้าตั้งค่า"),
        en: format!("this computer keeps no password for {address}; set it with saraban mailbox set (password from SARABAN_MAIL_PASSWORD or typed when asked) or in the settings"),
    }
}

/// Whitespace collapsed, for matching names.
fn squeeze(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A file name without the characters file systems refuse.
fn file_name(s: &str) -> String {
    let name: String = s
        .chars()
        .map(|c| {
            if matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|') || c.is_control() {
                '-'
            } else {
                c
            }
        })
        .collect();
    name.trim().to_string()
}

/// The media type of an enclosure, by its name.
fn mime_of(name: &str) -> &'static str {
    let lower = name.to_lowercase();
    let ext = lower.rsplit('.').next().unwrap_or("");
    match ext {
        "pdf" => "application/pdf",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "doc" => "application/msword",
        "xls" => "application/vnd.ms-excel",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "zip" => "application/zip",
        "txt" | "csv" => "text/plain",
        _ => "application/octet-stream",
    }
}

impl Office {
    /// The mailbox, if one is set.
    pub fn mailbox(&self) -> Result<Option<Mailbox>> {
        let Some(bytes) = self.reg()?.setting(MAILBOX_KEY)? else {
            return Ok(None);
        };
        serde_json::from_slice(&bytes).map(Some).map_err(|e| Error::Register {
            th: format!("อ่านการตั้งค่ากล่องอีเมลในทะเบียนไม่ได้ ({e}) ตั้งใหม่ด้วย saraban mailbox set"),
            en: format!("the mailbox settings in the register cannot be read ({e}); set them again with saraban mailbox set"),
        })
    }

    /// The mailbox as the settings screen shows it.
    pub fn mailbox_setup(&self) -> Result<MailboxSetup> {
        let mailbox = self.mailbox()?;
        let kept = mailbox.as_ref().and_then(|m| secrets::kept(&m.address));
        Ok(MailboxSetup {
            mailbox,
            password_kept: kept.is_some(),
            in_keyring: kept == Some(Kept::Keyring),
        })
    }

    /// Sets the mailbox (checked first) and, when given, keeps its password on this
    /// computer.
    pub fn set_mailbox(&mut self, mb: &Mailbox, password: Option<&str>) -> Result<()> {
        let mut mb = mb.clone();
        mb.address = mb.address.trim().to_lowercase();
        mb.validate()?;
        let json = serde_json::to_vec(&mb).map_err(|e| Error::Pdf(e.to_string()))?;
        self.reg_mut()?
            .set_settings(&[(MAILBOX_KEY, Some(json.as_slice()))])?;
        if let Some(p) = password {
            secrets::keep(&mb.address, p)?;
        }
        Ok(())
    }

    fn mailbox_and_password(&self) -> Result<(Mailbox, String)> {
        let mb = self.mailbox()?.ok_or_else(no_mailbox)?;
        let pw = secrets::password(&mb.address).ok_or_else(|| no_password(&mb.address))?;
        Ok((mb, pw))
    }

    /// This register's name in Message-IDs (made once, kept in the register).
    fn register_uid(&mut self) -> Result<String> {
        if let Some(b) = self.reg()?.setting(REGISTER_UID_KEY)? {
            return Ok(String::from_utf8_lossy(&b).into_owned());
        }
        let seed = format!(
            "{:?}{}{}",
            std::time::SystemTime::now(),
            std::process::id(),
            self.reg()?.location().shown()
        );
        let uid = saraban_mail::sha256_hex(seed.as_bytes())[..16].to_string();
        self.reg_mut()?
            .set_settings(&[(REGISTER_UID_KEY, Some(uid.as_bytes()))])?;
        Ok(uid)
    }

    // ---- The address book (สมุดที่อยู่)

    /// The address book.
    pub fn addresses(&self) -> Result<Vec<AddressEntry>> {
        self.reg()?.addresses()
    }

    /// Adds or changes an agency's address.
    pub fn add_address(&mut self, name: &str, address: &str, note: &str) -> Result<()> {
        let name = squeeze(name);
        if name.is_empty() {
            return Err(Error::input(
                "name",
                "ใส่ชื่อส่วนราชการ",
                "give the agency's name",
            ));
        }
        let address = address.trim().to_lowercase();
        saraban_mail::account::check_address("address", &address)?;
        self.reg_mut()?
            .save_addresses(&[(name, address, note.trim().to_string())])?;
        Ok(())
    }

    /// Removes an address-book entry.
    pub fn delete_address(&mut self, id: i64) -> Result<()> {
        self.reg_mut()?.delete_address(id)
    }

    /// Imports a directory of addresses (DGA's list of saraban@ addresses, CSV or XLSX):
    /// the columns are found by their headings (ชื่อ/หน่วยงาน/ส่วนราชการ, อีเมล/e-mail),
    /// else the first two. Every row is checked first; one bad row refuses the file,
    /// naming its row. Returns how many entries were added or changed.
    pub fn import_addresses(&mut self, path: &Path) -> Result<usize> {
        let rows = super::directory::rows(path)?;
        let entries = super::directory::entries(&rows)?;
        self.reg_mut()?.save_addresses(&entries)
    }

    /// The recipients of an issued letter: its เรียน and its distribution list, each with
    /// its address from the address book (or `to`, addresses or names, instead).
    pub fn recipients(&self, id: i64, to: &[String]) -> Result<Vec<Recipient>> {
        let book = self.addresses()?;
        let by_name = |name: &str| {
            let n = squeeze(name);
            book.iter().find(|e| e.name == n).map(|e| e.address.clone())
        };
        let names: Vec<String> = if to.is_empty() {
            let letter = self.issued_letter(id)?;
            let mut names: Vec<String> = Vec::new();
            if let Some(r) = letter
                .recipient
                .as_deref()
                .map(squeeze)
                .filter(|r| !r.is_empty())
            {
                names.push(r);
            }
            if let Some(d) = &letter.distribution {
                names.extend(
                    d.recipients
                        .iter()
                        .map(|r| squeeze(r))
                        .filter(|r| !r.is_empty()),
                );
            }
            names
        } else {
            to.iter().map(|t| squeeze(t)).collect()
        };
        let mut out: Vec<Recipient> = Vec::new();
        for n in names {
            let r = if n.contains('@') {
                saraban_mail::account::check_address("to", &n)?;
                let address = n.to_lowercase();
                let name = book
                    .iter()
                    .find(|e| e.address == address)
                    .map(|e| e.name.clone())
                    .unwrap_or_else(|| address.clone());
                Recipient {
                    name,
                    address: Some(address),
                }
            } else {
                Recipient {
                    address: by_name(&n),
                    name: n,
                }
            };
            if !out
                .iter()
                .any(|o| o.name == r.name && o.address == r.address)
            {
                out.push(r);
            }
        }
        if out.is_empty() {
            return Err(Error::input(
                "to",
                "หนังสือนี้ไม่มีผู้รับ (เรียน หรือบัญชีแนบท้าย) ระบุผู้รับด้วย --to",
                "this letter names no recipient (เรียน or a distribution list); give them with --to",
            ));
        }
        Ok(out)
    }

    // ---- Sending (ส่งหนังสือทางอีเมล)

    /// Sends an issued letter to its recipients (or `to`), with the issued PDF and the
    /// enclosures given: every recipient must have an address (said before anything is
    /// sent); each message joins the outbox, recorded with its hash, then goes to the
    /// server; when the server is away it waits there, sent once when it is back.
    pub fn send_letter(
        &mut self,
        id_or_number: &str,
        to: &[String],
        enclosures: &[PathBuf],
    ) -> Result<SendReport> {
        let mb = self.mailbox()?.ok_or_else(no_mailbox)?;
        let id = self.reg()?.find(id_or_number)?;
        let entry = self.entry(id)?;
        if entry.status != crate::register::Status::Issued {
            return Err(Error::input(
                "id",
                format!(
                    "หนังสือ {} ไม่ได้อยู่ในสถานะออกเลขแล้ว (ยกเลิกหรือยังเป็นร่าง) จึงส่งไม่ได้",
                    entry.number
                ),
                format!(
                    "{} is not an issued letter (cancelled, or a draft): it cannot be sent",
                    entry.number
                ),
            ));
        }
        let recipients = self.recipients(id, to)?;
        let missing: Vec<&str> = recipients
            .iter()
            .filter(|r| r.address.is_none())
            .map(|r| r.name.as_str())
            .collect();
        if !missing.is_empty() {
            return Err(Error::input(
                "to",
                format!(
                    "ยังไม่มีที่อยู่อีเมลของ: {} (เพิ่มด้วย saraban addresses add \"ชื่อ\" saraban@… หรือนำเข้าทำเนียบของ สพร.) ยังไม่ได้ส่งถึงผู้ใด",
                    missing.join(", ")
                ),
                format!(
                    "no e-mail address for: {} (add with saraban addresses add \"NAME\" saraban@… or import DGA's directory); nothing was sent",
                    missing.join(", ")
                ),
            ));
        }
        let mut files = Vec::new();
        for p in enclosures {
            let name = p
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| p.display().to_string());
            let meta = std::fs::metadata(p).map_err(|source| Error::Read {
                path: p.clone(),
                source,
            })?;
            if meta.len() > saraban_mail::message::MAX_MESSAGE {
                return Err(Error::input(
                    "attach",
                    format!(
                        "ไฟล์แนบ {name} ใหญ่ {} MB เกินกว่าจะส่งทางอีเมล",
                        meta.len() >> 20
                    ),
                    format!(
                        "the enclosure {name} is {} MB, too large to send by e-mail",
                        meta.len() >> 20
                    ),
                ));
            }
            let bytes = std::fs::read(p).map_err(|source| Error::Read {
                path: p.clone(),
                source,
            })?;
            files.push(Attachment {
                mime: mime_of(&name).to_string(),
                name,
                bytes,
            });
        }
        let letter = self.issued_letter(id)?;
        // The copy handed out: signed, once it is.
        let pdf = self.latest_pdf(id)?;
        let agency = self.profile().map(|p| p.agency).unwrap_or_default();
        let agency = if agency.trim().is_empty() {
            mb.address.clone()
        } else {
            agency
        };
        let date = letter
            .date
            .and_then(|d| d.to_naive())
            .map(thai_date)
            .unwrap_or_default();
        let subject_text = letter.subject.clone().unwrap_or_default();
        let uid = self.register_uid()?;
        let mut attachments = vec![Attachment {
            name: format!("{}.pdf", file_name(&format!("หนังสือ {}", entry.number))),
            mime: "application/pdf".into(),
            bytes: pdf,
        }];
        attachments.extend(files);
        let listed: Vec<String> = attachments
            .iter()
            .map(|a| format!("  - {}", a.name))
            .collect();
        let mut new = Vec::new();
        for r in &recipients {
            let address = r.address.clone().unwrap_or_default();
            let mut text = format!(
                "เรียน {}\n\n{} ขอส่งหนังสือราชการมาเพื่อโปรดทราบและพิจารณา ดังนี้\n  ที่ {}\n  ลงวันที่ {}\n  เรื่อง {}\n",
                r.name, agency, entry.number, date, subject_text
            );
            if let Some(u) = letter.urgency {
                text.push_str(&format!("  ชั้นความเร็ว {}\n", u.mark()));
            }
            text.push_str(&format!(
                "\nไฟล์แนบ\n{}\n\nเมื่อได้รับแล้ว ขอได้โปรดแจ้งเลขทะเบียนรับกลับมายังที่อยู่นี้ ({})\n\n{}\n",
                listed.join("\n"),
                mb.address,
                agency
            ));
            let out = Outgoing {
                from: (agency.clone(), mb.address.clone()),
                to: (r.name.clone(), address.clone()),
                message_id: message::message_id("letter", &uid, id, &address, mb.domain()),
                in_reply_to: None,
                subject: format!("{} ลงวันที่ {} เรื่อง {}", entry.number, date, subject_text),
                text,
                date: chrono::Utc::now().timestamp(),
                headers: vec![(message::LETTER_HEADER.into(), entry.number.clone())],
                attachments: attachments.clone(),
            };
            new.push(NewSending {
                kind: SendingKind::Letter,
                letter_id: Some(id),
                receipt_id: None,
                name: r.name.clone(),
                address,
                message_id: out.message_id.clone(),
                eml: out.build(),
            });
        }
        let queued = self.reg_mut()?.queue_sendings(&new)?;
        self.try_sendings(&mb, queued)
    }

    /// Tries each sending still in the outbox; a server away leaves the rest waiting.
    fn try_sendings(&mut self, mb: &Mailbox, list: Vec<Sending>) -> Result<SendReport> {
        let password = secrets::password(&mb.address);
        let mut out = Vec::new();
        let mut waiting_because = None;
        for s in list {
            if s.status != SendingStatus::Queued {
                out.push(s);
                continue;
            }
            let Some(pw) = &password else {
                waiting_because = Some(
                    no_password(&mb.address)
                        .lines(crate::error::Lang::Th)
                        .join(" "),
                );
                out.push(s);
                continue;
            };
            if waiting_because.is_some() {
                // The server was just away: the rest wait too, untried.
                out.push(s);
                continue;
            }
            let eml = self.reg()?.sending_eml(s.id)?;
            let attempt = match saraban_mail::smtp::send(mb, pw, &[&s.address], &eml) {
                Ok(answer) => Attempt::Sent(answer),
                Err(f)
                    if f.is_transient()
                        || matches!(f, Failure::Login(_) | Failure::Certificate(_)) =>
                {
                    let e = f.to_error(&mb.smtp.label());
                    tracing::warn!(sending = s.id, "mail waits in the outbox: {}", f.detail());
                    waiting_because = Some(e.lines(crate::error::Lang::Th).join(" "));
                    Attempt::Waiting(f.short_th())
                }
                Err(f) => Attempt::Failed(f.detail().to_string()),
            };
            out.push(self.reg_mut()?.record_attempt(s.id, &attempt)?);
        }
        Ok(SendReport {
            sendings: out,
            waiting_because,
        })
    }

    /// The outbox: sendings not yet taken by the server.
    pub fn outbox(&self) -> Result<Vec<Sending>> {
        self.reg()?
            .sendings(None, None, Some(SendingStatus::Queued))
    }

    /// Sends what waits in the outbox.
    pub fn send_outbox(&mut self) -> Result<SendReport> {
        let mb = self.mailbox()?.ok_or_else(no_mailbox)?;
        let list = self.outbox()?;
        self.try_sendings(&mb, list)
    }

    /// The sendings of an issued letter (how it went, to whom, when, the server's answer).
    pub fn sendings_of(&self, id: i64) -> Result<Vec<Sending>> {
        self.reg()?.sendings(Some(id), None, None)
    }

    /// Every sending, newest first (the sent-mail list).
    pub fn all_sendings(&self) -> Result<Vec<Sending>> {
        let mut all = self.reg()?.sendings(None, None, None)?;
        all.reverse();
        Ok(all)
    }

    // ---- Fetching (รับหนังสือจากกล่องอีเมล)

    /// Fetches new messages: each recorded (with its audit entry) before it is marked
    /// taken on the server, so none is lost or taken twice; receipt replies are recorded
    /// on the sendings they answer.
    pub fn fetch_mail(&mut self) -> Result<FetchReport> {
        let (mb, pw) = self.mailbox_and_password()?;
        let server = mb.imap.label();
        let mut session =
            saraban_mail::imap::Session::open(&mb, &pw).map_err(|f| f.to_error(&server))?;
        let last = self.reg()?.last_uid(&mb.address, session.uid_validity)?;
        let waiting = session.waiting(last).map_err(|f| f.to_error(&server))?;
        let book = self.addresses()?;
        let mut report = FetchReport::default();
        for w in waiting {
            let (raw, read) = if w.size > message::MAX_MESSAGE {
                let header = session.header(w.uid).map_err(|f| f.to_error(&server))?;
                let inc = message::headers(&header);
                (header, Err((message::Refusal::TooLarge(w.size), inc)))
            } else {
                let raw = session.message(w.uid).map_err(|f| f.to_error(&server))?;
                let read = message::read(&raw).map_err(|r| (r, message::headers(&raw)));
                (raw, read)
            };
            // What it is: a receipt reply, letters, nothing to register, or refused.
            let (inc, state, problem) = match read {
                Ok(inc) => {
                    let state = if acknowledgment(&inc).is_some() {
                        MailState::Acknowledgment
                    } else if inc.letters.is_empty() {
                        MailState::NoLetter
                    } else {
                        MailState::New
                    };
                    let problem = forged(&inc, &book);
                    (inc, state, problem)
                }
                Err((refusal, inc)) => (inc, MailState::Refused, Some(refusal.text().0)),
            };
            let ack = acknowledgment(&inc);
            let new = NewMail {
                mailbox: mb.address.clone(),
                uid_validity: session.uid_validity,
                uid: w.uid,
                message_id: inc.message_id,
                from_address: inc.from_address,
                from_name: inc.from_name,
                subject: inc.subject,
                sent_at: inc.date,
                letters: inc.letters.len() as i64,
                state,
                problem,
                eml: raw,
            };
            // Fault injection for the tests: the app killed between fetch and record.
            fail::fail_point!("mail-fetched");
            match self.reg_mut()?.take_mail(&new)? {
                Some(taken) => {
                    if let Some((reply_to, note)) = ack {
                        self.reg_mut()?.acknowledge(&reply_to, &note)?;
                    }
                    report.taken.push(taken);
                }
                None => report.duplicates += 1,
            }
            // Recorded: now the server may forget it (a failure here is harmless, the
            // UID is below the next fetch's start).
            fail::fail_point!("mail-taken");
            if let Err(f) = session.mark_taken(w.uid) {
                tracing::warn!(
                    uid = w.uid,
                    "could not flag a message taken: {}",
                    f.detail()
                );
            }
        }
        session.close();
        Ok(report)
    }

    /// The fetched messages the clerk still has to act on: letters to register, and
    /// messages without one to dismiss.
    pub fn fetched(&self) -> Result<Vec<MailIn>> {
        self.reg()?.mails(&[MailState::New, MailState::NoLetter])
    }

    /// Every fetched message, newest first.
    pub fn all_fetched(&self) -> Result<Vec<MailIn>> {
        let mut all = self.reg()?.mails(&[])?;
        all.reverse();
        Ok(all)
    }

    /// A fetched message exactly as it arrived.
    pub fn mail_eml(&self, id: i64) -> Result<Vec<u8>> {
        self.reg()?.mail_eml(id)
    }

    /// The letters (PDF files) a fetched message brings.
    pub fn mail_letters(&self, id: i64) -> Result<Vec<ReceivedFile>> {
        let raw = self.reg()?.mail_eml(id)?;
        let inc = message::read(&raw).map_err(|r| {
            let (th, en) = r.text();
            Error::Mail { th, en }
        })?;
        Ok(inc
            .letters
            .into_iter()
            .map(|a| ReceivedFile {
                name: a.name,
                bytes: a.bytes,
            })
            .collect())
    }

    /// Registers a fetched message's letters in the incoming register (the first with
    /// `opts`' fields, when the clerk corrected them), marks it received, and sends its
    /// sender the receipt reply. A letter already registered (the app killed after the
    /// receipt, before the message was marked) is not registered again.
    pub fn receive_mail(&mut self, id: i64, opts: &ReceiveOptions) -> Result<MailReceived> {
        let mail = self.reg()?.mail(id)?;
        match mail.state {
            MailState::New | MailState::NoLetter => {}
            MailState::Received => {
                return Err(Error::input(
                    "id",
                    format!("ข้อความ {id} ลงรับไปแล้ว"),
                    format!("message {id} was already received"),
                ))
            }
            _ => {
                return Err(Error::input(
                    "id",
                    format!(
                        "ข้อความ {id} ไม่มีหนังสือให้ลงรับ ({})",
                        mail.problem.clone().unwrap_or_default()
                    ),
                    format!("message {id} brings no letter to receive"),
                ))
            }
        }
        let files = self.mail_letters(id)?;
        if files.is_empty() {
            return Err(Error::input(
                "id",
                format!(
                    "ข้อความ {id} (เรื่อง {}) ไม่มีไฟล์ PDF แนบมา จึงไม่มีหนังสือให้ลงรับ",
                    mail.subject
                ),
                format!(
                    "message {id} ({}) has no PDF attached: there is no letter to receive",
                    mail.subject
                ),
            ));
        }
        let mut receipts = Vec::new();
        for (i, file) in files.iter().enumerate() {
            let sha = saraban_mail::sha256_hex(&file.bytes);
            if let Some(earlier) = self.reg()?.received_before(&sha)? {
                receipts.push(Received {
                    receipt: earlier,
                    stamp_in_front: false,
                });
                continue;
            }
            let mut o = opts.clone();
            if i > 0 {
                o.fields = None;
            }
            receipts.push(self.receive(file, &o)?);
        }
        // The app killed between the receipt and the message's record.
        fail::fail_point!("mail-received");
        self.mail_received(id, receipts)
    }

    /// Records that a fetched message's letters were received (the app receives them one
    /// by one through its confirm form): the message settled with its first receipt, and
    /// the receipt reply sent to its sender.
    pub fn mail_received(&mut self, id: i64, receipts: Vec<Received>) -> Result<MailReceived> {
        let Some(first) = receipts.first().map(|r| r.receipt.clone()) else {
            return Err(Error::input(
                "id",
                format!("ข้อความ {id} ยังไม่มีหนังสือที่ลงรับ"),
                format!("no letter of message {id} was received"),
            ));
        };
        let mail = self
            .reg_mut()?
            .settle_mail(id, MailState::Received, Some(first.id))?;
        let reply = self.send_receipt_reply(&mail, &receipts)?;
        Ok(MailReceived {
            mail,
            receipts,
            reply,
        })
    }

    /// Sets a fetched message aside (not a letter, spam): it stays on record.
    pub fn dismiss_mail(&mut self, id: i64) -> Result<MailIn> {
        let mail = self.reg()?.mail(id)?;
        if mail.state == MailState::Received {
            return Err(Error::input(
                "id",
                format!("ข้อความ {id} ลงรับแล้ว จึงละไม่ได้"),
                format!("message {id} was received: it cannot be dismissed"),
            ));
        }
        self.reg_mut()?.settle_mail(id, MailState::Dismissed, None)
    }

    /// The receipt reply (แจ้งเลขทะเบียนรับ) to a message's sender.
    fn send_receipt_reply(
        &mut self,
        mail: &MailIn,
        receipts: &[Received],
    ) -> Result<Option<Sending>> {
        let Some(mb) = self.mailbox()? else {
            return Ok(None);
        };
        if mail.from_address.is_empty()
            || saraban_mail::account::check_address("from", &mail.from_address).is_err()
        {
            return Ok(None);
        }
        let agency = self.profile().map(|p| p.agency).unwrap_or_default();
        let agency = if agency.trim().is_empty() {
            mb.address.clone()
        } else {
            agency
        };
        let r = &receipts[0].receipt;
        let numbers: Vec<String> = receipts.iter().map(|x| x.receipt.receipt_text()).collect();
        let ascii = format!("{}/{}", r.receipt_number, r.year_be);
        let at = super::receive::thai_when(&r.received_at);
        let text = format!(
            "เรียน {}\n\n{} ได้รับหนังสือ ที่ {} เรื่อง {} แล้ว\nเลขทะเบียนรับ {} เมื่อ {}\n\n{}\n",
            if mail.from_name.is_empty() {
                &mail.from_address
            } else {
                &mail.from_name
            },
            agency,
            r.fields.number,
            r.fields.subject,
            numbers.join(", "),
            at,
            agency
        );
        let uid = self.register_uid()?;
        let out = Outgoing {
            from: (agency.clone(), mb.address.clone()),
            to: (mail.from_name.clone(), mail.from_address.clone()),
            message_id: message::message_id("receipt", &uid, r.id, &mail.from_address, mb.domain()),
            in_reply_to: mail.message_id.clone(),
            subject: format!("แจ้งเลขทะเบียนรับ {}: {}", numbers.join(", "), mail.subject),
            text,
            date: chrono::Utc::now().timestamp(),
            headers: vec![(message::RECEIPT_HEADER.into(), ascii)],
            attachments: Vec::new(),
        };
        let new = NewSending {
            kind: SendingKind::ReceiptReply,
            letter_id: None,
            receipt_id: Some(r.id),
            name: if mail.from_name.is_empty() {
                mail.from_address.clone()
            } else {
                mail.from_name.clone()
            },
            address: mail.from_address.clone(),
            message_id: out.message_id.clone(),
            eml: out.build(),
        };
        let queued = self.reg_mut()?.queue_sendings(&[new])?;
        let report = self.try_sendings(&mb, queued)?;
        Ok(report.sendings.into_iter().next())
    }
}

/// A receipt reply (a receipt number, answering a message): the Message-ID it answers
/// and the note for that sending.
fn acknowledgment(inc: &Incoming) -> Option<(String, String)> {
    let (receipt, reply_to) = (inc.receipt.as_ref()?, inc.in_reply_to.first()?);
    let who = if inc.from_name.is_empty() {
        &inc.from_address
    } else {
        &inc.from_name
    };
    Some((
        reply_to.clone(),
        format!(
            "เลขรับ {} ของ {who} ({})",
            saraban_thai::to_thai_digits(receipt),
            inc.from_address
        ),
    ))
}

/// A From that claims an agency of the address book with another address: said so.
fn forged(inc: &Incoming, book: &[AddressEntry]) -> Option<String> {
    let name = squeeze(&inc.from_name);
    if name.is_empty() || inc.from_address.is_empty() {
        return None;
    }
    if book.iter().any(|e| e.address == inc.from_address) {
        return None;
    }
    book.iter().find(|e| e.name == name).map(|e| {
        format!(
            "ผู้ส่งอ้างชื่อ {} แต่ส่งจาก {} ซึ่งไม่ใช่ที่อยู่ในสมุดที่อยู่ ({}) อาจเป็นอีเมลปลอม ตรวจสอบกับหน่วยงานก่อนลงรับ",
            e.name, inc.from_address, e.address
        )
    })
}
