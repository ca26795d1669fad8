//! หนังสือภายนอก (external letters and circulars): ../shared/docs/letter-format.md §2.1, §3.
//!
//! Page 1: the Garuda 30 mm tall, centred, 15 mm from the top; `ที่ …` at the left margin
//! and the agency block at the right on the same line; the date from the page centre line;
//! เรื่อง, เรียน, อ้างถึง, สิ่งที่ส่งมาด้วย with wrapped values hanging under the value;
//! the body with 2.5 cm first-line indents, Thai-distributed; the closing from the centre
//! line, the signature space, the name and positions centred under it; the owner block at
//! the left; QR codes; the distribution list on its own page.

use std::sync::Arc;

use super::super::frame::{mm, Frame};
use super::super::paragraph::Align;
use super::super::{Graphic, Typesetter};
use super::parts::{
    body, distribution, label_gap, labeled, numbered, owner, qr_codes, recipient_line, signature,
    PART_GAP,
};
use super::{under_garuda, Flow, Geometry, LayoutOptions};
use saraban_model::error::Result;
use saraban_model::letter::Letter;
use saraban_thai::format_date;

/// Width left blank for the day in a draft's date, in millimetres.
pub const DRAFT_DAY_MM: f32 = 10.0;

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

    // ที่ and the agency block, on the same line.
    header_number_and_agency(&mut flow, letter, l, r, c, gap, true);

    // วัน เดือน ปี from the page centre line; a draft leaves the day blank.
    if let Some(d) = &letter.date {
        date_line(&mut flow, d, letter, c);
    }
    if let Some(s) = &letter.subject {
        let s = flow.print(s).into_owned();
        labeled(&mut flow, "เรื่อง", &s, l, r, gap);
    }
    if let Some(sal) = letter.salutation_or_default() {
        recipient_line(&mut flow, letter, sal, l, r, gap);
    }
    if !letter.references.is_empty() {
        let items: Vec<(String, Option<String>)> = letter
            .references
            .iter()
            .map(|x| (flow.print(x).into_owned(), None))
            .collect();
        numbered(&mut flow, "อ้างถึง", &items, l, r, gap);
    }
    enclosures(&mut flow, letter, l, r, gap);

    body(&mut flow, letter, l, r);
    signature(&mut flow, letter, letter.closing_or_default(), c, r);
    let contact = flow.blocks.len();
    owner(&mut flow, letter, l, r, gap);
    qr_codes(&mut flow, letter, r, Some(contact))?;

    let mut pages = under_garuda(&mut flow, letter, emblem, g, 0.0, opts);
    if let Some(d) = &letter.distribution {
        pages.extend(distribution(ts, letter, d, l, r, c));
    }
    Ok(pages)
}

/// `ที่ …` at the left margin; with `agency`, the agency block at the right on the same line.
pub(super) fn header_number_and_agency(
    flow: &mut Flow<'_>,
    letter: &Letter,
    l: f32,
    r: f32,
    c: f32,
    gap: f32,
    agency: bool,
) {
    let number = flow.print(&letter.number_text()).into_owned();
    let number_run = flow.run(&format!("ที่ {number}"));
    let agency_lines: Vec<String> = if agency {
        letter
            .agency
            .as_ref()
            .map(|a| {
                std::iter::once(a.name.clone())
                    .chain(a.address.iter().cloned())
                    .map(|s| flow.print(&s).into_owned())
                    .collect()
            })
            .unwrap_or_default()
    } else {
        Vec::new()
    };
    let widest = agency_lines
        .iter()
        .map(|s| flow.width(s))
        .fold(0.0f32, f32::max);
    let block_x = (r - widest).max(c).max(l + number_run.width + gap);
    let mut agency_set = Vec::new();
    for s in &agency_lines {
        agency_set.extend(
            flow.set(s, r - block_x, 0.0, 0.0, Align::Left)
                .iter()
                .cloned(),
        );
    }
    let rows = agency_set.len().max(1);
    for i in 0..rows {
        let mut runs = Vec::new();
        if i == 0 {
            runs.push((l, number_run.clone()));
        }
        if let Some(a) = agency_set.get(i) {
            runs.push((block_x + a.x, a.run.clone()));
        }
        flow.line(0.0, runs, true);
    }
}

/// The date from `x`; a draft leaves the day blank.
pub(super) fn date_line(
    flow: &mut Flow<'_>,
    d: &saraban_model::letter::LetterDate,
    letter: &Letter,
    x: f32,
) {
    let t = format_date(d, letter.digits);
    match t.day {
        Some(_) => {
            let run = flow.run(&t.joined());
            flow.line(PART_GAP, vec![(x, run)], true);
        }
        None => {
            let run = flow.run(&t.month_year);
            flow.line(PART_GAP, vec![(x + mm(DRAFT_DAY_MM), run)], true);
        }
    }
}

/// สิ่งที่ส่งมาด้วย, numbered when several, quantities at the right margin.
pub(super) fn enclosures(flow: &mut Flow<'_>, letter: &Letter, l: f32, r: f32, gap: f32) {
    if letter.enclosures.is_empty() {
        return;
    }
    let items: Vec<(String, Option<String>)> = letter
        .enclosures
        .iter()
        .map(|e| {
            (
                flow.print(&e.title).into_owned(),
                e.quantity.as_ref().map(|q| flow.print(q).into_owned()),
            )
        })
        .collect();
    numbered(flow, "สิ่งที่ส่งมาด้วย", &items, l, r, gap);
}
