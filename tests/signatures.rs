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
        let mut c = crate::common::cli();
        c.arg("--db")
            .arg(self.path("r.sqlite"))
            .args(args)
            .current_dir(self.dir.path())
            .env("LANG", "C")
            .env("SARABAN_SIGN_PASSWORD", PASSWORD)
            // The office's statement key on "this computer": its own folder.
            .env("SARABAN_KEYS", self.path("keys"));
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
    let shown: serde_json::Value =
        serde_json::from_str(office.ok(&["show", "1", "--json"]).trim()).unwrap();
    assert_eq!(shown["signatures"].as_array().unwrap().len(), 2, "{shown}");
    assert_eq!(shown["signatures"][1]["signer"], "Somsri Rakdee");
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

/// `bytes` with one byte of the signed range changed: the document's creator, in its
/// information dictionary, "Saraban" made "Taraban".
fn one_byte_changed(bytes: &[u8]) -> Vec<u8> {
    let needle = b"/Creator<FEFF0053";
    let at = bytes
        .windows(needle.len())
        .position(|w| w == needle)
        .expect("the creator")
        + needle.len()
        - 1;
    let mut out = bytes.to_vec();
    out[at] = b'4';
    out
}

/// `bytes` with a page appended by another program (lopdf) after the signatures.
fn page_added(bytes: &[u8]) -> Vec<u8> {
    use lopdf::{dictionary, Object, Stream};
    let prev = lopdf::Document::load_mem(bytes).unwrap();
    let pages_id = prev
        .catalog()
        .unwrap()
        .get(b"Pages")
        .unwrap()
        .as_reference()
        .unwrap();
    let mut inc = lopdf::IncrementalDocument::create_from(bytes.to_vec(), prev);
    inc.opt_clone_object_to_new_document(pages_id).unwrap();
    let doc = &mut inc.new_document;
    let content = doc.add_object(Stream::new(
        dictionary! {},
        b"0 0 1 rg 72 600 200 100 re f".to_vec(),
    ));
    let page = doc.add_object(dictionary! {
        "Type" => "Page",
        "Parent" => pages_id,
        "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        "Contents" => content,
    });
    let pages = doc.get_object_mut(pages_id).unwrap().as_dict_mut().unwrap();
    let mut kids = pages.get(b"Kids").unwrap().as_array().unwrap().clone();
    kids.push(Object::Reference(page));
    let count = pages.get(b"Count").unwrap().as_i64().unwrap();
    pages.set("Kids", kids);
    pages.set("Count", count + 1);
    let mut out = Vec::new();
    inc.save_to(&mut out).unwrap();
    out
}

/// The hex of a signature's /Contents (the first) and where it starts.
fn contents_hex(bytes: &[u8]) -> (usize, usize) {
    let needle = b"/Contents <";
    let start = bytes
        .windows(needle.len())
        .position(|w| w == needle)
        .unwrap()
        + needle.len();
    let end = start + bytes[start..].iter().position(|&c| c == b'>').unwrap();
    (start, end)
}

