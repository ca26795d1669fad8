//! The commands the web view may call: each takes the office, calls one `Office` method
//! and answers with its result or a Thai [`Failure`].
//!
//! The app never waits on itself. The commands are `async`, so the window keeps painting,
//! and every piece of work — an office call, a native dialog (which blocks until the clerk
//! chooses), a print — runs on a blocking thread of its own ([`off_thread`]), never on the
//! few threads of the async runtime. Three things never wait for one another:
//!
//! - the live preview and the proofreader use the office's [`Press`], a shared, read-only
//!   copy of its font, emblem and layout, without the register's lock;
//! - the long reads (a register book of thousands of pages, an export, the audit) run on
//!   a second connection to the register ([`Office::reader`]), so autosave, issues and
//!   searches go on meanwhile;
//! - the register's own lock is held only for one office call at a time.
//!
//! PDF bytes go back as a raw [`Response`], not as a JSON array of numbers.

use std::sync::{Arc, Mutex, MutexGuard};

use saraban::letter::check::Finding;
use saraban::letter::{Kind, Letter};
use saraban::register::{AuditReport, DraftInfo, DraftVersion, Entry, Issued, Location};
use saraban::service::{
    Access, BookProgress, Courtesy, ExportFormat, Failure, IssueOptions, KindChange, NextNumber,
    OfficeProfile, OfficeSetup, PrintCopy, SearchPage, SearchQuery,
};
use saraban::{Error, Office};
use tauri::ipc::Response;
use tauri::{AppHandle, Runtime, State};

use crate::dialogs::{self, Filter};
use crate::AppState;

type Answer<T> = Result<T, Failure>;

fn fail(e: Error) -> Failure {
    Failure::from(&e)
}

/// Takes a lock; a panic in another command must not lock the clerk out: the office is
/// still whole (every register change is one transaction), so a poisoned lock is taken over.
pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// Runs `f` on a blocking thread of its own, so that no async worker ever waits for the
/// register, a server, a dialog or the printer.
async fn off_thread<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> Answer<T> {
    tauri::async_runtime::spawn_blocking(f)
        .await
        .map_err(|e| Failure {
            message: format!("งานนี้หยุดไปกลางคัน ให้ลองอีกครั้ง ({e})"),
            problems: vec![],
        })
}

/// Runs `f` on the office (its register's lock held for `f` only), off the async threads.
/// What `f` changes in the press (font, emblem, profile) is handed to the preview.
async fn on_office<T: Send + 'static>(
    state: &State<'_, AppState>,
    f: impl FnOnce(&mut Office) -> saraban::Result<T> + Send + 'static,
) -> Answer<T> {
    let office = Arc::clone(&state.office);
    let press = Arc::clone(&state.press);
    off_thread(move || {
        let mut o = lock(&office);
        let answer = f(&mut o);
        *lock(&press) = o.press();
        answer
    })
    .await?
    .map_err(fail)
}

/// Runs a long read — a register book, an export, the audit — on a second, read-only
/// connection to the register ([`Office::reader`]; the office's own lock is held only
/// while it opens), in the background ([`in_background`]).
async fn on_reader<T: Send + 'static>(
    state: &State<'_, AppState>,
    f: impl FnOnce(&Office) -> saraban::Result<T> + Send + 'static,
) -> Answer<T> {
    let reader = on_office(state, |o| o.reader()).await?;
    in_background(move || f(&reader)).await?.map_err(fail)
}

/// Runs `f` on a thread of its own at the lowest priority: on a two-core office computer a
/// register book of thousands of pages takes only what the clerk's typing and its preview
/// leave, instead of sharing the processor with them evenly.
async fn in_background<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> Answer<T> {
    let stopped = |what: String| Failure {
        message: format!("งานเบื้องหลังหยุดไปกลางคัน ให้ลองอีกครั้ง ({what})"),
        problems: vec![],
    };
    off_thread(move || {
        std::thread::Builder::new()
            .name("saraban-background".into())
            .spawn(move || {
                lower_priority();
                f()
            })
            .map_err(|e| stopped(e.to_string()))?
            .join()
            .map_err(|_| stopped("panic".into()))
    })
    .await?
}

/// This thread runs only when nothing else wants the processor (Linux's SCHED_IDLE, for
/// this thread alone): the clerk's typing, the preview and the web view always come first.
fn lower_priority() {
    #[cfg(target_os = "linux")]
    // SAFETY: plain system calls on the calling thread's own id, with a valid parameter.
    unsafe {
        let tid = libc::syscall(libc::SYS_gettid) as libc::pid_t;
        let param = libc::sched_param { sched_priority: 0 };
        if libc::sched_setscheduler(tid, libc::SCHED_IDLE, &param) != 0 {
            libc::setpriority(libc::PRIO_PROCESS, tid as libc::id_t, 19);
        }
    }
}

/// A native dialog, on a thread of its own (it blocks until the clerk chooses).
async fn dialog<R: Runtime, T: Send + 'static>(
    app: &AppHandle<R>,
    f: impl FnOnce(&AppHandle<R>) -> T + Send + 'static,
) -> Answer<T> {
    let app = app.clone();
    off_thread(move || f(&app)).await
}

fn parse_date(date: Option<String>) -> Answer<Option<chrono::NaiveDate>> {
    date.filter(|d| !d.trim().is_empty())
        .map(|d| {
            chrono::NaiveDate::parse_from_str(d.trim(), "%Y-%m-%d").map_err(|_| Failure {
                message: format!("วันที่ “{d}” ไม่ถูกต้อง"),
                problems: vec![],
            })
        })
        .transpose()
}

