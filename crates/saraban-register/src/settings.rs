//! The office profile's storage: named values (JSON, or the bytes of the emblem and font
//! files) in the register itself, so that a register copied to another machine brings its
//! office with it.

use rusqlite::{params, OptionalExtension};

use super::audit::{append, commit_anchored};
use super::SqliteRegister;

impl SqliteRegister {
    /// The value stored under `key`, if any.
    pub fn setting(&self, key: &str) -> saraban_model::Result<Option<Vec<u8>>> {
        Ok(self
            .conn
            .query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| {
                r.get(0)
            })
            .optional()?)
    }

    /// Stores (or, with `None`, removes) several values in one transaction, with one
    /// audit entry naming the keys changed.
    pub fn set_settings(&mut self, values: &[(&str, Option<&[u8]>)]) -> saraban_model::Result<()> {
        let anchor = self.anchor_ready()?;
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        for (key, value) in values {
            match value {
                Some(v) => tx.execute(
                    "INSERT INTO settings (key, value) VALUES (?1, ?2)
                     ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    params![key, v],
                )?,
                None => tx.execute("DELETE FROM settings WHERE key = ?1", [key])?,
            };
        }
        let keys: Vec<&str> = values.iter().map(|(k, _)| *k).collect();
        append(&tx, &self.user, "settings", None, &keys.join(","))?;
        commit_anchored(tx, anchor)
    }

    /// Stores `value` under `key` unless a value is there (audited when stored).
    pub fn insert_setting(&mut self, key: &str, value: &[u8]) -> saraban_model::Result<bool> {
        let anchor = self.anchor_ready()?;
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let added = tx.execute(
            "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO NOTHING",
            params![key, value],
        )? == 1;
        if added {
            append(&tx, &self.user, "settings", None, key)?;
        }
        // Nothing appended, nothing to anchor.
        commit_anchored(tx, anchor.filter(|_| added))?;
        Ok(added)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_round_trip_and_are_audited() {
        let mut r = SqliteRegister::in_memory().unwrap();
        assert_eq!(r.setting("profile").unwrap(), None);
        r.set_settings(&[("profile", Some(b"{}")), ("emblem", Some(&[1, 2, 3]))])
            .unwrap();
        assert_eq!(
            r.setting("emblem").unwrap().as_deref(),
            Some(&[1u8, 2, 3][..])
        );
        r.set_settings(&[("emblem", None)]).unwrap();
        assert_eq!(r.setting("emblem").unwrap(), None);
        let report = r.verify_audit().unwrap();
        assert_eq!((report.entries, report.first_broken), (2, None));
    }
}
