//! The parts most letter kinds share: labelled header lines, numbered lists, the body,
//! the signature block, the owner block, QR codes and the distribution list.

use super::super::font::FontStyle;
use super::super::frame::{mm, Color, Frame, Item, Point, Size, SlotRole, TextRun};
use super::super::paragraph::Align;
use super::super::qr::qr_shape;
use super::super::Typesetter;
use super::{frames, paginate, Block, Flow, Geometry, PageArea, INDENT_MM};
use saraban_model::error::Result;
use saraban_model::letter::{BlockStyle, Kind, Letter, Signer};
use saraban_thai::{format_date, localize};

/// Space before each header part and before the body (1 Enter + 6 pt).
pub const PART_GAP: f32 = 6.0;
/// Space before the closing.
pub const CLOSING_GAP: f32 = 12.0;
/// Space left for the handwritten signature between the closing and the name (1.8 cm).
pub const SIGNATURE_MM: f32 = 18.0;
/// Side of a printed QR code, in millimetres.
pub const QR_MM: f32 = 25.0;
/// Width of the column a QR code and its caption stand in.
pub const QR_COLUMN_MM: f32 = 40.0;

/// The gap between a label (เรื่อง) and its value: two spaces of the typewriter standard.
pub(crate) fn label_gap(flow: &Flow<'_>) -> f32 {
    0.648 * flow.size
}

/// The addressee line: `label` (เรียน, กราบเรียน, ถึง) and the recipient.
pub(super) fn recipient_line(
    flow: &mut Flow<'_>,
    letter: &Letter,
    label: &str,
    l: f32,
    r: f32,
    gap: f32,
) {
    let recipient = letter
        .recipient
        .as_deref()
        .map(|x| flow.print(x).into_owned())
        .unwrap_or_default();
    let label = flow.print(label).into_owned();
    labeled(flow, &label, &recipient, l, r, gap);
}

/// A label at the left margin and its value, wrapped lines hanging under the value.
pub(super) fn labeled(flow: &mut Flow<'_>, label: &str, value: &str, l: f32, r: f32, gap: f32) {
    let label_run = flow.run(label);
    let vx = l + label_run.width + gap;
    let lines = flow.set(value, r - vx, 0.0, 0.0, Align::Left);
    flow.lines(PART_GAP, vx, &lines, vec![(l, label_run)], true);
}

/// A label with one or more items (อ้างถึง, สิ่งที่ส่งมาด้วย): several are numbered ๑. ๒.;
/// a quantity stands at the right margin on the item's last line.
pub(super) fn numbered(
    flow: &mut Flow<'_>,
    label: &str,
    items: &[(String, Option<String>)],
    l: f32,
    r: f32,
    gap: f32,
) {
    let label_run = flow.run(label);
    let vx = l + label_run.width + gap;
    let several = items.len() > 1;
    let numbers: Vec<TextRun> = if several {
        (1..=items.len())
            .map(|i| flow.run(&flow.print(&format!("{i}."))))
            .collect()
    } else {
        Vec::new()
    };
    let num_w = numbers.iter().map(|n| n.width).fold(0.0f32, f32::max);
    let tx = if several { vx + num_w + gap * 0.75 } else { vx };
    let mut lead = Some(label_run);
    for (i, (title, quantity)) in items.iter().enumerate() {
        let qty = quantity.as_ref().map(|q| flow.run(q));
        let qty_w = qty.as_ref().map(|q| q.width + 2.0 * gap).unwrap_or(0.0);
        // Only the last line needs room for the quantity: set the title across the whole
        // column, and narrower only when its last line would run into the quantity.
        let mut lines = flow.set(title, r - tx, 0.0, 0.0, Align::Left);
        let collides = lines
            .last()
            .is_some_and(|line| line.x + line.run.width + qty_w > r - tx);
        if qty.is_some() && collides {
            lines = flow.set(title, (r - tx - qty_w).max(mm(30.0)), 0.0, 0.0, Align::Left);
        }
        let n = lines.len().max(1);
        for k in 0..n {
            let mut runs = Vec::new();
            if k == 0 {
                if let Some(lr) = lead.take() {
                    runs.push((l, lr));
                }
                if let Some(num) = numbers.get(i) {
                    runs.push((vx, num.clone()));
                }
            }
            if let Some(line) = lines.get(k) {
                runs.push((tx + line.x, line.run.clone()));
            }
            if k + 1 == n {
                if let Some(q) = &qty {
                    runs.push((r - q.width, q.clone()));
                }
            }
            flow.line(if i == 0 && k == 0 { PART_GAP } else { 0.0 }, runs, true);
        }
    }
}

