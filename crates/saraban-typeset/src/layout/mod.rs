//! Page layout: the parts of a letter stacked in their official order, then paginated.
//!
//! A layout module per letter kind turns a letter into [`Block`]s: a block is one line (or
//! an unbreakable group) with the space before it and whether it must stay on the page of
//! the block after it. [`paginate`] fills pages with blocks, honouring those ties (the
//! signature block never stands alone on a page, a paragraph leaves no single line behind),
//! and [`decorate`] adds what every page carries: `- ๒ -` on continuation pages, the
//! continuation word `/คำ...` at the bottom right of every page but the last, and secrecy
//! marks.

pub mod book;
mod directive;
mod external;
pub mod mark;
mod memo;
mod parts;
pub mod receipt;
pub mod routing;
pub mod signature;
mod stamped;

// The measures of the parts, for the other writers of a letter (saraban-docx says the same
// places in Word's terms).
pub use external::DRAFT_DAY_MM;
pub use memo::{
    LABEL_PT as MEMO_LABEL_PT, MEMO_EMBLEM_MM, TITLE_LINE as MEMO_TITLE_LINE,
    TITLE_PT as MEMO_TITLE_PT,
};
pub use parts::{item_number_end, BLANK_NAME_MM, CLOSING_GAP, PART_GAP, SIGNATURE_MM};
pub use stamped::SEAL_MM;

use std::sync::Arc;

use super::font::FontStyle;
use super::frame::{mm, Color, Document, Frame, Item, Point, Size, TextRun};
use super::paragraph::{Align, ParagraphSpec, SetLine};
use super::{Graphic, Typesetter};
use saraban_model::error::Result;
use saraban_model::letter::{BlockStyle, Digits, Kind, Letter};
use saraban_thai::localize;

/// A4 width in millimetres.
pub const PAGE_W_MM: f32 = 210.0;
/// A4 height in millimetres.
pub const PAGE_H_MM: f32 = 297.0;
/// Left margin (3 cm).
pub const LEFT_MM: f32 = 30.0;
/// Right margin (2 cm).
pub const RIGHT_MM: f32 = 20.0;
/// Bottom margin (2 cm).
pub const BOTTOM_MM: f32 = 20.0;
/// The page centre line, where the date and the closing start (105 mm from the left edge).
pub const CENTRE_MM: f32 = PAGE_W_MM / 2.0;
/// First-line indent of body paragraphs (2.5 cm).
pub const INDENT_MM: f32 = 25.0;
/// Top of the emblem from the paper's top edge (1.5 cm).
pub const EMBLEM_TOP_MM: f32 = 15.0;
/// Height of the emblem on letters (3 cm).
pub const EMBLEM_H_MM: f32 = 30.0;
/// How the dashes of a page number are copied: U+2010 HYPHEN (what they are), not U+002D,
/// which poppler takes at a line's end for a word broken there.
pub const PAGE_DASH: &str = "\u{2010}";

/// Top of the page number `- ๒ -` on continuation pages.
pub const PAGE_NUMBER_TOP_MM: f32 = 15.0;

/// The page and its margins, in millimetres.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Geometry {
    /// Page width.
    pub page_w: f32,
    /// Page height.
    pub page_h: f32,
    /// Left margin.
    pub left: f32,
    /// Right margin.
    pub right: f32,
    /// Bottom margin.
    pub bottom: f32,
}

impl Geometry {
    /// A4 with the official margins: 3 cm left, 2 cm right.
    pub const A4: Geometry = Geometry {
        page_w: PAGE_W_MM,
        page_h: PAGE_H_MM,
        left: LEFT_MM,
        right: RIGHT_MM,
        bottom: BOTTOM_MM,
    };
    /// A5 memo paper. The regulation sets no A5 margins; these keep the A4 proportions.
    pub const A5: Geometry = Geometry {
        page_w: 148.0,
        page_h: 210.0,
        left: 20.0,
        right: 12.0,
        bottom: 15.0,
    };

