//! Searching with `pg_trgm` as SQLite's FTS5 trigram index searches: any substring of three
//! characters or more, punctuation included, newest letters first, without reading the
//! whole register for a common word.
//!
//! Three things stand between `pg_trgm` and that:
//!
//! - **It keeps only letters and digits.** `ถิ่น"` is indexed as `ถิ่น`, so a query with a
//!   quote or a slash finds every letter with the word and must read each one. The text is
//!   stored with punctuation spelled as letters of a script no Thai letter uses (Cherokee,
//!   [`indexable`]), and queries are spelled alike; snippets are spelled back
//!   ([`readable`]).
//! - **Thai trigrams are common.** A letter of 800 characters holds most trigrams of
//!   everyday words, so for a substring of two common words (`ไม่การ`) the index names
//!   fifteen times the letters that hold it, and each must be read to be checked. So each
//!   pair of adjacent characters is also spelled as one symbol ([`grams`], CJK ideographs,
//!   which `pg_trgm` keeps) in a column of its own: the trigrams of that column are the
//!   four-character grams of the text, and its index names little more than the letters
//!   that match. A query of four characters or more is looked up there and checked
//!   exactly on the text; one of three characters uses the trigrams of the text itself.
//! - **Its index cannot give matches newest first.**
//!   The planner cannot tell a common substring from a rare one (the texts are too wide for
//!   its statistics), and either wrong plan costs seconds on a million letters. So a search
//!   first reads the newest [`PROBE`] letters one by one: a common substring fills the page
//!   there; one found there at all is looked for by walking back from the newest (about
//!   `page × PROBE / found` letters); only one not found there goes to the index.
//!   What the index hands over comes in no order, so a substring with a thousand or so
//!   matches in the register and none among the newest would have all read before the
//!   newest page is known. Where the server has `btree_gin` (PostgreSQL's contrib), the
//!   grams' index is keyed also by block of 8 192 letters (`id >> 13`): the search asks
//!   for the newest block's matches, then the next block's, and once the blocks read say
//!   that few matches are left in the rest of the register, the rest at once (`by_blocks`
//!   in `ops`). `make bench` (`register_pg`) prints the slowest queries.

/// Punctuation and symbols clerks type, each spelled as a letter `pg_trgm` keeps.
const PUNCTUATION: &str = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~–—…“”‘’•·ฯๆ๏๚๛";

/// The first letter used (CHEROKEE LETTER A).
const BASE: u32 = 0x13A0;

/// `text` as stored and searched on PostgreSQL: punctuation spelled as letters. The
/// spelling swaps each punctuation mark with its Cherokee letter, so a Cherokee letter that
/// is really in a text is spelled as that mark: one character for one character both ways,
/// so a substring of the spelled text is always the spelling of a substring of the text
/// (a search for `!` never finds a real Cherokee letter, nor one for that letter a `!`).
pub(crate) fn indexable(text: &str) -> String {
    spelled(text)
}

/// The stored text spelled back as typed (for snippets): the same swap.
pub(crate) fn readable(text: &str) -> String {
    spelled(text)
}

/// `text` with each punctuation mark and Cherokee letter swapped ([`Swaps`]): the runs
/// between them copied whole.
fn spelled(text: &str) -> String {
    let swaps = Swaps::get();
    let mut out = String::with_capacity(text.len());
    let mut run = 0;
    for (at, c) in text.char_indices() {
        if let Some(to) = swaps.of(c) {
            out.push_str(&text[run..at]);
            out.push(to);
            run = at + c.len_utf8();
        }
    }
    out.push_str(&text[run..]);
    out
}

/// Every swap, a punctuation mark → its Cherokee letter and back. A search spells back
/// each of its 50 hits whole for its snippet (some 150 000 characters), where finding each
/// character in the string of marks took a third of a search's time on a million letters
/// (README): a bit for each character of the Basic Multilingual Plane says whether it is
/// swapped at all (every mark and letter is in that plane), and the few that are are found
/// in the pairs.
struct Swaps {
    /// Ordered by the character swapped.
    pairs: Vec<(char, char)>,
    /// Bit `c` set when `c` is swapped.
    swapped: Vec<u64>,
}

impl Swaps {
    fn get() -> &'static Swaps {
        static SWAPS: std::sync::LazyLock<Swaps> = std::sync::LazyLock::new(|| {
            let mut pairs: Vec<(char, char)> = PUNCTUATION
                .chars()
                .enumerate()
                .filter_map(|(i, mark)| {
                    let letter = char::from_u32(BASE + i as u32)?;
                    Some([(mark, letter), (letter, mark)])
                })
                .flatten()
                .collect();
            pairs.sort_unstable();
            let mut swapped = vec![0u64; 0x1_0000 / 64];
            for &(from, _) in &pairs {
                let c = from as usize;
                swapped[c / 64] |= 1 << (c % 64);
            }
            Swaps { pairs, swapped }
        });
        &SWAPS
    }

    /// What `c` is spelled as, when it is swapped.
    fn of(&self, c: char) -> Option<char> {
        let n = c as usize;
        let word = self.swapped.get(n / 64)?;
        if word & (1 << (n % 64)) == 0 {
            return None;
        }
        let i = self
            .pairs
            .binary_search_by_key(&c, |&(from, _)| from)
            .ok()?;
        Some(self.pairs[i].1)
    }
}