/// The body: paragraphs indented 2.5 cm and justified; items with a hanging indent.
pub(super) fn body(flow: &mut Flow<'_>, letter: &Letter, l: f32, r: f32) {
    let w = r - l;
    let indent = mm(INDENT_MM);
    let mut after_item = false;
    let mut items = 0;
    for (i, block) in letter.body.iter().enumerate() {
        let mut text = flow.print(block.text()).into_owned();
        // Items are numbered: the clerk's own number is kept (`ข้อ ๓`, `๒.`); an item typed
        // without one gets the next, as the regulation's forms print them — `ข้อ ๑` in an
        // order or an announcement, `๑.` elsewhere.
        if block.style() == BlockStyle::Item {
            items += 1;
            if item_number_end(&text) == 0 {
                let label = match letter.kind {
                    Kind::Order | Kind::Announcement => format!("ข้อ {items}"),
                    _ => format!("{items}."),
                };
                text = format!("{} {text}", flow.print(&label));
            }
        }
        // A list of numbered items has space before it and after it.
        let opening = if i == 0 || after_item { PART_GAP } else { 0.0 };
        after_item = block.style() == BlockStyle::Item;
        let (first, rest, before) = match block.style() {
            BlockStyle::Paragraph => (indent, 0.0, opening),
            BlockStyle::Plain => (0.0, 0.0, opening),
            BlockStyle::Item => {
                // Wrapped lines align after the item's own number (`๑.` or `ข้อ ๑`).
                let lead_end = item_number_end(&text);
                let hang = flow.width(&text[..lead_end])
                    + if lead_end > 0 { 0.324 * flow.size } else { 0.0 };
                (indent, (indent + hang).min(w / 2.0), PART_GAP)
            }
        };
        let lines = flow.set(&text, w, first, rest, Align::Justify);
        flow.lines(before, l, &lines, Vec::new(), false);
    }
}

/// Byte length of an item's number: `๑.`, `(๒)`, `ข้อ ๓`, `๑.๒`.
pub fn item_number_end(text: &str) -> usize {
    let t = text;
    let skip = if t.starts_with("ข้อ ") {
        "ข้อ ".len()
    } else {
        0
    };
    let rest = &t[skip..];
    let end = rest.find(char::is_whitespace).unwrap_or(0);
    let token = &rest[..end];
    let is_num = !token.is_empty()
        && token.chars().all(|c| {
            c.is_ascii_digit()
                || ('\u{0E50}'..='\u{0E59}').contains(&c)
                || matches!(c, '.' | '(' | ')')
        })
        || token.chars().count() <= 3 && token.ends_with(['.', ')']);
    if is_num {
        skip + end
    } else {
        0
    }
}

