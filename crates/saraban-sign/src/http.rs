//! One POST of DER bytes to an authority (a time-stamp authority, an OCSP responder): over
//! the system's TLS and trusted roots, answers of at most 1 MiB. What went wrong is said
//! apart, so each caller words it for its own service.

use std::time::Duration;

/// Why a POST brought no answer.
#[derive(Debug)]
pub(crate) enum PostError {
    /// The server could not be reached (or the connection failed).
    Unreachable(String),
    /// It answered with an HTTP error status.
    Status(ureq::http::StatusCode),
    /// Its answer could not be read (or was larger than 1 MiB).
    Read(String),
}

/// Posts `body` as `content_type` to `url`, waiting at most `timeout`; returns the answer.
pub(crate) fn post(
    url: &str,
    content_type: &str,
    body: &[u8],
    timeout: Duration,
) -> Result<Vec<u8>, PostError> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(timeout))
        .tls_config(
            ureq::tls::TlsConfig::builder()
                .provider(ureq::tls::TlsProvider::NativeTls)
                .root_certs(ureq::tls::RootCerts::PlatformVerifier)
                .build(),
        )
        .http_status_as_error(false)
        .build()
        .into();
    let mut resp = agent
        .post(url)
        .header("Content-Type", content_type)
        .send(body)
        .map_err(|e| PostError::Unreachable(e.to_string()))?;
    if !resp.status().is_success() {
        return Err(PostError::Status(resp.status()));
    }
    resp.body_mut()
        .with_config()
        .limit(1 << 20)
        .read_to_vec()
        .map_err(|e| PostError::Read(e.to_string()))
}
