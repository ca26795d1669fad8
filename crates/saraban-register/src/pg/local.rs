//! What this computer keeps of a register on a server, so that a clerk can open Saraban and
//! type while the server is away (เซิร์ฟเวอร์ดับ): the register's id for each URL it was
//! reached at, and a copy of the office's settings (profile, emblem, font) as last read or
//! written; and the drafts typed meanwhile, until the server takes them. Nothing here is
//! ever a source of numbers.

use std::path::PathBuf;

use sha2::{Digest, Sha256};

use crate::entry::hex;
use crate::local_dir;

/// This computer's folder for server registers.
#[derive(Debug, Clone)]
pub(crate) struct Local {
    base: PathBuf,
}

impl Local {
    /// The folder of this user on this computer ([`local_dir`]).
    pub(crate) fn here() -> Local {
        Local { base: local_dir() }
    }

    /// The folder `base` (a test's, or a second clerk's on one computer).
    pub(crate) fn at(base: &std::path::Path) -> Local {
        Local {
            base: base.to_path_buf(),
        }
    }

    /// The file naming the register last found at `shown` (the URL without its password).
    fn known_file(&self, shown: &str) -> PathBuf {
        let key = hex(&Sha256::digest(shown.as_bytes())[..12]);
        self.base.join("servers").join(key)
    }

    /// The id of the register this computer last found at `shown`, if it ever reached it.
    pub(crate) fn known_register(&self, shown: &str) -> Option<String> {
        let id = std::fs::read_to_string(self.known_file(shown)).ok()?;
        let id = id.trim();
        (id.len() == 32 && id.bytes().all(|b| b.is_ascii_hexdigit())).then(|| id.to_string())
    }

    /// Remembers that `shown` holds the register `id`.
    pub(crate) fn remember_register(&self, shown: &str, id: &str) {
        if self.known_register(shown).as_deref() == Some(id) {
            return;
        }
        let file = self.known_file(shown);
        if let Some(dir) = file.parent() {
            let _ = std::fs::create_dir_all(dir);
        }
        let _ = crate::fsutil::write_atomic(&file, id.as_bytes());
    }

    fn copy_file(&self, register_id: &str, key: &str) -> PathBuf {
        self.base
            .join("copies")
            .join(register_id)
            .join(hex(key.as_bytes()))
    }

    /// The copy of setting `key` as last seen: `None` when this computer never saw it,
    /// `Some(None)` when it was seen absent.
    pub(crate) fn setting_copy(&self, register_id: &str, key: &str) -> Option<Option<Vec<u8>>> {
        let bytes = std::fs::read(self.copy_file(register_id, key)).ok()?;
        match bytes.split_first() {
            Some((b'+', value)) => Some(Some(value.to_vec())),
            Some((b'-', _)) => Some(None),
            _ => None,
        }
    }

    /// Keeps a copy of setting `key` (an unchanged copy is not written again). Best effort:
    /// a copy that cannot be written only means the app cannot show it while the server is
    /// away.
    pub(crate) fn keep_setting(&self, register_id: &str, key: &str, value: Option<&[u8]>) {
        let file = self.copy_file(register_id, key);
        // The copy is read to compare only when its size matches (a font is megabytes).
        let size = value.map_or(1, |v| v.len() as u64 + 1);
        let same_size = std::fs::metadata(&file).is_ok_and(|m| m.len() == size);
        if same_size
            && self
                .setting_copy(register_id, key)
                .as_ref()
                .map(|v| v.as_deref())
                == Some(value)
        {
            return;
        }
        let mut bytes = Vec::with_capacity(value.map_or(1, |v| v.len() + 1));
        match value {
            Some(v) => {
                bytes.push(b'+');
                bytes.extend_from_slice(v);
            }
            None => bytes.push(b'-'),
        }
        if let Some(dir) = file.parent() {
            let _ = std::fs::create_dir_all(dir);
        }
        let _ = crate::fsutil::write_atomic(&file, &bytes);
    }

    /// The folder where drafts that could not reach the server wait.
    pub(crate) fn waiting_dir(&self, register_id: &str) -> PathBuf {
        self.base.join("waiting-drafts").join(register_id)
    }

    /// The register's anchor file on this computer.
    pub(crate) fn anchor_file(&self, register_id: &str) -> PathBuf {
        self.base
            .join("anchors")
            .join(format!("{register_id}.anchor"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_copies_tell_absent_from_unknown() {
        let dir = tempfile::tempdir().unwrap();
        let local = Local {
            base: dir.path().to_path_buf(),
        };
        let id = "0123456789abcdef0123456789abcdef";
        assert_eq!(local.setting_copy(id, "profile"), None);
        local.keep_setting(id, "profile", Some("ก".as_bytes()));
        assert_eq!(
            local.setting_copy(id, "profile"),
            Some(Some("ก".as_bytes().to_vec()))
        );
        local.keep_setting(id, "emblem", None);
        assert_eq!(local.setting_copy(id, "emblem"), Some(None));
        assert_eq!(local.known_register("postgres://clerk@db/saraban"), None);
        local.remember_register("postgres://clerk@db/saraban", id);
        assert_eq!(
            local
                .known_register("postgres://clerk@db/saraban")
                .as_deref(),
            Some(id)
        );
        assert_eq!(local.known_register("postgres://clerk@db/other"), None);
    }
}
