//! The commands through Tauri's real IPC layer with the mock runtime: no window, no
//! display, but the same deserialisation, capability checks and raw responses as the app.

use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{get_ipc_response, INVOKE_KEY};
use tauri::webview::InvokeRequest;
use tauri::WebviewWindowBuilder;

fn app() -> (tauri::App<tauri::test::MockRuntime>, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let state = crate::open_state(dir.path().join("register.sqlite")).unwrap();
    let app = crate::builder(tauri::test::mock_builder(), state)
        .build(tauri::generate_context!(test = true))
        .unwrap();
    (app, dir)
}

/// The app on `state`, with its main window.
fn window_on(
    state: crate::AppState,
) -> (
    tauri::App<tauri::test::MockRuntime>,
    tauri::WebviewWindow<tauri::test::MockRuntime>,
) {
    let app = crate::builder(tauri::test::mock_builder(), state)
        .build(tauri::generate_context!(test = true))
        .unwrap();
    let w = WebviewWindowBuilder::new(&app, "main", Default::default())
        .build()
        .unwrap();
    (app, w)
}

/// The app with its main window (kept alive together with the register's folder).
fn window() -> (
    tauri::App<tauri::test::MockRuntime>,
    tauri::WebviewWindow<tauri::test::MockRuntime>,
    tempfile::TempDir,
) {
    let (app, dir) = app();
    let w = WebviewWindowBuilder::new(&app, "main", Default::default())
        .build()
        .unwrap();
    (app, w, dir)
}

fn call(
    w: &tauri::WebviewWindow<tauri::test::MockRuntime>,
    cmd: &str,
    body: serde_json::Value,
) -> Result<tauri::ipc::InvokeResponseBody, serde_json::Value> {
    get_ipc_response(
        w,
        InvokeRequest {
            cmd: cmd.into(),
            callback: CallbackFn(0),
            error: CallbackFn(1),
            url: "tauri://localhost".parse().unwrap(),
            body: InvokeBody::Json(body),
            headers: Default::default(),
            invoke_key: INVOKE_KEY.to_string(),
        },
    )
}

/// A command's answer, which must not be a refusal.
fn answer<T: serde::de::DeserializeOwned>(
    w: &tauri::WebviewWindow<tauri::test::MockRuntime>,
    cmd: &str,
    body: serde_json::Value,
) -> T {
    call(w, cmd, body)
        .unwrap_or_else(|e| panic!("{cmd} refused: {e}"))
        .deserialize::<T>()
        .unwrap()
}

#[test]
fn the_preview_comes_back_as_raw_bytes_page_sizes_then_the_pictures() {
    let (_app, w, _dir) = window();
    let letter = serde_json::json!({"kind": "memo", "subject": "ทดสอบ", "body": ["ข้อความ"]});
    let preview = |known: Vec<String>| match call(
        &w,
        "render_preview",
        serde_json::json!({ "letter": letter, "scale": 1.5, "known": known }),
    )
    .unwrap()
    {
        tauri::ipc::InvokeResponseBody::Raw(bytes) => bytes,
        other => panic!("a JSON answer instead of raw bytes: {other:?}"),
    };
    let bytes = preview(vec![]);
    let u32_at = |b: &[u8], i: usize| u32::from_le_bytes(b[i..i + 4].try_into().unwrap());
    assert_eq!(u32_at(&bytes, 0), 1, "one page");
    // A4 at 1.5 pixels per point.
    assert_eq!((u32_at(&bytes, 12), u32_at(&bytes, 16)), (893, 1263));
    let png = u32_at(&bytes, 20) as usize;
    assert!(png > 1000 && bytes[24..].starts_with(b"\x89PNG") && bytes.len() == 24 + png);
    // The page the screen shows is not sent again.
    let look = u64::from_le_bytes(bytes[4..12].try_into().unwrap());
    let again = preview(vec![format!("{look:016x}")]);
    assert_eq!((again.len(), u32_at(&again, 20)), (24, 0));
}

