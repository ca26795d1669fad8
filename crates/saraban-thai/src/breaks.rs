//! Where a line of Thai text may break.
//!
//! Thai writes no spaces between words, so a line may only end where a word ends. ICU4X's
//! dictionary segmenter finds word ends fast (≈11 µs for a paragraph) but sometimes cuts a
//! word (`เป็นก|รอบ`); its LSTM model catches those mistakes but costs ≈1.5 ms a paragraph
//! and makes its own (`กัน|ยายน`). A line only ever ends at *one* of the many opportunities,
//! so we take the dictionary's opportunities for filling lines and ask the LSTM, on a small
//! window around it, only about the opportunity that is actually chosen as a line end
//! ([`LineBreaker::confirm`]). A list of protected words (month names, common government
//! compounds) removes breaks inside them before either model is asked.
//!
//! Both models know words, not compounds: they offer `เข้า|ร่วม`, `คณะ|ทำงาน`,
//! `จังหวัด|จันทบุรี` as readily as a break between phrases. Each opportunity therefore
//! gets a strength ([`BreakStrength`]): strong where newmm (PyThaiNLP's tokenizer, the
//! `nlpo3` crate) with PyThaiNLP's word list of 62 000 words, compounds and names among
//! them, also ends a word, and that word is not a prefix that makes a noun of the next
//! (`การ`, `ความ`, `ผู้`, `นัก`, `ชาว`); weak elsewhere. The choice was made by
//! measurement on a labelled set of phrases from real letters (`tests/breaks/labelled.txt`,
//! scored by `tests/breakset.rs`): of the breaks each segmenter offers, the share at good
//! places was 0.55 for ICU4X's dictionary, 0.58 for its LSTM model, 0.61 for libthai
//! (Pango, GTK) and 0.83 for newmm with that list; Saraban's strong breaks reach 0.89.
//! newmm alone still breaks inside a few words, so it only grades the opportunities the
//! dictionary offers; the LSTM model is asked about weak ones (see `typeset::paragraph`).

use icu_segmenter::options::LineBreakOptions;
use icu_segmenter::{LineSegmenter, LineSegmenterBorrowed};

use super::{is_thai, is_thai_combining};

/// Words never broken across lines: month names and the compounds of DLA letters that the
/// segmenters are known to split (LibreOffice breaks ปฏิบัติ|งาน and ความร่วม|มือ).
pub const PROTECTED_WORDS: &[&str] = &[
    "มกราคม",
    "กุมภาพันธ์",
    "มีนาคม",
    "เมษายน",
    "พฤษภาคม",
    "มิถุนายน",
    "กรกฎาคม",
    "สิงหาคม",
    "กันยายน",
    "ตุลาคม",
    "พฤศจิกายน",
    "ธันวาคม",
    "ร่วมมือ",
    "ปฏิบัติงาน",
    "ปฏิบัติราชการ",
    "ท้องถิ่น",
    "ส่งเสริม",
    "ยั่งยืน",
    "สิ่งแวดล้อม",
    "ขับเคลื่อน",
    "องค์กร",
    "องค์การ",
    "ผู้ว่าราชการ",
    "ผู้อำนวยการ",
    "ผู้เชี่ยวชาญ",
    "ประชาสัมพันธ์",
    "อิเล็กทรอนิกส์",
    "ไปรษณีย์",
    "กรุงเทพมหานคร",
    "กรุงเทพฯ",
    "งบประมาณ",
    "ดำเนินการ",
    "รายละเอียด",
    "เจ้าหน้าที่",
    "ข้าราชการ",
    "ค่าใช้จ่าย",
    "ลงทะเบียน",
    "ถ่ายทอดสด",
    "วีดิทัศน์",
    "บูรณาการ",
    "ประสิทธิภาพ",
    "ยุทธศาสตร์",
    "ทรัพยากร",
    "สาธารณรัฐ",
    "เป็นกรอบ",
    "ลงวันที่",
    "สิ่งที่ส่งมาด้วย",
];

