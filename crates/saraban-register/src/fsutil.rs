//! Writing output files so that they appear whole or not at all, and never where they would
//! destroy something.
//!
//! A clerk's `-o` (or the save dialog) can name anything: the register itself, a link to
//! it, a device, a read-only file, a folder. [`Output::prepare`] checks the target before
//! any work is done (issuing a number included) and creates the temporary file the bytes
//! go to: an unpredictable name created exclusively (`O_EXCL`) in the target's own folder,
//! so that a planted link is never followed and the final rename is atomic. The target
//! must be absent or a regular, writable file; its mode is kept. Temporaries a killed
//! process left behind are removed the next time that folder is written to.

#[cfg(unix)]
use std::fs::Permissions;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use saraban_model::error::{Error, Result};

#[cfg(windows)]
#[path = "fsutil_windows.rs"]
mod windows;
#[cfg(windows)]
pub use windows::{acl_of, is_private, under_wine};

/// The temporaries' names: `.saraban-XXXXXX.tmp`.
const TMP_PREFIX: &str = ".saraban-";
const TMP_SUFFIX: &str = ".tmp";
/// A temporary this old belongs to a process that is gone.
const STALE_AFTER: Duration = Duration::from_secs(3600);

/// An output file being written: the target, checked, and its temporary.
#[derive(Debug)]
pub struct Output {
    path: PathBuf,
    tmp: tempfile::NamedTempFile,
}

fn refused(path: &Path, th: impl Into<String>, en: impl Into<String>) -> Error {
    Error::Output {
        path: path.to_path_buf(),
        th: th.into(),
        en: en.into(),
    }
}

/// The folder a file of `path` lives in.
fn folder_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// `path` made absolute with its folder's links resolved (the file itself need not exist).
fn resolved(path: &Path) -> Option<PathBuf> {
    let dir = std::fs::canonicalize(folder_of(path)).ok()?;
    Some(dir.join(path.file_name()?))
}

