//! คำสั่ง (orders) and ประกาศ (announcements): ../shared/docs/letter-format.md §2.4, §2.5.
//!
//! The Garuda 30 mm; `คำสั่ง<agency>` or `ประกาศ<agency>` centred; `ที่ ๑๒๓/๒๕๖๗` centred
//! (orders always, announcements when numbered); `เรื่อง …` centred; the body, whose
//! items (ข้อ) hang under their own text; `สั่ง ณ วันที่ …` or `ประกาศ ณ วันที่ …`; the
//! signature.

use std::sync::Arc;

use super::super::font::FontStyle;
use super::super::frame::{mm, Color, Frame};
use super::super::paragraph::{Align, ParagraphSpec};
use super::super::{Graphic, Typesetter};
use super::external::DRAFT_DAY_MM;
use super::parts::{
    body, copies_to, label_gap, owner_block, qr_codes, signature, CLOSING_GAP, PART_GAP,
};
use super::{under_garuda, Flow, Geometry, LayoutOptions, INDENT_MM};
use saraban_model::error::Result;
use saraban_model::letter::{Kind, Letter};
use saraban_thai::format_date;

pub(crate) fn layout(
    ts: &Typesetter,
    letter: &Letter,
    emblem: Option<&Arc<Graphic>>,
    opts: &LayoutOptions,
) -> Result<Vec<Frame>> {
    let g = Geometry::A4;
    let mut flow = Flow::new(ts, letter.digits);
    let (l, r, c) = (g.l(), g.r(), g.c());
    let gap = label_gap(&flow);
    let order = letter.kind == Kind::Order;
    let title = flow.print(&letter.directive_title()).into_owned();
    centred(&mut flow, &title, FontStyle::Bold, l, r, 0.0);
    let numbered = order || letter.number.as_ref().and_then(|n| n.running).is_some();
    if numbered {
        let number = flow.print(&letter.number_text()).into_owned();
        centred(
            &mut flow,
            &format!("ที่ {number}"),
            FontStyle::Regular,
            l,
            r,
            0.0,
        );
    }
    if let Some(s) = &letter.subject {
        let s = flow.print(s).into_owned();
        centred(
            &mut flow,
            &format!("เรื่อง {s}"),
            FontStyle::Regular,
            l,
            r,
            0.0,
        );
    }
    // A short rule of space, then the body.
    body(&mut flow, letter, l, r);

    // สั่ง ณ วันที่ … / ประกาศ ณ วันที่ …, from the paragraph indent.
    let lead = if order {
        "สั่ง ณ วันที่"
    } else {
        "ประกาศ ณ วันที่"
    };
    let x = l + mm(INDENT_MM);
    flow.keep_last(2);
    flow.start_ending(2);
    match letter.date.map(|d| format_date(&d, letter.digits)) {
        Some(t) => {
            let year = t
                .month_year
                .split_whitespace()
                .last()
                .unwrap_or("")
                .to_string();
            let month = t
                .month_year
                .split_whitespace()
                .next()
                .unwrap_or("")
                .to_string();
            match &t.day {
                Some(day) => {
                    let run = flow.run(&format!("{lead} {day} {month} พ.ศ. {year}"));
                    flow.line(CLOSING_GAP, vec![(x, run)], true);
                }
                None => {
                    let lead_run = flow.run(lead);
                    let rest = flow.run(&format!("{month} พ.ศ. {year}"));
                    let rx = x + lead_run.width + mm(DRAFT_DAY_MM);
                    flow.line(CLOSING_GAP, vec![(x, lead_run), (rx, rest)], true);
                }
            }
        }
        None => {
            let run = flow.run(lead);
            flow.line(CLOSING_GAP, vec![(x, run)], true);
        }
    }
    signature(&mut flow, letter, None, c, r);
    let contact = flow.blocks.len();
    let count = owner_block(&mut flow, letter, l, r);
    copies_to(&mut flow, letter, l, r, gap, count == 0);
    qr_codes(&mut flow, letter, r, Some(contact))?;

    let pages = under_garuda(&mut flow, letter, emblem, g, PART_GAP, opts);
    Ok(pages)
}

/// A heading line (or lines) centred under the Garuda, on the page centre line.
fn centred(flow: &mut Flow<'_>, text: &str, style: FontStyle, l: f32, r: f32, space_before: f32) {
    let size = flow.ts.size(style, flow.ts.profile.body_pt);
    let c = mm(super::CENTRE_MM);
    let r = r.min(2.0 * c - l);
    let lines = flow.ts.set(&ParagraphSpec {
        text,
        style,
        size,
        width: r - l,
        first_indent: 0.0,
        rest_indent: 0.0,
        align: Align::Center,
        color: Color::BLACK,
    });
    flow.lines(space_before, l, &lines, Vec::new(), true);
}
