//! The mailbox's password on this computer (never in the register, never printed): in the
//! operating system's keyring where there is one — the Secret Service of the desktop
//! (GNOME Keyring, KWallet) on Linux, the Credential Manager on Windows, the Keychain on
//! macOS — else in a file only its owner can read (`saraban/mail.json` in the user's
//! configuration folder). `$SARABAN_MAIL_SECRETS` names such a file and skips the keyring
//! (a test, a server without a desktop).

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::error::Error;
use crate::Result;

/// The keyring's service name for mailbox passwords.
const SERVICE: &str = "saraban-mail";

/// Where a password was kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kept {
    /// The operating system's keyring.
    Keyring,
    /// The owner-only file.
    File,
}

/// The owner-only file.
pub fn mail_secrets_path() -> PathBuf {
    crate::fsutil::user_path(
        "SARABAN_MAIL_SECRETS",
        dirs::config_dir(),
        &["saraban", "mail.json"],
    )
}

fn keyring_allowed() -> bool {
    std::env::var_os("SARABAN_MAIL_SECRETS").is_none()
}

fn file_entries() -> BTreeMap<String, String> {
    std::fs::read(mail_secrets_path())
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or_default()
}

fn write_file(all: &BTreeMap<String, String>) -> Result<()> {
    let path = mail_secrets_path();
    if all.is_empty() && !path.exists() {
        return Ok(());
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|source| Error::Write {
            path: dir.to_path_buf(),
            source,
        })?;
    }
    let json = serde_json::to_vec_pretty(all).map_err(|e| Error::Pdf(e.to_string()))?;
    crate::fsutil::write_private(&path, &json)
}

fn entry(address: &str) -> Option<keyring::Entry> {
    if !keyring_allowed() {
        return None;
    }
    keyring::Entry::new(SERVICE, &address.to_lowercase()).ok()
}

/// Keeps `address`'s password: in the keyring when it takes it, else in the file.
pub fn keep(address: &str, password: &str) -> Result<Kept> {
    let key = address.to_lowercase();
    if let Some(e) = entry(&key) {
        match e.set_password(password) {
            Ok(()) => {
                // No second copy left behind in the file.
                let mut all = file_entries();
                if all.remove(&key).is_some() {
                    write_file(&all)?;
                }
                return Ok(Kept::Keyring);
            }
            Err(err) => tracing::info!(
                "no keyring for the mailbox password ({err}): kept in the owner-only file"
            ),
        }
    }
    let mut all = file_entries();
    all.insert(key, password.to_string());
    write_file(&all)?;
    Ok(Kept::File)
}

/// `address`'s password, from the keyring or the file.
pub fn password(address: &str) -> Option<String> {
    let key = address.to_lowercase();
    if let Some(e) = entry(&key) {
        if let Ok(p) = e.get_password() {
            return Some(p);
        }
    }
    file_entries().get(&key).cloned()
}

/// Where `address`'s password is kept, if it is.
pub fn kept(address: &str) -> Option<Kept> {
    let key = address.to_lowercase();
    if entry(&key).is_some_and(|e| e.get_password().is_ok()) {
        return Some(Kept::Keyring);
    }
    file_entries().contains_key(&key).then_some(Kept::File)
}

#[cfg(all(test, windows))]
mod tests {
    use super::*;

    /// On Windows the password goes to the Credential Manager (`make test-windows` runs
    /// this under Wine, whose advapi32 keeps credentials as Windows does), comes back from
    /// it, and no copy is written to the file.
    #[test]
    fn a_password_is_kept_in_the_credential_manager() {
        assert!(
            keyring_allowed(),
            "SARABAN_MAIL_SECRETS is set: the keyring is skipped"
        );
        let address = format!("saraban-test-{}@a.test", std::process::id());
        let secret = "รหัส-ลับ secret 123";
        assert_eq!(keep(&address, secret).unwrap(), Kept::Keyring);
        assert_eq!(password(&address).as_deref(), Some(secret));
        assert_eq!(password(&address.to_uppercase()).as_deref(), Some(secret));
        assert_eq!(kept(&address), Some(Kept::Keyring));
        assert!(!file_entries().contains_key(&address));
        entry(&address).unwrap().delete_credential().unwrap();
        assert_eq!(kept(&address), None);
    }
}
