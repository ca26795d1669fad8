//! Builds the `saraban` command line: its relocations packed (see `build/relocations.rs`)
//! and its everyday functions laid out together (see `build/symbol_order.rs`).

#[path = "build/relocations.rs"]
mod relocations;
#[path = "build/symbol_order.rs"]
#[allow(dead_code)]
mod symbol_order;

fn main() {
    println!("cargo:rerun-if-changed=build/relocations.rs");
    println!("cargo:rerun-if-changed=build/symbol_order.rs");
    relocations::pack_relative_relocations();
    symbol_order::order_everyday_functions(symbol_order::Program::Cli);
}
