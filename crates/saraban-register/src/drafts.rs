//! Drafts (ร่างหนังสือ): every save is kept as a version; any version can be restored.
//!
//! The app autosaves every few seconds, so a save is two small statements in one
//! transaction, with `synchronous = NORMAL`: after a power cut the register is consistent
//! and at worst the last seconds of typing are lost, never an issued number.

use rusqlite::{params, OptionalExtension};

use super::{now_text, SqliteRegister};
use saraban_model::error::Error;
use saraban_model::letter::{Kind, Letter};

/// A draft in the list.
#[derive(Debug, Clone, PartialEq, serde::Serialize, ts_rs::TS)]
pub struct DraftInfo {
    /// Its id.
    #[ts(type = "number")]
    pub id: i64,
    /// Its subject (or empty).
    pub title: String,
    /// Letter kind.
    pub kind: Kind,
    /// Last saved.
    pub updated_at: String,
    /// How many versions are kept.
    #[ts(type = "number")]
    pub versions: i64,
}

/// One saved version of a draft.
#[derive(Debug, Clone, PartialEq, serde::Serialize, ts_rs::TS)]
pub struct DraftVersion {
    /// Version id.
    #[ts(type = "number")]
    pub id: i64,
    /// When it was saved.
    pub saved_at: String,
    /// What changed since the version before it, by the form's names for the fields
    /// (เรื่อง, ข้อความ ย่อหน้าที่ ๒); empty for the first version.
    pub changed: Vec<String>,
}

/// The versions of a draft, newest first, from `(id, saved_at, letter_json)` rows in that
/// order: each says what changed since the one before it.
pub(crate) fn versions(rows: Vec<(i64, String, String)>) -> Vec<DraftVersion> {
    let values: Vec<serde_json::Value> = rows
        .iter()
        .map(|(_, _, json)| serde_json::from_str(json).unwrap_or(serde_json::Value::Null))
        .collect();
    rows.into_iter()
        .enumerate()
        .map(|(i, (id, saved_at, _))| DraftVersion {
            id,
            saved_at,
            changed: values
                .get(i + 1)
                .map(|older| changes(older, &values[i]))
                .unwrap_or_default(),
        })
        .collect()
}

/// The fields that differ between two stored letters, as the form names them: top-level
/// parts, and items of a list by their place (ข้อความ ย่อหน้าที่ ๓).
fn changes(older: &serde_json::Value, newer: &serde_json::Value) -> Vec<String> {
    use serde_json::Value;
    let empty = serde_json::Map::new();
    let (a, b) = (
        older.as_object().unwrap_or(&empty),
        newer.as_object().unwrap_or(&empty),
    );
    let mut keys: Vec<&String> = a.keys().chain(b.keys()).collect();
    keys.sort();
    keys.dedup();
    let mut out = Vec::new();
    let label =
        |path: &str| saraban_model::letter::field_label(path).unwrap_or_else(|| path.into());
    // The form's order of the parts, not the alphabet's.
    const ORDER: &[&str] = &[
        "kind",
        "circular",
        "urgency",
        "secrecy",
        "number",
        "agency",
        "date",
        "subject",
        "salutation",
        "recipient",
        "distribution",
        "references",
        "enclosures",
        "body",
        "closing",
        "signer",
        "stamp",
        "owner",
        "qr",
        "copies_to",
        "digits",
        "paper",
        "initials",
    ];
    keys.sort_by_key(|k| ORDER.iter().position(|o| o == k).unwrap_or(ORDER.len()));
    for key in keys {
        let (x, y) = (a.get(key.as_str()), b.get(key.as_str()));
        if x == y {
            continue;
        }
        match (x, y) {
            (Some(Value::Array(xs)), Some(Value::Array(ys))) if key == "body" => {
                let n = xs.len().max(ys.len());
                let mut items: Vec<usize> = (0..n).filter(|&i| xs.get(i) != ys.get(i)).collect();
                // Many paragraphs touched (one inserted near the top) say so once.
                if items.len() > 3 {
                    items.truncate(0);
                    out.push(label(key));
                }
                out.extend(items.into_iter().map(|i| label(&format!("{key}[{i}]"))));
            }
            _ => out.push(label(key)),
        }
    }
    out
}

/// "This draft has no such version", as both engines say it.
pub(crate) fn no_version(id: i64, version: i64) -> Error {
    Error::NotFound {
        th: saraban_thai::to_thai_digits(&format!("ไม่พบฉบับที่ {version} ของร่างหมายเลข {id}")),
        en: format!("draft {id} has no version {version}"),
    }
}

/// "No such draft", as both engines say it (the issue of a draft that went meanwhile too).
pub(crate) fn no_draft(id: i64) -> Error {
    Error::NotFound {
        th: saraban_thai::to_thai_digits(&format!(
            "ไม่พบร่างหนังสือหมายเลข {id} (อาจออกเลขไปแล้วหรือถูกลบ)"
        )),
        en: format!("no draft {id} (it may have been issued or deleted)"),
    }
}

