//! The TLS connector both protocols use: the system's authorities, or, when the office
//! pinned a certificate, that certificate alone (as PostgreSQL's `sslrootcert`): a
//! self-signed office server is accepted only when pinned, and a certificate that changed
//! is refused.

use crate::account::Mailbox;
use crate::Failure;

/// A connector for `mb`'s servers.
pub fn connector(mb: &Mailbox) -> Result<native_tls::TlsConnector, Failure> {
    let mut b = native_tls::TlsConnector::builder();
    b.min_protocol_version(Some(native_tls::Protocol::Tlsv12));
    if let Some(pem) = &mb.pinned_cert {
        let cert = native_tls::Certificate::from_pem(pem.as_bytes())
            .map_err(|e| Failure::Certificate(format!("pinned certificate: {e}")))?;
        b.disable_built_in_roots(true);
        b.add_root_certificate(cert);
    }
    b.build()
        .map_err(|e| Failure::Certificate(format!("TLS: {e}")))
}

/// A TLS handshake's failure: a certificate not trusted is said so; anything else is a
/// connection that did not happen.
pub(crate) fn handshake_failure(text: String) -> Failure {
    let lower = text.to_lowercase();
    if lower.contains("certificate")
        || lower.contains("verify")
        || lower.contains("self-signed")
        || lower.contains("self signed")
    {
        Failure::Certificate(text)
    } else {
        Failure::Unreachable(text)
    }
}
