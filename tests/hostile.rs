//! The hostile-input suite: what a careless clerk and an attacker tried on the register
//! (issue 9), each one a test that failed before the fix. They drive the real `saraban`
//! binary on real files, as a clerk would.

use crate::common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use rusqlite::Connection;
use sha2::{Digest, Sha256};

use common::{saraban, stderr};

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn sha(path: &Path) -> String {
    Sha256::digest(std::fs::read(path).unwrap())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A folder with a register (`r.sqlite`) and a letter (`l.json`, the J.CLAIR circular).
fn office() -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    std::fs::copy(
        common::fixture("jclair-specialists.json"),
        d.path().join("l.json"),
    )
    .unwrap();
    let o = saraban(&["--db", "r.sqlite", "init"], d.path());
    assert!(o.status.success(), "{}", stderr(&o));
    d
}

fn issue(dir: &Path, extra: &[&str]) -> Output {
    let mut args = vec!["--db", "r.sqlite", "issue", "l.json"];
    args.extend_from_slice(extra);
    saraban(&args, dir)
}

fn verify(dir: &Path) -> Output {
    saraban(&["--db", "r.sqlite", "audit", "verify"], dir)
}

fn count(dir: &Path) -> i64 {
    let c = Connection::open(dir.join("r.sqlite")).unwrap();
    c.query_row(
        "SELECT count(*) FROM letters WHERE status <> 'draft'",
        [],
        |r| r.get(0),
    )
    .unwrap()
}

/// A letter JSON with one field changed.
fn edited(dir: &Path, f: impl FnOnce(&mut serde_json::Value)) -> PathBuf {
    let mut v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("l.json")).unwrap()).unwrap();
    f(&mut v);
    let p = dir.join("edited.json");
    std::fs::write(&p, v.to_string()).unwrap();
    p
}

/// Standard error closed under the command (a pipe whose reader left): what it would say
/// there is lost, but the command does its work and ends as it would — never a panic's
/// exit 101 for a letter whose number was issued.
#[test]
fn a_closed_standard_error_loses_only_the_message() {
    let d = office();
    for args in [
        &["--db", "r.sqlite", "issue", "l.json"][..],
        &["render", "l.json", "-o", "again.pdf"][..],
    ] {
        let mut child = common::cli()
            .args(args)
            .current_dir(d.path())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stderr.take());
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "{args:?}: {}", out.status);
    }
    assert_eq!(count(d.path()), 1);
    assert!(d.path().join("again.pdf").exists());
}

// 1. Data loss: no output may replace the register.
#[test]
fn no_output_replaces_the_register() {
    let d = office();
    let dir = d.path();
    assert!(issue(dir, &[]).status.success());
    std::os::unix::fs::symlink(dir.join("r.sqlite"), dir.join("link.pdf")).unwrap();
    let before = sha(&dir.join("r.sqlite"));
    for target in [
        "r.sqlite",
        "./r.sqlite",
        "r.sqlite-wal",
        "r.sqlite-shm",
        "r.sqlite.anchor",
        "link.pdf",
    ] {
        for args in [
            vec![
                "--db", "r.sqlite", "export", "--format", "csv", "-o", target,
            ],
            vec!["--db", "r.sqlite", "book", "--year", "2569", "-o", target],
            vec!["--db", "r.sqlite", "show", "1", "--pdf", target],
            vec!["--db", "r.sqlite", "issue", "l.json", "-o", target],
        ] {
            let o = saraban(&args, dir);
            assert_eq!(o.status.code(), Some(1), "{args:?}: {}", stderr(&o));
        }
    }
    assert_eq!(
        sha(&dir.join("r.sqlite")),
        before,
        "the register is untouched"
    );
    assert_eq!(count(dir), 1, "no number was taken by a refused issue");
    assert!(verify(dir).status.success(), "{}", stderr(&verify(dir)));
}

// 2. Look-alike numbers: invisible characters never start a series of their own.
#[test]
fn invisible_characters_in_the_letter_code_are_refused_and_flagged() {
    let d = office();
    let dir = d.path();
    for invisible in ["\u{200B}", "\u{00AD}", "\u{2060}", "\u{FEFF}"] {
        let p = edited(dir, |v| {
            v["number"]["prefix"] = format!("มท ๐๘๑๐.{invisible}๒").into();
        });
        let o = saraban(&["--db", "r.sqlite", "issue", p.to_str().unwrap()], dir);
        assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
        assert!(stderr(&o).contains("number.prefix"), "{}", stderr(&o));
        let o = saraban(&["check", p.to_str().unwrap()], dir);
        assert_eq!(o.status.code(), Some(1), "check flags it: {}", stdout(&o));
        assert!(stdout(&o).contains("invisible"), "{}", stdout(&o));
    }
    assert_eq!(count(dir), 0);
    // Spaces of any kind and either digit form are one series.
    let a = edited(dir, |v| {
        v["number"]["prefix"] = "มท\u{00A0}\u{00A0}0810.2".into()
    });
    let o = saraban(&["--db", "r.sqlite", "issue", a.to_str().unwrap()], dir);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = issue(dir, &[]);
    assert!(
        stdout(&o).contains("/ว ๒"),
        "the second number of one series: {}",
        stdout(&o)
    );
}

