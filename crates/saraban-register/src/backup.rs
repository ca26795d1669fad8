//! Backups (สำรองทะเบียน) an office can keep while clerks work, and restoring one.
//!
//! A backup is SQLite's online backup of the register into one self-contained file (no
//! `-wal`), with its own anchor file, opened and verified (integrity, the audit chain,
//! every letter against it) before it is put in place. Restoring checks the backup the
//! same way, refuses one that would lose issued letters unless the clerk insists, and
//! records the restore in the audit trail.

use std::path::Path;

use rusqlite::{Connection, OptionalExtension, MAIN_DB};

use super::audit::{anchor_path, append};
use super::{AuditReport, SqliteRegister};
use crate::fsutil::Output;
use saraban_model::error::Error;

fn broken(what: &Path, report: &AuditReport) -> Error {
    let first = report
        .problems
        .first()
        .map(|p| (p.th.clone(), p.en.clone()))
        .unwrap_or_default();
    Error::Register {
        th: format!("สำเนาทะเบียน {} ไม่ถูกต้อง: {}", what.display(), first.0),
        en: format!(
            "the register copy {} does not verify: {}",
            what.display(),
            first.1
        ),
    }
}

/// The office a register belongs to, as its profile names it (empty when unnamed).
fn office_name(reg: &SqliteRegister) -> String {
    reg.setting("profile")
        .ok()
        .flatten()
        .and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).ok())
        .and_then(|v| v["agency"].as_str().map(str::to_string))
        .unwrap_or_default()
}

