//! The integration tests, one binary: each module is a theme (a file beside this one); they
//! share the helpers in `common` and the throw-away PostgreSQL clusters of `pg`. One binary
//! links the crate once (it was linked once per file, twenty times).

mod common;
#[path = "support/mail.rs"]
mod mail;
#[path = "support/pg.rs"]
mod pg;
#[path = "support/pki.rs"]
mod pki;
#[path = "support/ports.rs"]
mod ports;

mod archive;
mod book;
mod breaking;
mod breakset;
mod cli;
mod copy;
mod docx;
mod endings;
mod engines;
mod first_day;
mod geometry;
mod hostile;
mod incoming;
mod kinds;
mod layers;
mod letter_data;
mod mailbox;
mod numbering;
mod pagination;
mod parts;
mod pg_cli;
mod pg_numbering;
mod powerloss;
mod preview;
mod reading;
mod receive;
mod register;
mod shaping;
mod signatures;
mod symbol_order;
mod text;