// ---- Settings ------------------------------------------------------------------------

#[tauri::command]
pub async fn office_setup(state: State<'_, AppState>) -> Answer<OfficeSetup> {
    if let Some(problem) = problem(&state) {
        let shown = Location::parse(state.db.as_os_str()).shown();
        return Ok(OfficeSetup::without_register(shown, problem));
    }
    on_office(&state, |o| o.setup()).await
}

/// Why the register did not open at start, until one has.
fn problem(state: &State<'_, AppState>) -> Option<String> {
    lock(&state.problem).clone()
}

/// Works on `new` from now on (the old office is closed on a blocking thread: a server
/// register's client may not be dropped on an async one).
async fn switch_to(state: &State<'_, AppState>, new: Office) -> Answer<()> {
    on_office(state, move |o| {
        let old = std::mem::replace(o, new);
        drop(old);
        Ok(())
    })
    .await?;
    *lock(&state.problem) = None;
    Ok(())
}

/// Tries again the register the app started with (its server may be back).
#[tauri::command]
pub async fn reopen_register(state: State<'_, AppState>) -> Answer<OfficeSetup> {
    let db = state.db.clone();
    let (new, setup) = off_thread(move || -> saraban::Result<(Office, OfficeSetup)> {
        let new = Office::open_with(&db, Access::Create, &Default::default())?;
        let setup = new.setup()?;
        Ok((new, setup))
    })
    .await?
    .map_err(fail)?;
    switch_to(&state, new).await?;
    Ok(setup)
}

/// Opens another register — a file, or the office's server (`postgres://…`, with the
/// password to keep on this computer) — and works on it from now on. The register in use
/// stays until the new one has opened.
///
/// Only a server is named by typing: a register file is chosen in a native dialog
/// ([`pick_register_file`]), as every other file is, so that the page can never make
/// Saraban create or open a file of its own choosing.
#[tauri::command]
pub async fn use_register(
    state: State<'_, AppState>,
    location: String,
    password: Option<String>,
) -> Answer<OfficeSetup> {
    if !matches!(
        Location::parse(location.trim().as_ref()),
        Location::Server(_)
    ) {
        return Err(Failure {
            message: "พิมพ์ได้เฉพาะที่อยู่ทะเบียนกลางบนเซิร์ฟเวอร์ (postgres://…) ถ้าเป็นไฟล์ทะเบียน ให้กดปุ่ม “เลือกไฟล์ทะเบียน…” หรือ “สร้างทะเบียนใหม่…”".into(),
            problems: vec![],
        });
    }
    let (new, setup) =
        off_thread(move || saraban::service::switch_register(&location, password.as_deref()))
            .await?
            .map_err(fail)?;
    switch_to(&state, new).await?;
    Ok(setup)
}

/// Chooses a register file in a native dialog — an existing register, or with `create` a
/// new file — and works on it from now on; `None` when the clerk cancelled.
#[tauri::command]
pub async fn pick_register_file<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    create: bool,
) -> Answer<Option<OfficeSetup>> {
    let path = dialog(&app, move |app| {
        if create {
            dialogs::save(app, "สร้างทะเบียนใหม่", "ทะเบียน.sqlite", Filter::REGISTER)
        } else {
            dialogs::pick(app, "เปิดไฟล์ทะเบียน", Filter::REGISTER)
        }
    })
    .await?;
    let Some(path) = path else {
        return Ok(None);
    };
    let (new, setup) =
        off_thread(move || saraban::service::switch_register(&path.to_string_lossy(), None))
            .await?
            .map_err(fail)?;
    switch_to(&state, new).await?;
    Ok(Some(setup))
}

#[tauri::command]
pub async fn save_profile(
    state: State<'_, AppState>,
    profile: OfficeProfile,
) -> Answer<OfficeSetup> {
    on_office(&state, move |o| {
        o.save_profile(&profile)?;
        o.setup()
    })
    .await
}

/// Asks for the emblem file (SVG, PNG, JPEG) and imports it; `None` when the clerk
/// cancelled the dialog.
#[tauri::command]
pub async fn import_emblem<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> Answer<Option<OfficeSetup>> {
    let picked = dialog(&app, |app| {
        dialogs::pick(app, "เลือกไฟล์ตราครุฑ", Filter::EMBLEM)
    })
    .await?;
    let Some(path) = picked else {
        return Ok(None);
    };
    on_office(&state, move |o| {
        o.import_emblem(&path)?;
        o.setup().map(Some)
    })
    .await
}

#[tauri::command]
pub async fn remove_emblem(state: State<'_, AppState>) -> Answer<OfficeSetup> {
    on_office(&state, |o| {
        o.remove_emblem()?;
        o.setup()
    })
    .await
}

/// The stored emblem's bytes (empty when there is none), to show it back.
#[tauri::command]
pub async fn emblem_image(state: State<'_, AppState>) -> Answer<Response> {
    let bytes = on_office(&state, |o| o.emblem_file()).await?;
    Ok(Response::new(bytes.unwrap_or_default()))
}

#[tauri::command]
pub async fn import_font<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> Answer<Option<OfficeSetup>> {
    let picked = dialog(&app, |app| {
        dialogs::pick(app, "เลือกไฟล์ฟอนต์ (เช่น TH SarabunIT๙)", Filter::FONT)
    })
    .await?;
    let Some(path) = picked else {
        return Ok(None);
    };
    on_office(&state, move |o| {
        o.import_font(&path)?;
        o.setup().map(Some)
    })
    .await
}

