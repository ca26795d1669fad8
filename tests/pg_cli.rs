//! The command line on the shared register: `--db postgres://…` everywhere a file goes,
//! `saraban migrate` from an SQLite file to a server and back (letters, PDFs, drafts and the
//! audit chain, verified on arrival), the password never shown, and a server that is away
//! said in one Thai line. A real PostgreSQL server is started for the test.

use crate::common;
use crate::pg;

use std::path::Path;
use std::process::Output;

fn saraban(args: &[&str], dir: &Path, lang: &str) -> Output {
    crate::common::cli()
        .args(args)
        .current_dir(dir)
        .env("LANG", lang)
        .env("SARABAN_LOCAL_DIR", dir.join("local"))
        .env_remove("SARABAN_DB")
        .output()
        .unwrap()
}

fn ok(o: &Output) -> String {
    assert!(
        o.status.success(),
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn all(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

#[test]
fn an_office_moves_to_the_server_and_back_with_nothing_lost() {
    let cluster = pg::Cluster::start();
    let d = tempfile::tempdir().unwrap();
    let dir = d.path();
    // An office's SQLite register: issued letters (one cancelled), a draft, its profile.
    ok(&saraban(&["--db", "r.sqlite", "init"], dir, "C"));
    for (name, date) in [
        ("jclair-specialists", "2021-03-01"),
        ("green-area-training", "2021-03-02"),
        ("p4g-invitation", "2021-03-03"),
    ] {
        let mut l: serde_json::Value = serde_json::from_str(&common::issuable_json(name)).unwrap();
        l["number"]["running"] = serde_json::Value::Null;
        std::fs::write(dir.join(format!("{name}.json")), l.to_string()).unwrap();
        ok(&saraban(
            &[
                "--db",
                "r.sqlite",
                "issue",
                &format!("{name}.json"),
                "--date",
                date,
                "--any-date",
            ],
            dir,
            "C",
        ));
    }
    ok(&saraban(
        &["--db", "r.sqlite", "cancel", "2", "--reason", "ออกซ้ำ"],
        dir,
        "C",
    ));
    ok(&saraban(
        &[
            "--db",
            "r.sqlite",
            "draft",
            "save",
            "jclair-specialists.json",
        ],
        dir,
        "C",
    ));

    // To the server: the URL carries a password, which is never printed.
    let url = cluster
        .url("office")
        .replace("postgres://saraban@", "postgres://saraban:s3cret-word@");
    let moved = ok(&saraban(
        &["migrate", "--from", "r.sqlite", "--to", &url],
        dir,
        "th_TH.UTF-8",
    ));
    assert!(moved.contains("ตรวจสอบปลายทางถูกต้อง"), "{moved}");
    assert!(moved.contains("หนังสือ 3 ฉบับ"), "{moved}");
    assert!(!moved.contains("s3cret"), "{moved}");
    // Into a register that is not empty: refused.
    let again = saraban(&["migrate", "--from", "r.sqlite", "--to", &url], dir, "C");
    assert!(!again.status.success());
    assert!(all(&again).contains("not empty") && !all(&again).contains("s3cret"));

    // The server register answers as the file did.
    let on_file = ok(&saraban(
        &["--db", "r.sqlite", "search", "ผู้เชี่ยวชาญ", "--json"],
        dir,
        "C",
    ));
    let on_server = ok(&saraban(
        &["--db", &url, "search", "ผู้เชี่ยวชาญ", "--json"],
        dir,
        "C",
    ));
    assert_eq!(on_file, on_server);
    assert!(!on_server.is_empty());
    ok(&saraban(&["--db", &url, "audit", "verify"], dir, "C"));
    let drafts = ok(&saraban(&["--db", &url, "draft", "list"], dir, "C"));
    assert!(drafts.lines().count() >= 1, "{drafts}");
    // And it goes on numbering where the file stopped.
    let next = ok(&saraban(
        &[
            "--db",
            &url,
            "issue",
            "p4g-invitation.json",
            "--date",
            "2021-03-04",
            "--any-date",
            "--json",
        ],
        dir,
        "C",
    ));
    let next: serde_json::Value = serde_json::from_str(next.trim()).unwrap();
    assert_eq!(next["running"], 3, "{next}");
    let id = next["id"].to_string();
    ok(&saraban(
        &["--db", &url, "show", &id, "--pdf", "four.pdf"],
        dir,
        "C",
    ));
    assert!(std::fs::read(dir.join("four.pdf"))
        .unwrap()
        .starts_with(b"%PDF-"));

    // And back to a file an office can open anywhere: the same register, row for row.
    ok(&saraban(
        &["migrate", "--from", &url, "--to", "back.sqlite"],
        dir,
        "C",
    ));
    ok(&saraban(
        &["--db", "back.sqlite", "audit", "verify"],
        dir,
        "C",
    ));
    let csv = |db: &str| {
        ok(&saraban(
            &[
                "--db",
                db,
                "export",
                "--format",
                "csv",
                "-o",
                &format!("{db}.csv"),
            ],
            dir,
            "C",
        ));
        std::fs::read(dir.join(format!("{db}.csv"))).unwrap()
    };
    assert_eq!(csv("back.sqlite"), {
        ok(&saraban(
            &[
                "--db",
                &url,
                "export",
                "--format",
                "csv",
                "-o",
                "server.csv",
            ],
            dir,
            "C",
        ));
        std::fs::read(dir.join("server.csv")).unwrap()
    });
    let pdf = |db: &str, out: &str| {
        ok(&saraban(&["--db", db, "show", "1", "--pdf", out], dir, "C"));
        std::fs::read(dir.join(out)).unwrap()
    };
    assert_eq!(
        pdf("r.sqlite", "a.pdf"),
        pdf("back.sqlite", "b.pdf"),
        "the PDF byte for byte"
    );
    // A backup of the server register is one SQLite file too.
    ok(&saraban(
        &["--db", &url, "backup", "-o", "server-backup.sqlite"],
        dir,
        "C",
    ));
    ok(&saraban(
        &["--db", "server-backup.sqlite", "audit", "verify"],
        dir,
        "C",
    ));

    // The server away: one line, in Thai, without the password.
    cluster.stop();
    let away = saraban(&["--db", &url, "search", "ผู้เชี่ยวชาญ"], dir, "th_TH.UTF-8");
    assert!(!away.status.success());
    let err = String::from_utf8_lossy(&away.stderr).to_string();
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(
        err.contains("ติดต่อเซิร์ฟเวอร์ทะเบียน") && !err.contains("s3cret"),
        "{err}"
    );
    let away = saraban(&["--db", &url, "issue", "p4g-invitation.json"], dir, "C");
    assert!(!away.status.success());
    assert!(
        all(&away).contains("no number was issued"),
        "{}",
        all(&away)
    );
}

#[test]
fn init_creates_the_database_so_that_thai_is_searchable() {
    let cluster = pg::Cluster::start();
    let d = tempfile::tempdir().unwrap();
    let url = cluster.url("fresh");
    let out = ok(&saraban(&["--db", &url, "init"], d.path(), "C"));
    assert!(out.contains("created a new register"), "{out}");
    let again = ok(&saraban(&["--db", &url, "init"], d.path(), "C"));
    assert!(again.contains("already"), "{again}");
    assert_eq!(
        cluster.psql("fresh", "SELECT array_length(show_trgm('ที่ดิน'), 1) > 0"),
        "t"
    );
}

// Issue 17.10: the tables belong to a role no clerk works as; clerks, in the group
// saraban_clerk, issue and search but can neither switch a guard off nor move the chain's
// head; what a privileged forger changes is reported by `audit verify`.
#[test]
fn clerks_cannot_switch_the_guards_off_and_a_forger_is_seen() {
    let cluster = pg::Cluster::start();
    cluster.psql(
        "postgres",
        "CREATE ROLE office_owner LOGIN; CREATE ROLE saraban_clerk NOLOGIN; CREATE ROLE somchai LOGIN IN ROLE saraban_clerk;",
    );
    cluster.psql(
        "postgres",
        "CREATE DATABASE office OWNER office_owner ENCODING 'UTF8' LC_CTYPE 'C.UTF-8' TEMPLATE template0",
    );
    let d = tempfile::tempdir().unwrap();
    let dir = d.path();
    let owner = cluster.url("office").replace("saraban@", "office_owner@");
    let clerk = cluster.url("office").replace("saraban@", "somchai@");
    let said = ok(&saraban(&["--db", &owner, "init"], dir, "C"));
    assert!(
        said.contains("saraban_clerk"),
        "init says how the roles stand: {said}"
    );
    std::fs::copy(
        common::fixture("jclair-specialists.json"),
        dir.join("l.json"),
    )
    .unwrap();
    let mut l: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("l.json")).unwrap()).unwrap();
    l["number"]["running"] = serde_json::Value::Null;
    std::fs::write(dir.join("l.json"), l.to_string()).unwrap();
    for date in ["2021-03-01", "2021-03-02"] {
        ok(&saraban(
            &[
                "--db",
                &clerk,
                "issue",
                "l.json",
                "--date",
                date,
                "--any-date",
            ],
            dir,
            "C",
        ));
    }
    ok(&saraban(
        &["--db", &clerk, "draft", "save", "l.json"],
        dir,
        "C",
    ));
    ok(&saraban(&["--db", &clerk, "search", "J.CLAIR"], dir, "C"));
    ok(&saraban(&["--db", &clerk, "audit", "verify"], dir, "C"));
    // What a clerk's role cannot do.
    for sql in [
        "ALTER TABLE letters DISABLE TRIGGER ALL",
        "DROP TRIGGER audit_append_only ON audit",
        "UPDATE audit_head SET hash = 'x'",
        "UPDATE audit_head SET id = id + 5",
        "DELETE FROM audit_head",
        "TRUNCATE audit_head",
        "INSERT INTO audit (id, at, \"user\", action, letter_id, detail, prev_hash, hash) VALUES (1000, 'x', 'x', 'x', NULL, 'x', 'x', 'x')",
        "UPDATE letters SET title = 'ปลอม' WHERE status = 'issued'",
    ] {
        let r = cluster.psql_as("somchai", "office", sql);
        assert!(r.is_err(), "a clerk could: {sql}");
    }
    // Issuing still works after all those tries.
    ok(&saraban(
        &[
            "--db",
            &clerk,
            "issue",
            "l.json",
            "--date",
            "2021-03-03",
            "--any-date",
        ],
        dir,
        "C",
    ));
    ok(&saraban(&["--db", &clerk, "audit", "verify"], dir, "C"));
    // The owner, a privileged forger, switches a guard off and edits what people read.
    cluster
        .psql_as(
            "office_owner",
            "office",
            "ALTER TABLE letters DISABLE TRIGGER letters_issued_immutable;
             UPDATE letters SET title = 'เรื่องปลอม' WHERE id = 1;
             UPDATE letters SET search_text = 'x', search_grams = '' WHERE id = 2;",
        )
        .unwrap();
    let o = saraban(&["--db", &clerk, "audit", "verify"], dir, "C");
    assert_eq!(o.status.code(), Some(3), "{}", all(&o));
    let said = all(&o);
    for needle in ["subject", "guards", "entry 2"] {
        assert!(said.contains(needle), "verify names {needle}: {said}");
    }
}

// Issue 17.15: a clerk stalled inside an issue (a laptop that slept) never blocks the
// others for ever: they are told why within the lock wait, and once the server has ended
// the idle session the register takes issues again.
#[test]
fn a_clerk_stalled_inside_an_issue_blocks_nobody_for_long() {
    let cluster = pg::Cluster::start();
    let d = tempfile::tempdir().unwrap();
    let dir = d.path();
    let url = cluster.url("stall");
    ok(&saraban(&["--db", &url, "init"], dir, "C"));
    let mut l: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(common::fixture("jclair-specialists.json")).unwrap(),
    )
    .unwrap();
    l["number"]["running"] = serde_json::Value::Null;
    std::fs::write(dir.join("l.json"), l.to_string()).unwrap();
    ok(&saraban(&["--db", &url, "issue", "l.json"], dir, "C"));
    // Clerk A stops for 45 s inside the transaction that holds the series.
    let stalled = crate::common::cli()
        .args(["--db", &url, "issue", "l.json"])
        .current_dir(dir)
        .env("LANG", "C")
        .env("SARABAN_LOCAL_DIR", dir.join("local-a"))
        .env("FAILPOINTS", "pg-before-commit=sleep(45000)")
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_secs(3));
    let start = std::time::Instant::now();
    let o = saraban(&["--db", &url, "issue", "l.json"], dir, "C");
    let waited = start.elapsed();
    assert_eq!(o.status.code(), Some(3), "{}", all(&o));
    assert!(all(&o).contains("another clerk"), "{}", all(&o));
    assert!(
        waited.as_secs() < 40,
        "told within the lock wait, not for ever: {waited:?}"
    );
    // The server ends the idle session after 30 s: issues go on before A wakes up.
    std::thread::sleep(std::time::Duration::from_secs(
        30u64.saturating_sub(waited.as_secs()) + 3,
    ));
    let o = saraban(&["--db", &url, "issue", "l.json"], dir, "C");
    assert!(o.status.success(), "{}", all(&o));
    let out = stalled.wait_with_output().unwrap();
    let _ = out;
    ok(&saraban(&["--db", &url, "audit", "verify"], dir, "C"));
}

