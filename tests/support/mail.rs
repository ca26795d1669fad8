//! Throw-away mail servers for the tests: Debian's Postfix (SMTP, STARTTLS on one port and
//! implicit TLS on another, logins checked by Dovecot) delivering over LMTP to Debian's
//! Dovecot (IMAP, STARTTLS and implicit TLS), each with its configuration, queue and
//! mailboxes in a temporary folder, on loopback ports, with a certificate from a
//! certificate authority of its own made with `openssl`. Stopped and deleted when dropped.
//!
//! Postfix's master must start as root (it then runs as `postfix`; CI runs as root);
//! Dovecot runs its mail processes as `nobody`. Not as root, [`MailServers::start`] fails
//! and says so: the tests never pass without their servers.

#![allow(dead_code)]

use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::ports::free_port;

pub const PASSWORD: &str = "saraban-test-pw";

pub struct MailServers {
    dir: tempfile::TempDir,
    dovecot: Option<Child>,
    postfix: Option<Child>,
    /// SMTP with STARTTLS.
    pub smtp: u16,
    /// SMTP with implicit TLS.
    pub smtps: u16,
    /// IMAP with STARTTLS.
    pub imap: u16,
    /// IMAP with implicit TLS.
    pub imaps: u16,
    /// The authority's certificate (what an office pins).
    pub ca: PathBuf,
}

