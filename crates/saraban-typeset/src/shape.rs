//! Shaping with harfrust, one script run at a time.
//!
//! Thai needs real OpenType shaping: tone marks move left on ป, ฝ and ฟ, drop to their low
//! forms where there is no upper vowel, ฐ and ญ lose their tails above ุ and ู, and ำ is
//! decomposed. Mixed text is itemized into Thai and Latin runs first (spaces, digits and
//! punctuation join the run they stand in), and each run is shaped with its own plan.

use harfrust::{Buffer, ClusterLevel, Direction, Script, ShapeOptions, ShaperFont};

use super::font::FontFace;
use saraban_thai::is_thai;

/// One glyph out of the shaper, in font units.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShapedGlyph {
    /// Glyph id in the font.
    pub gid: u16,
    /// UTF-8 byte offset of the first character this glyph belongs to.
    pub cluster: u32,
    /// Horizontal advance.
    pub advance: i32,
    /// Horizontal offset from the pen position.
    pub x_offset: i32,
    /// Vertical offset from the baseline (up is positive).
    pub y_offset: i32,
    /// The shaper says the text must be reshaped if a line breaks here.
    pub unsafe_to_break: bool,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum RunScript {
    Thai,
    Latin,
}

fn class(c: char) -> Option<RunScript> {
    if is_thai(c) {
        Some(RunScript::Thai)
    } else if c.is_alphabetic() {
        Some(RunScript::Latin)
    } else {
        None
    }
}

/// Splits text into script runs: byte ranges with the script they are shaped as.
fn itemize(text: &str) -> Vec<(usize, usize, RunScript)> {
    let mut runs: Vec<(usize, usize, RunScript)> = Vec::new();
    let mut current: Option<RunScript> = None;
    let mut start = 0;
    for (i, c) in text.char_indices() {
        if let Some(k) = class(c) {
            match current {
                None => current = Some(k),
                Some(cur) if cur != k => {
                    // Neutral characters before this one stay with the run they followed,
                    // except trailing spaces and opening brackets, which go with the next.
                    let mut cut = i;
                    for (j, p) in text[start..i].char_indices().rev() {
                        if p.is_whitespace() || matches!(p, '(' | '[' | '“' | '"' | '‘') {
                            cut = start + j;
                        } else {
                            break;
                        }
                    }
                    if cut == start {
                        cut = i;
                    }
                    runs.push((start, cut, cur));
                    start = cut;
                    current = Some(k);
                }
                _ => {}
            }
        }
    }
    if start < text.len() {
        runs.push((start, text.len(), current.unwrap_or(RunScript::Thai)));
    }
    runs
}

/// Shapes `text` in `font`, returning glyphs in visual (= logical, left-to-right) order
/// with clusters as byte offsets into `text`.
pub fn shape(font: &FontFace, text: &str) -> Vec<ShapedGlyph> {
    let mut out = Vec::with_capacity(text.len() / 2);
    if text.is_empty() {
        return out;
    }
    let shaper = ShaperFont::new(&font.hb);
    let mut buf = Buffer::new();
    for (start, end, script) in itemize(text) {
        buf.clear();
        buf.push_str(&text[start..end]);
        buf.set_pre_context(&text[..start]);
        buf.set_post_context(&text[end..]);
        buf.set_direction(Direction::LeftToRight);
        let plan = match script {
            RunScript::Thai => {
                buf.set_script(Some(Script::THAI));
                buf.set_language(Some(font.lang_th.clone()));
                &font.plan_thai
            }
            RunScript::Latin => {
                buf.set_script(Some(Script::LATIN));
                buf.set_language(Some(font.lang_en.clone()));
                &font.plan_latin
            }
        };
        buf.set_cluster_level(ClusterLevel::MonotoneCharacters);
        if harfrust::shape(&shaper, &mut buf, ShapeOptions::new().plan(Some(plan))).is_err() {
            // Cannot happen with a plan made for this buffer's script and direction; fall
            // back to unshaped nominal glyphs rather than losing the text.
            for (i, c) in text[start..end].char_indices() {
                let gid = shaper
                    .nominal_glyph(c as u32)
                    .map(|g| g.to_u32() as u16)
                    .unwrap_or(0);
                out.push(ShapedGlyph {
                    gid,
                    cluster: (start + i) as u32,
                    advance: font.advance(gid) as i32,
                    x_offset: 0,
                    y_offset: 0,
                    unsafe_to_break: false,
                });
            }
            continue;
        }
        for (info, pos) in buf.glyph_infos().iter().zip(buf.glyph_positions()) {
            out.push(ShapedGlyph {
                gid: info.glyph_id as u16,
                cluster: info.cluster + start as u32,
                advance: pos.x_advance,
                x_offset: pos.x_offset,
                y_offset: pos.y_offset,
                unsafe_to_break: info.unsafe_to_break(),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn itemizes_thai_and_latin() {
        let t = "ประจำปี ๒๕๖๔ (Local Authorities) ซึ่ง";
        let runs = itemize(t);
        let parts: Vec<(&str, RunScript)> = runs.iter().map(|&(s, e, k)| (&t[s..e], k)).collect();
        assert_eq!(
            parts,
            vec![
                ("ประจำปี ๒๕๖๔", RunScript::Thai),
                (" (Local Authorities)", RunScript::Latin),
                (" ซึ่ง", RunScript::Thai)
            ]
        );
    }
}
