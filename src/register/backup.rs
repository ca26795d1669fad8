//! Backups (สำรองทะเบียน) an office can keep while clerks work, and restoring one.
//!
//! A backup is SQLite's online backup of the register into one self-contained file (no
//! `-wal`), with its own anchor file, opened and verified (integrity, the audit chain,
//! every letter against it) before it is put in place. Restoring checks the backup the
//! same way, refuses one that would lose issued letters unless the clerk insists, and
//! records the restore in the audit trail.

use std::path::Path;

use rusqlite::{Connection, MAIN_DB};

use super::audit::{anchor_path, append};
use super::{AuditReport, SqliteRegister};
use crate::error::Error;
use crate::fsutil::Output;

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

impl SqliteRegister {
    /// Writes a verified backup of the register to `out` (already checked, see
    /// [`Output::prepare`]). Returns the copy's verification.
    pub fn backup_to(&self, out: Output) -> crate::Result<AuditReport> {
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
            if let Some((id, hash)) = copy.audit_head()? {
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
            Ok(report)
        })();
        let report = match result {
            Ok(r) => r,
            Err(e) => {
                let _ = std::fs::remove_file(&tmp_anchor);
                return Err(e);
            }
        };
        let dest = out.path().to_path_buf();
        out.persist()?;
        if tmp_anchor.exists() {
            std::fs::rename(&tmp_anchor, anchor_path(&dest)).map_err(|source| Error::Write {
                path: anchor_path(&dest),
                source,
            })?;
        }
        Ok(report)
    }

    /// Replaces this register's content with the backup at `from`, after verifying it.
    /// A backup holding fewer audit entries than the register (issued letters would be
    /// lost) is refused unless `force`.
    pub fn restore_from(&mut self, from: &Path, force: bool) -> crate::Result<AuditReport> {
        let copy = SqliteRegister::open_read_only(from)?;
        if copy.integrity_check()? != "ok" {
            return Err(broken(from, &copy.verify_audit()?));
        }
        let report = copy.verify_audit()?;
        if !report.intact() && !force {
            return Err(broken(from, &report));
        }
        let ours = self.audit_head()?.map(|(n, _)| n).unwrap_or(0);
        if report.entries < ours && !force {
            return Err(Error::Register {
                th: format!(
                    "สำเนานี้มีบันทึก {} รายการ แต่ทะเบียนปัจจุบันมี {ours} รายการ การกู้คืนจะทำให้หนังสือที่ออกภายหลังหายไป ถ้าตั้งใจจริงให้ใช้ --force",
                    report.entries
                ),
                en: format!(
                    "this backup holds {} audit entries, the register {ours}: restoring it would lose what was issued since; if that is meant, use --force",
                    report.entries
                ),
            });
        }
        let before = self.audit_head()?;
        drop(copy);
        self.conn
            .restore(MAIN_DB, from, None::<fn(rusqlite::backup::Progress)>)?;
        let _: String = self
            .conn
            .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
        // The anchor starts again from the backup's head, and the restore is recorded.
        let anchor = anchor_path(&self.path);
        let kept = std::fs::read_to_string(anchor_path(from)).unwrap_or_default();
        crate::fsutil::write_atomic(&anchor, kept.as_bytes())?;
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let detail = format!(
            "{}|{}",
            from.display(),
            before.map(|(n, h)| format!("{n} {h}")).unwrap_or_default()
        );
        append(&tx, &self.user, "restore", None, &detail)?;
        tx.commit()?;
        self.anchor();
        self.verify_audit()
    }
}
