//! Packed relative relocations for the programs (the CLI and the app), shared by the two
//! build scripts.
//!
//! A position-independent program is moved into place at start: the loader reads one
//! 24-byte entry per pointer in the program's data (1.4 MB of them for `saraban`, 1.7 MB
//! for the app) and those pages stay in the process's memory. `-z pack-relative-relocs`
//! (GNU ld 2.38, glibc 2.36: Debian 12 has both) writes the same as a bitmap of some
//! 18 KB. A fresh `saraban render` peaks at 19.9 MiB instead of 22.3 (`benches/cold.py`),
//! the app after composing takes 278 MB instead of 282 (`make app-bench`; README). Linux
//! with glibc only; the Windows build links otherwise.

/// Asks the linker to pack the relative relocations of this package's programs.
pub fn pack_relative_relocations() {
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let env = std::env::var("CARGO_CFG_TARGET_ENV").unwrap_or_default();
    if os == "linux" && env == "gnu" {
        println!("cargo:rustc-link-arg-bins=-Wl,-z,pack-relative-relocs");
    }
}
