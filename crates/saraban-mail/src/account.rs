//! The office's mailbox (กล่องไปรษณีย์อิเล็กทรอนิกส์กลาง): its address, the SMTP server
//! letters leave by, the IMAP server they arrive in, and how the connection is protected.
//! Kept in the register (every clerk of the office uses the same mailbox); the password is
//! not here: it stays on each computer (the office's `mail` module).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use saraban_model::error::Error;

/// How a connection to a server is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum Security {
    /// TLS from the first byte (SMTP 465, IMAP 993).
    Implicit,
    /// Plain, then upgraded with STARTTLS before anything is said (SMTP 587/25, IMAP 143);
    /// a server that does not offer it is refused.
    Starttls,
    /// No encryption: allowed only to a server on this computer (a test server, a local
    /// relay).
    None,
}

impl Security {
    /// Its name on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Security::Implicit => "implicit",
            Security::Starttls => "starttls",
            Security::None => "none",
        }
    }

    /// The `--tls` value.
    pub fn parse(s: &str) -> Option<Security> {
        match s {
            "implicit" | "tls" | "ssl" => Some(Security::Implicit),
            "starttls" => Some(Security::Starttls),
            "none" => Some(Security::None),
            _ => None,
        }
    }
}

/// One server: where, and how protected.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct Server {
    /// Host name or address.
    pub host: String,
    /// Port.
    pub port: u16,
    /// TLS.
    pub security: Security,
}

impl Server {
    /// `host:port`, for messages.
    pub fn label(&self) -> String {
        format!("{}:{}", self.host, self.port)
    }

    /// Whether the host is this computer (`localhost`, 127.0.0.0/8, `::1`).
    pub fn is_loopback(&self) -> bool {
        let h = self.host.trim_start_matches('[').trim_end_matches(']');
        h.eq_ignore_ascii_case("localhost")
            || h.parse::<std::net::IpAddr>()
                .map(|ip| ip.is_loopback())
                .unwrap_or(false)
    }

    /// Reads `smtp://host:port`, `smtps://host`, `imap://…`, `imaps://…` or `host:port`;
    /// `tls` (the `--tls` option) wins over what the scheme implies.
    pub fn parse(url: &str, smtp: bool, tls: Option<Security>) -> Result<Server, Error> {
        let what = if smtp { "SMTP" } else { "IMAP" };
        let bad = |why_th: &str, why_en: &str| {
            Error::input(
                if smtp { "smtp" } else { "imap" },
                format!(
                    "ที่อยู่เซิร์ฟเวอร์ {what} \"{url}\" ใช้ไม่ได้: {why_th} (เช่น {})",
                    example(smtp)
                ),
                format!(
                    "the {what} server \"{url}\" cannot be used: {why_en} (for example {})",
                    example(smtp)
                ),
            )
        };
        let text = url.trim();
        let with_scheme = if text.contains("://") {
            text.to_string()
        } else {
            format!("{}://{text}", if smtp { "smtp" } else { "imap" })
        };
        let parsed =
            url::Url::parse(&with_scheme).map_err(|e| bad("อ่านที่อยู่ไม่ได้", &e.to_string()))?;
        let (implied, default_port) = match (parsed.scheme(), smtp) {
            ("smtps", true) => (Security::Implicit, 465),
            ("smtp", true) => (Security::Starttls, 587),
            ("imaps", false) => (Security::Implicit, 993),
            ("imap", false) => (Security::Starttls, 143),
            _ => {
                return Err(bad(
                    "ต้องขึ้นต้นด้วย smtp:// smtps:// (ส่ง) หรือ imap:// imaps:// (รับ)",
                    "use smtp:// or smtps:// to send, imap:// or imaps:// to fetch",
                ))
            }
        };
        let host = parsed
            .host_str()
            .filter(|h| !h.is_empty())
            .ok_or_else(|| bad("ไม่มีชื่อเครื่อง", "no host name"))?
            .to_string();
        if !parsed.username().is_empty() || parsed.password().is_some() {
            return Err(bad(
                "อย่าใส่ชื่อผู้ใช้หรือรหัสผ่านในที่อยู่ (ใช้ --user และรหัสผ่านแยก)",
                "do not put a user or password in the URL (use --user and the password prompt)",
            ));
        }
        Ok(Server {
            host,
            port: parsed.port().unwrap_or(default_port),
            security: tls.unwrap_or(implied),
        })
    }
}

fn example(smtp: bool) -> &'static str {
    if smtp {
        "smtps://mail.example.go.th:465"
    } else {
        "imaps://mail.example.go.th:993"
    }
}