#[test]
fn bad_input_is_a_thai_message_with_the_field() {
    let (_app, w, _dir) = window();
    let long = "ก".repeat(100_000);
    let letter = serde_json::json!({"kind": "external", "subject": long, "body": ["x"]});
    let err = call(
        &w,
        "render_preview",
        serde_json::json!({ "letter": letter, "scale": 1.0, "known": [] }),
    )
    .unwrap_err();
    assert_eq!(err["problems"][0]["path"], "subject", "{err}");
    assert!(err["message"]
        .as_str()
        .unwrap()
        .chars()
        .any(|c| ('ก'..='๛').contains(&c)));
    let err = call(
        &w,
        "save_profile",
        serde_json::json!({ "profile": {"agency": ""} }),
    )
    .unwrap_err();
    assert_eq!(err["problems"][0]["path"], "agency");
}

#[test]
fn a_far_date_is_refused_in_thai_unless_the_clerk_insists() {
    let (_app, w, _dir) = window();
    let letter = serde_json::json!({"kind": "external", "number": {"prefix": "มท ๐๘๑๐.๒"},
        "agency": {"name": "กรมส่งเสริมการปกครองท้องถิ่น"},
        "subject": "ทดสอบ", "recipient": "ผู้ว่าราชการจังหวัด", "body": ["ข้อความ"]});
    let id = answer::<i64>(
        &w,
        "save_draft",
        serde_json::json!({ "id": null, "letter": letter }),
    );
    let err = call(
        &w,
        "issue_draft",
        serde_json::json!({ "id": id, "date": "2020-01-01" }),
    )
    .unwrap_err();
    assert_eq!(err["problems"][0]["path"], "date", "{err}");
    assert!(
        err["message"].as_str().unwrap().contains("เกินหนึ่งปี"),
        "{err}"
    );
    let issued = answer::<serde_json::Value>(
        &w,
        "issue_draft",
        serde_json::json!({ "id": id, "date": "2020-01-01", "anyDate": true }),
    );
    assert_eq!(issued["year_be"], 2563);
}

#[test]
fn drafts_and_settings_go_through_the_office() {
    let (_app, w, _dir) = window();
    let setup = answer::<serde_json::Value>(
        &w,
        "save_profile",
        serde_json::json!({ "profile": {"agency": "กรมส่งเสริมการปกครองท้องถิ่น", "units": [{"name": "กอง", "prefix": "มท ๐๘๑๐.๒"}]} }),
    );
    assert_eq!(setup["configured"], true);
    let letter =
        answer::<serde_json::Value>(&w, "new_letter", serde_json::json!({ "kind": "external" }));
    assert_eq!(letter["number"]["prefix"], "มท ๐๘๑๐.๒");
    let id = answer::<i64>(
        &w,
        "save_draft",
        serde_json::json!({ "id": null, "letter": letter }),
    );
    let list = answer::<serde_json::Value>(&w, "drafts", serde_json::json!({ "filter": "" }));
    assert_eq!(list[0]["id"], id);
}

