//! The desktop shell of Saraban (สารบรรณ): a Tauri window over `saraban::Office`.
//!
//! Nothing here decides anything about letters or the register: every command is a few
//! lines that take the office from the managed state, call one `Office` method and turn an
//! error into a Thai sentence ([`saraban::service::Failure`]). The shell adds only what a
//! desktop needs: native file dialogs (so the web view never names a path itself), the
//! printer, one running instance per register, and the window's remembered place.

mod commands;
mod dialogs;
mod instance;
#[cfg(test)]
mod ipc;

use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Instant;

use saraban::service::Press;
use saraban::{Office, OfficeSettings};

/// The office the window works on.
pub struct AppState {
    /// One office, one register; commands take it in turn, each on a blocking thread.
    pub office: Arc<Mutex<Office>>,
    /// The office's press as of its last change (font, emblem, profile): the preview
    /// renders on it without waiting for the register.
    pub press: Arc<Mutex<Press>>,
    /// Why the register could not be opened when the app started; the app then runs
    /// without one until the clerk tries again or chooses another.
    pub problem: Mutex<Option<String>>,
    /// Where the register lives.
    pub db: PathBuf,
    /// The received file the clerk opened and is confirming (หนังสือรับ), as read.
    pub received: Mutex<Option<(saraban::service::ReceivedFile, saraban::service::Reading)>>,
    /// The other letters of the e-mail opened last, waiting their turn.
    pub waiting: Mutex<Vec<saraban::service::ReceivedFile>>,
    /// The fetched message whose letters are being received (its id), and the receipts
    /// made of it so far: when the last is received, the sender gets the receipt reply.
    pub mail_source: Mutex<Option<(i64, Vec<saraban::service::Received>)>>,
    /// The enclosures the clerk chose for the letter about to be sent by e-mail.
    pub enclosures: Mutex<Vec<PathBuf>>,
    /// The signer's key file (PKCS #12) the clerk chose for the letter about to be signed.
    pub signing_key: Mutex<Option<PathBuf>>,
}

/// When the process started (for the start-up figure of `make app-bench`).
pub static STARTED: OnceLock<Instant> = OnceLock::new();

/// Opens the office of the register at `db`, creating the register on the first run.
pub fn open_state(db: PathBuf) -> Result<AppState, saraban::Error> {
    let office = Office::open_with(
        &db,
        saraban::service::Access::Create,
        &OfficeSettings::default(),
    )?;
    Ok(AppState::new(office, None, db))
}

/// The app's state when the register at `db` cannot be opened (`problem` says why): an
/// office without a register, so that the window still opens and the clerk can choose
/// one, or try again once the server is back.
pub fn state_without_register(db: PathBuf, problem: String) -> Result<AppState, saraban::Error> {
    Ok(AppState::new(
        Office::new(&OfficeSettings::default())?,
        Some(problem),
        db,
    ))
}

impl AppState {
    fn new(office: Office, problem: Option<String>, db: PathBuf) -> AppState {
        AppState {
            press: Arc::new(Mutex::new(office.press())),
            office: Arc::new(Mutex::new(office)),
            problem: Mutex::new(problem),
            db,
            received: Mutex::new(None),
            waiting: Mutex::new(Vec::new()),
            mail_source: Mutex::new(None),
            enclosures: Mutex::new(Vec::new()),
            signing_key: Mutex::new(None),
        }
    }

    /// The press the preview renders on now.
    pub fn press(&self) -> Press {
        commands::lock(&self.press).clone()
    }
}

/// `base` with every plugin and command; `main` runs it with the real runtime, the tests
/// with the mock one.
pub fn builder<R: tauri::Runtime>(base: tauri::Builder<R>, state: AppState) -> tauri::Builder<R> {
    base.plugin(tauri_plugin_dialog::init())
        .manage(state)
        // Every `#[tauri::command]` of commands.rs (build.rs writes the list from it).
        .invoke_handler(include!(concat!(env!("OUT_DIR"), "/handler.rs")))
}

/// Has WebKitGTK paint the page in software, without its GPU compositor, unless the
/// clerk's environment already decides (`WEBKIT_DISABLE_COMPOSITING_MODE=0` keeps it).
/// Called first thing in `main`, before any thread exists (setting the environment is not
/// safe once threads read it).
///
/// Why: the app is a form and a few canvases, which software painting draws in a few
/// milliseconds. Through the compositor — on office computers without a usable GPU driver,
/// and under Xvfb, which is where this was measured — every frame cost 50–200 ms once a
/// field had the focus: each keystroke waited that long to appear in its field, and a
/// five-page letter's preview 120 ms. Painted in software, a keystroke is on screen in
/// 3 ms and its preview page in 35–56 ms, and the web process takes 235 MB instead of
/// 500 (`make app-bench`; docs/ARCHITECTURE.md, "The live preview"). Linux only: Windows
/// draws through WebView2.
///
/// Without the compositor, its DMA-BUF renderer has nothing to show either: left to start,
/// the window set up EGL and Mesa's software GL for it all the same. Off too (unless the
/// environment says), the editor is ready sooner (359 ms instead of 371) and the app
/// takes 244 MB at rest instead of 249, 273 after composing instead of 276, with the same
/// keystroke-to-preview times (`make app-bench`, the two builds in turn, three runs each).
pub fn prefer_software_painting() {
    #[cfg(target_os = "linux")]
    if unless_set("WEBKIT_DISABLE_COMPOSITING_MODE", "1") {
        unless_set("WEBKIT_DISABLE_DMABUF_RENDERER", "1");
    }
}