/// The office's mailbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct Mailbox {
    /// The central address, `saraban@…`.
    pub address: String,
    /// Where letters leave.
    pub smtp: Server,
    /// Where letters arrive.
    pub imap: Server,
    /// The login name (the address when empty).
    #[serde(default)]
    pub user: String,
    /// A certificate (PEM) trusted instead of the system's authorities: an office
    /// server's self-signed certificate, or the office's own authority. Any other
    /// certificate is refused, so a changed certificate is noticed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pinned_cert: Option<String>,
    /// Fetch every so many minutes while the app runs (0: only on start and on demand).
    #[serde(default = "default_minutes")]
    pub fetch_minutes: u32,
}

fn default_minutes() -> u32 {
    15
}

impl Mailbox {
    /// The name the servers know the office by.
    pub fn login(&self) -> &str {
        if self.user.trim().is_empty() {
            &self.address
        } else {
            &self.user
        }
    }

    /// The address's domain (`dla.go.th`), for Message-IDs.
    pub fn domain(&self) -> &str {
        self.address
            .rsplit_once('@')
            .map(|(_, d)| d)
            .unwrap_or("localhost")
    }

    /// Checks the settings: a usable address, no plain connection but to this computer,
    /// a pinned certificate that is a certificate.
    pub fn validate(&self) -> Result<(), Error> {
        check_address("address", &self.address)?;
        for (name, s) in [("smtp", &self.smtp), ("imap", &self.imap)] {
            if s.security == Security::None && !s.is_loopback() {
                return Err(Error::input(
                    name,
                    format!(
                        "ไม่ยอมส่งรหัสผ่านและหนังสือราชการโดยไม่เข้ารหัสไปยัง {} ใช้ --tls implicit หรือ starttls (--tls none ใช้ได้เฉพาะเซิร์ฟเวอร์ในเครื่องนี้)",
                        s.label()
                    ),
                    format!(
                        "refusing to send the password and official letters unencrypted to {}: use --tls implicit or starttls (none is only for a server on this computer)",
                        s.label()
                    ),
                ));
            }
        }
        if let Some(pem) = &self.pinned_cert {
            native_tls::Certificate::from_pem(pem.as_bytes()).map_err(|e| {
                Error::input(
                    "pin_cert",
                    format!("ไฟล์ใบรับรองที่ให้ปักหมุดไม่ใช่ใบรับรอง PEM ({e})"),
                    format!("the certificate to pin is not a PEM certificate ({e})"),
                )
            })?;
        }
        Ok(())
    }
}

/// Checks an e-mail address as a clerk types it: one `@`, a local part and a domain with
/// a dot, no spaces or angle brackets.
pub fn check_address(path: &str, address: &str) -> Result<(), Error> {
    let ok = match address.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && local.len() <= 64
                && domain.len() <= 253
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !domain.contains('@')
                && !address.chars().any(|c| {
                    c.is_whitespace() || c.is_control() || matches!(c, '<' | '>' | ',' | ';' | '"')
                })
        }
        None => false,
    };
    if ok {
        Ok(())
    } else {
        Err(Error::input(
            path,
            format!("\"{address}\" ไม่ใช่ที่อยู่อีเมล (เช่น saraban@example.go.th)"),
            format!("\"{address}\" is not an e-mail address (for example saraban@example.go.th)"),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_urls_are_read_with_their_protection() {
        let s = Server::parse("smtps://mail.dla.go.th", true, None).unwrap();
        assert_eq!((s.port, s.security), (465, Security::Implicit));
        let s = Server::parse("mail.dla.go.th:587", true, None).unwrap();
        assert_eq!((s.port, s.security), (587, Security::Starttls));
        let s = Server::parse("imap://127.0.0.1:1143", false, Some(Security::None)).unwrap();
        assert_eq!((s.port, s.security), (1143, Security::None));
        assert!(s.is_loopback());
        assert!(Server::parse("http://x", true, None).is_err());
        assert!(Server::parse("smtp://u:p@x", true, None).is_err());
    }

    #[test]
    fn no_plain_connection_but_to_this_computer() {
        let mb = Mailbox {
            address: "saraban@dla.go.th".into(),
            smtp: Server::parse("smtp://mail.dla.go.th:25", true, Some(Security::None)).unwrap(),
            imap: Server::parse("imaps://mail.dla.go.th", false, None).unwrap(),
            user: String::new(),
            pinned_cert: None,
            fetch_minutes: 15,
        };
        let e = mb.validate().unwrap_err();
        assert!(e.lines(saraban_model::Lang::Th)[0].contains("ไม่เข้ารหัส"));
        assert_eq!(mb.login(), "saraban@dla.go.th");
        assert_eq!(mb.domain(), "dla.go.th");
    }

    #[test]
    fn addresses_are_checked() {
        assert!(check_address("a", "saraban@dla.go.th").is_ok());
        for bad in ["saraban", "a@b", "a b@c.d", "<a@b.c>", "@b.c", "a@.b.c"] {
            assert!(check_address("a", bad).is_err(), "{bad}");
        }
    }
}