/// Units a line should never split (a typographer's rule; the clerk of one seed letter put
/// in manual line breaks to avoid exactly these): a date with its month and year
/// (`๒๓ กันยายน ๒๕๖๔`, `๓๐ – ๓๑ พฤษภาคม`), a time or a time range with `น.`
/// (`๑๔.๐๐ – ๑๖.๐๐ น.`), a number with its unit or classifier (`๑ ชุด`, `๑๐ จังหวัด`), the
/// word that introduces a number (`จำนวน ๑`, `ข้อ ๑`, `พ.ศ. ๒๕๖๔`, `ครั้งที่ ๒`), an
/// abbreviation with its dots (`พ.ศ.`, `น.`), and a web or e-mail address.
static UNITS: std::sync::LazyLock<Vec<regex::Regex>> = std::sync::LazyLock::new(|| {
    let num = r"[0-9๐-๙]+(?:[.,:][0-9๐-๙]+)*";
    let month = "(?:มกราคม|กุมภาพันธ์|มีนาคม|เมษายน|พฤษภาคม|มิถุนายน|กรกฎาคม|สิงหาคม|กันยายน|ตุลาคม|พฤศจิกายน|ธันวาคม|ม\\.ค\\.|ก\\.พ\\.|มี\\.ค\\.|เม\\.ย\\.|พ\\.ค\\.|มิ\\.ย\\.|ก\\.ค\\.|ส\\.ค\\.|ก\\.ย\\.|ต\\.ค\\.|พ\\.ย\\.|ธ\\.ค\\.)";
    let dash = r"\s*[-‐‑‒–—―−]\s*";
    let era = r"(?:(?:พ\.ศ\.|ค\.ศ\.)\s*)?";
    let lead =
        "(?:จำนวน|ข้อ|พ\\.ศ\\.|ค\\.ศ\\.|ครั้งที่|วันที่|ฉบับที่|เลขที่|หมู่ที่|ชั้นที่|ลำดับที่|ที่|เวลา|ปี|มาตรา|วรรค|หน้า)";
    let unit = "(?:ชุด|ฉบับ|คน|ราย|แห่ง|จังหวัด|อำเภอ|ตำบล|บาท|ล้านบาท|เล่ม|แผ่น|หน้า|วัน|เดือน|ปี|ครั้ง|ชั่วโมง|นาที|น\\.|กิโลเมตร|กม\\.|เมตร|ไร่|หลัง|เครื่อง|ตัว|อัตรา|โครงการ|หน่วย|ท่าน|รายการ|เปอร์เซ็นต์|%)";
    let abbr = r"(?:[ก-ฮ][ก-ฮ]?[ก-ฮ]?\.){1,4}";
    [
        format!("{num}(?:{dash}{num})?\\s+{month}(?:\\s+{era}{num})?"),
        format!("{month}\\s+{era}{num}"),
        format!("{num}(?:{dash}{num})?\\s*{unit}"),
        format!("{lead}\\s*{num}(?:{dash}{num})?"),
        format!("{num}{dash}{num}"),
        abbr.to_string(),
        // A web address or an e-mail address: broken at its hyphen, it reads as another.
        r"(?:https?://|www\.)[^\s]+".to_string(),
        r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+".to_string(),
    ]
    .iter()
    .map(|p| regex::Regex::new(p).expect("the unit patterns are valid"))
    .collect()
});

/// A time with its unit, alone or as a range, in every form letters write it: `๑๔.๐๐ น.`,
/// `14:00 น.`, `๑๔.๐๐ – ๑๖.๐๐ น.`, `๑๔.๐๐ น. - ๑๖.๐๐ น.`, `๐๙.๓๐ ถึง ๑๒.๐๐ น.`,
/// `๘.๓๐ นาฬิกา`, with any dash (hyphen, en, em, figure or minus) and Thai or Arabic digits.
/// Unlike the [`UNITS`], which a line leaves whole only when it can, these are glue: no
/// line ever ends inside one, so `น.` never starts a line alone.
static TIMES: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    let time = r"[0-9๐-๙]{1,2}[.:][0-9๐-๙]{2}";
    let unit = r"(?:น\.|นาฬิกา)";
    let to = r"\s*(?:[-‐‑‒–—―−~]|ถึง)\s*";
    regex::Regex::new(&format!(r"(?:{time}(?:\s*{unit})?{to})?{time}\s*{unit}"))
        .expect("the time pattern is valid")
});

/// PyThaiNLP's word list as a finite-state set, built at compile time (see `build.rs`;
/// empty when the set-up did not download the list), read where it lies in the binary.
static WORDS_FST: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/words.fst"));

/// The word list, `None` when it is empty.
static WORDS: std::sync::LazyLock<Option<fst::Set<&'static [u8]>>> =
    std::sync::LazyLock::new(|| fst::Set::new(WORDS_FST).ok().filter(|s| !s.is_empty()));

/// The words of the list that occur in `text`, each once. All newmm ever looks up while it
/// cuts a text is which listed words begin at some place in it (the words that are
/// prefixes of the text from there), so newmm over these words alone cuts `text` exactly
/// as over the whole list — for a few kilobytes instead of the 55 MB of hash maps its trie
/// takes for 62 000 words, built again at every start (`tests/breakset.rs` compares them).
fn listed_words_in<'t>(words: &fst::Set<&[u8]>, text: &'t str) -> Vec<&'t str> {
    let fst = words.as_fst();
    let root = fst.root();
    let after = |prefix: &[u8]| {
        let mut node = root;
        for &b in prefix {
            node = fst.node(node.transition_addr(node.find_input(b)?));
        }
        Some(node)
    };
    // A Thai character is three bytes in UTF-8, E0 B8 xx (U+0E00–0E3F) or E0 B9 xx
    // (U+0E40–0E7F): each walk from a Thai character starts at the node after its first
    // two bytes, found once here, instead of at the root (walking the set was a tenth of
    // a cold render).
    let thai = [after(&[0xE0, 0xB8]), after(&[0xE0, 0xB9])];
    // Gathered as met, then sorted once (a set kept ordered at every insert was a
    // twentieth of a cold render).
    let mut found = Vec::new();
    for (start, c) in text.char_indices() {
        // No listed word begins with a vowel sign or a tone mark (a test checks the list).
        if is_thai_combining(c) {
            continue;
        }
        let (node, skip) = match u32::from(c) {
            0x0E00..=0x0E3F => (thai[0], 2),
            0x0E40..=0x0E7F => (thai[1], 2),
            _ => (Some(root), 0),
        };
        let Some(mut at) = node else { continue };
        for (k, &b) in text.as_bytes()[start..].iter().enumerate().skip(skip) {
            let Some(i) = at.find_input(b) else { break };
            at = fst.node(at.transition_addr(i));
            let end = start + k + 1;
            if at.is_final() && text.is_char_boundary(end) {
                found.push(&text[start..end]);
            }
        }
    }
    found.sort_unstable();
    found.dedup();
    found
}