#[test]
fn a_register_that_does_not_open_leaves_the_window_open_to_try_again() {
    // The register cannot be opened (here a file stands where its folder should be; on an
    // office, its server away): the app starts without it, says why, and opens it when
    // asked again once the cause is gone.
    let dir = tempfile::tempdir().unwrap();
    let blocker = dir.path().join("registers");
    std::fs::write(&blocker, b"not a folder").unwrap();
    let db = blocker.join("register.sqlite");
    let problem = match crate::open_state(db.clone()) {
        Err(e) => saraban::service::Failure::from(&e).message,
        Ok(_) => panic!("a register under a file opened"),
    };
    let state = crate::state_without_register(db.clone(), problem.clone()).unwrap();
    let (_app, w) = window_on(state);
    let setup = answer::<serde_json::Value>(&w, "office_setup", serde_json::json!({}));
    assert_eq!(setup["problem"], problem.as_str());
    assert_eq!(setup["register"], db.display().to_string());
    // Composing works; keeping a draft needs the register and says so.
    let letter =
        answer::<serde_json::Value>(&w, "new_letter", serde_json::json!({ "kind": "external" }));
    assert!(call(
        &w,
        "save_draft",
        serde_json::json!({ "id": null, "letter": letter })
    )
    .is_err());
    assert!(call(&w, "reopen_register", serde_json::json!({})).is_err());
    std::fs::remove_file(&blocker).unwrap();
    let setup = answer::<serde_json::Value>(&w, "reopen_register", serde_json::json!({}));
    assert_eq!(setup["problem"], serde_json::Value::Null);
    let setup = answer::<serde_json::Value>(&w, "office_setup", serde_json::json!({}));
    assert_eq!(setup["problem"], serde_json::Value::Null);
    assert!(call(
        &w,
        "save_draft",
        serde_json::json!({ "id": null, "letter": letter })
    )
    .is_ok());
    assert!(db.exists());
}

#[test]
fn the_window_may_not_reach_past_its_commands() {
    let (_app, w, _dir) = window();
    // Dialogs are opened by the commands, never by the page; no shell, no file system.
    for cmd in [
        "plugin:dialog|open",
        "plugin:dialog|save",
        "plugin:shell|execute",
        "plugin:fs|read_file",
    ] {
        let err = call(&w, cmd, serde_json::json!({})).unwrap_err();
        assert!(
            err.to_string().contains("not allowed") || err.to_string().contains("not found"),
            "{cmd}: {err}"
        );
    }
}

#[test]
fn the_register_book_is_written_where_the_clerk_chose_with_progress() {
    let (_app, w, dir) = window();
    let out = tempfile::tempdir().unwrap();
    // The save dialog answers a file in this folder (see dialogs.rs); no other test here
    // opens a dialog.
    unsafe { std::env::set_var("SARABAN_TEST_DIALOGS", out.path()) };
    let path = answer::<Option<String>>(
        &w,
        "export_book",
        serde_json::json!({ "year": 2569, "onProgress": "__CHANNEL__:7" }),
    )
    .unwrap();
    unsafe { std::env::remove_var("SARABAN_TEST_DIALOGS") };
    let bytes = std::fs::read(&path).unwrap();
    assert!(bytes.starts_with(b"%PDF") && bytes.ends_with(b"%%EOF\n"));
    assert!(path.ends_with("สมุดทะเบียนหนังสือส่ง ๒๕๖๙.pdf"), "{path}");
    drop(dir);
}

#[test]
fn the_page_cannot_name_a_register_file_and_a_draft_with_line_breaks_reopens() {
    let (_app, w, dir) = window();
    // 17.16: a path typed into the page never creates or opens a register file.
    let target = dir.path().join("planted.sqlite");
    let err = call(
        &w,
        "use_register",
        serde_json::json!({ "location": target.display().to_string(), "password": null }),
    )
    .unwrap_err();
    assert!(
        err["message"].as_str().unwrap().contains("เลือกไฟล์ทะเบียน"),
        "{err}"
    );
    assert!(
        !target.exists(),
        "no register was created where the page said"
    );
    // 17.1: Enter in the body field: the draft saves and opens again.
    let letter = serde_json::json!({"kind": "external", "subject": "ทดสอบ", "body": ["บรรทัดแรก\nบรรทัดที่สอง"]});
    let id = answer::<i64>(
        &w,
        "save_draft",
        serde_json::json!({ "id": null, "letter": letter }),
    );
    let opened = answer::<serde_json::Value>(&w, "open_draft", serde_json::json!({ "id": id }));
    assert_eq!(opened["body"], serde_json::json!(["บรรทัดแรก", "บรรทัดที่สอง"]));
}

