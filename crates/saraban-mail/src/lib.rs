//! The office's official mailbox (ที่อยู่ไปรษณีย์อิเล็กทรอนิกส์กลาง, `saraban@…`).
//!
//! Since the 2564 amendment of the correspondence regulation (ภาคผนวก ๗) every agency has a
//! central address that begins with `saraban`: letters go out from it, arrive in it, and
//! each arrival is answered with its receipt number. This crate is the post office between
//! the register and the servers: it builds the messages (mail-builder), sends them over
//! SMTP (lettre), fetches what arrived over IMAP (imap) and reads it (mail-parser). It
//! decides nothing about the register: the office (crate `saraban`) says what to send and
//! records what happened.
//!
//! - [`account`]: the mailbox's settings (address, servers, TLS, a pinned certificate);
//! - [`tls`]: the TLS connector both protocols use, with the pin;
//! - [`message`]: an official letter, or a receipt reply, as a MIME message; a message
//!   that arrived read into its letters, with the limits that refuse a mail bomb;
//! - [`smtp`] and [`imap`]: the two conversations with the servers, and their failures
//!   said in Thai and English.

pub mod account;
pub mod imap;
pub mod message;
pub mod smtp;
pub mod tls;

pub use account::{Mailbox, Security, Server};
pub use message::{Incoming, Outgoing, Refusal};

use saraban_model::error::Error;

/// Why a conversation with a mail server did not succeed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// The server could not be reached (down, no network, timed out): try again later.
    Unreachable(String),
    /// The server said "not now" (a 4xx answer): try again later.
    Temporary(String),
    /// The server refused this message for good (a 5xx answer: too large, no such
    /// recipient): sending it again will not help.
    Refused(String),
    /// The user name or password was not accepted.
    Login(String),
    /// The server's certificate is not the one trusted (changed, expired, self-signed and
    /// not pinned).
    Certificate(String),
}

impl Failure {
    /// Whether the same message may go through later unchanged.
    pub fn is_transient(&self) -> bool {
        matches!(self, Failure::Unreachable(_) | Failure::Temporary(_))
    }

    /// What the server or the connection said.
    pub fn detail(&self) -> &str {
        match self {
            Failure::Unreachable(s)
            | Failure::Temporary(s)
            | Failure::Refused(s)
            | Failure::Login(s)
            | Failure::Certificate(s) => s,
        }
    }

    /// Why, in a few Thai words, with what the server or connection said (the outbox's
    /// "why it has not gone yet").
    pub fn short_th(&self) -> String {
        let why = match self {
            Failure::Unreachable(_) => "ติดต่อเซิร์ฟเวอร์อีเมลไม่ได้",
            Failure::Temporary(_) => "เซิร์ฟเวอร์ขอให้ลองใหม่ภายหลัง",
            Failure::Refused(_) => "เซิร์ฟเวอร์ไม่รับ",
            Failure::Login(_) => "เซิร์ฟเวอร์ไม่รับชื่อผู้ใช้หรือรหัสผ่าน",
            Failure::Certificate(_) => "ใบรับรองของเซิร์ฟเวอร์ไม่ใช่ใบที่เชื่อถือ",
        };
        format!("{why} ({})", self.detail())
    }

    /// The failure as the clerk reads it, naming the server.
    pub fn to_error(&self, server: &str) -> Error {
        let d = self.detail();
        let (th, en) = match self {
            Failure::Unreachable(_) => (
                format!("ติดต่อเซิร์ฟเวอร์อีเมล {server} ไม่ได้ ({d}) ตรวจสอบเครือข่าย แล้วลองใหม่ภายหลัง"),
                format!("cannot reach the mail server {server} ({d}); check the network and try again later"),
            ),
            Failure::Temporary(_) => (
                format!("เซิร์ฟเวอร์อีเมล {server} ขอให้ลองใหม่ภายหลัง: {d}"),
                format!("the mail server {server} asks to try again later: {d}"),
            ),
            Failure::Refused(_) => (
                format!("เซิร์ฟเวอร์อีเมล {server} ไม่รับ: {d}"),
                format!("the mail server {server} refused: {d}"),
            ),
            Failure::Login(_) => (
                format!("เซิร์ฟเวอร์อีเมล {server} ไม่รับชื่อผู้ใช้หรือรหัสผ่าน ({d}) ตั้งรหัสผ่านใหม่ด้วย saraban mailbox set หรือในหน้าตั้งค่า"),
                format!("the mail server {server} did not accept the user name or password ({d}); set it again with saraban mailbox set or in the settings"),
            ),
            Failure::Certificate(_) => (
                format!("ใบรับรองของเซิร์ฟเวอร์อีเมล {server} ไม่ใช่ใบที่เชื่อถือ ({d}) หากสำนักงานเปลี่ยนใบรับรองจริง ให้ปักหมุดใบใหม่ (--pin-cert) ถ้าไม่ได้เปลี่ยน อย่าเชื่อมต่อ: อาจมีผู้ดักข้อมูล"),
                format!("the certificate of the mail server {server} is not the trusted one ({d}); if the office really changed it, pin the new one (--pin-cert); if not, do not connect: someone may be listening in"),
            ),
        };
        Error::Mail { th, en }
    }
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.detail())
    }
}

/// The hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// How long a conversation may wait on a silent server.
pub const TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);