/// Words that make a noun of the word after them (การ|ดำเนิน, ความ|ร่วมมือ, ผู้|แทน,
/// นัก|วิชาการ, ชาว|ญี่ปุ่น): the word list knows only some of the nouns they make, and a
/// line that ends on one leaves half a word.
const PREFIXES: &[&str] = &["การ", "ความ", "ผู้", "นัก", "ชาว"];

/// How good a place to end a line is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BreakStrength {
    /// Between words or phrases.
    Strong,
    /// Between the parts of a compound or a name (`เข้า|ร่วม`, `จังหวัด|จันทบุรี`): a
    /// line ends here only when every alternative is worse.
    Weak,
}

/// How many Thai characters of context the LSTM sees on each side of a break it checks.
const WINDOW: usize = 8;

/// `text` cut to at most `max` characters where a line could break (after a space, or at
/// the end of a Thai word), so that a file name or a label never ends mid-word ("…แผนพัฒน");
/// a first word longer than `max` is cut between characters, never inside a grapheme
/// (a vowel or tone mark stays with its consonant). Trailing spaces are dropped.
pub fn shorten(text: &str, max: usize) -> &str {
    let Some((limit, _)) = text.char_indices().nth(max) else {
        return text;
    };
    static BREAKER: std::sync::OnceLock<LineBreaker> = std::sync::OnceLock::new();
    let breaker = BREAKER.get_or_init(LineBreaker::new);
    let at_word = breaker
        .opportunities(text)
        .into_iter()
        .rfind(|&b| b <= limit)
        .filter(|&b| !text[..b].trim_end().is_empty());
    let cut = at_word.unwrap_or_else(|| {
        let mut b = limit;
        while b > 0 && text[b..].chars().next().is_some_and(is_thai_combining) {
            b = text[..b].char_indices().next_back().map_or(0, |(i, _)| i);
        }
        b
    });
    text[..cut].trim_end()
}

/// Finds line-break opportunities in Thai (and mixed) text.
#[derive(Clone, Debug)]
pub struct LineBreaker {
    dictionary: LineSegmenterBorrowed<'static>,
    lstm: LineSegmenterBorrowed<'static>,
    protected: Vec<String>,
    /// newmm over the listed words met in the texts cut so far (shared by clones).
    newmm: std::sync::Arc<std::sync::Mutex<Newmm>>,
    /// Texts being cut into words ahead of need on another thread ([`Self::cut_ahead`]),
    /// shared by clones.
    ahead: std::sync::Arc<Ahead>,
    /// The thread texts are cut on ahead of need, shared by clones.
    helper: crate::helper::Helper,
}

/// The texts being cut into words ahead of need, and the signal that one more is cut.
#[derive(Default, Debug)]
struct Ahead {
    cut: std::sync::Mutex<Vec<AheadText>>,
    ready: std::sync::Condvar,
}

impl Ahead {
    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<AheadText>> {
        self.cut.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Whether text `text` of call `call` still waits to be cut (nobody took it back).
    fn is_pending(&self, call: u64, text: &str) -> bool {
        self.lock().iter().any(|e| e.waits(call, text))
    }

    /// Forgets the texts of call `call`, and wakes whoever waits for one of them.
    fn forget(&self, call: u64) {
        self.lock().retain(|e| e.call != call);
        self.ready.notify_all();
    }

    /// Settles text `text` of call `call`: gives it its words, or takes it off the list
    /// when they could not be cut (a panic inside newmm), so that whoever needs it cuts it
    /// itself, meeting the failure where it would have without cutting ahead. Nobody
    /// waits for ever.
    fn settle(&self, call: u64, text: &str, words: Option<Vec<String>>) {
        let mut cut = self.lock();
        match words {
            Some(w) => {
                if let Some(e) = cut.iter_mut().find(|e| e.waits(call, text)) {
                    e.words = Some(std::sync::Arc::new(w));
                }
            }
            None => {
                if let Some(i) = cut.iter().position(|e| e.waits(call, text)) {
                    cut.remove(i);
                }
            }
        }
        drop(cut);
        self.ready.notify_all();
    }
}

/// A text cut ahead: the call of [`LineBreaker::cut_ahead`] it belongs to, and its words
/// (`None` while they are being cut: whoever needs them waits).
#[derive(Debug)]
struct AheadText {
    call: u64,
    text: String,
    words: Option<std::sync::Arc<Vec<String>>>,
}

impl AheadText {
    /// Whether this is text `text` of call `call`, still to be cut.
    fn waits(&self, call: u64, text: &str) -> bool {
        self.call == call && self.text == text && self.words.is_none()
    }
}

/// How many words newmm's dictionary holds before it starts again empty: its trie takes
/// some 900 bytes a word, so under 2 MB, while a day's letters keep meeting
/// the same few thousand words.
const NEWMM_WORDS: usize = 2_000;

/// newmm (nlpo3) with a dictionary of the listed words met so far. A text is cut with
/// the words of the list found in it added first; a word that does not occur in the text
/// never matches inside it, so the cut is the one the whole list would give (the test
/// `newmm_with_the_words_met_so_far_cuts_as_with_the_whole_list`). Building the
/// dictionary afresh for every paragraph took a twelfth of a letter's render.
#[derive(Default)]
struct Newmm {
    tokenizer: Option<nlpo3::tokenizer::newmm::NewmmTokenizer>,
    known: std::collections::HashSet<String>,
}

impl std::fmt::Debug for Newmm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Newmm({} words)", self.known.len())
    }
}