/// How many letters a register holds and the newest one's number.
fn letters_held(reg: &SqliteRegister) -> saraban_model::Result<(i64, String)> {
    Ok(reg.conn.query_row(
        "SELECT count(*), coalesce((SELECT number_text FROM letters WHERE status <> 'draft' ORDER BY id DESC LIMIT 1), '')
         FROM letters WHERE status <> 'draft'",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?)
}

impl SqliteRegister {
    /// Writes a verified backup of the register to `out`, and its anchor to `anchor`
    /// (both already checked, see [`Output::prepare`]). Returns the copy's verification.
    pub fn backup_to(&self, out: Output, anchor: Output) -> saraban_model::Result<AuditReport> {
        let tmp = out.temp_path().to_path_buf();
        {
            let mut dst = Connection::open(&tmp)?;
            {
                let b = rusqlite::backup::Backup::new(&self.conn, &mut dst)?;
                b.run_to_completion(256, std::time::Duration::from_millis(5), None)?;
            }
            // One file an office can open anywhere.
            let _: String = dst.query_row("PRAGMA journal_mode = DELETE", [], |r| r.get(0))?;
        }
        let tmp_anchor = anchor_path(&tmp);
        let result = (|| {
            let copy = SqliteRegister::open_read_only(&tmp)?;
            let head = copy.audit_head()?;
            if let Some((id, hash)) = &head {
                std::fs::write(&tmp_anchor, format!("{id} {hash}\n")).map_err(|source| {
                    Error::Write {
                        path: tmp_anchor.clone(),
                        source,
                    }
                })?;
            }
            let ok: String = copy.integrity_check()?;
            let report = copy.verify_audit()?;
            drop(copy);
            if ok != "ok" || !report.intact() {
                return Err(broken(out.path(), &report));
            }
            Ok((report, head))
        })();
        let _ = std::fs::remove_file(&tmp_anchor);
        let (report, head) = result?;
        out.persist()?;
        if let Some((id, hash)) = head {
            anchor.commit(format!("{id} {hash}\n").as_bytes())?;
        }
        Ok(report)
    }

    /// Replaces this register's content with the backup at `from`, after verifying it.
    ///
    /// Only a backup with exactly the schema of the build that made it is read at all; one
    /// an earlier build made is brought up to date in a copy first. Without `force`, the
    /// backup must be this register's own history carried on: its audit chain holds this
    /// register's newest entry, so that nothing issued here is lost and another office's
    /// register never replaces this one. Everything that could fail is checked before the
    /// register is touched; should the swap still fail half-way, the register as it was is
    /// put back: a restore is all or nothing.
    pub fn restore_from(&mut self, from: &Path, force: bool) -> saraban_model::Result<AuditReport> {
        if self.read_only {
            return Err(Error::Register {
                th: "ทะเบียนนี้เปิดแบบอ่านอย่างเดียว จึงกู้คืนทับไม่ได้".into(),
                en: "this register is open read-only and cannot be restored over".into(),
            });
        }
        let dir = match self.path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => std::path::PathBuf::from("."),
        };
        // A backup an earlier Saraban made is brought up to date in a copy beside the
        // register; the rest reads that copy (and the audit names the backup itself).
        let named = from;
        let upgraded = upgraded_copy(from, &dir)?;
        let from: &Path = upgraded.as_ref().map_or(from, |(_, p)| p.as_path());
        let copy = SqliteRegister::open_read_only(from)?;
        super::schema::check_identical(&copy.conn)?;
        if copy.integrity_check()? != "ok" {
            return Err(broken(from, &copy.verify_audit()?));
        }
        let report = copy.verify_audit()?;
        if !report.intact() && !force {
            return Err(broken(from, &report));
        }
        let before = self.audit_head()?;
        if let Some((n, hash)) = &before {
            let theirs: Option<String> = copy
                .conn
                .query_row("SELECT hash FROM audit WHERE id = ?1", [n], |r| r.get(0))
                .optional()?;
            if theirs.as_deref() != Some(hash.as_str()) && !force {
                let (count, newest) = letters_held(self)?;
                let (their_count, their_newest) = letters_held(&copy)?;
                let whose = match office_name(&copy) {
                    n if n.is_empty() => "ไม่ระบุชื่อส่วนราชการ".to_string(),
                    n => n,
                };
                let whose_en = match office_name(&copy) {
                    n if n.is_empty() => "no office named".to_string(),
                    n => n,
                };
                let lost = if theirs.is_none() {
                    (
                        "สำเนานี้เก่ากว่าทะเบียนปัจจุบัน",
                        "this backup is older than the register",
                    )
                } else {
                    (
                        "สำเนานี้เป็นทะเบียนคนละชุดกับทะเบียนปัจจุบัน",
                        "this backup is another register than this one",
                    )
                };
                return Err(Error::Register {
                    th: format!(
                        "ไม่กู้คืน: {} (สำเนาเป็นของ {whose} มีหนังสือ {their_count} ฉบับ ล่าสุด {their_newest}) การกู้คืนจะทำให้บันทึกของทะเบียนปัจจุบันหายไป {n} รายการ และหนังสือ {count} ฉบับ (ล่าสุด {newest}) ไม่อยู่ในประวัติของสำเนา ถ้าตั้งใจจริงให้ใช้ --force",
                        lost.0
                    ),
                    en: format!(
                        "not restored: {} (it belongs to {whose_en}, with {their_count} letters, the newest {their_newest}); restoring it would lose this register's {n} audit entries and its {count} letters (the newest {newest}) are not in the backup's history; if that is meant, use --force",
                        lost.1
                    ),
                });
            }
        }
        // Every precondition, before the register is touched: the anchor is replaced
        // through a checked output (a link, a read-only file or folder refuses here) ...
        let anchor = anchor_path(&self.path);
        let new_anchor = Output::prepare(&anchor, &[])?;
        let kept = match std::fs::read_to_string(anchor_path(from)) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
            Err(source) => {
                return Err(Error::Read {
                    path: anchor_path(from),
                    source,
                })
            }
        };
        // ... and the register as it is now is kept aside, to be put back on any failure.
        let aside = tempfile::Builder::new()
            .prefix(".saraban-restore-")
            .suffix(".tmp")
            .tempfile_in(&dir)
            .map_err(|source| Error::Write {
                path: dir.clone(),
                source,
            })?;
        copy_whole(&self.conn, aside.path())?;
        drop(copy);
        let swapped = (|| -> saraban_model::Result<()> {
            fail::fail_point!("restore-after-swap", |_| Err(Error::Write {
                path: anchor.clone(),
                source: std::io::Error::from_raw_os_error(28),
            }));
            self.conn
                .restore(MAIN_DB, from, None::<fn(rusqlite::backup::Progress)>)?;
            let _: String = self
                .conn
                .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
            let tx = self
                .conn
                .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
            let detail = format!(
                "{}|{}",
                named.display(),
                before
                    .as_ref()
                    .map(|(n, h)| format!("{n} {h}"))
                    .unwrap_or_default()
            );
            append(&tx, &self.user, "restore", None, &detail)?;
            tx.commit()?;
            // The anchor starts again from the backup's, with the restore's entry.
            let mut text = kept.clone();
            if !text.is_empty() && !text.ends_with('\n') {
                text.push('\n');
            }
            if let Some((id, hash)) = super::audit::last_entry(&self.conn)? {
                text.push_str(&format!("{id} {hash}\n"));
            }
            fail::fail_point!("restore-before-anchor", |_| Err(Error::Write {
                path: anchor.clone(),
                source: std::io::Error::from_raw_os_error(28),
            }));
            new_anchor.commit(text.as_bytes())
        })();
        if let Err(e) = swapped {
            // Put the register back as it was; its anchor was never replaced.
            self.conn.restore(
                MAIN_DB,
                aside.path(),
                None::<fn(rusqlite::backup::Progress)>,
            )?;
            let _: String = self
                .conn
                .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
            return Err(e);
        }
        self.verify_audit()
    }
}

