//! The saraban@ mailbox against real servers (Postfix and Dovecot from Debian, started by
//! `support/mail.rs` on loopback with TLS from a throw-away authority): a circular sent
//! from one office to two, fetched, received and answered with receipt numbers; and the
//! faults an office meets — a server away, a restart mid-fetch, the app killed, a wrong
//! password, a changed certificate, a message too large, a forged sender, mail bombs.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::common::{self, stderr};
use crate::mail::{MailServers, PASSWORD};

/// One office: its register and the file of its mailbox password, in its own folder.
struct Office {
    dir: PathBuf,
    /// The register: its file, or a server's URL.
    db: String,
}

impl Office {
    fn new(root: &Path, name: &str, agency: &str) -> Office {
        let db = root.join(name).join("r.sqlite").display().to_string();
        Office::on(root, name, agency, db)
    }

    fn on(root: &Path, name: &str, agency: &str, db: String) -> Office {
        let dir = root.join(name);
        std::fs::create_dir_all(&dir).unwrap();
        let o = Office { dir, db };
        o.ok(&["init"]);
        std::fs::write(
            o.dir.join("profile.json"),
            format!(
                r#"{{"agency": "{agency}", "units": [{{"name": "สำนักงาน", "prefix": "ทส ๐๐๐๑"}}]}}"#
            ),
        )
        .unwrap();
        o.ok(&["profile", "set", "profile.json"]);
        o
    }

    fn cmd(&self, args: &[&str], env: &[(&str, &str)]) -> Output {
        let mut c = crate::common::cli();
        c.arg("--db")
            .arg(&self.db)
            .args(args)
            .current_dir(&self.dir)
            .env("LANG", "C")
            .env("SARABAN_MAIL_SECRETS", self.dir.join("mail.json"))
            .env_remove("SARABAN_MAIL_PASSWORD");
        for (k, v) in env {
            c.env(k, v);
        }
        c.output().unwrap()
    }

    fn run(&self, args: &[&str]) -> Output {
        self.cmd(args, &[])
    }

    fn ok(&self, args: &[&str]) -> String {
        let o = self.run(args);
        assert!(o.status.success(), "{args:?}: {}", stderr(&o));
        String::from_utf8_lossy(&o.stdout).into_owned()
    }

    fn json_lines(&self, args: &[&str]) -> Vec<serde_json::Value> {
        self.ok(args)
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }

    /// How many letters the incoming register holds.
    fn receipts(&self) -> usize {
        self.ok(&["incoming", "export", "--format", "csv", "-o", "in.csv"]);
        csv::Reader::from_path(self.dir.join("in.csv"))
            .unwrap()
            .records()
            .count()
    }

    fn set_mailbox(&self, servers: &MailServers, address: &str) {
        let args = servers.mailbox_args(address);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let o = self.cmd(&args, &[("SARABAN_MAIL_PASSWORD", PASSWORD)]);
        assert!(o.status.success(), "{}", stderr(&o));
    }

    /// Issues the P4G-free circular addressed to `to`, with `more` on its distribution
    /// list; returns its id.
    fn issue_to(&self, to: &str, more: &[&str]) -> i64 {
        let mut letter: serde_json::Value =
            serde_json::from_str(&common::issuable_json("jclair-specialists")).unwrap();
        letter["recipient"] = to.into();
        if !more.is_empty() {
            letter["distribution"] = serde_json::json!({ "recipients": more });
        }
        std::fs::write(self.dir.join("letter.json"), letter.to_string()).unwrap();
        let v: serde_json::Value =
            serde_json::from_str(&self.ok(&["issue", "letter.json", "--json"])).unwrap();
        v["id"].as_i64().unwrap()
    }
}

fn servers() -> MailServers {
    MailServers::start(&["saraban@a.test", "saraban@b.test", "saraban@c.test"], 35)
}