    /// The geometry a letter is set on.
    pub fn for_letter(letter: &Letter) -> Geometry {
        match (letter.kind, letter.paper) {
            (Kind::Memo, Some(saraban_model::letter::Paper::A5)) => Geometry::A5,
            _ => Geometry::A4,
        }
    }

    /// Left text edge, in points.
    pub fn l(&self) -> f32 {
        mm(self.left)
    }
    /// Right text edge, in points.
    pub fn r(&self) -> f32 {
        mm(self.page_w - self.right)
    }
    /// The page centre line, in points.
    pub fn c(&self) -> f32 {
        mm(self.page_w / 2.0)
    }
    /// Lowest point of the text, in points.
    pub fn bottom(&self) -> f32 {
        mm(self.page_h - self.bottom)
    }
    /// The page size.
    pub fn size(&self) -> Size {
        Size {
            w: mm(self.page_w),
            h: mm(self.page_h),
        }
    }
}

/// One line or unbreakable group on its way to a page.
#[derive(Debug, Clone, Default)]
pub struct Block {
    /// Space above the block, dropped at the top of a page.
    pub space_before: f32,
    /// Height of the block.
    pub height: f32,
    /// Items: x from the page's left edge, y from the block's top.
    pub items: Vec<(Point, Item)>,
    /// The block must be on the same page as the next one.
    pub keep_with_next: bool,
    /// How much of `space_before` may go when that keeps the letter's ending off a page
    /// of its own (the spacing the regulation leaves to judgement).
    pub flex: f32,
}

/// Builds the blocks of a letter.
pub(crate) struct Flow<'t> {
    pub ts: &'t Typesetter,
    pub blocks: Vec<Block>,
    pub digits: Digits,
    /// Body size in the document font, in points.
    pub size: f32,
    /// Baseline pitch.
    pub pitch: f32,
    /// Baseline distance from the top of a line box.
    pub ascent: f32,
    /// The first block of the letter's ending (the last body lines, the closing, the
    /// signature, the contact block, QR codes): it goes to a page as one.
    pub ending: Option<usize>,
}

impl<'t> Flow<'t> {
    pub fn new(ts: &'t Typesetter, digits: Digits) -> Self {
        let face = &ts.fonts.regular;
        let size = face.size_for(ts.profile.body_pt);
        let ascent = face
            .units(face.ascender as i32, size)
            .min(ts.profile.line_pitch);
        Flow {
            ts,
            blocks: Vec::new(),
            digits,
            size,
            pitch: ts.profile.line_pitch,
            ascent,
            ending: None,
        }
    }

    /// Marks the ending as starting `body_lines` blocks back: from here on the letter
    /// keeps together (never furniture alone on a page).
    pub fn start_ending(&mut self, body_lines: usize) {
        if self.ending.is_none() {
            self.ending = Some(self.blocks.len().saturating_sub(body_lines));
        }
    }

    /// The blocks, with the ending tied into one chain, for [`paginate`].
    pub fn take_blocks(&mut self) -> Vec<Block> {
        let mut blocks = std::mem::take(&mut self.blocks);
        if let Some(from) = self.ending.take() {
            let n = blocks.len();
            for b in blocks.iter_mut().take(n.saturating_sub(1)).skip(from) {
                b.keep_with_next = true;
            }
        }
        blocks
    }

