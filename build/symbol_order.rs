//! The programs' everyday code laid out together: `build/symbol-order.txt` for the CLI,
//! and `build/symbol-order-app.txt` then the CLI's list for the app (both written by
//! `scripts/symbol-order.py`).
//!
//! A fresh process holds its program's code in 64 KB windows around each page it runs.
//! The compiler scatters the 2 MB a `saraban render` runs over the program's 19 MB of
//! code, so the process held 7.8 MB of it; listed to the linker (command by command, in
//! name order within each), those functions sit side by side and the process holds about 2 MB (a
//! fresh render's peak: 19.8 → 13.5 MiB; the app at rest holds 8.7 MB of its program
//! instead of 15.4; README). Only the layout changes: the same code, the same output.
//!
//! The lists name functions as the linker sees them, so they apply where the linker is
//! LLD (Rust's own, the default for x86_64 Linux since Rust 1.90), in release builds;
//! elsewhere the programs link as before. The names carry each crate's build hash, so the
//! lists match the programs as `make release` builds them (the app and the CLI in one
//! cargo run). Names the linker does not find (after a change of toolchain, dependencies
//! or features) are skipped in silence: `make bench` says how many it found.
//! `tests/symbol_order.rs` checks the lists' form and the version test.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The CLI's list, from the workspace's folder.
pub const CLI_LIST: &str = "build/symbol-order.txt";

/// What only the app runs (its start, its commands, the preview's pictures), from the
/// workspace's folder; the app's list is this, then the CLI's.
pub const APP_LIST: &str = "build/symbol-order-app.txt";

/// Which program's functions to place first.
pub enum Program {
    /// `saraban`, of the root package.
    Cli,
    /// `saraban-app`, of `src-tauri`.
    App,
}

/// Asks the linker to place the listed functions of `program` first, in order.
pub fn order_everyday_functions(program: Program) {
    let var = |name: &str| std::env::var(name).unwrap_or_default();
    let manifest = PathBuf::from(var("CARGO_MANIFEST_DIR"));
    let workspace = match program {
        Program::Cli => manifest,
        Program::App => manifest.join(".."),
    };
    let lists: Vec<PathBuf> = match program {
        Program::Cli => vec![workspace.join(CLI_LIST)],
        Program::App => vec![workspace.join(APP_LIST), workspace.join(CLI_LIST)],
    };
    for list in &lists {
        println!("cargo:rerun-if-changed={}", list.display());
    }
    let lld_by_default = var("CARGO_CFG_TARGET_ARCH") == "x86_64"
        && var("CARGO_CFG_TARGET_OS") == "linux"
        && var("CARGO_CFG_TARGET_ENV") == "gnu"
        && rustc_minor(&var("RUSTC")).is_some_and(|minor| minor >= 90);
    // A linker of the user's own choosing may not know the option.
    let own_linker = std::env::var_os("CARGO_TARGET_X86_64_UNKNOWN_LINUX_GNU_LINKER").is_some()
        || var("CARGO_ENCODED_RUSTFLAGS").contains("link");
    if var("PROFILE") != "release" || !lld_by_default || own_linker {
        return;
    }
    let list = match program {
        Program::Cli => lists[0].clone(),
        // One file for the linker: the app's names, then the CLI's it does not have yet.
        Program::App => {
            let joined = Path::new(&var("OUT_DIR")).join("symbol-order.txt");
            let texts: Vec<String> = lists
                .iter()
                .filter_map(|l| std::fs::read_to_string(l).ok())
                .collect();
            let words = texts.iter().map(String::as_str);
            if std::fs::write(&joined, one_list(words)).is_err() {
                return;
            }
            joined
        }
    };
    if !list.is_file() {
        return;
    }
    let arg = match program {
        Program::Cli => "cargo:rustc-link-arg-bin=saraban",
        Program::App => "cargo:rustc-link-arg-bins",
    };
    println!("{arg}=-Wl,--symbol-ordering-file={}", list.display());
    println!("{arg}=-Wl,--no-warn-symbol-ordering");
}

/// The names of several lists, in order, each once.
pub fn one_list<'a>(lists: impl Iterator<Item = &'a str>) -> String {
    let mut seen = std::collections::HashSet::new();
    let mut out = String::new();
    for name in lists.flat_map(str::lines) {
        if seen.insert(name) {
            out.push_str(name);
            out.push('\n');
        }
    }
    out
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

/// Whether a line of a list is a name the linker can match: a symbol as it is in the
/// program (mangled: no spaces, no `::` of a demangled path), not empty.
pub fn is_linker_name(line: &str) -> bool {
    !line.is_empty() && !line.contains(char::is_whitespace) && !line.contains("::")
}
