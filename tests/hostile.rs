//! The hostile-input suite: what a careless clerk and an attacker tried on the register
//! (issue 9), each one a test that failed before the fix. They drive the real `saraban`
//! binary on real files, as a clerk would.

mod common;

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
    let o = Command::new(env!("CARGO_BIN_EXE_saraban"))
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
                Command::new(env!("CARGO_BIN_EXE_saraban"))
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
                    Command::new(env!("CARGO_BIN_EXE_saraban"))
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
    let o = Command::new(env!("CARGO_BIN_EXE_saraban"))
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
    // The register book carries the chain's head on its pages.
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
        assert!(String::from_utf8_lossy(&t.stdout).contains(&head), "{head}");
    }
}