#[test]
fn a_draft_too_long_to_print_is_kept_but_never_takes_a_number() {
    let (_app, w, _dir) = window();
    // 17.1: whatever the clerk pasted is kept as a draft ...
    let long = "ก".repeat(25_440);
    let letter = serde_json::json!({"kind": "memo", "subject": "ทดสอบ", "body": [long]});
    let id = answer::<i64>(
        &w,
        "save_draft",
        serde_json::json!({ "id": null, "letter": letter }),
    );
    let opened = answer::<serde_json::Value>(&w, "open_draft", serde_json::json!({ "id": id }));
    assert_eq!(opened["body"][0].as_str().unwrap().chars().count(), 25_440);
    // ... and the core refuses to number it, naming the field, as it refuses to render it.
    let err = call(
        &w,
        "issue_draft",
        serde_json::json!({ "id": id, "date": null, "anyDate": null }),
    )
    .unwrap_err();
    assert_eq!(err["problems"][0]["path"], "body[0]", "{err}");
    let page = answer::<serde_json::Value>(&w, "search", serde_json::json!({ "query": {} }));
    assert_eq!(page["total"], 0, "no number taken: {page}");
}

/// Every command that prints, numbers or writes a letter refuses an invalid one with the
/// same Thai message naming the same field, because the core refuses it, not the shell.
#[test]
fn every_command_given_an_invalid_letter_gets_the_same_refusal() {
    let (_app, w, _dir) = window();
    let letter =
        serde_json::json!({"kind": "memo", "subject": "ทดสอบ", "body": ["ก".repeat(25_440)]});
    let refusals: Vec<(&str, serde_json::Value)> = [
        (
            "render_preview",
            serde_json::json!({ "letter": letter, "scale": 1.0, "known": [] }),
        ),
        ("check_letter", serde_json::json!({ "letter": letter })),
        (
            "next_number",
            serde_json::json!({ "letter": letter, "date": null }),
        ),
        ("save_letter_pdf", serde_json::json!({ "letter": letter })),
        (
            "save_letter_docx",
            serde_json::json!({ "letter": letter, "id": null }),
        ),
        ("export_letter", serde_json::json!({ "letter": letter })),
    ]
    .into_iter()
    .map(|(cmd, args)| (cmd, call(&w, cmd, args).expect_err(cmd)))
    .collect();
    let id = answer::<i64>(
        &w,
        "save_draft",
        serde_json::json!({ "id": null, "letter": letter }),
    );
    let issue = call(
        &w,
        "issue_draft",
        serde_json::json!({ "id": id, "date": null, "anyDate": null }),
    )
    .expect_err("issue_draft");
    let first = &refusals[0].1;
    assert_eq!(first["problems"][0]["path"], "body[0]", "{first}");
    assert!(first["message"]
        .as_str()
        .unwrap()
        .chars()
        .any(|c| ('\u{0e01}'..='\u{0e5b}').contains(&c)));
    // The clerk reads the field by the form's name for it, never a JSON path.
    let said = first["message"].as_str().unwrap();
    assert!(said.starts_with("ข้อความ ย่อหน้าที่ ๑"), "{said}");
    assert!(
        !said.contains("body[0]") && !said.contains("body:"),
        "{said}"
    );
    for (cmd, err) in &refusals {
        assert_eq!(err, first, "{cmd} refused otherwise");
    }
    assert_eq!(
        issue["problems"], first["problems"],
        "issue_draft refused otherwise"
    );
}

/// The typed TypeScript callers of the commands (ui/src/lib/commands.ts) are what the
/// commands are now: `SARABAN_WRITE_BINDINGS=1 cargo test -p saraban-app commands_ts`
/// writes them; otherwise a command changed without them fails here, and a caller that
/// no longer fits fails the UI's type check once they are written.
#[test]
fn commands_ts_is_current() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let source = std::fs::read_to_string(root.join("src/commands.rs")).unwrap();
    let text = crate::ipc::typescript(&crate::ipc::commands(&source).unwrap()).unwrap();
    let path = root.join("../ui/src/lib/commands.ts");
    if std::env::var_os("SARABAN_WRITE_BINDINGS").is_some() {
        std::fs::write(&path, &text).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == text,
        "ui/src/lib/commands.ts is out of date: run SARABAN_WRITE_BINDINGS=1 cargo test -p saraban-app commands_ts"
    );
}

