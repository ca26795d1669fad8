//! Page content as both writers draw it: text lines and rules, written with pdf-writer.
//!
//! The letter writer ([`super`]) and the page-by-page writer ([`super::stream`]) draw a
//! line of text the same way (see "Copy and paste" in [`super`]), so that copying from a
//! letter and from the register book gives back what the clerk typed. Why not printpdf's
//! operations for the letter: translating them into lopdf's and formatting those again was
//! a third of a letter's whole render; here each number is written once, straight into
//! the stream.

use pdf_writer::types::TextRenderingMode;
use pdf_writer::{Content, Name, Settings, Str, TextStr};

use super::segments;
use saraban_typeset::font::FontFace;
use saraban_typeset::frame::{Point, Shape, TextRun};

/// A content stream as both writers write it: compact, no line per operator.
pub(crate) fn new_content(capacity: usize) -> Content {
    Content::with_settings_and_capacity(Settings { pretty: false }, capacity)
}

/// One text line: its `/ActualText` span, one text matrix per baseline segment and `TJ`
/// numbers that put each glyph where the typesetter did; the text of a glyph drawn as an
/// outline is shown invisibly. `code` gives the font's code of a glyph standing for a text.
/// Returns whether anything was drawn. Outlines are drawn by the caller.
pub(crate) fn text_line(
    content: &mut Content,
    font: Name,
    mut code: impl FnMut(u16, &str) -> u16,
    face: &FontFace,
    run: &TextRun,
    at: Point,
    page_h: f32,
) -> bool {
    if run.glyphs.is_empty() || run.size <= 0.0 {
        return false;
    }
    content.begin_text();
    content
        .begin_marked_content_with_properties(Name(b"Span"))
        .properties()
        .actual_text(TextStr(&run.text));
    content.set_font(font, run.size);
    content.set_fill_rgb(run.color.0, run.color.1, run.color.2);
    let base_y = page_h - at.y;
    let mut codes: Vec<u8> = Vec::with_capacity(run.glyphs.len() * 2);
    for seg in segments(run, face) {
        content.set_text_matrix([1.0, 0.0, 0.0, 1.0, at.x + seg.x, base_y + seg.y]);
        if seg.lead != 0.0 {
            content.show_positioned().items().adjust(seg.lead);
        }
        for run_of in seg.glyphs.chunk_by(|a, b| a.invisible == b.invisible) {
            let invisible = run_of[0].invisible;
            if invisible {
                content.set_text_rendering_mode(TextRenderingMode::Invisible);
            }
            {
                let mut shown = content.show_positioned();
                let mut items = shown.items();
                codes.clear();
                for s in run_of {
                    let g = &run.glyphs[s.index];
                    codes.extend_from_slice(&code(g.id, &g.text).to_be_bytes());
                    if s.after != 0.0 {
                        items.show(Str(&codes));
                        codes.clear();
                        items.adjust(s.after);
                    }
                }
                if !codes.is_empty() {
                    items.show(Str(&codes));
                }
            }
            if invisible {
                content.set_text_rendering_mode(TextRenderingMode::Fill);
            }
        }
    }
    content.end_marked_content();
    content.end_text();
    true
}

/// Filled rectangles (rules, a leader's dots), each corner on a twentieth of a point.
pub(crate) fn rules(content: &mut Content, shape: &Shape, at: Point, page_h: f32) {
    let r = |v: f32| (v * 20.0).round() / 20.0;
    content.save_state();
    content.set_fill_rgb(shape.color.0, shape.color.1, shape.color.2);
    for &(x, y, w, h) in &shape.rects {
        let (x0, y0) = (at.x + x, page_h - at.y - y);
        let (left, right, bottom, top) = (r(x0), r(x0 + w), r(y0 - h), r(y0));
        // Four corners rather than `re`: poppler draws `re` by another path, whose edges
        // fall a shade differently on a leader's tiny dots.
        content.move_to(left, top);
        content.line_to(right, top);
        content.line_to(right, bottom);
        content.line_to(left, bottom);
        content.close_path();
    }
    content.fill_nonzero();
    content.restore_state();
}

