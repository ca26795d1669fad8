//! The parts of each kind of letter as Word paragraphs, in the order and at the places of
//! `saraban_typeset::layout` (external.rs, memo.rs, directive.rs, stamped.rs, parts.rs):
//! the same measures, said as indents, tab stops and exact line heights.

use docx_rs::{
    AlignmentType, BreakType, LineSpacing, LineSpacingType, PageNum, Paragraph, Run, RunFonts,
    SpecialIndentType, Tab, TabLeaderType, TabValueType,
};
use saraban_model::letter::{BlockStyle, Kind, Letter, Signer};
use saraban_thai::{format_date, localize};
use saraban_typeset::layout::{
    Geometry, CLOSING_GAP, DRAFT_DAY_MM, EMBLEM_H_MM, EMBLEM_TOP_MM, INDENT_MM, MEMO_EMBLEM_MM,
    MEMO_LABEL_PT, MEMO_TITLE_LINE, MEMO_TITLE_PT, PART_GAP, SEAL_MM, SIGNATURE_MM,
};
use saraban_typeset::{mm, FontStyle, Typesetter};

use super::twips_pt;

/// The letter font as Word names it (the official font; Saraban's own letter font, Laksaman,
/// is its free twin with the same measures).
pub const FONT: &str = "TH SarabunIT๙";

/// The body size, in points.
const BODY_PT: f32 = 16.0;

/// The font on every slot Word chooses from: Latin, complex script (Thai), East Asian.
pub(crate) fn fonts() -> RunFonts {
    RunFonts::new()
        .ascii(FONT)
        .hi_ansi(FONT)
        .cs(FONT)
        .east_asia(FONT)
}

/// A piece of a paragraph.
#[derive(Debug, Clone)]
enum Piece {
    Text {
        text: String,
        bold: bool,
        pt: f32,
        red: bool,
        dotted: bool,
    },
    Tab,
    Break,
    PageNumber,
    Picture(Box<docx_rs::Pic>),
}

/// How a paragraph's lines stand.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Align {
    Left,
    Center,
    /// Justified the Thai way (กระจายแบบไทย).
    Thai,
}

/// One paragraph, in points from the left text edge.
#[derive(Debug, Clone)]
struct Para {
    before: f32,
    line: f32,
    left: f32,
    /// Positive: a first-line indent; negative: a hanging one.
    first: f32,
    right: f32,
    align: Align,
    /// Tab stops: kind, position, a dotted leader.
    tabs: Vec<(TabValueType, f32, bool)>,
    pieces: Vec<Piece>,
    keep_next: bool,
    page_break: bool,
    /// Stands apart from the text at a place on the page (x, y from the page's corner),
    /// as wide as its text or as given.
    frame: Option<(f32, f32, Option<f32>)>,
}

impl Para {
    fn new(line: f32) -> Para {
        Para {
            before: 0.0,
            line,
            left: 0.0,
            first: 0.0,
            right: 0.0,
            align: Align::Left,
            tabs: Vec::new(),
            pieces: Vec::new(),
            keep_next: false,
            page_break: false,
            frame: None,
        }
    }

    fn text(mut self, t: &str) -> Para {
        self.pieces.push(Piece::Text {
            text: t.to_string(),
            bold: false,
            pt: BODY_PT,
            red: false,
            dotted: false,
        });
        self
    }

    fn styled(mut self, t: &str, bold: bool, pt: f32, red: bool, dotted: bool) -> Para {
        self.pieces.push(Piece::Text {
            text: t.to_string(),
            bold,
            pt,
            red,
            dotted,
        });
        self
    }

    fn tab(mut self) -> Para {
        self.pieces.push(Piece::Tab);
        self
    }

    fn br(mut self) -> Para {
        self.pieces.push(Piece::Break);
        self
    }

    fn stop(mut self, kind: TabValueType, at: f32, dotted: bool) -> Para {
        self.tabs.push((kind, at, dotted));
        self
    }

