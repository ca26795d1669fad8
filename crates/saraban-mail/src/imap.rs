//! Fetching over IMAP (the `imap` crate): the INBOX's messages newer than the last one
//! taken, by UID, each read whole only after its size is known, and marked taken on the
//! server only after the register has it, so a message is never lost: killed between the
//! two, it is fetched again and the register knows it (by its UID and Message-ID).

use std::io::{Read, Write};
use std::net::{TcpStream, ToSocketAddrs};

use crate::account::{Mailbox, Security};
use crate::{Failure, TIMEOUT};

/// The flag put on a message the register has taken (besides `\Seen`).
pub const TAKEN: &str = "$SarabanTaken";

/// The connection, plain or protected.
#[derive(Debug)]
pub enum Stream {
    /// Only to this computer.
    Plain(TcpStream),
    /// TLS.
    Tls(Box<native_tls::TlsStream<TcpStream>>),
}

impl Read for Stream {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        match self {
            Stream::Plain(s) => s.read(buf),
            Stream::Tls(s) => s.read(buf),
        }
    }
}

impl Write for Stream {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match self {
            Stream::Plain(s) => s.write(buf),
            Stream::Tls(s) => s.write(buf),
        }
    }
    fn flush(&mut self) -> std::io::Result<()> {
        match self {
            Stream::Plain(s) => s.flush(),
            Stream::Tls(s) => s.flush(),
        }
    }
}

/// A message waiting in the INBOX: its UID and size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Waiting {
    /// Its UID (with the folder's UIDVALIDITY, names it for good).
    pub uid: u32,
    /// Its size in bytes, as the server counts it.
    pub size: u64,
}

/// A logged-in session on the INBOX.
pub struct Session {
    inner: ::imap::Session<Stream>,
    /// The INBOX's UIDVALIDITY: UIDs mean the same messages while it stays.
    pub uid_validity: u32,
}

fn tcp(host: &str, port: u16) -> Result<TcpStream, Failure> {
    let label = format!("{host}:{port}");
    let addrs = (host, port)
        .to_socket_addrs()
        .map_err(|e| Failure::Unreachable(format!("{label}: {e}")))?;
    let mut last = None;
    for a in addrs {
        match TcpStream::connect_timeout(&a, TIMEOUT) {
            Ok(s) => {
                let _ = s.set_read_timeout(Some(TIMEOUT));
                let _ = s.set_write_timeout(Some(TIMEOUT));
                return Ok(s);
            }
            Err(e) => last = Some(e),
        }
    }
    Err(Failure::Unreachable(match last {
        Some(e) => format!("{label}: {e}"),
        None => format!("{label}: no address"),
    }))
}

/// Asks for STARTTLS on a connection whose greeting and capabilities were read (the
/// client library does not offer the command before login with a connector of one's own).
fn starttls(mut plain: TcpStream) -> Result<TcpStream, Failure> {
    let broken = |e: std::io::Error| Failure::Unreachable(format!("STARTTLS: {e}"));
    plain.write_all(b"s1 STARTTLS\r\n").map_err(broken)?;
    let mut line = Vec::new();
    let mut byte = [0u8; 1];
    loop {
        if plain.read(&mut byte).map_err(broken)? == 0 {
            return Err(Failure::Unreachable("STARTTLS: connection closed".into()));
        }
        line.push(byte[0]);
        if byte[0] == b'\n' {
            if line.starts_with(b"s1 ") {
                return if line.starts_with(b"s1 OK") {
                    Ok(plain)
                } else {
                    Err(Failure::Certificate(format!(
                        "STARTTLS refused: {}",
                        String::from_utf8_lossy(&line).trim()
                    )))
                };
            }
            line.clear();
        }
        if line.len() > 8192 {
            return Err(Failure::Unreachable("STARTTLS: answer too long".into()));
        }
    }
}

fn lost(e: ::imap::Error) -> Failure {
    match e {
        ::imap::Error::No(n) => Failure::Refused(n.information.to_string()),
        ::imap::Error::Bad(b) => Failure::Refused(b.information.to_string()),
        ::imap::Error::TlsHandshake(h) => crate::tls::handshake_failure(h.to_string()),
        other => Failure::Unreachable(other.to_string()),
    }
}

