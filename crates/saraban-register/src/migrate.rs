//! Moving an office (ย้ายทะเบียน): a whole register from one engine to the other —
//! settings, series, letters with their PDFs, drafts with their versions, and the audit
//! chain with its hashes — then verified on arrival.
//!
//! The source is verified first (a broken register is not copied as if it were sound); the
//! target must be empty; the rows go in with their ids in one transaction; the target's
//! own verification (chain, every letter against it, every counter) must then find the
//! same head and no problem.

use super::{AuditReport, Engine};
use saraban_model::error::Error;

/// What a migration moved.
#[derive(Debug, Clone, PartialEq)]
pub struct Migrated {
    /// Rows copied (settings, series, letters, versions, audit entries).
    pub rows: u64,
    /// The target's verification.
    pub report: AuditReport,
}

pub(crate) fn not_empty(target: &str) -> Error {
    Error::Register {
        th: format!("ทะเบียนปลายทาง {target} มีข้อมูลอยู่แล้ว ย้ายทะเบียนได้เฉพาะไปยังทะเบียนว่าง (สร้างฐานข้อมูลใหม่ หรือระบุไฟล์ใหม่)"),
        en: format!("the target register {target} is not empty; a register can only be moved into an empty one (create a new database, or name a new file)"),
    }
}

/// Verifies the register `from` before anything is moved out of it: a broken register is
/// not copied as if it were sound. Returns its verification, for [`migrate_verified`].
pub fn check_source(from: &dyn Engine) -> saraban_model::Result<AuditReport> {
    // The mailbox's records (sendings, fetched messages) are not carried by a move yet:
    // such a register is not moved, rather than moved without them.
    let sent = from
        .sendings(None, None, None)
        .map(|s| s.len())
        .unwrap_or(0);
    let fetched = from.mails(&[]).map(|m| m.len()).unwrap_or(0);
    let signed = from.signature_count().unwrap_or(0);
    if signed > 0 {
        return Err(Error::Register {
            th: format!(
                "ทะเบียน {} มีหนังสือที่ลงนามอิเล็กทรอนิกส์แล้ว ({signed} ลายมือชื่อ) ซึ่งการย้ายทะเบียนยังไม่รองรับ จึงไม่ย้าย (ทะเบียนยังอยู่ครบ สำรองด้วย saraban backup ได้)",
                from.location()
            ),
            en: format!(
                "the register {} holds signed letters ({signed} signatures), which a move does not carry yet; it was not moved (it is untouched; saraban backup copies it whole)",
                from.location()
            ),
        });
    }
    if sent + fetched > 0 {
        return Err(Error::Register {
            th: format!(
                "ทะเบียน {} มีบันทึกการรับส่งทางอีเมล ({sent} การส่ง, {fetched} ข้อความที่รับ) ซึ่งการย้ายทะเบียนยังไม่รองรับ จึงไม่ย้าย (ทะเบียนยังอยู่ครบ สำรองด้วย saraban backup ได้)",
                from.location()
            ),
            en: format!(
                "the register {} holds the mailbox's records ({sent} sendings, {fetched} fetched messages), which a move does not carry yet; it was not moved (it is untouched; saraban backup copies it whole)",
                from.location()
            ),
        });
    }
    let source = from.verify_audit()?;
    if !source.intact() {
        let first = source.problems.first().cloned();
        return Err(Error::Register {
            th: format!(
                "ทะเบียนต้นทาง {} ตรวจสอบไม่ผ่าน จึงไม่ย้าย: {}",
                from.location(),
                first.as_ref().map(|p| p.th.as_str()).unwrap_or("")
            ),
            en: format!(
                "the source register {} does not verify and was not moved: {}",
                from.location(),
                first.as_ref().map(|p| p.en.as_str()).unwrap_or("")
            ),
        });
    }
    Ok(source)
}

/// Copies the register `from` into the empty register `to`, and verifies it there.
pub fn migrate(from: &dyn Engine, to: &mut dyn Engine) -> saraban_model::Result<Migrated> {
    let source = check_source(from)?;
    migrate_verified(from, source, to)
}

/// [`migrate`] for a source [`check_source`] already verified.
pub fn migrate_verified(
    from: &dyn Engine,
    source: AuditReport,
    to: &mut dyn Engine,
) -> saraban_model::Result<Migrated> {
    let rows = to.load(&mut |sink| from.dump(sink))?;
    let report = to.verify_audit()?;
    if !report.intact() || report.head != source.head || report.entries != source.entries {
        let first = report.problems.first().cloned();
        return Err(Error::Register {
            th: format!(
                "ย้ายทะเบียนไปที่ {} แล้ว แต่ตรวจสอบปลายทางไม่ผ่าน ({}) อย่าใช้ทะเบียนปลายทาง ทะเบียนต้นทางยังอยู่ครบ",
                to.location(),
                first.as_ref().map(|p| p.th.as_str()).unwrap_or("ห่วงโซ่ไม่ตรงกับต้นทาง")
            ),
            en: format!(
                "the register was copied to {} but does not verify there ({}); do not use it — the source is untouched",
                to.location(),
                first.as_ref().map(|p| p.en.as_str()).unwrap_or("the chain differs from the source")
            ),
        });
    }
    Ok(Migrated { rows, report })
}