    fn build(&self) -> Paragraph {
        let mut p = Paragraph::new().line_spacing(
            LineSpacing::new()
                .line_rule(LineSpacingType::Exact)
                .line(twips_pt(self.line))
                .before(twips_pt(self.before.max(0.0)) as u32)
                .after(0),
        );
        let special = if self.first > 0.0 {
            Some(SpecialIndentType::FirstLine(twips_pt(self.first)))
        } else if self.first < 0.0 {
            Some(SpecialIndentType::Hanging(twips_pt(-self.first)))
        } else {
            None
        };
        p = p.indent(
            Some(twips_pt(self.left)),
            special,
            Some(twips_pt(self.right)),
            None,
        );
        p = p.align(match self.align {
            Align::Left => AlignmentType::Left,
            Align::Center => AlignmentType::Center,
            // Written as distribute, made thaiDistribute by `finish`.
            Align::Thai => AlignmentType::Distribute,
        });
        for (kind, at, dotted) in &self.tabs {
            let mut t = Tab::new().val(*kind).pos(twips_pt(*at).max(0) as usize);
            if *dotted {
                t = t.leader(TabLeaderType::Dot);
            }
            p = p.add_tab(t);
        }
        if self.keep_next {
            p = p.keep_next(true);
        }
        if self.page_break {
            p = p.page_break_before(true);
        }
        if let Some((x, y, w)) = self.frame {
            p = p
                .h_anchor("page")
                .v_anchor("page")
                .frame_x(twips_pt(x))
                .frame_y(twips_pt(y))
                .wrap("around");
            if let Some(w) = w {
                p = p.frame_width(twips_pt(w).max(0) as u32);
            }
        }
        // Every paragraph mark in the letter font too (an empty line keeps the pitch).
        p = p.fonts(fonts()).size((BODY_PT * 2.0) as usize);
        for piece in &self.pieces {
            p = match piece {
                Piece::Text {
                    text,
                    bold,
                    pt,
                    red,
                    dotted,
                } => {
                    let mut r = Run::new()
                        .add_text(text.as_str())
                        .fonts(fonts())
                        .size((pt * 2.0).round() as usize);
                    if *bold {
                        r = r.bold();
                    }
                    if *red {
                        r = r.color("FF0000");
                    }
                    if *dotted {
                        r = r.underline("dotted");
                    }
                    p.add_run(r)
                }
                Piece::Tab => p.add_run(Run::new().add_tab()),
                Piece::Break => p.add_run(Run::new().add_break(BreakType::TextWrapping)),
                Piece::PageNumber => p.add_page_num(PageNum::new()),
                Piece::Picture(pic) => p.add_run(Run::new().add_image((**pic).clone())),
            };
        }
        p
    }
}

/// Turns one letter into paragraphs.
pub(crate) struct Writer<'a> {
    ts: &'a Typesetter,
    pub letter: &'a Letter,
    g: Geometry,
    paras: Vec<Para>,
    /// Baseline pitch of body lines, in points.
    pitch: f32,
    /// The gap between a label and its value (two typewriter spaces).
    gap: f32,
}