impl Newmm {
    /// `text` cut into words, with `found` (the listed words occurring in it) known. Only
    /// the words not known yet are copied.
    fn cut(&mut self, text: &str, found: Vec<&str>) -> Vec<String> {
        use nlpo3::tokenizer::newmm::NewmmTokenizer;
        use nlpo3::tokenizer::tokenizer_trait::Tokenizer;
        let mut new: Vec<&str> = found
            .iter()
            .copied()
            .filter(|w| !self.known.contains(*w))
            .collect();
        if self.known.len() + new.len() > NEWMM_WORDS {
            // Anew, with every word of this text (those known before among them).
            self.tokenizer = None;
            self.known.clear();
            new = found;
        }
        let tokenizer = self
            .tokenizer
            .get_or_insert_with(|| NewmmTokenizer::from_word_list(Vec::new()));
        if !new.is_empty() {
            tokenizer.add_word(&new);
        }
        self.known.extend(new.into_iter().map(String::from));
        tokenizer.segment(text, false, false).unwrap_or_default()
    }
}

/// `text` in words, by newmm over the word list (none without the list).
fn cut_words(newmm: &std::sync::Mutex<Newmm>, text: &str) -> Vec<String> {
    let Some(list) = WORDS.as_ref() else {
        return Vec::new();
    };
    let found = listed_words_in(list, text);
    let mut newmm = newmm.lock().unwrap_or_else(|e| e.into_inner());
    newmm.cut(text, found)
}

impl Default for LineBreaker {
    fn default() -> Self {
        Self::new()
    }
}

impl LineBreaker {
    /// A breaker with the built-in protected words.
    pub fn new() -> Self {
        Self::with_protected_words(PROTECTED_WORDS.iter().map(|s| s.to_string()))
    }

    /// A breaker with the given protected words (an office can add its own).
    pub fn with_protected_words(words: impl IntoIterator<Item = String>) -> Self {
        let mut protected: Vec<String> = words
            .into_iter()
            .filter(|w| w.chars().count() > 1)
            .collect();
        // Longest first, so that a long compound wins over a word inside it.
        protected.sort_by_key(|w| std::cmp::Reverse(w.len()));
        LineBreaker {
            dictionary: LineSegmenter::new_dictionary(LineBreakOptions::default()),
            lstm: LineSegmenter::new_lstm(LineBreakOptions::default()),
            protected,
            newmm: Default::default(),
            ahead: Default::default(),
            helper: crate::helper::Helper::new("cut-ahead"),
        }
    }