/// คำลงท้าย from the centre line `c`, the signature space, (name) and positions centred
/// under it. Without a closing (memos, orders) the block is centred where it would be.
pub(super) fn signature(
    flow: &mut Flow<'_>,
    letter: &Letter,
    closing: Option<&str>,
    c: f32,
    r: f32,
) {
    let closing = closing.map(|s| flow.print(s).into_owned());
    let signer = letter.signer.as_ref();
    if closing.is_none() && signer.is_none() {
        return;
    }
    // The last lines of the body go with the closing: never a signature alone on a page.
    flow.keep_last(2);
    flow.start_ending(2);
    let closing_run = closing.as_ref().map(|s| flow.run(s));
    let centre = match &closing_run {
        Some(run) => c + run.width / 2.0,
        None => c + flow.width("ขอแสดงความนับถือ") / 2.0,
    };
    if let Some(run) = closing_run {
        flow.line(CLOSING_GAP, vec![(c, run)], true);
        flex_last(flow, CLOSING_GAP / 2.0);
    }
    // Without a signer the page still keeps the space to sign and a blank line for the
    // name in parentheses, written by hand.
    let blank = Signer::default();
    let signer = signer.unwrap_or(&blank);
    let slot_h = mm(SIGNATURE_MM);
    flow.blocks.push(Block {
        space_before: if closing.is_some() { 0.0 } else { CLOSING_GAP },
        height: slot_h,
        items: vec![(
            Point::new(centre - mm(30.0), 0.0),
            Item::Slot {
                size: Size {
                    w: mm(60.0),
                    h: slot_h,
                },
                role: SlotRole::Signature,
            },
        )],
        keep_with_next: true,
        flex: 0.0,
    });
    let lines: Vec<String> = signer
        .position_lines()
        .iter()
        .map(|p| flow.print(p).into_owned())
        .collect();
    let n = lines.len();
    if signer.name.trim().is_empty() {
        // ( ……… ): the parentheses of a name as wide as a typical one.
        let (open, close) = (flow.run("("), flow.run(")"));
        let half = mm(BLANK_NAME_MM) / 2.0;
        let x0 = (centre - half - open.width).min(r - 2.0 * half - open.width - close.width);
        let x1 = x0 + open.width + 2.0 * half;
        flow.line(0.0, vec![(x0, open), (x1, close)], n > 0);
    } else {
        let run = flow.run(&format!("({})", flow.print(&signer.name)));
        let x = (centre - run.width / 2.0).min(r - run.width);
        flow.line(0.0, vec![(x, run)], n > 0);
    }
    for (i, s) in lines.iter().enumerate() {
        let run = flow.run(s);
        let x = (centre - run.width / 2.0).min(r - run.width);
        flow.line(0.0, vec![(x, run)], i + 1 < n);
    }
}

/// Lets the last block's space before it shrink by `flex` when that keeps the ending on
/// the page.
pub(super) fn flex_last(flow: &mut Flow<'_>, flex: f32) {
    if let Some(b) = flow.blocks.last_mut() {
        b.flex = flex.min(b.space_before);
    }
}

/// Room between the parentheses of a name to be written by hand, in millimetres.
pub const BLANK_NAME_MM: f32 = 50.0;

/// ส่วนราชการเจ้าของเรื่อง with โทร., โทรสาร, ไปรษณีย์อิเล็กทรอนิกส์; then สำเนาส่ง.
pub(super) fn owner(flow: &mut Flow<'_>, letter: &Letter, l: f32, r: f32, gap: f32) {
    let count = owner_block(flow, letter, l, r);
    copies_to(flow, letter, l, r, gap, count == 0);
}

/// The owner block; returns how many lines it printed.
pub(super) fn owner_block(flow: &mut Flow<'_>, letter: &Letter, l: f32, r: f32) -> usize {
    let lines = letter.owner_lines(|v| flow.print(v).into_owned());
    let mut first = true;
    let count = lines.len();
    for (i, s) in lines.iter().enumerate() {
        let set = flow.set(s, r - l, 0.0, 0.0, Align::Left);
        let before = if first { flow.pitch } else { 0.0 };
        let at = flow.blocks.len();
        flow.lines(before, l, &set, Vec::new(), i + 1 < count);
        if first {
            // "Anchored at the bottom left, or one or two blank lines" below the signature.
            flow.blocks[at].flex = flow.pitch / 2.0;
        }
        first = false;
    }
    count
}

