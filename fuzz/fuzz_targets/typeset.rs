//! Any letter that parses is typeset and written as a PDF, or refused with an error;
//! never a panic.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use saraban::{Letter, Office, OfficeSettings};

fn office() -> &'static Office {
    static OFFICE: OnceLock<Office> = OnceLock::new();
    OFFICE.get_or_init(|| Office::new(&OfficeSettings::default()).expect("the bundled font"))
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(letter) = Letter::from_json(text) {
        let _ = office().render(&letter);
    }
});