    /// Cuts `texts` into words on the breaker's helper thread while `work` runs on this
    /// one, so that [`Self::strengths`] finds each of them cut, or waits for the one being
    /// cut. Grading the breaks of a letter's body is the largest part of setting it (a
    /// third of a cold typeset), and all of it can be done before the paragraphs are
    /// reached: the texts are known from the letter. Returns what `work` returns; the
    /// words cut ahead are forgotten after it, and a text still waiting then is not cut.
    /// Without a word list, or where no thread can be started, `work` runs alone.
    pub fn cut_ahead<R>(&self, texts: Vec<String>, work: impl FnOnce() -> R) -> R {
        use std::sync::atomic::{AtomicU64, Ordering};
        static CALLS: AtomicU64 = AtomicU64::new(0);
        if texts.is_empty() || WORDS.is_none() {
            return work();
        }
        let call = CALLS.fetch_add(1, Ordering::Relaxed);
        self.ahead.lock().extend(texts.iter().map(|t| AheadText {
            call,
            text: t.clone(),
            words: None,
        }));
        let (ahead, newmm) = (self.ahead.clone(), self.newmm.clone());
        let job = Box::new(move || {
            for t in &texts {
                if !ahead.is_pending(call, t) {
                    continue;
                }
                let words =
                    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| cut_words(&newmm, t)));
                ahead.settle(call, t, words.ok());
            }
        });
        if self.helper.run(job).is_err() {
            // No thread: nothing is cut ahead, and nobody waits for it.
            self.ahead.forget(call);
        }
        let out = work();
        self.ahead.forget(call);
        out
    }

    /// `text` in words: as cut ahead when it was (waiting while it is being cut), else cut
    /// now.
    fn words_of(&self, text: &str) -> std::sync::Arc<Vec<String>> {
        let mut cut = self.ahead.lock();
        loop {
            let mine = cut.iter().filter(|e| e.text == text);
            if let Some(w) = mine.clone().find_map(|e| e.words.clone()) {
                return w;
            }
            if mine.count() == 0 {
                break;
            }
            cut = self
                .ahead
                .ready
                .wait(cut)
                .unwrap_or_else(|e| e.into_inner());
        }
        drop(cut);
        std::sync::Arc::new(self.words(text))
    }

    /// Byte offsets at which a new line may begin, ascending, without 0 and `text.len()`.
    pub fn opportunities(&self, text: &str) -> Vec<usize> {
        let mut out: Vec<usize> = self
            .dictionary
            .segment_str(text)
            .filter(|&b| b > 0 && b < text.len())
            .collect();
        if out.is_empty() || !text.chars().any(is_thai) {
            return out;
        }
        let mut inside: Vec<(usize, usize)> = Vec::new();
        if text.contains("น.") || text.contains("นาฬิกา") {
            inside.extend(TIMES.find_iter(text).map(|m| (m.start(), m.end())));
        }
        for w in &self.protected {
            for (start, m) in text.match_indices(w.as_str()) {
                inside.push((start, start + m.len()));
            }
        }
        if !inside.is_empty() {
            out.retain(|&b| !inside.iter().any(|&(s, e)| b > s && b < e));
        }
        out
    }

    /// Spans of `text` (byte ranges) that should stay on one line: see `UNITS`. A
    /// paragraph breaks inside one only when no other break fits the line.
    pub fn units(&self, text: &str) -> Vec<(usize, usize)> {
        if !text
            .bytes()
            .any(|b| b.is_ascii_digit() || b == b'.' || b >= 0xE0)
        {
            return Vec::new();
        }
        // Each kind on its own: a unit may overlap another (`วันที่ ๒๓` and
        // `๒๓ กันยายน ๒๕๖๔`), and then both hold.
        UNITS
            .iter()
            .flat_map(|re| re.find_iter(text).map(|m| (m.start(), m.end())))
            .filter(|(s, e)| e > s)
            .collect()
    }

    /// Asks the LSTM model whether a break at byte `at` falls between two words. Breaks next
    /// to a space or outside Thai text are always accepted; inside Thai, the model reads up
    /// to [`WINDOW`] characters on each side.
    pub fn confirm(&self, text: &str, at: usize) -> bool {
        if at == 0 || at >= text.len() || !text.is_char_boundary(at) {
            return true;
        }
        let before = text[..at].chars().next_back();
        let after = text[at..].chars().next();
        let (Some(b), Some(a)) = (before, after) else {
            return true;
        };
        if !is_thai(b) || !is_thai(a) {
            return true;
        }
        // Only a protected word that reaches over `at` matters: look near it.
        let reach = self.protected.first().map_or(0, |w| w.len());
        let mut lo = at.saturating_sub(reach);
        while !text.is_char_boundary(lo) {
            lo -= 1;
        }
        let mut hi = (at + reach).min(text.len());
        while !text.is_char_boundary(hi) {
            hi += 1;
        }
        let near = &text[lo..hi];
        for w in &self.protected {
            for (start, m) in near.match_indices(w.as_str()) {
                if at > lo + start && at < lo + start + m.len() {
                    return false;
                }
            }
        }
        // Window: up to WINDOW Thai characters either side, starting at a grapheme start.
        let mut lo = at;
        for (n, (i, c)) in text[..at].char_indices().rev().enumerate() {
            if !is_thai(c) || n >= WINDOW {
                break;
            }
            lo = i;
        }
        while lo < at {
            match text[lo..].chars().next() {
                Some(c) if is_thai_combining(c) => lo += c.len_utf8(),
                _ => break,
            }
        }
        let mut hi = at;
        for (n, (i, c)) in text[at..].char_indices().enumerate() {
            if !is_thai(c) || n >= WINDOW {
                break;
            }
            hi = at + i + c.len_utf8();
        }
        // Do not end the window in the middle of a grapheme.
        while hi < text.len() {
            match text[hi..].chars().next() {
                Some(c) if is_thai_combining(c) => hi += c.len_utf8(),
                _ => break,
            }
        }
        let window = &text[lo..hi];
        let rel = at - lo;
        self.lstm.segment_str(window).any(|b| b == rel)
    }

    /// Whether the breaker can tell weak breaks from strong ones (it has a word list).
    pub fn knows_compounds(&self) -> bool {
        WORDS.is_some()
    }

    /// `text` cut into words by newmm (PyThaiNLP's tokenizer) with the word list; empty
    /// without a list.
    pub fn words(&self, text: &str) -> Vec<String> {
        cut_words(&self.newmm, text)
    }

    /// The strength of each of `breaks` (byte offsets in `text`, ascending): weak between
    /// two Thai letters where newmm with the word list sees no word end, strong elsewhere
    /// (and everywhere without a word list).
    pub fn strengths(&self, text: &str, breaks: &[usize]) -> Vec<BreakStrength> {
        // Word ends, ascending, each with the word it ends.
        let ends: Vec<(usize, &str)> = match WORDS.as_ref() {
            Some(_) if breaks.iter().any(|&b| thai_on_both_sides(text, b)) => {
                let words = self.words_of(text);
                let mut at = 0;
                let mut ends = Vec::with_capacity(words.len());
                for w in words.iter() {
                    let start = at;
                    at += w.len();
                    if let Some(word) = text.get(start..at) {
                        ends.push((at, word));
                    }
                }
                ends
            }
            _ => return vec![BreakStrength::Strong; breaks.len()],
        };
        breaks
            .iter()
            .map(|&b| {
                if !thai_on_both_sides(text, b) {
                    return BreakStrength::Strong;
                }
                match ends.binary_search_by_key(&b, |&(at, _)| at) {
                    Ok(i) if !PREFIXES.contains(&ends[i].1) => BreakStrength::Strong,
                    _ => BreakStrength::Weak,
                }
            })
            .collect()
    }

    /// Every opportunity ([`Self::opportunities_checked`]) with its strength.
    pub fn opportunities_with_strength(&self, text: &str) -> Vec<(usize, BreakStrength)> {
        let breaks = self.opportunities_checked(text);
        let strengths = self.strengths(text, &breaks);
        breaks.into_iter().zip(strengths).collect()
    }

    /// Every opportunity that both the dictionary and the LSTM model give, over the whole
    /// text: the slow reference used in tests and for proofreading.
    pub fn opportunities_checked(&self, text: &str) -> Vec<usize> {
        let lstm: std::collections::HashSet<usize> = self.lstm.segment_str(text).collect();
        self.opportunities(text)
            .into_iter()
            .filter(|b| lstm.contains(b))
            .collect()
    }
}

