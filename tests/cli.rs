//! The `saraban` command line: exit codes, messages, atomic output (../shared/spec/cli.md).

use crate::common;

use std::path::Path;
use std::process::Command;

use common::{saraban, stderr};

fn write(dir: &Path, name: &str, text: &str) {
    std::fs::write(dir.join(name), text).unwrap();
}

/// Runs `render` on bad input and checks the exit code, the message and that no PDF appeared.
fn refuses(dir: &Path, letter: &str, extra: &[&str], code: i32, needle: &str) {
    let mut args = vec!["render", letter, "-o", "out.pdf"];
    args.extend_from_slice(extra);
    let o = saraban(&args, dir);
    assert_eq!(
        o.status.code(),
        Some(code),
        "{letter} {extra:?}: {}",
        stderr(&o)
    );
    assert!(
        stderr(&o).contains(needle),
        "{letter} {extra:?}: expected {needle:?} in {}",
        stderr(&o)
    );
    assert!(!stderr(&o).contains("panicked"), "{}", stderr(&o));
    assert!(!dir.join("out.pdf").exists(), "no half-written PDF");
    let leftovers: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left");
}

#[test]
fn renders_and_checks_the_examples() {
    let dir = tempfile::tempdir().unwrap();
    for name in common::EXAMPLES {
        let src = common::fixture(&format!("{name}.json"));
        std::fs::copy(&src, dir.path().join(format!("{name}.json"))).unwrap();
        let o = saraban(&["render", &format!("{name}.json")], dir.path());
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let pdf = std::fs::read(dir.path().join(format!("{name}.pdf"))).unwrap();
        assert!(pdf.starts_with(b"%PDF-"));
    }
    // -o - writes the PDF to standard output.
    let o = saraban(&["render", "p4g-invitation.json", "-o", "-"], dir.path());
    assert!(o.stdout.starts_with(b"%PDF-"));
}

#[test]
fn check_reports_what_clerks_miss_in_the_examples() {
    let dir = tempfile::tempdir().unwrap();
    let run = |name: &str| {
        let o = saraban(
            &[
                "check",
                common::fixture(&format!("{name}.json")).to_str().unwrap(),
                "--json",
                "--lang",
                "en",
            ],
            dir.path(),
        );
        let lines: Vec<serde_json::Value> = String::from_utf8(o.stdout.clone())
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        (o.status.code(), lines)
    };
    let (_, green) = run("green-area-training");
    assert!(
        green
            .iter()
            .any(|f| f["path"] == "number.prefix"
                && f["message"].as_str().unwrap().contains("๐๘20.3"))
    );
    let (code, p4g) = run("p4g-invitation");
    assert_eq!(code, Some(1), "the empty time range is an error");
    assert!(p4g.iter().any(|f| f["level"] == "error"
        && f["message"]
            .as_str()
            .unwrap()
            .contains("ends when it starts")));
    let (_, jclair) = run("jclair-specialists");
    assert!(jclair
        .iter()
        .any(|f| f["path"] == "subject" && f["suggestion"].as_str().unwrap().ends_with("๒๕๖๔")));
    for f in jclair.iter().chain(&green).chain(&p4g) {
        assert!(["error", "warning", "info"].contains(&f["level"].as_str().unwrap()));
    }
}