/// Uses an official letter font installed on this computer (offered by name in the setup).
#[tauri::command]
pub async fn use_installed_font(state: State<'_, AppState>, name: String) -> Answer<OfficeSetup> {
    on_office(&state, move |o| {
        o.use_installed_font(&name)?;
        o.setup()
    })
    .await
}

#[tauri::command]
pub async fn remove_font(state: State<'_, AppState>) -> Answer<OfficeSetup> {
    on_office(&state, |o| {
        o.remove_font()?;
        o.setup()
    })
    .await
}

// ---- Composing -----------------------------------------------------------------------

#[tauri::command]
pub async fn new_letter(state: State<'_, AppState>, kind: Kind) -> Answer<Letter> {
    on_office(&state, move |o| o.new_letter(kind)).await
}

/// The letter as another kind, and what the change leaves out (the form says so; the
/// version before it stays in the draft's history).
#[tauri::command]
pub async fn change_kind(letter: Letter, kind: Kind) -> Answer<KindChange> {
    Ok(KindChange::of(letter, kind))
}

#[tauri::command]
pub async fn courtesy(recipient: String) -> Answer<Courtesy> {
    Ok(Courtesy::for_recipient(&recipient))
}

/// The letter for the live preview, drawn at `scale` pixels per point: each page's
/// fingerprint and size, and a PNG of every page whose fingerprint is not the one `known`
/// gives at its place (what the screen shows, page by page, as hex; "" for a page to draw
/// again), in the form of [`saraban::Preview::to_bytes`]. On the
/// press, never waiting for the register.
#[tauri::command]
pub async fn render_preview(
    state: State<'_, AppState>,
    letter: Letter,
    scale: f32,
    known: Vec<String>,
) -> Answer<Response> {
    let press = state.press();
    let known: Vec<u64> = known
        .iter()
        .map(|k| u64::from_str_radix(k, 16).unwrap_or(0))
        .collect();
    let preview = off_thread(move || press.preview(&letter, scale, &known))
        .await?
        .map_err(fail)?;
    Ok(Response::new(preview.to_bytes()))
}

#[tauri::command]
pub async fn check_letter(state: State<'_, AppState>, letter: Letter) -> Answer<Vec<Finding>> {
    let press = state.press();
    off_thread(move || {
        let letter = letter.validated().map_err(fail)?;
        Ok(press.check(&letter))
    })
    .await?
}

// ---- Drafts --------------------------------------------------------------------------

#[tauri::command]
pub async fn save_draft(
    state: State<'_, AppState>,
    id: Option<i64>,
    letter: Letter,
) -> Answer<i64> {
    on_office(&state, move |o| o.save_draft(id, &letter)).await
}

#[tauri::command]
pub async fn drafts(state: State<'_, AppState>, filter: String) -> Answer<Vec<DraftInfo>> {
    on_office(&state, move |o| o.drafts(&filter)).await
}

#[tauri::command]
pub async fn open_draft(state: State<'_, AppState>, id: i64) -> Answer<Letter> {
    on_office(&state, move |o| o.open_draft(id)).await
}

#[tauri::command]
pub async fn draft_versions(state: State<'_, AppState>, id: i64) -> Answer<Vec<DraftVersion>> {
    on_office(&state, move |o| o.draft_versions(id)).await
}

#[tauri::command]
pub async fn draft_version(state: State<'_, AppState>, id: i64, version: i64) -> Answer<Letter> {
    on_office(&state, move |o| o.draft_version(id, version)).await
}

#[tauri::command]
pub async fn restore_draft(state: State<'_, AppState>, id: i64, version: i64) -> Answer<Letter> {
    on_office(&state, move |o| o.restore_draft(id, version)).await
}

#[tauri::command]
pub async fn delete_draft(state: State<'_, AppState>, id: i64) -> Answer<()> {
    on_office(&state, move |o| o.delete_draft(id)).await
}

#[tauri::command]
pub async fn duplicate_draft(state: State<'_, AppState>, id: i64) -> Answer<i64> {
    on_office(&state, move |o| o.duplicate_draft(id)).await
}

// ---- Issuing -------------------------------------------------------------------------

#[tauri::command]
pub async fn next_number(
    state: State<'_, AppState>,
    letter: Letter,
    date: Option<String>,
) -> Answer<NextNumber> {
    let date = parse_date(date)?;
    on_office(&state, move |o| o.next_number(&letter, date)).await
}

/// Issues the draft `id` (the UI saves the draft first, so nothing typed is lost).
#[tauri::command]
pub async fn issue_draft(
    state: State<'_, AppState>,
    id: i64,
    date: Option<String>,
    any_date: Option<bool>,
) -> Answer<Issued> {
    let date = parse_date(date)?;
    let opts = IssueOptions {
        date,
        any_date: any_date.unwrap_or(false),
        ..Default::default()
    };
    let answer = on_office(&state, move |o| o.issue_draft(id, &opts)).await;
    if answer.is_ok() {
        after_issue(Arc::clone(&state.office));
    }
    answer
}

/// What an issue leaves for after the clerk has the number (the search index's upkeep,
/// [`saraban::service::Office::after_issue_step`]), on a thread of its own, one step at a
/// time under the office's lock: the clerk's next action waits one step at most. At the
/// normal priority, so a step holding the lock is never starved by the preview.
fn after_issue(office: Arc<Mutex<Office>>) {
    let spawned = std::thread::Builder::new()
        .name("saraban-after-issue".into())
        .spawn(move || saraban::service::after_issue_steps(|| lock(&office).after_issue_step()));
    if let Err(e) = spawned {
        tracing::warn!("the search index's upkeep did not start: {e}");
    }
}

// ---- The register --------------------------------------------------------------------

