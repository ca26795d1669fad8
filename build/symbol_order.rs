//! The command line's everyday code laid out together (`build/symbol-order.txt`, written
//! by `scripts/symbol-order.py`).
//!
//! A fresh process holds its program's code in 64 KB windows around each page it runs.
//! The compiler scatters the 2 MB a `saraban render` runs over the program's 19 MB of
//! code, so the process held 7.8 MB of it; listed to the linker in the order they are
//! first called, those functions sit side by side and the process holds about 2 MB
//! (a fresh render's peak: 20.0 → 13.8 MB, README). Only the layout changes: the same
//! code, the same output.
//!
//! The list names functions as the linker sees them, so it applies where the linker is
//! LLD (Rust's own, the default for x86_64 Linux since Rust 1.90), in release builds,
//! for the `saraban` program alone; elsewhere the program links as before. Names the
//! linker does not find (after a change of toolchain or dependencies) are skipped in
//! silence: `make bench` says how many it found. `tests/symbol_order.rs` checks the
//! list's form and the version test.

use std::path::Path;
use std::process::Command;

/// The list's path, from the package's folder.
const LIST: &str = "build/symbol-order.txt";

/// Asks the linker to place the listed functions of the `saraban` program first, in order.
pub fn order_everyday_functions() {
    println!("cargo:rerun-if-changed={LIST}");
    let var = |name: &str| std::env::var(name).unwrap_or_default();
    let lld_by_default = var("CARGO_CFG_TARGET_ARCH") == "x86_64"
        && var("CARGO_CFG_TARGET_OS") == "linux"
        && var("CARGO_CFG_TARGET_ENV") == "gnu"
        && rustc_minor(&var("RUSTC")).is_some_and(|minor| minor >= 90);
    // A linker of the user's own choosing may not know the option.
    let own_linker = std::env::var_os("CARGO_TARGET_X86_64_UNKNOWN_LINUX_GNU_LINKER").is_some()
        || var("CARGO_ENCODED_RUSTFLAGS").contains("link");
    let list = Path::new(&var("CARGO_MANIFEST_DIR")).join(LIST);
    if var("PROFILE") == "release" && lld_by_default && !own_linker && list.is_file() {
        let list = list.display();
        println!("cargo:rustc-link-arg-bin=saraban=-Wl,--symbol-ordering-file={list}");
        println!("cargo:rustc-link-arg-bin=saraban=-Wl,--no-warn-symbol-ordering");
    }
}

/// The minor version of the compiler `rustc` names (empty: the one on the PATH).
fn rustc_minor(rustc: &str) -> Option<u32> {
    let rustc = if rustc.is_empty() { "rustc" } else { rustc };
    let out = Command::new(rustc).arg("--version").output().ok()?;
    minor_version(&String::from_utf8(out.stdout).ok()?)
}

/// The minor version in `rustc --version`'s answer (`rustc 1.95.0 (…)` → 95).
pub fn minor_version(answer: &str) -> Option<u32> {
    let version = answer.split_whitespace().nth(1)?;
    let mut parts = version.split('.');
    (parts.next()? == "1").then_some(())?;
    parts.next()?.parse().ok()
}

/// Whether a line of the list is a name the linker can match: a symbol as it is in the
/// program (mangled: no spaces, no `::` of a demangled path), not empty.
pub fn is_linker_name(line: &str) -> bool {
    !line.is_empty() && !line.contains(char::is_whitespace) && !line.contains("::")
}