impl Output {
    /// Checks that `path` may be written and creates its temporary. `protected` are files
    /// that must never be replaced (the open register and its `-wal`, `-shm` and anchor):
    /// a target that is one of them, by name or through a link, is refused.
    pub fn prepare(path: &Path, protected: &[PathBuf]) -> Result<Output> {
        if path.as_os_str().is_empty() || path.file_name().is_none() {
            return Err(refused(
                path,
                "ต้องระบุชื่อไฟล์ที่จะเขียน",
                "give the name of a file to write",
            ));
        }
        let existing = std::fs::symlink_metadata(path).ok();
        if let Some(meta) = &existing {
            let ft = meta.file_type();
            if ft.is_symlink() {
                return Err(refused(
                    path,
                    "เป็นลิงก์ (symbolic link) จึงไม่เขียนทับ กรุณาระบุไฟล์จริงหรือชื่อใหม่",
                    "is a symbolic link and was not replaced; give the real file or a new name",
                ));
            }
            if ft.is_dir() {
                return Err(refused(
                    path,
                    "เป็นโฟลเดอร์ กรุณาระบุชื่อไฟล์",
                    "is a folder; give a file name",
                ));
            }
            if !ft.is_file() {
                return Err(refused(
                    path,
                    "ไม่ใช่ไฟล์ธรรมดา (เป็นอุปกรณ์ ท่อ หรือซ็อกเก็ต) จึงไม่เขียน",
                    "is not a regular file (a device, pipe or socket) and was not written",
                ));
            }
            if meta.permissions().readonly() {
                return Err(refused(
                    path,
                    "เป็นไฟล์อ่านอย่างเดียว จึงไม่เขียนทับ กรุณาใช้ชื่อใหม่",
                    "is read-only and was not replaced; choose another name",
                ));
            }
        }
        if is_protected(path, existing.as_ref(), protected) {
            return Err(refused(
                path,
                "เป็นไฟล์ทะเบียนที่เปิดอยู่ (หรือไฟล์ประกอบของทะเบียน) จะเขียนทับไม่ได้ กรุณาระบุชื่อไฟล์อื่น",
                "is the open register (or one of its files) and must never be overwritten; give another file name",
            ));
        }
        let dir = folder_of(path);
        clean_stale(&dir);
        let mut builder = tempfile::Builder::new();
        builder.prefix(TMP_PREFIX).suffix(TMP_SUFFIX);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            // A new file gets the usual mode (the umask applies); a replaced one keeps its own.
            let mode = existing
                .as_ref()
                .map(|m| m.permissions().mode() & 0o7777)
                .unwrap_or(0o666);
            builder.permissions(Permissions::from_mode(mode));
        }
        let tmp = builder.tempfile_in(&dir).map_err(|e| Error::Write {
            path: path.to_path_buf(),
            // The plain system error, without the temporary's name.
            source: e
                .raw_os_error()
                .map(std::io::Error::from_raw_os_error)
                .unwrap_or(e),
        })?;
        #[cfg(unix)]
        if let Some(meta) = &existing {
            // Exactly the old mode, whatever the umask.
            let _ = tmp.as_file().set_permissions(meta.permissions());
        }
        Ok(Output {
            path: path.to_path_buf(),
            tmp,
        })
    }

    /// Where the file goes.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The temporary the content is written to (by SQLite's backup, for one).
    pub fn temp_path(&self) -> &Path {
        self.tmp.path()
    }

    /// The temporary, to write a long output to as it is made.
    pub fn file(&mut self) -> &mut std::fs::File {
        self.tmp.as_file_mut()
    }

    /// Puts the temporary, written through [`Output::temp_path`] or [`Output::file`], in
    /// place.
    pub fn persist(self) -> Result<()> {
        self.commit(&[])
    }

    /// Writes `bytes`, flushes them to the disk and puts the file in place.
    pub fn commit(self, bytes: &[u8]) -> Result<()> {
        let Output { path, mut tmp } = self;
        let werr = |source| Error::Write {
            path: path.clone(),
            source,
        };
        tmp.write_all(bytes).map_err(werr)?;
        tmp.as_file().sync_all().map_err(werr)?;
        #[cfg(unix)]
        {
            tmp.persist(&path).map_err(|e| werr(e.error))?;
            // The rename itself reaches the disk with the folder.
            if let Ok(d) = std::fs::File::open(folder_of(&path)) {
                let _ = d.sync_all();
            }
        }
        #[cfg(windows)]
        {
            // Replaced in one step, the rename on the disk when it returns; a target another
            // program holds open is tried again, then the clerk is told to close it.
            let temp = tmp.into_temp_path();
            match windows::replace(&temp, &path) {
                Ok(()) => {
                    let _ = temp.keep();
                }
                Err(e) if windows::held_open(&e) => {
                    return Err(refused(
                        &path,
                        "เปิดอยู่ในโปรแกรมอื่น (เช่น Word หรือโปรแกรมอ่าน PDF) จึงเขียนทับไม่ได้ กรุณาปิดไฟล์นั้นแล้วลองอีกครั้ง หรือบันทึกด้วยชื่อใหม่",
                        "is open in another program (Word, a PDF reader) and could not be replaced; close it and try again, or save under another name",
                    ));
                }
                Err(e) => return Err(werr(e)),
            }
        }
        Ok(())
    }
}

/// Whether `path` (with metadata `existing`, if it exists) is one of `protected`, by name,
/// through links in its folder, or as a hard link to the same file.
fn is_protected(path: &Path, existing: Option<&std::fs::Metadata>, protected: &[PathBuf]) -> bool {
    let target = resolved(path);
    protected.iter().any(|p| {
        if target.is_some() && target == resolved(p) {
            return true;
        }
        #[cfg(unix)]
        if let (Some(a), Ok(b)) = (existing, std::fs::metadata(p)) {
            use std::os::unix::fs::MetadataExt;
            return a.dev() == b.dev() && a.ino() == b.ino();
        }
        #[cfg(not(unix))]
        let _ = existing;
        false
    })
}