/// Whether Thai letters stand on both sides of byte `b` (no space, no Latin).
fn thai_on_both_sides(text: &str, b: usize) -> bool {
    let before = text.get(..b).and_then(|t| t.chars().next_back());
    let after = text.get(b..).and_then(|t| t.chars().next());
    matches!((before, after), (Some(x), Some(y)) if is_thai(x) && is_thai(y))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// newmm with the words met so far (other texts' words among them) cuts each text as
    /// newmm with the words of that text alone, also once its dictionary started again.
    #[test]
    fn newmm_with_the_words_met_so_far_cuts_as_with_the_whole_list() {
        let Some(list) = WORDS.as_ref() else { return };
        let texts = [
            "ขอความร่วมมือจังหวัดแจ้งองค์กรปกครองส่วนท้องถิ่นทราบ",
            "กรมส่งเสริมการปกครองท้องถิ่นขอเชิญผู้เชี่ยวชาญเข้าร่วมการประชุม",
            "ตามที่ได้แจ้งไว้แล้ว นั้น บัดนี้คณะทำงานได้ดำเนินการเรียบร้อยแล้ว",
            "ขอความร่วมมือจังหวัด",
        ];
        let breaker = LineBreaker::new();
        for round in 0..2 {
            for text in texts {
                let alone = newmm_over_its_own_words(list, text);
                assert_eq!(breaker.words(text), alone, "round {round}: {text}");
            }
            // Start again: the next round fills the dictionary anew.
            let mut newmm = breaker.newmm.lock().unwrap();
            let many: Vec<String> = (0..NEWMM_WORDS).map(|i| format!("x{i}")).collect();
            newmm.cut("x0", many.iter().map(String::as_str).collect());
        }
    }

    /// `text` cut by a newmm of its own, over the listed words found in it alone.
    fn newmm_over_its_own_words(list: &fst::Set<&[u8]>, text: &str) -> Vec<String> {
        use nlpo3::tokenizer::tokenizer_trait::Tokenizer;
        let words = listed_words_in(list, text);
        nlpo3::tokenizer::newmm::NewmmTokenizer::from_word_list(
            words.into_iter().map(String::from).collect(),
        )
        .segment(text, false, false)
        .unwrap()
    }

    /// When the dictionary starts anew in the middle of a text, the words of that text it
    /// knew already go into the new one too.
    #[test]
    fn newmm_starting_anew_keeps_the_words_of_the_text_at_hand() {
        let Some(list) = WORDS.as_ref() else { return };
        let first = "ขอความร่วมมือจังหวัดแจ้งองค์กรปกครองส่วนท้องถิ่นทราบ";
        let second = "ขอความร่วมมือจังหวัดแจ้งองค์กรปกครองส่วนท้องถิ่นทราบและดำเนินการต่อไป";
        let breaker = LineBreaker::new();
        breaker.words(first);
        {
            let mut newmm = breaker.newmm.lock().unwrap();
            let room = NEWMM_WORDS - newmm.known.len();
            let many: Vec<String> = (0..room).map(|i| format!("x{i}")).collect();
            newmm.cut("x0", many.iter().map(String::as_str).collect());
            assert_eq!(newmm.known.len(), NEWMM_WORDS);
        }
        let alone = newmm_over_its_own_words(list, second);
        assert_eq!(breaker.words(second), alone);
    }

    /// Texts cut ahead on the second thread grade every break as cutting them here does,
    /// a text not given ahead is cut when asked, two calls at once (two letters typeset at
    /// once, sharing one breaker) each find their own, and nothing is kept after.
    #[test]
    fn texts_cut_ahead_grade_as_cut_in_place() {
        let texts = [
            "กรมส่งเสริมการปกครองท้องถิ่นขอความร่วมมือจังหวัดแจ้งองค์กรปกครองส่วนท้องถิ่นทราบและถือปฏิบัติ",
            "ทั้งนี้ สามารถดาวน์โหลดเอกสารได้ที่เว็บไซต์ของกรมส่งเสริมการปกครองท้องถิ่นภายในวันที่ ๑๕ ธันวาคม ๒๕๖๙",
            "จึงเรียนมาเพื่อโปรดพิจารณาดำเนินการต่อไป",
        ];
        let all_breaks = |b: &LineBreaker, t: &str| b.opportunities(t);
        let alone = LineBreaker::new();
        let expected: Vec<Vec<BreakStrength>> = texts
            .iter()
            .map(|t| alone.strengths(t, &all_breaks(&alone, t)))
            .collect();
        let breaker = LineBreaker::new();
        let other = breaker.clone();
        let graded = breaker.cut_ahead(texts[..2].iter().map(|t| t.to_string()).collect(), || {
            // Another letter at once, on another thread, with the third text ahead.
            let third = std::thread::scope(|s| {
                s.spawn(|| {
                    other.cut_ahead(vec![texts[2].to_string()], || {
                        other.strengths(texts[2], &all_breaks(&other, texts[2]))
                    })
                })
                .join()
                .unwrap()
            });
            let mut g: Vec<_> = texts[..2]
                .iter()
                .map(|t| breaker.strengths(t, &all_breaks(&breaker, t)))
                .collect();
            g.push(third);
            g
        });
        assert_eq!(graded, expected);
        assert!(breaker.ahead.cut.lock().unwrap().is_empty(), "nothing kept");
        // Nothing to cut ahead: the work runs alone.
        assert_eq!(breaker.cut_ahead(Vec::new(), || 7), 7);
    }

    /// `listed_words_in` starts no walk at a vowel sign or tone mark: no listed word may
    /// begin with one.
    #[test]
    fn no_listed_word_begins_with_a_vowel_sign_or_tone_mark() {
        use fst::Streamer;
        let Some(list) = WORDS.as_ref() else { return };
        let mut stream = list.stream();
        let mut n = 0;
        while let Some(w) = stream.next() {
            let first = std::str::from_utf8(w).unwrap().chars().next().unwrap();
            assert!(
                !is_thai_combining(first),
                "{}",
                std::str::from_utf8(w).unwrap()
            );
            n += 1;
        }
        assert!(n > 60_000, "{n} words");
    }

    /// The walks that start after a Thai character's first two bytes find what walks from
    /// the root find.
    #[test]
    fn listed_words_are_found_as_from_the_root() {
        let Some(list) = WORDS.as_ref() else { return };
        let text = "ขอความร่วมมือจังหวัดแจ้งองค์กรปกครองส่วนท้องถิ่น ภายในวันที่ ๓๐ มิถุนายน ๒๕๖๔ (e-mail) ๆ ฯลฯ";
        let slow: Vec<String> = {
            let mut found = std::collections::BTreeSet::new();
            for (start, _) in text.char_indices() {
                for end in (start + 1..=text.len()).filter(|&e| text.is_char_boundary(e)) {
                    if list.contains(&text[start..end]) {
                        found.insert(text[start..end].to_string());
                    }
                }
            }
            found.into_iter().collect()
        };
        assert!(slow.len() > 20, "{slow:?}");
        assert_eq!(listed_words_in(list, text), slow);
    }

    fn words(text: &str, breaks: &[usize]) -> Vec<String> {
        let mut out = Vec::new();
        let mut last = 0;
        for &b in breaks {
            out.push(text[last..b].to_string());
            last = b;
        }
        out.push(text[last..].to_string());
        out
    }

    #[test]
    fn units_stay_together() {
        let lb = LineBreaker::new();
        let text = "ในวันที่ ๒๓ กันยายน ๒๕๖๔ ระหว่างวันที่ ๓๐ – ๓๑ พฤษภาคม ๒๕๖๔ เวลา ๑๔.๐๐ – ๑๖.๐๐ น. จำนวน ๑ ชุด พ.ศ. ๒๕๖๔ ข้อ ๑ ทั้ง ๑๐ จังหวัด ทาง https://2021p4g-seoulsummit.kr หรือ saraban-help@dla.go.th";
        let spans: Vec<&str> = lb.units(text).iter().map(|&(s, e)| &text[s..e]).collect();
        for want in [
            "วันที่ ๒๓",
            "๒๓ กันยายน ๒๕๖๔",
            "๓๐ – ๓๑ พฤษภาคม ๒๕๖๔",
            "๑๔.๐๐ – ๑๖.๐๐ น.",
            "จำนวน ๑",
            "๑ ชุด",
            "พ.ศ. ๒๕๖๔",
            "ข้อ ๑",
            "๑๐ จังหวัด",
            "https://2021p4g-seoulsummit.kr",
            "saraban-help@dla.go.th",
        ] {
            assert!(
                spans.iter().any(|s| s.contains(want)),
                "{want} in {spans:?}"
            );
        }
    }

    #[test]
    fn protected_words_stay_whole() {
        let lb = LineBreaker::new();
        let text = "ตั้งแต่เดือนกันยายนเพื่อความร่วมมือในการปฏิบัติงานของท้องถิ่น";
        let w = words(text, &lb.opportunities(text));
        for must in ["กันยายน", "ร่วมมือ", "ปฏิบัติงาน", "ท้องถิ่น"]
        {
            assert!(
                w.iter().any(|x| x.contains(must)),
                "{must} was split: {w:?}"
            );
        }
    }

    #[test]
    fn lstm_rejects_the_dictionary_mistake() {
        let lb = LineBreaker::with_protected_words(Vec::<String>::new());
        let text = "และเป็นกรอบในการดำเนินงาน";
        let opp = lb.opportunities(text);
        // Whatever the dictionary offers inside เป็นกรอบ, the LSTM check refuses it.
        let start = text.find("เป็นกรอบ").unwrap();
        let bad = start + "เป็นก".len();
        if opp.contains(&bad) {
            assert!(!lb.confirm(text, bad));
        }
        // A real word boundary is accepted.
        assert!(lb.confirm(text, text.find("ใน").unwrap()));
    }

    #[test]
    fn spaces_and_latin_are_always_confirmed() {
        let lb = LineBreaker::new();
        let text = "ประจำปี ๒๕๖๔ (Local Authorities)";
        for b in lb.opportunities(text) {
            assert!(lb.confirm(text, b));
        }
    }

    #[test]
    fn a_shortened_text_ends_at_a_word_never_inside_one() {
        let subject = "ขอความร่วมมือประชาสัมพันธ์โครงการพัฒนาศักยภาพบุคลากรท้องถิ่นตามแผนพัฒนาท้องถิ่น";
        let short = shorten(subject, 60);
        assert!(short.chars().count() <= 60, "{short}");
        assert!(subject.starts_with(short));
        // It ends where a line could break: at one of the breaker's opportunities.
        let ends = LineBreaker::new().opportunities(subject);
        assert!(ends.contains(&short.len()), "cut mid-word: {short}");
        assert!(!short.ends_with("แผนพัฒน"), "{short}");
        // The last word end that fits (ขอ|เชิญ), trailing spaces gone.
        assert_eq!(
            shorten("มท ๐๘๑๐.๒/ว ๑๒๓ ขอเชิญประชุม", 20),
            "มท ๐๘๑๐.๒/ว ๑๒๓ ขอ"
        );
        assert_eq!(shorten("มท ๐๘๑๐.๒/ว ๑๒๓ ขอเชิญประชุม", 17), "มท ๐๘๑๐.๒/ว ๑๒๓");
        // Short texts are kept whole; one long unbreakable word keeps its marks together.
        assert_eq!(shorten("สั้น", 80), "สั้น");
        let one = "ก\u{0E34}\u{0E48}".repeat(5);
        let cut = shorten(&one, 4);
        assert!(!cut.is_empty() && one.starts_with(cut));
        assert!(!one[cut.len()..].starts_with(is_thai_combining), "{cut:?}");
    }

    #[test]
    fn a_time_never_leaves_its_unit() {
        let lb = LineBreaker::new();
        for time in [
            "๑๔.๐๐ น.",
            "14:00 น.",
            "๑๔.๐๐ – ๑๖.๐๐ น.",
            "๑๔.๐๐–๑๖.๐๐น.",
            "14.00 - 16.00 น.",
            "๑๔.๐๐ น. — ๑๖.๐๐ น.",
            "๑๓:๓๐ − ๑๖:๓๐ น.",
            "๐๙.๓๐ ‒ ๑๒.๐๐ น.",
            "๐๙.๓๐ ถึง ๑๒.๐๐ น.",
            "๘.๓๐ นาฬิกา",
        ] {
            let text = format!("การประชุมจัดขึ้นในเวลา {time} ณ ห้องประชุม");
            let at = text.find(time).unwrap();
            let inside: Vec<usize> = lb
                .opportunities(&text)
                .into_iter()
                .filter(|&b| b > at && b < at + time.len())
                .collect();
            assert!(inside.is_empty(), "{time}: breaks inside at {inside:?}");
        }
        // Numbers that are not times keep their breaks: a list "๑๔.๐๐ ๑๖.๐๐" has no unit.
        let plain = "ยอดเงิน ๑๔.๐๐ บาท และ ๑๖.๐๐ บาท";
        assert!(!lb.opportunities(plain).is_empty());
    }
}
