//! Embeds PyThaiNLP's Thai word list (`words_th.txt`, which the set-up downloads from PyPI
//! into `.tools/dict`, or `$SARABAN_WORDS`) for telling strong line breaks from weak ones
//! (`saraban_thai::breaks`). Without it the build still succeeds: the list is then empty and the
//! breaker falls back to its short-word rule.
use std::path::PathBuf;

fn main() {
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    let src = std::env::var_os("SARABAN_WORDS")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            // The set-up puts it in the repository's .tools, two folders above this crate.
            let here =
                PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets it"));
            here.join("../../.tools/dict/words_th.txt")
        });
    println!("cargo:rerun-if-env-changed=SARABAN_WORDS");
    println!("cargo:rerun-if-changed={}", src.display());
    let words = std::fs::read_to_string(&src).unwrap_or_default();
    if words.is_empty() {
        println!(
            "cargo:warning=no Thai word list at {} (bash scripts/setup.sh downloads it): \
             line breaks will not tell compounds apart",
            src.display()
        );
    }
    std::fs::write(out.join("words_th.txt"), words).expect("OUT_DIR is writable");
}
