//! Builds PyThaiNLP's Thai word list (`words_th.txt`, which the set-up downloads from PyPI
//! into `.tools/dict`, or `$SARABAN_WORDS`) into a finite-state set (`words.fst`, the `fst`
//! crate) that `saraban_thai::breaks` embeds and reads in place, for telling strong line
//! breaks from weak ones. Words are trimmed, empty lines dropped, as newmm reads the list.
//! Without the list the build still succeeds: the set is then empty and the breaker falls
//! back to its short-word rule.
use std::collections::BTreeSet;
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
    // The set wants its keys sorted (bytewise) and each once.
    let sorted: BTreeSet<&[u8]> = words
        .lines()
        .map(str::trim)
        .filter(|w| !w.is_empty())
        .map(str::as_bytes)
        .collect();
    let mut set = fst::SetBuilder::memory();
    set.extend_iter(sorted).expect("sorted, distinct words");
    let bytes = set.into_inner().expect("an in-memory set");
    std::fs::write(out.join("words.fst"), bytes).expect("OUT_DIR is writable");
}