fn problems(v: &serde_json::Value, i: usize) -> Vec<String> {
    v["signatures"][i]["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["code"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn tampering_is_reported_as_what_it_is_by_saraban_pyhanko_and_pdfsig() {
    let mut pki = Pki::new();
    let p12 = pki.signer("somchai", "rsa:2048", "Somchai Jaidee");
    start(&mut pki);
    let office = Office::new(false);
    office.ok(&["issue", "memo.json", "--emblem", "emblem.svg"]);
    let p12s = p12.to_str().unwrap();
    let tsa = pki.tsa_url();
    office.ok(&["sign", "1", "--p12", p12s, "--tsa", &tsa, "-o", "a.pdf"]);
    office.ok(&["sign", "2", "--p12", p12s, "--tsa", &tsa, "-o", "b.pdf"]);
    let a = std::fs::read(office.path("a.pdf")).unwrap();
    let b = std::fs::read(office.path("b.pdf")).unwrap();
    let (code, v) = office.verify(&pki, &office.path("a.pdf"));
    assert_eq!(code, 0, "{v:#}");

    // A byte changed after signing.
    let changed = office.path("changed.pdf");
    std::fs::write(&changed, one_byte_changed(&a)).unwrap();
    let (code, v) = office.verify(&pki, &changed);
    assert_eq!(code, 1);
    assert!(problems(&v, 0).contains(&"altered".to_string()), "{v:#}");
    let ph = pyhanko(&pki, &changed, false);
    assert_eq!(ph[0]["intact"], false, "{ph:#?}");
    assert_eq!(ph[0]["bottom_line"], false, "{ph:#?}");
    let sig = pdfsig(&pki, &changed);
    assert!(
        sig.contains("Digest Mismatch") || sig.contains("Signature is Invalid"),
        "{sig}"
    );

    // A page added after signing, by another program.
    let added = office.path("added.pdf");
    std::fs::write(&added, page_added(&a)).unwrap();
    let (code, v) = office.verify(&pki, &added);
    assert_eq!(code, 1);
    assert!(
        problems(&v, 0).contains(&"changed-after".to_string()),
        "{v:#}"
    );
    assert_eq!(
        v["signatures"][0]["intact"], true,
        "what it signed is intact: {v:#}"
    );
    let ph = pyhanko(&pki, &added, false);
    assert_eq!(ph[0]["intact"], true, "{ph:#?}");
    assert_eq!(ph[0]["bottom_line"], false, "{ph:#?}");
    assert_eq!(ph[0]["modification_level"], "OTHER", "{ph:#?}");
    let sig = pdfsig(&pki, &added);
    assert!(sig.contains("Not total document signed"), "{sig}");

    // The signature of letter 1 copied into letter 2's signed copy.
    let (sa, ea) = contents_hex(&a);
    let (sb, eb) = contents_hex(&b);
    assert_eq!(ea - sa, eb - sb);
    let mut copied = b.clone();
    copied[sb..eb].copy_from_slice(&a[sa..ea]);
    let copied_path = office.path("copied.pdf");
    std::fs::write(&copied_path, &copied).unwrap();
    let (code, v) = office.verify(&pki, &copied_path);
    assert_eq!(code, 1);
    assert!(problems(&v, 0).contains(&"altered".to_string()), "{v:#}");
    let ph = pyhanko(&pki, &copied_path, false);
    assert_eq!(ph[0]["intact"], false, "{ph:#?}");
    let sig = pdfsig(&pki, &copied_path);
    assert!(
        sig.contains("Digest Mismatch") || sig.contains("Signature is Invalid"),
        "{sig}"
    );
}

#[test]
fn an_expired_or_revoked_certificate_is_refused_when_signing_and_reported_when_verifying() {
    let mut pki = Pki::new();
    pki.issue(
        "old",
        "rsa:2048",
        "Old Signer",
        "signer_ext",
        Some(("20240101000000Z", "20250101000000Z")),
    );
    let revoked = pki.signer("gone", "ec", "Revoked Signer");
    pki.revoke("gone");
    start(&mut pki);
    let office = Office::new(false);
    let tsa = pki.tsa_url();

    // Saraban will not sign with either.
    let o = office.cmd(
        &["sign", "1", "--p12", pki.path("old.p12").to_str().unwrap()],
        &[],
    );
    assert_eq!(o.status.code(), Some(3));
    assert!(
        common::stderr(&o).contains("not valid now"),
        "{}",
        common::stderr(&o)
    );
    let o = office.cmd(
        &[
            "sign",
            "1",
            "--p12",
            revoked.to_str().unwrap(),
            "--tsa",
            &tsa,
        ],
        &[],
    );
    assert_eq!(o.status.code(), Some(3));
    assert!(
        common::stderr(&o).contains("revoked"),
        "{}",
        common::stderr(&o)
    );
    let shown: serde_json::Value =
        serde_json::from_str(office.ok(&["show", "1", "--json"]).trim()).unwrap();
    assert_eq!(
        shown["signatures"],
        serde_json::json!([]),
        "nothing recorded: {shown}"
    );

    // Signed by another means, each is reported so.
    let dir = tempfile::tempdir().unwrap();
    let issued = issued_pdf(dir.path());
    let old =
        Credentials::from_pkcs12(&std::fs::read(pki.path("old.p12")).unwrap(), PASSWORD).unwrap();
    let expired_file = dir.path().join("expired.pdf");
    std::fs::write(&expired_file, sign_with(&issued, &old, None)).unwrap();
    let (code, v) = office.verify(&pki, &expired_file);
    assert_eq!(code, 1);
    assert!(problems(&v, 0).contains(&"expired".to_string()), "{v:#}");
    let ph = pyhanko(&pki, &expired_file, false);
    assert_eq!(ph[0]["trusted"], false, "{ph:#?}");
    assert_eq!(ph[0]["bottom_line"], false, "{ph:#?}");
    let sig = pdfsig(&pki, &expired_file);
    assert!(sig.contains("Certificate has Expired"), "{sig}");

    let gone = Credentials::from_pkcs12(&std::fs::read(&revoked).unwrap(), PASSWORD).unwrap();
    let signed = sign_with(&issued, &gone, Some(&tsa));
    // With the responder's answer kept in the file, as B-LT would.
    let mut chain = gone.chain.clone();
    chain.extend(
        saraban::sign::key::certificates_from_bytes(&std::fs::read(pki.path("ca.crt")).unwrap())
            .unwrap(),
    );
    let data = saraban::sign::ltv::fetch(&chain);
    assert_eq!(data.revoked, vec!["Revoked Signer".to_string()]);
    let with_dss = pdf::add_dss(&signed, &data.certs, &data.ocsps, &[]).unwrap();
    let revoked_file = dir.path().join("revoked.pdf");
    std::fs::write(&revoked_file, with_dss).unwrap();
    let (code, v) = office.verify(&pki, &revoked_file);
    assert_eq!(code, 1);
    assert_eq!(v["signatures"][0]["revocation"], "revoked", "{v:#}");
    assert!(problems(&v, 0).contains(&"revoked".to_string()), "{v:#}");
    let ph = pyhanko(&pki, &revoked_file, true);
    assert_eq!(ph[0]["bottom_line"], false, "{ph:#?}");
    assert!(
        ph[0]["revoked"] == true || ph[0]["summary"].as_str().unwrap_or("").contains("REVOKED"),
        "{ph:#?}"
    );
    let sig = pdfsig(&pki, &revoked_file);
    assert!(sig.contains("Certificate has been Revoked"), "{sig}");
}

#[test]
fn a_key_on_a_pkcs11_token_signs_rsa_and_ecdsa() {
    for (key, cn) in [("rsa:2048", "Token RSA"), ("ec", "Token ECDSA")] {
        let mut pki = Pki::new();
        pki.signer("card", key, cn);
        let conf = pki.token("card");
        start(&mut pki);
        let office = Office::new(false);
        let o = office.cmd(
            &[
                "sign",
                "1",
                "--pkcs11",
                crate::pki::SOFTHSM,
                "--tsa",
                &pki.tsa_url(),
                "-o",
                "t.pdf",
                "--json",
            ],
            &[
                ("SOFTHSM2_CONF", conf.to_str().unwrap()),
                ("SARABAN_SIGN_PASSWORD", crate::pki::PIN),
            ],
        );
        assert!(o.status.success(), "{key}: {}", common::stderr(&o));
        let file = office.path("t.pdf");
        let ph = pyhanko(&pki, &file, false);
        assert_eq!(ph[0]["bottom_line"], true, "{key}: {ph:#?}");
        assert_eq!(ph[0]["level"], "B-LT", "{key}: {ph:#?}");
        let sig = pdfsig(&pki, &file);
        assert!(
            sig.contains("Signature is Valid") && sig.contains("Certificate is Trusted"),
            "{key}: {sig}"
        );
        let (code, v) = office.verify(&pki, &file);
        assert_eq!(code, 0, "{key}: {v:#}");
        assert_eq!(v["signatures"][0]["signer"], cn);
        // A wrong PIN is said so, and nothing is recorded.
        let o = office.cmd(
            &["sign", "1", "--pkcs11", crate::pki::SOFTHSM],
            &[
                ("SOFTHSM2_CONF", conf.to_str().unwrap()),
                ("SARABAN_SIGN_PASSWORD", "000000"),
            ],
        );
        assert_eq!(o.status.code(), Some(3));
        assert!(common::stderr(&o).contains("PIN"), "{}", common::stderr(&o));
    }
}

#[test]
fn a_letter_signed_by_pyhanko_is_read_right_by_saraban_verify() {
    let mut pki = Pki::new();
    let p12 = pki.signer("other", "rsa:2048", "Signed Elsewhere");
    start(&mut pki);
    let office = Office::new(false);
    office.ok(&["show", "1", "--pdf", "issued.pdf"]);
    std::fs::write(office.path("pw"), PASSWORD).unwrap();
    let python = Path::new(env!("CARGO_MANIFEST_DIR")).join(".tools/py/bin/pyhanko");
    // pyHanko's default (adbe.pkcs7.detached, not PAdES) and its PAdES signature.
    for (pades, out, level) in [
        (false, "by-pyhanko.pdf", serde_json::Value::Null),
        (true, "by-pyhanko-pades.pdf", serde_json::json!("B-B")),
    ] {
        let mut c = Command::new(&python);
        c.args(["sign", "addsig", "--field", "Sig1"]);
        if pades {
            c.arg("--use-pades");
        }
        let o = c
            .args(["pkcs12", "--passfile", "pw", "issued.pdf", out])
            .arg(&p12)
            .current_dir(office.dir.path())
            .output()
            .unwrap();
        assert!(o.status.success(), "pyHanko: {}", common::stderr(&o));
        let (code, v) = office.verify(&pki, &office.path(out));
        assert_eq!(code, 0, "{v:#}");
        let s = &v["signatures"][0];
        assert_eq!(s["signer"], "Signed Elsewhere");
        assert_eq!(s["field"], "Sig1");
        assert_eq!(s["level"], level, "{v:#}");
        assert_eq!(s["trusted_root"], "Saraban Test Root CA");
        assert_eq!(v["entry"][0], 1, "the letter is this register's: {v:#}");
    }
    // Without the root, the same file is not trusted, and says how to trust it.
    let o = office.cmd(&["verify", "by-pyhanko.pdf"], &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stdout).contains("--trust"));
}

