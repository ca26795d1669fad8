//! Builds the app. The commands are read from `src/commands.rs` (see `src/ipc.rs`): they
//! are declared to Tauri, so that the capability (capabilities/default.json) can allow
//! exactly these and nothing else, and the handler `lib.rs` registers is written from the
//! same list. A command exists once: as its function.

#[path = "src/ipc.rs"]
#[allow(dead_code)]
mod ipc;

#[path = "../build/relocations.rs"]
mod relocations;
#[path = "../build/symbol_order.rs"]
#[allow(dead_code)]
mod symbol_order;

fn main() {
    println!("cargo:rerun-if-changed=src/commands.rs");
    println!("cargo:rerun-if-changed=src/ipc.rs");
    println!("cargo:rerun-if-changed=../build/relocations.rs");
    // The app's relocations packed, as the command line's (`build/relocations.rs`).
    relocations::pack_relative_relocations();
    // Its everyday functions laid out together (`build/symbol_order.rs`).
    println!("cargo:rerun-if-changed=../build/symbol_order.rs");
    symbol_order::order_everyday_functions(symbol_order::Program::App);
    let source = std::fs::read_to_string("src/commands.rs").expect("src/commands.rs");
    let commands = ipc::commands(&source).unwrap_or_else(|e| panic!("src/commands.rs: {e}"));
    let names: Vec<String> = commands.iter().map(|c| c.name.clone()).collect();
    let handler = format!(
        "tauri::generate_handler![{}]",
        names
            .iter()
            .map(|n| format!("commands::{n}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let out = std::path::PathBuf::from(std::env::var("OUT_DIR").expect("OUT_DIR"));
    std::fs::write(out.join("handler.rs"), handler).expect("the handler");
    // Tauri keeps the names for the whole build.
    let names: &'static [&'static str] = Box::leak(
        names
            .into_iter()
            .map(|n| &*n.leak())
            .collect::<Vec<_>>()
            .into_boxed_slice(),
    );
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(names)),
    )
    .expect("failed to run tauri-build");
}
