//! Signed letters (PAdES) checked by validators no one here wrote — pyHanko (from PyPI)
//! and poppler's `pdfsig` — against a throw-away authority with an OCSP responder and a
//! time-stamp authority on loopback (`support/pki.rs`), and by `saraban verify`; the
//! tampering an office must catch, each reported as what it is.

use std::path::Path;
use std::process::Command;

use crate::common;
use crate::pki::{Pki, PASSWORD};
use saraban::sign::{cms, key::Credentials, pdf, tsa, verify};

/// pyHanko's judgement of every signature (`support/pades.py`: its API, the PAdES level
/// its own validation reaches).
fn pyhanko(pki: &Pki, file: &Path, fetch: bool) -> Vec<serde_json::Value> {
    let python = Path::new(env!("CARGO_MANIFEST_DIR")).join(".tools/py/bin/python");
    if !python.exists() {
        common::missing_tool("pyHanko (.tools/py)");
    }
    let mut c = Command::new(python);
    c.arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support/pades.py"))
        .arg(file)
        .arg(pki.path("ca.crt"));
    if fetch {
        c.arg("--fetch");
    }
    let out = c.output().unwrap();
    assert!(
        out.status.success(),
        "pyHanko: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// poppler's `pdfsig`, trusting the test root (an NSS database), asking the OCSP
/// responder the certificates name (poppler 22.12 judges no certificate with `-no-ocsp`).
fn pdfsig(pki: &Pki, file: &Path) -> String {
    let out = Command::new("pdfsig")
        .arg("-nssdir")
        .arg(pki.nss_db())
        .arg(file)
        .output()
        .unwrap();
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn issued_pdf(dir: &Path) -> Vec<u8> {
    let db = dir.join("r.sqlite");
    let mut office = common::office_on(&db);
    let mut letter = common::letter("memo");
    if let Some(n) = letter.number.as_mut() {
        n.running = None;
    }
    let issued = office.issue(&letter, &Default::default()).unwrap();
    office.issued_pdf(issued.id).unwrap()
}

fn sign_with(pdf_bytes: &[u8], creds: &Credentials, tsa_url: Option<&str>) -> Vec<u8> {
    let field = pdf::Field {
        page: 0,
        rect: [300.0, 200.0, 470.0, 250.0],
        appearance: None,
        name: "Signature1".into(),
    };
    let info = pdf::SigInfo {
        name: Some(creds.signer_name()),
        time_unix: chrono::Utc::now().timestamp(),
        ..Default::default()
    };
    pdf::sign(pdf_bytes, &field, &info, pdf::RESERVED, |digest| {
        let signed = cms::signed_data(creds, digest)?;
        match tsa_url {
            Some(url) => {
                let token = tsa::timestamp(url, &cms::signature_value(&signed)?)?;
                cms::add_timestamp(&signed, &token)
            }
            None => Ok(signed),
        }
    })
    .unwrap()
}

#[test]
fn a_letter_signed_with_rsa_and_a_timestamp_is_valid_to_pyhanko_and_pdfsig() {
    let mut pki = Pki::new();
    let url = pki.start_tsa();
    pki.start_ocsp();
    let p12 = pki.signer("somchai", "rsa:2048", "Somchai Jaidee");
    let creds = Credentials::from_pkcs12(&std::fs::read(p12).unwrap(), PASSWORD).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let signed = sign_with(&issued_pdf(dir.path()), &creds, Some(&url));
    let file = dir.path().join("signed.pdf");
    std::fs::write(&file, &signed).unwrap();

    let ph = pyhanko(&pki, &file, false);
    assert_eq!(ph.len(), 1, "{ph:#?}");
    assert_eq!(ph[0]["bottom_line"], true, "{ph:#?}");
    assert_eq!(ph[0]["coverage"], "ENTIRE_FILE", "{ph:#?}");
    assert_eq!(ph[0]["level"], "B-T", "{ph:#?}");
    let sig = pdfsig(&pki, &file);
    assert!(sig.contains("Signature is Valid"), "pdfsig: {sig}");
    assert!(sig.contains("Certificate is Trusted"), "pdfsig: {sig}");
    assert!(sig.contains("Total document signed"), "pdfsig: {sig}");

    let root = x509_root(&pki);
    let report = verify::verify(&signed, &[root]);
    assert!(report.valid, "{report:#?}");
}

fn x509_root(pki: &Pki) -> saraban::sign::Certificate {
    let pem = std::fs::read(pki.path("ca.crt")).unwrap();
    saraban::sign::key::certificates_from_bytes(&pem)
        .unwrap()
        .remove(0)
}
