//! The linker's lists of the CLI's and the app's everyday functions
//! (`build/symbol_order.rs`): their form, how the app's is joined, and when the build
//! scripts hand them to the linker. Their effect, the programs' memory, is measured by
//! `make bench` (`benches/cold.py`) and `make app-bench` on the release build.

#[path = "../build/symbol_order.rs"]
#[allow(dead_code)]
mod lists;

use std::collections::HashSet;
use std::path::Path;

/// The lines of a list of the workspace.
fn lines_of(list: &str) -> Vec<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(list);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{list}: {e}"));
    text.lines().map(str::to_string).collect()
}

/// Every line a mangled name as the program has it, each once: a list of demangled names
/// (`saraban::service::Office::render`) would be skipped by the linker without a word.
#[test]
fn the_lists_name_each_function_once_as_the_linker_knows_it() {
    for list in [lists::CLI_LIST, lists::APP_LIST] {
        let lines = lines_of(list);
        assert!(
            lines.len() > 1000,
            "{list}: {} names: write it again with scripts/symbol-order.py",
            lines.len()
        );
        let mut seen = HashSet::new();
        for line in &lines {
            assert!(
                lists::is_linker_name(line),
                "{list}: not a linker's name: {line:?}"
            );
            assert!(seen.insert(line.as_str()), "{list}: named twice: {line}");
        }
    }
    // The typesetting of a render is in the CLI's, the first command the script runs; the
    // preview's pictures in the app's.
    let cli = lines_of(lists::CLI_LIST);
    assert!(cli
        .iter()
        .any(|l| l.contains("7saraban7service5Press7lay_out")));
    let app = lines_of(lists::APP_LIST);
    assert!(app.iter().any(|l| l.contains("saraban_raster")));
}

/// The app's list is its own names, then the CLI's it does not have yet, each once.
#[test]
fn the_apps_list_is_its_own_then_the_clis() {
    let joined = lists::one_list(["b\na\n", "c\na\nb\nd"].into_iter());
    assert_eq!(joined, "b\na\nc\nd\n");
}

/// The list goes to the linker only where it is LLD, Rust's default on x86_64 Linux from
/// 1.90 (GNU ld would refuse the option).
#[test]
fn the_compiler_version_is_read_from_its_answer() {
    assert_eq!(
        lists::minor_version("rustc 1.95.0 (59807616e 2026-04-14)"),
        Some(95)
    );
    assert_eq!(
        lists::minor_version("rustc 1.89.0-beta.3 (abc 2025-07-01)"),
        Some(89)
    );
    assert_eq!(lists::minor_version("rustc 2.0.0"), None);
    assert_eq!(lists::minor_version("error: no such command"), None);
    assert_eq!(lists::minor_version(""), None);
}