    /// Text as printed: digits per the letter's policy.
    pub fn print<'a>(&self, s: &'a str) -> std::borrow::Cow<'a, str> {
        localize(s, self.digits)
    }

    /// One line of body-size text.
    pub fn run(&self, text: &str) -> TextRun {
        self.ts
            .line(text, FontStyle::Regular, self.size, Color::BLACK)
    }

    /// Width of body-size text.
    pub fn width(&self, text: &str) -> f32 {
        self.ts.measure(text, FontStyle::Regular, self.size)
    }

    /// Sets body-size text in a column.
    pub fn set(
        &self,
        text: &str,
        width: f32,
        first_indent: f32,
        rest_indent: f32,
        align: Align,
    ) -> Arc<Vec<SetLine>> {
        self.ts.set(&ParagraphSpec {
            text,
            style: FontStyle::Regular,
            size: self.size,
            width,
            first_indent,
            rest_indent,
            align,
            color: Color::BLACK,
        })
    }

    /// Adds a block of one line holding the given runs at the given x positions.
    pub fn line(&mut self, space_before: f32, runs: Vec<(f32, TextRun)>, keep_with_next: bool) {
        let items = runs
            .into_iter()
            .filter(|(_, r)| !r.glyphs.is_empty())
            .map(|(x, r)| (Point::new(x, self.ascent), Item::Text(r)))
            .collect();
        self.blocks.push(Block {
            space_before,
            height: self.pitch,
            items,
            keep_with_next,
            flex: 0.0,
        });
    }

    /// Adds set lines as one block each, starting at column `x`; `lead` runs go on the
    /// first line (a label). Ties: a paragraph keeps its first two and last two lines
    /// together; `keep_all` ties every line to the next.
    pub fn lines(
        &mut self,
        space_before: f32,
        x: f32,
        lines: &[SetLine],
        lead: Vec<(f32, TextRun)>,
        keep_all: bool,
    ) {
        let n = lines.len();
        let mut lead = Some(lead);
        for (i, l) in lines.iter().enumerate() {
            let mut runs = lead.take().unwrap_or_default();
            runs.push((x + l.x, l.run.clone()));
            let keep = keep_all || i == 0 && n > 1 || (n >= 3 && i + 2 == n);
            self.line(if i == 0 { space_before } else { 0.0 }, runs, keep);
        }
        if n == 0 {
            let runs = lead.take().unwrap_or_default();
            self.line(space_before, runs, keep_all);
        }
    }

    /// Ties the last `k` blocks to what follows.
    pub fn keep_last(&mut self, k: usize) {
        let n = self.blocks.len();
        for b in &mut self.blocks[n.saturating_sub(k)..] {
            b.keep_with_next = true;
        }
    }
}

/// Where content may go on a page.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PageArea {
    /// Top of the content on the first page.
    pub first_top: f32,
    /// Top of the content on later pages.
    pub next_top: f32,
    /// Lowest point content may reach.
    pub bottom: f32,
}

/// Distributes blocks over pages; returns, per page, the blocks with their top y.
///
/// A block that does not fit goes to a new page with the chain of blocks tied to it. When
/// that chain is the rest of the letter and overflows by less than the flexible spacing on
/// the page (see [`Block::flex`]), the spacing gives way instead: the letter's ending does
/// not go to a page of its own for a millimetre.
pub(crate) fn paginate(blocks: Vec<Block>, area: PageArea) -> Vec<Vec<(f32, Block)>> {
    // Placed by their measures alone: a block can be placed, taken back and placed on the
    // next page, and copying its items (every glyph of the letter, each with its text)
    // each time was a twentieth of a cold typeset. Every block ends up placed once, in
    // order, so the items are moved in afterwards.
    let measures: Vec<Block> = blocks
        .iter()
        .map(|b| Block {
            space_before: b.space_before,
            height: b.height,
            items: Vec::new(),
            keep_with_next: b.keep_with_next,
            flex: b.flex,
        })
        .collect();
    let mut pages = place(measures, area);
    let mut items = blocks.into_iter().map(|b| b.items);
    for (_, b) in pages.iter_mut().flatten() {
        b.items = items.next().unwrap_or_default();
    }
    debug_assert!(items.next().is_none(), "every block placed once");
    pages
}

