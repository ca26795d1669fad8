//! หนังสือประทับตรา (stamped letters): ../shared/docs/letter-format.md §2.3.
//!
//! The Garuda 30 mm; `ที่ …`; `ถึง …` (no salutation); the body; the enclosures; then, right
//! of centre, the sending agency's name above an empty 45 mm circle for the red seal of its
//! name (ตราชื่อส่วนราชการ) with room for the initials beside it, and the date under it;
//! the owner block with telephone and e-mail at the bottom left.

use std::sync::Arc;

use super::super::frame::{mm, Frame, Item, Point, Size, SlotRole};
use super::super::paragraph::Align;
use super::super::{Graphic, Typesetter};
use super::external::{enclosures, header_number_and_agency, DRAFT_DAY_MM};
use super::parts::{
    body, copies_to, label_gap, owner_block, qr_codes, recipient_line, CLOSING_GAP,
};
use super::{under_garuda, Block, Flow, Geometry, LayoutOptions};
use saraban_model::error::Result;
use saraban_model::letter::Letter;
use saraban_thai::format_date;

/// Diameter of the seal of the agency's name (two circles, the outer 4.5 cm).
pub const SEAL_MM: f32 = 45.0;
/// Room for the initials beside the seal.
pub const INITIALS_MM: (f32, f32) = (18.0, 10.0);

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

    header_number_and_agency(&mut flow, letter, l, r, c, gap, false);
    recipient_line(&mut flow, letter, "ถึง", l, r, gap);
    body(&mut flow, letter, l, r);
    enclosures(&mut flow, letter, l, r, gap);

    // The sending agency, the seal and the date, centred right of the centre line.
    let sx = (c + r) / 2.0;
    flow.keep_last(2);
    flow.start_ending(2);
    let agency = flow.print(&letter.stamp_agency()).into_owned();
    let lines = flow.set(&agency, (r - c).max(mm(60.0)), 0.0, 0.0, Align::Center);
    let col_x = sx - (r - c).max(mm(60.0)) / 2.0;
    for line in lines.iter() {
        let before = if std::ptr::eq(line, &lines[0]) {
            CLOSING_GAP
        } else {
            0.0
        };
        flow.line(before, vec![(col_x + line.x, line.run.clone())], true);
    }
    let seal = mm(SEAL_MM);
    let (iw, ih) = (mm(INITIALS_MM.0), mm(INITIALS_MM.1));
    flow.blocks.push(Block {
        space_before: 0.0,
        height: seal,
        items: vec![
            (
                Point::new(sx - seal / 2.0, 0.0),
                Item::Slot {
                    size: Size { w: seal, h: seal },
                    role: SlotRole::Seal,
                },
            ),
            (
                Point::new((sx + seal / 2.0).min(r - iw), seal - ih),
                Item::Slot {
                    size: Size { w: iw, h: ih },
                    role: SlotRole::Initials,
                },
            ),
        ],
        keep_with_next: true,
        flex: 0.0,
    });
    if let Some(d) = &letter.date {
        let t = format_date(d, letter.digits);
        let (text, shift) = match t.day {
            Some(_) => (t.joined(), 0.0),
            None => (t.month_year.clone(), mm(DRAFT_DAY_MM) / 2.0),
        };
        let run = flow.run(&text);
        flow.line(0.0, vec![(sx - run.width / 2.0 + shift, run)], false);
    }
    if let Some(last) = flow.blocks.last_mut() {
        last.keep_with_next = false;
    }
    let contact = flow.blocks.len();
    let count = owner_block(&mut flow, letter, l, r);
    copies_to(&mut flow, letter, l, r, gap, count == 0);
    qr_codes(&mut flow, letter, r, Some(contact))?;

    let pages = under_garuda(&mut flow, letter, emblem, g, 0.0, opts);
    Ok(pages)
}
