//! The commands the web view may call: each takes the office, calls one `Office` method
//! and answers with its result or a Thai [`Failure`].
//!
//! They are `async` so that they run off the main thread: the window keeps painting while a
//! letter renders or a register exports, and the native dialogs (which block) never wait
//! on the thread that draws them. PDF bytes go back as a raw [`Response`], not as a JSON
//! array of numbers.

use std::sync::MutexGuard;

use saraban::letter::check::Finding;
use saraban::letter::{Kind, Letter};
use saraban::register::{AuditReport, DraftInfo, DraftVersion, Entry, Issued, Location};
use saraban::service::{
    Access, BookProgress, Courtesy, ExportFormat, Failure, IssueOptions, NextNumber, OfficeProfile,
    OfficeSetup, PrintCopy, SearchPage, SearchQuery,
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

fn office<'a>(state: &'a State<'_, AppState>) -> Answer<MutexGuard<'a, Office>> {
    // A panic in another command must not lock the clerk out: the office is still whole
    // (every register change is one transaction), so a poisoned lock is taken over.
    Ok(state.office.lock().unwrap_or_else(|p| p.into_inner()))
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
    office(&state)?.setup().map_err(fail)
}

/// Why the register did not open at start, until one has.
fn problem(state: &State<'_, AppState>) -> Option<String> {
    state
        .problem
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .clone()
}

fn solved(state: &State<'_, AppState>) {
    *state.problem.lock().unwrap_or_else(|p| p.into_inner()) = None;
}

/// Tries again the register the app started with (its server may be back).
#[tauri::command]
pub async fn reopen_register(state: State<'_, AppState>) -> Answer<OfficeSetup> {
    let new = Office::open_with(&state.db, Access::Create, &Default::default()).map_err(fail)?;
    let setup = new.setup().map_err(fail)?;
    *office(&state)? = new;
    solved(&state);
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
        saraban::service::switch_register(&location, password.as_deref()).map_err(fail)?;
    *office(&state)? = new;
    solved(&state);
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
    let path = if create {
        dialogs::save(&app, "สร้างทะเบียนใหม่", "ทะเบียน.sqlite", Filter::REGISTER)
    } else {
        dialogs::pick(&app, "เปิดไฟล์ทะเบียน", Filter::REGISTER)
    };
    let Some(path) = path else {
        return Ok(None);
    };
    let (new, setup) =
        saraban::service::switch_register(&path.to_string_lossy(), None).map_err(fail)?;
    *office(&state)? = new;
    solved(&state);
    Ok(Some(setup))
}

#[tauri::command]
pub async fn save_profile(
    state: State<'_, AppState>,
    profile: OfficeProfile,
) -> Answer<OfficeSetup> {
    let mut o = office(&state)?;
    o.save_profile(&profile).map_err(fail)?;
    o.setup().map_err(fail)
}

/// Asks for the emblem file (SVG, PNG, JPEG) and imports it; `None` when the clerk
/// cancelled the dialog.
#[tauri::command]
pub async fn import_emblem<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> Answer<Option<OfficeSetup>> {
    let Some(path) = dialogs::pick(&app, "เลือกไฟล์ตราครุฑ", Filter::EMBLEM)
    else {
        return Ok(None);
    };
    let mut o = office(&state)?;
    o.import_emblem(&path).map_err(fail)?;
    o.setup().map(Some).map_err(fail)
}

#[tauri::command]
pub async fn remove_emblem(state: State<'_, AppState>) -> Answer<OfficeSetup> {
    let mut o = office(&state)?;
    o.remove_emblem().map_err(fail)?;
    o.setup().map_err(fail)
}

/// The stored emblem's bytes (empty when there is none), to show it back.
#[tauri::command]
pub async fn emblem_image(state: State<'_, AppState>) -> Answer<Response> {
    let bytes = office(&state)?.emblem_file().map_err(fail)?;
    Ok(Response::new(bytes.unwrap_or_default()))
}

#[tauri::command]
pub async fn import_font<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> Answer<Option<OfficeSetup>> {
    let Some(path) = dialogs::pick(&app, "เลือกไฟล์ฟอนต์ (เช่น TH SarabunIT๙)", Filter::FONT)
    else {
        return Ok(None);
    };
    let mut o = office(&state)?;
    o.import_font(&path).map_err(fail)?;
    o.setup().map(Some).map_err(fail)
}

#[tauri::command]
pub async fn remove_font(state: State<'_, AppState>) -> Answer<OfficeSetup> {
    let mut o = office(&state)?;
    o.remove_font().map_err(fail)?;
    o.setup().map_err(fail)
}

// ---- Composing -----------------------------------------------------------------------

#[tauri::command]
pub async fn new_letter(state: State<'_, AppState>, kind: Kind) -> Answer<Letter> {
    office(&state)?.new_letter(kind).map_err(fail)
}

#[tauri::command]
pub async fn courtesy(recipient: String) -> Answer<Courtesy> {
    Ok(Courtesy::for_recipient(&recipient))
}

/// The letter as PDF bytes, for the live preview.
#[tauri::command]
pub async fn render_preview(state: State<'_, AppState>, letter: Letter) -> Answer<Response> {
    let letter = letter.validated().map_err(fail)?;
    let bytes = office(&state)?.render(&letter).map_err(fail)?;
    Ok(Response::new(bytes))
}

#[tauri::command]
pub async fn check_letter(state: State<'_, AppState>, letter: Letter) -> Answer<Vec<Finding>> {
    let letter = letter.validated().map_err(fail)?;
    Ok(office(&state)?.check(&letter))
}

// ---- Drafts --------------------------------------------------------------------------

#[tauri::command]
pub async fn save_draft(
    state: State<'_, AppState>,
    id: Option<i64>,
    letter: Letter,
) -> Answer<i64> {
    office(&state)?.save_draft(id, &letter).map_err(fail)
}

#[tauri::command]
pub async fn drafts(state: State<'_, AppState>, filter: String) -> Answer<Vec<DraftInfo>> {
    office(&state)?.drafts(&filter).map_err(fail)
}

#[tauri::command]
pub async fn open_draft(state: State<'_, AppState>, id: i64) -> Answer<Letter> {
    office(&state)?.open_draft(id).map_err(fail)
}

#[tauri::command]
pub async fn draft_versions(state: State<'_, AppState>, id: i64) -> Answer<Vec<DraftVersion>> {
    office(&state)?.draft_versions(id).map_err(fail)
}

#[tauri::command]
pub async fn draft_version(state: State<'_, AppState>, id: i64, version: i64) -> Answer<Letter> {
    office(&state)?.draft_version(id, version).map_err(fail)
}

#[tauri::command]
pub async fn restore_draft(state: State<'_, AppState>, id: i64, version: i64) -> Answer<Letter> {
    office(&state)?.restore_draft(id, version).map_err(fail)
}

#[tauri::command]
pub async fn delete_draft(state: State<'_, AppState>, id: i64) -> Answer<()> {
    office(&state)?.delete_draft(id).map_err(fail)
}

#[tauri::command]
pub async fn duplicate_draft(state: State<'_, AppState>, id: i64) -> Answer<i64> {
    office(&state)?.duplicate_draft(id).map_err(fail)
}

// ---- Issuing -------------------------------------------------------------------------

#[tauri::command]
pub async fn next_number(
    state: State<'_, AppState>,
    letter: Letter,
    date: Option<String>,
) -> Answer<NextNumber> {
    let date = parse_date(date)?;
    office(&state)?.next_number(&letter, date).map_err(fail)
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
    office(&state)?.issue_draft(id, &opts).map_err(fail)
}

// ---- The register --------------------------------------------------------------------

#[tauri::command]
pub async fn search(state: State<'_, AppState>, query: SearchQuery) -> Answer<SearchPage> {
    office(&state)?.search(&query).map_err(fail)
}

#[tauri::command]
pub async fn issued_letter(state: State<'_, AppState>, id: i64) -> Answer<Letter> {
    office(&state)?.issued_letter(id).map_err(fail)
}

#[tauri::command]
pub async fn issued_pdf(state: State<'_, AppState>, id: i64) -> Answer<Response> {
    let bytes = office(&state)?.issued_pdf(id).map_err(fail)?;
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
    let entry = office(&state)?.entry(id).map_err(fail)?;
    let name = dialogs::file_name(&format!("{} {}", entry.number, entry.subject), "pdf");
    let Some(path) = dialogs::save(&app, "บันทึกหนังสือเป็น PDF", &name, Filter::PDF)
    else {
        return Ok(None);
    };
    office(&state)?.save_issued_pdf(id, &path).map_err(fail)?;
    Ok(Some(path.display().to_string()))
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
    let Some(path) = dialogs::save(&app, "บันทึกร่างหนังสือเป็น PDF", &name, Filter::PDF)
    else {
        return Ok(None);
    };
    office(&state)?
        .render_to(&letter, PrintCopy::Original, &path)
        .map_err(fail)?;
    Ok(Some(path.display().to_string()))
}

/// Sends an issued letter to the system printer (CUPS). `Ok(false)` when no printer is
/// set up: the UI then offers to save the PDF instead.
#[tauri::command]
pub async fn print_issued(state: State<'_, AppState>, id: i64) -> Answer<bool> {
    let bytes = office(&state)?.issued_pdf(id).map_err(fail)?;
    crate::dialogs::print(&bytes)
}

#[tauri::command]
pub async fn cancel_letter(state: State<'_, AppState>, id: i64, reason: String) -> Answer<Entry> {
    office(&state)?.cancel(id, &reason).map_err(fail)
}

/// Exports the register (one BE year, or all) to a file the clerk chooses.
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
    let Some(path) = dialogs::save(&app, "ส่งออกทะเบียน", &dialogs::file_name(&stem, ext), filter)
    else {
        return Ok(None);
    };
    office(&state)?
        .export_to(format, year, &path)
        .map_err(fail)?;
    Ok(Some(path.display().to_string()))
}