/// สำเนาส่ง with its list, wrapped lines under the value. `first` when nothing precedes it
/// since the signature (a blank line before), otherwise 6 pt.
pub(super) fn copies_to(
    flow: &mut Flow<'_>,
    letter: &Letter,
    l: f32,
    r: f32,
    gap: f32,
    first: bool,
) {
    let count = usize::from(!first);
    if !letter.copies_to.is_empty() {
        let label = flow.run("สำเนาส่ง");
        let vx = l + label.width + gap;
        let mut lead = Some(label);
        for (i, c) in letter.copies_to.iter().enumerate() {
            let set = flow.set(&flow.print(c), r - vx, 0.0, 0.0, Align::Left);
            let lead_runs = lead.take().map(|lr| vec![(l, lr)]).unwrap_or_default();
            let before = if i == 0 {
                if count == 0 {
                    flow.pitch
                } else {
                    PART_GAP
                }
            } else {
                0.0
            };
            flow.lines(before, vx, &set, lead_runs, true);
        }
        if let Some(b) = flow.blocks.last_mut() {
            b.keep_with_next = false;
        }
    }
}

/// QR codes in a row at the right, each with its caption centred under it. With `beside`
/// (where the contact block starts in the flow), the codes stand beside that block, as in
/// the office's letters, when its lines leave them room; otherwise under it.
pub(super) fn qr_codes(
    flow: &mut Flow<'_>,
    letter: &Letter,
    r: f32,
    beside: Option<usize>,
) -> Result<()> {
    if letter.qr.is_empty() {
        return Ok(());
    }
    let col = mm(QR_COLUMN_MM);
    let side = mm(QR_MM);
    let n = letter.qr.len();
    let mut items = Vec::new();
    let mut height = side;
    for (i, q) in letter.qr.iter().enumerate() {
        let x0 = r - (n - i) as f32 * col;
        let mut shape = qr_shape(&q.data, side).map_err(|e| match e {
            saraban_model::Error::Input(mut p) => {
                p.iter_mut().for_each(|p| p.path = format!("qr[{i}].data"));
                saraban_model::Error::Input(p)
            }
            other => other,
        })?;
        shape.color = Color::BLACK;
        items.push((Point::new(x0 + (col - side) / 2.0, 0.0), Item::Shape(shape)));
        if let Some(caption) = &q.caption {
            let text = localize(caption, letter.digits).into_owned();
            let lines = flow.set(&text, col, 0.0, 0.0, Align::Center);
            for (k, line) in lines.iter().enumerate() {
                items.push((
                    Point::new(x0 + line.x, side + k as f32 * flow.pitch + flow.ascent),
                    Item::Text(line.run.clone()),
                ));
            }
            height = height.max(side + lines.len() as f32 * flow.pitch);
        }
    }
    let left = r - n as f32 * col;
    if let Some(from) = beside.filter(|&f| f < flow.blocks.len()) {
        // Only the lines level with the codes stand beside them and go to a page as one
        // with them; the lines below (a long สำเนาส่ง) stay lines of their own, so that they
        // flow on to the next page instead of making one block taller than a page.
        let mut y = 0.0;
        let mut beside_n = 0;
        for (k, b) in flow.blocks[from..].iter().enumerate() {
            if k > 0 && y + b.space_before >= height {
                break;
            }
            if k > 0 {
                y += b.space_before;
            }
            y += b.height;
            beside_n = k + 1;
        }
        let reach = flow.blocks[from..from + beside_n]
            .iter()
            .flat_map(|b| b.items.iter())
            .map(|(p, item)| match item {
                Item::Text(run) => p.x + run.width,
                _ => f32::MAX,
            })
            .fold(0.0f32, f32::max);
        if reach + mm(5.0) <= left {
            let rest: Vec<Block> = flow.blocks.drain(from + beside_n..).collect();
            let group: Vec<Block> = flow.blocks.drain(from..).collect();
            let mut merged = Vec::new();
            let mut y = 0.0;
            for (k, b) in group.iter().enumerate() {
                if k > 0 {
                    y += b.space_before;
                }
                for (p, item) in &b.items {
                    merged.push((Point::new(p.x, p.y + y), item.clone()));
                }
                y += b.height;
            }
            // The codes' tops level with the first line's top.
            merged.extend(items);
            let tall = y.max(height);
            flow.blocks.push(Block {
                space_before: group[0].space_before,
                height: tall,
                items: merged,
                keep_with_next: group.last().is_some_and(|b| b.keep_with_next),
                flex: group[0].flex,
            });
            // The lines below the codes start under them.
            let mut rest = rest.into_iter();
            if let Some(mut first) = rest.next() {
                first.space_before = (first.space_before + y - tall).max(0.0);
                flow.blocks.push(first);
            }
            flow.blocks.extend(rest);
            return Ok(());
        }
    }
    flow.blocks.push(Block {
        space_before: PART_GAP,
        height,
        items,
        keep_with_next: false,
        flex: PART_GAP,
    });
    Ok(())
}

