//! # saraban-thai: Thai text, as an official letter writes it
//!
//! Digits (เลขไทย ๐–๙ and Arabic, the letter's [`Digits`] policy), Buddhist-Era dates (the
//! letter's [`LetterDate`], printed as วัน เดือน ปี พ.ศ.), where a line of Thai may break
//! ([`LineBreaker`]: ICU4X's dictionary breaker, refined with PyThaiNLP's word list), and
//! the character checks a letter code needs (invisible and look-alike characters, NFC).
//!
//! Why a crate of its own: it is the bottom of Saraban. It knows nothing of letters,
//! fonts, pages or registers, so the compiler keeps it so: the letter model
//! (`saraban-model`) and everything above call it, never the other way round.

pub mod breaks;
pub mod date;
pub mod digits;
pub mod helper;
mod letter_date;

pub use breaks::LineBreaker;
pub use date::{format_date, month_name, DateText};
pub use digits::{localize, thai_count, to_arabic_digits, to_thai_digits, Digits};
pub use helper::Helper;
pub use letter_date::{DateProblem, LetterDate};

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

/// True for characters that print as nothing: format characters (general category Cf:
/// ZERO WIDTH SPACE, SOFT HYPHEN, ZERO WIDTH JOINER, BYTE ORDER MARK, bidirectional
/// marks…). Two texts differing only by these look identical on paper.
pub fn is_invisible(c: char) -> bool {
    use unicode_general_category::{get_general_category, GeneralCategory};
    get_general_category(c) == GeneralCategory::Format
}

/// The first invisible character in `s`, with its position in characters.
pub fn find_invisible(s: &str) -> Option<(usize, char)> {
    s.chars().enumerate().find(|(_, c)| is_invisible(*c))
}

/// The first character of `s` that only looks like another (UTS #39: its confusable
/// skeleton is other text): ONE DOT LEADER for a full stop, a full-width or mathematical
/// digit for a digit, a Cyrillic letter for a Latin one. Thai text, ASCII and spaces are
/// what a letter code is typed with and are never flagged. Returns the position in
/// characters, the character, and what it looks like.
pub fn find_look_alike(s: &str) -> Option<(usize, char, String)> {
    use unicode_security::confusable_detection::skeleton;
    s.chars().enumerate().find_map(|(i, c)| {
        if c.is_ascii() || is_thai(c) || c.is_whitespace() {
            return None;
        }
        let mut buf = [0u8; 4];
        let one = c.encode_utf8(&mut buf);
        let confusable: String = skeleton(one).collect();
        if confusable == *one || confusable.is_empty() {
            return None;
        }
        // What to type instead: the compatibility form where there is one (a full-width
        // 0 is a 0, whose skeleton is the letter O), else the skeleton.
        let compatible = icu_normalizer::ComposingNormalizerBorrowed::new_nfkc()
            .normalize(one)
            .into_owned();
        let looks = if compatible != *one && compatible.is_ascii() {
            compatible
        } else {
            confusable
        };
        Some((i, c, looks))
    })
}

/// `s` in Unicode normal form C (composed), as keys and comparisons need it.
pub fn nfc(s: &str) -> String {
    icu_normalizer::ComposingNormalizerBorrowed::new_nfc()
        .normalize(s)
        .into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn look_alike_characters_are_found_by_the_unicode_data() {
        for (code, looks) in [
            ("มท 0810\u{2024}2", "."),
            ("มท ０810.2", "0"),
            ("มท 𝟎810.2", "0"),
            ("มท 0810.２", "2"),
        ] {
            let found = find_look_alike(code).unwrap_or_else(|| panic!("{code}"));
            assert_eq!(found.2, looks, "{code}");
        }
        assert_eq!(find_look_alike("มท ๐๘๑๐.๒/ว 0810.2 (ก)"), None);
    }

    #[test]
    fn invisible_characters_are_found() {
        for c in [
            '\u{200B}', '\u{00AD}', '\u{200D}', '\u{FEFF}', '\u{2060}', '\u{200E}',
        ] {
            assert!(is_invisible(c), "{:04X}", c as u32);
        }
        for c in ['ก', 'ำ', ' ', '๑', 'a', '\u{00A0}'] {
            assert!(!is_invisible(c), "{:04X}", c as u32);
        }
        assert_eq!(find_invisible("มท\u{200B} ๐๘๑๐"), Some((2, '\u{200B}')));
        assert_eq!(nfc("e\u{0301}"), "\u{00E9}");
    }
}