#[test]
fn bad_input_gets_a_clear_message_and_exit_1() {
    let d = tempfile::tempdir().unwrap();
    let dir = d.path();
    write(
        dir,
        "syntax.json",
        "{\"kind\": \"external\",\n \"body\": [\"x\",]}",
    );
    refuses(dir, "syntax.json", &[], 1, "line 2");
    write(
        dir,
        "type.json",
        r#"{"kind":"external","body":"not a list"}"#,
    );
    refuses(dir, "type.json", &[], 1, "body");
    write(
        dir,
        "unknown.json",
        r#"{"kind":"external","body":["x"],"subjct":"x"}"#,
    );
    refuses(dir, "unknown.json", &[], 1, "unknown field `subjct`");
    let long = "ก".repeat(100_000);
    write(
        dir,
        "long.json",
        &format!(r#"{{"kind":"external","subject":"{long}","body":["x"]}}"#),
    );
    refuses(
        dir,
        "long.json",
        &[],
        1,
        "subject: the text is 100000 characters long",
    );
    write(
        dir,
        "control.json",
        r#"{"kind":"external","body":["a\u0000b"]}"#,
    );
    refuses(
        dir,
        "control.json",
        &[],
        1,
        "body[0]: contains the control character U+0000",
    );
    write(
        dir,
        "date.json",
        r#"{"kind":"external","body":["x"],"date":"2021-02-30"}"#,
    );
    refuses(dir, "date.json", &[], 1, "date");
    std::fs::write(
        dir.join("latin1.json"),
        b"{\"kind\":\"external\",\"body\":[\"\xe0\"]}",
    )
    .unwrap();
    refuses(dir, "latin1.json", &[], 1, "UTF-8");
    refuses(dir, "missing.json", &[], 1, "missing.json");
    // Thai messages by default in a Thai locale, and with --lang th.
    let o = crate::common::cli()
        .args(["render", "unknown.json", "--lang", "th"])
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(stderr(&o).contains("ไม่รู้จักช่อง"), "{}", stderr(&o));
}

#[test]
fn environment_problems_exit_3() {
    let d = tempfile::tempdir().unwrap();
    let dir = d.path();
    std::fs::copy(
        common::fixture("jclair-specialists.json"),
        dir.join("l.json"),
    )
    .unwrap();
    refuses(
        dir,
        "l.json",
        &["--font", "/nonexistent/font.ttf"],
        3,
        "file not found",
    );
    write(dir, "bad.ttf", "this is not a font");
    refuses(
        dir,
        "l.json",
        &["--font", "bad.ttf"],
        3,
        "not a usable TrueType/OpenType font",
    );
    refuses(
        dir,
        "l.json",
        &["--emblem", "nope.svg"],
        3,
        "emblem file nope.svg: file not found",
    );
    write(dir, "bad.png", "\u{89}PNG broken");
    refuses(dir, "l.json", &["--emblem", "bad.png"], 3, "emblem file");
    write(
        dir,
        "empty.svg",
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"></svg>"#,
    );
    refuses(
        dir,
        "l.json",
        &["--emblem", "empty.svg"],
        3,
        "draws nothing",
    );
    let o = saraban(&["render", "l.json", "-o", "no/such/dir/out.pdf"], dir);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
}

#[test]
fn wrong_usage_exits_2() {
    let d = tempfile::tempdir().unwrap();
    assert_eq!(saraban(&["render"], d.path()).status.code(), Some(2));
    assert_eq!(
        saraban(&["render", "x.json", "--bogus"], d.path())
            .status
            .code(),
        Some(2)
    );
    assert_eq!(saraban(&["frobnicate"], d.path()).status.code(), Some(2));
}

#[test]
fn a_png_emblem_is_placed_too() {
    let d = tempfile::tempdir().unwrap();
    let dir = d.path();
    std::fs::copy(
        common::fixture("jclair-specialists.json"),
        dir.join("l.json"),
    )
    .unwrap();
    // A 40 × 48 black PNG drawn here.
    let img = image::RgbaImage::from_pixel(40, 48, image::Rgba([0, 0, 0, 255]));
    img.save(dir.join("g.png")).unwrap();
    let o = saraban(&["render", "l.json", "--emblem", "g.png"], dir);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let list = Command::new("pdfimages")
        .arg("-list")
        .arg(dir.join("l.pdf"))
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&list.stdout);
    assert!(
        text.lines()
            .any(|l| l.contains(" 40 ") && l.contains(" 48 ")),
        "{text}"
    );
}

