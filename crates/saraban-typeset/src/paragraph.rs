//! Paragraphs: shape once, choose line ends at word ends, justify Thai-distributed.
//!
//! A justified paragraph's breaks are chosen for the whole paragraph at once (`total_fit`,
//! after Knuth and Plass): each line costs more the more it must be spread, and a break
//! costs extra inside a unit (a date, a time range, a number with its unit), next to a
//! one- or two-letter word (mostly half of a compound), or between words with no space.
//! Ragged text (left, centred, right) and paragraphs with no fitting break are filled
//! greedily, with emergency breaks for a word longer than the line.
//!
//! Thai justification ("กระจายแบบไทย" in Word) spreads a line's spare width over every
//! grapheme boundary of Thai text, with a gap after a space counting three times, and never
//! letter-spaces Latin words; the last line of a paragraph stays ragged. Stretching only the
//! spaces, as Latin typesetting does, makes gaps that Thai readers take for phrase ends.

use super::font::{FontFace, FontStyle};
use super::frame::{Color, Glyph, TextRun};
use super::shape::{shape, ShapedGlyph};
use saraban_thai::breaks::BreakStrength;
use saraban_thai::{is_thai, is_thai_combining, LineBreaker};

/// How the lines of a paragraph sit between its edges.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Align {
    /// Flush left.
    Left,
    /// Centred.
    Center,
    /// Flush right.
    Right,
    /// Thai distributed to both edges, last line flush left.
    Justify,
}

/// What to set: the text and the column it is set in.
#[derive(Debug, Clone, Copy)]
pub struct ParagraphSpec<'a> {
    /// The text, digits already localized.
    pub text: &'a str,
    /// Regular or bold.
    pub style: FontStyle,
    /// Size in points (already scaled by the font's size factor).
    pub size: f32,
    /// Column width in points.
    pub width: f32,
    /// Indent of the first line, in points from the column's left edge.
    pub first_indent: f32,
    /// Indent of the other lines.
    pub rest_indent: f32,
    /// Alignment.
    pub align: Align,
    /// Ink colour.
    pub color: Color,
}

/// One set line: where it starts in its column, and its glyphs.
#[derive(Debug, Clone, PartialEq)]
pub struct SetLine {
    /// Offset of the line's start from the column's left edge, in points.
    pub x: f32,
    /// The glyphs and the text of the line.
    pub run: TextRun,
    /// Space added per justification unit (points): 0 for a line set at its natural width.
    pub spread: f32,
}

/// Tolerance for "fits", in points (float noise).
const EPS: f32 = 0.01;

