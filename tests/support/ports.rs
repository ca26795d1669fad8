//! Loopback ports for the throw-away servers of the tests (mail, PostgreSQL, OCSP).
//!
//! Asking the kernel for a free port (binding port 0) and closing it at once is a race: the
//! server starts a moment later, and by then the same port may have gone to another test's
//! server started in parallel, or to an outgoing connection, since port 0 draws from the same
//! ephemeral range (32768–60999 on Linux) that outgoing connections use. CI once saw a TLS
//! client meet a plain SMTP server that way ("wrong version number").
//!
//! So ports come from below the ephemeral range, from one counter per process (never the
//! same port twice in one test binary, even after its server stopped: a test that restarts a
//! server on its port keeps it), starting at an offset drawn from the process id (two test
//! programs at once start far apart), and only ports nothing listens on now.

use std::sync::atomic::{AtomicU32, Ordering};

const FIRST: u32 = 20_000;
const SPAN: u32 = 12_000;

static NEXT: AtomicU32 = AtomicU32::new(u32::MAX);

/// A loopback TCP port nobody listens on now and this process has not handed out before.
pub fn free_port() -> u16 {
    let start = FIRST + (std::process::id().wrapping_mul(2_654_435_761) >> 8) % SPAN;
    let _ = NEXT.compare_exchange(u32::MAX, 0, Ordering::SeqCst, Ordering::SeqCst);
    for _ in 0..SPAN {
        let n = NEXT.fetch_add(1, Ordering::SeqCst);
        let port = (FIRST + (start - FIRST + n) % SPAN) as u16;
        if std::net::TcpListener::bind(("127.0.0.1", port)).is_ok() {
            return port;
        }
    }
    panic!("no free loopback port between {FIRST} and {}", FIRST + SPAN);
}

#[cfg(test)]
mod tests {
    #[test]
    fn never_the_same_port_twice() {
        let mut seen = std::collections::HashSet::new();
        for _ in 0..200 {
            assert!(seen.insert(super::free_port()));
        }
    }
}