/// The window's capability allows every command and nothing beyond them and the few core
/// permissions it names.
#[test]
fn the_capability_allows_exactly_the_commands() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let source = std::fs::read_to_string(root.join("src/commands.rs")).unwrap();
    let commands: std::collections::BTreeSet<String> = crate::ipc::commands(&source)
        .unwrap()
        .into_iter()
        .map(|c| format!("allow-{}", c.name.replace('_', "-")))
        .collect();
    let cap: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root.join("capabilities/default.json")).unwrap(),
    )
    .unwrap();
    let granted: Vec<String> = cap["permissions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap().to_string())
        .collect();
    let own: std::collections::BTreeSet<String> = granted
        .iter()
        .filter(|p| !p.contains(':'))
        .cloned()
        .collect();
    assert_eq!(
        own, commands,
        "capabilities/default.json and commands.rs differ"
    );
    let core: Vec<&String> = granted.iter().filter(|p| p.contains(':')).collect();
    assert_eq!(
        core,
        [
            "core:event:default",
            "core:window:allow-close",
            "core:window:allow-destroy",
            "core:window:allow-set-title"
        ],
        "the window may do only what the UI uses"
    );
}

/// The app answers an issue with its number and then, on a thread of its own, moves the
/// letters waiting outside the search index into it once enough wait: the clerk never
/// waits for the index's merging, and the letters do not pile up.
#[test]
fn after_an_issue_the_app_moves_the_waiting_letters_into_the_index() {
    use saraban::register::{Register, UNINDEXED_SETTLE};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("register.sqlite");
    let letter: saraban::Letter = serde_json::from_value(serde_json::json!({
        "kind": "external", "number": {"prefix": "มท ๐๘๑๐.๒"},
        "agency": {"name": "กรมส่งเสริมการปกครองท้องถิ่น"},
        "subject": "ทดสอบดัชนีค้นหา", "recipient": "ผู้ว่าราชการจังหวัด", "body": ["ข้อความ"]}))
    .unwrap();
    let waiting = |path: &std::path::Path| -> i64 {
        Register::open_with(path, saraban::register::Access::Read)
            .unwrap()
            .connection()
            .query_row("SELECT count(*) FROM letters_unindexed", [], |r| r.get(0))
            .unwrap()
    };
    {
        let mut reg = Register::create(&path).unwrap();
        let opts = saraban::service::IssueOptions {
            date: Some(chrono::NaiveDate::from_ymd_opt(2026, 3, 2).unwrap()),
            any_date: true,
            ..Default::default()
        };
        for _ in 1..UNINDEXED_SETTLE {
            reg.issue(&letter, &opts, |_| Ok(b"%PDF-1.7\n".to_vec()))
                .unwrap();
        }
    }
    assert_eq!(waiting(&path), UNINDEXED_SETTLE - 1);
    let (_app, w) = window_on(crate::open_state(path.clone()).unwrap());
    let id = answer::<i64>(
        &w,
        "save_draft",
        serde_json::json!({ "id": null, "letter": letter }),
    );
    let issued = answer::<serde_json::Value>(
        &w,
        "issue_draft",
        serde_json::json!({ "id": id, "date": "2026-03-02", "anyDate": true }),
    );
    assert_eq!(issued["running"], UNINDEXED_SETTLE);
    let since = std::time::Instant::now();
    while waiting(&path) > 0 {
        assert!(
            since.elapsed() < std::time::Duration::from_secs(20),
            "{} letters still wait outside the index",
            waiting(&path)
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let found = answer::<serde_json::Value>(
        &w,
        "search",
        serde_json::json!({ "query": {"text": "ดัชนีค้นหา"} }),
    );
    assert_eq!(found["total"], UNINDEXED_SETTLE, "{found}");
}