/// [`paginate`] on blocks without their items.
fn place(blocks: Vec<Block>, area: PageArea) -> Vec<Vec<(f32, Block)>> {
    let mut pages: Vec<Vec<(f32, Block)>> = vec![Vec::new()];
    let mut y = area.first_top;
    let mut i = 0;
    let blocks_len = blocks.len();
    let mut placed_from: Vec<usize> = vec![0]; // index of the first block on each page
    while i < blocks_len {
        let b = &blocks[i];
        let page = pages.len() - 1;
        let at_top = pages[page].is_empty();
        let top = if at_top { y } else { y + b.space_before };
        if top + b.height <= area.bottom + 0.01 || at_top {
            pages[page].push((top, b.clone()));
            y = top + b.height;
            i += 1;
            continue;
        }
        if let Some(end) = squeeze(&mut pages[page], &blocks[i..], area) {
            i += end;
            break;
        }
        // Does not fit: move back to the start of the chain of tied blocks, unless that
        // chain fills the whole page.
        let first = placed_from[page];
        let mut j = i;
        while j > first && blocks[j - 1].keep_with_next {
            j -= 1;
        }
        if j == first {
            j = i;
        }
        let moved = i - j;
        let keep = pages[page].len() - moved;
        pages[page].truncate(keep);
        pages.push(Vec::new());
        placed_from.push(j);
        y = area.next_top;
        i = j;
    }
    debug_assert!(i >= blocks_len);
    pages
}

/// Puts `rest` (the rest of the letter, all tied together) on `page` by giving up flexible
/// space, last blocks first, when that is enough. Returns how many blocks it placed.
fn squeeze(page: &mut Vec<(f32, Block)>, rest: &[Block], area: PageArea) -> Option<usize> {
    let tied = rest
        .iter()
        .take(rest.len().saturating_sub(1))
        .all(|b| b.keep_with_next);
    if page.is_empty() || rest.is_empty() || !tied {
        return None;
    }
    let (last_top, last) = page.last()?;
    let mut bottom = last_top + last.height;
    for b in rest {
        bottom += b.space_before + b.height;
    }
    let mut over = bottom - area.bottom;
    let flex: f32 = page.iter().skip(1).map(|(_, b)| b.flex).sum::<f32>()
        + rest.iter().map(|b| b.flex).sum::<f32>();
    if over <= 0.0 || over > flex {
        return None;
    }
    let first_top = page[0].0;
    let mut all: Vec<Block> = page.drain(..).map(|(_, b)| b).collect();
    all.extend(rest.iter().cloned());
    for b in all.iter_mut().skip(1).rev() {
        let take = b.flex.min(over).min(b.space_before);
        b.space_before -= take;
        over -= take;
        if over <= 0.0 {
            break;
        }
    }
    let mut y = first_top;
    for (k, b) in all.into_iter().enumerate() {
        let top = if k == 0 { y } else { y + b.space_before };
        y = top + b.height;
        page.push((top, b));
    }
    Some(rest.len())
}

/// Builds frames from paginated blocks.
pub(crate) fn frames(pages: Vec<Vec<(f32, Block)>>, size: Size) -> Vec<Frame> {
    pages
        .into_iter()
        .map(|blocks| {
            let mut f = Frame::new(size);
            for (top, b) in blocks {
                for (p, item) in b.items {
                    f.push(Point::new(p.x, top + p.y), item);
                }
            }
            f
        })
        .collect()
}

