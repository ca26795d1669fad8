//! Throw-away mail servers (Postfix and Dovecot on loopback, TLS from an authority of their
//! own) for the end-to-end test of the app's mailbox: the servers the integration tests
//! start (`tests/support/mail.rs`), as a program the Node.js test runner can start.
//!
//! `mail_servers --serve ADDRESS…` starts them for these addresses, prints one JSON line
//! (`smtp`, `smtps`, `imap`, `imaps`, `ca`, `password`) and then obeys lines on standard
//! input: `stop-smtp`, `start-smtp`, `quit` (or the end of input), answering `ok` to each.
//! Without arguments (as `cargo test` runs it) it starts and stops them once.

#[path = "../tests/support/mail.rs"]
mod mail;
#[path = "../tests/support/ports.rs"]
mod ports;

mod common {
    pub fn missing_tool(what: &str) {
        panic!("{what} is not installed: run bash scripts/setup.sh, which installs it");
    }
}

use std::io::BufRead;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let serve = args.first().is_some_and(|a| a == "--serve");
    let addresses: Vec<&str> = if serve {
        args[1..].iter().map(String::as_str).collect()
    } else {
        vec!["saraban@a.test"]
    };
    let mut s = mail::MailServers::start(&addresses, 35);
    if !serve {
        assert!(std::net::TcpStream::connect(("127.0.0.1", s.imaps)).is_ok());
        assert!(std::net::TcpStream::connect(("127.0.0.1", s.smtp)).is_ok());
        return;
    }
    println!(
        "{{\"smtp\": {}, \"smtps\": {}, \"imap\": {}, \"imaps\": {}, \"ca\": {:?}, \"password\": {:?}}}",
        s.smtp,
        s.smtps,
        s.imap,
        s.imaps,
        s.ca.display().to_string(),
        mail::PASSWORD
    );
    for line in std::io::stdin().lock().lines() {
        let Ok(line) = line else { break };
        match line.trim() {
            "stop-smtp" => s.stop_smtp(),
            "start-smtp" => s.start_smtp(),
            "quit" => break,
            _ => {}
        }
        println!("ok");
    }
}
