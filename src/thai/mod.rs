//! Thai text: digits, Buddhist-Era dates, and where a line may break.
//!
//! Nothing here knows about fonts or pages; the typesetter calls these to turn what the clerk
//! typed into what is printed.

pub mod breaks;
pub mod date;
pub mod digits;

pub use breaks::LineBreaker;
pub use date::{format_date, month_name, DateText};
pub use digits::{localize, to_arabic_digits, to_thai_digits};

/// True for characters of the Thai block (U+0E00–U+0E7F).
pub fn is_thai(c: char) -> bool {
    ('\u{0E00}'..='\u{0E7F}').contains(&c)
}

/// True for Thai marks that sit on the previous character and never start a grapheme:
/// MAI HAN-AKAT, the upper and lower vowels, the tone marks and the other diacritics, and
/// SARA AM (whose nikhahit sits on the consonant before it).
pub fn is_thai_combining(c: char) -> bool {
    matches!(c, '\u{0E31}' | '\u{0E33}'..='\u{0E3A}' | '\u{0E47}'..='\u{0E4E}')
}
