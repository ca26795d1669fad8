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

/// A server URL taken apart at its user information: `scheme://user:password@rest`.
struct Parts<'a> {
    scheme: &'a str,
    /// The user as written (still percent-encoded), if the URL names one.
    user: Option<&'a str>,
    /// The password as written (still percent-encoded).
    password: Option<&'a str>,
    /// Host, port, path, parameters: everything after the user information.
    rest: &'a str,
}

/// Takes a server URL apart. The URL library's reading is trusted only when it accounts
/// for every `@` (a password typed with an unencoded `/`, `?` or `#` makes it read part of
/// the password as a port, a path or a fragment); otherwise everything up to the last `@`
/// is the user information, so no part of a password is ever taken for the host or shown.
fn parts(url: &str) -> Parts<'_> {
    let (scheme, after) = url.split_once("://").unwrap_or(("postgres", url));
    let trusted = url::Url::parse(url).is_ok_and(|u| {
        !u.path().contains('@')
            && !u.query().unwrap_or("").contains('@')
            && !u.fragment().unwrap_or("").contains('@')
    });
    let at = if trusted {
        let end = after.find(['/', '?', '#']).unwrap_or(after.len());
        after[..end].rfind('@')
    } else {
        after.rfind('@')
    };
    let Some(at) = at else {
        return Parts {
            scheme,
            user: None,
            password: None,
            rest: after,
        };
    };
    let userinfo = &after[..at];
    let (user, password) = match userinfo.split_once(':') {
        Some((u, p)) => (u, Some(p)),
        None => (userinfo, None),
    };
    Parts {
        scheme,
        user: Some(user),
        password,
        rest: &after[at + 1..],
    }
}

fn percent_decoded(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8_lossy()
        .into_owned()
}

/// `url` with `password` for its user (percent-encoded), replacing any password it had.
pub fn with_password(url: &str, password: &str) -> String {
    let (bare, _) = split_password(url);
    let p = parts(&bare);
    let encoded: String = percent_encoding::utf8_percent_encode(password, USERINFO).to_string();
    format!(
        "{}://{}:{encoded}@{}",
        p.scheme,
        p.user.unwrap_or(""),
        p.rest
    )
}

/// What is percent-encoded in a password put into a URL: all but the unreserved characters.
const USERINFO: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// `url` without the password in it, and that password (percent-decoded), if any. A
/// `password=` parameter is taken out the same way.
pub fn split_password(url: &str) -> (String, Option<String>) {
    if !url.contains("://") {
        return (url.to_string(), None);
    }
    let p = parts(url);
    let mut password = p.password.map(percent_decoded);
    // Parameters: a password among them is taken out too.
    let (head, query) = match p.rest.split_once('?') {
        Some((h, q)) => (h, Some(q)),
        None => (p.rest, None),
    };
    let mut kept = Vec::new();
    for param in query.into_iter().flat_map(|q| q.split('&')) {
        match param.split_once('=') {
            Some(("password", v)) => password = Some(percent_decoded(v)),
            _ => kept.push(param),
        }
    }
    let query = if kept.is_empty() || query.is_none() {
        String::new()
    } else {
        format!("?{}", kept.join("&"))
    };
    let user = p.user.map(|u| format!("{u}@")).unwrap_or_default();
    (format!("{}://{user}{head}{query}", p.scheme), password)
}

fn is_url(s: &str) -> bool {
    let s = s.trim_start();
    s.starts_with("postgres://") || s.starts_with("postgresql://")
}

/// `scheme://user:password@host/db?params` → `scheme://user@host/db`.
pub(crate) fn redact(url: &str) -> String {
    let p = parts(url);
    let rest = p.rest.split(['?', '#']).next().unwrap_or("");
    match p.user {
        Some(user) => format!("{}://{user}@{rest}", p.scheme),
        None => format!("{}://{rest}", p.scheme),
    }
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
        // Passwords typed without encoding never show, whole or in part.
        for (url, pw) in [
            ("postgres://clerk:pa/ss@db/saraban", "pa/ss"),
            ("postgres://clerk:pa?ss@db/saraban", "pa?ss"),
            ("postgres://clerk:pa#ss@db/saraban", "pa#ss"),
            ("postgres://clerk:12#x@db/saraban", "12#x"),
            ("postgres://clerk:1/x@db/saraban", "1/x"),
            ("postgres://clerk:a@b:c@db:5432/saraban", "a@b:c"),
        ] {
            let l = Location::parse(OsStr::new(url));
            assert_eq!(
                l.shown().replace(":5432", ""),
                "postgres://clerk@db/saraban",
                "{url}"
            );
            assert_eq!(
                split_password(url),
                (
                    "postgres://clerk@db/saraban".replace(
                        "db/",
                        if url.contains(":5432") {
                            "db:5432/"
                        } else {
                            "db/"
                        }
                    ),
                    Some(pw.to_string())
                ),
                "{url}"
            );
            let again = with_password(&split_password(url).0, pw);
            assert_eq!(split_password(&again).1.as_deref(), Some(pw));
        }
        assert_eq!(
            split_password("postgres://clerk@db/saraban?sslmode=require&password=x%2Fy"),
            (
                "postgres://clerk@db/saraban?sslmode=require".into(),
                Some("x/y".into())
            )
        );
        // A file whose name merely contains the word is a file.
        assert!(Location::parse(OsStr::new("./postgres://x"))
            .file()
            .is_some());
    }
}