/// Draws the form or image (an XObject) named `name` scaled by `scale` with its origin at
/// `(x, y)`, in a graphics state of its own.
pub(crate) fn use_form(content: &mut Content, name: Name, scale: [f32; 2], x: f32, y: f32) {
    content.save_state();
    content.transform([scale[0], 0.0, 0.0, scale[1], x, y]);
    content.x_object(name);
    content.restore_state();
}

#[cfg(test)]
mod tests {
    use super::*;
    use saraban_typeset::font::{FontSet, FontStyle};
    use saraban_typeset::frame::{Color, Glyph};

    fn ops(content: Content) -> Vec<lopdf::content::Operation> {
        lopdf::content::Content::decode(&content.finish().into_vec())
            .expect("a content stream readers can parse")
            .operations
    }

    #[test]
    fn a_rule_is_four_corners_on_a_twentieth_of_a_point() {
        let mut c = new_content(64);
        let shape = Shape {
            rects: vec![(10.013, 20.0, 0.55, 0.55)],
            color: Color::BLACK,
        };
        rules(&mut c, &shape, Point::new(100.0, 100.0), 800.0);
        let ops = ops(c);
        let names: Vec<&str> = ops.iter().map(|o| o.operator.as_str()).collect();
        assert_eq!(names, ["q", "rg", "m", "l", "l", "l", "h", "f", "Q"]);
        let xy = |i: usize| -> Vec<f32> {
            ops[i]
                .operands
                .iter()
                .map(|o| o.as_float().unwrap())
                .collect()
        };
        // Corners rounded each on its own (the dot's width follows from them).
        assert_eq!(xy(2), [110.0, 680.0]);
        assert_eq!(xy(3), [110.55, 680.0]);
        assert_eq!(xy(4), [110.55, 679.45]);
    }

    #[test]
    fn a_line_is_one_span_with_its_text_and_one_code_per_glyph() {
        let fonts = FontSet::bundled().expect("the fonts set-up installs");
        let run = TextRun {
            style: FontStyle::Regular,
            size: 16.0,
            color: Color::BLACK,
            glyphs: vec![
                Glyph {
                    id: 5,
                    x: 0.0,
                    y: 0.0,
                    text: "ก".into(),
                    outline: false,
                },
                Glyph {
                    id: 9,
                    x: 9.0,
                    y: 0.0,
                    text: "ข".into(),
                    outline: false,
                },
            ],
            text: "กข".into(),
            width: 18.0,
        };
        let mut c = new_content(256);
        let mut asked = Vec::new();
        let drew = text_line(
            &mut c,
            Name(b"F0"),
            |g, t| {
                asked.push((g, t.to_string()));
                asked.len() as u16
            },
            &fonts.regular,
            &run,
            Point::new(50.0, 100.0),
            800.0,
        );
        assert!(drew);
        assert_eq!(asked, [(5, "ก".to_string()), (9, "ข".to_string())]);
        let ops = ops(c);
        let names: Vec<&str> = ops.iter().map(|o| o.operator.as_str()).collect();
        assert_eq!(names.first(), Some(&"BT"));
        assert_eq!(names.last(), Some(&"ET"));
        assert_eq!(names.iter().filter(|n| **n == "BDC").count(), 1);
        assert_eq!(names.iter().filter(|n| **n == "EMC").count(), 1);
        // The codes, two bytes each, in the order of the glyphs.
        let shown: Vec<u8> = ops
            .iter()
            .filter(|o| o.operator == "TJ")
            .flat_map(|o| o.operands[0].as_array().unwrap().clone())
            .filter_map(|o| o.as_str().ok().map(<[u8]>::to_vec))
            .flatten()
            .collect();
        assert_eq!(shown, [0, 1, 0, 2]);
        // Where the line stands: x from the left, y up from the page's foot.
        let tm = ops.iter().find(|o| o.operator == "Tm").unwrap();
        let at: Vec<f32> = tm.operands.iter().map(|o| o.as_float().unwrap()).collect();
        assert_eq!(&at[4..], [50.0, 700.0]);
        // An empty line draws nothing.
        let empty = TextRun {
            glyphs: vec![],
            ..run
        };
        assert!(!text_line(
            &mut new_content(8),
            Name(b"F0"),
            |_, _| 0,
            &fonts.regular,
            &empty,
            Point::new(0.0, 0.0),
            800.0
        ));
    }
}
