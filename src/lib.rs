//! # Saraban (สารบรรณ): Thai official letters, right to the millimetre
//!
//! Clerks of the Department of Local Administration compose official letters and circulars
//! (หนังสือราชการ, หนังสือเวียน), print them in the official format with the Garuda emblem,
//! issue them into a numbered register and search it. This crate is the office's one API
//! ([`Office`]) that every front end calls (the desktop app and the `saraban` command line),
//! over a crate per stage:
//!
//! 1. [`thai`] (`saraban-thai`): digits, Buddhist-Era dates and Thai line-break
//!    opportunities. Knows nothing of letters.
//! 2. [`letter`] and [`error`] (`saraban-model`): the clerk's letter as data ([`Letter`]),
//!    parsed from the interchange JSON with every problem named by its JSON path, and
//!    proofread; the one [`Error`] of every layer, in Thai and English.
//! 3. [`typeset`] (`saraban-typeset`): fonts, harfrust shaping, Thai word breaks and
//!    distributed justification, one layout per letter kind; the result is pages of
//!    positioned items ([`typeset::Frame`]).
//! 4. [`pdf`] (`saraban-pdf`): frames to PDF bytes; it never decides where anything goes.
//! 5. [`register`] (`saraban-register`): drafts, numbers, issued letters, search, the audit
//!    trail, on SQLite or PostgreSQL (the `postgres` feature). It never typesets: whoever
//!    issues hands it a function that renders the final PDF.
//! 6. [`service::Office`] (this crate): the office's settings and the register it works
//!    on, and the one API the shells call (render, check, issue, search, …).
//!
//! Layers only call downwards, and the compiler holds them to it: each crate depends only
//! on the ones below it (docs/ARCHITECTURE.md draws the arrows).

pub use saraban_docx as docx;
pub use saraban_model::{error, letter, received};
pub use saraban_pdf as pdf;
pub use saraban_raster as raster;
pub use saraban_register as register;
pub use saraban_register::fsutil;
pub use saraban_sign as sign;
pub use saraban_thai as thai;
pub use saraban_typeset as typeset;

pub mod service;

pub use error::{Error, Lang, Result};
pub use letter::Letter;
pub use service::{Office, OfficeSettings, Preview, PreviewPage};
