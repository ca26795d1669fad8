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

/// A place in the queue: a ticket drawn, the turn not yet come.
pub(crate) struct Place {
    file: File,
    ticket: Option<u64>,
    /// How many clerks were in line before this one when it came (as far as the queue
    /// knows): they will take the next numbers first, if they issue into the same series.
    pub ahead: u64,
}

/// A turn in the queue, held while it lives; the next clerk's turn comes when it ends.
#[cfg_attr(not(target_os = "linux"), allow(dead_code))]
pub(crate) struct Turn {
    file: File,
    ticket: Option<u64>,
}

#[cfg(target_os = "linux")]
impl Drop for Turn {
    fn drop(&mut self) {
        // Served: the clerks in line learn how many are still ahead of them.
        if let Some(t) = self.ticket {
            tickets::served(&self.file, t);
        }
    }
}

/// Joins the queue of the register at `db`: a ticket, and how many are ahead. `None` when
/// there is no queue to wait in (the file cannot be made or locked): SQLite's own waiting
/// then applies.
pub(crate) fn join(db: &Path) -> Option<Place> {
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .read(true)
        .write(true)
        .open(queue_path(db))
        .ok()?;
    file.lock().ok()?;
    #[cfg(target_os = "linux")]
    if let Some((ticket, ahead)) = tickets::draw(&file) {
        // Out of the doorway, in line.
        let _ = file.unlock();
        return Some(Place {
            file,
            ticket: Some(ticket),
            ahead,
        });
    }
    // No tickets: the doorway is the turn.
    Some(Place {
        file,
        ticket: None,
        ahead: 0,
    })
}

impl Place {
    /// Waits until the clerk before this one is done.
    pub(crate) fn wait(self) -> Turn {
        #[cfg(target_os = "linux")]
        if let Some(t) = self.ticket {
            tickets::wait_for(&self.file, t);
        }
        Turn {
            file: self.file,
            ticket: self.ticket,
        }
    }
}

/// Whether no clerk is in line or in a turn at the register at `db`, as far as the queue
/// knows (every ticket drawn was served). Where there are no tickets (Windows, no queue
/// file), there is no telling: yes.
pub(crate) fn is_idle(db: &Path) -> bool {
    #[cfg(target_os = "linux")]
    if let Ok(file) = File::open(queue_path(db)) {
        return tickets::all_served(&file);
    }
    #[cfg(not(target_os = "linux"))]
    let _ = db;
    true
}

/// The queue's file beside the register at `db`: `<register>.queue`.
fn queue_path(db: &Path) -> std::path::PathBuf {
    let mut name = db.as_os_str().to_owned();
    name.push(".queue");
    std::path::PathBuf::from(name)
}

/// Waits for the turn of the register at `db` (see [`join`]).
#[cfg(test)]
pub(crate) fn take(db: &Path) -> Option<Turn> {
    join(db).map(Place::wait)
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

    /// In the doorway: takes the next ticket and locks its byte; with it, how many
    /// tickets before it are not served yet. `None` when the counter cannot be kept or the
    /// byte not locked (then the doorway is the turn). The file begins with the next
    /// ticket and the next to serve (u64 each, little-endian).
    pub(super) fn draw(file: &File) -> Option<(u64, u64)> {
        let mut head = [0u8; 16];
        let n = file.read_at(&mut head, 0).ok()?;
        let word = |i: usize| u64::from_le_bytes(head[i..i + 8].try_into().expect("8 bytes"));
        let ticket = if n >= 8 { word(0) } else { 0 };
        let serving = if n == 16 { word(8) } else { 0 };
        file.write_all_at(&(ticket.wrapping_add(1)).to_le_bytes(), 0)
            .ok()?;
        // A clerk whose program ended in its turn never said it was served: at most a
        // handful are ever really ahead.
        let ahead = ticket.saturating_sub(serving).min(64);
        lock(file, byte(ticket), libc::F_WRLCK, false).then_some((ticket, ahead))
    }

    /// Whether the next ticket to draw is the next to serve: nobody in line.
    pub(super) fn all_served(file: &File) -> bool {
        let mut head = [0u8; 16];
        match file.read_at(&mut head, 0) {
            Ok(16) => head[..8] == head[8..],
            Ok(n) => n == 0,
            Err(_) => true,
        }
    }

    /// At the end of a turn: the next ticket to serve is the one after it.
    pub(super) fn served(file: &File, ticket: u64) {
        let _ = file.write_all_at(&(ticket.wrapping_add(1)).to_le_bytes(), 8);
    }

    /// Waits until the clerk with the ticket before `ticket` is done.
    pub(super) fn wait_for(file: &File, ticket: u64) {
        let before = byte(ticket.wrapping_sub(1));
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

    /// A clerk knows how many are in line before it, so that it can typeset with the
    /// number it will get while it waits.
    #[cfg(target_os = "linux")]
    #[test]
    fn a_clerk_knows_how_many_are_ahead() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("register.sqlite");
        let first = take(&db).unwrap();
        let second = join(&db).unwrap();
        let third = join(&db).unwrap();
        assert_eq!((second.ahead, third.ahead), (1, 2));
        drop(first);
        let second = second.wait();
        drop(second);
        let third = third.wait();
        let fourth = join(&db).unwrap();
        assert_eq!(fourth.ahead, 1, "the third is in its turn");
        drop(third);
        drop(fourth.wait());
        assert_eq!(join(&db).unwrap().ahead, 0, "everyone served");
    }

    #[test]
    fn a_folder_that_cannot_hold_the_queue_means_no_queue() {
        assert!(take(Path::new("/nonexistent-folder/register.sqlite")).is_none());
    }
}
