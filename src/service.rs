//! `Office`: the one API every front end calls.
//!
//! An office has its letter font, its profile (line pitch, colour marks) and its own
//! emblem file. The desktop app keeps one `Office` in its managed state; the CLI makes one
//! per run. Each method is a whole task of the clerk's: render a letter, proofread it.

use std::path::PathBuf;
use std::sync::Arc;

use crate::error::Result;
use crate::letter::check::{check_with, Finding};
use crate::letter::spell::Speller;
use crate::letter::Letter;
use crate::pdf::{PdfOptions, PdfWriter};
use crate::register::{IssueOptions, Issued, Register, REGISTER_COLUMNS};
use crate::typeset::{Document, FontSet, Graphic, LayoutOptions, Profile, Typesetter};

/// What an office is configured with.
#[derive(Debug, Clone, Default)]
pub struct OfficeSettings {
    /// Font files: regular first, then optionally bold. Empty: the bundled Laksaman.
    pub fonts: Vec<PathBuf>,
    /// The office's emblem file (SVG, PNG or JPEG). None: an empty slot of the right size.
    pub emblem: Option<PathBuf>,
    /// Typesetting settings.
    pub profile: Profile,
}

/// One office's letter service.
pub struct Office {
    typesetter: Typesetter,
    writer: PdfWriter,
    speller: std::sync::OnceLock<Option<Speller>>,
    emblem: Option<Arc<Graphic>>,
}

impl Office {
    /// Loads the fonts and the emblem.
    pub fn new(settings: &OfficeSettings) -> Result<Office> {
        let fonts = FontSet::from_files(&settings.fonts)?;
        let emblem = match &settings.emblem {
            Some(p) => Some(Arc::new(Graphic::load(p)?)),
            None => None,
        };
        Ok(Office {
            typesetter: Typesetter::new(fonts, settings.profile.clone()),
            writer: PdfWriter::new(),
            speller: std::sync::OnceLock::new(),
            emblem,
        })
    }

    /// Replaces the emblem (the clerk imported a new file).
    pub fn set_emblem(&mut self, emblem: Option<Graphic>) {
        self.emblem = emblem.map(Arc::new);
        if let Some(g) = &self.emblem {
            self.writer.prepare(g);
        }
    }

    /// The typesetter (for measurements and benchmarks).
    pub fn typesetter(&self) -> &Typesetter {
        &self.typesetter
    }

    /// Forgets set paragraphs, drawn emblems and compressed streams, so that the next
    /// render does all the work again (for cold measurements).
    pub fn clear_caches(&self) {
        self.typesetter.clear_cache();
        self.writer.clear_cache();
    }

    /// Lays out a letter into pages.
    pub fn typeset(&self, letter: &Letter) -> Result<Document> {
        self.typesetter.typeset(letter, self.emblem.clone())
    }

    /// Renders a letter to PDF bytes.
    pub fn render(&self, letter: &Letter) -> Result<Vec<u8>> {
        self.render_with(letter, &LayoutOptions::default())
    }

    /// Renders one kind of copy of a letter: the original, or the file copy (สำเนาคู่ฉบับ)
    /// with the initials of ผู้ร่าง / ผู้พิมพ์ / ผู้ทาน.
    pub fn render_with(&self, letter: &Letter, opts: &LayoutOptions) -> Result<Vec<u8>> {
        let doc = self
            .typesetter
            .typeset_with(letter, self.emblem.clone(), opts)?;
        self.writer.write(&doc, &PdfOptions::default())
    }

    /// Proofreads a letter: what is missing or wrong, most serious first. Spelling is
    /// checked when the Thai dictionary is installed (loaded once, on first use).
    pub fn check(&self, letter: &Letter) -> Vec<Finding> {
        let speller = self.speller.get_or_init(Speller::system);
        check_with(letter, speller.as_ref())
    }

    /// Issues a letter into the register: the next number of its series, the date, the
    /// final PDF rendered by this office, all in one transaction.
    pub fn issue(
        &self,
        register: &mut Register,
        letter: &Letter,
        opts: &IssueOptions,
    ) -> Result<Issued> {
        register.issue(letter, opts, |l| self.render(l))
    }

    /// Issues the draft `id` of the register.
    pub fn issue_draft(
        &self,
        register: &mut Register,
        id: i64,
        opts: &IssueOptions,
    ) -> Result<Issued> {
        let letter = register.open_draft(id)?;
        let opts = IssueOptions {
            draft: Some(id),
            ..opts.clone()
        };
        register.issue(&letter, &opts, |l| self.render(l))
    }

    /// The register of a year printed as the official register form (A4 landscape).
    pub fn book(&self, register: &Register, year_be: i64) -> Result<Vec<u8>> {
        let entries = register.entries(Some(year_be))?;
        let rows: Vec<[String; 8]> = entries.iter().map(crate::register::export::row).collect();
        let heading = format!(
            "ทะเบียนหนังสือส่ง พ.ศ. {}",
            crate::thai::to_thai_digits(&year_be.to_string())
        );
        let doc = crate::typeset::layout::book::book(
            &self.typesetter,
            &heading,
            &REGISTER_COLUMNS,
            &rows,
        );
        self.writer.write(&doc, &PdfOptions::default())
    }
}
