//! The register at scale: a synthetic register of SARABAN_BENCH_LETTERS letters (`make
//! bench` sets 1,000,000; 2,000 otherwise, e.g. when `cargo test --all-targets` runs this
//! once as a smoke test) with Thai subjects and bodies from the example letters' words.
//! Measures the bulk load, Thai substring search (median by criterion, p95 printed), issue
//! (number + render + store, durable) and draft save, and prints the size per letter.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, Criterion};
use saraban::register::{IssueOptions, Register, SearchQuery};
use saraban::Office;

#[path = "support/synthetic.rs"]
mod synthetic;
use synthetic::{fixtures, queries, synthetic, vocabulary, Rng};

fn db_path(n: usize) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("target/bench-register-{n}.sqlite"))
}

fn bench(c: &mut Criterion) {
    // Small unless asked: `cargo test --all-targets` runs this too.
    let n: usize = std::env::var("SARABAN_BENCH_LETTERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2_000);
    let path = db_path(n);
    let letters = fixtures();
    let words = vocabulary(&letters);
    // A small stand-in PDF per synthetic letter (a real one is 30–60 KB; see the note).
    let stub_pdf = b"%PDF-1.7\n% synthetic register entry\n".to_vec();
    let fresh = !path.exists();
    if !fresh {
        // Kept from an earlier run: brought up to this build's schema first.
        drop(Register::open_with(&path, saraban::register::Access::Write).unwrap());
    }
    if fresh {
        let mut reg = Register::create(&path).unwrap();
        let mut rng = Rng(0x2545_F491_4F6C_DD1D);
        let t = Instant::now();
        let batch = 50_000;
        let mut done = 0;
        // Letters per year run 1.. in each series; 360 days a year, ~n/10 a year.
        let per_day = (n / 3600).max(1);
        while done < n {
            let count = batch.min(n - done);
            let items = (done..done + count).map(|i| {
                let day = (i / per_day) as u32;
                let year_index = day / 360;
                let running = (i - (year_index as usize * 360 * per_day)) as u32 + 1;
                let base = &letters[i % letters.len()];
                (
                    synthetic(base, &words, &mut rng, running, day),
                    stub_pdf.clone(),
                )
            });
            let items: Vec<_> = items.collect();
            reg.import(items).unwrap();
            done += count;
        }
        let secs = t.elapsed().as_secs_f64();
        let size = std::fs::metadata(&path).unwrap().len()
            + std::fs::metadata(path.with_extension("sqlite-wal"))
                .map(|m| m.len())
                .unwrap_or(0);
        println!("bulk load: {n} letters in {secs:.1} s ({:.0} letters/s); database {:.1} MB, {:.0} bytes per letter",
            n as f64 / secs, size as f64 / 1e6, size as f64 / n as f64);
    } else {
        let size = std::fs::metadata(&path).unwrap().len();
        println!(
            "reusing {} ({:.1} MB, {:.0} bytes per letter)",
            path.display(),
            size as f64 / 1e6,
            size as f64 / n as f64
        );
    }

    let mut reg = Register::open(&path).unwrap();
    // Queries: Thai substrings from the middle of words, numbers in either digit form.
    let queries = queries(&words);
    let mut times: Vec<Duration> = queries
        .iter()
        .map(|q| {
            let t = Instant::now();
            let hits = reg
                .search(&SearchQuery {
                    text: Some(q.clone()),
                    limit: Some(50),
                    ..Default::default()
                })
                .unwrap();
            std::hint::black_box(hits);
            t.elapsed()
        })
        .collect();
    times.sort();
    let p = |q: f64| times[((times.len() as f64 - 1.0) * q) as usize];
    println!(
        "search, first 50 hits, {} queries: median {:?}, p95 {:?}, max {:?}",
        times.len(),
        p(0.5),
        p(0.95),
        p(1.0)
    );

    let mut qi = 0;
    c.bench_function("search first 50 hits", |b| {
        b.iter(|| {
            qi = (qi + 1) % queries.len();
            reg.search(&SearchQuery {
                text: Some(queries[qi].clone()),
                limit: Some(50),
                ..Default::default()
            })
            .unwrap()
        })
    });

    let office = Office::new(&Default::default()).unwrap();
    let mut letter = letters[0].clone();
    letter.number.as_mut().unwrap().prefix = Some("มท ๐๘๙๙.๙".into());
    let opts = IssueOptions {
        date: Some(chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()),
        any_date: true,
        ..Default::default()
    };
    c.bench_function("issue (number + render + store, durable)", |b| {
        b.iter(|| reg.issue(&letter, &opts, |l| office.render(l)).unwrap())
    });
    let draft = reg.save_draft(None, &letters[1]).unwrap();
    c.bench_function("draft save", |b| {
        b.iter(|| reg.save_draft(Some(draft), &letters[1]).unwrap())
    });
}

/// The register book of one busy year: SARABAN_BOOK_LETTERS letters of 2569 (`make bench`
/// sets 50,000; 2,000 otherwise), printed page by page to nowhere.
fn book(c: &mut Criterion) {
    let n: usize = std::env::var("SARABAN_BOOK_LETTERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2_000);
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("target/bench-book-{n}.sqlite"));
    if path.exists() {
        drop(Register::open_with(&path, saraban::register::Access::Write).unwrap());
    }
    if !path.exists() {
        let letters = fixtures();
        let words = vocabulary(&letters);
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        let mut reg = Register::create(&path).unwrap();
        let per_day = n / 360 + 1;
        let items: Vec<_> = (0..n)
            .map(|i| {
                let mut l = synthetic(
                    &letters[i % letters.len()],
                    &words,
                    &mut rng,
                    i as u32 + 1,
                    (i / per_day) as u32,
                );
                let date = l.date.as_mut().unwrap();
                date.year = 2026;
                (l, b"%PDF-1.7\n% synthetic register entry\n".to_vec())
            })
            .collect();
        reg.import(items).unwrap();
    }
    let office =
        Office::with_register(&Default::default(), Register::open(&path).unwrap()).unwrap();
    let mut pages = 0;
    let t = Instant::now();
    office
        .book_stream(2569, std::io::sink(), &mut |p| pages = p.pages)
        .unwrap();
    println!(
        "register book of {n} letters: {pages} pages in {:?}",
        t.elapsed()
    );
    let mut g = c.benchmark_group("register book");
    g.sample_size(10);
    g.bench_function(format!("{n} letters, page by page"), |b| {
        b.iter(|| {
            office
                .book_stream(2569, std::io::sink(), &mut |_| {})
                .unwrap()
        })
    });
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(50).measurement_time(Duration::from_secs(5));
    targets = bench, book
}
criterion_main!(benches);
