//! The app binary carries the UI it was built with: the end-to-end tests drive
//! `target/debug/saraban-app`, which `cargo test` builds beside this test (an integration
//! test is what makes cargo build the binary itself, not only its unit tests).
//!
//! With the `custom-protocol` feature (what `make build` and `tauri build` turn on), every
//! file of `ui/dist` as it is now is embedded — a binary older than the UI fails here, not
//! in a puzzling end-to-end run. Without it, the binary is a development build that loads
//! the UI from Vite's server (`tauri dev`).

fn binary() -> Vec<u8> {
    std::fs::read(env!("CARGO_BIN_EXE_saraban-app")).expect("the app binary")
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

#[test]
#[cfg(feature = "custom-protocol")]
fn the_app_embeds_every_file_of_the_built_ui() {
    let dist = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/dist");
    let assets: Vec<String> = std::fs::read_dir(dist.join("assets"))
        .expect("ui/dist/assets: build the UI first (make build)")
        .map(|e| format!("/assets/{}", e.unwrap().file_name().to_string_lossy()))
        .collect();
    assert!(!assets.is_empty(), "ui/dist/assets is empty");
    let bin = binary();
    assert!(contains(&bin, "/index.html"), "index.html is not embedded");
    for a in &assets {
        assert!(
            contains(&bin, a),
            "{a} of ui/dist is not in the app binary: it was built before the UI (make build)"
        );
    }
}

#[test]
#[cfg(not(feature = "custom-protocol"))]
fn the_development_app_loads_the_ui_from_the_dev_server() {
    assert!(contains(&binary(), "localhost:5173"));
}