#[test]
fn a_signed_copy_changed_or_removed_behind_saraban_is_found_by_the_audit() {
    let mut pki = Pki::new();
    let p12 = pki.signer("somchai", "ec", "Somchai Jaidee");
    start(&mut pki);
    let office = Office::new(false);
    office.ok(&["sign", "1", "--p12", p12.to_str().unwrap()]);
    let ok = office.cmd(&["audit", "verify"], &[]);
    assert!(ok.status.success(), "{}", common::stderr(&ok));
    // The triggers keep a signed copy as it is.
    let db = rusqlite::Connection::open(office.path("r.sqlite")).unwrap();
    assert!(db
        .execute("UPDATE signatures SET pdf = X'00'", [])
        .unwrap_err()
        .to_string()
        .contains("cannot be changed"));
    assert!(db.execute("DELETE FROM signatures", []).is_err());
    // Someone with the file drops them and swaps the copy for another.
    db.execute_batch("DROP TRIGGER signatures_kept; UPDATE signatures SET pdf = pdf || X'0A';")
        .unwrap();
    drop(db);
    let o = office.cmd(&["audit", "verify"], &[]);
    assert!(!o.status.success());
    let out = format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        common::stderr(&o)
    );
    assert!(out.contains("signed copy 1"), "{out}");
    // And one deleted is missed.
    let db = rusqlite::Connection::open(office.path("r.sqlite")).unwrap();
    db.execute_batch("DROP TRIGGER signatures_undeletable; DELETE FROM signatures;")
        .unwrap();
    drop(db);
    let o = office.cmd(&["audit", "verify"], &[]);
    let out = format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        common::stderr(&o)
    );
    assert!(
        !o.status.success() && out.contains("signed copy 1 is missing"),
        "{out}"
    );
}