/// บัญชีแนบท้าย on its own page(s): a heading naming the letter, then the numbered list.
pub(super) fn distribution(
    ts: &Typesetter,
    letter: &Letter,
    d: &saraban_model::letter::Distribution,
    l: f32,
    r: f32,
    c: f32,
) -> Vec<Frame> {
    let mut flow = Flow::new(ts, letter.digits);
    let title = flow
        .print(d.title.as_deref().unwrap_or("บัญชีรายชื่อแนบท้ายหนังสือ"))
        .into_owned();
    let bold = ts.size(FontStyle::Bold, ts.profile.body_pt);
    let title_run = ts.line(&title, FontStyle::Bold, bold, Color::BLACK);
    flow.line(0.0, vec![(c - title_run.width / 2.0, title_run)], true);
    let mut sub = String::new();
    if let Some(a) = &letter.agency {
        sub.push_str(&a.name);
    }
    // A draft leaves blanks for the running number and the day, as its first page does.
    const BLANK: &str = "        ";
    sub.push_str(&format!(" ที่ {}", letter.number_text()));
    let running = letter.number.as_ref().and_then(|n| n.running).is_some();
    if !running {
        sub.push_str(BLANK);
    }
    if let Some(date) = &letter.date {
        let t = format_date(date, letter.digits);
        match t.day {
            Some(_) => sub.push_str(&format!(" ลงวันที่ {}", t.joined())),
            None => sub.push_str(&format!(" ลงวันที่{BLANK}{}", t.month_year)),
        }
    }
    let sub = flow.print(sub.trim()).into_owned();
    let lines = flow.set(&sub, r - l, 0.0, 0.0, Align::Center);
    flow.lines(0.0, l, &lines, Vec::new(), true);
    let numbers: Vec<TextRun> = (1..=d.recipients.len())
        .map(|i| flow.run(&flow.print(&format!("{i}."))))
        .collect();
    let num_w = numbers.iter().map(|n| n.width).fold(0.0f32, f32::max);
    let tx = l + mm(INDENT_MM) / 2.0 + num_w;
    for (i, (num, who)) in numbers.into_iter().zip(&d.recipients).enumerate() {
        let x = tx - mm(2.0) - num.width;
        let set = flow.set(&flow.print(who), r - tx, 0.0, 0.0, Align::Left);
        flow.lines(
            if i == 0 { flow.pitch } else { 0.0 },
            tx,
            &set,
            vec![(x, num)],
            false,
        );
    }
    let g = Geometry::for_letter(letter);
    let area = PageArea {
        first_top: mm(30.0),
        next_top: mm(30.0),
        bottom: g.bottom(),
    };
    frames(paginate(flow.take_blocks(), area), g.size())
}