/// Sets a paragraph into lines.
pub fn set_paragraph(
    face: &FontFace,
    breaker: &LineBreaker,
    spec: &ParagraphSpec<'_>,
) -> Vec<SetLine> {
    let text = spec.text;
    if text.is_empty() {
        return Vec::new();
    }
    let glyphs = shape(face, text);
    let scale = spec.size / face.units_per_em as f32;
    let mut pos = Vec::with_capacity(glyphs.len() + 1);
    let mut pen = 0.0f32;
    for g in &glyphs {
        pos.push(pen);
        pen += g.advance as f32 * scale;
    }
    pos.push(pen);
    let n = glyphs.len();
    // Glyph index of the first glyph whose cluster is at or after byte `b`.
    let glyph_at = |b: usize| glyphs.partition_point(|g| (g.cluster as usize) < b);
    // Width of glyphs [a, b) without trailing white space.
    let trimmed_end = |a: usize, mut b: usize| {
        while b > a && text[glyphs[b - 1].cluster as usize..].starts_with(char::is_whitespace) {
            b -= 1;
        }
        b
    };
    let width_of = |a: usize, b: usize| pos[trimmed_end(a, b)] - pos[a];

    // Break opportunities are only needed when the text does not fit on one line.
    let (opportunities, units) =
        if width_of(0, n) <= (spec.width - spec.first_indent).max(1.0) + EPS {
            (Vec::new(), Vec::new())
        } else {
            (breaker.opportunities(text), breaker.units(text))
        };
    // A break inside a date, a time range or a number with its unit is taken only when no
    // other break fits the line.
    let splits_unit = |b: usize| units.iter().any(|&(s, e)| b > s && b < e);
    // (byte start, byte end, glyph start, glyph end)
    let mut lines: Vec<(usize, usize, usize, usize)> = Vec::new();
    if spec.align == Align::Justify && !opportunities.is_empty() {
        let weights = gap_weights(text, &glyphs, 0);
        if let Some(fit) = total_fit(&TotalFit {
            text,
            breaker,
            spec,
            n,
            opportunities: &opportunities,
            glyph_at: &glyph_at,
            width_of: &width_of,
            trimmed_end: &trimmed_end,
            weights: &weights,
            splits_unit: &splits_unit,
        }) {
            lines = fit;
        }
    }
    // Greedy filling: for ragged paragraphs, and when no total fit exists.
    let greedy = lines.is_empty();
    let (mut sb, mut sg) = (0usize, 0usize);
    let mut oi = 0usize;
    while greedy && sg < n {
        let indent = if lines.is_empty() {
            spec.first_indent
        } else {
            spec.rest_indent
        };
        let avail = (spec.width - indent).max(1.0);
        if width_of(sg, n) <= avail + EPS {
            lines.push((sb, text.len(), sg, n));
            break;
        }
        while oi < opportunities.len() && opportunities[oi] <= sb {
            oi += 1;
        }
        // All opportunities on this line that fit, furthest last.
        let mut fitting = Vec::new();
        let mut k = oi;
        while k < opportunities.len() {
            let b = opportunities[k];
            let g = glyph_at(b);
            if width_of(sg, g) > avail + EPS {
                break;
            }
            if g > sg {
                fitting.push((b, g));
            }
            k += 1;
        }
        let chosen = fitting
            .iter()
            .rev()
            .find(|&&(b, _)| !splits_unit(b) && breaker.confirm(text, b))
            .or_else(|| fitting.iter().rev().find(|&&(b, _)| !splits_unit(b)))
            .or_else(|| {
                fitting
                    .iter()
                    .rev()
                    .find(|&&(b, _)| breaker.confirm(text, b))
            })
            .or(fitting.last())
            .copied();
        let (eb, eg) = match chosen {
            Some(c) => c,
            None => emergency_break(text, &glyphs, &pos, sg, avail),
        };
        lines.push((sb, eb, sg, eg));
        sb = eb;
        sg = eg;
    }

    let count = lines.len();
    lines
        .into_iter()
        .enumerate()
        .map(|(i, (b0, b1, g0, g1))| {
            let indent = if i == 0 {
                spec.first_indent
            } else {
                spec.rest_indent
            };
            let avail = (spec.width - indent).max(1.0);
            // A glyph that is unsafe to break at means the line must be shaped on its own.
            let reshaped;
            let (line_glyphs, offset): (&[ShapedGlyph], usize) =
                if (g0 < n && glyphs[g0].unsafe_to_break && g0 > 0)
                    || (g1 < n && glyphs[g1].unsafe_to_break)
                {
                    reshaped = shape(face, &text[b0..b1]);
                    (&reshaped, b0)
                } else {
                    (&glyphs[g0..g1], 0)
                };
            let justify = spec.align == Align::Justify && i + 1 < count;
            let (run, spread) = place_line(
                face,
                text,
                b0,
                b1,
                line_glyphs,
                offset,
                scale,
                avail,
                justify,
                spec,
            );
            let x = indent
                + match spec.align {
                    Align::Left | Align::Justify => 0.0,
                    Align::Center => ((avail - run.width) / 2.0).max(0.0),
                    Align::Right => (avail - run.width).max(0.0),
                };
            SetLine { x, run, spread }
        })
        .collect()
}

/// When no word end fits (a long URL or word), break at the last grapheme that fits, and
/// always after at least one grapheme so that setting makes progress.
fn emergency_break(
    text: &str,
    glyphs: &[ShapedGlyph],
    pos: &[f32],
    sg: usize,
    avail: f32,
) -> (usize, usize) {
    let mut best: Option<(usize, usize)> = None;
    for g in sg + 1..glyphs.len() {
        let b = glyphs[g].cluster as usize;
        if b <= glyphs[sg].cluster as usize || glyphs[g].cluster == glyphs[g - 1].cluster {
            continue;
        }
        let starts_grapheme = text[b..]
            .chars()
            .next()
            .map(|c| !is_thai_combining(c))
            .unwrap_or(true);
        if !starts_grapheme {
            continue;
        }
        if pos[g] - pos[sg] > avail + EPS {
            break;
        }
        best = Some((b, g));
    }
    best.unwrap_or_else(|| {
        // Not even one grapheme fits: take the first one anyway.
        let first = glyphs[sg].cluster;
        let g = (sg + 1..glyphs.len())
            .find(|&g| glyphs[g].cluster != first)
            .unwrap_or(glyphs.len());
        let b = if g < glyphs.len() {
            glyphs[g].cluster as usize
        } else {
            text.len()
        };
        (b, g)
    })
}