/// A backup made by an earlier Saraban (a register of an older schema), checked to hold
/// exactly that schema, copied into a temporary folder in `dir` with its anchor file and
/// brought up to date there by the same migrations an older register gets when it is
/// opened; `None` for a backup of this build's schema or one that is not a register at all
/// (the usual checks then say what is wrong with it). The backup itself is never written.
fn upgraded_copy(
    from: &Path,
    dir: &Path,
) -> saraban_model::Result<Option<(tempfile::TempDir, std::path::PathBuf)>> {
    use super::schema::{check_identical_at, migrate, APPLICATION_ID, VERSION};
    let flags =
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let Ok(conn) = Connection::open_with_flags(from, flags) else {
        return Ok(None);
    };
    let state = conn
        .query_row("PRAGMA application_id", [], |r| r.get::<_, i32>(0))
        .and_then(|app| {
            Ok((
                app,
                conn.query_row("PRAGMA user_version", [], |r| r.get::<_, i32>(0))?,
            ))
        });
    let Ok((APPLICATION_ID, version)) = state else {
        return Ok(None);
    };
    if !(1..VERSION).contains(&version) {
        return Ok(None);
    }
    check_identical_at(&conn, version)?;
    let staged = tempfile::Builder::new()
        .prefix(".saraban-restore-")
        .tempdir_in(dir)
        .map_err(|source| Error::Write {
            path: dir.to_path_buf(),
            source,
        })?;
    let path = staged.path().join("backup.sqlite");
    migrate(&mut copy_whole(&conn, &path)?)?;
    match std::fs::copy(anchor_path(from), anchor_path(&path)) {
        Ok(_) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(source) => {
            return Err(Error::Read {
                path: anchor_path(from),
                source,
            })
        }
    }
    tracing::info!(
        "the backup {} (schema {version}) was brought up to schema {VERSION} to be restored",
        from.display()
    );
    Ok(Some((staged, path)))
}

/// Copies the database `src` whole into a new file at `to`, in one step (nobody else
/// writes there), and returns the copy open.
fn copy_whole(src: &Connection, to: &Path) -> saraban_model::Result<Connection> {
    let mut dst = Connection::open(to)?;
    rusqlite::backup::Backup::new(src, &mut dst)?.run_to_completion(
        1 << 20,
        std::time::Duration::ZERO,
        None,
    )?;
    Ok(dst)
}
