//! Numbers on the shared register under load, on a real PostgreSQL server started for the
//! test: eight clerk processes issuing 500 letters each into one series get exactly
//! 1..4000, no duplicate and no gap — also when the server is restarted in the middle
//! (every issue a client reported done is there, once); and a client killed with SIGKILL
//! inside its transaction loses nothing committed and burns no number.
//!
//! The clerks are this test binary run again as `worker` (an ignored test), each its own
//! process with its own connection.

use crate::pg;

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use saraban::register::{Access, IssueOptions, Location, Register};
use saraban::Letter;

const WORKERS: usize = 8;
const EACH: usize = 500;

fn letter(worker: usize, i: usize) -> Letter {
    let v = serde_json::json!({
        "kind": "external", "circular": true, "number": {"prefix": "มท ๐๘๑๐.๒"},
        "agency": {"name": "กรมส่งเสริมการปกครองท้องถิ่น"},
        "subject": format!("หนังสือเวียนของเสมียน {worker} ฉบับที่ {i}"),
        "recipient": "ผู้ว่าราชการจังหวัด ทุกจังหวัด",
        "body": ["ขอความร่วมมือจังหวัดแจ้งองค์กรปกครองส่วนท้องถิ่น"],
        "signer": {"name": "นายประยูร รัตนเสนีย์", "positions": ["อธิบดีกรมส่งเสริมการปกครองท้องถิ่น"]}
    });
    Letter::from_json(&v.to_string()).unwrap()
}

fn today() -> IssueOptions {
    IssueOptions::default()
}

/// A stand-in PDF naming the letter's number (the typesetter is not what is tested here).
fn stub(l: &Letter) -> saraban::Result<Vec<u8>> {
    Ok(format!("%PDF-1.7\n% {}\n", l.number_text()).into_bytes())
}

/// One clerk: issues `SARABAN_WORKER_N` letters into the server register and prints
/// `done <id> <running>` after each one the register reported issued.
#[test]
#[ignore = "run by the tests below as a separate process"]
fn worker() {
    let _failpoints = fail::FailScenario::setup();
    let url = std::env::var("SARABAN_WORKER_URL").unwrap();
    let n: usize = std::env::var("SARABAN_WORKER_N").unwrap().parse().unwrap();
    let me: usize = std::env::var("SARABAN_WORKER_ID").unwrap().parse().unwrap();
    let local = std::env::var("SARABAN_WORKER_LOCAL").unwrap();
    let mut reg = Register::open_at_in(
        &Location::Server(url),
        Access::Write,
        Some(Path::new(&local)),
    )
    .unwrap();
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    for i in 0..n {
        match reg.issue(&letter(me, i), &today(), stub) {
            Ok(issued) => {
                writeln!(out, "done {} {}", issued.id, issued.running).unwrap();
                out.flush().unwrap();
            }
            Err(e) => {
                eprintln!("worker {me}: {}", e.lines(saraban::Lang::En).join(" "));
                std::process::exit(3);
            }
        }
    }
}

/// This process's folder for anchors (the clerks share it, as clerks of one computer would).
fn local() -> &'static Path {
    static DIR: std::sync::OnceLock<std::path::PathBuf> = std::sync::OnceLock::new();
    DIR.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("saraban-numbering-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        dir
    })
}

/// The full name of [`worker`] in this test binary (its module path without the crate).
fn worker_test_name() -> String {
    let path = module_path!();
    match path.split_once("::") {
        Some((_, module)) => format!("{module}::worker"),
        None => "worker".to_string(),
    }
}

fn spawn_worker(url: &str, local: &Path, id: usize, n: usize, failpoints: Option<&str>) -> Child {
    let mut cmd = Command::new(std::env::current_exe().unwrap());
    cmd.args([
        "--exact",
        &worker_test_name(),
        "--ignored",
        "--nocapture",
        "--test-threads",
        "1",
    ])
    .env("SARABAN_WORKER_URL", url)
    .env("SARABAN_WORKER_N", n.to_string())
    .env("SARABAN_WORKER_ID", id.to_string())
    .env("SARABAN_WORKER_LOCAL", local)
    .stdout(Stdio::piped())
    .stderr(Stdio::inherit());
    if let Some(f) = failpoints {
        cmd.env("FAILPOINTS", f);
    }
    cmd.spawn().unwrap()
}

