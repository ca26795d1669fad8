//! Any bytes as an emblem file (SVG, PNG, JPEG): loaded or refused, never a panic, never
//! anything read beyond the bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = saraban_typeset::Graphic::from_bytes(data.to_vec(), std::path::Path::new("e.svg"));
});
