//! Builds the app: the UI's commands are declared to Tauri so that the capability
//! (capabilities/default.json) can allow exactly these and nothing else.

const COMMANDS: &[&str] = &[
    "office_setup",
    "use_register",
    "pick_register_file",
    "reopen_register",
    "save_profile",
    "import_emblem",
    "remove_emblem",
    "emblem_image",
    "import_font",
    "remove_font",
    "new_letter",
    "courtesy",
    "render_preview",
    "check_letter",
    "save_draft",
    "drafts",
    "open_draft",
    "draft_versions",
    "draft_version",
    "restore_draft",
    "delete_draft",
    "duplicate_draft",
    "next_number",
    "issue_draft",
    "search",
    "issued_letter",
    "issued_pdf",
    "save_issued_pdf",
    "save_letter_pdf",
    "print_issued",
    "cancel_letter",
    "export_register",
    "export_book",
    "import_letter",
    "export_letter",
    "verify_audit",
    "app_ready",
];

fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("failed to run tauri-build");
}