/// The last page of a PDF as a 300 dpi scan (PNG).
fn scan(pdf: &Path, out_prefix: &Path) -> PathBuf {
    scan_at(pdf, out_prefix, "300")
}

fn scan_at(pdf: &Path, out_prefix: &Path, dpi: &str) -> PathBuf {
    let pages = lopdf::Document::load(pdf).unwrap().get_pages().len();
    let o = Command::new("pdftoppm")
        .args(["-r", dpi, "-png", "-singlefile", "-f"])
        .arg(pages.to_string())
        .arg("-l")
        .arg(pages.to_string())
        .arg(pdf)
        .arg(out_prefix)
        .output()
        .unwrap();
    assert!(o.status.success());
    out_prefix.with_extension("png")
}

/// The text of the statement QR code in a picture, as zbar (no code of ours) reads it.
fn zbar(picture: &Path) -> String {
    let o = Command::new("zbarimg")
        .arg("-q")
        .arg("--raw")
        .arg(picture)
        .output()
        .unwrap();
    String::from_utf8_lossy(&o.stdout)
        .lines()
        .find(|l| l.starts_with("SRB1:"))
        .unwrap_or_else(|| panic!("zbar reads no statement in {}", picture.display()))
        .to_string()
}

fn printed(office: &Office, picture: &Path) -> (i32, serde_json::Value) {
    let o = office.cmd(&["verify", picture.to_str().unwrap(), "--json"], &[]);
    (
        o.status.code().unwrap_or(-1),
        serde_json::from_slice(&o.stdout).unwrap_or_else(|_| panic!("{}", common::stderr(&o))),
    )
}