#[tauri::command]
pub async fn search(state: State<'_, AppState>, query: SearchQuery) -> Answer<SearchPage> {
    on_office(&state, move |o| o.search(&query)).await
}

#[tauri::command]
pub async fn issued_letter(state: State<'_, AppState>, id: i64) -> Answer<Letter> {
    on_office(&state, move |o| o.issued_letter(id)).await
}

#[tauri::command]
pub async fn issued_pdf(state: State<'_, AppState>, id: i64) -> Answer<Response> {
    let bytes = on_office(&state, move |o| o.handed_out_pdf(id)).await?;
    Ok(Response::new(bytes))
}

/// Saves an issued letter's PDF where the clerk chooses; the default name is its number
/// and subject. Returns the path written, or `None` when cancelled.
#[tauri::command]
pub async fn save_issued_pdf<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    id: i64,
) -> Answer<Option<String>> {
    let entry = on_office(&state, move |o| o.entry(id)).await?;
    let name = dialogs::file_name(&format!("{} {}", entry.number, entry.subject), "pdf");
    let picked = dialog(&app, move |app| {
        dialogs::save(app, "บันทึกหนังสือเป็น PDF", &name, Filter::PDF)
    })
    .await?;
    let Some(path) = picked else {
        return Ok(None);
    };
    on_office(&state, move |o| {
        o.save_handed_out_pdf(id, &path)?;
        Ok(Some(path.display().to_string()))
    })
    .await
}

/// Saves the letter being composed as PDF (Ctrl+E).
#[tauri::command]
pub async fn save_letter_pdf<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    letter: Letter,
) -> Answer<Option<String>> {
    let letter = letter.validated().map_err(fail)?;
    let name = dialogs::file_name(letter.subject.as_deref().unwrap_or("หนังสือ"), "pdf");
    let picked = dialog(&app, move |app| {
        dialogs::save(app, "บันทึกร่างหนังสือเป็น PDF", &name, Filter::PDF)
    })
    .await?;
    let Some(path) = picked else {
        return Ok(None);
    };
    on_office(&state, move |o| {
        o.render_to(&letter, PrintCopy::Original, &path)?;
        Ok(Some(path.display().to_string()))
    })
    .await
}

/// Hands the letter to Word (ส่งออก Word): the letter being composed (a draft, marked ร่าง
/// with its number and day blank), or with `id` the issued letter as the register keeps it.
#[tauri::command]
pub async fn save_letter_docx<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    letter: Letter,
    id: Option<i64>,
) -> Answer<Option<String>> {
    let (letter, stem) = match id {
        Some(id) => {
            let (entry, letter) =
                on_office(&state, move |o| Ok((o.entry(id)?, o.issued_letter(id)?))).await?;
            (letter, format!("{} {}", entry.number, entry.subject))
        }
        None => {
            let letter = letter.validated().map_err(fail)?;
            let stem = letter.subject.clone().unwrap_or_else(|| "หนังสือ".into());
            (letter, stem)
        }
    };
    let name = dialogs::file_name(&stem, "docx");
    let picked = dialog(&app, move |app| {
        dialogs::save(app, "ส่งออกหนังสือเป็นไฟล์ Word", &name, Filter::WORD)
    })
    .await?;
    let Some(path) = picked else {
        return Ok(None);
    };
    on_office(&state, move |o| {
        o.docx_to(&letter, &path)?;
        Ok(Some(path.display().to_string()))
    })
    .await
}

/// Sends an issued letter to the system printer (CUPS). `Ok(false)` when no printer is
/// set up: the UI then offers to save the PDF instead.
#[tauri::command]
pub async fn print_issued(state: State<'_, AppState>, id: i64) -> Answer<bool> {
    let bytes = on_office(&state, move |o| o.handed_out_pdf(id)).await?;
    off_thread(move || crate::dialogs::print(&bytes)).await?
}

#[tauri::command]
pub async fn cancel_letter(state: State<'_, AppState>, id: i64, reason: String) -> Answer<Entry> {
    on_office(&state, move |o| o.cancel(id, &reason)).await
}

/// Exports the register (one BE year, or all) to a file the clerk chooses, on a second
/// connection (the clerk's work goes on meanwhile).
#[tauri::command]
pub async fn export_register<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    format: ExportFormat,
    year: Option<i64>,
) -> Answer<Option<String>> {
    let (ext, filter) = match format {
        ExportFormat::Csv => ("csv", Filter::CSV),
        ExportFormat::Xlsx => ("xlsx", Filter::XLSX),
    };
    let stem = match year {
        Some(y) => format!(
            "ทะเบียนหนังสือส่ง {}",
            saraban::thai::to_thai_digits(&y.to_string())
        ),
        None => "ทะเบียนหนังสือส่ง".to_string(),
    };
    let name = dialogs::file_name(&stem, ext);
    let picked = dialog(&app, move |app| {
        dialogs::save(app, "ส่งออกทะเบียน", &name, filter)
    })
    .await?;
    let Some(path) = picked else {
        return Ok(None);
    };
    on_reader(&state, move |o| {
        o.export_to(format, year, &path)?;
        Ok(Some(path.display().to_string()))
    })
    .await
}