/// Positions the glyphs of one line, justifying it if asked.
#[allow(clippy::too_many_arguments)]
fn place_line(
    face: &FontFace,
    text: &str,
    b0: usize,
    b1: usize,
    glyphs: &[ShapedGlyph],
    offset: usize,
    scale: f32,
    avail: f32,
    justify: bool,
    spec: &ParagraphSpec<'_>,
) -> (TextRun, f32) {
    let cluster = |g: &ShapedGlyph| g.cluster as usize + offset;
    // Trailing white space hangs past the edge: it is neither measured nor justified.
    let mut end = glyphs.len();
    while end > 0 && text[cluster(&glyphs[end - 1])..].starts_with(char::is_whitespace) {
        end -= 1;
    }
    let natural: f32 = glyphs[..end].iter().map(|g| g.advance as f32 * scale).sum();
    // Justification weights: a gap may open before glyph i when it starts a new grapheme.
    let mut weights = vec![0u8; glyphs.len()];
    let mut total = 0u32;
    if justify && natural < avail {
        let all = gap_weights(text, glyphs, offset);
        for i in 1..end {
            weights[i] = all[i];
            total += all[i] as u32;
        }
    }
    let unit = if total > 0 {
        (avail - natural) / total as f32
    } else {
        0.0
    };
    let texts = glyph_texts(face, text, glyphs, offset, b1);
    let mut out = Vec::with_capacity(glyphs.len());
    let mut pen = 0.0f32;
    let mut shift = 0.0f32;
    for ((i, g), (glyph_text, outline)) in glyphs.iter().enumerate().zip(texts) {
        shift += weights[i] as f32 * unit;
        out.push(Glyph {
            id: g.gid,
            x: pen + shift + g.x_offset as f32 * scale,
            y: g.y_offset as f32 * scale,
            text: glyph_text,
            outline,
        });
        pen += g.advance as f32 * scale;
    }
    let run = TextRun {
        style: spec.style,
        size: spec.size,
        color: spec.color,
        glyphs: out,
        text: text[b0..b1].to_string(),
        width: natural + if total > 0 { avail - natural } else { 0.0 },
    };
    (run, unit)
}

/// The text each glyph stands for when it is copied (the ToUnicode side of the PDF).
///
/// Within each cluster (the glyphs that stand for a run of text), glyphs that draw one
/// of its characters, in order, stand for that character (ท ี ่ in ที่). Otherwise the text
/// goes to the glyphs that advance, each taking its cluster (น้ำ: the nikhahit moved before
/// the tone mark merges the clusters of ้ and ำ, so า stands for ้ำ and ํ ้ for nothing),
/// or to the first glyph when none advances. Of two marks in a row, the first stands for
/// both (two glyphs without width in a row split a line in pdfminer).
///
/// The second value says whether the glyph is drawn as an outline: a glyph that stands
/// for nothing (readers that find a glyph without text make some up: "3", "�",
/// "(cid:51)"), and a mark moved sideways (over ป), whose text is then copied from an
/// invisible glyph where the pen stands: drawn as text, the gap it leaves reads as a space.
fn glyph_texts(
    face: &FontFace,
    text: &str,
    glyphs: &[ShapedGlyph],
    offset: usize,
    end: usize,
) -> Vec<(String, bool)> {
    let cluster = |g: &ShapedGlyph| g.cluster as usize + offset;
    let mut out: Vec<String> = Vec::with_capacity(glyphs.len());
    let mut i = 0;
    while i < glyphs.len() {
        let c0 = cluster(&glyphs[i]);
        let mut j = i + 1;
        while j < glyphs.len() && cluster(&glyphs[j]) == c0 {
            j += 1;
        }
        let next = glyphs.get(j).map(cluster).unwrap_or(end).max(c0);
        let group = &glyphs[i..j];
        let whole = text.get(c0..next).unwrap_or("");
        let drawn: Option<String> = group.iter().map(|g| face.glyph_char(g.gid)).collect();
        if drawn.as_deref() == Some(whole) {
            out.extend(whole.chars().map(String::from));
        } else {
            // The last glyph that advances takes the text (า of a decomposed ำ), else the
            // first.
            let carrier = group.iter().rposition(|g| g.advance > 0).unwrap_or(0);
            for k in 0..group.len() {
                out.push(if k == carrier {
                    whole.to_string()
                } else {
                    String::new()
                });
            }
        }
        i = j;
    }
    // Marks in a row: the first stands for all.
    let mut k = 0;
    while k < glyphs.len() {
        if glyphs[k].advance == 0 && !out[k].is_empty() && k > 0 {
            let mut m = k + 1;
            while m < glyphs.len() && glyphs[m].advance == 0 && !out[m].is_empty() {
                let t = std::mem::take(&mut out[m]);
                out[k].push_str(&t);
                m += 1;
            }
            k = m;
        } else {
            k += 1;
        }
    }
    let moved = face.units_per_em as i32 / 20;
    out.into_iter()
        .zip(glyphs)
        .map(|(t, g)| {
            let outline =
                t.is_empty() || (g.advance == 0 && (g.x_offset.abs() > moved || g.y_offset != 0));
            (t, outline)
        })
        .collect()
}