// 3. Wrapping numbers: one range everywhere.
#[test]
fn running_numbers_stay_within_their_range() {
    let d = office();
    let dir = d.path();
    for huge in [4_294_967_295_i64, 1_000_000, 0, -1] {
        let p = edited(dir, |v| {
            v["number"]["running"] = huge.into();
            v["date"] = "2026-11-02".into();
        });
        let o = saraban(
            &[
                "--db",
                "r.sqlite",
                "issue",
                p.to_str().unwrap(),
                "--keep-number",
            ],
            dir,
        );
        assert_eq!(o.status.code(), Some(1), "{huge}: {}", stderr(&o));
        assert!(
            stderr(&o).contains("999999"),
            "the range is named: {}",
            stderr(&o)
        );
    }
    let p = edited(dir, |v| {
        v["number"]["running"] = 999_999.into();
        v["date"] = "2026-11-02".into();
    });
    let o = saraban(
        &[
            "--db",
            "r.sqlite",
            "issue",
            p.to_str().unwrap(),
            "--keep-number",
        ],
        dir,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let o = issue(dir, &["--date", "2026-11-03"]);
    assert_eq!(
        o.status.code(),
        Some(1),
        "the series is full: {}",
        stderr(&o)
    );
    assert!(stderr(&o).contains("999999"), "{}", stderr(&o));
    assert_eq!(count(dir), 1);
}

// 4. A burned number: the output is checked before the number is taken.
#[test]
fn an_unwritable_output_burns_no_number() {
    let d = office();
    let dir = d.path();
    for out in ["no/such/folder/x.pdf", "/dev/null", "."] {
        let o = issue(dir, &["-o", out]);
        assert!(!o.status.success(), "{out}");
        assert_eq!(count(dir), 0, "{out}: no letter was issued");
    }
    let o = issue(dir, &["-o", "ok.pdf"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("/ว ๑"),
        "the first number is still free: {}",
        stdout(&o)
    );
}

/// When the disk fills up after the number was taken, the clerk learns which number the
/// letter got and how to print it (exit 4), and the number is not taken again.
#[test]
fn a_write_failing_after_issue_names_the_number_and_the_way_to_the_pdf() {
    let d = office();
    let dir = d.path();
    let o = crate::common::cli()
        .args([
            "--lang", "th", "--db", "r.sqlite", "issue", "l.json", "-o", "out.pdf",
        ])
        .current_dir(dir)
        .env("FAILPOINTS", "issue-write=return")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(4), "{}", stderr(&o));
    let msg = stderr(&o);
    assert!(msg.contains("/ว ๑"), "the number it got: {msg}");
    assert!(msg.contains("saraban show"), "how to get the PDF: {msg}");
    assert!(!dir.join("out.pdf").exists());
    assert_eq!(count(dir), 1, "the letter is in the register");
    let leftovers: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "no temporary is left: {leftovers:?}");
    // What the message says works: the stored PDF comes out, and the next issue gets ๒.
    let o = saraban(
        &["--db", "r.sqlite", "show", "1", "--pdf", "again.pdf"],
        dir,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(std::fs::read(dir.join("again.pdf"))
        .unwrap()
        .starts_with(b"%PDF"));
    let o = issue(dir, &["-o", "next.pdf"]);
    assert!(stdout(&o).contains("/ว ๒"), "{}", stdout(&o));
    assert_eq!(verify(dir).status.code(), Some(0));
}

// 5. Fresh-register race: many processes creating one register at once.
#[test]
fn processes_creating_one_register_at_once_all_succeed() {
    for round in 0..10 {
        let d = tempfile::tempdir().unwrap();
        let children: Vec<_> = (0..8)
            .map(|_| {
                crate::common::cli()
                    .args(["--db", "r.sqlite", "init"])
                    .current_dir(d.path())
                    .env("LANG", "C")
                    .output()
            })
            .collect();
        // Threads start the processes closer together than a loop would.
        let threads: Vec<_> = (0..8)
            .map(|_| {
                let dir = d.path().to_path_buf();
                std::thread::spawn(move || {
                    crate::common::cli()
                        .args(["--db", "r2.sqlite", "init"])
                        .current_dir(dir)
                        .env("LANG", "C")
                        .output()
                        .unwrap()
                })
            })
            .collect();
        for c in children {
            let o = c.unwrap();
            assert!(o.status.success(), "round {round}: {}", stderr(&o));
        }
        for t in threads {
            let o = t.join().unwrap();
            assert!(o.status.success(), "round {round}: {}", stderr(&o));
        }
    }
}

// 6. Tampering is seen.
/// A register of three letters (the second cancelled), its triggers dropped as the
/// attacker did, then changed by `sql`; what `audit verify` says of it.
fn tampered(sql: &str) -> (Output, tempfile::TempDir) {
    let d = office();
    let dir = d.path();
    for date in ["2026-11-02", "2026-11-03", "2026-11-04"] {
        assert!(issue(dir, &["--date", date]).status.success());
    }
    let o = saraban(
        &["--db", "r.sqlite", "cancel", "2", "--reason", "พิมพ์ผิด"],
        dir,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(verify(dir).status.success(), "{}", stderr(&verify(dir)));
    let c = Connection::open(dir.join("r.sqlite")).unwrap();
    c.execute_batch(
        "DROP TRIGGER letters_issued_immutable; DROP TRIGGER letters_issued_undeletable;
         DROP TRIGGER audit_append_only_u; DROP TRIGGER audit_append_only_d;",
    )
    .unwrap();
    c.execute_batch(sql).unwrap();
    drop(c);
    (verify(dir), d)
}

fn assert_caught(o: &Output, needle: &str) {
    assert_eq!(o.status.code(), Some(3), "{}", stderr(o));
    assert!(
        stderr(o).contains(needle),
        "expected “{needle}” in: {}",
        stderr(o)
    );
}

#[test]
fn a_changed_pdf_is_never_served_and_is_reported() {
    let (o, d) = tampered(
        "UPDATE letters SET pdf = substr(pdf, 1, 100) || x'FF' || substr(pdf, 102) WHERE id = 1",
    );
    assert_caught(&o, "PDF of entry 1");
    let o = saraban(
        &["--db", "r.sqlite", "show", "1", "--pdf", "out.pdf"],
        d.path(),
    );
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(!d.path().join("out.pdf").exists());
}

#[test]
fn an_edited_letter_is_reported() {
    let (o, _d) = tampered(
        "UPDATE letters SET letter_json = replace(letter_json, 'ผู้เชี่ยวชาญ', 'ผู้ชำนาญ') WHERE id = 3",
    );
    assert_caught(&o, "entry 3");
}

#[test]
fn a_raised_counter_is_reported() {
    let (o, _d) = tampered("UPDATE series SET last = last + 5");
    assert_caught(&o, "counter of series");
}

#[test]
fn an_inserted_letter_is_reported() {
    let (o, _d) = tampered(
        "INSERT INTO letters (status, kind, title, created_at, updated_at, letter_json, series_id, year_be,
                running, number_text, issued_date, pdf, pdf_sha256)
             SELECT status, kind, 'แทรก', created_at, updated_at, letter_json, series_id, year_be, 4,
                number_text || '4', issued_date, pdf, pdf_sha256 FROM letters WHERE id = 1",
    );
    assert_caught(&o, "not in the audit trail");
}

#[test]
fn a_removed_cancellation_is_reported() {
    let (o, _d) =
        tampered("UPDATE letters SET status = 'issued', cancel_reason = NULL WHERE id = 2");
    assert_caught(&o, "cancellation of entry 2");
}

#[test]
fn a_truncated_audit_tail_is_reported() {
    let (o, _d) = tampered(
        "DELETE FROM audit WHERE id = (SELECT max(id) FROM audit);
         UPDATE letters SET status = 'issued', cancel_reason = NULL WHERE id = 2",
    );
    assert_caught(&o, "tail was cut off");
}

#[test]
fn a_recomputed_chain_is_caught_by_the_anchor() {
    // A history rewritten consistently inside the file: here the whole database is
    // replaced by another register's, whose chain is valid on its own. Only the anchor
    // outside the file knows.
    let d = office();
    let dir = d.path();
    for date in ["2026-11-02", "2026-11-03"] {
        assert!(issue(dir, &["--date", date]).status.success());
    }
    let head_before = stdout(&verify(dir));
    // A second register made the same way, whose chain is self-consistent but different.
    let other = office();
    for date in ["2026-11-05", "2026-11-06"] {
        assert!(issue(other.path(), &["--date", date]).status.success());
    }
    // Swap the whole database (chain and all) under the first register's anchor.
    std::fs::copy(other.path().join("r.sqlite"), dir.join("r.sqlite")).unwrap();
    let o = verify(dir);
    assert_caught(&o, "rewritten");
    assert!(!head_before.is_empty());
    // The other register, with its own anchor, is intact.
    assert!(verify(other.path()).status.success());
}

#[test]
fn a_missing_anchor_is_reported() {
    let d = office();
    assert!(issue(d.path(), &[]).status.success());
    std::fs::remove_file(d.path().join("r.sqlite.anchor")).unwrap();
    assert_caught(&verify(d.path()), "anchor file");
}

#[test]
fn the_recorded_user_is_the_os_account() {
    let d = office();
    let o = crate::common::cli()
        .args(["--db", "r.sqlite", "issue", "l.json"])
        .current_dir(d.path())
        .env("SARABAN_USER", "somebody-else")
        .env("USER", "somebody-else")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let c = Connection::open(d.path().join("r.sqlite")).unwrap();
    let by: String = c
        .query_row("SELECT issued_by FROM letters WHERE id = 1", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_ne!(by, "somebody-else");
    assert!(!by.is_empty());
}

// 7. Dates.
#[test]
fn dates_in_the_wrong_era_or_far_away_are_refused() {
    let d = office();
    let dir = d.path();
    // A BE year is read as BE and said so; this one is then far away.
    let o = issue(dir, &["--date", "2567-03-01"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("Buddhist-Era"), "{}", stderr(&o));
    assert!(stderr(&o).contains("--any-date"), "{}", stderr(&o));
    for date in ["0001-01-01", "1800-05-05", "3110-03-01"] {
        let o = issue(dir, &["--date", date]);
        assert_eq!(o.status.code(), Some(1), "{date}: {}", stderr(&o));
    }
    assert_eq!(count(dir), 0);
    // Insisting works; the BE year becomes the CE date.
    let o = issue(dir, &["--date", "2567-03-01", "--any-date", "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["date"], "2024-03-01");
    assert_eq!(v["year_be"], 2567);
}

// 8. Search finds Latin in either case.
#[test]
fn search_folds_latin_case() {
    let d = office();
    let dir = d.path();
    let p = edited(dir, |v| {
        v["subject"] = "การประชุม P4G และมาตรการ COVID-19".into()
    });
    assert!(
        saraban(&["--db", "r.sqlite", "issue", p.to_str().unwrap()], dir)
            .status
            .success()
    );
    for q in ["P4G", "p4g", "P๔G", "COVID", "covid-๑๙", "Covid-19"] {
        let o = saraban(&["--db", "r.sqlite", "search", q], dir);
        assert!(o.status.success());
        assert_eq!(stdout(&o).lines().count(), 1, "{q}: {}", stdout(&o));
    }
}

// 11. A read-only register is read.
#[test]
fn read_commands_open_the_register_read_only() {
    use std::os::unix::fs::PermissionsExt;
    let d = office();
    let dir = d.path();
    assert!(issue(dir, &[]).status.success());
    let ro = dir.join("ro");
    std::fs::create_dir(&ro).unwrap();
    std::fs::copy(dir.join("r.sqlite"), ro.join("r.sqlite")).unwrap();
    std::fs::copy(dir.join("r.sqlite.anchor"), ro.join("r.sqlite.anchor")).unwrap();
    std::fs::set_permissions(ro.join("r.sqlite"), std::fs::Permissions::from_mode(0o444)).unwrap();
    std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o555)).unwrap();
    let before = sha(&ro.join("r.sqlite"));
    for args in [
        vec!["--db", "r.sqlite", "search", "ผู้เชี่ยวชาญ"],
        vec!["--db", "r.sqlite", "show", "1"],
        vec!["--db", "r.sqlite", "audit", "verify"],
        vec!["--db", "r.sqlite", "draft", "list"],
        vec!["--db", "r.sqlite", "profile", "show"],
    ] {
        let o = saraban(&args, &ro);
        assert!(o.status.success(), "{args:?}: {}", stderr(&o));
    }
    assert_eq!(sha(&ro.join("r.sqlite")), before);
    std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o755)).unwrap();
}

// 12. A mistyped --db never makes a second register.
#[test]
fn only_init_creates_a_register() {
    let d = office();
    let dir = d.path();
    for args in [
        vec!["--db", "typo.sqlite", "issue", "l.json"],
        vec!["--db", "typo.sqlite", "search", "x"],
        vec!["--db", "typo.sqlite", "draft", "save", "l.json"],
    ] {
        let o = saraban(&args, dir);
        assert_eq!(o.status.code(), Some(3), "{args:?}");
        assert!(stderr(&o).contains("saraban init"), "{}", stderr(&o));
    }
    assert!(!dir.join("typo.sqlite").exists());
}

// 13. What one letter may ask for is bounded.
#[test]
fn a_letter_asking_for_too_much_is_refused_quickly() {
    let d = office();
    let dir = d.path();
    let p = edited(dir, |v| {
        v["qr"] = (0..9000)
            .map(|i| serde_json::json!({"data": format!("https://example.org/{i}")}))
            .collect::<Vec<_>>()
            .into();
    });
    let t = std::time::Instant::now();
    let o = saraban(&["--db", "r.sqlite", "issue", p.to_str().unwrap()], dir);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("QR"), "{}", stderr(&o));
    assert!(t.elapsed().as_secs() < 10);
    let p = edited(dir, |v| {
        let para = "ข้อความทดสอบความยาวของหนังสือ ".repeat(60);
        v["body"] = (0..100).map(|_| para.clone()).collect::<Vec<_>>().into();
    });
    let o = saraban(&["--db", "r.sqlite", "issue", p.to_str().unwrap()], dir);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("pages"), "{}", stderr(&o));
    assert_eq!(count(dir), 0);
}