/// Prints the register book of a BE year to a PDF the clerk chooses, telling `on_progress`
/// after every page (a busy year runs to thousands), on a second connection: drafts,
/// issues and searches go on while it prints.
#[tauri::command]
pub async fn export_book<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    year: i64,
    on_progress: tauri::ipc::Channel<BookProgress>,
) -> Answer<Option<String>> {
    let stem = format!(
        "สมุดทะเบียนหนังสือส่ง {}",
        saraban::thai::to_thai_digits(&year.to_string())
    );
    let name = dialogs::file_name(&stem, "pdf");
    let picked = dialog(&app, move |app| {
        dialogs::save(app, "พิมพ์สมุดทะเบียน", &name, Filter::PDF)
    })
    .await?;
    let Some(path) = picked else {
        return Ok(None);
    };
    on_reader(&state, move |o| {
        // Four updates a second at most: a message per page would keep the web view busy
        // drawing the status while the clerk types.
        let mut last: Option<std::time::Instant> = None;
        o.book_to_with(year, &path, &mut |p| {
            let done = p.rows >= p.total;
            if done || last.is_none_or(|t| t.elapsed() >= std::time::Duration::from_millis(250)) {
                last = Some(std::time::Instant::now());
                // A closed window stops listening; the book is still written.
                let _ = on_progress.send(p);
            }
        })?;
        Ok(Some(path.display().to_string()))
    })
    .await
}

/// Opens a letter file (JSON) the clerk chooses.
#[tauri::command]
pub async fn import_letter<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> Answer<Option<Letter>> {
    let picked = dialog(&app, |app| {
        dialogs::pick(app, "เปิดไฟล์หนังสือ (JSON)", Filter::JSON)
    })
    .await?;
    let Some(path) = picked else {
        return Ok(None);
    };
    on_office(&state, move |o| o.read_letter(&path).map(Some)).await
}

/// Saves the letter as JSON where the clerk chooses.
#[tauri::command]
pub async fn export_letter<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    letter: Letter,
) -> Answer<Option<String>> {
    let letter = letter.validated().map_err(fail)?;
    let name = dialogs::file_name(letter.subject.as_deref().unwrap_or("หนังสือ"), "json");
    let picked = dialog(&app, move |app| {
        dialogs::save(app, "ส่งออกหนังสือเป็น JSON", &name, Filter::JSON)
    })
    .await?;
    let Some(path) = picked else {
        return Ok(None);
    };
    on_office(&state, move |o| {
        o.write_file(&path, letter.to_json().as_bytes())?;
        Ok(Some(path.display().to_string()))
    })
    .await
}

/// Checks the audit trail, on a second connection (a big register takes a while).
#[tauri::command]
pub async fn verify_audit(state: State<'_, AppState>) -> Answer<AuditReport> {
    on_reader(&state, |o| o.verify_audit()).await
}

/// The editor is on screen and takes input: with `SARABAN_BENCH` set, says after how many
/// milliseconds since the process started (the start-up figure of `make app-bench`).
#[tauri::command]
pub async fn app_ready() -> Answer<()> {
    if std::env::var_os("SARABAN_BENCH").is_some() {
        if let Some(t) = crate::STARTED.get() {
            eprintln!("saraban-app: ready after {} ms", t.elapsed().as_millis());
        }
    }
    Ok(())
}

// ---- Letters that arrive (หนังสือรับ) ---------------------------------------------------

use saraban::received::{ReceivedFields, RoutingStep};
use saraban::register::{Receipt, ReceiptQuery, Routed};
use saraban::service::{Opened, Received};

/// Opens a received file the clerk chooses and reads it (on the press: the register is
/// not waited for, and OCR of a scan takes seconds). `None` when the clerk cancels.
#[tauri::command]
pub async fn open_received<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> Answer<Option<Opened>> {
    let picked = dialog(&app, |app| {
        dialogs::pick(app, "เปิดไฟล์หนังสือรับ", Filter::RECEIVED)
    })
    .await?;
    let Some(path) = picked else {
        return Ok(None);
    };
    open_letters(&state, move || saraban::service::read_files(&path))
        .await
        .map(Some)
}

/// Reads a file the clerk dropped on the หนังสือรับ tab, as the web view has it (its name and
/// bytes: only what the clerk dropped reaches the app, never a path to read).
#[tauri::command]
pub async fn open_dropped(
    state: State<'_, AppState>,
    name: String,
    bytes: Vec<u8>,
) -> Answer<Opened> {
    open_letters(&state, move || saraban::service::letters_in(&name, bytes)).await
}

/// The letters a received file brings, the first read for the clerk to confirm and the
/// others kept waiting their turn (off the UI thread: OCR of a scan takes seconds).
async fn open_letters(
    state: &State<'_, AppState>,
    letters: impl FnOnce() -> saraban::Result<Vec<saraban::service::ReceivedFile>> + Send + 'static,
) -> Answer<Opened> {
    *lock(&state.mail_source) = None;
    let press = state.press();
    let (file, count, reading, rest) = off_thread(move || -> saraban::Result<_> {
        let mut letters = letters()?;
        if letters.is_empty() {
            return Err(saraban::Error::input(
                "file",
                "ไฟล์นี้ไม่มีหนังสือให้ลงรับ",
                "the file brings no letter to receive",
            ));
        }
        let count = letters.len() as u32;
        let file = letters.remove(0);
        let reading = press.read_received(&file)?;
        Ok((file, count, reading, letters))
    })
    .await?
    .map_err(fail)?;
    let opened = Opened {
        name: file.name.clone(),
        letters: count,
        reading: reading.view(),
    };
    *lock(&state.received) = Some((file, reading));
    *lock(&state.waiting) = rest;
    Ok(opened)
}

