//! One running app per register: a second window on the same register file would let two
//! forms autosave over each other. The lock is an OS file lock beside the register, so it
//! goes away with the process however it ends.

use std::fs::{File, OpenOptions};
use std::path::Path;

/// Takes the lock of the register at `db`, or says in Thai why not.
pub fn lock(db: &Path) -> Result<File, String> {
    if let Some(dir) = db.parent() {
        if !dir.as_os_str().is_empty() {
            std::fs::create_dir_all(dir)
                .map_err(|e| format!("สร้างโฟลเดอร์ทะเบียน {} ไม่ได้: {e}", dir.display()))?;
        }
    }
    let mut name = db.as_os_str().to_owned();
    name.push(".lock");
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&name)
        .map_err(|e| format!("เปิดไฟล์ล็อกของทะเบียนไม่ได้: {e}"))?;
    // The app closed a moment ago may still be saving: wait for it a little.
    for _ in 0..patience_steps() {
        if file.try_lock().is_ok() {
            return Ok(file);
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(_) => Err(format!(
            "สารบรรณเปิดทะเบียน {} อยู่แล้วในอีกหน้าต่างหนึ่ง ใช้หน้าต่างนั้นต่อได้เลย",
            db.display()
        )),
    }
}

fn patience_steps() -> u32 {
    if cfg!(test) {
        2
    } else {
        50
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_second_instance_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("register.sqlite");
        let first = super::lock(&db).unwrap();
        assert!(super::lock(&db).unwrap_err().contains("อยู่แล้ว"));
        drop(first);
        assert!(super::lock(&db).is_ok());
    }
}