/// On the server too, a reply is linked to the letter it answers (found through the index
/// on `reply_to`), and the answer's number is in the receipt's history.
#[test]
fn a_reply_on_the_server_is_linked_to_its_receipt() {
    let cluster = pg::Cluster::start();
    let d = tempfile::tempdir().unwrap();
    let dir = d.path();
    let url = cluster.url("replies");
    ok(&saraban(&["--db", &url, "init"], dir, "C"));
    // Another office's letter, issued from its own register, arrives.
    ok(&saraban(&["--db", "sender.sqlite", "init"], dir, "C"));
    std::fs::write(
        dir.join("sent.json"),
        common::issuable_json("jclair-specialists"),
    )
    .unwrap();
    ok(&saraban(
        &[
            "--db",
            "sender.sqlite",
            "issue",
            "sent.json",
            "--date",
            "2026-11-30",
            "-o",
            "sent.pdf",
        ],
        dir,
        "C",
    ));
    ok(&saraban(
        &[
            "--db",
            &url,
            "receive",
            "sent.pdf",
            "--at",
            "2026-12-01 09:00",
        ],
        dir,
        "C",
    ));
    let draft = ok(&saraban(&["--db", &url, "reply", "1/2569"], dir, "C"));
    let mut reply: serde_json::Value = serde_json::from_str(draft.trim()).unwrap();
    reply["number"] = serde_json::json!({"prefix": "ลป ๐๐๒๓.๓"});
    reply["agency"] = serde_json::json!({"name": "องค์การบริหารส่วนจังหวัดลำปาง"});
    reply["body"] = serde_json::json!(["ขอส่งคำขอเข้าร่วมโครงการ"]);
    reply["signer"] =
        serde_json::json!({"name": "นายก ข", "positions": ["นายกองค์การบริหารส่วนจังหวัดลำปาง"]});
    std::fs::write(dir.join("reply.json"), reply.to_string()).unwrap();
    let issued: serde_json::Value = serde_json::from_str(
        ok(&saraban(
            &[
                "--db",
                &url,
                "issue",
                "reply.json",
                "--date",
                "2026-12-04",
                "--json",
            ],
            dir,
            "C",
        ))
        .trim(),
    )
    .unwrap();
    let shown: serde_json::Value = serde_json::from_str(
        ok(&saraban(
            &["--db", &url, "incoming", "show", "1/2569", "--json"],
            dir,
            "C",
        ))
        .trim(),
    )
    .unwrap();
    assert_eq!(shown["replies"][0]["number"], issued["number"], "{shown}");
    // The server's planner can use the index for the lookup.
    let plan = cluster.psql(
        "replies",
        "SET enable_seqscan = off; EXPLAIN SELECT id FROM letters
         WHERE (letter_json::jsonb -> 'reply_to' ->> 'receipt_number') = '1'
           AND (letter_json::jsonb -> 'reply_to' ->> 'year_be') = '2569'",
    );
    assert!(plan.contains("letters_reply_to"), "{plan}");
}
