//! Spelling: Thai words checked against Debian's hunspell-th dictionary.
//!
//! Thai has no spaces between words, so words are found first: ICU4X's LSTM model keeps a
//! misspelt word together (`ชุมขน`), where the dictionary segmenter would cut it into two
//! real words (`ชุม|ขน`). A word the dictionary does not know is reported only when a
//! dictionary word lies one confusable letter, vowel or tone mark away (`ชุมชน`): names,
//! loan words and the model's own cuts (`ยั่ง|ยืน`) have no such neighbour, so they are not
//! flagged. Loading the dictionary takes ≈15 ms; do it once ([`Speller::system`]).

use std::path::{Path, PathBuf};

use icu_segmenter::options::LineBreakOptions;
use icu_segmenter::{LineSegmenter, LineSegmenterBorrowed};

/// Where Debian installs hunspell-th.
pub const SYSTEM_DICTIONARY: &str = "/usr/share/hunspell/th_TH";

/// Letters that writers confuse with one another: a misspelling is one of these swapped.
const CONFUSABLE: &[&str] = &[
    "ขฃคฅฆช",
    "ชซฌศษส",
    "ฎดฏต",
    "ฐฑฒถทธ",
    "ณน",
    "บปพภผฝฟ",
    "ยญ",
    "รลฬ",
    "อฮห",
    "กค",
    "งม",
    "\u{0E48}\u{0E49}\u{0E4A}\u{0E4B}",
    "\u{0E34}\u{0E35}\u{0E36}\u{0E37}",
    "\u{0E38}\u{0E39}",
    "ะา",
];

/// A Thai spelling checker.
pub struct Speller {
    dict: spellbook::Dictionary,
    lstm: LineSegmenterBorrowed<'static>,
    dictionary_segmenter: LineSegmenterBorrowed<'static>,
}

/// A word the dictionary does not know, with the word it most likely should be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Misspelling {
    /// Byte offset of the word in the text.
    pub start: usize,
    /// The word as written.
    pub word: String,
    /// The dictionary word one letter away.
    pub suggestion: String,
}

impl Speller {
    /// Loads a hunspell dictionary from `BASE.aff` and `BASE.dic`.
    pub fn load(base: &Path) -> Option<Speller> {
        let aff = std::fs::read_to_string(base.with_extension("aff")).ok()?;
        let dic = std::fs::read_to_string(base.with_extension("dic")).ok()?;
        let dict = spellbook::Dictionary::new(&aff, &dic).ok()?;
        Some(Speller {
            dict,
            lstm: LineSegmenter::new_lstm(LineBreakOptions::default()),
            dictionary_segmenter: LineSegmenter::new_dictionary(LineBreakOptions::default()),
        })
    }

    /// The system's Thai dictionary (`$SARABAN_HUNSPELL` or Debian's hunspell-th).
    pub fn system() -> Option<Speller> {
        let base = std::env::var_os("SARABAN_HUNSPELL")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from(SYSTEM_DICTIONARY));
        Speller::load(&base)
    }

    /// True when the dictionary knows the word.
    pub fn knows(&self, word: &str) -> bool {
        self.dict.check(word)
    }

    /// The misspelt words of a text. Where a word has several neighbours in the
    /// dictionary, the one that `context` (the whole letter) also uses is suggested.
    pub fn misspellings(&self, text: &str, context: &str) -> Vec<Misspelling> {
        let mut out = Vec::new();
        let dict_breaks: Vec<usize> = self.dictionary_segmenter.segment_str(text).collect();
        let breaks: Vec<usize> = self.lstm.segment_str(text).collect();
        for w in breaks.windows(2) {
            let (s, e) = (w[0], w[1]);
            let raw = &text[s..e];
            let word = raw.trim_end();
            let e = s + word.len();
            if word.chars().count() < 2
                || !word.chars().all(is_thai_letter)
                || self.dict.check(word)
            {
                continue;
            }
            // The model cut a longer word (ยั่ง|ยืน): the dictionary segmenter has a word
            // reaching over this one's edge.
            let cut_inside = |b: usize| b > s && b < e;
            let dict_inside = dict_breaks.iter().any(|&b| cut_inside(b));
            let dict_aligned = dict_breaks.contains(&s) && dict_breaks.contains(&e);
            if !dict_aligned && !dict_inside {
                continue;
            }
            let candidates = self.neighbours(word);
            let best = candidates
                .iter()
                .find(|c| context.contains(c.as_str()))
                .or(candidates.first());
            if let Some(suggestion) = best {
                out.push(Misspelling {
                    start: s,
                    word: word.to_string(),
                    suggestion: suggestion.clone(),
                });
            }
        }
        out
    }

    /// The dictionary words one confusable character away.
    fn neighbours(&self, word: &str) -> Vec<String> {
        let mut out = Vec::new();
        let chars: Vec<char> = word.chars().collect();
        for i in 0..chars.len() {
            for group in CONFUSABLE {
                if !group.contains(chars[i]) {
                    continue;
                }
                for alt in group.chars().filter(|&c| c != chars[i]) {
                    let mut v = chars.clone();
                    v[i] = alt;
                    let cand: String = v.into_iter().collect();
                    if self.dict.check(&cand) && !out.contains(&cand) {
                        out.push(cand);
                    }
                }
            }
        }
        out
    }
}

fn is_thai_letter(c: char) -> bool {
    ('\u{0E01}'..='\u{0E4E}').contains(&c) && c != '\u{0E2F}' && c != '\u{0E46}' && c != '\u{0E3F}'
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_chumkhon_and_nothing_in_clean_text() {
        let Some(sp) = Speller::system() else {
            panic!("hunspell-th is not installed: run make setup");
        };
        let text = "เพื่อสนับสนุนการเพิ่มพื้นที่สีเขียวในเขตเมืองและชุมขน ตามแผนแม่บทภายใต้ยุทธศาสตร์ชาติ ประเด็นการเติบโตอย่างยั่งยืน";
        let found = sp.misspellings(text, "ระบบรายงานการเพิ่มพื้นที่สีเขียวเมืองและชุมชน");
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].word, "ชุมขน");
        assert_eq!(found[0].suggestion, "ชุมชน");
    }
}
