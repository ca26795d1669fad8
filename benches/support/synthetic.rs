//! Synthetic registers for the benches: letters made of the example letters' words, and
//! the Thai substring queries searched in them.

#![allow(dead_code)]

use std::path::Path;

use saraban::letter::{LetterDate, RunningNumber};
use saraban::Letter;

pub struct Rng(pub u64);
impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    pub fn pick<'a>(&mut self, v: &'a [String]) -> &'a str {
        &v[(self.next() % v.len() as u64) as usize]
    }
}

pub fn fixtures() -> Vec<Letter> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    [
        "jclair-specialists",
        "green-area-training",
        "p4g-invitation",
    ]
    .iter()
    .map(|n| {
        Letter::from_json(&std::fs::read_to_string(dir.join(format!("{n}.json"))).unwrap()).unwrap()
    })
    .collect()
}

/// The words of the example letters, as the line breaker finds them.
pub fn vocabulary(letters: &[Letter]) -> Vec<String> {
    let lb = saraban::thai::LineBreaker::new();
    let mut words = Vec::new();
    for l in letters {
        for b in &l.body {
            let t = b.text();
            let mut last = 0;
            for o in lb
                .opportunities(t)
                .into_iter()
                .chain(std::iter::once(t.len()))
            {
                let w = t[last..o].trim();
                if !w.is_empty() {
                    words.push(w.to_string());
                }
                last = o;
            }
        }
    }
    words
}

pub fn synthetic(base: &Letter, words: &[String], rng: &mut Rng, running: u32, day: u32) -> Letter {
    let mut l = base.clone();
    let n = 8 + (rng.next() % 8) as usize;
    l.subject = Some((0..n).map(|_| rng.pick(words)).collect::<Vec<_>>().join(""));
    let paras = 1 + (rng.next() % 2) as usize;
    l.body = (0..paras)
        .map(|_| {
            let m = 40 + (rng.next() % 60) as usize;
            saraban::letter::BodyBlock::Text(
                (0..m).map(|_| rng.pick(words)).collect::<Vec<_>>().join(""),
            )
        })
        .chain(std::iter::once(saraban::letter::BodyBlock::Text(
            "จึงเรียนมาเพื่อโปรดพิจารณา".into(),
        )))
        .collect();
    let year = 2015 + (day / 360) as i32;
    let doy = day % 360;
    l.date = Some(LetterDate {
        year,
        month: 1 + doy / 30,
        day: Some(1 + doy % 28),
    });
    l.number.get_or_insert_with(Default::default).running = RunningNumber::new(i64::from(running));
    l
}

/// The queries: Thai substrings from the middle of words, numbers in either digit form.
pub fn queries(words: &[String]) -> Vec<String> {
    let mut rng = Rng(7);
    let mut queries: Vec<String> = Vec::new();
    for _ in 0..200 {
        let w = rng.pick(words);
        let chars: Vec<char> = w.chars().collect();
        if chars.len() >= 4 {
            let s = (rng.next() % (chars.len() as u64 - 3)) as usize;
            queries.push(
                chars[s..chars.len().min(s + 4 + (rng.next() % 3) as usize)]
                    .iter()
                    .collect(),
            );
        } else {
            queries.push(format!("{w}{}", rng.pick(words)));
        }
    }
    queries.push("ร่วมมือ".into());
    queries.push("๒๕๖๔".into());
    queries.push("มท 0810.2/ว 1234".into());
    queries
}

/// The p-quantile of sorted durations.
pub fn quantile(sorted: &[std::time::Duration], q: f64) -> std::time::Duration {
    sorted[((sorted.len() as f64 - 1.0) * q).round() as usize]
}