fn run(cmd: &mut Command) {
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("{cmd:?}: {e}: run bash scripts/setup.sh"));
    assert!(
        out.status.success(),
        "{cmd:?}: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

/// Waits (at most 20 s) until nothing listens on these ports any more.
fn wait_closed(ports: &[u16]) {
    let start = Instant::now();
    while ports
        .iter()
        .any(|p| std::net::TcpStream::connect(("127.0.0.1", *p)).is_ok())
        && start.elapsed() < Duration::from_secs(20)
    {
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn wait_port(port: u16, what: &str, log: &Path) {
    let start = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        if start.elapsed() > Duration::from_secs(30) {
            panic!(
                "{what} did not start on port {port}: {}",
                std::fs::read_to_string(log).unwrap_or_default()
            );
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// A certificate authority and a server certificate for localhost and 127.0.0.1
/// (ECDSA P-256), made by `openssl` in `dir`.
pub fn make_certificates(dir: &Path, ca_name: &str) {
    let ssl = |args: &[&str]| run(Command::new("openssl").args(args).current_dir(dir));
    ssl(&[
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
        "-keyout",
        "ca.key",
        "-out",
        "ca.crt",
        "-days",
        "2",
        "-subj",
        &format!("/CN={ca_name}"),
    ]);
    ssl(&[
        "req",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
        "-keyout",
        "server.key",
        "-out",
        "server.csr",
        "-subj",
        "/CN=localhost",
    ]);
    std::fs::write(
        dir.join("ext"),
        "subjectAltName=DNS:localhost,IP:127.0.0.1\n",
    )
    .unwrap();
    ssl(&[
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
        "ext",
    ]);
    std::fs::set_permissions(
        dir.join("server.key"),
        std::fs::Permissions::from_mode(0o600),
    )
    .unwrap();
}

impl MailServers {
    /// Starts both servers for these addresses (all with [`PASSWORD`]); messages up to
    /// `max_mb` megabytes.
    pub fn start(addresses: &[&str], max_mb: u64) -> MailServers {
        assert!(
            is_root(),
            "the mail tests start Postfix, whose master must start as root: run them as root (as CI does)"
        );
        for bin in ["/usr/sbin/postfix", "/usr/sbin/dovecot"] {
            if !Path::new(bin).exists() {
                crate::common::missing_tool(bin);
            }
        }
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path().to_path_buf();
        // Postfix's and Dovecot's own users walk into the folder.
        std::fs::set_permissions(&d, std::fs::Permissions::from_mode(0o755)).unwrap();
        make_certificates(&d, "Saraban test mail CA");
        for sub in [
            "dovecot",
            "dovecot/base",
            "dovecot/state",
            "mail",
            "postfix",
            "postfix/queue",
            "postfix/data",
        ] {
            std::fs::create_dir_all(d.join(sub)).unwrap();
            std::fs::set_permissions(d.join(sub), std::fs::Permissions::from_mode(0o755)).unwrap();
        }
        run(Command::new("chown")
            .args(["nobody:nogroup"])
            .arg(d.join("mail")));
        run(Command::new("chown")
            .args(["postfix"])
            .arg(d.join("postfix/data")));
        let users: String = addresses
            .iter()
            .map(|a| format!("{a}:{{PLAIN}}{PASSWORD}::::::\n"))
            .collect();
        std::fs::write(d.join("dovecot/users"), users).unwrap();
        let (smtp, smtps, imap, imaps) = (free_port(), free_port(), free_port(), free_port());
        let p = d.display();
        std::fs::write(
            d.join("dovecot/dovecot.conf"),
            format!(
                r#"base_dir = {p}/dovecot/base
state_dir = {p}/dovecot/state
instance_name = saraban-test-{imap}
listen = 127.0.0.1
protocols = imap lmtp
log_path = {p}/dovecot/log
ssl = yes
ssl_cert = <{p}/server.crt
ssl_key = <{p}/server.key
mail_uid = nobody
mail_gid = nogroup
mail_location = maildir:{p}/mail/%d/%n
auth_mechanisms = plain login
passdb {{
  driver = passwd-file
  args = {p}/dovecot/users
}}
userdb {{
  driver = static
  args = uid=nobody gid=nogroup home={p}/mail/%d/%n
}}
service imap-login {{
  inet_listener imap {{
    port = {imap}
  }}
  inet_listener imaps {{
    port = {imaps}
    ssl = yes
  }}
}}
service lmtp {{
  unix_listener lmtp {{
    mode = 0666
  }}
}}
service auth {{
  unix_listener auth-postfix {{
    mode = 0666
  }}
}}
"#
            ),
        )
        .unwrap();
        let domains: Vec<&str> = addresses
            .iter()
            .filter_map(|a| a.split_once('@').map(|x| x.1))
            .collect();
        std::fs::write(
            d.join("postfix/main.cf"),
            format!(
                r#"compatibility_level = 3.6
queue_directory = {p}/postfix/queue
data_directory = {p}/postfix/data
daemon_directory = /usr/lib/postfix/sbin
meta_directory = /etc/postfix
shlib_directory = /usr/lib/postfix
mail_owner = postfix
setgid_group = postdrop
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
myhostname = localhost
mydestination =
alias_maps =
alias_database =
virtual_mailbox_domains = {domains}
virtual_transport = lmtp:unix:{p}/dovecot/base/lmtp
smtpd_sasl_auth_enable = yes
smtpd_sasl_type = dovecot
smtpd_sasl_path = {p}/dovecot/base/auth-postfix
smtpd_tls_cert_file = {p}/server.crt
smtpd_tls_key_file = {p}/server.key
smtpd_tls_security_level = may
smtpd_tls_auth_only = yes
smtpd_relay_restrictions = permit_sasl_authenticated, reject_unauth_destination
smtpd_recipient_restrictions = permit_sasl_authenticated, reject
message_size_limit = {limit}
mailbox_size_limit = 0
virtual_mailbox_limit = 0
maillog_file = {p}/postfix/log
maillog_file_prefixes = {p}
"#,
                domains = domains.join(", "),
                limit = max_mb << 20,
            ),
        )
        .unwrap();
        std::fs::write(
            d.join("postfix/master.cf"),
            format!(
                "127.0.0.1:{smtp} inet n - n - - smtpd\n\
                 127.0.0.1:{smtps} inet n - n - - smtpd -o smtpd_tls_wrappermode=yes\n\
                 pickup unix n - n 60 1 pickup\n\
                 cleanup unix n - n - 0 cleanup\n\
                 qmgr unix n - n 300 1 qmgr\n\
                 tlsmgr unix - - n 1000? 1 tlsmgr\n\
                 rewrite unix - - n - - trivial-rewrite\n\
                 bounce unix - - n - 0 bounce\n\
                 defer unix - - n - 0 bounce\n\
                 trace unix - - n - 0 bounce\n\
                 verify unix - - n - 1 verify\n\
                 flush unix n - n 1000? 0 flush\n\
                 proxymap unix - - n - - proxymap\n\
                 smtp unix - - n - - smtp\n\
                 relay unix - - n - - smtp\n\
                 showq unix n - n - - showq\n\
                 error unix - - n - - error\n\
                 retry unix - - n - - error\n\
                 discard unix - - n - - discard\n\
                 lmtp unix - - n - - lmtp\n\
                 anvil unix - - n - 1 anvil\n\
                 scache unix - - n - 1 scache\n\
                 postlog unix-dgram n - n - 1 postlogd\n"
            ),
        )
        .unwrap();
        run(Command::new("postfix")
            .arg("-c")
            .arg(d.join("postfix"))
            .arg("set-permissions"));
        // The queue's own folders must exist before the master starts.
        run(Command::new("postfix")
            .arg("-c")
            .arg(d.join("postfix"))
            .arg("check"));
        let ca = d.join("ca.crt");
        let mut s = MailServers {
            dir,
            dovecot: None,
            postfix: None,
            smtp,
            smtps,
            imap,
            imaps,
            ca,
        };
        s.start_imap();
        s.start_smtp();
        s
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Starts Dovecot (IMAP and the LMTP Postfix delivers to).
    pub fn start_imap(&mut self) {
        let d = self.dir.path();
        let child = Command::new("dovecot")
            .arg("-F")
            .arg("-c")
            .arg(d.join("dovecot/dovecot.conf"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn()
            .expect("dovecot: run bash scripts/setup.sh");
        self.dovecot = Some(child);
        wait_port(self.imaps, "dovecot", &d.join("dovecot/log"));
        wait_port(self.imap, "dovecot", &d.join("dovecot/log"));
    }

    /// Stops Dovecot (and waits until it is gone).
    pub fn stop_imap(&mut self) {
        if let Some(c) = self.dovecot.take() {
            stop(c);
        }
        wait_closed(&[self.imaps]);
    }

    /// Starts Postfix.
    pub fn start_smtp(&mut self) {
        let d = self.dir.path();
        let child = Command::new("postfix")
            .arg("-c")
            .arg(d.join("postfix"))
            .arg("start-fg")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn()
            .expect("postfix: run bash scripts/setup.sh");
        self.postfix = Some(child);
        wait_port(self.smtp, "postfix", &d.join("postfix/log"));
        wait_port(self.smtps, "postfix", &d.join("postfix/log"));
    }

    /// Stops Postfix (and waits until its ports are closed). Its master leaves the
    /// process group it was started in, so it is stopped the way Postfix is.
    pub fn stop_smtp(&mut self) {
        if let Some(c) = self.postfix.take() {
            let _ = Command::new("postfix")
                .arg("-c")
                .arg(self.dir.path().join("postfix"))
                .arg("stop")
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status();
            stop(c);
        }
        wait_closed(&[self.smtp, self.smtps]);
    }

    /// The messages delivered to `address`'s INBOX so far (maildir files).
    pub fn delivered(&self, address: &str) -> usize {
        let (user, domain) = address.split_once('@').unwrap();
        let base = self.dir.path().join("mail").join(domain).join(user);
        ["new", "cur"]
            .iter()
            .map(|s| {
                std::fs::read_dir(base.join(s))
                    .map(|r| r.count())
                    .unwrap_or(0)
            })
            .sum()
    }

    /// Waits until `address` has `n` messages delivered.
    pub fn wait_delivered(&self, address: &str, n: usize) {
        let start = Instant::now();
        while self.delivered(address) < n {
            if start.elapsed() > Duration::from_secs(60) {
                panic!(
                    "{address} has {} messages, waited for {n}: {}",
                    self.delivered(address),
                    std::fs::read_to_string(self.dir.path().join("postfix/log"))
                        .unwrap_or_default()
                );
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// `saraban mailbox set` arguments for `address` on these servers (STARTTLS for SMTP,
    /// implicit TLS for IMAP, the authority pinned).
    pub fn mailbox_args(&self, address: &str) -> Vec<String> {
        vec![
            "mailbox".into(),
            "set".into(),
            "--address".into(),
            address.into(),
            "--smtp".into(),
            format!("smtp://127.0.0.1:{}", self.smtp),
            "--imap".into(),
            format!("imaps://127.0.0.1:{}", self.imaps),
            "--pin-cert".into(),
            self.ca.display().to_string(),
        ]
    }
}

fn stop(mut c: Child) {
    let _ = Command::new("kill")
        .args(["-s", "TERM", "--", &format!("-{}", c.id())])
        .status();
    let start = Instant::now();
    loop {
        if let Ok(Some(_)) = c.try_wait() {
            break;
        }
        if start.elapsed() > Duration::from_secs(15) {
            let _ = Command::new("kill")
                .args(["-s", "KILL", "--", &format!("-{}", c.id())])
                .status();
            let _ = c.wait();
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

impl Drop for MailServers {
    fn drop(&mut self) {
        self.stop_smtp();
        self.stop_imap();
    }
}