/// Adds page numbers, continuation words and secrecy marks to the letter's pages.
pub(crate) fn decorate(flow: &Flow<'_>, pages: &mut [Frame], letter: &Letter, g: Geometry) {
    let ts = flow.ts;
    let count = pages.len();
    // Continuation words need the next page's first text, so collect them first.
    let firsts: Vec<Option<String>> = pages
        .iter()
        .map(|p| {
            p.texts()
                .min_by(|a, b| a.0.y.total_cmp(&b.0.y).then(a.0.x.total_cmp(&b.0.x)))
                .map(|(_, t)| t.text.clone())
        })
        .collect();
    let right = g.r();
    let centre = g.c();
    // The continuation word stands just below the last line, in the bottom margin.
    let bottom_line_top = g.bottom();
    for (i, page) in pages.iter_mut().enumerate() {
        if i > 0 {
            let label = flow.print(&format!("- {} -", i + 1)).into_owned();
            let mut run = flow.run(&label);
            // Copied as U+2010 HYPHEN: poppler takes a line that ends in U+002D for a word
            // broken at the line's end and runs it into the next line, dropping the dash.
            for g in run.glyphs.iter_mut().filter(|g| g.text == "-") {
                g.text = PAGE_DASH.into();
            }
            run.text = run.text.replace('-', PAGE_DASH);
            page.push(
                Point::new(
                    centre - run.width / 2.0,
                    mm(PAGE_NUMBER_TOP_MM) + flow.ascent,
                ),
                Item::Text(run),
            );
        }
        if i + 1 < count {
            if let Some(Some(next)) = firsts.get(i + 1) {
                let word = first_word(ts, next);
                let run = flow.run(&format!("/{word}..."));
                page.push(
                    Point::new(right - run.width, bottom_line_top + flow.ascent),
                    Item::Text(run),
                );
            }
        }
        if let Some(s) = letter.secrecy {
            let size = ts.size(FontStyle::Bold, 20.0);
            let run = ts.line(s.mark(), FontStyle::Bold, size, mark_color(ts));
            let w = run.width;
            page.push(
                Point::new(centre - w / 2.0, mm(11.0)),
                Item::Text(run.clone()),
            );
            page.push(
                Point::new(centre - w / 2.0, mm(g.page_h - 8.0)),
                Item::Text(run),
            );
        }
    }
}

/// The first word of a line, for the continuation mark: up to the first word end, and at
/// least two characters.
fn first_word(ts: &Typesetter, text: &str) -> String {
    let t = text.trim();
    let opp = ts.breaker().opportunities(t);
    let end = opp
        .into_iter()
        .find(|&b| t[..b].trim().chars().count() >= 2)
        .unwrap_or(t.len());
    t[..end].trim().to_string()
}

/// Which copy of a letter is printed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LayoutOptions {
    /// สำเนาคู่ฉบับ: the file copy, marked as such, with the initials of ผู้ร่าง / ผู้พิมพ์ /
    /// ผู้ทาน at the bottom right of its last page.
    pub file_copy: bool,
}

/// Marks the file copy: `สำเนาคู่ฉบับ` at the top right of page 1 and the initials block at
/// the bottom right of the last page.
pub(crate) fn finish(
    flow: &Flow<'_>,
    pages: &mut [Frame],
    letter: &Letter,
    g: Geometry,
    opts: &LayoutOptions,
) {
    if !opts.file_copy {
        return;
    }
    let r = g.r();
    if let Some(first) = pages.first_mut() {
        let run = flow.run("สำเนาคู่ฉบับ");
        first.push(
            Point::new(r - run.width, mm(EMBLEM_TOP_MM) + flow.ascent),
            Item::Text(run),
        );
    }
    let lines = letter
        .initials
        .as_ref()
        .map(|i| i.lines())
        .unwrap_or_default();
    if let Some(last) = pages.last_mut() {
        let size = flow.ts.size(FontStyle::Regular, 14.0);
        let pitch = flow.pitch * 14.0 / 16.0;
        let runs: Vec<TextRun> = lines
            .iter()
            .map(|s| {
                flow.ts
                    .line(&flow.print(s), FontStyle::Regular, size, Color::BLACK)
            })
            .collect();
        let w = runs.iter().map(|r| r.width).fold(0.0f32, f32::max);
        let n = runs.len() as f32;
        for (i, run) in runs.into_iter().enumerate() {
            let y = g.bottom() - (n - i as f32) * pitch + flow.ascent * 14.0 / 16.0;
            last.push(Point::new(r - w, y), Item::Text(run));
        }
    }
}

/// The shortest paragraph (bytes of UTF-8, three a Thai character) cut into words ahead:
/// about two-thirds of a line of body text, below which a paragraph seldom needs breaking.
const CUT_AHEAD_FROM: usize = 200;