/// Justification weight of the gap before each glyph (the first glyph of a line never
/// gets one): 1 between Thai graphemes, 3 after a space, 0 inside a grapheme and between
/// Latin letters. `offset` is the byte offset of the glyphs' clusters in `text`.
fn gap_weights(text: &str, glyphs: &[ShapedGlyph], offset: usize) -> Vec<u8> {
    let cluster = |g: &ShapedGlyph| g.cluster as usize + offset;
    let mut weights = vec![0u8; glyphs.len()];
    for i in 1..glyphs.len() {
        let c0 = cluster(&glyphs[i]);
        if c0 == cluster(&glyphs[i - 1]) {
            continue;
        }
        let Some(c) = text[c0..].chars().next() else {
            continue;
        };
        let prev = text[..c0].chars().next_back().unwrap_or(' ');
        weights[i] = if is_thai_combining(c) {
            0
        } else if prev.is_whitespace() {
            3
        } else if is_thai(c) || is_thai(prev) {
            1
        } else {
            0
        };
    }
    weights
}

/// The spread of a justified line that reads as evenly set: extra space per weight unit
/// (points at body size) at which a line's badness is 100. Typical lines of the seed
/// letters need 0.06–0.45 pt.
pub const SPREAD_REF: f32 = 0.5;
/// Demerits added for a break inside a unit (a date, a time range, a number and its
/// unit): about what a line spread to 1.2 pt costs.
const UNIT_PENALTY: f64 = 2_000_000.0;
/// Demerits added for a break between two Thai words with no space: a space ends a phrase,
/// the better place for a line to end.
const INNER_PENALTY: f64 = 2_000.0;
/// Demerits added for a weak break, inside a compound or a name (`เข้า|ร่วม`,
/// `จังหวัด|จันทบุรี`; see `BreakStrength`): about what a line spread to 0.75 pt costs, so
/// a weak break is taken only when every alternative is worse.
const WEAK_PENALTY: f64 = 300_000.0;
/// Demerits added for a break next to a word of one or two letters (`สี|เขียว`, `ต่อ|ไป`,
/// `ณ|ศาลาว่าการ`), mostly half of a compound, where the word list sees no compound.
const SHORT_WORD_PENALTY: f64 = 300_000.0;
/// Demerits added for a break the LSTM model rejects (inside a word).
const WORD_PENALTY: f64 = 1e9;
/// How often the breaks are chosen again after the LSTM model rejected one.
const CONFIRM_ROUNDS: usize = 4;

/// What [`total_fit`] needs of the paragraph being set.
struct TotalFit<'a> {
    text: &'a str,
    breaker: &'a LineBreaker,
    spec: &'a ParagraphSpec<'a>,
    n: usize,
    opportunities: &'a [usize],
    glyph_at: &'a dyn Fn(usize) -> usize,
    width_of: &'a dyn Fn(usize, usize) -> f32,
    trimmed_end: &'a dyn Fn(usize, usize) -> usize,
    weights: &'a [u8],
    splits_unit: &'a dyn Fn(usize) -> bool,
}