/// The next letter of the e-mail opened last (each PDF attachment a letter), read for the
/// clerk to confirm; `None` when every one has been taken.
#[tauri::command]
pub async fn open_next_received(state: State<'_, AppState>) -> Answer<Option<Opened>> {
    let next = {
        let mut waiting = lock(&state.waiting);
        (!waiting.is_empty()).then(|| waiting.remove(0))
    };
    let Some(file) = next else {
        return Ok(None);
    };
    let left = lock(&state.waiting).len() as u32;
    let press = state.press();
    let (file, reading) = off_thread(move || -> saraban::Result<_> {
        let reading = press.read_received(&file)?;
        Ok((file, reading))
    })
    .await?
    .map_err(fail)?;
    let opened = Opened {
        name: file.name.clone(),
        letters: left + 1,
        reading: reading.view(),
    };
    *lock(&state.received) = Some((file, reading));
    Ok(Some(opened))
}

/// The received file being confirmed, as a PDF (a scan's PDF for an image).
#[tauri::command]
pub async fn received_preview(state: State<'_, AppState>) -> Answer<Response> {
    let pdf = lock(&state.received)
        .as_ref()
        .map(|(_, r)| r.pdf.clone())
        .ok_or_else(|| Failure {
            message: "ยังไม่ได้เปิดไฟล์หนังสือรับ".into(),
            problems: vec![],
        })?;
    Ok(Response::new(pdf))
}

/// Receives the file being confirmed with the fields as the clerk confirmed them: stamped
/// and numbered in the incoming register. `again`: the clerk confirmed receiving a file
/// received before.
#[tauri::command]
pub async fn receive_opened(
    state: State<'_, AppState>,
    fields: ReceivedFields,
    again: bool,
) -> Answer<Received> {
    let (file, reading) = lock(&state.received).clone().ok_or_else(|| Failure {
        message: "ยังไม่ได้เปิดไฟล์หนังสือรับ".into(),
        problems: vec![],
    })?;
    let received = on_office(&state, move |o| {
        o.receive_read(
            &file,
            &reading,
            &saraban::service::ReceiveOptions {
                at: None,
                fields: Some(fields),
                again,
            },
        )
    })
    .await?;
    *lock(&state.received) = None;
    // A fetched message's last letter received: settled, and its sender answered with
    // the receipt numbers (on a connection of its own: the server may be slow).
    let settled = {
        let mut source = lock(&state.mail_source);
        if let Some((_, receipts)) = source.as_mut() {
            receipts.push(received.clone());
        }
        if lock(&state.waiting).is_empty() {
            source.take()
        } else {
            None
        }
    };
    if let Some((id, receipts)) = settled {
        on_mail_office(&state, move |o| o.mail_received(id, receipts)).await?;
    }
    Ok(received)
}

/// Finds receipts of the incoming register, newest first.
#[tauri::command]
pub async fn receipts(state: State<'_, AppState>, query: ReceiptQuery) -> Answer<Vec<Receipt>> {
    on_office(&state, move |o| o.search_receipts(&query)).await
}

/// The stamped copy of a receipt.
#[tauri::command]
pub async fn received_pdf(state: State<'_, AppState>, id: i64) -> Answer<Response> {
    let bytes = on_office(&state, move |o| o.received_stamped(id)).await?;
    Ok(Response::new(bytes))
}

/// Records a routing step (เกษียน) of a receipt.
#[tauri::command]
pub async fn route_receipt(
    state: State<'_, AppState>,
    id: i64,
    step: RoutingStep,
) -> Answer<Routed> {
    on_office(&state, move |o| o.route(id, &step)).await
}

/// A reply to a receipt (หนังสือตอบ), to compose in the editor: the office's new letter with
/// the receipt's sender as recipient, its subject, an อ้างถึง naming it, and the link the
/// register keeps when it is issued.
#[tauri::command]
pub async fn reply_letter(state: State<'_, AppState>, id: i64) -> Answer<Letter> {
    on_office(&state, move |o| o.reply_letter(id)).await
}

/// Cancels a wrong receipt with a reason: its number is never reused, nothing is deleted.
#[tauri::command]
pub async fn cancel_receipt(
    state: State<'_, AppState>,
    id: i64,
    reason: String,
) -> Answer<Receipt> {
    on_office(&state, move |o| o.cancel_receipt(id, &reason)).await
}

/// The receipts waiting past the days their urgency allows (ด่วนที่สุด the same day,
/// ด่วนมาก 1, ด่วน 3, others 7), oldest first.
#[tauri::command]
pub async fn overdue_receipts(state: State<'_, AppState>) -> Answer<Vec<Receipt>> {
    on_office(&state, move |o| o.overdue(saraban::thai::date::today())).await
}

/// A receipt's routing sheet (ใบเกษียนหนังสือ), as a PDF.
#[tauri::command]
pub async fn routing_sheet(state: State<'_, AppState>, id: i64) -> Answer<Response> {
    let bytes = on_office(&state, move |o| o.routing_sheet(id)).await?;
    Ok(Response::new(bytes))
}

/// Saves a receipt's routing sheet where the clerk chooses. Returns the path written, or
/// `None` when cancelled.
#[tauri::command]
pub async fn save_routing_sheet<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    id: i64,
) -> Answer<Option<String>> {
    let r = on_office(&state, move |o| o.receipt(id)).await?;
    let name = dialogs::file_name(
        &format!(
            "ใบเกษียน {}-{} {}",
            r.receipt_number, r.year_be, r.fields.subject
        ),
        "pdf",
    );
    let picked = dialog(&app, move |app| {
        dialogs::save(app, "บันทึกใบเกษียนเป็น PDF", &name, Filter::PDF)
    })
    .await?;
    let Some(path) = picked else {
        return Ok(None);
    };
    on_office(&state, move |o| {
        o.routing_sheet_to(id, &path)?;
        Ok(Some(path.display().to_string()))
    })
    .await
}