impl Session {
    /// Connects, protects, logs in and selects the INBOX.
    pub fn open(mb: &Mailbox, password: &str) -> Result<Session, Failure> {
        let server = &mb.imap;
        let host = server.host.as_str();
        let plain = tcp(host, server.port)?;
        let stream = match server.security {
            Security::None => Stream::Plain(plain),
            Security::Implicit => Stream::Tls(Box::new(
                crate::tls::connector(mb)?
                    .connect(host, plain)
                    .map_err(|e| crate::tls::handshake_failure(e.to_string()))?,
            )),
            Security::Starttls => {
                let mut c = ::imap::Client::new(plain);
                c.read_greeting().map_err(lost)?;
                let caps = c.capabilities().map_err(lost)?;
                if !caps.has_str("STARTTLS") {
                    return Err(Failure::Certificate(format!(
                        "{} does not offer STARTTLS",
                        server.label()
                    )));
                }
                let plain = starttls(c.into_inner().map_err(lost)?)?;
                Stream::Tls(Box::new(
                    crate::tls::connector(mb)?
                        .connect(host, plain)
                        .map_err(|e| crate::tls::handshake_failure(e.to_string()))?,
                ))
            }
        };
        let mut client = ::imap::Client::new(stream);
        if server.security != Security::Starttls {
            client.read_greeting().map_err(lost)?;
        }
        let mut inner = client
            .login(mb.login(), password)
            .map_err(|(e, _)| match e {
                ::imap::Error::No(n) => Failure::Login(n.information.to_string()),
                other => lost(other),
            })?;
        let inbox = inner.select("INBOX").map_err(lost)?;
        Ok(Session {
            uid_validity: inbox.uid_validity.unwrap_or(0),
            inner,
        })
    }

    /// The messages with a UID above `after`, oldest first, with their sizes.
    pub fn waiting(&mut self, after: u32) -> Result<Vec<Waiting>, Failure> {
        let uids = self
            .inner
            .uid_search(format!("UID {}:*", after.saturating_add(1)))
            .map_err(lost)?;
        let mut uids: Vec<u32> = uids.into_iter().filter(|u| *u > after).collect();
        uids.sort_unstable();
        let mut out = Vec::with_capacity(uids.len());
        for chunk in uids.chunks(200) {
            let set = chunk
                .iter()
                .map(u32::to_string)
                .collect::<Vec<_>>()
                .join(",");
            let fetches = self.inner.uid_fetch(set, "RFC822.SIZE").map_err(lost)?;
            for f in fetches.iter() {
                if let Some(uid) = f.uid {
                    out.push(Waiting {
                        uid,
                        size: u64::from(f.size.unwrap_or(0)),
                    });
                }
            }
        }
        out.sort_by_key(|w| w.uid);
        Ok(out)
    }

    /// The whole message (its flags left as they are).
    pub fn message(&mut self, uid: u32) -> Result<Vec<u8>, Failure> {
        self.part(uid, "BODY.PEEK[]")
    }

    /// Only the message's header (for a message too large to take).
    pub fn header(&mut self, uid: u32) -> Result<Vec<u8>, Failure> {
        self.part(uid, "BODY.PEEK[HEADER]")
    }

    fn part(&mut self, uid: u32, what: &str) -> Result<Vec<u8>, Failure> {
        let fetches = self.inner.uid_fetch(uid.to_string(), what).map_err(lost)?;
        let f = fetches
            .iter()
            .find(|f| f.uid == Some(uid))
            .ok_or_else(|| Failure::Unreachable(format!("message {uid} is gone from the INBOX")))?;
        Ok(f.body()
            .or_else(|| f.header())
            .map(<[u8]>::to_vec)
            .unwrap_or_default())
    }

    /// Marks a message taken (`\Seen` and [`TAKEN`]): the register has it.
    pub fn mark_taken(&mut self, uid: u32) -> Result<(), Failure> {
        self.inner
            .uid_store(uid.to_string(), format!("+FLAGS (\\Seen {TAKEN})"))
            .map_err(lost)?;
        Ok(())
    }

    /// Says goodbye (errors ignored: everything is already recorded).
    pub fn close(mut self) {
        let _ = self.inner.logout();
    }
}
