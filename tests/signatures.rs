//! Signed letters (PAdES) checked by validators no one here wrote — pyHanko (from PyPI)
//! and poppler's `pdfsig` — against a throw-away authority with an OCSP responder and a
//! time-stamp authority on loopback (`support/pki.rs`), and by `saraban verify`; the
//! tampering an office must catch, each reported as what it is.

use std::path::{Path, PathBuf};
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

/// An office: its register in its own folder, the memo issued as entry 1 (PDF/A when
/// asked), an emblem of its own.
struct Office {
    dir: tempfile::TempDir,
}

impl Office {
    fn new(pdfa: bool) -> Office {
        let dir = tempfile::tempdir().unwrap();
        let o = Office { dir };
        std::fs::write(o.path("emblem.svg"), common::stand_in_emblem_svg()).unwrap();
        o.ok(&["init"]);
        let letter = common::letter("memo");
        let mut json = serde_json::to_value(&letter).unwrap();
        json["number"]["running"] = serde_json::Value::Null;
        std::fs::write(o.path("memo.json"), json.to_string()).unwrap();
        let mut args = vec!["issue", "memo.json", "--emblem", "emblem.svg"];
        if pdfa {
            args.push("--pdfa");
        }
        o.ok(&args);
        o
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn cmd(&self, args: &[&str], env: &[(&str, &str)]) -> std::process::Output {
        let mut c = Command::new(env!("CARGO_BIN_EXE_saraban"));
        c.arg("--db")
            .arg(self.path("r.sqlite"))
            .args(args)
            .current_dir(self.dir.path())
            .env("LANG", "C")
            .env("SARABAN_SIGN_PASSWORD", PASSWORD);
        for (k, v) in env {
            c.env(k, v);
        }
        c.output().unwrap()
    }

    fn ok(&self, args: &[&str]) -> String {
        let o = self.cmd(args, &[]);
        assert!(o.status.success(), "{args:?}: {}", common::stderr(&o));
        String::from_utf8_lossy(&o.stdout).into_owned()
    }

    fn verify(&self, pki: &Pki, file: &Path) -> (i32, serde_json::Value) {
        let ca = pki.path("ca.crt");
        let o = self.cmd(
            &[
                "verify",
                file.to_str().unwrap(),
                "--trust",
                ca.to_str().unwrap(),
                "--json",
            ],
            &[],
        );
        (
            o.status.code().unwrap_or(-1),
            serde_json::from_slice(&o.stdout).unwrap_or_else(|_| panic!("{}", common::stderr(&o))),
        )
    }
}

/// Starts the time-stamp authority and the OCSP responder (which reads the authority's
/// index when it starts: issue the certificates first).
fn start(pki: &mut Pki) {
    pki.start_tsa();
    pki.start_ocsp();
}

fn qpdf_check(file: &Path) {
    let o = Command::new("qpdf")
        .arg("--check")
        .arg(file)
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "qpdf --check {}: {}{}",
        file.display(),
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
}

#[test]
fn saraban_sign_reaches_b_lt_and_a_countersignature_keeps_the_first_valid() {
    let mut pki = Pki::new();
    let rsa = pki.signer("somchai", "rsa:2048", "สมชาย ใจดี");
    let ec = pki.signer("somsri", "ec", "Somsri Rakdee");
    start(&mut pki);
    let office = Office::new(true);
    office.ok(&["trust", "tsa", &pki.tsa_url()]);
    let out = office.ok(&[
        "sign",
        "1",
        "--p12",
        rsa.to_str().unwrap(),
        "-o",
        "s1.pdf",
        "--json",
    ]);
    let signed: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
    assert_eq!(signed["signature"]["level"], "B-LT", "{signed}");
    assert_eq!(signed["signature"]["seq"], 1);
    let s1 = office.path("s1.pdf");
    let ph = pyhanko(&pki, &s1, false);
    assert_eq!(ph[0]["bottom_line"], true, "{ph:#?}");
    assert_eq!(ph[0]["level"], "B-LT", "{ph:#?}");
    // The DSS is an update after the signature: allowed, and said so.
    assert_eq!(ph[0]["coverage"], "ENTIRE_REVISION", "{ph:#?}");
    assert_eq!(ph[0]["modification_level"], "LTA_UPDATES", "{ph:#?}");
    let sig = pdfsig(&pki, &s1);
    assert!(
        sig.contains("Signature is Valid") && sig.contains("Certificate is Trusted"),
        "{sig}"
    );
    qpdf_check(&s1);
    let problems = crate::archive::pdfa_problems(&s1);
    assert!(problems.is_empty(), "still PDF/A: {problems:#?}");

    // The countersigner, ECDSA P-256, on the copy the register holds.
    let out = office.ok(&[
        "sign",
        "1",
        "--p12",
        ec.to_str().unwrap(),
        "--position",
        "หัวหน้าสำนักงาน",
        "-o",
        "s2.pdf",
        "--json",
    ]);
    let signed: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
    assert_eq!(signed["signature"]["seq"], 2);
    let s2 = office.path("s2.pdf");
    if let Ok(keep) = std::env::var("SARABAN_KEEP_SIGNED") {
        let _ = std::fs::copy(&s2, keep);
    }
    let bytes1 = std::fs::read(&s1).unwrap();
    let bytes2 = std::fs::read(&s2).unwrap();
    assert!(
        bytes2.starts_with(&bytes1),
        "an incremental update keeps the first copy's bytes"
    );
    let ph = pyhanko(&pki, &s2, false);
    assert_eq!(ph.len(), 2, "{ph:#?}");
    for s in &ph {
        assert_eq!(s["bottom_line"], true, "{ph:#?}");
        assert_eq!(s["level"], "B-LT", "{ph:#?}");
    }
    let sig = pdfsig(&pki, &s2);
    assert_eq!(sig.matches("Signature is Valid").count(), 2, "{sig}");
    assert_eq!(sig.matches("Certificate is Trusted").count(), 2, "{sig}");
    qpdf_check(&s2);
    assert!(crate::archive::pdfa_problems(&s2).is_empty());

    let (code, v) = office.verify(&pki, &s2);
    assert_eq!(code, 0, "{v:#}");
    assert_eq!(v["signatures"].as_array().unwrap().len(), 2);
    assert_eq!(v["signatures"][0]["signer"], "สมชาย ใจดี");
    assert_eq!(v["signatures"][0]["later_revisions"], true);
    assert_eq!(v["signatures"][0]["changed_after"], false);
    assert_eq!(v["signatures"][1]["level"], "B-LT");
    assert_eq!(v["signatures"][1]["revocation"], "good");
    assert_eq!(v["entry"][0], 1);
    assert_eq!(v["kept_copy"], true);
    // The register's audit covers both signed copies.
    let audit = office.ok(&["audit", "verify"]);
    assert!(!audit.to_lowercase().contains("problem"), "{audit}");
    // The appearance is on the page, in the signature space: the name reads in the text.
    let text = Command::new("pdftotext")
        .arg(&s2)
        .arg("-")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.contains("ลงนามด้วยลายมือชื่ออิเล็กทรอนิกส์"), "{text}");
}