// 14. Messages say what is wrong.
#[test]
fn messages_name_the_field_and_accept_what_editors_write() {
    let d = office();
    let dir = d.path();
    let p = edited(dir, |v| v["subject"] = 5.into());
    let o = saraban(&["check", p.to_str().unwrap()], dir);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("subject"), "{}", stderr(&o));
    assert!(!stderr(&o).contains("not valid JSON"), "{}", stderr(&o));
    // A UTF-8 byte order mark (Notepad) is accepted.
    let text = std::fs::read_to_string(dir.join("l.json")).unwrap();
    std::fs::write(dir.join("bom.json"), format!("\u{feff}{text}")).unwrap();
    let o = saraban(&["render", "bom.json", "-o", "bom.pdf"], dir);
    assert!(o.status.success(), "{}", stderr(&o));
    // A folder given as the letter is wrong input.
    std::fs::create_dir(dir.join("folder.json")).unwrap();
    let o = saraban(&["check", "folder.json"], dir);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    // Usage errors in Thai under --lang th.
    let o = saraban(&["--lang", "th", "search", "--bogus"], dir);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("ไม่รู้จักตัวเลือก"), "{}", stderr(&o));
}

// 15. Control characters stay out of the register.
#[test]
fn control_characters_in_a_reason_are_refused() {
    let d = office();
    let dir = d.path();
    assert!(issue(dir, &[]).status.success());
    for reason in ["\u{1b}[2Jcleared", "two\nlines"] {
        let o = saraban(
            &["--db", "r.sqlite", "cancel", "1", "--reason", reason],
            dir,
        );
        assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    }
    let o = saraban(&["--db", "r.sqlite", "show", "1"], dir);
    assert!(stdout(&o).contains("issued"), "{}", stdout(&o));
}