/// Runs eight clerks; `middle` is called once a quarter of the issues are done. Returns
/// every (id, running) a clerk reported done.
fn run_clerks(url: &str, local: &Path, middle: impl FnOnce()) -> Vec<(i64, i64)> {
    let done = Arc::new(AtomicUsize::new(0));
    let mut readers = Vec::new();
    let mut children = Vec::new();
    for w in 0..WORKERS {
        let mut child = spawn_worker(url, local, w, EACH, None);
        let stdout = child.stdout.take().unwrap();
        let done = done.clone();
        readers.push(std::thread::spawn(move || {
            let mut seen = Vec::new();
            for line in BufReader::new(stdout).lines() {
                let line = line.unwrap();
                // libtest's own "test worker ... " may start the first line.
                if let Some(rest) = line.find("done ").map(|i| &line[i + 5..]) {
                    let mut p = rest.split(' ').map(|x| x.parse::<i64>().unwrap());
                    seen.push((p.next().unwrap(), p.next().unwrap()));
                    done.fetch_add(1, Ordering::SeqCst);
                }
            }
            seen
        }));
        children.push(child);
    }
    let start = Instant::now();
    while done.load(Ordering::SeqCst) < WORKERS * EACH / 4 {
        assert!(
            start.elapsed() < Duration::from_secs(300),
            "the clerks stalled"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    middle();
    for mut c in children {
        let status = c.wait().unwrap();
        assert!(status.success(), "a clerk failed: {status}");
    }
    readers
        .into_iter()
        .flat_map(|r| r.join().unwrap())
        .collect()
}

fn check_register(url: &str, reported: &[(i64, i64)]) {
    let total = WORKERS * EACH;
    assert_eq!(reported.len(), total, "every issue was reported once");
    let reg =
        Register::open_at_in(&Location::Server(url.into()), Access::Read, Some(local())).unwrap();
    let entries = reg.entries(None).unwrap();
    let mut running: Vec<i64> = entries.iter().map(|e| e.running).collect();
    running.sort_unstable();
    assert_eq!(
        running,
        (1..=total as i64).collect::<Vec<_>>(),
        "exactly 1..{total}"
    );
    let by_id: HashMap<i64, i64> = entries.iter().map(|e| (e.id, e.running)).collect();
    let mut ids = std::collections::HashSet::new();
    for (id, r) in reported {
        assert!(ids.insert(*id), "entry {id} reported twice");
        assert_eq!(
            by_id.get(id),
            Some(r),
            "reported entry {id} ({r}) is in the register"
        );
    }
    let report = reg.verify_audit().unwrap();
    assert!(
        report.intact(),
        "{:?}",
        &report.problems[..report.problems.len().min(3)]
    );
    assert_eq!(report.entries as usize, total);
}

#[test]
fn eight_clerks_get_exactly_one_to_four_thousand() {
    let cluster = pg::Cluster::start();
    let local = local();
    let url = cluster.url("office");
    drop(
        Register::open_at_in(&Location::Server(url.clone()), Access::Create, Some(local)).unwrap(),
    );
    let t = Instant::now();
    let reported = run_clerks(&url, local, || {});
    eprintln!("8 × {EACH} issues in {:.1} s", t.elapsed().as_secs_f64());
    check_register(&url, &reported);
}

#[test]
fn a_server_restart_in_the_middle_loses_and_doubles_nothing() {
    let cluster = pg::Cluster::start();
    let local = local();
    let url = cluster.url("office");
    drop(
        Register::open_at_in(&Location::Server(url.clone()), Access::Create, Some(local)).unwrap(),
    );
    let reported = run_clerks(&url, local, || {
        cluster.restart();
        eprintln!("server restarted");
    });
    check_register(&url, &reported);
}

#[test]
fn a_clerk_killed_inside_the_transaction_burns_no_number() {
    let cluster = pg::Cluster::start();
    let local = local();
    let url = cluster.url("office");
    let mut reg =
        Register::open_at_in(&Location::Server(url.clone()), Access::Create, Some(local)).unwrap();
    for i in 0..10 {
        reg.issue(&letter(0, i), &today(), stub).unwrap();
    }
    // A clerk that stops inside its issuing transaction (number taken, letter and audit
    // entry written, not committed) and is killed there.
    let mut victim = spawn_worker(&url, local, 9, 1, Some("pg-before-commit=sleep(60000)"));
    let waiting = "SELECT count(*) FROM pg_stat_activity WHERE state = 'idle in transaction' AND application_name = 'saraban'";
    let start = Instant::now();
    while cluster.psql("office", waiting) != "1" {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "the clerk never got inside"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    // Meanwhile another clerk waits on the series' counter row.
    let url2 = url.clone();
    let other = std::thread::spawn(move || {
        let mut r =
            Register::open_at_in(&Location::Server(url2), Access::Write, Some(local)).unwrap();
        r.issue(&letter(1, 0), &today(), stub).unwrap()
    });
    std::thread::sleep(Duration::from_millis(300));
    assert!(
        !other.is_finished(),
        "the counter row is held by the killed clerk's transaction"
    );
    victim.kill().unwrap();
    victim.wait().unwrap();
    let next = other.join().unwrap();
    assert_eq!(
        next.running, 11,
        "the killed clerk's number 11 was given back, not burned"
    );
    let entries = reg.entries(None).unwrap();
    let running: Vec<i64> = entries.iter().map(|e| e.running).collect();
    assert_eq!(running, (1..=11).collect::<Vec<_>>());
    let report = reg.verify_audit().unwrap();
    assert!(report.intact(), "{report:?}");
    assert_eq!(report.entries, 11);
}

/// A clerk who starts to issue while another is still typesetting typesets with the
/// number after the other's: the queue told it one clerk is ahead. Each letter is
/// typeset once, outside the counter's lock, and gets the number it was typeset with.
#[test]
fn a_clerk_behind_another_typesets_once_with_the_number_after() {
    let cluster = pg::Cluster::start();
    let url = cluster.url("queue");
    let local = local();
    let mut reg =
        Register::open_at_in(&Location::Server(url.clone()), Access::Create, Some(local)).unwrap();
    for i in 0..3 {
        reg.issue(&letter(0, i), &today(), stub).unwrap();
    }
    // The first clerk typesets, and waits there until told to go on.
    let (typeset_tx, typeset_rx) = std::sync::mpsc::channel::<i64>();
    let (go_tx, go_rx) = std::sync::mpsc::channel::<()>();
    let url1 = url.clone();
    let first = std::thread::spawn(move || {
        let mut r =
            Register::open_at_in(&Location::Server(url1), Access::Write, Some(local)).unwrap();
        let mut typeset = Vec::new();
        let issued = r
            .issue(&letter(1, 0), &today(), |l: &Letter| {
                let n = l.number.as_ref().unwrap().running.unwrap().get();
                typeset.push(n);
                if typeset.len() == 1 {
                    typeset_tx.send(n).unwrap();
                    go_rx.recv().unwrap();
                }
                stub(l)
            })
            .unwrap();
        (issued.running, typeset)
    });
    assert_eq!(
        typeset_rx.recv().unwrap(),
        4,
        "the first clerk typesets with 4"
    );
    // The second clerk comes while the first is still typesetting.
    let mut second =
        Register::open_at_in(&Location::Server(url), Access::Write, Some(local)).unwrap();
    let mut typeset = Vec::new();
    let mut go = Some(go_tx);
    let issued = second
        .issue(&letter(2, 0), &today(), |l: &Letter| {
            typeset.push(l.number.as_ref().unwrap().running.unwrap().get());
            // Once typeset, the first clerk may go on; this one, already done, waits for
            // the first clerk's turn instead of taking the counter first.
            if let Some(go) = go.take() {
                go.send(()).unwrap();
            }
            stub(l)
        })
        .unwrap();
    let (first_running, first_typeset) = first.join().unwrap();
    assert_eq!((first_running, first_typeset), (4, vec![4]));
    assert_eq!(
        typeset,
        vec![5],
        "typeset once, with the number after the first clerk's"
    );
    assert_eq!(issued.running, 5);
}
