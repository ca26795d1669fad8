// No console window on Windows in release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    saraban_app::prefer_software_painting();
    saraban_app::keep_memory_small();
    saraban_app::run();
}