/// Removes our temporaries older than an hour from `dir` (left by a killed process).
fn clean_stale(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let now = SystemTime::now();
    for e in entries.flatten() {
        let name = e.file_name();
        let name = name.to_string_lossy();
        if !(name.starts_with(TMP_PREFIX) && name.ends_with(TMP_SUFFIX)) {
            continue;
        }
        let Ok(meta) = e.metadata() else { continue };
        let old = meta
            .modified()
            .ok()
            .and_then(|m| now.duration_since(m).ok())
            .is_some_and(|age| age > STALE_AFTER);
        if meta.is_file() && old {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

/// Writes `bytes` to `path` whole or not at all (see [`Output`]).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    Output::prepare(path, &[])?.commit(bytes)
}

/// Like [`write_atomic`], readable by its owner only (0600) before the first byte is
/// written: for secrets such as a server's password.
pub fn write_private(path: &Path, bytes: &[u8]) -> Result<()> {
    let out = Output::prepare(path, &[])?;
    let werr = |source| Error::Write {
        path: path.to_path_buf(),
        source,
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        out.tmp
            .as_file()
            .set_permissions(Permissions::from_mode(0o600))
            .map_err(werr)?;
    }
    // Windows: an access-control list naming this user alone, not inherited; set on the
    // temporary before the secret is written, and again once it is in place (a rename
    // that does not carry the list along, as Wine's, leaves it private all the same).
    #[cfg(windows)]
    windows::private(out.tmp.path()).map_err(werr)?;
    out.commit(bytes)?;
    #[cfg(windows)]
    windows::private(path).map_err(werr)?;
    Ok(())
}

/// A file or folder of this user's: `$var` when set, else `parts` under `base` (the
/// user's data or configuration folder; the current folder when there is none).
pub fn user_path(var: &str, base: Option<PathBuf>, parts: &[&str]) -> PathBuf {
    if let Some(p) = std::env::var_os(var) {
        return PathBuf::from(p);
    }
    parts
        .iter()
        .fold(base.unwrap_or_else(|| PathBuf::from(".")), |p, part| {
            p.join(part)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A secret (a server's password) is for its user alone: mode 0600 on Linux, an
    /// access-control list naming the user alone on Windows.
    #[test]
    fn a_private_file_is_for_its_user_alone_on_every_system() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("secret");
        write_private(&p, b"password").unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"password");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&p).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600);
        }
        #[cfg(windows)]
        let wine = under_wine();
        #[cfg(windows)]
        if wine {
            eprintln!("not checked under Wine: Wine 8 keeps no access-control list on files");
        } else {
            assert!(is_private(&p).unwrap(), "{:?}", acl_of(&p));
        }
        // Written again, it stays so.
        write_private(&p, b"another").unwrap();
        #[cfg(windows)]
        if !wine {
            assert!(is_private(&p).unwrap(), "{:?}", acl_of(&p));
        }
        assert_eq!(std::fs::read(&p).unwrap(), b"another");
    }

    /// A file another program holds open: Linux replaces it (the reader keeps the old
    /// one); Windows cannot while it is held without sharing (Word's way), and says to
    /// close it, leaving the old content whole and no temporary behind.
    #[test]
    fn a_file_held_open_by_another_program() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("letter.pdf");
        std::fs::write(&p, b"old").unwrap();
        #[cfg(unix)]
        {
            let held = std::fs::File::open(&p).unwrap();
            write_atomic(&p, b"new").unwrap();
            drop(held);
            assert_eq!(std::fs::read(&p).unwrap(), b"new");
        }
        #[cfg(windows)]
        {
            use std::os::windows::fs::OpenOptionsExt;
            let held = std::fs::OpenOptions::new()
                .read(true)
                .share_mode(0)
                .open(&p)
                .unwrap();
            let e = write_atomic(&p, b"new").unwrap_err();
            assert!(
                e.lines(saraban_model::Lang::Th)[0].contains("เปิดอยู่ในโปรแกรมอื่น"),
                "{e:?}"
            );
            drop(held);
            assert_eq!(std::fs::read(&p).unwrap(), b"old");
            // Closed, it is replaced.
            write_atomic(&p, b"new").unwrap();
            assert_eq!(std::fs::read(&p).unwrap(), b"new");
        }
        let left: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(left.len(), 1, "{left:?}");
    }

    #[test]
    fn writes_whole_files_and_reports_missing_folders() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.pdf");
        write_atomic(&p, b"hello").unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"hello");
        let bad = dir.path().join("no/such/folder/a.pdf");
        let e = write_atomic(&bad, b"x").unwrap_err();
        assert_eq!(e.exit_code(), 3);
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            1,
            "no temporary file left behind"
        );
    }

    #[cfg(unix)]
    #[test]
    fn refuses_links_devices_folders_read_only_and_protected_files() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.pdf");
        std::fs::write(&real, b"keep").unwrap();
        let link = dir.path().join("link.pdf");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        assert!(matches!(
            write_atomic(&link, b"x"),
            Err(Error::Output { .. })
        ));
        assert!(std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
        assert!(matches!(
            write_atomic(Path::new("/dev/null"), b"x"),
            Err(Error::Output { .. })
        ));
        assert!(matches!(
            write_atomic(dir.path(), b"x"),
            Err(Error::Output { .. })
        ));

        std::fs::set_permissions(&real, Permissions::from_mode(0o444)).unwrap();
        let e = write_atomic(&real, b"x").unwrap_err();
        assert_eq!(e.exit_code(), 1);
        assert_eq!(std::fs::read(&real).unwrap(), b"keep");

        let db = dir.path().join("register.sqlite");
        std::fs::write(&db, b"db").unwrap();
        let protected = [db.clone()];
        let hard = dir.path().join("hard");
        std::fs::hard_link(&db, &hard).unwrap();
        let sub = dir.path().join("sub");
        std::fs::create_dir(&sub).unwrap();
        for p in [db.clone(), hard, sub.join("../register.sqlite")] {
            assert!(
                matches!(Output::prepare(&p, &protected), Err(Error::Output { .. })),
                "{p:?} must be refused"
            );
        }
        assert_eq!(std::fs::read(&db).unwrap(), b"db");
    }

    #[cfg(unix)]
    #[test]
    fn keeps_the_mode_uses_unpredictable_names_and_cleans_stale_temporaries() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("book.pdf");
        std::fs::write(&p, b"old").unwrap();
        std::fs::set_permissions(&p, Permissions::from_mode(0o600)).unwrap();
        // A link planted where a predictable temporary would be is never followed.
        let victim = dir.path().join("victim");
        std::fs::write(&victim, b"victim").unwrap();
        let planted = dir
            .path()
            .join(format!(".book.pdf.{}.tmp", std::process::id()));
        std::os::unix::fs::symlink(&victim, &planted).unwrap();
        // A stale temporary from a killed process.
        let stale = dir.path().join(".saraban-killed.tmp");
        std::fs::write(&stale, b"half").unwrap();
        let old = SystemTime::now() - Duration::from_secs(7200);
        std::fs::File::options()
            .write(true)
            .open(&stale)
            .unwrap()
            .set_modified(old)
            .unwrap();
        let out = Output::prepare(&p, &[]).unwrap();
        let tmp_name = out
            .tmp
            .path()
            .file_name()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        assert!(tmp_name.starts_with(TMP_PREFIX) && tmp_name.len() > TMP_PREFIX.len() + 4);
        out.commit(b"new").unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"new");
        assert_eq!(
            std::fs::metadata(&p).unwrap().permissions().mode() & 0o777,
            0o600
        );
        assert_eq!(std::fs::read(&victim).unwrap(), b"victim");
        assert!(!stale.exists(), "the stale temporary is removed");
    }
}
