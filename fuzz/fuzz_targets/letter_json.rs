//! Any bytes as a letter file: parsing and validation never panic, and a letter that
//! parses survives its own JSON again unchanged.
#![no_main]

use libfuzzer_sys::fuzz_target;
use saraban_model::Letter;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(letter) = Letter::from_json(text) {
        let again = Letter::from_json(&letter.to_json()).expect("a parsed letter parses again");
        assert_eq!(again, letter);
        let _ = saraban_model::letter::check::proofread(&letter);
    }
});
