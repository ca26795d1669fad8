//! The validation data of PAdES B-LT: for each certificate a verifier must trust (the
//! signer's, its authorities', the time-stamp authority's), an OCSP answer from the
//! responder its certificate names (RFC 6960), fetched once when signing and kept in the
//! document's DSS, so that the letter still verifies offline, years later.

use der::{Decode, Encode};
use std::time::Duration;

use crate::http::{post, PostError};
use x509_cert::Certificate;
use x509_ocsp::builder::OcspRequestBuilder;
use x509_ocsp::{BasicOcspResponse, CertStatus, OcspResponse, OcspResponseStatus, Request};

use crate::key::common_name;

/// id-ad-ocsp (RFC 5280, 4.2.2.1).
const ID_AD_OCSP: const_oid::ObjectIdentifier =
    const_oid::ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.48.1");

/// What the responders said.
#[derive(Debug, Default)]
pub struct ValidationData {
    /// Every certificate (DER) of the chains.
    pub certs: Vec<Vec<u8>>,
    /// OCSP answers (DER OCSPResponse).
    pub ocsps: Vec<Vec<u8>>,
    /// Certificates an OCSP answer says are revoked (their common names).
    pub revoked: Vec<String>,
    /// Certificates no answer could be had for, and why.
    pub missing: Vec<(String, String)>,
}

/// The responder a certificate names in its authority information access.
pub fn ocsp_url(cert: &Certificate) -> Option<String> {
    use x509_cert::ext::pkix::name::GeneralName;
    use x509_cert::ext::pkix::AuthorityInfoAccessSyntax;
    let ext = cert
        .tbs_certificate
        .extensions
        .as_ref()?
        .iter()
        .find(|e| e.extn_id == const_oid::db::rfc5280::ID_PE_AUTHORITY_INFO_ACCESS)?;
    let aia = AuthorityInfoAccessSyntax::from_der(ext.extn_value.as_bytes()).ok()?;
    aia.0
        .iter()
        .find_map(|ad| match (&ad.access_method, &ad.access_location) {
            (m, GeneralName::UniformResourceIdentifier(uri)) if *m == ID_AD_OCSP => {
                Some(uri.as_str().to_string())
            }
            _ => None,
        })
}

/// Fetches an OCSP answer for each certificate of `chains` whose issuer is among them and
/// that names a responder.
pub fn fetch(chains: &[Certificate]) -> ValidationData {
    let mut out = ValidationData::default();
    let mut all: Vec<Certificate> = Vec::new();
    for c in chains {
        if !all.contains(c) {
            all.push(c.clone());
        }
    }
    for c in &all {
        if let Ok(d) = c.to_der() {
            out.certs.push(d);
        }
    }
    for cert in &all {
        if cert.tbs_certificate.subject == cert.tbs_certificate.issuer {
            continue; // a root: trusted as it is
        }
        let Some(issuer) = all
            .iter()
            .find(|i| i.tbs_certificate.subject == cert.tbs_certificate.issuer)
        else {
            continue;
        };
        let name = common_name(&cert.tbs_certificate.subject);
        let Some(url) = ocsp_url(cert) else {
            continue;
        };
        match ask(&url, issuer, cert) {
            Ok((bytes, revoked)) => {
                if revoked {
                    out.revoked.push(name);
                }
                out.ocsps.push(bytes);
            }
            Err(e) => out.missing.push((name, e)),
        }
    }
    out
}

fn ask(url: &str, issuer: &Certificate, cert: &Certificate) -> Result<(Vec<u8>, bool), String> {
    let req = OcspRequestBuilder::default()
        .with_request(Request::from_cert::<sha1::Sha1>(issuer, cert).map_err(|e| e.to_string())?)
        .build()
        .to_der()
        .map_err(|e| e.to_string())?;
    let bytes = post(
        url,
        "application/ocsp-request",
        &req,
        Duration::from_secs(15),
    )
    .map_err(|e| match e {
        PostError::Unreachable(e) => format!("{url}: {e}"),
        PostError::Status(s) => format!("{url}: HTTP {s}"),
        PostError::Read(e) => e,
    })?;
    let parsed = OcspResponse::from_der(&bytes).map_err(|e| format!("{url}: {e}"))?;
    if parsed.response_status != OcspResponseStatus::Successful {
        return Err(format!("{url}: {:?}", parsed.response_status));
    }
    let basic = parsed
        .response_bytes
        .and_then(|b| BasicOcspResponse::from_der(b.response.as_bytes()).ok())
        .ok_or_else(|| format!("{url}: no basic response"))?;
    let single = basic
        .tbs_response_data
        .responses
        .iter()
        .find(|s| s.cert_id.serial_number == cert.tbs_certificate.serial_number)
        .ok_or_else(|| format!("{url}: the answer is about another certificate"))?;
    match single.cert_status {
        CertStatus::Good(_) => Ok((bytes, false)),
        CertStatus::Revoked(_) => Ok((bytes, true)),
        CertStatus::Unknown(_) => Err(format!(
            "{url}: the responder does not know this certificate"
        )),
    }
}