impl<'a> Writer<'a> {
    pub fn new(ts: &'a Typesetter, letter: &'a Letter, g: Geometry) -> Writer<'a> {
        let size = ts.size(FontStyle::Regular, ts.profile.body_pt);
        Writer {
            ts,
            letter,
            g,
            paras: Vec::new(),
            pitch: ts.profile.line_pitch,
            gap: 0.648 * size,
        }
    }

    /// Text as printed: digits per the letter's policy.
    fn print(&self, s: &str) -> String {
        localize(s, self.letter.digits).into_owned()
    }

    /// Width of text at `pt` (TH Sarabun points), in points.
    fn width(&self, text: &str, bold: bool, pt: f32) -> f32 {
        let style = if bold {
            FontStyle::Bold
        } else {
            FontStyle::Regular
        };
        self.ts.measure(text, style, self.ts.size(style, pt))
    }

    /// The text width: from the left margin to the right one.
    fn text_w(&self) -> f32 {
        self.g.r() - self.g.l()
    }

    /// The page centre line, from the left margin.
    fn centre(&self) -> f32 {
        self.g.c() - self.g.l()
    }

    fn line(&self) -> Para {
        Para::new(self.pitch)
    }

    fn push(&mut self, p: Para) {
        self.paras.push(p);
    }

    /// Ties the last paragraph to the next one (never a label alone at a page's foot).
    fn keep_last(&mut self) {
        if let Some(p) = self.paras.last_mut() {
            p.keep_next = true;
        }
    }

    /// Adds `space` points before the first paragraph that stands in the text (not in a
    /// frame): where the first page's text starts under the emblem.
    pub fn lead_in(&mut self, space_mm: f32) {
        if let Some(p) = self.paras.iter_mut().find(|p| p.frame.is_none()) {
            p.before += mm(space_mm.max(0.0));
        }
    }

    /// Anchors a floating picture (the emblem) to the first paragraph in the text.
    pub fn attach(&mut self, pic: docx_rs::Pic) {
        if let Some(p) = self.paras.iter_mut().find(|p| p.frame.is_none()) {
            p.pieces.insert(0, Piece::Picture(Box::new(pic)));
        }
    }

    pub fn take_paragraphs(&mut self) -> Vec<Paragraph> {
        std::mem::take(&mut self.paras)
            .iter()
            .map(Para::build)
            .collect()
    }

    /// A secrecy mark (ลับ …): bold 20 pt, centred, in the mark colour.
    pub fn mark(&self, text: &str) -> Paragraph {
        let mut p = Para::new(self.pitch * 20.0 / 16.0).styled(
            text,
            true,
            20.0,
            self.ts.profile.color_marks,
            false,
        );
        p.align = Align::Center;
        p.build()
    }

    /// The header's line: the page number `- ๒ -` centred (Thai digits when the letter's
    /// are), ร่าง at the right on a draft.
    pub fn header_line(&self, numbered: bool, draft: bool) -> Paragraph {
        let mut p = self
            .line()
            .stop(TabValueType::Center, self.text_w() / 2.0, false)
            .stop(TabValueType::Right, self.text_w(), false);
        if numbered {
            p = p.tab().text("- ");
            p.pieces.push(Piece::PageNumber);
            p = p.text(" -");
        }
        if draft {
            if !numbered {
                p = p.tab();
            }
            p = p.tab().styled("ร่าง", true, BODY_PT, false, false);
        }
        p.build()
    }

    /// Lays the letter out; returns where the PDF's first page starts its text, in mm from
    /// the top.
    pub fn lay_out(&mut self) -> f32 {
        let letter = self.letter;
        let first_top = match letter.kind {
            Kind::External => {
                self.urgency();
                self.number_and_agency(true);
                self.date();
                if let Some(s) = &letter.subject {
                    self.labeled("เรื่อง", &self.print(s));
                }
                if let Some(sal) = letter.salutation_or_default() {
                    self.recipient(sal);
                }
                let refs: Vec<(String, Option<String>)> = letter
                    .references
                    .iter()
                    .map(|x| (self.print(x), None))
                    .collect();
                self.numbered("อ้างถึง", &refs);
                self.enclosures();
                self.body();
                self.signature(letter.closing_or_default());
                self.owner();
                EMBLEM_TOP_MM + EMBLEM_H_MM
            }
            Kind::Memo => self.memo(),
            Kind::Order | Kind::Announcement => {
                self.urgency();
                self.directive();
                EMBLEM_TOP_MM + EMBLEM_H_MM + PART_GAP * 25.4 / 72.0
            }
            Kind::Stamped => {
                self.urgency();
                self.number_and_agency(false);
                self.recipient("ถึง");
                self.body();
                self.enclosures();
                self.stamped_ending();
                self.owner();
                EMBLEM_TOP_MM + EMBLEM_H_MM
            }
        };
        self.distribution();
        first_top
    }

    /// ชั้นความเร็ว at the left margin above ที่: bold 32 pt, in a frame of its own.
    fn urgency(&mut self) {
        if let Some(u) = self.letter.urgency {
            let line = self.pitch * 2.0;
            let mut p =
                Para::new(line).styled(u.mark(), true, 32.0, self.ts.profile.color_marks, false);
            p.frame = Some((self.g.l(), mm(EMBLEM_TOP_MM + EMBLEM_H_MM) - line, None));
            self.push(p);
        }
    }

    /// `ที่ …` at the left margin; with `agency`, the agency block at the right on the same
    /// line (a tab to a hanging indent, each line of the address under the name).
    fn number_and_agency(&mut self, agency: bool) {
        let number = format!("ที่ {}", self.print(&self.letter.number_text()));
        let lines: Vec<String> = match (&self.letter.agency, agency) {
            (Some(a), true) => std::iter::once(a.name.as_str())
                .chain(a.address.iter().map(String::as_str))
                .map(|s| self.print(s))
                .collect(),
            _ => Vec::new(),
        };
        let mut p = self.line().text(&number);
        if !lines.is_empty() {
            let widest = lines
                .iter()
                .map(|s| self.width(s, false, BODY_PT))
                .fold(0.0f32, f32::max);
            let (l, r, c) = (self.g.l(), self.g.r(), self.g.c());
            let block_x = (r - widest)
                .max(c)
                .max(l + self.width(&number, false, BODY_PT) + self.gap)
                - l;
            p.left = block_x;
            p.first = -block_x;
            p = p.stop(TabValueType::Left, block_x, false);
            for (i, s) in lines.iter().enumerate() {
                p = if i == 0 { p.tab() } else { p.br() };
                p = p.text(s);
            }
        }
        p.keep_next = true;
        self.push(p);
    }

    /// วัน เดือน ปี from the centre line; a draft leaves the day blank.
    fn date(&mut self) {
        let Some(d) = &self.letter.date else { return };
        let t = format_date(d, self.letter.digits);
        let mut p = self.line();
        p.before = PART_GAP;
        p.left = self.centre();
        match t.day {
            Some(_) => p = p.text(&t.joined()),
            None => {
                p.left += mm(DRAFT_DAY_MM);
                p = p.text(&t.month_year);
            }
        }
        p.keep_next = true;
        self.push(p);
    }

    /// A label at the left margin, a tab, its value; wrapped lines hang under the value.
    fn labeled(&mut self, label: &str, value: &str) {
        let vx = self.width(label, false, BODY_PT) + self.gap;
        let mut p = self.line().text(label).tab().text(value);
        p.before = PART_GAP;
        p.left = vx;
        p.first = -vx;
        p = p.stop(TabValueType::Left, vx, false);
        p.keep_next = true;
        self.push(p);
    }

    fn recipient(&mut self, label: &str) {
        let r = self
            .letter
            .recipient
            .as_deref()
            .map(|x| self.print(x))
            .unwrap_or_default();
        let label = self.print(label);
        self.labeled(&label, &r);
    }

    /// อ้างถึง or สิ่งที่ส่งมาด้วย: several items numbered ๑. ๒., each quantity on a right tab
    /// at the margin.
    fn numbered(&mut self, label: &str, items: &[(String, Option<String>)]) {
        if items.is_empty() {
            return;
        }
        let vx = self.width(label, false, BODY_PT) + self.gap;
        let several = items.len() > 1;
        let numbers: Vec<String> = (1..=items.len())
            .map(|i| self.print(&format!("{i}.")))
            .collect();
        let num_w = if several {
            numbers
                .iter()
                .map(|n| self.width(n, false, BODY_PT))
                .fold(0.0f32, f32::max)
        } else {
            0.0
        };
        let tx = if several {
            vx + num_w + self.gap * 0.75
        } else {
            vx
        };
        for (i, (title, quantity)) in items.iter().enumerate() {
            let mut p = self.line();
            if i == 0 {
                p = p.text(label);
                p.before = PART_GAP;
            }
            p = p.tab();
            if several {
                p = p.text(&numbers[i]).tab();
            }
            p = p.text(title);
            if let Some(q) = quantity {
                p = p.tab().text(q);
            }
            p.left = tx;
            p.first = -tx;
            if several {
                p = p.stop(TabValueType::Left, vx, false);
            }
            p = p.stop(TabValueType::Left, tx, false).stop(
                TabValueType::Right,
                self.text_w(),
                false,
            );
            p.keep_next = true;
            self.push(p);
        }
    }

    fn enclosures(&mut self) {
        let items: Vec<(String, Option<String>)> = self
            .letter
            .enclosures
            .iter()
            .map(|e| {
                (
                    self.print(&e.title),
                    e.quantity.as_ref().map(|q| self.print(q)),
                )
            })
            .collect();
        self.numbered("สิ่งที่ส่งมาด้วย", &items);
    }

    /// The body: paragraphs with a 2.5 cm first-line indent, justified the Thai way; items
    /// hanging after their own number (numbered as the PDF numbers them).
    fn body(&mut self) {
        let indent = mm(INDENT_MM);
        let w = self.text_w();
        let size = self.ts.size(FontStyle::Regular, BODY_PT);
        let mut after_item = false;
        let mut items = 0;
        for (i, block) in self.letter.body.iter().enumerate() {
            let mut text = self.print(block.text());
            if block.style() == BlockStyle::Item {
                items += 1;
                if item_number_end(&text) == 0 {
                    let label = match self.letter.kind {
                        Kind::Order | Kind::Announcement => format!("ข้อ {items}"),
                        _ => format!("{items}."),
                    };
                    text = format!("{} {text}", self.print(&label));
                }
            }
            let opening = if i == 0 || after_item { PART_GAP } else { 0.0 };
            after_item = block.style() == BlockStyle::Item;
            let mut p = self.line().text(&text);
            p.align = Align::Thai;
            match block.style() {
                BlockStyle::Paragraph => {
                    p.first = indent;
                    p.before = opening;
                }
                BlockStyle::Plain => p.before = opening,
                BlockStyle::Item => {
                    let lead_end = item_number_end(&text);
                    let hang = self.width(&text[..lead_end], false, BODY_PT)
                        + if lead_end > 0 { 0.324 * size } else { 0.0 };
                    let rest = (indent + hang).min(w / 2.0);
                    p.left = rest;
                    p.first = -(rest - indent);
                    p.before = PART_GAP;
                }
            }
            self.push(p);
        }
    }

    /// คำลงท้าย from the centre line; the space to sign; (name) and positions centred under
    /// the closing.
    fn signature(&mut self, closing: Option<&str>) {
        let signer = self.letter.signer.as_ref();
        if closing.is_none() && signer.is_none() {
            return;
        }
        let closing = closing.map(|s| self.print(s));
        let centre = self.centre()
            + match &closing {
                Some(s) => self.width(s, false, BODY_PT),
                None => self.width("ขอแสดงความนับถือ", false, BODY_PT),
            } / 2.0;
        if let Some(c) = &closing {
            // The body's last lines go with the signature.
            if let Some(p) = self.paras.last_mut() {
                p.keep_next = true;
            }
            let mut p = self.line().text(c);
            p.before = CLOSING_GAP;
            p.left = self.centre();
            p.keep_next = true;
            self.push(p);
        }
        let blank = Signer::default();
        let signer = signer.unwrap_or(&blank);
        let space = mm(SIGNATURE_MM) + if closing.is_some() { 0.0 } else { CLOSING_GAP };
        let name_line = if signer.name.trim().is_empty() {
            // ( ……… ) for a name written by hand.
            let half = mm(saraban_typeset::layout::BLANK_NAME_MM) / 2.0;
            let open = self.width("(", false, BODY_PT);
            let x0 = centre - half - open;
            let mut p = self.line().text("(").tab().text(")");
            p.left = x0.max(0.0);
            p = p.stop(TabValueType::Left, x0.max(0.0) + open + 2.0 * half, false);
            p
        } else {
            self.centred_on(&format!("({})", self.print(&signer.name)), centre)
        };
        let mut name_line = name_line;
        name_line.before = space;
        let lines: Vec<String> = signer
            .position_lines()
            .iter()
            .map(|p| self.print(p))
            .collect();
        name_line.keep_next = !lines.is_empty();
        self.push(name_line);
        let n = lines.len();
        for (i, s) in lines.iter().enumerate() {
            let mut p = self.centred_on(s, centre);
            p.keep_next = i + 1 < n;
            self.push(p);
        }
    }

    /// A line centred on `centre` (from the left margin): indents whose middle is there.
    fn centred_on(&self, text: &str, centre: f32) -> Para {
        let mut p = self.line().text(text);
        p.align = Align::Center;
        let w = self.text_w();
        // The middle of [left, w - right] is `centre`.
        let shift = 2.0 * centre - w;
        if shift >= 0.0 {
            p.left = shift;
        } else {
            p.right = -shift;
        }
        p
    }

    /// ส่วนราชการเจ้าของเรื่อง with โทร., โทรสาร, ไปรษณีย์อิเล็กทรอนิกส์; then สำเนาส่ง.
    fn owner(&mut self) {
        let count = self.owner_block();
        self.copies_to(count == 0);
    }

    fn owner_block(&mut self) -> usize {
        let lines = self.letter.owner_lines(|v| self.print(v));
        let n = lines.len();
        for (i, s) in lines.iter().enumerate() {
            let mut p = self.line().text(s);
            if i == 0 {
                p.before = self.pitch;
            }
            p.keep_next = i + 1 < n;
            self.push(p);
        }
        n
    }

    fn copies_to(&mut self, first: bool) {
        let copies = &self.letter.copies_to;
        if copies.is_empty() {
            return;
        }
        let vx = self.width("สำเนาส่ง", false, BODY_PT) + self.gap;
        for (i, c) in copies.iter().enumerate() {
            let mut p = self.line();
            if i == 0 {
                p = p.text("สำเนาส่ง");
                p.before = if first { self.pitch } else { PART_GAP };
            }
            p = p.tab().text(&self.print(c));
            p.left = vx;
            p.first = -vx;
            p = p.stop(TabValueType::Left, vx, false);
            p.keep_next = i + 1 < copies.len();
            self.push(p);
        }
    }

    /// บันทึกข้อความ: the emblem 15 mm at the left (placed by `emblem`), the title in a frame,
    /// ส่วนราชการ, ที่ and วันที่, เรื่อง with bold 20 pt labels on dotted lines; เรียน, the
    /// body, the signature with no closing.
    fn memo(&mut self) -> f32 {
        let letter = self.letter;
        // The title, bold 29 pt on an exactly-35 pt line, centred at the top.
        let mut title =
            Para::new(MEMO_TITLE_LINE).styled("บันทึกข้อความ", true, MEMO_TITLE_PT, false, false);
        title.align = Align::Center;
        // As wide as the text, so that it is centred as the PDF centres it.
        title.frame = Some((self.g.l(), mm(EMBLEM_TOP_MM), Some(self.text_w())));
        self.push(title);
        let header_pitch = self.pitch * MEMO_LABEL_PT / 16.0;
        let w = self.text_w();
        let unit = letter.memo_unit(|s| self.print(s));
        // A label, its value on a dotted line to the margin; wrapped lines hang under the
        // value.
        let gap = self.width("  ", false, BODY_PT);
        let field = |me: &Writer<'_>, label: &str, value: &str| {
            let vx = me.width(label, true, MEMO_LABEL_PT) + gap;
            let mut p = Para::new(header_pitch)
                .styled(label, true, MEMO_LABEL_PT, false, false)
                .text("  ")
                .text(value)
                .tab()
                .stop(TabValueType::Right, w, true);
            p.left = vx;
            p.first = -vx;
            p
        };
        let mut p = field(self, "ส่วนราชการ", &unit.join(" "));
        p.keep_next = true;
        self.push(p);
        // ที่ in the left half, วันที่ from the middle of the line, each on its dotted line.
        let number = self.print(&letter.number_text());
        let date = letter.date.map(|d| format_date(&d, letter.digits));
        let mid = w / 2.0;
        let mut p = Para::new(header_pitch)
            .styled("ที่", true, MEMO_LABEL_PT, false, false)
            .text("  ")
            .text(&number)
            .tab()
            .styled("วันที่", true, MEMO_LABEL_PT, false, false)
            .text("  ");
        if let Some(d) = &date {
            if d.day.is_none() {
                p = p.tab();
                let at = mid
                    + self.width("วันที่", true, MEMO_LABEL_PT)
                    + self.width("  ", false, BODY_PT)
                    + mm(DRAFT_DAY_MM);
                p = p.stop(TabValueType::Left, at, false);
            }
            p = p.text(&d.joined());
        }
        p = p
            .tab()
            .stop(TabValueType::Left, mid, true)
            .stop(TabValueType::Right, w, true);
        p.tabs.sort_by(|a, b| a.1.total_cmp(&b.1));
        p.keep_next = true;
        self.push(p);
        if let Some(s) = &letter.subject {
            let mut p = field(self, "เรื่อง", &self.print(s));
            p.keep_next = true;
            self.push(p);
        }
        if let Some(sal) = letter.salutation_or_default() {
            self.recipient(sal);
        }
        self.body();
        self.signature(None);
        self.copies_to(true);
        let top = EMBLEM_TOP_MM;
        (top + MEMO_EMBLEM_MM).max(top + MEMO_TITLE_LINE * 25.4 / 72.0) + PART_GAP * 25.4 / 72.0
    }

    /// คำสั่ง / ประกาศ: the title, ที่ and เรื่อง centred; the body; สั่ง ณ วันที่ from the
    /// paragraph indent; the signature.
    fn directive(&mut self) {
        let letter = self.letter;
        let order = letter.kind == Kind::Order;
        // Centred on the page's centre line, as the PDF centres them (not on the text's,
        // which the wider left margin moves 5 mm right).
        let centred = |w: &Writer<'_>, text: &str, bold: bool| {
            let mut p = w.line().styled(text, bold, BODY_PT, false, false);
            p.align = Align::Center;
            p.right = (w.g.r() - (2.0 * w.g.c() - w.g.l())).max(0.0);
            p.keep_next = true;
            p
        };
        let p = centred(self, &self.print(&letter.directive_title()), true);
        self.push(p);
        let numbered = order || letter.number.as_ref().and_then(|n| n.running).is_some();
        if numbered {
            let p = centred(
                self,
                &format!("ที่ {}", self.print(&letter.number_text())),
                false,
            );
            self.push(p);
        }
        if let Some(s) = &letter.subject {
            let p = centred(self, &format!("เรื่อง {}", self.print(s)), false);
            self.push(p);
        }
        self.body();
        let lead = if order {
            "สั่ง ณ วันที่"
        } else {
            "ประกาศ ณ วันที่"
        };
        self.keep_last();
        let mut p = self.line();
        p.before = CLOSING_GAP;
        p.left = mm(INDENT_MM);
        match letter.date.map(|d| format_date(&d, letter.digits)) {
            Some(t) => {
                let mut words = t.month_year.split_whitespace();
                let month = words.next().unwrap_or("").to_string();
                let year = words.last().unwrap_or("").to_string();
                match &t.day {
                    Some(day) => p = p.text(&format!("{lead} {day} {month} พ.ศ. {year}")),
                    None => {
                        let at =
                            mm(INDENT_MM) + self.width(lead, false, BODY_PT) + mm(DRAFT_DAY_MM);
                        p = p
                            .text(lead)
                            .tab()
                            .text(&format!("{month} พ.ศ. {year}"))
                            .stop(TabValueType::Left, at, false);
                    }
                }
            }
            None => p = p.text(lead),
        }
        p.keep_next = true;
        self.push(p);
        self.signature(None);
        let count = self.owner_block();
        self.copies_to(count == 0);
    }

    /// หนังสือประทับตรา's ending: the agency's name centred right of the centre line, the
    /// 45 mm space for the seal, the date under it.
    fn stamped_ending(&mut self) {
        let letter = self.letter;
        let (l, r, c) = (self.g.l(), self.g.r(), self.g.c());
        let sx = (c + r) / 2.0 - l;
        self.keep_last();
        let mut p = self.centred_on(&self.print(&letter.stamp_agency()), sx);
        p.before = CLOSING_GAP;
        p.keep_next = true;
        self.push(p);
        if let Some(d) = &letter.date {
            let t = format_date(d, letter.digits);
            let text = t.joined();
            let shift = if t.day.is_some() {
                0.0
            } else {
                mm(DRAFT_DAY_MM) / 2.0
            };
            let mut p = self.centred_on(&text, sx + shift);
            p.before = mm(SEAL_MM);
            self.push(p);
        } else {
            let mut p = self.line();
            p.before = mm(SEAL_MM);
            self.push(p);
        }
    }

    /// บัญชีแนบท้าย on a page of its own: the heading, the letter it belongs to, the list.
    fn distribution(&mut self) {
        let letter = self.letter;
        let Some(d) = &letter.distribution else {
            return;
        };
        let title = self.print(d.title.as_deref().unwrap_or("บัญชีรายชื่อแนบท้ายหนังสือ"));
        let mut p = self.line().styled(&title, true, BODY_PT, false, false);
        p.align = Align::Center;
        p.page_break = true;
        p.keep_next = true;
        self.push(p);
        let mut sub = String::new();
        if let Some(a) = &letter.agency {
            sub.push_str(&a.name);
        }
        const BLANK: &str = "        ";
        sub.push_str(&format!(" ที่ {}", letter.number_text()));
        if letter.number.as_ref().and_then(|n| n.running).is_none() {
            sub.push_str(BLANK);
        }
        if let Some(date) = &letter.date {
            let t = format_date(date, letter.digits);
            match t.day {
                Some(_) => sub.push_str(&format!(" ลงวันที่ {}", t.joined())),
                None => sub.push_str(&format!(" ลงวันที่{BLANK}{}", t.month_year)),
            }
        }
        let mut p = self.line().text(&self.print(sub.trim()));
        p.align = Align::Center;
        p.keep_next = true;
        self.push(p);
        let numbers: Vec<String> = (1..=d.recipients.len())
            .map(|i| self.print(&format!("{i}.")))
            .collect();
        let num_w = numbers
            .iter()
            .map(|n| self.width(n, false, BODY_PT))
            .fold(0.0f32, f32::max);
        let tx = mm(INDENT_MM) / 2.0 + num_w;
        for (i, (num, who)) in numbers.iter().zip(&d.recipients).enumerate() {
            let mut p = self
                .line()
                .tab()
                .text(num)
                .tab()
                .text(&self.print(who))
                .stop(TabValueType::Right, tx - mm(2.0), false)
                .stop(TabValueType::Left, tx, false);
            p.left = tx;
            p.first = -tx;
            if i == 0 {
                p.before = self.pitch;
            }
            self.push(p);
        }
    }
}

/// Byte length of an item's own number (`๑.`, `(๒)`, `ข้อ ๓`), as the layout reads it.
fn item_number_end(text: &str) -> usize {
    saraban_typeset::layout::item_number_end(text)
}
