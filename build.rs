//! Builds the `saraban` command line: its relocations packed (see `build/relocations.rs`).

#[path = "build/relocations.rs"]
mod relocations;

fn main() {
    println!("cargo:rerun-if-changed=build/relocations.rs");
    relocations::pack_relative_relocations();
}
