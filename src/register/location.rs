//! Where a register lives: a file (SQLite) or a PostgreSQL server (`postgres://` URL).
//!
//! A URL may carry a password. It is kept only here and handed to the client library; what
//! is ever shown, logged or put in an error message is [`Location::shown`], which leaves the
//! password (and any other parameter) out.

use std::ffi::OsStr;
use std::fmt;
use std::path::PathBuf;

/// Where a register lives (ที่เก็บทะเบียน).
#[derive(Clone, PartialEq, Eq)]
pub enum Location {
    /// An SQLite file.
    File(PathBuf),
    /// A PostgreSQL database, as a `postgres://` or `postgresql://` URL.
    Server(String),
}

impl Location {
    /// Reads what `--db` or `$SARABAN_DB` says: a URL starting `postgres://` or
    /// `postgresql://` names a server, anything else a file.
    pub fn parse(text: &OsStr) -> Location {
        match text.to_str() {
            Some(s) if is_url(s) => Location::Server(s.trim().to_string()),
            _ => Location::File(PathBuf::from(text)),
        }
    }

    /// The location as it may be shown: the file's path, or the server's URL without its
    /// user's password and without parameters (`postgres://clerk@host:5432/saraban`).
    pub fn shown(&self) -> String {
        match self {
            Location::File(p) => p.display().to_string(),
            Location::Server(url) => redact(url),
        }
    }

    /// The file, when the register is one.
    pub fn file(&self) -> Option<&std::path::Path> {
        match self {
            Location::File(p) => Some(p),
            Location::Server(_) => None,
        }
    }
}

impl From<PathBuf> for Location {
    fn from(p: PathBuf) -> Location {
        Location::parse(p.as_os_str())
    }
}

impl From<&std::path::Path> for Location {
    fn from(p: &std::path::Path) -> Location {
        Location::parse(p.as_os_str())
    }
}

/// Never prints a password, even with `{:?}`.
impl fmt::Debug for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Location({})", self.shown())
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.shown())
    }
}

/// `url` with `password` for its user (percent-encoded), replacing any password it had.
pub fn with_password(url: &str, password: &str) -> String {
    let (bare, _) = split_password(url);
    let Some((scheme, rest)) = bare.split_once("://") else {
        return bare;
    };
    let mut encoded = String::new();
    for b in password.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            encoded.push(b as char);
        } else {
            encoded.push_str(&format!("%{b:02X}"));
        }
    }
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    match rest[..end].rfind('@') {
        Some(at) => format!("{scheme}://{}:{encoded}{}", &rest[..at], &rest[at..]),
        None => format!("{scheme}://:{encoded}@{rest}"),
    }
}

/// `url` without the password in it, and that password (percent-decoded), if any.
pub fn split_password(url: &str) -> (String, Option<String>) {
    let Some((scheme, rest)) = url.split_once("://") else {
        return (url.to_string(), None);
    };
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..end];
    let Some(at) = authority.rfind('@') else {
        return (url.to_string(), None);
    };
    let userinfo = &authority[..at];
    let Some((user, pw)) = userinfo.split_once(':') else {
        return (url.to_string(), None);
    };
    let mut bytes = Vec::new();
    let raw = pw.as_bytes();
    let mut i = 0;
    while i < raw.len() {
        if raw[i] == b'%' {
            if let Ok(b) = u8::from_str_radix(pw.get(i + 1..i + 3).unwrap_or("zz"), 16) {
                bytes.push(b);
                i += 3;
                continue;
            }
        }
        bytes.push(raw[i]);
        i += 1;
    }
    let password = String::from_utf8_lossy(&bytes).into_owned();
    (
        format!("{scheme}://{user}{}{}", &authority[at..], &rest[end..]),
        Some(password),
    )
}

fn is_url(s: &str) -> bool {
    let s = s.trim_start();
    s.starts_with("postgres://") || s.starts_with("postgresql://")
}

/// `scheme://user:password@host/db?params` → `scheme://user@host/db`.
pub(crate) fn redact(url: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap_or(("postgres", url));
    let rest = rest.split(['?', '#']).next().unwrap_or("");
    let (authority, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, ""),
    };
    let authority = match authority.rsplit_once('@') {
        Some((userinfo, host)) => {
            let user = userinfo.split(':').next().unwrap_or("");
            format!("{user}@{host}")
        }
        None => authority.to_string(),
    };
    format!("{scheme}://{authority}{path}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_servers_and_never_show_a_password() {
        let l = Location::parse(OsStr::new(
            "postgres://clerk:s3cr%40t@db.office.local:5433/saraban?sslmode=require&password=x",
        ));
        assert!(matches!(l, Location::Server(_)));
        assert_eq!(l.shown(), "postgres://clerk@db.office.local:5433/saraban");
        assert!(!format!("{l:?} {l}").contains("s3cr"));
        assert_eq!(
            Location::parse(OsStr::new("postgresql:///saraban?host=/tmp")).shown(),
            "postgresql:///saraban"
        );
        let f = Location::parse(OsStr::new("register.sqlite"));
        assert_eq!(f.file(), Some(std::path::Path::new("register.sqlite")));
        let with = with_password("postgres://clerk@db/saraban?sslmode=require", "p@ss:w/rd");
        assert_eq!(
            with,
            "postgres://clerk:p%40ss%3Aw%2Frd@db/saraban?sslmode=require"
        );
        assert_eq!(
            split_password(&with),
            (
                "postgres://clerk@db/saraban?sslmode=require".into(),
                Some("p@ss:w/rd".into())
            )
        );
        assert_eq!(
            Location::parse(OsStr::new(&with)).shown(),
            "postgres://clerk@db/saraban"
        );
        // A file whose name merely contains the word is a file.
        assert!(Location::parse(OsStr::new("./postgres://x"))
            .file()
            .is_some());
    }
}
