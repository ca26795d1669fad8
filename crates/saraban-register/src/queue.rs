//! The issue queue (คิวออกเลข) of a register file: clerks issuing into one SQLite register
//! at once take turns in the order they came, each woken the moment the one before is done.
//!
//! Why not SQLite's own waiting: its busy handler sleeps up to 100 ms between tries and
//! lets a newcomer pass a clerk who has waited long; eight clerks issuing at once saw two
//! seconds at the 99th percentile. Why not one lock on a file: the kernel wakes every
//! waiter and the clerk who just finished, still running, takes it again first.
//!
//! How (Linux): a ticket lock in the file `<register>.queue`. Under a short whole-file lock
//! (the doorway) a clerk reads the next ticket from the file's first eight bytes, writes
//! the one after, and locks the byte of its own ticket (an open-file-description lock, so
//! threads and processes alike); then it waits for the byte of the ticket before its own,
//! which its predecessor holds until its issue is done. A clerk whose program ends holds
//! nothing: the kernel drops its locks with its files. Elsewhere (Windows), or where the
//! file system refuses byte locks, the doorway itself is held for the whole turn.

use std::fs::File;
use std::path::Path;

/// A turn in the queue, held while it lives.
pub(crate) struct Turn {
    _file: File,
}

/// Waits for the turn of the register at `db`. `None` when there is no queue to wait in
/// (the file cannot be made or locked): SQLite's own waiting then applies.
pub(crate) fn take(db: &Path) -> Option<Turn> {
    let mut name = db.as_os_str().to_owned();
    name.push(".queue");
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .read(true)
        .write(true)
        .open(std::path::PathBuf::from(name))
        .ok()?;
    file.lock().ok()?;
    #[cfg(target_os = "linux")]
    if let Some(ticket) = tickets::draw(&file) {
        // Out of the doorway; in line behind the ticket before this one.
        let _ = file.unlock();
        tickets::wait_for(&file, ticket);
    }
    Some(Turn { _file: file })
}

#[cfg(target_os = "linux")]
mod tickets {
    use std::fs::File;
    use std::os::fd::AsRawFd;
    use std::os::unix::fs::FileExt;

    /// Where the ticket bytes start (after the counter).
    const FIRST: i64 = 4096;
    /// Tickets wrap here, far beyond any day's issues.
    const WRAP: u64 = 1 << 40;

    fn lock(file: &File, byte: i64, kind: i32, wait: bool) -> bool {
        // SAFETY: a plain struct the kernel reads; zeroed, then the fields set.
        let mut l: libc::flock = unsafe { std::mem::zeroed() };
        l.l_type = kind as libc::c_short;
        l.l_whence = libc::SEEK_SET as libc::c_short;
        l.l_start = byte;
        l.l_len = 1;
        let cmd = if wait {
            libc::F_OFD_SETLKW
        } else {
            libc::F_OFD_SETLK
        };
        loop {
            // SAFETY: a valid descriptor and a pointer to a live flock.
            let r = unsafe { libc::fcntl(file.as_raw_fd(), cmd, &l) };
            if r == 0 {
                return true;
            }
            if std::io::Error::last_os_error().kind() != std::io::ErrorKind::Interrupted {
                return false;
            }
        }
    }

    fn byte(ticket: u64) -> i64 {
        FIRST + (ticket % WRAP) as i64
    }

    /// In the doorway: takes the next ticket and locks its byte. `None` when the counter
    /// cannot be kept or the byte not locked (then the doorway is the turn).
    pub(super) fn draw(file: &File) -> Option<u64> {
        let mut counter = [0u8; 8];
        let n = file.read_at(&mut counter, 0).ok()?;
        let ticket = if n == 8 {
            u64::from_le_bytes(counter)
        } else {
            0
        };
        file.write_all_at(&(ticket.wrapping_add(1)).to_le_bytes(), 0)
            .ok()?;
        lock(file, byte(ticket), libc::F_WRLCK, false).then_some(ticket)
    }

    /// Waits until the clerk with the ticket before `ticket` is done.
    pub(super) fn wait_for(file: &File, ticket: u64) {
        let before = byte(ticket.wrapping_sub(1) % WRAP);
        if before == byte(ticket) {
            return;
        }
        if lock(file, before, libc::F_WRLCK, true) {
            lock(file, before, libc::F_UNLCK, false);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};

    /// Clerks are served in the order they came: each, once in line, is let in only after
    /// everyone who drew a ticket before it, and never two at once.
    #[test]
    fn clerks_take_turns_in_the_order_they_came() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("register.sqlite");
        let first = take(&db).expect("a queue beside the register");
        let order = Arc::new(Mutex::new(Vec::new()));
        let inside = Arc::new(Mutex::new(0));
        let mut clerks = Vec::new();
        for clerk in 0..6 {
            let (db, order, inside) = (db.clone(), order.clone(), inside.clone());
            clerks.push(std::thread::spawn(move || {
                let turn = take(&db).unwrap();
                {
                    let mut n = inside.lock().unwrap();
                    *n += 1;
                    assert_eq!(*n, 1, "two clerks in at once");
                }
                order.lock().unwrap().push(clerk);
                std::thread::sleep(std::time::Duration::from_millis(5));
                *inside.lock().unwrap() -= 1;
                drop(turn);
            }));
            // The next clerk comes once this one is in line.
            std::thread::sleep(std::time::Duration::from_millis(30));
        }
        assert!(order.lock().unwrap().is_empty(), "nobody passed the first");
        drop(first);
        for c in clerks {
            c.join().unwrap();
        }
        let order = order.lock().unwrap().clone();
        #[cfg(target_os = "linux")]
        assert_eq!(order, (0..6).collect::<Vec<_>>(), "served as they came");
        assert_eq!(order.len(), 6);
    }

    #[test]
    fn a_folder_that_cannot_hold_the_queue_means_no_queue() {
        assert!(take(Path::new("/nonexistent-folder/register.sqlite")).is_none());
    }
}
