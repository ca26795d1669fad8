//! Encryption to the register's server as libpq's `sslmode` and `sslrootcert` say, so that
//! a URL that works in `psql` works in Saraban.
//!
//! The client library knows `disable`, `prefer` (the default) and `require`, and checks
//! every certificate it is shown against the system's roots. libpq checks a certificate
//! only under `verify-ca` and `verify-full`; without that, `prefer` and `require` encrypt
//! without checking. That matters on the servers offices run: Debian's `postgresql` turns
//! TLS on with a self-signed ("snakeoil") certificate, which the library alone would
//! refuse over the network while `psql` connects. So the URL's `sslmode` and
//! `sslrootcert` (else `PGSSLMODE`, `PGSSLROOTCERT`) are taken out of the URL here and the
//! TLS connector is built to match.

use std::path::PathBuf;

use postgres::config::SslMode;

use saraban_model::error::Error;

/// What `sslmode` asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    Disable,
    Prefer,
    Require,
    /// The certificate must come from a trusted root; any host name.
    VerifyCa,
    /// The certificate must come from a trusted root and name the host.
    VerifyFull,
}

/// The TLS settings of a URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Tls {
    pub mode: Mode,
    /// The roots to trust instead of the system's (`sslrootcert`; `system` means the
    /// system's).
    pub root: Option<PathBuf>,
}

/// Takes `sslmode` and `sslrootcert` out of `url` (the client library refuses the
/// values it does not know); returns the rest of the URL and the settings.
pub(crate) fn take(url: &str) -> Result<(String, Tls), String> {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, q),
        None => (url, ""),
    };
    let mut kept = Vec::new();
    let mut mode = None;
    let mut root = None;
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        let value = percent_encoding::percent_decode_str(value)
            .decode_utf8_lossy()
            .to_string();
        match key {
            "sslmode" => mode = Some(value),
            "sslrootcert" => root = Some(value),
            _ => kept.push(pair),
        }
    }
    let mode = mode.or_else(|| std::env::var("PGSSLMODE").ok());
    let root = root.or_else(|| std::env::var("PGSSLROOTCERT").ok());
    let mode = match mode.as_deref().unwrap_or("prefer") {
        "disable" => Mode::Disable,
        "allow" | "prefer" => Mode::Prefer,
        // As libpq: `require` with a root file given checks the certificate's root.
        "require" if root.as_deref().is_some_and(|r| r != "system") => Mode::VerifyCa,
        "require" => Mode::Require,
        "verify-ca" => Mode::VerifyCa,
        "verify-full" => Mode::VerifyFull,
        other => {
            return Err(format!(
                "sslmode={other}: use disable, prefer, require, verify-ca or verify-full"
            ))
        }
    };
    let root = root
        .filter(|r| r != "system" && !r.is_empty())
        .map(PathBuf::from);
    let rest = if kept.is_empty() {
        base.to_string()
    } else {
        format!("{base}?{}", kept.join("&"))
    };
    Ok((rest, Tls { mode, root }))
}

impl Tls {
    /// The client library's own mode: whether TLS is tried, and required.
    pub fn ssl_mode(&self) -> SslMode {
        match self.mode {
            Mode::Disable => SslMode::Disable,
            Mode::Prefer => SslMode::Prefer,
            Mode::Require | Mode::VerifyCa | Mode::VerifyFull => SslMode::Require,
        }
    }

    /// The connector that checks what this mode checks. `shown`: the server, for messages.
    pub fn connector(
        &self,
        shown: &str,
    ) -> saraban_model::Result<postgres_native_tls::MakeTlsConnector> {
        let mut b = native_tls::TlsConnector::builder();
        match self.mode {
            Mode::Disable | Mode::Prefer | Mode::Require => {
                b.danger_accept_invalid_certs(true);
                b.danger_accept_invalid_hostnames(true);
            }
            Mode::VerifyCa => {
                b.danger_accept_invalid_hostnames(true);
            }
            Mode::VerifyFull => {}
        }
        if let Some(path) = &self.root {
            let pem = std::fs::read(path).map_err(|e| Error::Register {
                th: format!("อ่านไฟล์ใบรับรอง (sslrootcert) {} ของเซิร์ฟเวอร์ทะเบียน {shown} ไม่ได้: {e}", path.display()),
                en: format!("cannot read the root certificate (sslrootcert) {} for the register server {shown}: {e}", path.display()),
            })?;
            let certs = native_tls::Certificate::stack_from_pem(&pem)
                .ok()
                .filter(|c| !c.is_empty())
                .ok_or_else(|| Error::Register {
                    th: format!("ไฟล์ {} ไม่ใช่ใบรับรองแบบ PEM (sslrootcert ต้องเป็นใบรับรองของผู้ออกใบรับรองของเซิร์ฟเวอร์)", path.display()),
                    en: format!("{} holds no PEM certificate (sslrootcert must be the server's certificate authority)", path.display()),
                })?;
            b.disable_built_in_roots(true);
            for c in certs {
                b.add_root_certificate(c);
            }
        }
        b.build()
            .map(postgres_native_tls::MakeTlsConnector::new)
            .map_err(|e| Error::Register {
                th: format!("เตรียมการเชื่อมต่อแบบเข้ารหัส (TLS) ไม่ได้: {e}"),
                en: format!("cannot set up TLS: {e}"),
            })
    }
}

/// Whether the client library's error is about TLS (a certificate refused, a server
/// without TLS under `require`): then the server answered, and is not away.
pub(crate) fn is_tls_error(e: &postgres::Error) -> bool {
    e.to_string().starts_with("error performing TLS handshake")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn libpq_parameters_are_taken_out_and_the_rest_kept() {
        let (rest, tls) =
            take("postgres://clerk@db/saraban?sslmode=verify-full&sslrootcert=%2Fetc%2Fca.pem&connect_timeout=3")
                .unwrap();
        assert_eq!(rest, "postgres://clerk@db/saraban?connect_timeout=3");
        assert_eq!(tls.mode, Mode::VerifyFull);
        assert_eq!(tls.root, Some(PathBuf::from("/etc/ca.pem")));
        assert_eq!(tls.ssl_mode(), SslMode::Require);

        let (rest, tls) = take("postgres://clerk@db/saraban?sslmode=require").unwrap();
        assert_eq!(rest, "postgres://clerk@db/saraban");
        assert_eq!(tls.mode, Mode::Require);
        let (_, tls) = take("postgres://db/s?sslmode=require&sslrootcert=ca.pem").unwrap();
        assert_eq!(
            tls.mode,
            Mode::VerifyCa,
            "require with a root file checks it, as libpq"
        );
        let (_, tls) = take("postgres://db/s?sslmode=verify-full&sslrootcert=system").unwrap();
        assert_eq!(tls.root, None);
        assert!(take("postgres://db/s?sslmode=sometimes").is_err());
    }
}