/// Prints the register book of a BE year to a PDF the clerk chooses, telling `on_progress`
/// after every page (a busy year runs to thousands).
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
    let Some(path) = dialogs::save(
        &app,
        "พิมพ์สมุดทะเบียน",
        &dialogs::file_name(&stem, "pdf"),
        Filter::PDF,
    ) else {
        return Ok(None);
    };
    office(&state)?
        .book_to_with(year, &path, &mut |p| {
            // A closed window stops listening; the book is still written.
            let _ = on_progress.send(p);
        })
        .map_err(fail)?;
    Ok(Some(path.display().to_string()))
}

/// Opens a letter file (JSON) the clerk chooses.
#[tauri::command]
pub async fn import_letter<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> Answer<Option<Letter>> {
    let Some(path) = dialogs::pick(&app, "เปิดไฟล์หนังสือ (JSON)", Filter::JSON)
    else {
        return Ok(None);
    };
    office(&state)?.read_letter(&path).map(Some).map_err(fail)
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
    let Some(path) = dialogs::save(&app, "ส่งออกหนังสือเป็น JSON", &name, Filter::JSON)
    else {
        return Ok(None);
    };
    office(&state)?
        .write_file(&path, letter.to_json().as_bytes())
        .map_err(fail)?;
    Ok(Some(path.display().to_string()))
}

#[tauri::command]
pub async fn verify_audit(state: State<'_, AppState>) -> Answer<AuditReport> {
    office(&state)?.verify_audit().map_err(fail)
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
