//! A letter handed to Word (ส่งออก Word): the same parts, in the same order and places as
//! the PDF, written as paragraphs a chief can edit.
//!
//! Why not the PDF's frames? A frame holds lines already broken and placed; Word must break
//! and place them again as the chief types. So this crate walks the [`Letter`] kind by kind,
//! as the typesetter's layouts do, and says each part the way the Office of the Prime
//! Minister's typing guide (and the DLA's Word templates) say it: A4 with the official
//! margins, TH SarabunIT๙ 16 pt (the name Word knows, on the Latin, complex-script and
//! East-Asian slots alike), lines exactly one baseline pitch apart, labels followed by a
//! tab to a hanging indent (เรื่อง, เรียน), the date and the closing from the page's centre
//! line, enclosure quantities on a right tab at the margin, the body's first lines indented
//! 2.5 cm and justified the Thai way, the Garuda where the PDF has it. The positions come
//! from the same measures as the PDF's (the typesetter's font, `saraban_typeset::layout`'s
//! geometry), so the two agree to within a line wherever Word breaks a line as Saraban did.
//!
//! Three things Word understands and docx-rs cannot say are written into the package after
//! it (see [`finish`]): the Thai language of the text (so Word breaks lines between Thai
//! words), Thai distributed justification, and Thai digits in page numbers.
//!
//! What the DOCX leaves out, because Word has no place for it or a clerk adds it there: the
//! letter's QR codes, the continuation word at the foot of a page (`/คำ…`), the file
//! copy's initials.

mod emblem;
mod finish;
mod parts;

use docx_rs::{Docx, Header, PageMargin};
use saraban_model::error::{Error, Result};
use saraban_model::letter::Letter;
use saraban_thai::localize;
use saraban_typeset::layout::{Geometry, PAGE_NUMBER_TOP_MM};
use saraban_typeset::{Graphic, Typesetter};

pub use parts::FONT;

/// Twips (1/20 pt) in a millimetre.
pub(crate) fn twips_mm(mm: f32) -> i32 {
    (mm * 72.0 / 25.4 * 20.0).round() as i32
}

/// Twips in `pt` points.
pub(crate) fn twips_pt(pt: f32) -> i32 {
    (pt * 20.0).round() as i32
}

/// English Metric Units (drawing sizes) in a millimetre.
pub(crate) fn emu_mm(mm: f32) -> u32 {
    (mm * 36_000.0).round() as u32
}

/// Whether the letter is a draft: no running number yet, or its day left blank. A draft is
/// marked ร่าง at the top of every page and keeps the blanks for the number and the day.
pub fn is_draft(letter: &Letter) -> bool {
    let unnumbered = letter.number.as_ref().and_then(|n| n.running).is_none();
    let undated = letter.date.is_none_or(|d| d.day.is_none());
    unnumbered || undated
}

/// Writes `letter` as a Word document (.docx bytes). `emblem` is the office's Garuda (drawn
/// at the PDF's size and place); without one its place stays empty, as in the PDF.
pub fn write(ts: &Typesetter, letter: &Letter, emblem: Option<&Graphic>) -> Result<Vec<u8>> {
    let g = Geometry::for_letter(letter);
    let mut w = parts::Writer::new(ts, letter, g);
    let first_top = w.lay_out();
    let pitch_mm = ts.profile.line_pitch * 25.4 / 72.0;
    // Every page but the first starts two lines under its page number, as in the PDF; the
    // first page's first paragraph makes up the difference down to where the PDF starts.
    let top_mm = PAGE_NUMBER_TOP_MM + 2.0 * pitch_mm;
    w.lead_in(first_top - top_mm);

    let draft = is_draft(letter);
    let mut doc = Docx::new()
        .page_size(twips_mm(g.page_w) as u32, twips_mm(g.page_h) as u32)
        .page_margin(
            PageMargin::new()
                .top(twips_mm(top_mm))
                .bottom(twips_mm(g.bottom))
                .left(twips_mm(g.left))
                .right(twips_mm(g.right))
                .header(twips_mm(PAGE_NUMBER_TOP_MM))
                .footer(twips_mm(g.bottom / 2.0))
                .gutter(0),
        )
        .default_fonts(parts::fonts())
        .default_size(32)
        .page_num_type(docx_rs::PageNumType::new().start(1))
        .title_pg()
        .first_header(header(&w, false, draft))
        .header(header(&w, true, draft));
    if let Some(s) = letter.secrecy {
        let footer = docx_rs::Footer::new().add_paragraph(w.mark(s.mark()));
        doc = doc.first_footer(footer.clone()).footer(footer);
    }
    if let Some(e) = emblem {
        w.attach(emblem::picture(e, letter, g)?);
    }
    for p in w.take_paragraphs() {
        doc = doc.add_paragraph(p);
    }
    let mut out = std::io::Cursor::new(Vec::new());
    doc.build().pack(&mut out).map_err(|e| Error::Register {
        th: format!("เขียนไฟล์ Word ไม่ได้ ({e})"),
        en: format!("cannot write the Word file ({e})"),
    })?;
    let thai_digits = localize("1", letter.digits) != "1";
    finish::finish(&out.into_inner(), thai_digits)
}

/// A page's header: the secrecy mark centred; then one line with, on every page after the
/// first, its number `- ๒ -` centred, and ร่าง at the right on a draft.
fn header(w: &parts::Writer<'_>, numbered: bool, draft: bool) -> Header {
    let mut h = Header::new();
    if let Some(s) = w.letter.secrecy {
        h = h.add_paragraph(w.mark(s.mark()));
    }
    h.add_paragraph(w.header_line(numbered, draft))
}