/// The first of the symbols a pair of characters is spelled as (CJK UNIFIED IDEOGRAPH-4E00)
/// and how many there are: the block is whole, each one a letter to `pg_trgm`.
const PAIR_BASE: u32 = 0x4E00;
const PAIR_SYMBOLS: u32 = 20_992;

/// `text` (as [`indexable`] spells it) as the symbols of its adjacent pairs of characters:
/// `pg_trgm`'s trigrams of the result are the four-character grams of `text`. Two Thai
/// pairs never share a symbol (131 × 128 < 20 992); other pairs may, which only makes the
/// index name a letter more to check.
pub(crate) fn grams(text: &str) -> String {
    let chars: Vec<u32> = text.chars().map(|c| c as u32).collect();
    chars
        .windows(2)
        .map(|w| {
            let n = (w[0].wrapping_mul(131).wrapping_add(w[1])) % PAIR_SYMBOLS;
            char::from_u32(PAIR_BASE + n).unwrap_or('\u{4E00}')
        })
        .collect()
}

/// The shortest query looked up by its four-character grams (see [`grams`]).
pub(crate) const GRAMS_FROM: usize = 4;

/// A `LIKE` pattern that finds `text` (already folded) anywhere: `%`, `_` and `\` escaped.
pub(crate) fn like_pattern(text: &str) -> String {
    let mut pattern = String::from("%");
    for c in indexable(text).chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

/// How many of the newest letters a search reads one by one first.
pub(crate) const PROBE: i64 = 200;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn punctuation_becomes_letters_and_comes_back() {
        let t = "ที่ มท ๐๘๑๐.๒/ว ๑๒๓ “ถิ่น” 50% a_b – ฯลฯ";
        let i = indexable(t);
        assert!(!i.contains(['.', '/', '%', '“', '–', 'ฯ']));
        assert_eq!(readable(&i), t);
        // A real Cherokee letter is never taken for the mark it spells, nor the reverse.
        let cherokee = char::from_u32(BASE).unwrap();
        assert_eq!(indexable(&cherokee.to_string()), "!");
        assert_eq!(indexable("!"), cherokee.to_string());
        assert!(!indexable(&format!("ก{cherokee}ข")).contains(&indexable("!")));
        assert_eq!(
            readable(&indexable(&format!("!{cherokee}"))),
            format!("!{cherokee}")
        );
        assert_eq!(like_pattern("50%"), format!("%50{}%", indexable("%")));
        assert!(
            PUNCTUATION.chars().count() < 85,
            "within the Cherokee letters"
        );
    }

    /// The swap as it was first written: a punctuation mark ↔ its Cherokee letter, found
    /// in the string of marks.
    fn swap_by_the_string(c: char) -> char {
        if let Some(i) = PUNCTUATION.chars().position(|p| p == c) {
            return char::from_u32(BASE + i as u32).unwrap_or(c);
        }
        let i = (c as u32).wrapping_sub(BASE) as usize;
        PUNCTUATION.chars().nth(i).unwrap_or(c)
    }

    /// What the server holds was spelled by the first swap: every character of the first
    /// three planes is spelled as it spelled it.
    #[test]
    fn the_table_spells_every_character_as_the_string_of_marks_did() {
        let all: String = (0..0x3_0000).filter_map(char::from_u32).collect();
        let by_the_string: String = all.chars().map(swap_by_the_string).collect();
        assert_eq!(indexable(&all), by_the_string);
        assert_eq!(readable(&by_the_string), all);
        assert_eq!(Swaps::get().pairs.len(), 2 * PUNCTUATION.chars().count());
        assert!(Swaps::get()
            .pairs
            .iter()
            .all(|&(from, _)| (from as u32) < 0x1_0000));
    }

    #[test]
    fn grams_spell_each_pair_once_and_a_substring_as_a_substring() {
        let text = indexable("ขอเชิญประชุมไม่การ มท ๐๘๑๐.๒/ว");
        let g = grams(&text);
        assert_eq!(g.chars().count(), text.chars().count() - 1);
        assert!(g
            .chars()
            .all(|c| (0x4E00..0x4E00 + 20_992).contains(&(c as u32))));
        for q in ["ไม่การ", "เชิญ", "มท ๐๘๑๐.๒/ว"] {
            assert!(g.contains(&grams(&indexable(q))), "{q}");
        }
        // Every pair of Thai characters has a symbol of its own.
        let thai: Vec<char> = (0x0E00..0x0E80).filter_map(char::from_u32).collect();
        let mut seen = std::collections::HashSet::new();
        for a in &thai {
            for b in &thai {
                assert!(seen.insert(grams(&format!("{a}{b}"))), "{a}{b}");
            }
        }
        assert_eq!(grams("ก"), "");
    }
}