#[test]
fn the_office_profile_is_kept_in_the_register_and_used_when_issuing() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(
        d,
        "profile.json",
        r#"{"agency": "กรมส่งเสริมการปกครองท้องถิ่น", "units": [{"name": "กองพัฒนา", "prefix": "มท ๐๘๑๐.๒"}]}"#,
    );
    write(
        d,
        "emblem.svg",
        std::str::from_utf8(&common::stand_in_emblem_svg()).unwrap(),
    );
    // Only init creates a register; any other command refuses a missing one.
    let o = saraban(&["--db", "r.sqlite", "profile", "set", "profile.json"], d);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(!d.join("r.sqlite").exists());
    assert!(saraban(&["--db", "r.sqlite", "init"], d).status.success());
    let o = saraban(&["--db", "r.sqlite", "profile", "set", "profile.json"], d);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = saraban(&["--db", "r.sqlite", "profile", "emblem", "emblem.svg"], d);
    assert!(o.status.success(), "{}", stderr(&o));
    let shown: serde_json::Value =
        serde_json::from_slice(&saraban(&["--db", "r.sqlite", "profile", "show"], d).stdout)
            .unwrap();
    assert_eq!(shown["configured"], true);
    assert_eq!(shown["emblem"], "emblem.svg");
    assert_eq!(shown["profile"]["units"][0]["prefix"], "มท ๐๘๑๐.๒");
    // A profile without an agency is refused, by field, and the stored one stays.
    write(d, "bad.json", r#"{"agency": " "}"#);
    let o = saraban(&["--db", "r.sqlite", "profile", "set", "bad.json"], d);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("agency"), "{}", stderr(&o));
    // Issuing draws the stored emblem: the PDF holds the emblem's form.
    let letter = common::fixture("jclair-specialists.json");
    let o = saraban(
        &[
            "--db",
            "r.sqlite",
            "issue",
            letter.to_str().unwrap(),
            "-o",
            "issued.pdf",
        ],
        d,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let plain = saraban(&["render", letter.to_str().unwrap(), "-o", "plain.pdf"], d);
    assert!(plain.status.success());
    // Ink in the emblem's place, top centre (95–115 mm across, 12–45 mm down), as a
    // 25 dpi greyscale picture of page 1.
    let has_form = |n: &str| {
        let px = |mm: f64| ((mm / 25.4) * 25.0).round() as i64;
        let out = std::process::Command::new("pdftoppm")
            .args(["-r", "25", "-gray", "-f", "1", "-l", "1"])
            .args(["-x", &px(95.0).to_string(), "-y", &px(12.0).to_string()])
            .args(["-W", &px(20.0).to_string(), "-H", &px(33.0).to_string()])
            .arg(d.join(n))
            .output()
            .expect("pdftoppm");
        // A binary PGM: three header lines, then one byte per pixel.
        let data = out.stdout;
        let mut lines = 0;
        let start = data
            .iter()
            .position(|&b| {
                lines += (b == b'\n') as usize;
                lines == 3
            })
            .unwrap()
            + 1;
        data[start..].iter().filter(|&&v| v < 128).count() > 20
    };
    assert!(has_form("issued.pdf"), "the stored emblem is drawn");
    assert!(
        !has_form("plain.pdf"),
        "render without a register has no emblem"
    );
}

/// `saraban issue` prints the number and then, before it ends, moves the letters waiting
/// outside the search index into it once enough wait (the app does it in the background).
#[test]
fn issuing_from_the_command_line_moves_the_waiting_letters_into_the_index_after() {
    use saraban::register::{Register, UNINDEXED_SETTLE};
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let letter = common::letter("jclair-specialists");
    let waiting = || -> i64 {
        Register::open_with(&d.join("r.sqlite"), saraban::register::Access::Read)
            .unwrap()
            .connection()
            .query_row("SELECT count(*) FROM letters_unindexed", [], |r| r.get(0))
            .unwrap()
    };
    {
        let mut reg = Register::create(&d.join("r.sqlite")).unwrap();
        let opts = saraban::service::IssueOptions {
            date: Some(chrono::NaiveDate::from_ymd_opt(2026, 3, 2).unwrap()),
            any_date: true,
            ..Default::default()
        };
        for _ in 1..UNINDEXED_SETTLE {
            reg.issue(&letter, &opts, |_| Ok(b"%PDF-1.7\n".to_vec()))
                .unwrap();
        }
    }
    assert_eq!(waiting(), UNINDEXED_SETTLE - 1);
    let json = common::fixture("jclair-specialists.json");
    let o = saraban(&["--db", "r.sqlite", "issue", json.to_str().unwrap()], d);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!o.stdout.is_empty());
    assert_eq!(waiting(), 0);
}
