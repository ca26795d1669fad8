//! Any letter that parses is typeset and written as a PDF, or refused with an error;
//! never a panic. The path the office takes (`Office::render`): validate, lay out, write.
#![no_main]

use libfuzzer_sys::fuzz_target;
use saraban_model::Letter;
use saraban_pdf::{PdfOptions, PdfWriter};
use saraban_typeset::{FontSet, Profile, Typesetter};

thread_local! {
    static PRESS: (Typesetter, PdfWriter) = (
        Typesetter::new(FontSet::bundled().expect("the bundled font"), Profile::default()),
        PdfWriter::new(),
    );
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(letter) = Letter::from_json(text).and_then(Letter::validated) else {
        return;
    };
    PRESS.with(|(typesetter, writer)| {
        if let Ok(doc) = typesetter.typeset(&letter, None) {
            let _ = writer.write(&doc, &PdfOptions::default());
        }
    });
});
