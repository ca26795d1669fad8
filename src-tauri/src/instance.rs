//! One running app per register: a second window on the same register file would let two
//! forms autosave over each other. The lock is an OS file lock beside the register, so it
//! goes away with the process however it ends.

use std::fs::{File, OpenOptions};
use std::path::Path;

/// The file whose lock stands for the register at `db`: beside a register file; for a
/// register on a server, a file named after its URL (without the password) in the user's
/// data folder (one window per register on this computer; other computers share it).
pub fn lock_target(db: &Path) -> std::path::PathBuf {
    use saraban::register::Location;
    let location = Location::from(db);
    match &location {
        Location::File(p) => p.clone(),
        Location::Server(_) => {
            let shown = location.shown();
            let name: String = shown
                .chars()
                .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
                .collect();
            saraban::register::local_dir().join(format!("server-{name}"))
        }
    }
}

/// Takes the lock of the register at `db`, or says in Thai why not.
pub fn lock(db: &Path) -> Result<File, String> {
    let shown = saraban::register::Location::from(db).shown();
    let db = &lock_target(db);
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
            "สารบรรณเปิดทะเบียน {shown} อยู่แล้วในอีกหน้าต่างหนึ่ง ใช้หน้าต่างนั้นต่อได้เลย"
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
    fn a_server_register_locks_a_file_named_after_its_url_without_the_password() {
        let t = super::lock_target(std::path::Path::new(
            "postgres://clerk:s3cret@db.office:5432/saraban?sslmode=require",
        ));
        let name = t.file_name().unwrap().to_string_lossy().into_owned();
        assert!(
            name.starts_with("server-postgres___clerk_db_office_5432_saraban"),
            "{name}"
        );
        assert!(!t.to_string_lossy().contains("s3cret"));
    }

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
