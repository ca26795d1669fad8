//! # saraban-model: the letter as data, and what can go wrong
//!
//! [`Letter`] is the clerk's letter (หนังสือราชการ) as the interchange JSON
//! (`spec/letter.schema.json`) holds it: parsed with every problem named by its JSON path,
//! proofread ([`letter::check`]), its kind's parts in one table ([`letter::Kind::parts`]).
//! [`Error`] is the one error every layer of Saraban returns, each in Thai and English.
//!
//! Why a crate of its own: everything else (the typesetter, the PDF writer, the register,
//! the app) is about a letter, and none of that may leak into it. It depends only on
//! `saraban-thai`; the fuzz targets that parse letters link this and nothing heavier.
//! With the `sqlite` feature (the register turns it on), SQLite's errors become
//! [`Error::Register`] with a message a clerk can act on.

pub mod error;
pub mod letter;
pub mod received;

pub use error::{Error, Lang, Result};
pub use letter::Letter;