#[test]
fn a_circular_goes_to_two_offices_and_their_receipt_numbers_come_back() {
    let s = servers();
    let root = tempfile::tempdir().unwrap();
    let a = Office::new(root.path(), "a", "กรมทดสอบ ก");
    let b = Office::new(root.path(), "b", "จังหวัดทดสอบ ข");
    let c = Office::new(root.path(), "c", "เทศบาลทดสอบ ค");
    a.set_mailbox(&s, "saraban@a.test");
    b.set_mailbox(&s, "saraban@b.test");
    c.set_mailbox(&s, "saraban@c.test");
    // The password is kept for its owner alone, and never printed.
    let meta = std::fs::metadata(a.dir.join("mail.json")).unwrap();
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(meta.permissions().mode() & 0o077, 0);
    assert!(!a.ok(&["mailbox", "show", "--json"]).contains(PASSWORD));

    let id = a.issue_to("ผู้ว่าราชการจังหวัดทดสอบ ข", &["นายกเทศมนตรีทดสอบ ค"]);
    // A recipient without an address is said before anything is sent.
    a.ok(&[
        "addresses",
        "add",
        "ผู้ว่าราชการจังหวัดทดสอบ ข",
        "saraban@b.test",
    ]);
    let o = a.run(&["send", &id.to_string()]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("นายกเทศมนตรีทดสอบ ค"), "{}", stderr(&o));
    assert_eq!(s.delivered("saraban@b.test"), 0, "nothing sent to anyone");
    // The directory imported (CSV as DGA's list), then the letter sent to both.
    std::fs::write(
        a.dir.join("dga.csv"),
        "ลำดับ,ชื่อหน่วยงาน,อีเมล\n1,นายกเทศมนตรีทดสอบ ค,saraban@c.test\n",
    )
    .unwrap();
    a.ok(&["addresses", "import", "dga.csv"]);
    let sent = a.json_lines(&["send", &id.to_string(), "--json"]);
    assert_eq!(sent.len(), 2);
    for x in &sent {
        assert_eq!(x["status"], "sent", "{x}");
        assert!(x["answer"].as_str().unwrap().starts_with("250"), "{x}");
    }
    s.wait_delivered("saraban@b.test", 1);
    s.wait_delivered("saraban@c.test", 1);

    let pdf_a = a.dir.join("a.pdf");
    a.ok(&["show", &id.to_string(), "--pdf", pdf_a.to_str().unwrap()]);
    for (office, address) in [(&b, "saraban@b.test"), (&c, "saraban@c.test")] {
        let fetched = office.json_lines(&["fetch", "--json"]);
        assert_eq!(fetched.len(), 1, "{fetched:?}");
        assert_eq!(fetched[0]["state"], "new");
        assert_eq!(fetched[0]["from_address"], "saraban@a.test");
        assert_eq!(fetched[0]["letters"], 1);
        // Fetching again takes nothing twice.
        assert!(office.json_lines(&["fetch", "--json"]).is_empty());
        let mail_id = fetched[0]["id"].as_i64().unwrap().to_string();
        let r: serde_json::Value =
            serde_json::from_str(&office.ok(&["mail", "receive", &mail_id, "--json"])).unwrap();
        let receipt = &r["receipts"][0]["receipt"];
        // Read exactly: the letter's own data travels in its PDF.
        assert_eq!(receipt["read_by"], "letter_data", "{receipt}");
        assert_eq!(r["reply"]["status"], "sent", "{r}");
        assert_eq!(r["reply"]["address"], "saraban@a.test");
        // The PDF received is A's, byte for byte.
        let got = office.dir.join("got.pdf");
        office.ok(&["incoming", "show", "1", "--original", got.to_str().unwrap()]);
        assert_eq!(
            std::fs::read(&got).unwrap(),
            std::fs::read(&pdf_a).unwrap(),
            "{address}"
        );
        // Received once: the message is settled.
        let o = office.run(&["mail", "receive", &mail_id]);
        assert_eq!(o.status.code(), Some(1));
        assert!(office.json_lines(&["mail", "list", "--json"]).is_empty());
    }
    s.wait_delivered("saraban@a.test", 2);
    let acks = a.json_lines(&["fetch", "--json"]);
    assert_eq!(acks.len(), 2);
    assert!(
        acks.iter().all(|m| m["state"] == "acknowledgment"),
        "{acks:?}"
    );
    let shown: serde_json::Value =
        serde_json::from_str(&a.ok(&["show", &id.to_string(), "--json"])).unwrap();
    let sendings = shown["sendings"].as_array().unwrap();
    assert_eq!(sendings.len(), 2);
    for x in sendings {
        assert_eq!(x["status"], "sent");
        assert!(x["message_id"].as_str().unwrap().ends_with("@a.test"));
        assert_eq!(x["eml_sha256"].as_str().unwrap().len(), 64);
        assert!(
            x["acknowledged"].as_str().unwrap().contains("เลขรับ ๑/"),
            "{x}"
        );
    }
    // Every step is in the three audits, and they verify.
    for o in [&a, &b, &c] {
        o.ok(&["audit", "verify"]);
    }
    // A move to another register does not carry the mailbox's records yet: refused, said,
    // nothing created.
    let o = a.run(&[
        "migrate",
        "--from",
        &a.db,
        "--to",
        a.dir.join("moved.sqlite").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(stderr(&o).contains("mailbox"), "{}", stderr(&o));
    assert!(!a.dir.join("moved.sqlite").exists());
    // A message kept changed behind Saraban's back (its guard dropped) is found.
    let db = rusqlite::Connection::open(a.dir.join("r.sqlite")).unwrap();
    db.execute_batch("DROP TRIGGER sendings_kept; UPDATE sendings SET eml = CAST('forged' AS BLOB) WHERE id = 1;")
        .unwrap();
    drop(db);
    let o = a.run(&["audit", "verify"]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(stderr(&o).contains("sending 1"), "{}", stderr(&o));
    let db = rusqlite::Connection::open(b.dir.join("r.sqlite")).unwrap();
    db.execute_batch("DROP TRIGGER mail_in_undeletable; DELETE FROM mail_in;")
        .unwrap();
    drop(db);
    let o = b.run(&["audit", "verify"]);
    assert!(
        stderr(&o).contains("fetched message 1 is missing"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_server_away_a_restart_a_kill_and_bad_credentials_lose_nothing() {
    let mut s = servers();
    let root = tempfile::tempdir().unwrap();
    let a = Office::new(root.path(), "a", "กรมทดสอบ ก");
    let b = Office::new(root.path(), "b", "จังหวัดทดสอบ ข");
    a.set_mailbox(&s, "saraban@a.test");
    b.set_mailbox(&s, "saraban@b.test");
    a.ok(&[
        "addresses",
        "add",
        "ผู้ว่าราชการจังหวัดทดสอบ ข",
        "saraban@b.test",
    ]);

    // The SMTP server away: queued, said so, sent once when it is back.
    s.stop_smtp();
    let id = a.issue_to("ผู้ว่าราชการจังหวัดทดสอบ ข", &[]);
    let o = a.run(&["send", &id.to_string(), "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["status"], "queued");
    assert!(
        stderr(&o).contains("cannot reach") || stderr(&o).contains("ติดต่อ"),
        "{}",
        stderr(&o)
    );
    assert_eq!(a.json_lines(&["outbox", "--json"]).len(), 1);
    s.start_smtp();
    let sent = a.json_lines(&["outbox", "--send", "--json"]);
    assert_eq!(sent[0]["status"], "sent");
    assert!(a.json_lines(&["outbox", "--send", "--json"]).is_empty());
    // Sending the same letter again is the same sending: nothing goes twice.
    let again = a.json_lines(&["send", &id.to_string(), "--json"]);
    assert_eq!(again[0]["id"], sent[0]["id"]);
    s.wait_delivered("saraban@b.test", 1);
    std::thread::sleep(std::time::Duration::from_millis(500));
    assert_eq!(s.delivered("saraban@b.test"), 1);

    // Killed after downloading, before recording: fetched again, once.
    let o = b.cmd(&["fetch"], &[("FAILPOINTS", "mail-fetched=panic")]);
    assert!(!o.status.success());
    assert!(b.json_lines(&["mail", "list", "--json"]).is_empty());
    assert_eq!(b.json_lines(&["fetch", "--json"]).len(), 1);
    assert!(b.json_lines(&["fetch", "--json"]).is_empty());
    // Killed after the receipt, before the message's record: received once.
    let mail_id = b.json_lines(&["mail", "list", "--json"])[0]["id"].to_string();
    let o = b.cmd(
        &["mail", "receive", &mail_id],
        &[("FAILPOINTS", "mail-received=panic")],
    );
    assert!(!o.status.success());
    b.ok(&["mail", "receive", &mail_id]);
    assert_eq!(b.receipts(), 1);

    // The IMAP server restarted mid-fetch: what was recorded stays, the rest comes next
    // time, nothing twice.
    for _ in 0..3 {
        let id = a.issue_to("ผู้ว่าราชการจังหวัดทดสอบ ข", &[]);
        a.ok(&["send", &id.to_string()]);
    }
    s.wait_delivered("saraban@b.test", 4);
    let child = crate::common::cli()
        .arg("--db")
        .arg(&b.db)
        .args(["fetch", "--json"])
        .env("LANG", "C")
        .env("SARABAN_MAIL_SECRETS", b.dir.join("mail.json"))
        .env("FAILPOINTS", "mail-taken=1*sleep(4000)")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(1500));
    s.stop_imap();
    s.start_imap();
    let o = child.wait_with_output().unwrap();
    // The session broke after the first message was recorded: said, and kept.
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(stderr(&o).contains("cannot reach"), "{}", stderr(&o));
    assert_eq!(b.json_lines(&["mail", "list", "--json"]).len(), 1);
    let rest = b.json_lines(&["fetch", "--json"]);
    assert_eq!(rest.len(), 2, "{rest:?}");
    let all = b.json_lines(&["mail", "list", "--all", "--json"]);
    let mut ids: Vec<&str> = all
        .iter()
        .map(|m| m["message_id"].as_str().unwrap())
        .collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 4, "each message once: {all:?}");
    assert!(b.json_lines(&["fetch", "--json"]).is_empty());

    // A wrong password: said, with what to do.
    let o = b.cmd(
        &[
            "mailbox",
            "set",
            "--address",
            "saraban@b.test",
            "--smtp",
            &format!("smtp://127.0.0.1:{}", s.smtp),
            "--imap",
            &format!("imaps://127.0.0.1:{}", s.imaps),
            "--pin-cert",
            s.ca.to_str().unwrap(),
        ],
        &[("SARABAN_MAIL_PASSWORD", "wrong")],
    );
    assert!(o.status.success());
    let o = b.run(&["fetch"]);
    assert_eq!(o.status.code(), Some(3));
    assert!(stderr(&o).contains("password"), "{}", stderr(&o));
    assert!(
        !stderr(&o).contains("wrong"),
        "the password is never printed"
    );

    // A certificate that changed (another authority pinned): refused, said so, nothing
    // sent; the letter waits.
    let other = root.path().join("other-ca");
    std::fs::create_dir_all(&other).unwrap();
    crate::mail::make_certificates(&other, "Someone else");
    let o = a.cmd(
        &[
            "mailbox",
            "set",
            "--address",
            "saraban@a.test",
            "--smtp",
            &format!("smtps://127.0.0.1:{}", s.smtps),
            "--imap",
            &format!("imap://127.0.0.1:{}", s.imap),
            "--pin-cert",
            other.join("ca.crt").to_str().unwrap(),
        ],
        &[("SARABAN_MAIL_PASSWORD", PASSWORD)],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let o = a.run(&["fetch"]);
    assert_eq!(o.status.code(), Some(3));
    assert!(stderr(&o).contains("certificate"), "{}", stderr(&o));
    let id = a.issue_to("ผู้ว่าราชการจังหวัดทดสอบ ข", &[]);
    let o = a.run(&["send", &id.to_string(), "--json"]);
    assert!(stderr(&o).contains("certificate"), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["status"], "queued");
    // A plain connection is refused but to this computer.
    let o = a.cmd(
        &[
            "mailbox",
            "set",
            "--address",
            "saraban@a.test",
            "--smtp",
            "smtp://mail.example.go.th",
            "--imap",
            "imap://mail.example.go.th",
            "--tls",
            "none",
        ],
        &[("SARABAN_MAIL_PASSWORD", PASSWORD)],
    );
    assert_eq!(o.status.code(), Some(1));
    a.ok(&["audit", "verify"]);
    b.ok(&["audit", "verify"]);
}

#[test]
fn too_large_forged_and_bombs_are_refused_or_said() {
    let s = servers();
    let root = tempfile::tempdir().unwrap();
    let a = Office::new(root.path(), "a", "กรมทดสอบ ก");
    let b = Office::new(root.path(), "b", "จังหวัดทดสอบ ข");
    a.set_mailbox(&s, "saraban@a.test");
    b.set_mailbox(&s, "saraban@b.test");
    a.ok(&[
        "addresses",
        "add",
        "ผู้ว่าราชการจังหวัดทดสอบ ข",
        "saraban@b.test",
    ]);
    b.ok(&["addresses", "add", "กรมทดสอบ ก", "saraban@a.test"]);

    // A 50 MB enclosure: the server (35 MB) refuses it; the sending is failed with its
    // answer, not queued for ever.
    let big = a.dir.join("ภาคผนวก.bin");
    std::fs::write(&big, vec![0x5au8; 50 << 20]).unwrap();
    let id = a.issue_to("ผู้ว่าราชการจังหวัดทดสอบ ข", &[]);
    let o = a.run(&[
        "send",
        &id.to_string(),
        "--attach",
        big.to_str().unwrap(),
        "--json",
    ]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["status"], "failed");
    assert!(v["answer"].as_str().unwrap().contains("552"), "{v}");
    assert!(a.json_lines(&["outbox", "--json"]).is_empty());

    // A forged sender: the name of an agency in the address book, another address.
    let mb = saraban_mail::Mailbox {
        address: "saraban@c.test".into(),
        smtp: saraban_mail::Server::parse(&format!("smtp://127.0.0.1:{}", s.smtp), true, None)
            .unwrap(),
        imap: saraban_mail::Server::parse(&format!("imaps://127.0.0.1:{}", s.imaps), false, None)
            .unwrap(),
        user: String::new(),
        pinned_cert: Some(std::fs::read_to_string(&s.ca).unwrap()),
        fetch_minutes: 0,
    };
    let forged = saraban_mail::Outgoing {
        from: ("กรมทดสอบ ก".into(), "saraban@c.test".into()),
        to: ("จังหวัดทดสอบ ข".into(), "saraban@b.test".into()),
        message_id: "forged.1@c.test".into(),
        in_reply_to: None,
        subject: "หนังสือด่วน".into(),
        text: "โปรดโอนเงิน".into(),
        date: 1_796_515_200,
        headers: vec![],
        attachments: vec![saraban_mail::message::Attachment {
            name: "letter.pdf".into(),
            mime: "application/pdf".into(),
            bytes: b"%PDF-1.4\n%forged\n".to_vec(),
        }],
    };
    saraban_mail::smtp::send(&mb, PASSWORD, &["saraban@b.test"], &forged.build()).unwrap();
    // Mail bombs: a thousand attachments, and parts nested sixty deep.
    let mut bomb = String::from("From: saraban@c.test\r\nTo: saraban@b.test\r\nSubject: bomb\r\nMessage-ID: <bomb.1@c.test>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n");
    for i in 0..1000 {
        bomb.push_str(&format!("--b\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; filename=\"f{i}.pdf\"\r\n\r\n%PDF-1.4\r\n"));
    }
    bomb.push_str("--b--\r\n");
    saraban_mail::smtp::send(&mb, PASSWORD, &["saraban@b.test"], bomb.as_bytes()).unwrap();
    let mut deep = String::from("From: saraban@c.test\r\nTo: saraban@b.test\r\nSubject: deep\r\nMessage-ID: <deep.1@c.test>\r\nMIME-Version: 1.0\r\n");
    // (Postfix itself refuses nesting deeper than 100.)
    for i in 0..60 {
        deep.push_str(&format!(
            "Content-Type: multipart/mixed; boundary=\"d{i}\"\r\n\r\n--d{i}\r\n"
        ));
    }
    deep.push_str("Content-Type: application/pdf\r\nContent-Disposition: attachment; filename=\"x.pdf\"\r\n\r\n%PDF-1.4\r\n");
    saraban_mail::smtp::send(&mb, PASSWORD, &["saraban@b.test"], deep.as_bytes()).unwrap();
    s.wait_delivered("saraban@b.test", 3);

    let got = b.json_lines(&["fetch", "--json"]);
    assert_eq!(got.len(), 3, "{got:?}");
    let forged = got.iter().find(|m| m["subject"] == "หนังสือด่วน").unwrap();
    assert_eq!(forged["state"], "new");
    assert!(
        forged["problem"]
            .as_str()
            .unwrap()
            .contains("อาจเป็นอีเมลปลอม"),
        "{forged}"
    );
    assert!(
        forged["problem"]
            .as_str()
            .unwrap()
            .contains("saraban@a.test"),
        "{forged}"
    );
    for subject in ["bomb", "deep"] {
        let m = got.iter().find(|m| m["subject"] == subject).unwrap();
        assert_eq!(m["state"], "refused", "{m}");
        assert!(m["problem"].as_str().unwrap().contains("mail bomb"), "{m}");
        let o = b.run(&["mail", "receive", &m["id"].to_string()]);
        assert_eq!(o.status.code(), Some(1));
    }
    // Nothing half-registered.
    assert_eq!(b.receipts(), 0);
    b.ok(&["audit", "verify"]);
}

/// Where there is a keyring (a desktop's Secret Service: here GNOME Keyring on a D-Bus
/// session of the test's own), the password goes there and no file holds it; without one
/// (`SARABAN_MAIL_SECRETS`, a server without a desktop) the owner-only file does.
#[test]
fn the_password_goes_to_the_keyring_where_there_is_one() {
    for bin in ["/usr/bin/dbus-daemon", "/usr/bin/gnome-keyring-daemon"] {
        if !Path::new(bin).exists() {
            common::missing_tool(bin);
        }
    }
    let root = tempfile::tempdir().unwrap();
    let home = root.path().join("home");
    let run = root.path().join("run");
    std::fs::create_dir_all(&home).unwrap();
    std::fs::create_dir_all(&run).unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&run, std::fs::Permissions::from_mode(0o700)).unwrap();
    let bus = format!("unix:path={}", root.path().join("bus").display());
    let mut daemon = Command::new("dbus-daemon")
        .args(["--session", "--nofork", "--address", &bus])
        .env("HOME", &home)
        .env("XDG_RUNTIME_DIR", &run)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    struct Stop(std::process::Child);
    impl Drop for Stop {
        fn drop(&mut self) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
    let start = std::time::Instant::now();
    while !root.path().join("bus").exists() && start.elapsed().as_secs() < 20 {
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    if let Ok(Some(status)) = daemon.try_wait() {
        panic!("dbus-daemon ended: {status}");
    }
    let _bus_daemon = Stop(daemon);
    let env = |c: &mut Command| {
        c.env("HOME", &home)
            .env("XDG_RUNTIME_DIR", &run)
            .env("XDG_CONFIG_HOME", home.join(".config"))
            .env("XDG_DATA_HOME", home.join(".local/share"))
            .env("DBUS_SESSION_BUS_ADDRESS", &bus)
            .env_remove("SARABAN_MAIL_SECRETS");
    };
    // The login keyring made and unlocked with the session's password, as a desktop
    // session's login does.
    let mut unlock = Command::new("gnome-keyring-daemon");
    unlock.args(["--unlock", "--components=secrets", "--daemonize"]);
    env(&mut unlock);
    let mut child = unlock
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().unwrap();
        stdin.write_all(b"the-login-password").unwrap();
    }
    let out = child.wait_with_output().unwrap();
    let keyring_pid: Option<u32> = String::from_utf8_lossy(&out.stdout).lines().find_map(|l| {
        l.strip_prefix("GNOME_KEYRING_PID=")
            .and_then(|p| p.trim().parse().ok())
    });
    struct Kill(Option<u32>);
    impl Drop for Kill {
        fn drop(&mut self) {
            if let Some(pid) = self.0 {
                let _ = Command::new("kill").arg(pid.to_string()).status();
            }
        }
    }
    let _keyring = Kill(keyring_pid);

    let dir = root.path().join("office");
    std::fs::create_dir_all(&dir).unwrap();
    let saraban = |args: &[&str], password: Option<&str>| {
        let mut c = crate::common::cli();
        c.arg("--db")
            .arg(dir.join("r.sqlite"))
            .args(args)
            .env("LANG", "C");
        env(&mut c);
        match password {
            Some(p) => c.env("SARABAN_MAIL_PASSWORD", p),
            None => c.env_remove("SARABAN_MAIL_PASSWORD"),
        };
        let o = c.output().unwrap();
        assert!(o.status.success(), "{args:?}: {}", stderr(&o));
        String::from_utf8_lossy(&o.stdout).into_owned()
    };
    saraban(&["init"], None);
    let said = saraban(
        &[
            "mailbox",
            "set",
            "--address",
            "saraban@a.test",
            "--smtp",
            "smtps://mail.a.test",
            "--imap",
            "imaps://mail.a.test",
        ],
        Some("kept-in-the-keyring"),
    );
    assert!(said.contains("keyring"), "{said}");
    // Read back from the keyring: the password is there to log in with (no server here,
    // so the failure is the connection's, never "no password on this computer").
    let mut c = crate::common::cli();
    c.arg("--db")
        .arg(dir.join("r.sqlite"))
        .args(["fetch"])
        .env("LANG", "C");
    env(&mut c);
    let o = c.output().unwrap();
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(stderr(&o).contains("cannot reach"), "{}", stderr(&o));
    assert!(!stderr(&o).contains("no password"), "{}", stderr(&o));
    let shown: serde_json::Value =
        serde_json::from_str(&saraban(&["mailbox", "show", "--json"], None)).unwrap();
    assert_eq!(shown["password_kept"], true);
    assert_eq!(shown["in_keyring"], true);
    assert!(
        !home.join(".config/saraban/mail.json").exists(),
        "no copy in a file"
    );
    // The keyring holds it (read back by GNOME Keyring's own store: the file it keeps).
    let stores: Vec<_> = std::fs::read_dir(home.join(".local/share/keyrings"))
        .map(|r| r.filter_map(|e| e.ok()).collect())
        .unwrap_or_default();
    assert!(!stores.is_empty(), "GNOME Keyring keeps the login keyring");
}

/// An office whose register is on a PostgreSQL server keeps the same records there: sent,
/// answered, acknowledged, guarded and audited.
#[test]
fn an_office_on_a_server_sends_and_hears_back() {
    let s = servers();
    let cluster = crate::pg::Cluster::start();
    let root = tempfile::tempdir().unwrap();
    let a = Office::on(root.path(), "a", "กรมทดสอบ ก", cluster.url("office"));
    let b = Office::new(root.path(), "b", "จังหวัดทดสอบ ข");
    a.set_mailbox(&s, "saraban@a.test");
    b.set_mailbox(&s, "saraban@b.test");
    a.ok(&[
        "addresses",
        "add",
        "ผู้ว่าราชการจังหวัดทดสอบ ข",
        "saraban@b.test",
    ]);
    assert!(a.ok(&["addresses", "list"]).contains("saraban@b.test"));
    let id = a.issue_to("ผู้ว่าราชการจังหวัดทดสอบ ข", &[]);
    let sent = a.json_lines(&["send", &id.to_string(), "--json"]);
    assert_eq!(sent[0]["status"], "sent", "{sent:?}");
    assert_eq!(
        a.json_lines(&["send", &id.to_string(), "--json"])[0]["id"],
        sent[0]["id"]
    );
    s.wait_delivered("saraban@b.test", 1);
    let got = b.json_lines(&["fetch", "--json"]);
    b.ok(&["mail", "receive", &got[0]["id"].to_string()]);
    s.wait_delivered("saraban@a.test", 1);
    let acks = a.json_lines(&["fetch", "--json"]);
    assert_eq!(acks.len(), 1);
    assert_eq!(acks[0]["state"], "acknowledgment");
    assert!(a.json_lines(&["fetch", "--json"]).is_empty());
    let shown: serde_json::Value =
        serde_json::from_str(&a.ok(&["show", &id.to_string(), "--json"])).unwrap();
    assert!(
        shown["sendings"][0]["acknowledged"]
            .as_str()
            .unwrap()
            .contains("เลขรับ ๑/"),
        "{shown}"
    );
    a.ok(&["audit", "verify"]);
    // The server's guard: a message kept is never changed, not even by hand.
    let e = cluster
        .psql_result("office", "UPDATE sendings SET eml = 'forged'::bytea")
        .unwrap_err();
    assert!(e.contains("cannot be changed"), "{e}");
}