#[test]
fn a_printed_letter_verifies_from_a_scan_or_a_photo_and_a_forged_one_is_refused() {
    let office = Office::new(false);
    office.ok(&["show", "1", "--pdf", "issued.pdf"]);
    let page = scan(&office.path("issued.pdf"), &office.path("page"));
    // Any QR reader reads it as text.
    let text = zbar(&page);
    assert!(text.len() < 300, "{text}");
    let (code, v) = printed(&office, &page);
    assert_eq!(code, 0, "{v:#}");
    assert_eq!(v["statement"]["number"], "มท 0810.2/1", "{v:#}");
    assert_eq!(v["entry"], 1);
    // A letter with QR codes of its own beside the statement.
    std::fs::write(
        office.path("jclair.json"),
        common::issuable_json("jclair-specialists"),
    )
    .unwrap();
    office.ok(&["issue", "jclair.json"]);
    office.ok(&["show", "2", "--pdf", "jclair.pdf"]);
    let (code, v) = printed(
        &office,
        &scan(&office.path("jclair.pdf"), &office.path("jclair")),
    );
    assert_eq!(code, 0, "beside the letter's own QR code: {v:#}");
    assert_eq!(v["entry"], 2);
    // A photo of the corner, close up: turned, blurred, JPEG.
    let photo = office.path("photo.jpg");
    let o = Command::new("convert")
        .arg(&page)
        .args([
            "-gravity",
            "SouthEast",
            "-crop",
            "900x600+0+0",
            "+repage",
            "-rotate",
            "-3",
            "-resize",
            "150%",
            "-blur",
            "0x0.7",
            "-quality",
            "85",
        ])
        .arg(&photo)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", common::stderr(&o));
    let (code, v) = printed(&office, &photo);
    assert_eq!(code, 0, "a photo of the corner: {v:#}");

    // Another office's letter: a key this register does not know.
    let other = Office::new(false);
    other.ok(&["show", "1", "--pdf", "theirs.pdf"]);
    let theirs = scan(&other.path("theirs.pdf"), &office.path("theirs"));
    let (code, v) = printed(&office, &theirs);
    assert_eq!(code, 1);
    assert!(v["refusal"]["unknown-key"].is_string(), "{v:#}");

    // The office's statement with its number changed, printed on another letter.
    use coset::CborSerializable;
    let cose = base45::decode(&text["SRB1:".len()..]).unwrap();
    let mut sign1 = coset::CoseSign1::from_slice(&cose).unwrap();
    let mut payload: ciborium::Value =
        ciborium::from_reader(&sign1.payload.clone().unwrap()[..]).unwrap();
    for (k, v) in payload.as_map_mut().unwrap() {
        if k.as_integer() == Some(3.into()) {
            *v = ciborium::Value::Text("มท 0810.2/2".into());
        }
    }
    let mut buf = Vec::new();
    ciborium::into_writer(&payload, &mut buf).unwrap();
    sign1.payload = Some(buf);
    let altered = format!("SRB1:{}", base45::encode(sign1.to_vec().unwrap()));
    let mut forged = common::letter("memo");
    forged.qr = vec![serde_json::from_value(serde_json::json!({ "data": altered })).unwrap()];
    std::fs::write(office.path("forged.json"), forged.to_json()).unwrap();
    office.ok(&["render", "forged.json", "-o", "forged.pdf"]);
    // (A letter's own QR codes are printed at level M, denser: scanned at 600 dpi.)
    let forged_page = scan_at(&office.path("forged.pdf"), &office.path("forged"), "600");
    let (code, v) = printed(&office, &forged_page);
    assert_eq!(code, 1);
    assert_eq!(v["refusal"], "bad-signature", "{v:#}");

    // A letter later cancelled no longer stands.
    office.ok(&["cancel", "1", "--reason", "ออกผิด"]);
    let (code, v) = printed(&office, &page);
    assert_eq!(code, 1);
    assert!(v["mismatches"].to_string().contains("cancelled"), "{v:#}");
}

