//! The desktop app's own settings on this computer (not in the register, which they name):
//! which register it opens — a file, or the office's server (`postgres://…`) — and the
//! password for that server, if the clerk chose to keep one here.
//!
//! The file is `saraban/app.json` in the user's configuration folder (or
//! `$SARABAN_APP_SETTINGS`), readable by its owner only. The password never leaves it but to
//! connect: the UI is only told that one is kept.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::{Office, OfficeSettings, OfficeSetup};
use crate::error::Error;
use crate::register::{Access, Location};
use crate::Result;

/// What the app remembers on this computer.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AppSettings {
    /// The register: a file path or a `postgres://` URL (without its password).
    pub register: Option<String>,
    /// The server's password, kept here when the clerk asked to.
    pub password: Option<String>,
}

/// Where the app's settings are kept.
pub fn app_settings_path() -> PathBuf {
    crate::fsutil::user_path(
        "SARABAN_APP_SETTINGS",
        dirs::config_dir(),
        &["saraban", "app.json"],
    )
}

/// The app's settings (the defaults when there are none, or they cannot be read).
pub fn app_settings() -> AppSettings {
    std::fs::read(app_settings_path())
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or_default()
}

fn save_app_settings(s: &AppSettings) -> Result<()> {
    let path = app_settings_path();
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|source| Error::Write {
            path: dir.to_path_buf(),
            source,
        })?;
    }
    let json = serde_json::to_vec_pretty(s).map_err(|e| Error::Pdf(e.to_string()))?;
    // It may hold the server's password: never readable by others, not even for a moment.
    crate::fsutil::write_private(&path, &json)
}

/// The register the app settings name, with the kept password, if any.
pub fn app_register() -> Option<PathBuf> {
    let s = app_settings();
    let register = s.register.filter(|r| !r.trim().is_empty())?;
    let location = Location::parse(register.as_ref());
    Some(match (&location, s.password) {
        (Location::Server(url), Some(pw)) => {
            PathBuf::from(crate::register::with_password(url, &pw))
        }
        _ => PathBuf::from(register),
    })
}

/// Opens the register `location` (a file path or a `postgres://` URL; `password` for the
/// server, kept in the app settings when given) as the app's register from now on: the
/// office over it is returned with its setup, and the choice remembered only once the
/// register opened.
pub fn switch_register(location: &str, password: Option<&str>) -> Result<(Office, OfficeSetup)> {
    let typed = location.trim();
    if typed.is_empty() {
        return Err(Error::input(
            "register",
            "ระบุที่เก็บทะเบียน: ชื่อไฟล์ หรือ URL ของเซิร์ฟเวอร์ เช่น postgres://ผู้ใช้@เครื่อง/saraban",
            "give the register: a file name, or a server URL such as postgres://user@host/saraban",
        ));
    }
    let parsed = Location::parse(typed.as_ref());
    // A password typed into the URL is kept apart from it.
    let (register, password) = match &parsed {
        Location::Server(url) => {
            let (bare, in_url) = crate::register::split_password(url);
            (
                bare,
                password
                    .map(str::to_string)
                    .or(in_url)
                    .filter(|p| !p.is_empty()),
            )
        }
        Location::File(p) => (p.display().to_string(), None),
    };
    let open_at = match (&parsed, &password) {
        (Location::Server(_), Some(pw)) => crate::register::with_password(&register, pw),
        _ => register.clone(),
    };
    let office = Office::open_with(
        Path::new(&open_at),
        Access::Create,
        &OfficeSettings::default(),
    )?;
    let setup = office.setup()?;
    save_app_settings(&AppSettings {
        register: Some(register),
        password,
    })?;
    Ok((office, setup))
}
