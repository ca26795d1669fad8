//! The mark of a cancelled letter (ยกเลิก), drawn over the copy a clerk saves or prints:
//! red, in the page's top and bottom margins where a letter prints nothing, so that it
//! reads at a glance and covers none of the letter.

use saraban_thai::breaks::shorten;

use crate::frame::{mm, Color, Document, Frame, Item, Point, Size};
use crate::{FontStyle, Typesetter};

/// One page of `size` holding only the mark: a large ยกเลิก at the top right, and at the
/// foot the register's note of the cancellation (reason and date).
pub fn cancelled(ts: &Typesetter, size: Size, note: &str) -> Document {
    let mut page = Frame::new(size);
    let big = ts.size(FontStyle::Bold, 28.0);
    let word = ts.line("ยกเลิก", FontStyle::Bold, big, Color::RED);
    let right = size.w - mm(20.0);
    page.push(Point::new(right - word.width, mm(16.0)), Item::Text(word));
    let small = ts.size(FontStyle::Regular, 14.0);
    let text = note.trim().to_string();
    // One line across the foot, between the margins; a long reason is cut at a word end.
    let width = size.w - mm(30.0) - mm(20.0);
    let mut keep = text.chars().count();
    let mut line = ts.line(&text, FontStyle::Regular, small, Color::RED);
    while line.width > width && keep > 10 {
        keep -= 5;
        let cut = format!("{}…", shorten(&text, keep));
        line = ts.line(&cut, FontStyle::Regular, small, Color::RED);
    }
    page.push(Point::new(mm(30.0), size.h - mm(8.0)), Item::Text(line));
    Document {
        pages: vec![page],
        fonts: ts.fonts.clone(),
        title: "ยกเลิก".into(),
        subject: String::new(),
        author: String::new(),
        letter_data: None,
    }
}
