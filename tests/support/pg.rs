//! A throw-away PostgreSQL cluster for the tests: Debian's own server binaries
//! (`/usr/lib/postgresql/N/bin`), a data folder and socket in a temporary folder, run as a
//! non-root user (`postgres` when the tests run as root), reachable only on its Unix
//! socket — or, with [`Cluster::start_tls`], also on 127.0.0.1 with TLS, its certificate
//! from a certificate authority of its own made with `openssl`. Stopped and deleted when
//! dropped.

#![allow(dead_code)]

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::ports::free_port;

pub struct Cluster {
    dir: tempfile::TempDir,
    bin: PathBuf,
    /// The account the server runs as, when it is not ours.
    run_as: Option<String>,
    port: u16,
    /// Listening on 127.0.0.1 with TLS too.
    tls: bool,
}

fn openssl(dir: &Path, args: &[&str]) {
    let out = Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("openssl is not installed: run scripts/setup.sh");
    assert!(
        out.status.success(),
        "openssl {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The newest installed server's binaries.
fn server_bin() -> PathBuf {
    let mut versions: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .filter_map(|e| e.ok().map(|e| e.path().join("bin")))
        .filter(|b| b.join("initdb").exists() && b.join("pg_ctl").exists())
        .collect();
    versions.sort_by_key(|p| {
        p.parent()
            .and_then(|v| v.file_name())
            .and_then(|v| v.to_str())
            .and_then(|v| v.parse::<u32>().ok())
            .unwrap_or(0)
    });
    versions.pop().expect(
        "PostgreSQL's server is not installed (Debian package postgresql): run scripts/setup.sh",
    )
}

fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions.
    unsafe { libc_geteuid() == 0 }
}

extern "C" {
    #[link_name = "geteuid"]
    fn libc_geteuid() -> u32;
}

/// Whether the clusters listen on loopback TCP too, and their URLs name it: when the CLI
/// under test is another program (`SARABAN_TEST_CLI`: the Windows CLI under Wine, which has
/// no way to a Unix socket — as an office's Windows computers reach their server by TCP).
/// The socket stays for the tests' own psql.
fn over_tcp() -> bool {
    std::env::var_os("SARABAN_TEST_CLI").is_some()
}

impl Cluster {
    /// Creates and starts a cluster: UTF-8, locale C.UTF-8, trust on its socket only.
    pub fn start() -> Cluster {
        Cluster::start_with(false)
    }

    /// A cluster also on 127.0.0.1 (a free port) with TLS: its certificate, for
    /// `localhost` and 127.0.0.1, signed by a certificate authority of its own
    /// ([`Cluster::ca`]); [`Cluster::other_ca`] is one that did not sign it.
    pub fn start_tls() -> Cluster {
        Cluster::start_with(true)
    }

    fn start_with(tls: bool) -> Cluster {
        let bin = server_bin();
        let dir = tempfile::Builder::new()
            .prefix("saraban-pg-")
            .tempdir_in("/tmp")
            .unwrap();
        let run_as = is_root().then(|| "postgres".to_string());
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
        if let Some(user) = &run_as {
            let ok = Command::new("chown")
                .arg(user)
                .arg(dir.path())
                .status()
                .unwrap()
                .success();
            assert!(ok, "cannot give the cluster's folder to {user}");
        }
        let port = if tls || over_tcp() { free_port() } else { 5432 };
        let c = Cluster {
            dir,
            bin,
            run_as,
            port,
            tls,
        };
        c.run(
            "initdb",
            &[
                "-D",
                &c.data().display().to_string(),
                "-U",
                "saraban",
                "-A",
                "trust",
                "--encoding=UTF8",
                "--locale=C.UTF-8",
                "--no-sync",
            ],
        );
        if tls {
            c.make_certificates();
        }
        c.pg_ctl(&["start", "-w", "-t", "60"]);
        c
    }

    fn make_certificates(&self) {
        let d = self.dir.path();
        let ec = [
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
        ];
        for (name, cn) in [("ca", "Saraban test CA"), ("other-ca", "Another CA")] {
            let mut args = vec!["req", "-x509"];
            args.extend_from_slice(&ec);
            let key = format!("{name}.key");
            let crt = format!("{name}.crt");
            let subj = format!("/CN={cn}");
            args.extend_from_slice(&["-keyout", &key, "-out", &crt, "-days", "2", "-subj", &subj]);
            openssl(d, &args);
        }
        let mut args = vec!["req"];
        args.extend_from_slice(&ec);
        args.extend_from_slice(&[
            "-keyout",
            "server.key",
            "-out",
            "server.csr",
            "-subj",
            "/CN=localhost",
        ]);
        openssl(d, &args);
        std::fs::write(
            d.join("server.ext"),
            "subjectAltName=DNS:localhost,IP:127.0.0.1\n",
        )
        .unwrap();
        openssl(
            d,
            &[
                "x509",
                "-req",
                "-in",
                "server.csr",
                "-CA",
                "ca.crt",
                "-CAkey",
                "ca.key",
                "-CAcreateserial",
                "-out",
                "server.crt",
                "-days",
                "2",
                "-extfile",
                "server.ext",
            ],
        );
        let key = d.join("server.key");
        std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o600)).unwrap();
        if let Some(user) = &self.run_as {
            let ok = Command::new("chown")
                .arg(user)
                .arg(&key)
                .arg(d.join("server.crt"))
                .status()
                .unwrap()
                .success();
            assert!(ok);
        }
    }

    /// The certificate authority that signed the server's certificate.
    pub fn ca(&self) -> PathBuf {
        self.dir.path().join("ca.crt")
    }

    /// A certificate authority that did not.
    pub fn other_ca(&self) -> PathBuf {
        self.dir.path().join("other-ca.crt")
    }

    /// The URL of database `db` over TCP to `host` (localhost or 127.0.0.1), with `params`
    /// (`?sslmode=…`, or empty).
    pub fn tcp_url(&self, db: &str, host: &str, params: &str) -> String {
        format!("postgres://saraban@{host}:{}/{db}{params}", self.port)
    }

    fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    /// The socket's folder.
    pub fn socket_dir(&self) -> &Path {
        self.dir.path()
    }

    fn run(&self, tool: &str, args: &[&str]) {
        let exe = self.bin.join(tool);
        let mut cmd = match &self.run_as {
            Some(user) => {
                let mut c = Command::new("runuser");
                c.args(["-u", user, "--"]).arg(&exe);
                c
            }
            None => Command::new(&exe),
        };
        let out = cmd
            .args(args)
            .current_dir(self.dir.path())
            .output()
            .unwrap_or_else(|e| panic!("cannot run {tool}: {e}"));
        assert!(
            out.status.success(),
            "{tool} {args:?} failed: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }

    fn pg_ctl(&self, args: &[&str]) {
        let d = self.dir.path().display();
        let mut opts = format!(
            "-c unix_socket_directories='{d}' -c port={} -c max_connections=60 -c shared_buffers=64MB",
            self.port
        );
        if self.tls {
            opts.push_str(&format!(
                " -c listen_addresses='127.0.0.1' -c ssl=on -c ssl_cert_file='{d}/server.crt' -c ssl_key_file='{d}/server.key'"
            ));
        } else if over_tcp() {
            opts.push_str(" -c listen_addresses='127.0.0.1'");
        } else {
            opts.push_str(" -c listen_addresses=''");
        }
        let data = self.data().display().to_string();
        let log = self.dir.path().join("server.log").display().to_string();
        let mut all = vec!["-D", &data, "-l", &log, "-o", &opts];
        all.extend_from_slice(args);
        self.run("pg_ctl", &all);
    }

    /// The URL of database `db` (created by Saraban when missing) as user saraban: on the
    /// cluster's Unix socket, or on loopback TCP when the CLI under test cannot reach a
    /// socket (see [`over_tcp`]).
    pub fn url(&self, db: &str) -> String {
        if over_tcp() {
            return self.tcp_url(db, "127.0.0.1", "");
        }
        format!(
            "postgres://saraban@/{db}?host={}&port={}",
            self.dir.path().display(),
            self.port
        )
    }

    /// Restarts the server (fast shutdown: open transactions are rolled back, clients
    /// disconnected).
    pub fn restart(&self) {
        self.pg_ctl(&["restart", "-m", "fast", "-w", "-t", "60"]);
    }

    pub fn stop(&self) {
        self.pg_ctl(&["stop", "-m", "fast", "-w"]);
    }

    pub fn start_again(&self) {
        self.pg_ctl(&["start", "-w", "-t", "60"]);
    }

    /// Runs SQL with psql as the superuser in database `db`; returns its output (unaligned,
    /// tuples only).
    pub fn psql(&self, db: &str, sql: &str) -> String {
        self.psql_result(db, sql)
            .unwrap_or_else(|e| panic!("psql {sql}: {e}"))
    }

    /// Like [`Cluster::psql`], but returns the error text when the server refuses.
    pub fn psql_result(&self, db: &str, sql: &str) -> Result<String, String> {
        self.psql_as("saraban", db, sql)
    }

    /// Runs SQL as the role `user` (not a superuser, unless it is one).
    pub fn psql_as(&self, user: &str, db: &str, sql: &str) -> Result<String, String> {
        let port = self.port.to_string();
        let out = Command::new(self.bin.join("psql"))
            .args(["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h"])
            .arg(self.dir.path())
            .args(["-p", &port, "-U", user, "-d", db, "-c", sql])
            .output()
            .unwrap();
        if out.status.success() {
            Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
        } else {
            Err(String::from_utf8_lossy(&out.stderr).to_string())
        }
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let data = self.data().display().to_string();
        let exe = self.bin.join("pg_ctl");
        let mut cmd = match &self.run_as {
            Some(user) => {
                let mut c = Command::new("runuser");
                c.args(["-u", user, "--"]).arg(&exe);
                c
            }
            None => Command::new(&exe),
        };
        let _ = cmd
            .args(["-D", &data, "stop", "-m", "immediate", "-w"])
            .output();
    }
}
