//! A busy year in a register: adds N letters dated through one year (up to today) to a
//! register, as imported history, for the end-to-end test of the app while a register book
//! of that year prints, and to try the app on an office's worth of letters.
//!
//! `cargo run --example busy_year -- REGISTER N [YEAR]` (YEAR in the Christian era; this
//! year when left out). The letters are made of the example letters' words, numbered
//! 1…N in a series of their own (มท ๐๘๙๙.๙/ว), so they never collide with real ones.
//!
//! Without arguments (as `cargo test` runs it) it checks itself: a year of 300 letters in
//! a new register, all found there, the audit trail intact.

#[path = "../benches/support/synthetic.rs"]
mod synthetic;

use std::path::PathBuf;

use chrono::{Datelike, NaiveDate};
use saraban::letter::LetterDate;
use saraban::register::Register;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.is_empty() {
        return check_itself();
    }
    let (Some(path), Some(n)) = (
        args.first(),
        args.get(1).and_then(|n| n.parse::<u32>().ok()),
    ) else {
        eprintln!("usage: busy_year REGISTER N [YEAR]");
        std::process::exit(2);
    };
    let year = args.get(2).and_then(|y| y.parse().ok());
    match busy_year(&PathBuf::from(path), n, year) {
        Ok((k, year)) => println!("{k} letters of {year} added to {path}"),
        Err(e) => {
            eprintln!("{}", e.lines(saraban::Lang::En).join(" "));
            std::process::exit(1);
        }
    }
}

/// `cargo test`: a small busy year, every letter in the register, the chain intact.
fn check_itself() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join("busy.sqlite");
    let (k, _) = busy_year(&path, 300, Some(2025)).expect("a busy year");
    assert_eq!(k, 300);
    let reg = Register::open(&path).expect("the register");
    let q = saraban::register::SearchQuery {
        year_be: Some(2568),
        ..Default::default()
    };
    assert_eq!(reg.search_count(&q).expect("a count"), 300);
    let audit = reg.verify_audit().expect("the audit");
    assert!(
        audit.problems.is_empty() && audit.first_broken.is_none(),
        "{audit:?}"
    );
    println!("busy_year: 300 letters of 2025 made and found, the audit trail intact");
}

/// Adds `n` letters of `year` (this year when `None`) to the register at `path`.
fn busy_year(path: &std::path::Path, n: u32, year: Option<i32>) -> saraban::Result<(usize, i32)> {
    let today = chrono::Local::now().date_naive();
    let year = year.unwrap_or(today.year());
    let first = NaiveDate::from_ymd_opt(year, 1, 1).expect("a year");
    let last = NaiveDate::from_ymd_opt(year, 12, 31)
        .expect("a year")
        .min(today);
    let days = (last - first).num_days().max(0) as u32 + 1;

    let letters = synthetic::fixtures();
    let words = synthetic::vocabulary(&letters);
    let mut rng = synthetic::Rng(0x9E37_79B9_7F4A_7C15);
    let items: Vec<_> = (0..n)
        .map(|i| {
            let mut l = synthetic::synthetic(
                &letters[i as usize % letters.len()],
                &words,
                &mut rng,
                i + 1,
                0,
            );
            let day = first + chrono::Days::new(u64::from(i * days / n.max(1)));
            l.date = Some(LetterDate {
                year: day.year(),
                month: day.month(),
                day: Some(day.day()),
            });
            let number = l.number.get_or_insert_with(Default::default);
            number.prefix = Some("มท ๐๘๙๙.๙".into());
            l.circular = true;
            (
                l,
                b"%PDF-1.7\n% a letter of a busy year (synthetic)\n".to_vec(),
            )
        })
        .collect();
    let mut reg = Register::create(path)?;
    Ok((reg.import(items)?, year))
}