#[test]
fn a_typed_name_is_recorded_with_who_typed_it_and_a_certificate_may_sign_after() {
    let mut pki = Pki::new();
    let p12 = pki.signer("somchai", "rsa:2048", "Somchai Jaidee");
    start(&mut pki);
    let office = Office::new(false);
    let out = office.ok(&[
        "sign",
        "1",
        "--typed",
        "นายสมชาย ใจดี",
        "-o",
        "typed.pdf",
        "--json",
    ]);
    let signed: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
    assert_eq!(signed["signature"]["kind"], "typed");
    assert_eq!(signed["signature"]["level"], "typed");
    assert!(!signed["signature"]["signed_by"]
        .as_str()
        .unwrap()
        .is_empty());
    let text = Command::new("pdftotext")
        .arg(office.path("typed.pdf"))
        .arg("-")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(
        text.contains("ลงชื่อโดยพิมพ์ชื่อ") && text.contains("นายสมชาย ใจดี"),
        "{text}"
    );
    qpdf_check(&office.path("typed.pdf"));
    let audit = office.cmd(&["audit", "verify"], &[]);
    assert!(audit.status.success(), "{}", common::stderr(&audit));
    // An empty name is refused.
    let o = office.cmd(&["sign", "1", "--typed", "  "], &[]);
    assert!(!o.status.success());
    // A certificate's signature after it covers the typed name.
    office.ok(&[
        "sign",
        "1",
        "--p12",
        p12.to_str().unwrap(),
        "-o",
        "both.pdf",
    ]);
    let (code, v) = office.verify(&pki, &office.path("both.pdf"));
    assert_eq!(code, 0, "{v:#}");
    let ph = pyhanko(&pki, &office.path("both.pdf"), false);
    assert_eq!(ph[0]["bottom_line"], true, "{ph:#?}");
}