impl SqliteRegister {
    /// Saves a draft: a new one when `id` is None, else a new version of draft `id`.
    /// Returns the draft's id.
    pub fn save_draft(&mut self, id: Option<i64>, letter: &Letter) -> saraban_model::Result<i64> {
        // Whatever the clerk typed is stored in the form it reads back in.
        let letter = &letter.clone().for_storage();
        let json = serde_json::to_string(letter).map_err(|e| Error::Pdf(e.to_string()))?;
        let now = now_text();
        let (title, recipient, sender) = super::entry::listing(letter);
        let kind = letter.kind.name().to_string();
        let tx = self.conn.transaction()?;
        let id = match id {
            // An autosave of an unchanged letter keeps no new version.
            Some(id)
                if tx
                    .query_row(
                        "SELECT letter_json = ?2 FROM letters WHERE id = ?1 AND status = 'draft'",
                        params![id, json],
                        |r| r.get::<_, bool>(0),
                    )
                    .optional()?
                    == Some(true) =>
            {
                return Ok(id);
            }
            Some(id) => {
                let n = tx.execute(
                    "UPDATE letters SET letter_json = ?2, title = ?3, kind = ?4, updated_at = ?5, recipient = ?6, sender = ?7
                     WHERE id = ?1 AND status = 'draft'",
                    params![id, json, title, kind, now, recipient, sender],
                )?;
                if n == 0 {
                    return Err(no_draft(id));
                }
                id
            }
            None => {
                tx.execute(
                    "INSERT INTO letters (status, kind, title, created_at, updated_at, letter_json, recipient, sender)
                     VALUES ('draft', ?1, ?2, ?3, ?3, ?4, ?5, ?6)",
                    params![kind, title, now, json, recipient, sender],
                )?;
                tx.last_insert_rowid()
            }
        };
        tx.execute(
            "INSERT INTO letter_versions (letter_id, saved_at, letter_json) VALUES (?1, ?2, ?3)",
            params![id, now, json],
        )?;
        tx.commit()?;
        Ok(id)
    }

    /// The drafts, most recently saved first.
    pub fn drafts(&self) -> saraban_model::Result<Vec<DraftInfo>> {
        let mut stmt = self.conn.prepare(
            "SELECT l.id, l.title, l.kind, l.updated_at, (SELECT count(*) FROM letter_versions v WHERE v.letter_id = l.id)
             FROM letters l WHERE l.status = 'draft' ORDER BY l.updated_at DESC, l.id DESC",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(DraftInfo {
                id: r.get(0)?,
                title: r.get(1)?,
                kind: r.get::<_, crate::StoredKind>(2)?.0,
                updated_at: r.get(3)?,
                versions: r.get(4)?,
            })
        })?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }

    /// Opens a draft: its latest version.
    pub fn open_draft(&self, id: i64) -> saraban_model::Result<Letter> {
        let json: String = self
            .conn
            .query_row(
                "SELECT letter_json FROM letters WHERE id = ?1 AND status = 'draft'",
                [id],
                |r| r.get(0),
            )
            .optional()?
            .ok_or_else(|| no_draft(id))?;
        Letter::from_stored_json(&json)
    }

    /// The saved versions of a draft, newest first.
    pub fn draft_versions(&self, id: i64) -> saraban_model::Result<Vec<DraftVersion>> {
        let mut stmt = self.conn.prepare(
            "SELECT id, saved_at, letter_json FROM letter_versions WHERE letter_id = ?1 ORDER BY id DESC",
        )?;
        let rows = stmt.query_map([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        Ok(versions(rows.collect::<Result<Vec<_>, _>>()?))
    }

    /// Restores an earlier version: it becomes the draft's newest version (nothing is lost).
    pub fn restore_draft(&mut self, id: i64, version: i64) -> saraban_model::Result<Letter> {
        let letter = self.draft_version(id, version)?;
        self.save_draft(Some(id), &letter)?;
        Ok(letter)
    }

    /// Opens one saved version of a draft, to look at it before restoring it.
    pub fn draft_version(&self, id: i64, version: i64) -> saraban_model::Result<Letter> {
        let json: String = self
            .conn
            .query_row(
                "SELECT letter_json FROM letter_versions WHERE id = ?1 AND letter_id = ?2",
                [version, id],
                |r| r.get(0),
            )
            .optional()?
            .ok_or_else(|| no_version(id, version))?;
        Letter::from_stored_json(&json)
    }

    /// Deletes a draft with its versions (issued letters cannot be deleted).
    pub fn delete_draft(&mut self, id: i64) -> saraban_model::Result<()> {
        let n = self.conn.execute(
            "DELETE FROM letters WHERE id = ?1 AND status = 'draft'",
            [id],
        )?;
        if n == 0 {
            return Err(no_draft(id));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::versions;

    #[test]
    fn each_version_says_what_changed_since_the_one_before() {
        let v1 = r#"{"kind":"external","subject":"ขอเชิญประชุม","body":["ก","ข"]}"#;
        let v2 = r#"{"kind":"external","subject":"ขอเชิญประชุมคณะกรรมการ","body":["ก","ข"]}"#;
        let v3 = r#"{"kind":"external","subject":"ขอเชิญประชุมคณะกรรมการ","body":["ก","ขค"],"closing":"ขอแสดงความนับถืออย่างยิ่ง"}"#;
        let rows = vec![
            (3, "t3".to_string(), v3.to_string()),
            (2, "t2".to_string(), v2.to_string()),
            (1, "t1".to_string(), v1.to_string()),
        ];
        let vs = versions(rows);
        assert_eq!(vs[0].changed, ["ข้อความ ย่อหน้าที่ ๒", "คำลงท้าย"]);
        assert_eq!(vs[1].changed, ["เรื่อง"]);
        assert!(vs[2].changed.is_empty());
    }
}
