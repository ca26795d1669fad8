//! Sending over SMTP (lettre): one connection per message, protected as the mailbox says,
//! logged in as the office, the bytes sent exactly as built (and kept).

use lettre::address::{Address, Envelope};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Certificate, CertificateStore, Tls, TlsParameters};
use lettre::{SmtpTransport, Transport};

use crate::account::{Mailbox, Security};
use crate::{Failure, TIMEOUT};

/// What the server answered when it took the message (`250 2.0.0 Ok: queued as …`).
pub type Answer = String;

/// Sends `raw` from the mailbox to `to`.
pub fn send(mb: &Mailbox, password: &str, to: &[&str], raw: &[u8]) -> Result<Answer, Failure> {
    let from: Address = mb
        .address
        .parse()
        .map_err(|e| Failure::Refused(format!("{}: {e}", mb.address)))?;
    let rcpt = to
        .iter()
        .map(|a| {
            a.parse::<Address>()
                .map_err(|e| Failure::Refused(format!("{a}: {e}")))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let envelope = Envelope::new(Some(from), rcpt).map_err(|e| Failure::Refused(e.to_string()))?;
    let server = &mb.smtp;
    let tls = if server.security == Security::None {
        Tls::None
    } else {
        let mut p = TlsParameters::builder(server.host.clone());
        if let Some(pem) = &mb.pinned_cert {
            let cert = Certificate::from_pem(pem.as_bytes())
                .map_err(|e| Failure::Certificate(format!("pinned certificate: {e}")))?;
            p = p
                .certificate_store(CertificateStore::None)
                .add_root_certificate(cert);
        }
        let p = p
            .build_native()
            .map_err(|e| Failure::Certificate(e.to_string()))?;
        match server.security {
            Security::Implicit => Tls::Wrapper(p),
            _ => Tls::Required(p),
        }
    };
    let transport = SmtpTransport::builder_dangerous(server.host.clone())
        .port(server.port)
        .tls(tls)
        .timeout(Some(TIMEOUT))
        .credentials(Credentials::new(
            mb.login().to_string(),
            password.to_string(),
        ))
        .build();
    match transport.send_raw(&envelope, raw) {
        Ok(r) => Ok(format!(
            "{} {}",
            r.code(),
            r.message().collect::<Vec<_>>().join(" ")
        )),
        Err(e) => Err(failure(&e)),
    }
}

fn failure(e: &lettre::transport::smtp::Error) -> Failure {
    let mut text = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        let more = s.to_string();
        if !text.contains(&more) {
            text = format!("{text}: {more}");
        }
        source = s.source();
    }
    if let Some(code) = e.status() {
        // 535: authentication failed; 534/530: the server wants another way to log in.
        if matches!(code.to_string().as_str(), "535" | "534" | "530") {
            return Failure::Login(text);
        }
        return if e.is_transient() {
            Failure::Temporary(text)
        } else {
            Failure::Refused(text)
        };
    }
    if e.is_tls() {
        return crate::tls::handshake_failure(text);
    }
    Failure::Unreachable(text)
}
