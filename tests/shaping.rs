//! Shaping and line breaking, checked against the reference tools.

use crate::common;

use saraban::thai::breaks::BreakStrength;

use std::process::Command;

use saraban::typeset::shape::shape;
use saraban::typeset::{to_mm, FontSet};

const WORDS: &[&str] = &[
    "ที่",
    "ปี่",
    "ป้",
    "ฐุ",
    "ญู",
    "กำ",
    "ก้ำ",
    "น้ำ",
    "ปั๊ม",
    "สิ่งที่ส่งมาด้วย",
    "ผู้ว่าราชการจังหวัด ทุกจังหวัด",
    "ประจำปี ๒๕๖๔ (Local Authorities) ซึ่ง",
];

/// Parses hb-shape's `[gid=cluster@dx,dy+adv|…]`.
fn parse_hb(out: &str) -> Vec<(u16, u32, i32, i32, i32)> {
    out.trim()
        .trim_start_matches('[')
        .trim_end_matches(']')
        .split('|')
        .map(|g| {
            let (gid, rest) = g.split_once('=').unwrap();
            let cluster = rest.split_once(['@', '+']).map(|(c, _)| c).unwrap();
            let (dx, dy) = match g.split_once('@') {
                Some((_, r)) => {
                    let off = r.split('+').next().unwrap();
                    let (x, y) = off.split_once(',').unwrap();
                    (x.parse().unwrap(), y.parse().unwrap())
                }
                None => (0, 0),
            };
            let adv = g.rsplit_once('+').unwrap().1.parse().unwrap();
            (gid.parse().unwrap(), cluster.parse().unwrap(), dx, dy, adv)
        })
        .collect()
}

#[test]
fn glyphs_equal_hb_shape() {
    let fonts = FontSet::bundled().expect("bundled font");
    let face = &fonts.regular;
    for word in WORDS {
        let out = Command::new("hb-shape")
            .args([
                "--no-glyph-names",
                "--utf8-clusters",
                "--cluster-level=1",
                "--script=thai",
                "--language=th",
                "--features=-kern",
            ])
            .arg(&face.path)
            .arg(word)
            .output()
            .expect("hb-shape (Debian libharfbuzz-bin, installed by make setup)");
        let want = parse_hb(&String::from_utf8(out.stdout).unwrap());
        let got: Vec<(u16, u32, i32, i32, i32)> = shape(face, word)
            .iter()
            .map(|g| (g.gid, g.cluster, g.x_offset, g.y_offset, g.advance))
            .collect();
        if word.contains("Local") {
            // hb-shape shapes the whole string as Thai; we itemize Latin into its own run.
            // Glyphs and advances must still agree.
            let a: Vec<_> = want.iter().map(|g| (g.0, g.4)).collect();
            let b: Vec<_> = got.iter().map(|g| (g.0, g.4)).collect();
            assert_eq!(a, b, "{word}");
        } else {
            assert_eq!(got, want, "{word}");
        }
    }
}

#[test]
fn no_line_breaks_inside_words_on_the_examples() {
    let office = common::office_with_emblem();
    let breaker = saraban::thai::LineBreaker::new();
    for name in common::EXAMPLES {
        let l = common::letter(name);
        let doc = office.typeset(&l).unwrap();
        for block in &l.body {
            let text = saraban::thai::localize(block.text(), l.digits).into_owned();
            // The reference: breaks the dictionary gives (minus those inside protected
            // words) that the LSTM model also gives or that are strong (newmm with the word
            // list ends a word there too: never inside a word on the labelled break set).
            let checked = breaker.opportunities_checked(&text);
            let dict = breaker.opportunities(&text);
            let strengths = breaker.strengths(&text, &dict);
            let good: Vec<usize> = dict
                .iter()
                .zip(&strengths)
                .filter(|(b, s)| checked.contains(b) || **s == BreakStrength::Strong)
                .map(|(b, _)| *b)
                .collect();
            // Rebuild where the lines of this paragraph broke from the frames: its first
            // line is a prefix of the text, the following runs continue it.
            let runs: Vec<String> = doc
                .pages
                .iter()
                .flat_map(|p| p.texts())
                .map(|(_, t)| t.text.clone())
                .collect();
            let Some(k) = runs
                .iter()
                .position(|r| r.chars().count() > 8 && text.starts_with(r.as_str()))
            else {
                panic!("{name}: paragraph not found")
            };
            let mut at = 0;
            for line in &runs[k..] {
                if !text[at..].starts_with(line.as_str()) {
                    continue; // a page decoration between two lines
                }
                let end = at + line.len();
                if end >= text.len() {
                    at = end;
                    break;
                }
                let prev = text[..end].chars().next_back().unwrap();
                assert!(
                    prev.is_whitespace() || good.contains(&end),
                    "{name}: line break inside a word: …{}|{}…",
                    text[..end]
                        .chars()
                        .rev()
                        .take(12)
                        .collect::<Vec<_>>()
                        .into_iter()
                        .rev()
                        .collect::<String>(),
                    text[end..].chars().take(12).collect::<String>()
                );
                for w in saraban::thai::breaks::PROTECTED_WORDS {
                    for (s, m) in text.match_indices(w) {
                        assert!(!(end > s && end < s + m.len()), "{name}: {w} split");
                    }
                }
                at = end;
            }
            assert!(at > 0, "{name}: no line of the paragraph matched");
        }
        // LibreOffice breaks these; we must not.
        for page in &doc.pages {
            for (_, t) in page.texts() {
                assert!(
                    !t.text.ends_with("ความร่วม") && !t.text.ends_with("ปฏิบัติ"),
                    "{name}: {}",
                    t.text
                );
            }
        }
        let _ = to_mm(0.0);
    }
}