// Beyond the fixes: backups an office can keep while clerks work.
#[test]
fn a_backup_is_verified_and_restores() {
    let d = office();
    let dir = d.path();
    for date in ["2026-11-02", "2026-11-03"] {
        assert!(issue(dir, &["--date", date]).status.success());
    }
    let o = saraban(&["--db", "r.sqlite", "backup", "-o", "r.sqlite"], dir);
    assert_eq!(
        o.status.code(),
        Some(1),
        "never over the register: {}",
        stderr(&o)
    );
    let o = saraban(&["--db", "r.sqlite", "backup", "-o", "copy.sqlite"], dir);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(dir.join("copy.sqlite.anchor").exists());
    assert!(
        !dir.join("copy.sqlite-wal").exists(),
        "one self-contained file"
    );
    let o = saraban(&["--db", "copy.sqlite", "audit", "verify"], dir);
    assert!(
        o.status.success(),
        "the copy verifies on its own: {}",
        stderr(&o)
    );
    assert!(issue(dir, &["--date", "2026-11-04"]).status.success());
    // Restoring the older copy would lose the third letter: refused unless insisted.
    let o = saraban(&["--db", "r.sqlite", "restore", "copy.sqlite"], dir);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert_eq!(count(dir), 3);
    let o = saraban(
        &["--db", "r.sqlite", "restore", "copy.sqlite", "--force"],
        dir,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(count(dir), 2);
    assert!(verify(dir).status.success(), "{}", stderr(&verify(dir)));
    // The register book carries the chain's head on its pages, as a short check code.
    let o = saraban(
        &[
            "--db", "r.sqlite", "book", "--year", "2569", "-o", "book.pdf",
        ],
        dir,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let text = Command::new("pdftotext")
        .args(["book.pdf", "-"])
        .current_dir(dir)
        .output();
    if let Ok(t) = text {
        let head = stdout(&verify(dir));
        let head = head
            .trim_end()
            .trim_end_matches(')')
            .rsplit(' ')
            .next()
            .unwrap()
            .to_string();
        // The book prints the register check code: the head's first eight hex digits.
        assert_eq!(
            head.len(),
            64,
            "the audit report gives the whole head: {head}"
        );
        let code = format!("{}-{}", &head[..4], &head[4..8]);
        assert!(String::from_utf8_lossy(&t.stdout).contains(&code), "{code}");
    }
}

// ---- Second hostile review (issue 17) --------------------------------------------------

// 17.1 A draft the app can never reopen: whatever a clerk can type saves and reopens.
#[test]
fn a_draft_with_line_breaks_and_tabs_saves_and_reopens() {
    let d = office();
    let dir = d.path();
    let p = edited(dir, |v| {
        v["subject"] = "เรื่องที่\nพิมพ์\tสองบรรทัด".into();
        v["body"] = serde_json::json!(["ย่อหน้าแรก\nย่อหน้าที่สอง\r\n\r\nย่อหน้าที่สาม"]);
    });
    let o = saraban(
        &["--db", "r.sqlite", "draft", "save", p.to_str().unwrap()],
        dir,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let id = stdout(&o).trim().to_string();
    let o = saraban(&["--db", "r.sqlite", "draft", "open", &id], dir);
    assert!(o.status.success(), "reopens: {}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["subject"], "เรื่องที่ พิมพ์ สองบรรทัด");
    assert_eq!(
        v["body"],
        serde_json::json!(["ย่อหน้าแรก", "ย่อหน้าที่สอง", "ย่อหน้าที่สาม"]),
        "a line break in the body is a paragraph break"
    );
}

#[test]
fn drafts_an_older_version_stored_with_control_characters_open() {
    let d = office();
    let dir = d.path();
    let o = saraban(&["--db", "r.sqlite", "draft", "save", "l.json"], dir);
    assert!(o.status.success(), "{}", stderr(&o));
    let id: i64 = stdout(&o).trim().parse().unwrap();
    // What an older app stored unvalidated: Enter in the body, a BEL pasted in the subject.
    let raw = r#"{"kind":"external","subject":"ก\u0007ข","body":["หนึ่ง\nสอง"]}"#;
    let c = Connection::open(dir.join("r.sqlite")).unwrap();
    c.execute(
        "UPDATE letters SET letter_json = ?1 WHERE id = ?2",
        rusqlite::params![raw, id],
    )
    .unwrap();
    c.execute(
        "UPDATE letter_versions SET letter_json = ?1 WHERE letter_id = ?2",
        rusqlite::params![raw, id],
    )
    .unwrap();
    drop(c);
    let o = saraban(&["--db", "r.sqlite", "draft", "open", &id.to_string()], dir);
    assert!(o.status.success(), "repaired on read: {}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["subject"], "กข");
    assert_eq!(v["body"], serde_json::json!(["หนึ่ง", "สอง"]));
    let o = saraban(
        &["--db", "r.sqlite", "draft", "versions", &id.to_string()],
        dir,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let version = stdout(&o).split_whitespace().next().unwrap().to_string();
    let o = saraban(
        &[
            "--db",
            "r.sqlite",
            "draft",
            "restore",
            &id.to_string(),
            &version,
        ],
        dir,
    );
    assert!(
        o.status.success(),
        "an old version restores: {}",
        stderr(&o)
    );
}

fn profile(dir: &Path, agency: &str) {
    let p = dir.join("profile.json");
    std::fs::write(
        &p,
        serde_json::json!({"agency": agency, "address": [], "units": [], "owners": [], "signers": []})
            .to_string(),
    )
    .unwrap();
    let o = saraban(
        &["--db", "r.sqlite", "profile", "set", p.to_str().unwrap()],
        dir,
    );
    assert!(o.status.success(), "{}", stderr(&o));
}

fn head(dir: &Path, db: &str) -> (i64, String) {
    let c = Connection::open(dir.join(db)).unwrap();
    c.query_row(
        "SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
    .unwrap()
}

// 17.3 Restore never replaces a register with another office's backup without --force.
#[test]
fn restoring_another_offices_backup_says_whose_and_needs_force() {
    let ours = office();
    let dir = ours.path();
    profile(dir, "เทศบาลตำบลของเรา");
    assert!(issue(dir, &[]).status.success());
    let theirs = office();
    profile(theirs.path(), "องค์การบริหารส่วนตำบลอื่น");
    for date in ["2026-11-02", "2026-11-03", "2026-11-04"] {
        assert!(issue(theirs.path(), &["--date", date]).status.success());
    }
    let backup = dir.join("theirs.sqlite");
    let o = saraban(
        &["--db", "r.sqlite", "backup", "-o", backup.to_str().unwrap()],
        theirs.path(),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    // More audit entries than ours, yet not our chain: refused, saying whose it is.
    let before = head(dir, "r.sqlite");
    let o = saraban(&["--db", "r.sqlite", "restore", "theirs.sqlite"], dir);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(stderr(&o).contains("--force"), "{}", stderr(&o));
    let o_th = crate::common::cli()
        .args([
            "--db",
            "r.sqlite",
            "--lang",
            "th",
            "restore",
            "theirs.sqlite",
        ])
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(
        stderr(&o_th).contains("องค์การบริหารส่วนตำบลอื่น"),
        "says whose register it is: {}",
        stderr(&o_th)
    );
    assert_eq!(head(dir, "r.sqlite"), before, "nothing changed");
    assert_eq!(count(dir), 1);
    // Our own backup, carried on by more letters, restores without --force.
    let o = saraban(&["--db", "r.sqlite", "backup", "-o", "mine.sqlite"], dir);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = saraban(&["--db", "mine.sqlite", "issue", "l.json"], dir);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = saraban(&["--db", "r.sqlite", "restore", "mine.sqlite"], dir);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(count(dir), 2);
    assert!(verify(dir).status.success(), "{}", stderr(&verify(dir)));
}

/// A register with one letter and a backup of it carried on by a second letter.
fn office_and_newer_backup() -> tempfile::TempDir {
    let d = office();
    let dir = d.path();
    assert!(issue(dir, &[]).status.success());
    let o = saraban(&["--db", "r.sqlite", "backup", "-o", "mine.sqlite"], dir);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(saraban(&["--db", "mine.sqlite", "issue", "l.json"], dir)
        .status
        .success());
    d
}

// 17.4 A restore is all or nothing: every precondition first, the register put back when
// the swap fails half-way.
#[test]
fn a_restore_that_cannot_finish_changes_nothing() {
    use std::os::unix::fs::PermissionsExt;
    // The anchor is a link to another file: refused before the register is touched.
    let d = office_and_newer_backup();
    let dir = d.path();
    let before = head(dir, "r.sqlite");
    std::fs::write(dir.join("elsewhere.txt"), "keep me\n").unwrap();
    std::fs::remove_file(dir.join("r.sqlite.anchor")).unwrap();
    std::os::unix::fs::symlink(dir.join("elsewhere.txt"), dir.join("r.sqlite.anchor")).unwrap();
    let o = saraban(&["--db", "r.sqlite", "restore", "mine.sqlite"], dir);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert_eq!(head(dir, "r.sqlite"), before);
    assert_eq!(count(dir), 1);
    assert_eq!(
        std::fs::read_to_string(dir.join("elsewhere.txt")).unwrap(),
        "keep me\n"
    );
    // A read-only anchor: the same.
    let d = office_and_newer_backup();
    let dir = d.path();
    let before = head(dir, "r.sqlite");
    std::fs::set_permissions(
        dir.join("r.sqlite.anchor"),
        std::fs::Permissions::from_mode(0o444),
    )
    .unwrap();
    let o = saraban(&["--db", "r.sqlite", "restore", "mine.sqlite"], dir);
    assert_ne!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(head(dir, "r.sqlite"), before);
    std::fs::set_permissions(
        dir.join("r.sqlite.anchor"),
        std::fs::Permissions::from_mode(0o644),
    )
    .unwrap();
    // The anchor fails after the database was swapped (the disk filled): put back whole.
    let d = office_and_newer_backup();
    let dir = d.path();
    let before = head(dir, "r.sqlite");
    let anchor = std::fs::read(dir.join("r.sqlite.anchor")).unwrap();
    let o = crate::common::cli()
        .args(["--db", "r.sqlite", "restore", "mine.sqlite"])
        .current_dir(dir)
        .env("LANG", "C")
        .env("FAILPOINTS", "restore-before-anchor=return")
        .output()
        .unwrap();
    assert_ne!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(head(dir, "r.sqlite"), before, "the register as it was");
    assert_eq!(count(dir), 1);
    assert_eq!(std::fs::read(dir.join("r.sqlite.anchor")).unwrap(), anchor);
    assert!(verify(dir).status.success(), "{}", stderr(&verify(dir)));
}

/// Runs the CLI as a user who cannot write `dir` (nobody, when the tests run as root: root
/// ignores permissions). That user runs a copy of the binary beside `dir`, since the
/// checkout's folders need not be open to it.
fn as_reader(args: &[&str], dir: &Path) -> Output {
    use std::os::unix::fs::PermissionsExt;
    let root = Command::new("id").arg("-u").output().unwrap().stdout == b"0\n";
    let mut cmd = if root {
        let bin = dir.parent().unwrap().join("bin");
        std::fs::create_dir_all(&bin).unwrap();
        let exe = bin.join("saraban");
        if !exe.exists() {
            // Copied by another process: a file this one had open for writing could still
            // be open in a child another test thread is starting, and running it would then
            // fail with "Text file busy" (as CI saw).
            let copied = Command::new("cp")
                .arg(env!("CARGO_BIN_EXE_saraban"))
                .arg(&exe)
                .status()
                .unwrap();
            assert!(copied.success(), "cp the binary for {}", exe.display());
        }
        for p in [&bin, &exe] {
            std::fs::set_permissions(p, std::fs::Permissions::from_mode(0o755)).unwrap();
        }
        let mut c = Command::new("runuser");
        c.args(["-u", "nobody", "--"]).arg(exe);
        c
    } else {
        crate::common::cli()
    };
    cmd.args(args)
        .current_dir(dir)
        .env("LANG", "C")
        .env("HOME", dir)
        .output()
        .unwrap()
}

// 17.5 A read-only folder with a leftover WAL: every committed letter is read.
#[test]
fn a_read_only_register_with_its_wal_shows_every_letter() {
    use std::os::unix::fs::PermissionsExt;
    let d = office();
    let dir = d.path();
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    assert!(issue(dir, &["--date", "2026-11-02"]).status.success());
    // Another connection stays open, so the last two commits stay in the -wal file.
    let holder = Connection::open(dir.join("r.sqlite")).unwrap();
    let _: i64 = holder
        .query_row("SELECT count(*) FROM letters", [], |r| r.get(0))
        .unwrap();
    for date in ["2026-11-03", "2026-11-04"] {
        assert!(issue(dir, &["--date", date]).status.success());
    }
    let wal = std::fs::metadata(dir.join("r.sqlite-wal"))
        .map(|m| m.len())
        .unwrap_or(0);
    assert!(wal > 0, "the commits wait in the -wal");
    let ro = dir.join("ro");
    std::fs::create_dir(&ro).unwrap();
    for f in ["r.sqlite", "r.sqlite-wal", "r.sqlite.anchor"] {
        std::fs::copy(dir.join(f), ro.join(f)).unwrap();
        std::fs::set_permissions(ro.join(f), std::fs::Permissions::from_mode(0o444)).unwrap();
    }
    drop(holder);
    let out = dir.join("out");
    std::fs::create_dir(&out).unwrap();
    std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o777)).unwrap();
    std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o555)).unwrap();
    let o = as_reader(&["--db", "r.sqlite", "search", "--json"], &ro);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        stdout(&o).lines().count(),
        3,
        "every committed letter: {}",
        stdout(&o)
    );
    let o = as_reader(&["--db", "r.sqlite", "audit", "verify"], &ro);
    assert!(o.status.success(), "no false tampering: {}", stderr(&o));
    let b = out.join("b.sqlite");
    let o = as_reader(
        &["--db", "r.sqlite", "backup", "-o", b.to_str().unwrap()],
        &ro,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let c = Connection::open(&b).unwrap();
    let n: i64 = c
        .query_row(
            "SELECT count(*) FROM letters WHERE status <> 'draft'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(n, 3, "the backup holds every letter");
    std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o755)).unwrap();
}

// 17.6 Every file a command writes goes through the output checks: the backup's anchor too.
#[test]
fn a_backup_never_writes_its_anchor_over_the_register() {
    let d = office();
    let dir = d.path();
    std::fs::rename(dir.join("r.sqlite"), dir.join("x.anchor")).unwrap();
    let o = saraban(&["--db", "x.anchor", "issue", "l.json"], dir);
    assert!(o.status.success(), "{}", stderr(&o));
    let before = sha(&dir.join("x.anchor"));
    let o = saraban(&["--db", "x.anchor", "backup", "-o", "x"], dir);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert_eq!(sha(&dir.join("x.anchor")), before);
    assert!(!dir.join("x").exists(), "nothing half-written");
    let o = saraban(&["--db", "x.anchor", "audit", "verify"], dir);
    assert!(o.status.success(), "{}", stderr(&o));
}

// 17.7 What people read is covered by the audit: listing columns and search rows.
#[test]
fn changed_listing_columns_and_search_rows_are_reported() {
    for (sql, needle) in [
        (
            "UPDATE letters SET title = 'เรื่องปลอม' WHERE id = 1",
            "subject",
        ),
        (
            "UPDATE letters SET recipient = 'ผู้อื่น' WHERE id = 1",
            "recipient",
        ),
        (
            "UPDATE letters SET sender = 'หน่วยอื่น' WHERE id = 1",
            "sender",
        ),
        (
            "UPDATE letters SET issued_by = 'someone' WHERE id = 1",
            "issued by",
        ),
        (
            "UPDATE letters SET issued_at = '2020-01-01T00:00:00.000+07:00' WHERE id = 1",
            "time of issue",
        ),
        (
            "UPDATE letters SET running = 99 WHERE id = 3",
            "running number",
        ),
        // The letters' text waiting to join the index, then in the index.
        ("DELETE FROM letters_unindexed WHERE id = 1", "no search text"),
        (
            "UPDATE letters_unindexed SET text = 'ข้อความปลอม' WHERE id = 3",
            "search text of entry 3",
        ),
        (
            "INSERT INTO letters_fts (rowid, text) SELECT id, text FROM letters_unindexed WHERE id = 2",
            "in the index too",
        ),
        (
            "INSERT INTO letters_fts (rowid, text) SELECT id, text FROM letters_unindexed;
             DELETE FROM letters_unindexed; DELETE FROM letters_fts WHERE rowid = 1",
            "no search text",
        ),
        (
            "INSERT INTO letters_fts (rowid, text) SELECT id, text FROM letters_unindexed;
             DELETE FROM letters_unindexed; UPDATE letters_fts SET text = 'ข้อความปลอม' WHERE rowid = 3",
            "search text of entry 3",
        ),
    ] {
        let (o, _d) = tampered(sql);
        assert_caught(&o, needle);
    }
}

// 17.8 The anchor: an emptied one, one behind the chain, one that is a link.
#[test]
fn an_emptied_or_lagging_anchor_is_reported_and_a_linked_one_refused() {
    let d = office();
    let dir = d.path();
    for date in ["2026-11-02", "2026-11-03"] {
        assert!(issue(dir, &["--date", date]).status.success());
    }
    let anchor = dir.join("r.sqlite.anchor");
    let full = std::fs::read_to_string(&anchor).unwrap();
    std::fs::write(&anchor, "").unwrap();
    assert_caught(&verify(dir), "empty");
    // Every line naming the newest entry gone (it is written before its commit and again
    // after it).
    let newest = full.lines().last().unwrap().split(' ').next().unwrap();
    let lines: Vec<&str> = full
        .lines()
        .filter(|l| l.split(' ').next() != Some(newest))
        .collect();
    assert!(lines.len() + 2 <= full.lines().count());
    std::fs::write(&anchor, lines.join("\n") + "\n").unwrap();
    assert_caught(&verify(dir), "not anchored");
    std::fs::write(&anchor, &full).unwrap();
    assert!(verify(dir).status.success());
    // A link in the anchor's place: no number is taken, nothing written through it.
    std::fs::write(dir.join("victim.txt"), "unchanged\n").unwrap();
    std::fs::remove_file(&anchor).unwrap();
    std::os::unix::fs::symlink(dir.join("victim.txt"), &anchor).unwrap();
    let o = issue(dir, &["--date", "2026-11-04"]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(stderr(&o).contains("anchor"), "{}", stderr(&o));
    assert_eq!(count(dir), 2, "no number taken");
    assert_eq!(
        std::fs::read_to_string(dir.join("victim.txt")).unwrap(),
        "unchanged\n"
    );
}

/// A writer killed in the anchor's window, before its commit or after it: the register
/// stays sound and the audit finds nothing (it once reported entries "added behind
/// Saraban's back" when a writer died after its commit and before the anchor line).
#[test]
fn a_writer_killed_around_its_commit_leaves_an_anchor_that_agrees() {
    let d = office();
    let dir = d.path();
    assert!(issue(dir, &["--date", "2026-11-02"]).status.success());
    let anchor = dir.join("r.sqlite.anchor");
    for (point, issued) in [("anchor-before-commit", 1), ("anchor-after-commit", 2)] {
        let lines = std::fs::read_to_string(&anchor).unwrap().lines().count();
        let mut child = crate::common::cli()
            .args([
                "--db",
                "r.sqlite",
                "issue",
                "l.json",
                "--date",
                "2026-11-03",
            ])
            .current_dir(dir)
            .env("FAILPOINTS", format!("{point}=sleep(60000)"))
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        // The synced line is there: the writer is asleep at the fail point.
        let t = std::time::Instant::now();
        while std::fs::read_to_string(&anchor).unwrap().lines().count() == lines {
            assert!(t.elapsed().as_secs() < 30, "{point}: no anchor line came");
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        assert_eq!(count(dir), issued, "{point}");
        let o = verify(dir);
        assert_eq!(o.status.code(), Some(0), "{point}: {}", stdout(&o));
    }
    // The number the first killed writer never took is the next one's.
    let o = issue(dir, &["--date", "2026-11-04"]);
    assert!(stdout(&o).contains("/ว ๓"), "{}", stdout(&o));
    assert_eq!(verify(dir).status.code(), Some(0));
}

// 17.9 A backup is restored only with exactly our schema.
#[test]
fn a_backup_with_foreign_triggers_or_views_is_refused_even_with_force() {
    for sql in [
        "CREATE TRIGGER evil AFTER INSERT ON letters BEGIN DELETE FROM audit; END;",
        "CREATE VIEW extra AS SELECT 1;",
        "CREATE INDEX extra_index ON letters (title);",
        "DROP TRIGGER letters_issued_immutable;",
    ] {
        let d = office();
        let dir = d.path();
        assert!(issue(dir, &[]).status.success());
        let o = saraban(&["--db", "r.sqlite", "backup", "-o", "b.sqlite"], dir);
        assert!(o.status.success(), "{}", stderr(&o));
        let c = Connection::open(dir.join("b.sqlite")).unwrap();
        c.execute_batch(sql).unwrap();
        drop(c);
        let before = head(dir, "r.sqlite");
        let o = saraban(&["--db", "r.sqlite", "restore", "b.sqlite", "--force"], dir);
        assert_eq!(o.status.code(), Some(3), "{sql}: {}", stderr(&o));
        assert!(stderr(&o).contains("schema"), "{}", stderr(&o));
        assert_eq!(head(dir, "r.sqlite"), before);
    }
}

/// Makes the backup `b.sqlite` in `dir` as Saraban of schema 7 wrote it: every letter's
/// search text in the index (schema 8 brought the letters waiting beside it).
fn as_schema_7(dir: &Path, extra_sql: &str) {
    let c = Connection::open(dir.join("b.sqlite")).unwrap();
    c.execute_batch(&format!(
        "INSERT INTO letters_fts (rowid, text) SELECT id, text FROM letters_unindexed;
         DROP TABLE letters_unindexed; {extra_sql}"
    ))
    .unwrap();
    c.pragma_update(None, "user_version", 7).unwrap();
    c.pragma_update(None, "journal_mode", "DELETE").unwrap();
}

// A backup made before Saraban was updated restores after it: it is checked against the
// schema it was made with and brought up to date in a copy, never written itself; one
// with a schema of someone else's is still refused.
#[test]
fn a_backup_of_an_earlier_schema_is_brought_up_to_date_and_restores() {
    let d = office();
    let dir = d.path();
    for date in ["2026-11-02", "2026-11-03"] {
        assert!(issue(dir, &["--date", date]).status.success());
    }
    let o = saraban(&["--db", "r.sqlite", "backup", "-o", "b.sqlite"], dir);
    assert!(o.status.success(), "{}", stderr(&o));
    as_schema_7(dir, "");
    let backup = sha(&dir.join("b.sqlite"));
    let before = head(dir, "r.sqlite");
    let o = saraban(&["--db", "r.sqlite", "restore", "b.sqlite"], dir);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        sha(&dir.join("b.sqlite")),
        backup,
        "the backup is never written"
    );
    assert_eq!(count(dir), 2);
    assert!(verify(dir).status.success(), "{}", stderr(&verify(dir)));
    assert!(
        head(dir, "r.sqlite").0 > before.0,
        "the restore is in the audit"
    );
    let o = saraban(&["--db", "r.sqlite", "search", "ผู้เชี่ยวชาญ"], dir);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        stdout(&o).lines().filter(|l| l.contains("มท")).count(),
        2,
        "{}",
        stdout(&o)
    );
    assert!(
        !std::fs::read_dir(dir).unwrap().any(|e| e
            .unwrap()
            .file_name()
            .to_string_lossy()
            .starts_with(".saraban-restore-")),
        "no staged copy is left behind"
    );
    // A letter issued after the restore is found with those the backup brought.
    assert!(issue(dir, &["--date", "2026-11-04"]).status.success());
    let o = saraban(&["--db", "r.sqlite", "search", "ผู้เชี่ยวชาญ"], dir);
    assert_eq!(
        stdout(&o).lines().filter(|l| l.contains("มท")).count(),
        3,
        "{}",
        stdout(&o)
    );

    let o = saraban(&["--db", "r.sqlite", "backup", "-o", "b.sqlite"], dir);
    assert!(o.status.success(), "{}", stderr(&o));
    as_schema_7(dir, "CREATE VIEW extra AS SELECT 1;");
    let before = head(dir, "r.sqlite");
    let o = saraban(&["--db", "r.sqlite", "restore", "b.sqlite", "--force"], dir);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(stderr(&o).contains("schema"), "{}", stderr(&o));
    assert_eq!(head(dir, "r.sqlite"), before);
}

// 17.11 Look-alike letter codes are refused and flagged, by the Unicode data.
#[test]
fn look_alike_letter_codes_are_refused_and_flagged() {
    let d = office();
    let dir = d.path();
    for code in ["มท 0810\u{2024}2", "มท ０810.2", "มท 𝟎810.2", "มท 0810.２"] {
        let p = edited(dir, |v| v["number"]["prefix"] = code.into());
        let o = saraban(&["--db", "r.sqlite", "issue", p.to_str().unwrap()], dir);
        assert_eq!(o.status.code(), Some(1), "{code}: {}", stderr(&o));
        assert!(stderr(&o).contains("looks like"), "{}", stderr(&o));
        let o = saraban(&["check", p.to_str().unwrap()], dir);
        assert_eq!(
            o.status.code(),
            Some(1),
            "check flags {code}: {}",
            stdout(&o)
        );
    }
    assert_eq!(count(dir), 0);
}

// 17.12 A password with an unencoded `/`, `?` or `#` is never shown, whole or in part.
#[test]
fn passwords_typed_without_encoding_never_show() {
    let d = tempfile::tempdir().unwrap();
    let dir = d.path();
    for pw in ["se/cr3tpw", "se?cr3tpw", "se#cr3tpw"] {
        let url = format!("postgres://clerk:{pw}@127.0.0.1:9/saraban");
        for args in [
            vec!["--db", url.as_str(), "init"],
            vec!["--db", url.as_str(), "profile", "show"],
            vec!["migrate", "--from", url.as_str(), "--to", "x.sqlite"],
            vec!["migrate", "--from", "none.sqlite", "--to", url.as_str()],
        ] {
            let o = crate::common::cli()
                .args(&args)
                .current_dir(dir)
                .env("LANG", "C")
                .env("SARABAN_LOCAL_DIR", dir.join("local"))
                .output()
                .unwrap();
            let all = format!("{}{}", stdout(&o), stderr(&o));
            assert!(!all.contains("cr3t"), "{args:?} showed the password: {all}");
        }
    }
}

// 17.13 CSV formula injection: neutralised as OWASP recommends.
#[test]
fn a_subject_a_spreadsheet_would_run_is_neutralised_in_csv() {
    let d = office();
    let dir = d.path();
    let p = edited(dir, |v| {
        v["subject"] = "=HYPERLINK(\"http://evil\",\"x\")".into();
    });
    let o = saraban(&["--db", "r.sqlite", "issue", p.to_str().unwrap()], dir);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = saraban(
        &[
            "--db", "r.sqlite", "export", "--format", "csv", "-o", "r.csv",
        ],
        dir,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let text = std::fs::read_to_string(dir.join("r.csv")).unwrap();
    let mut rd = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let row = rd.records().next().unwrap().unwrap();
    assert_eq!(&row[5], "'=HYPERLINK(\"http://evil\",\"x\")");
}

// 17.14 Fonts and emblems that would break every later issue are refused at import.
#[test]
fn damaged_fonts_and_huge_emblems_are_refused_and_issuing_goes_on() {
    let d = office();
    let dir = d.path();
    // A PNG whose header claims 16000 × 16000 pixels.
    let png = huge_png();
    std::fs::write(dir.join("huge.png"), &png).unwrap();
    let o = saraban(&["--db", "r.sqlite", "profile", "emblem", "huge.png"], dir);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(stderr(&o).contains("16000"), "{}", stderr(&o));
    // Fonts with their glyph outlines damaged: refused or working, never a crash, and
    // issuing goes on either way.
    let font = std::fs::read("/usr/share/fonts/truetype/tlwg/Laksaman.ttf")
        .expect("fonts-tlwg-laksaman-ttf (run scripts/setup.sh)");
    let glyf = font
        .windows(4)
        .position(|w| w == b"glyf")
        .expect("a glyf table");
    let offset = u32::from_be_bytes(font[glyf + 8..glyf + 12].try_into().unwrap()) as usize;
    let length = u32::from_be_bytes(font[glyf + 12..glyf + 16].try_into().unwrap()) as usize;
    for seed in 0..6u64 {
        let mut bad = font.clone();
        let mut x = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        for _ in 0..400 {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let at = offset + (x >> 33) as usize % length;
            bad[at] = (x >> 17) as u8;
        }
        std::fs::write(dir.join("bad.ttf"), &bad).unwrap();
        let o = saraban(&["--db", "r.sqlite", "profile", "font", "bad.ttf"], dir);
        assert_ne!(
            o.status.code(),
            Some(101),
            "seed {seed} crashed: {}",
            stderr(&o)
        );
        let o = issue(dir, &[]);
        assert!(
            o.status.success(),
            "seed {seed}: issuing goes on: {}",
            stderr(&o)
        );
    }
}

// 17.15 Every wait is bounded: a register on a pipe is refused at once.
#[test]
fn a_register_on_a_pipe_is_refused_at_once() {
    let d = office();
    let dir = d.path();
    assert!(Command::new("mkfifo")
        .arg(dir.join("r.fifo"))
        .status()
        .unwrap()
        .success());
    for args in [
        vec!["--db", "r.fifo", "search"],
        vec!["--db", "r.fifo", "issue", "l.json"],
    ] {
        let o = Command::new("timeout")
            .arg("20")
            .arg(crate::common::cli_path())
            .args(&args)
            .current_dir(dir)
            .env("LANG", "C")
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(3), "{args:?}: {}", stderr(&o));
        assert!(stderr(&o).contains("not a register file"), "{}", stderr(&o));
    }
}

// 17.16 Buddhist-Era leap days, and a refused migration leaves nothing behind.
#[test]
fn buddhist_era_dates_and_refused_migrations() {
    let d = office();
    let dir = d.path();
    let o = issue(dir, &["--date", "2567-02-29", "--any-date"]);
    assert!(o.status.success(), "2567 is a leap year: {}", stderr(&o));
    let o = issue(dir, &["--date", "2568-02-29", "--any-date"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("2568-02-29"), "{}", stderr(&o));
    // A source that fails verification is not moved, and no target is left.
    let c = Connection::open(dir.join("r.sqlite")).unwrap();
    c.execute_batch(
        "DROP TRIGGER letters_issued_immutable; UPDATE letters SET pdf = x'00' WHERE id = 1;",
    )
    .unwrap();
    drop(c);
    let o = saraban(
        &["migrate", "--from", "r.sqlite", "--to", "moved.sqlite"],
        dir,
    );
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(!dir.join("moved.sqlite").exists(), "no empty target left");
}

// 17.2 A register-book row taller than a page goes on over the next pages.
#[test]
fn a_book_row_taller_than_a_page_loses_no_line() {
    let d = office();
    let dir = d.path();
    assert!(issue(dir, &["--date", "2026-11-02"]).status.success());
    let markers: Vec<String> = (0..190)
        .map(|i| {
            let a = (b'a' + (i / 26) as u8) as char;
            let b = (b'a' + (i % 26) as u8) as char;
            format!("R{a}{b}")
        })
        .collect();
    let reason = markers.join(" ");
    assert!(reason.chars().count() <= 1000);
    let o = saraban(
        &["--db", "r.sqlite", "cancel", "1", "--reason", &reason],
        dir,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let o = saraban(
        &[
            "--db", "r.sqlite", "book", "--year", "2569", "-o", "book.pdf",
        ],
        dir,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let text = Command::new("pdftotext")
        .args(["book.pdf", "-"])
        .current_dir(dir)
        .output()
        .expect("pdftotext (poppler-utils: run scripts/setup.sh)");
    let text = String::from_utf8_lossy(&text.stdout);
    let words: std::collections::HashSet<&str> = text.split_whitespace().collect();
    let lost: Vec<&String> = markers
        .iter()
        .filter(|m| !words.contains(m.as_str()))
        .collect();
    assert!(lost.is_empty(), "lost from the book: {lost:?}");
    let pages = text.matches('\u{c}').count();
    assert!(pages >= 2, "the row went on over a second page ({pages})");
}

// 17.14 A font or emblem an older version stored that cannot be used never locks the
// clerk out: letters are refused, saying how to import a good one, and the profile
// commands still work.
#[test]
fn a_stored_emblem_that_cannot_be_used_is_said_and_can_be_replaced() {
    let d = office();
    let dir = d.path();
    let png = huge_png();
    let c = Connection::open(dir.join("r.sqlite")).unwrap();
    c.execute(
        "INSERT INTO settings (key, value) VALUES ('emblem', ?1)",
        rusqlite::params![png],
    )
    .unwrap();
    drop(c);
    let o = issue(dir, &[]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(stderr(&o).contains("profile emblem"), "{}", stderr(&o));
    assert_eq!(count(dir), 0, "no number taken");
    let o = saraban(&["--db", "r.sqlite", "profile", "show"], dir);
    assert!(o.status.success(), "{}", stderr(&o));
    std::fs::write(
        dir.join("good.svg"),
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="120" height="140"><path d="M10 10 H110 V130 H10 Z"/></svg>"#,
    )
    .unwrap();
    let o = saraban(&["--db", "r.sqlite", "profile", "emblem", "good.svg"], dir);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(issue(dir, &[]).status.success());
}

// 17.9 sibling: SQLite's own statistics (an administrator's ANALYZE) are not a changed
// schema; a backup carrying them restores.
#[test]
fn statistics_sqlite_keeps_are_not_a_changed_schema() {
    let d = office();
    let dir = d.path();
    assert!(issue(dir, &[]).status.success());
    Connection::open(dir.join("r.sqlite"))
        .unwrap()
        .execute_batch("ANALYZE;")
        .unwrap();
    assert!(verify(dir).status.success(), "{}", stderr(&verify(dir)));
    let o = saraban(&["--db", "r.sqlite", "backup", "-o", "b.sqlite"], dir);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = saraban(&["--db", "r.sqlite", "restore", "b.sqlite"], dir);
    assert!(o.status.success(), "{}", stderr(&o));
}

/// A PNG whose header claims 16 000 × 16 000 pixels (its data is one pixel).
fn huge_png() -> Vec<u8> {
    let mut png = Vec::new();
    image::DynamicImage::new_luma8(1, 1)
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .unwrap();
    png[16..20].copy_from_slice(&16000u32.to_be_bytes());
    png[20..24].copy_from_slice(&16000u32.to_be_bytes());
    let mut crc = flate2::Crc::new();
    crc.update(&png[12..29]);
    png[29..33].copy_from_slice(&crc.sum().to_be_bytes());
    png
}
