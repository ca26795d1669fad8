//! A throw-away public-key infrastructure for the signature tests, all from Debian's
//! `openssl` on loopback: a root authority (`openssl ca`, with its index), signers' keys
//! and certificates as PKCS #12 files (RSA, ECDSA P-256, one expired, one revoked), an OCSP
//! responder (`openssl ocsp`) named in each signer's certificate, and a time-stamp
//! authority (`openssl ts -reply` behind a small HTTP server here). A SoftHSM2 token holds
//! a key for PKCS #11. Everything is stopped and deleted when dropped.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use crate::ports::free_port;

/// The PKCS #12 files' password and the token's PIN.
pub const PASSWORD: &str = "รหัสผ่าน-1234";
pub const PIN: &str = "123456";
/// Debian's SoftHSM2 module.
pub const SOFTHSM: &str = "/usr/lib/softhsm/libsofthsm2.so";

pub struct Pki {
    pub dir: tempfile::TempDir,
    ocsp: Option<Child>,
    pub ocsp_port: u16,
    tsa_stop: Arc<AtomicBool>,
    pub tsa_port: u16,
}

fn run(dir: &Path, program: &str, args: &[&str]) -> String {
    let out = Command::new(program)
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap_or_else(|e| panic!("{program} is not installed ({e}): run scripts/setup.sh"));
    assert!(
        out.status.success(),
        "{program} {args:?}: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

impl Pki {
    pub fn new() -> Pki {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        let ocsp_port = free_port();
        std::fs::create_dir_all(d.join("newcerts")).unwrap();
        std::fs::write(d.join("index.txt"), "").unwrap();
        std::fs::write(d.join("serial"), "1000\n").unwrap();
        std::fs::write(d.join("tsaserial"), "01\n").unwrap();
        std::fs::write(
            d.join("ca.cnf"),
            format!(
                "[ ca ]\ndefault_ca = CA_default\n\
                 [ CA_default ]\ndir = .\ndatabase = index.txt\nnew_certs_dir = newcerts\n\
                 serial = serial\ndefault_md = sha256\npolicy = policy_any\nunique_subject = no\n\
                 default_days = 30\n\
                 [ policy_any ]\ncommonName = supplied\norganizationName = optional\n\
                 [ signer_ext ]\nbasicConstraints = CA:FALSE\n\
                 keyUsage = critical, digitalSignature, nonRepudiation\n\
                 authorityInfoAccess = OCSP;URI:http://127.0.0.1:{ocsp_port}/\n\
                 subjectKeyIdentifier = hash\nauthorityKeyIdentifier = keyid\n\
                 [ ocsp_ext ]\nbasicConstraints = CA:FALSE\nkeyUsage = critical, digitalSignature\n\
                 extendedKeyUsage = critical, OCSPSigning\nnoCheck = ignored\n\
                 [ tsa_ext ]\nbasicConstraints = CA:FALSE\n\
                 keyUsage = critical, digitalSignature, nonRepudiation\n\
                 extendedKeyUsage = critical, timeStamping\n\
                 [ tsa ]\ndefault_tsa = tsa_config1\n\
                 [ tsa_config1 ]\ndir = .\nserial = tsaserial\ncrypto_device = builtin\n\
                 signer_cert = tsa.crt\ncerts = ca.crt\nsigner_key = tsa.key\n\
                 signer_digest = sha256\ndefault_policy = 1.2.3.4.1\n\
                 digests = sha256, sha384, sha512\naccuracy = secs:1\nordering = yes\n\
                 tsa_name = yes\ness_cert_id_chain = no\ness_cert_id_alg = sha256\n"
            ),
        )
        .unwrap();
        run(
            d,
            "openssl",
            &[
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-keyout",
                "ca.key",
                "-out",
                "ca.crt",
                "-days",
                "60",
                "-subj",
                "/CN=Saraban Test Root CA",
                "-addext",
                "basicConstraints=critical,CA:TRUE",
                "-addext",
                "keyUsage=critical,keyCertSign,cRLSign",
            ],
        );
        let pki = Pki {
            dir,
            ocsp: None,
            ocsp_port,
            tsa_stop: Arc::new(AtomicBool::new(false)),
            tsa_port: 0,
        };
        pki.issue("ocsp", "rsa:2048", "Saraban Test OCSP", "ocsp_ext", None);
        pki.issue("tsa", "rsa:2048", "Saraban Test TSA", "tsa_ext", None);
        pki
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// A key (`rsa:2048` or `ec`) and a certificate for `cn` signed by the root, with
    /// the extensions section `ext`; `dates` (start, end as YYYYMMDDHHMMSSZ) for one not
    /// valid now. Writes NAME.key, NAME.crt and NAME.p12 (with the root, [`PASSWORD`]).
    pub fn issue(&self, name: &str, key: &str, cn: &str, ext: &str, dates: Option<(&str, &str)>) {
        let d = self.dir.path();
        let keyfile = format!("{name}.key");
        let csr = format!("{name}.csr");
        let crt = format!("{name}.crt");
        let mut req = vec![
            "req", "-new", "-utf8", "-nodes", "-keyout", &keyfile, "-out", &csr,
        ];
        let subj = format!("/CN={cn}/O=Saraban Test");
        req.extend(["-subj", &subj]);
        if key == "ec" {
            req.extend(["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"]);
        } else {
            req.extend(["-newkey", key]);
        }
        run(d, "openssl", &req);
        let mut ca = vec![
            "ca",
            "-batch",
            "-notext",
            "-config",
            "ca.cnf",
            "-cert",
            "ca.crt",
            "-keyfile",
            "ca.key",
            "-in",
            &csr,
            "-out",
            &crt,
            "-extensions",
            ext,
        ];
        if let Some((start, end)) = dates {
            ca.extend(["-startdate", start, "-enddate", end]);
        }
        run(d, "openssl", &ca);
        let p12 = format!("{name}.p12");
        let pass = format!("pass:{PASSWORD}");
        run(
            d,
            "openssl",
            &[
                "pkcs12",
                "-export",
                "-inkey",
                &keyfile,
                "-in",
                &crt,
                "-certfile",
                "ca.crt",
                "-out",
                &p12,
                "-passout",
                &pass,
            ],
        );
    }

    /// A signer's PKCS #12 file.
    pub fn signer(&self, name: &str, key: &str, cn: &str) -> PathBuf {
        self.issue(name, key, cn, "signer_ext", None);
        self.path(&format!("{name}.p12"))
    }

    /// Revokes NAME.crt in the authority's index (before the responder starts).
    pub fn revoke(&self, name: &str) {
        run(
            self.dir.path(),
            "openssl",
            &[
                "ca",
                "-config",
                "ca.cnf",
                "-cert",
                "ca.crt",
                "-keyfile",
                "ca.key",
                "-revoke",
                &format!("{name}.crt"),
            ],
        );
    }

    /// Starts the OCSP responder on its port (what the certificates name).
    pub fn start_ocsp(&mut self) {
        let d = self.dir.path();
        let child = Command::new("openssl")
            .args([
                "ocsp",
                "-index",
                "index.txt",
                "-port",
                &self.ocsp_port.to_string(),
                "-rsigner",
                "ocsp.crt",
                "-rkey",
                "ocsp.key",
                "-CA",
                "ca.crt",
                "-ignore_err",
            ])
            .current_dir(d)
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(d.join("ocsp.log")).unwrap())
            .spawn()
            .expect("openssl");
        self.ocsp = Some(child);
        // Ready when it says so: a probing connection would hold up its one-at-a-time loop.
        for _ in 0..200 {
            let log = std::fs::read_to_string(d.join("ocsp.log")).unwrap_or_default();
            if log.contains("waiting for OCSP client connections") {
                return;
            }
            std::thread::sleep(Duration::from_millis(25));
        }
        panic!("the OCSP responder did not start");
    }

    /// Starts the time-stamp authority: an HTTP server answering each request with
    /// `openssl ts -reply`.
    pub fn start_tsa(&mut self) -> String {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        self.tsa_port = listener.local_addr().unwrap().port();
        let dir = self.dir.path().to_path_buf();
        let stop = self.tsa_stop.clone();
        std::thread::spawn(move || {
            for (n, stream) in listener.incoming().enumerate() {
                if stop.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(mut s) = stream else { continue };
                let _ = answer_ts(&dir, n, &mut s);
            }
        });
        self.tsa_url()
    }

    pub fn tsa_url(&self) -> String {
        format!("http://127.0.0.1:{}/tsa", self.tsa_port)
    }

    /// A SoftHSM2 token (its own configuration in this folder) holding NAME's key and
    /// certificate under id 01. Returns the SOFTHSM2_CONF path. One token per Pki.
    pub fn token(&self, name: &str) -> PathBuf {
        let d = self.dir.path();
        std::fs::create_dir_all(d.join("tokens")).unwrap();
        let conf = d.join("softhsm2.conf");
        std::fs::write(
            &conf,
            format!(
                "directories.tokendir = {}\nobjectstore.backend = file\n",
                d.join("tokens").display()
            ),
        )
        .unwrap();
        let env = |c: &mut Command| {
            c.env("SOFTHSM2_CONF", &conf);
        };
        let mut c = Command::new("softhsm2-util");
        env(&mut c);
        let out = c
            .args([
                "--init-token",
                "--free",
                "--label",
                "saraban",
                "--pin",
                PIN,
                "--so-pin",
                "87654321",
            ])
            .current_dir(d)
            .output()
            .expect("softhsm2-util is not installed: run scripts/setup.sh");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        run(
            d,
            "openssl",
            &[
                "pkcs8",
                "-topk8",
                "-nocrypt",
                "-in",
                &format!("{name}.key"),
                "-out",
                "token.pk8",
            ],
        );
        let mut c = Command::new("softhsm2-util");
        env(&mut c);
        let out = c
            .args([
                "--import",
                "token.pk8",
                "--token",
                "saraban",
                "--label",
                name,
                "--id",
                "01",
                "--pin",
                PIN,
            ])
            .current_dir(d)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        run(
            d,
            "openssl",
            &[
                "x509",
                "-in",
                &format!("{name}.crt"),
                "-outform",
                "DER",
                "-out",
                "token.der",
            ],
        );
        let mut c = Command::new("pkcs11-tool");
        env(&mut c);
        let out = c
            .args([
                "--module",
                SOFTHSM,
                "--login",
                "--pin",
                PIN,
                "--token-label",
                "saraban",
                "--write-object",
                "token.der",
                "--type",
                "cert",
                "--id",
                "01",
                "--label",
                name,
            ])
            .current_dir(d)
            .output()
            .expect("pkcs11-tool (opensc) is not installed: run scripts/setup.sh");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        conf
    }

    /// An NSS database trusting the root, for poppler's `pdfsig`.
    pub fn nss_db(&self) -> PathBuf {
        let d = self.dir.path();
        let db = d.join("nss");
        if !db.exists() {
            std::fs::create_dir_all(&db).unwrap();
            let sql = format!("sql:{}", db.display());
            run(d, "certutil", &["-N", "-d", &sql, "--empty-password"]);
            run(
                d,
                "certutil",
                &[
                    "-A", "-d", &sql, "-n", "root", "-t", "CT,C,C", "-i", "ca.crt",
                ],
            );
        }
        db
    }
}

fn answer_ts(dir: &Path, n: usize, s: &mut TcpStream) -> std::io::Result<()> {
    s.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let header_end = loop {
        let k = s.read(&mut chunk)?;
        if k == 0 {
            return Ok(());
        }
        buf.extend_from_slice(&chunk[..k]);
        if let Some(p) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break p + 4;
        }
    };
    let head = String::from_utf8_lossy(&buf[..header_end]).to_lowercase();
    let len: usize = head
        .lines()
        .find_map(|l| {
            l.strip_prefix("content-length:")
                .map(|v| v.trim().parse().unwrap_or(0))
        })
        .unwrap_or(0);
    while buf.len() < header_end + len {
        let k = s.read(&mut chunk)?;
        if k == 0 {
            break;
        }
        buf.extend_from_slice(&chunk[..k]);
    }
    let q = dir.join(format!("q{n}.tsq"));
    let r = dir.join(format!("r{n}.tsr"));
    std::fs::write(&q, &buf[header_end..])?;
    let out = Command::new("openssl")
        .args(["ts", "-reply", "-config", "ca.cnf", "-queryfile"])
        .arg(&q)
        .arg("-out")
        .arg(&r)
        .current_dir(dir)
        .output()?;
    let body = if out.status.success() {
        std::fs::read(&r)?
    } else {
        Vec::new()
    };
    let status = if body.is_empty() {
        "500 Internal Server Error"
    } else {
        "200 OK"
    };
    write!(
        s,
        "HTTP/1.1 {status}\r\nContent-Type: application/timestamp-reply\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )?;
    s.write_all(&body)?;
    Ok(())
}

impl Drop for Pki {
    fn drop(&mut self) {
        if let Some(mut c) = self.ocsp.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
        self.tsa_stop.store(true, Ordering::SeqCst);
        if self.tsa_port != 0 {
            let _ = TcpStream::connect(("127.0.0.1", self.tsa_port));
        }
    }
}