/// Lays out a letter of any kind.
pub(crate) fn layout(
    ts: &Typesetter,
    letter: &Letter,
    emblem: Option<Arc<Graphic>>,
    opts: &LayoutOptions,
) -> Result<Document> {
    let e = emblem.as_ref();
    // The body's paragraphs cut into words on a second core while the parts above them
    // are set (see `LineBreaker::cut_ahead`): those long enough to take more than a line,
    // each once (a paragraph given twice is set once, then found in the cache), and not
    // set before (the preview sets again only what the clerk changed). An item typed
    // without its number is left out: `parts::body` numbers it, which makes another text.
    let mut texts: Vec<String> = Vec::new();
    for b in &letter.body {
        let t = localize(b.text(), letter.digits);
        let numbered_later = b.style() == BlockStyle::Item && parts::item_number_end(&t) == 0;
        if t.len() > CUT_AHEAD_FROM
            && !numbered_later
            && !texts.iter().any(|x| *x == t)
            && !ts.has_set(&t)
        {
            texts.push(t.into_owned());
        }
    }
    let pages = ts.breaker().cut_ahead(texts, || match letter.kind {
        Kind::External => external::layout(ts, letter, e, opts),
        Kind::Memo => memo::layout(ts, letter, e, opts),
        Kind::Stamped => stamped::layout(ts, letter, e, opts),
        Kind::Order | Kind::Announcement => directive::layout(ts, letter, e, opts),
    })?;
    let title = letter
        .subject
        .clone()
        .unwrap_or_else(|| letter.kind.thai_name().to_string());
    Ok(Document {
        pages,
        fonts: ts.fonts.clone(),
        title: localize(&title, letter.digits).into_owned(),
        subject: letter.kind.thai_name().to_string(),
        author: letter
            .agency
            .as_ref()
            .map(|a| a.name.clone())
            .unwrap_or_default(),
        letter_data: Some(letter.to_json()),
    })
}

/// The ink of urgency and secrecy marks: red, or black for a black-and-white printer.
fn mark_color(ts: &Typesetter) -> Color {
    if ts.profile.color_marks {
        Color::RED
    } else {
        Color::BLACK
    }
}

/// ชั้นความเร็ว: bold, at least 32 pt, in the mark colour.
pub(crate) fn urgency_run(ts: &Typesetter, u: saraban_model::letter::Urgency) -> TextRun {
    ts.line(
        u.mark(),
        FontStyle::Bold,
        ts.size(FontStyle::Bold, 32.0),
        mark_color(ts),
    )
}

/// Paginates a letter printed under the 30 mm Garuda (external, stamped, order,
/// announcement): the emblem and the urgency mark on page 1, the page decorations, and the
/// file-copy marks. `extra_top` is added below the emblem on page 1.
pub(crate) fn under_garuda(
    flow: &mut Flow<'_>,
    letter: &Letter,
    emblem: Option<&Arc<Graphic>>,
    g: Geometry,
    extra_top: f32,
    opts: &LayoutOptions,
) -> Vec<Frame> {
    let area = PageArea {
        first_top: mm(EMBLEM_TOP_MM + EMBLEM_H_MM) + extra_top,
        next_top: mm(PAGE_NUMBER_TOP_MM) + 2.0 * flow.pitch,
        bottom: g.bottom(),
    };
    let mut pages = frames(paginate(flow.take_blocks(), area), g.size());
    if let Some(first) = pages.first_mut() {
        place_emblem(first, emblem, g.c(), mm(EMBLEM_TOP_MM), mm(EMBLEM_H_MM));
        if let Some(u) = letter.urgency {
            let run = urgency_run(flow.ts, u);
            // At the left margin on the line above ที่, its descenders clear of that line.
            first.push(
                Point::new(g.l(), mm(EMBLEM_TOP_MM + EMBLEM_H_MM) - 0.25 * 32.0),
                Item::Text(run),
            );
        }
    }
    decorate(flow, &mut pages, letter, g);
    finish(flow, &mut pages, letter, g, opts);
    pages
}

