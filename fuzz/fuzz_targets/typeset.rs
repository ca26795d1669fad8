//! Any letter that parses is typeset and written as a PDF, or refused with an error;
//! never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use saraban::{Letter, Office, OfficeSettings};

thread_local! {
    static OFFICE: Office = Office::new(&OfficeSettings::default()).expect("the bundled font");
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(letter) = Letter::from_json(text) {
        OFFICE.with(|office| {
            let _ = office.render(&letter);
        });
    }
});
