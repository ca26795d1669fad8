//! # Saraban (สารบรรณ): Thai official letters, right to the millimetre
//!
//! Clerks of the Department of Local Administration compose official letters and circulars
//! (หนังสือราชการ, หนังสือเวียน), print them in the official format with the Garuda emblem,
//! issue them into a numbered register and search it. This crate is the core every front
//! end calls (the desktop app and the `saraban` command line).
//!
//! ## The path of a letter
//!
//! 1. [`letter`]: the clerk's letter as data ([`Letter`]), parsed from the interchange JSON
//!    with every problem named by its JSON path.
//! 2. [`thai`]: digits, Buddhist-Era dates and Thai line-break opportunities.
//! 3. [`typeset`]: fonts, harfrust shaping, Thai word breaks and distributed justification,
//!    and one layout per letter kind; the result is pages of positioned items ([`typeset::Frame`]).
//! 4. [`pdf`]: frames to PDF bytes; it never decides where anything goes. Letters are
//!    written whole (printpdf); the register book, thousands of pages, page by page as it
//!    is laid out ([`pdf::stream`], pdf-writer), in memory that does not grow with it.
//! 5. [`service::Office`]: the one API the shells call (render, check, …).
//!
//! Layers only call downwards: `letter` and `thai` know nothing of fonts, `typeset` never
//! writes PDF, `pdf` never lays out.

pub mod error;
pub mod fsutil;
pub mod letter;
pub mod pdf;
pub mod register;
pub mod service;
pub mod thai;
pub mod typeset;

pub use error::{Error, Lang, Result};
pub use letter::Letter;
pub use service::{Office, OfficeSettings};