/// Chooses the breaks of a justified paragraph for the whole paragraph at once (Knuth and
/// Plass's total fit): the sum over lines of (1 + badness)², badness growing with the cube
/// of the spread per justification unit, plus penalties for breaking a unit or a word.
/// Breaks the LSTM model rejects are found after the choice, ruled out, and the choice made
/// again. Returns `None` when some stretch of text admits no break that fits (the greedy
/// filler's emergency breaks then apply).
fn total_fit(p: &TotalFit<'_>) -> Option<Vec<(usize, usize, usize, usize)>> {
    // Nodes: the start, each opportunity (that moves to a new glyph), the end.
    let mut nodes: Vec<(usize, usize)> = vec![(0, 0)];
    for &b in p.opportunities {
        let g = (p.glyph_at)(b);
        if g > nodes.last().map_or(0, |x| x.1) && g < p.n {
            nodes.push((b, g));
        }
    }
    nodes.push((p.text.len(), p.n));
    let last = nodes.len() - 1;
    let mut prefix = vec![0u32; p.weights.len() + 1];
    for (i, w) in p.weights.iter().enumerate() {
        prefix[i + 1] = prefix[i] + *w as u32;
    }
    // What each break costs in itself, whatever lines it ends and starts.
    let letters = |a: usize, b: usize| {
        p.text[a..b]
            .chars()
            .filter(|c| is_thai(*c) && !is_thai_combining(*c))
            .count()
    };
    let inner: Vec<usize> = nodes[1..last].iter().map(|n| n.0).collect();
    let compounds = p.breaker.knows_compounds();
    let strengths = if compounds {
        p.breaker.strengths(p.text, &inner)
    } else {
        Vec::new()
    };
    let penalty: Vec<f64> = (0..nodes.len())
        .map(|j| {
            if j == 0 || j == last {
                return 0.0;
            }
            let b = nodes[j].0;
            let mut d = 0.0;
            if (p.splits_unit)(b) {
                d += UNIT_PENALTY;
            }
            let before = p.text[..b].chars().next_back().unwrap_or(' ');
            let after = p.text[b..].chars().next().unwrap_or(' ');
            if !before.is_whitespace() && is_thai(before) && is_thai(after) {
                d += INNER_PENALTY;
                if strengths.get(j - 1) == Some(&BreakStrength::Weak) {
                    return d + WEAK_PENALTY;
                }
                // A short word mostly opens its compound (สี|เขียว, ต่อ|ไป, ณ|ศาลาว่าการ),
                // sometimes closes it (ในการ|นี้): after one costs more than before one. The
                // word list does not know every such compound (it splits สี|เขียว).
                let (prev, next) = (nodes[j - 1].0, nodes[j + 1].0);
                let short = |k: usize| k > 0 && k <= 2;
                if short(letters(prev, b)) {
                    d += SHORT_WORD_PENALTY;
                } else if short(letters(b, next)) {
                    d += SHORT_WORD_PENALTY / 3.0;
                }
            }
            d
        })
        .collect();
    let mut rejected = vec![false; nodes.len()];
    let mut chosen = None;
    for _ in 0..CONFIRM_ROUNDS {
        let mut best = vec![f64::INFINITY; nodes.len()];
        let mut from = vec![usize::MAX; nodes.len()];
        best[0] = 0.0;
        for i in 0..last {
            if !best[i].is_finite() {
                continue;
            }
            let indent = if i == 0 {
                p.spec.first_indent
            } else {
                p.spec.rest_indent
            };
            let avail = (p.spec.width - indent).max(1.0);
            let g0 = nodes[i].1;
            for j in i + 1..=last {
                let g1 = nodes[j].1;
                let w = (p.width_of)(g0, g1);
                if w > avail + EPS {
                    break;
                }
                let e = (p.trimmed_end)(g0, g1);
                let units = if e > g0 + 1 {
                    prefix[e] - prefix[g0 + 1]
                } else {
                    0
                };
                let mut demerits = if j == last {
                    1.0
                } else if units == 0 {
                    if avail - w <= EPS {
                        1.0
                    } else {
                        1e7
                    }
                } else {
                    let spread = ((avail - w) / units as f32 / SPREAD_REF) as f64;
                    let badness = (100.0 * spread.powi(3)).min(1e6);
                    (1.0 + badness).powi(2)
                };
                demerits += penalty[j];
                if rejected[j] {
                    demerits += WORD_PENALTY;
                }
                let total = best[i] + demerits;
                if total < best[j] {
                    best[j] = total;
                    from[j] = i;
                }
            }
        }
        if !best[last].is_finite() {
            return None;
        }
        let mut chain = vec![last];
        while let Some(&k) = chain.last() {
            if k == 0 {
                break;
            }
            chain.push(from[k]);
        }
        chain.reverse();
        // Ask the LSTM model about the chosen breaks only, and only the weak ones: where
        // newmm with the word list also ends a word, the two never agreed on a break inside
        // a word in the labelled set (tests/breakset.rs). Rule out the ones it rejects.
        let mut again = false;
        for &k in &chain[1..chain.len() - 1] {
            let strong = strengths.get(k - 1) == Some(&BreakStrength::Strong);
            if !rejected[k] && !strong && !p.breaker.confirm(p.text, nodes[k].0) {
                rejected[k] = true;
                again = true;
            }
        }
        let lines = chain
            .windows(2)
            .map(|w| (nodes[w[0]].0, nodes[w[1]].0, nodes[w[0]].1, nodes[w[1]].1))
            .collect();
        chosen = Some(lines);
        if !again {
            break;
        }
    }
    chosen
}