// ---- The saraban@ mailbox (ไปรษณีย์อิเล็กทรอนิกส์กลาง) ------------------------------------

use saraban::register::{AddressEntry, MailIn, Sending};
use saraban::service::mail::{FetchReport, MailboxSetup, Recipient, SendReport};

/// Runs `f` on an office of its own over the same register: talking to a mail server
/// takes seconds (and up to its time-out when the server is away), and the clerk's own
/// office must not wait for it.
async fn on_mail_office<T: Send + 'static>(
    state: &State<'_, AppState>,
    f: impl FnOnce(&mut Office) -> saraban::Result<T> + Send + 'static,
) -> Answer<T> {
    let db = state.db.clone();
    off_thread(move || {
        let mut o = Office::open_with(&db, Access::Write, &saraban::OfficeSettings::default())?;
        f(&mut o)
    })
    .await?
    .map_err(fail)
}

/// The office's mailbox, the password only said to be kept or not.
#[tauri::command]
pub async fn mailbox_setup(state: State<'_, AppState>) -> Answer<MailboxSetup> {
    on_office(&state, |o| o.mailbox_setup()).await
}

/// Sets the mailbox: the address and the two servers as the clerk typed them (`smtp`,
/// `imap`: URLs), TLS (`implicit`, `starttls`, `none`; empty: by the URLs), the password
/// when typed (kept on this computer only).
#[tauri::command]
#[allow(clippy::too_many_arguments)]
pub async fn set_mailbox(
    state: State<'_, AppState>,
    address: String,
    smtp: String,
    imap: String,
    user: String,
    tls: String,
    every: u32,
    password: Option<String>,
) -> Answer<MailboxSetup> {
    on_office(&state, move |o| {
        let tls = saraban::service::mail::Security::parse(tls.trim());
        let pinned_cert = o.mailbox()?.and_then(|m| m.pinned_cert);
        let mb = saraban_mail_settings(address, &smtp, &imap, user, tls, pinned_cert, every)?;
        o.set_mailbox(&mb, password.as_deref().filter(|p| !p.is_empty()))?;
        o.mailbox_setup()
    })
    .await
}

fn saraban_mail_settings(
    address: String,
    smtp: &str,
    imap: &str,
    user: String,
    tls: Option<saraban::service::mail::Security>,
    pinned_cert: Option<String>,
    every: u32,
) -> saraban::Result<saraban::service::mail::Mailbox> {
    use saraban::service::mail::{Mailbox, Server};
    Ok(Mailbox {
        address,
        smtp: Server::parse(smtp, true, tls)?,
        imap: Server::parse(imap, false, tls)?,
        user,
        pinned_cert,
        fetch_minutes: every,
    })
}

/// Pins a certificate (PEM) the clerk chooses for the mailbox's servers. `None` when
/// cancelled.
#[tauri::command]
pub async fn pin_mail_certificate<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> Answer<Option<MailboxSetup>> {
    let picked = dialog(&app, |app| {
        dialogs::pick(app, "ปักหมุดใบรับรองของเซิร์ฟเวอร์อีเมล", Filter::CERTIFICATE)
    })
    .await?;
    let Some(path) = picked else {
        return Ok(None);
    };
    on_office(&state, move |o| {
        let mut mb = o.mailbox()?.ok_or_else(|| {
            Error::input(
                "address",
                "ตั้งกล่องอีเมลก่อน แล้วจึงปักหมุดใบรับรอง",
                "set the mailbox first",
            )
        })?;
        mb.pinned_cert = Some(
            std::fs::read_to_string(&path).map_err(|source| Error::Read {
                path: path.clone(),
                source,
            })?,
        );
        o.set_mailbox(&mb, None)?;
        o.mailbox_setup().map(Some)
    })
    .await
}

/// The address book.
#[tauri::command]
pub async fn addresses(state: State<'_, AppState>) -> Answer<Vec<AddressEntry>> {
    on_office(&state, |o| o.addresses()).await
}

/// Adds or changes an agency's address.
#[tauri::command]
pub async fn add_address(
    state: State<'_, AppState>,
    name: String,
    address: String,
    note: String,
) -> Answer<Vec<AddressEntry>> {
    on_office(&state, move |o| {
        o.add_address(&name, &address, &note)?;
        o.addresses()
    })
    .await
}

/// Removes an address-book entry.
#[tauri::command]
pub async fn delete_address(state: State<'_, AppState>, id: i64) -> Answer<Vec<AddressEntry>> {
    on_office(&state, move |o| {
        o.delete_address(id)?;
        o.addresses()
    })
    .await
}

/// Imports a directory (DGA's list, CSV or XLSX) the clerk chooses. `None` when cancelled.
#[tauri::command]
pub async fn import_addresses<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> Answer<Option<u32>> {
    let picked = dialog(&app, |app| {
        dialogs::pick(app, "นำเข้าทำเนียบที่อยู่อีเมล", Filter::DIRECTORY)
    })
    .await?;
    let Some(path) = picked else {
        return Ok(None);
    };
    on_office(&state, move |o| {
        o.import_addresses(&path).map(|n| Some(n as u32))
    })
    .await
}

/// The recipients of an issued letter and their addresses (the send dialog says who has
/// none before anything is sent).
#[tauri::command]
pub async fn mail_recipients(state: State<'_, AppState>, id: i64) -> Answer<Vec<Recipient>> {
    on_office(&state, move |o| o.recipients(id, &[])).await
}