/// Sets `name` to `value` unless the environment already has it; returns whether it did.
/// Only for `main` before any other thread starts (setting the environment is not safe once
/// threads read it); WebKitGTK's processes inherit it.
#[cfg(target_os = "linux")]
fn unless_set(name: &str, value: &str) -> bool {
    if std::env::var_os(name).is_some() {
        return false;
    }
    // SAFETY: called only from `prefer_software_painting` and `keep_memory_small`, first
    // thing in `main`, before any other thread is started.
    unsafe { std::env::set_var(name, value) };
    true
}

/// Keeps the app's memory small on a clerk's modest computer (4–8 GB, with a browser, LINE
/// and Word open beside it): glibc's allocator told to give back what the app frees.
/// Called first thing in `main`, before any thread exists.
///
/// - One malloc arena (`M_ARENA_MAX`) instead of one per busy thread: each arena holds on
///   to what its thread freed. The threads that allocate much (preview, search) take turns.
/// - Blocks of 256 KiB and more (a page's pixels, its PNG, a PDF) are mapped on their own
///   and given back when freed (`M_MMAP_THRESHOLD`, which also stops glibc from raising the
///   threshold to the largest block freed and then keeping such blocks in the heap).
///
/// Together 17 MB of the app's 293 after composing three letters, at no cost in speed
/// (`make app-bench`, README). Linux with glibc only; WebView2 on Windows is its own.
///
/// - The page's scripts run in JavaScriptCore's interpreter, without its JIT compilers
///   (`JSC_useJIT=0`, unless the environment says): 253 MB after composing instead of
///   274, 232 at rest instead of 245. The page is a form: its scripts are light, and the
///   live preview's pictures come from the core, so typing is as fast (keystroke to
///   preview p90 36 ms for one page either way; register search p95 62–77 ms, 53–74 with
///   the JIT). What pays is pdf.js drawing a stored PDF: 150–178 ms from the click to its
///   first page instead of 85–95 (`e2e/bench/stored-pdf.js`; `make app-bench`, the two
///   builds in turn, three runs each).
pub fn keep_memory_small() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets parameters of glibc's allocator; no thread runs yet.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 1);
        libc::mallopt(libc::M_MMAP_THRESHOLD, 256 << 10);
    }
    #[cfg(target_os = "linux")]
    unless_set("JSC_useJIT", "0");
}

/// Starts the app on the register `$SARABAN_DB`, else the user's own.
pub fn run() {
    STARTED.get_or_init(Instant::now);
    if let Some(message) = dialogs::webview_missing() {
        dialogs::fatal(&message);
        std::process::exit(1);
    }
    let db = saraban::service::default_register_path();
    let _lock = match instance::lock(&db) {
        Ok(lock) => lock,
        Err(message) => {
            dialogs::fatal(&message);
            std::process::exit(1);
        }
    };
    let state = match open_state(db.clone()) {
        Ok(s) => s,
        Err(e) => {
            let problem = saraban::service::Failure::from(&e).message;
            tracing::warn!("the register did not open: {problem}");
            match state_without_register(db, problem) {
                Ok(s) => s,
                Err(e) => {
                    dialogs::fatal(&saraban::service::Failure::from(&e).message);
                    std::process::exit(1);
                }
            }
        }
    };
    let result = builder(tauri::Builder::<tauri::Wry>::new(), state)
        .plugin(
            tauri_plugin_window_state::Builder::default()
                .with_state_flags(
                    tauri_plugin_window_state::StateFlags::SIZE
                        | tauri_plugin_window_state::StateFlags::POSITION
                        | tauri_plugin_window_state::StateFlags::MAXIMIZED,
                )
                .build(),
        )
        .setup(|app| {
            if let Some(window) = tauri::Manager::get_webview_window(app, "main") {
                fit_to_screen(&window);
            }
            Ok(())
        })
        .run(tauri::generate_context!());
    if let Err(e) = result {
        dialogs::fatal(&format!("เปิดหน้าต่างโปรแกรมไม่ได้: {e}"));
        std::process::exit(1);
    }
}

#[cfg(test)]
mod tests;

/// The window fits the screen it opens on: the common office laptops are 1366×768 and
/// 1280×720, where the window as configured (1280×800), or as last left on a larger screen,
/// would hang below the taskbar with its buttons and messages out of sight.
fn fit_to_screen<R: tauri::Runtime>(window: &tauri::WebviewWindow<R>) {
    let (Ok(Some(monitor)), Ok(scale)) = (window.current_monitor(), window.scale_factor()) else {
        return;
    };
    // Before the window is first drawn it has no size of its own yet: the configured one
    // (or the one the window-state plugin restored) is what it will get.
    let size = match window.outer_size() {
        Ok(s) if s.width > 0 && s.height > 0 => s,
        _ => {
            let configured = tauri::Manager::config(window).app.windows.first();
            let (w, h) = configured.map_or((1280.0, 800.0), |c| (c.width, c.height));
            tauri::LogicalSize::new(w, h).to_physical(scale)
        }
    };
    let area = monitor.work_area();
    let (width, height) = (area.size.width.max(1), area.size.height.max(1));
    if size.width <= width && size.height <= height {
        return;
    }
    let fitted = tauri::PhysicalSize::new(size.width.min(width), size.height.min(height));
    tracing::info!(
        "window {}×{} fitted to the screen's {}×{} (scale {scale})",
        size.width,
        size.height,
        width,
        height
    );
    let _ = window.set_size(fitted);
    let _ = window.set_position(tauri::PhysicalPosition::new(
        area.position.x,
        area.position.y,
    ));
}