/// Places the emblem (or its empty slot) centred at the top of a page.
pub(crate) fn place_emblem(
    frame: &mut Frame,
    emblem: Option<&Arc<Graphic>>,
    centre_x: f32,
    top: f32,
    height: f32,
) {
    match emblem {
        Some(g) => {
            let w = height * g.aspect();
            frame.push(
                Point::new(centre_x - w / 2.0, top),
                Item::Image {
                    graphic: g.clone(),
                    size: Size { w, h: height },
                },
            );
        }
        None => {
            let w = height * 0.92;
            frame.push(
                Point::new(centre_x - w / 2.0, top),
                Item::Slot {
                    size: Size { w, h: height },
                    role: super::frame::SlotRole::Emblem,
                },
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block(space_before: f32, height: f32, keep: bool, flex: f32) -> Block {
        Block {
            space_before,
            height,
            keep_with_next: keep,
            flex,
            ..Default::default()
        }
    }

    /// Twenty body lines, then an ending of three tied blocks with 10 pt of flexible space.
    fn letter(body_lines: usize) -> Vec<Block> {
        let mut v: Vec<Block> = (0..body_lines)
            .map(|_| block(0.0, 20.0, false, 0.0))
            .collect();
        if let Some(b) = v.last_mut() {
            b.keep_with_next = true;
        }
        v.push(block(12.0, 20.0, true, 6.0));
        v.push(block(20.0, 20.0, true, 4.0));
        v.push(block(0.0, 20.0, false, 0.0));
        v
    }

    const AREA: PageArea = PageArea {
        first_top: 0.0,
        next_top: 0.0,
        bottom: 500.0,
    };

    #[test]
    fn a_small_overflow_of_the_ending_gives_up_flexible_space() {
        // 21 lines (420) + the ending (12 + 20 + 20 + 20 + 20 = 92) = 512: 12 over, more
        // than its 10 of flex.
        let pages = paginate(letter(21), AREA);
        assert_eq!(
            pages.len(),
            2,
            "too much: the ending moves, with body lines"
        );
        assert!(pages[1].len() >= 4, "body lines go with the ending");
        // 20 lines + the ending = 492: fits as it is, spacing untouched.
        let pages = paginate(letter(20), AREA);
        assert_eq!(pages.len(), 1);
        assert_eq!(pages[0][20].1.space_before, 12.0);
        // 6 over (a first line of 34): the last flexible spaces give way.
        let mut l = letter(20);
        l[0].height = 34.0;
        let pages = paginate(l, AREA);
        assert_eq!(pages.len(), 1, "squeezed onto one page");
        let (top, last) = pages[0].last().unwrap();
        assert!((top + last.height - 500.0).abs() < 0.01);
        assert_eq!(pages[0][21].1.space_before, 16.0, "the 20 gave 4");
        assert_eq!(pages[0][20].1.space_before, 10.0, "the 12 gave 2");
    }

    /// Blocks moved to the next page (a tied chain, a squeezed ending) keep their own
    /// items: each block's items are found under the block they came with.
    #[test]
    fn each_block_keeps_its_items_wherever_it_is_placed() {
        use crate::frame::{Color, Shape};
        let marked = |mut blocks: Vec<Block>| {
            for (i, b) in blocks.iter_mut().enumerate() {
                b.height += i as f32 / 1000.0;
                b.items = vec![(
                    Point::new(0.0, 0.0),
                    Item::Shape(Shape {
                        rects: vec![(i as f32, 0.0, 0.0, 0.0)],
                        color: Color::BLACK,
                    }),
                )];
            }
            blocks
        };
        let mut squeezed = letter(20);
        squeezed[0].height = 34.0;
        for blocks in [letter(21), letter(20), squeezed, letter(60)] {
            let n = blocks.len();
            let pages = paginate(marked(blocks), AREA);
            let mut seen = 0;
            for (_, b) in pages.iter().flatten() {
                let Some((_, Item::Shape(s))) = b.items.first() else {
                    panic!("block {seen} lost its items");
                };
                let i = s.rects[0].0 as usize;
                assert_eq!(i, seen, "blocks in order, each once");
                assert!((b.height.fract() * 1000.0 - i as f32 % 1000.0).abs() < 0.05);
                seen += 1;
            }
            assert_eq!(seen, n);
        }
    }
}
