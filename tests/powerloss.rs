//! A power-loss simulation: during a burst of issues, the database files are copied at
//! random instants (the `-wal` first, then the database, as a crash would leave them on
//! the disk), and every copy is opened as a register. Every issue the CLI had reported
//! done before a copy was taken must be in that copy, and every copy must be sound.
//!
//! A copy of a file being rewritten in place is not what any disk holds at an instant, so
//! the test keeps one read transaction open from before the burst: no checkpoint can then
//! move pages into the database file, which stays as it was, and the `-wal` only grows. A
//! copy is then exactly a cut of the log at some byte, torn last frame included, which is
//! what a power cut leaves; SQLite's recovery must find every committed issue in it.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use saraban::register::Register;

use crate::common;

#[test]
fn every_issue_reported_done_survives_a_copy_taken_at_any_instant() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::copy(common::fixture("jclair-specialists.json"), d.join("l.json")).unwrap();
    let bin = common::cli_path();
    assert!(Command::new(&bin)
        .args(["--db", "r.sqlite", "init"])
        .current_dir(d)
        .status()
        .unwrap()
        .success());
    let n = 60;
    let pin = rusqlite::Connection::open(d.join("r.sqlite")).unwrap();
    pin.execute_batch("BEGIN").unwrap();
    let _: i64 = pin
        .query_row("SELECT count(*) FROM letters", [], |r| r.get(0))
        .unwrap();
    let mut child = Command::new("sh")
        .args([
            "-c",
            &format!(
                "for i in $(seq {n}); do \"$0\" --db r.sqlite issue l.json --json || exit 1; done"
            ),
            bin.to_str().unwrap(),
        ])
        .current_dir(d)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    // Issues reported done, in order, as the reader saw them.
    let reported: Arc<Mutex<Vec<i64>>> = Arc::default();
    let reader = {
        let reported = reported.clone();
        let out = child.stdout.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(out).lines() {
                let v: serde_json::Value = serde_json::from_str(&line.unwrap()).unwrap();
                reported.lock().unwrap().push(v["id"].as_i64().unwrap());
            }
        })
    };
    let mut seed: u64 = 0x2545_F491_4F6C_DD1D ^ std::process::id() as u64;
    let mut snapshots = Vec::new();
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() && start.elapsed() < Duration::from_secs(120) {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        std::thread::sleep(Duration::from_millis(5 + seed % 60));
        let done: Vec<i64> = reported.lock().unwrap().clone();
        let snap = d.join(format!("snap{}", snapshots.len()));
        std::fs::create_dir(&snap).unwrap();
        // What the disk holds: the log first, then the database.
        let _ = std::fs::copy(d.join("r.sqlite-wal"), snap.join("r.sqlite-wal"));
        std::fs::copy(d.join("r.sqlite"), snap.join("r.sqlite")).unwrap();
        snapshots.push((snap, done));
    }
    assert!(child.wait().unwrap().success());
    pin.execute_batch("COMMIT").unwrap();
    reader.join().unwrap();
    assert_eq!(reported.lock().unwrap().len(), n);
    assert!(snapshots.len() >= 10, "only {} copies", snapshots.len());
    let checked: usize = snapshots.iter().map(|(_, d)| d.len()).sum();
    eprintln!(
        "{} copies taken during {n} issues; {checked} reported issues looked for in them",
        snapshots.len()
    );
    for (snap, done) in &snapshots {
        let reg = Register::open(&snap.join("r.sqlite")).unwrap();
        assert_eq!(reg.integrity_check().unwrap(), "ok", "{snap:?}");
        for id in done {
            let e = reg
                .entry(*id)
                .unwrap_or_else(|e| panic!("{snap:?}: issue {id} lost: {e}"));
            assert_eq!(e.running, *id, "numbers run with the ids in this burst");
        }
        let report = reg.verify_audit().unwrap();
        assert_eq!(report.first_broken, None, "{snap:?}");
    }
}