/// Chooses enclosures to send with the letter; answers their names.
#[tauri::command]
pub async fn pick_enclosures<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> Answer<Vec<String>> {
    let picked = dialog(&app, |app| dialogs::pick_many(app, "เลือกสิ่งที่ส่งมาด้วย")).await?;
    let mut chosen = lock(&state.enclosures);
    chosen.extend(picked);
    Ok(chosen
        .iter()
        .map(|p| {
            p.file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default()
        })
        .collect())
}

/// Forgets the enclosures chosen.
#[tauri::command]
pub async fn clear_enclosures(state: State<'_, AppState>) -> Answer<()> {
    lock(&state.enclosures).clear();
    Ok(())
}

/// Sends an issued letter to its recipients with the enclosures chosen.
#[tauri::command]
pub async fn send_letter(state: State<'_, AppState>, id: i64) -> Answer<SendReport> {
    let enclosures = lock(&state.enclosures).clone();
    let report = on_mail_office(&state, move |o| {
        o.send_letter(&id.to_string(), &[], &enclosures)
    })
    .await?;
    lock(&state.enclosures).clear();
    Ok(report)
}

/// An issued letter's sendings.
#[tauri::command]
pub async fn sendings(state: State<'_, AppState>, id: i64) -> Answer<Vec<Sending>> {
    on_office(&state, move |o| o.sendings_of(id)).await
}

/// What waits in the outbox.
#[tauri::command]
pub async fn outbox(state: State<'_, AppState>) -> Answer<Vec<Sending>> {
    on_office(&state, |o| o.outbox()).await
}

/// Sends what waits in the outbox.
#[tauri::command]
pub async fn send_outbox(state: State<'_, AppState>) -> Answer<SendReport> {
    on_mail_office(&state, |o| o.send_outbox()).await
}

/// Fetches new mail.
#[tauri::command]
pub async fn fetch_mail(state: State<'_, AppState>) -> Answer<FetchReport> {
    on_mail_office(&state, |o| o.fetch_mail()).await
}

/// The fetched messages still to act on.
#[tauri::command]
pub async fn fetched_mail(state: State<'_, AppState>) -> Answer<Vec<MailIn>> {
    on_office(&state, |o| o.fetched()).await
}

/// Opens a fetched message's letters in the confirm form (the first read, the others
/// waiting their turn); when the last is received its sender gets the receipt reply.
#[tauri::command]
pub async fn open_mail(state: State<'_, AppState>, id: i64) -> Answer<Opened> {
    let files = on_office(&state, move |o| o.mail_letters(id)).await?;
    let opened = open_letters(&state, move || Ok(files)).await?;
    *lock(&state.mail_source) = Some((id, Vec::new()));
    Ok(opened)
}

/// Sets aside a fetched message (no letter, spam): it stays on record.
#[tauri::command]
pub async fn dismiss_mail(state: State<'_, AppState>, id: i64) -> Answer<Vec<MailIn>> {
    on_office(&state, move |o| {
        o.dismiss_mail(id)?;
        o.fetched()
    })
    .await
}

// ---- Signatures: signing an issued letter, verifying a file ------------------------------

use saraban::service::sign::{KeySource, SignRequest, Signed, VerifyView};

/// Asks for the signer's key file (PKCS #12); kept for the signing that follows. Its name,
/// or `None` when the clerk cancelled.
#[tauri::command]
pub async fn choose_signing_key<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> Answer<Option<String>> {
    let picked = dialog(&app, |app| {
        dialogs::pick(app, "เลือกไฟล์กุญแจของผู้ลงนาม", Filter::SIGNING_KEY)
    })
    .await?;
    let name = picked
        .as_ref()
        .and_then(|p| p.file_name())
        .map(|n| n.to_string_lossy().into_owned());
    if picked.is_some() {
        *lock(&state.signing_key) = picked;
    }
    Ok(name)
}

/// The office's time-stamp authority, if set.
#[tauri::command]
pub async fn tsa_url(state: State<'_, AppState>) -> Answer<Option<String>> {
    on_office(&state, |o| o.tsa_url()).await
}

/// Signs an issued letter with the key file chosen and its password (used for this
/// signing only, never kept); the time-stamp authority given becomes the office's.
#[tauri::command]
pub async fn sign_letter(
    state: State<'_, AppState>,
    id: i64,
    password: String,
    tsa: Option<String>,
    position: Option<String>,
) -> Answer<Signed> {
    let Some(file) = lock(&state.signing_key).clone() else {
        return Err(Failure {
            message: "เลือกไฟล์กุญแจของผู้ลงนามก่อน (.p12 หรือ .pfx)".into(),
            problems: vec![],
        });
    };
    on_office(&state, move |o| {
        let tsa = tsa.map(|t| t.trim().to_string()).filter(|t| !t.is_empty());
        if tsa != o.tsa_url()? {
            o.set_tsa_url(tsa.as_deref())?;
        }
        o.sign(
            id,
            &SignRequest {
                key: KeySource::Pkcs12 { file, password },
                tsa,
                position: position.filter(|p| !p.trim().is_empty()),
            },
        )
    })
    .await
}

/// Asks for a file — a signed PDF, or a photo or scan of a printed page — and verifies it.
/// `None` when the clerk cancelled.
#[tauri::command]
pub async fn verify_file<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> Answer<Option<VerifyView>> {
    let picked = dialog(&app, |app| {
        dialogs::pick(app, "เลือกหนังสือที่จะตรวจสอบ", Filter::VERIFY)
    })
    .await?;
    let Some(path) = picked else {
        return Ok(None);
    };
    on_office(&state, move |o| {
        let bytes = std::fs::read(&path).map_err(|source| saraban::Error::Read {
            path: path.clone(),
            source,
        })?;
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        o.verify_view(&name, &bytes).map(Some)
    })
    .await
}
