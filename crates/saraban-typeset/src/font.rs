//! Fonts: loading, the size factor that makes any Sarabun-like font look like TH Sarabun,
//! and the glyph-to-text map used for copy and search in the PDF.
//!
//! The official look is TH Sarabun at 16 pt. Debian's Laksaman is TH Sarabun New scaled by
//! 1.503, so "16 pt" has to be set at ≈10.64 pt in it. Rather than hard-code that, every font
//! gets a *size factor* measured from its own glyphs: the advance of ก relative to TH Sarabun
//! New's 0.386 em. A TH Sarabun file the clerk chooses gets a factor of 1.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use harfrust::{Direction, Feature, Language, Script, ShapePlan, Tag};

use crate::emblem::PathSeg;
use saraban_model::error::{Error, Result};

/// Advance of ก in TH Sarabun New, in em: the yardstick of the size factor.
const SARABUN_KO_ADVANCE: f32 = 0.386;

/// Where set-up installs the bundled font (Debian `fonts-tlwg-laksaman-ttf`).
pub const BUNDLED_FONT_DIRS: &[&str] = &[
    "/usr/share/fonts/truetype/tlwg",
    "/usr/local/share/fonts/tlwg",
];

/// Where the bundled letter font is looked for, in order: `$SARABAN_FONT_DIR`; the `fonts`
/// folder beside the program (where the Windows installer puts it, `%LOCALAPPDATA%\Programs\
/// Saraban\fonts`); then where Debian's package installs it.
pub fn bundled_font_dirs() -> Vec<PathBuf> {
    let mut dirs = Vec::new();
    if let Some(d) = std::env::var_os("SARABAN_FONT_DIR") {
        dirs.push(PathBuf::from(d));
    }
    if let Some(exe_dir) = std::env::current_exe()
        .ok()
        .and_then(|p| p.parent().map(Path::to_path_buf))
    {
        dirs.push(exe_dir.join("fonts"));
    }
    dirs.extend(BUNDLED_FONT_DIRS.iter().map(PathBuf::from));
    dirs
}

/// The official letter fonts installed on this computer (TH SarabunIT๙, TH Sarabun New,
/// TH SarabunPSK), to offer in the office profile: on Windows in the system's and the
/// user's fonts folders (`%WINDIR%\Fonts`, `%LOCALAPPDATA%\Microsoft\Windows\Fonts`);
/// elsewhere in the usual font folders. `$SARABAN_SYSTEM_FONT_DIRS` (a path list) replaces
/// the folders. Regular faces only: the bold is found beside each when it is imported.
/// Returns each one's name (its file's, e.g. `THSarabunIT๙`) and path, sorted by name.
pub fn installed_letter_fonts() -> Vec<(String, PathBuf)> {
    let dirs: Vec<PathBuf> = match std::env::var_os("SARABAN_SYSTEM_FONT_DIRS") {
        Some(v) => std::env::split_paths(&v).collect(),
        None => system_font_dirs(),
    };
    let mut found = Vec::new();
    for dir in dirs {
        collect_letter_fonts(&dir, 3, &mut found);
    }
    found.sort();
    found.dedup_by(|a, b| a.0 == b.0);
    found
}

fn system_font_dirs() -> Vec<PathBuf> {
    let mut dirs = Vec::new();
    if cfg!(windows) {
        if let Some(w) = std::env::var_os("WINDIR").or_else(|| std::env::var_os("SystemRoot")) {
            dirs.push(PathBuf::from(w).join("Fonts"));
        }
        if let Some(l) = std::env::var_os("LOCALAPPDATA") {
            dirs.push(
                PathBuf::from(l)
                    .join("Microsoft")
                    .join("Windows")
                    .join("Fonts"),
            );
        }
    } else {
        dirs.extend(["/usr/share/fonts", "/usr/local/share/fonts"].map(PathBuf::from));
        if let Some(h) = std::env::var_os("HOME") {
            dirs.push(PathBuf::from(&h).join(".local/share/fonts"));
            dirs.push(PathBuf::from(h).join(".fonts"));
        }
    }
    dirs
}

fn collect_letter_fonts(dir: &Path, depth: u32, out: &mut Vec<(String, PathBuf)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let path = e.path();
        if path.is_dir() {
            if depth > 0 {
                collect_letter_fonts(&path, depth - 1, out);
            }
            continue;
        }
        let ext = path
            .extension()
            .map(|x| x.to_string_lossy().to_lowercase())
            .unwrap_or_default();
        if ext != "ttf" && ext != "otf" {
            continue;
        }
        let stem = path
            .file_stem()
            .map(|x| x.to_string_lossy().into_owned())
            .unwrap_or_default();
        let key: String = stem
            .to_lowercase()
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-' && *c != '_')
            .collect();
        let styled = ["bold", "italic", "bolditalic"]
            .iter()
            .any(|s| key.ends_with(s));
        if key.starts_with("thsarabun") && !styled {
            out.push((stem, path));
        }
    }
}

/// Which face of the family a run of text uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FontStyle {
    /// Body text.
    Regular,
    /// Headings and marks.
    Bold,
}

/// One loaded font file, ready for shaping.
pub struct FontFace {
    /// The PostScript name, e.g. `Laksaman`.
    pub name: String,
    /// Where it came from.
    pub path: PathBuf,
    /// The file's bytes.
    pub data: Arc<Vec<u8>>,
    pub(crate) hb: harfrust::Font,
    /// Design units per em.
    pub units_per_em: u16,
    /// hhea ascender in font units: the part of the line box above the baseline.
    pub ascender: i16,
    /// hhea descender in font units (negative).
    pub descender: i16,
    /// Multiply a TH Sarabun point size by this to get this font's point size.
    pub size_factor: f32,
    /// Glyph id → the character it draws, from the cmap without private-use code points.
    gid_text: HashMap<u16, char>,
    /// Advance widths in font units, by glyph id.
    advances: Vec<u16>,
    pub(crate) plan_thai: ShapePlan,
    pub(crate) plan_latin: ShapePlan,
    pub(crate) lang_th: Language,
    pub(crate) lang_en: Language,
}

impl std::fmt::Debug for FontFace {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FontFace")
            .field("name", &self.name)
            .field("path", &self.path)
            .field("size_factor", &self.size_factor)
            .finish()
    }
}

fn font_error(path: &Path, th: &str, en: &str) -> Error {
    Error::Font {
        th: format!("ฟอนต์ {}: {th}", path.display()),
        en: format!("font {}: {en}", path.display()),
    }
}

impl FontFace {
    /// Loads a TrueType/OpenType file.
    pub fn load(path: &Path) -> Result<FontFace> {
        let data = std::fs::read(path).map_err(|e| {
            if e.kind() == std::io::ErrorKind::NotFound {
                font_error(
                    path,
                    "ไม่พบไฟล์ (ตรวจชื่อไฟล์ หรือเลือกฟอนต์ใหม่ในการตั้งค่า)",
                    "file not found (check the name, or choose another font in the settings)",
                )
            } else {
                font_error(
                    path,
                    &format!("อ่านไม่ได้ ({e})"),
                    &format!("cannot be read ({e})"),
                )
            }
        })?;
        FontFace::from_bytes(data, path)
    }

    /// Reads a font from bytes; `path` is only used in messages.
    pub fn from_bytes(data: Vec<u8>, path: &Path) -> Result<FontFace> {
        // The parsers must not panic on a damaged file; should one, it is that file's fault.
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| FontFace::parse(data, path)))
            .unwrap_or_else(|_| {
                Err(font_error(
                    path,
                    "ไฟล์ฟอนต์เสียหาย อ่านไม่ได้",
                    "the font file is damaged and cannot be read",
                ))
            })
    }

    fn parse(data: Vec<u8>, path: &Path) -> Result<FontFace> {
        let bad = || {
            font_error(
                path,
                "ไม่ใช่ไฟล์ฟอนต์ TrueType/OpenType ที่ใช้ได้ (ไฟล์อาจเสียหาย)",
                "is not a usable TrueType/OpenType font (the file may be damaged)",
            )
        };
        let face = ttf_parser::Face::parse(&data, 0).map_err(|_| bad())?;
        let units_per_em = face.units_per_em();
        let name = face
            .names()
            .into_iter()
            .filter(|n| n.name_id == ttf_parser::name_id::POST_SCRIPT_NAME)
            .find_map(|n| n.to_string())
            .unwrap_or_else(|| {
                path.file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_else(|| "Font".into())
            });
        let ko = face
            .glyph_index('ก')
            .ok_or_else(|| font_error(path, "ไม่มีอักษรไทย", "has no Thai characters"))?;
        let ko_adv = face.glyph_hor_advance(ko).unwrap_or(0) as f32 / units_per_em as f32;
        let size_factor = if ko_adv > 0.0 {
            SARABUN_KO_ADVANCE / ko_adv
        } else {
            1.0
        };
        let mut gid_text = HashMap::new();
        if let Some(cmap) = face.tables().cmap {
            for sub in cmap.subtables.into_iter().filter(|s| s.is_unicode()) {
                sub.codepoints(|cp| {
                    // TLWG fonts map the legacy Thai PUA (U+F700–F71A) to their positional
                    // variants; those must not become the text of the glyph.
                    if (0xE000..=0xF8FF).contains(&cp) {
                        return;
                    }
                    if let (Some(c), Some(g)) = (char::from_u32(cp), sub.glyph_index(cp)) {
                        gid_text
                            .entry(g.0)
                            .and_modify(|old: &mut char| {
                                if (c as u32) < (*old as u32) {
                                    *old = c
                                }
                            })
                            .or_insert(c);
                    }
                });
            }
        }
        let n = face.number_of_glyphs();
        let advances = (0..n)
            .map(|g| face.glyph_hor_advance(ttf_parser::GlyphId(g)).unwrap_or(0))
            .collect();
        let ascender = face.ascender();
        let descender = face.descender();
        let hb = harfrust::Font::new(data.clone(), 0).ok_or_else(bad)?;
        let lang_th = Language::new("th").ok_or_else(bad)?;
        let lang_en = Language::new("en").ok_or_else(bad)?;
        // Kerning off, to match Word, which does not kern unless asked.
        let features = [Feature::new(Tag::new(b"kern"), 0, ..)];
        let plan_thai = ShapePlan::new(
            &hb,
            Direction::LeftToRight,
            Some(Script::THAI),
            Some(&lang_th),
            &features,
        );
        let plan_latin = ShapePlan::new(
            &hb,
            Direction::LeftToRight,
            Some(Script::LATIN),
            Some(&lang_en),
            &features,
        );
        Ok(FontFace {
            name,
            path: path.to_path_buf(),
            data: Arc::new(data),
            hb,
            units_per_em,
            ascender,
            descender,
            size_factor,
            gid_text,
            advances,
            plan_thai,
            plan_latin,
            lang_th,
            lang_en,
        })
    }

    /// The character a glyph draws, if the cmap says so (private-use code points skipped).
    pub fn glyph_char(&self, gid: u16) -> Option<char> {
        self.gid_text.get(&gid).copied()
    }

    /// The outline of a glyph in font units (y up), cubic curves only: how the PDF writer
    /// draws a glyph that must not be copied as text (see `pdf`). Empty for a glyph with
    /// no outline.
    pub fn outline(&self, gid: u16) -> Vec<PathSeg> {
        struct Pen {
            segs: Vec<PathSeg>,
            at: (f32, f32),
        }
        impl ttf_parser::OutlineBuilder for Pen {
            fn move_to(&mut self, x: f32, y: f32) {
                self.segs.push(PathSeg::MoveTo(x, y));
                self.at = (x, y);
            }
            fn line_to(&mut self, x: f32, y: f32) {
                self.segs.push(PathSeg::LineTo(x, y));
                self.at = (x, y);
            }
            fn quad_to(&mut self, x1: f32, y1: f32, x: f32, y: f32) {
                // A quadratic curve is the cubic with controls 2/3 of the way to its control.
                let (x0, y0) = self.at;
                self.segs.push(PathSeg::CubicTo(
                    x0 + 2.0 / 3.0 * (x1 - x0),
                    y0 + 2.0 / 3.0 * (y1 - y0),
                    x + 2.0 / 3.0 * (x1 - x),
                    y + 2.0 / 3.0 * (y1 - y),
                    x,
                    y,
                ));
                self.at = (x, y);
            }
            fn curve_to(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, x: f32, y: f32) {
                self.segs.push(PathSeg::CubicTo(x1, y1, x2, y2, x, y));
                self.at = (x, y);
            }
            fn close(&mut self) {
                self.segs.push(PathSeg::Close);
            }
        }
        let mut pen = Pen {
            segs: Vec::new(),
            at: (0.0, 0.0),
        };
        if let Ok(face) = ttf_parser::Face::parse(&self.data, 0) {
            face.outline_glyph(ttf_parser::GlyphId(gid), &mut pen);
        }
        pen.segs
    }

    /// Advance of a glyph in font units.
    pub fn advance(&self, gid: u16) -> u16 {
        self.advances.get(gid as usize).copied().unwrap_or(0)
    }

    /// The point size at which this font looks like TH Sarabun at `sarabun_pt`.
    pub fn size_for(&self, sarabun_pt: f32) -> f32 {
        sarabun_pt * self.size_factor
    }

    /// Font units to points at `size` pt.
    pub fn units(&self, v: i32, size: f32) -> f32 {
        v as f32 * size / self.units_per_em as f32
    }
}

/// The regular and bold faces of the letter font.
#[derive(Debug, Clone)]
pub struct FontSet {
    /// Body text.
    pub regular: Arc<FontFace>,
    /// Bold text; the regular face when no bold file was found.
    pub bold: Arc<FontFace>,
}

impl FontSet {
    /// The face for a style.
    pub fn face(&self, style: FontStyle) -> &Arc<FontFace> {
        match style {
            FontStyle::Regular => &self.regular,
            FontStyle::Bold => &self.bold,
        }
    }

    /// Loads the given files: the first is the regular face, a second one the bold face;
    /// with only one, the bold face is looked up beside it (`X-Bold.ttf`, `X Bold.ttf` …).
    pub fn from_files(files: &[PathBuf]) -> Result<FontSet> {
        let Some(first) = files.first() else {
            return FontSet::bundled();
        };
        let regular = Arc::new(FontFace::load(first)?);
        let bold = match files.get(1) {
            Some(b) => Arc::new(FontFace::load(b)?),
            None => match bold_beside(first) {
                Some(b) => FontFace::load(&b)
                    .map(Arc::new)
                    .unwrap_or_else(|_| regular.clone()),
                None => regular.clone(),
            },
        };
        Ok(FontSet { regular, bold })
    }

    /// The bundled Laksaman installed at set-up, or whatever fontconfig finds for it.
    pub fn bundled() -> Result<FontSet> {
        for dir in bundled_font_dirs() {
            let p = dir.join("Laksaman.ttf");
            if p.exists() {
                return FontSet::from_files(&[p]);
            }
        }
        // Last resort: ask fontconfig (slower: it starts a process).
        if let Ok(out) = std::process::Command::new("fc-match")
            .args(["-f", "%{file}", "Laksaman:lang=th"])
            .output()
        {
            let p = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim().to_string());
            if out.status.success()
                && p.exists()
                && FontFace::load(&p)
                    .map(|f| f.glyph_char(0).is_none())
                    .unwrap_or(false)
            {
                return FontSet::from_files(&[p]);
            }
        }
        Err(Error::Font {
            th: "ไม่พบฟอนต์ Laksaman (TH Sarabun) กรุณาติดตั้งด้วย `make setup` (แพ็กเกจ fonts-tlwg-laksaman-ttf) หรือระบุฟอนต์ด้วย --font".into(),
            en: "the Laksaman (TH Sarabun) font is not installed: run `make setup` (package fonts-tlwg-laksaman-ttf) or give a font with --font".into(),
        })
    }
}

/// Looks for the bold face next to a regular font file.
fn bold_beside(regular: &Path) -> Option<PathBuf> {
    let dir = regular.parent()?;
    let stem = regular.file_stem()?.to_string_lossy();
    let ext = regular
        .extension()
        .map(|e| e.to_string_lossy().into_owned())
        .unwrap_or_else(|| "ttf".into());
    let base = stem
        .trim_end_matches("-Regular")
        .trim_end_matches(" Regular")
        .trim_end_matches("Regular");
    for cand in [
        format!("{base}-Bold.{ext}"),
        format!("{base} Bold.{ext}"),
        format!("{base}Bold.{ext}"),
        format!("{base}-bold.{ext}"),
        format!("{base}_Bold.{ext}"),
    ] {
        let p = dir.join(cand);
        if p.exists() {
            return Some(p);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Held by the tests that set `SARABAN_FONT_DIR` or read which fonts are bundled: the
    /// environment is the process's, and the tests run on threads of one process.
    static FONT_ENV: std::sync::Mutex<()> = std::sync::Mutex::new(());

    #[test]
    fn laksaman_factor_matches_th_sarabun_16pt() {
        let _env = FONT_ENV.lock().unwrap_or_else(|e| e.into_inner());
        let Ok(fonts) = FontSet::bundled() else {
            return;
        };
        let size = fonts.regular.size_for(16.0);
        assert!(
            (size - 10.64).abs() < 0.03,
            "16 pt TH Sarabun = {size} pt Laksaman"
        );
        assert_ne!(
            fonts.bold.path, fonts.regular.path,
            "bold face found beside the regular one"
        );
    }

    /// Windows has no /usr/share/fonts: the installer puts the font in `fonts` beside the
    /// program, and SARABAN_FONT_DIR points anywhere (the Windows tests under Wine use it).
    #[test]
    fn the_font_is_found_beside_the_program_or_where_saraban_font_dir_says() {
        let _env = FONT_ENV.lock().unwrap_or_else(|e| e.into_inner());
        let dirs = bundled_font_dirs();
        let exe = std::env::current_exe().unwrap();
        assert!(
            dirs.contains(&exe.parent().unwrap().join("fonts")),
            "{dirs:?}"
        );
        let Ok(found) = FontSet::bundled() else {
            return;
        };
        let dir = std::env::temp_dir().join(format!("saraban-font-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::copy(&found.regular.path, dir.join("Laksaman.ttf")).unwrap();
        std::env::set_var("SARABAN_FONT_DIR", &dir);
        let again = FontSet::bundled();
        std::env::remove_var("SARABAN_FONT_DIR");
        let _ = std::fs::remove_dir_all(&dir);
        assert_eq!(again.unwrap().regular.path, dir.join("Laksaman.ttf"));
    }

    /// TH SarabunIT๙ installed in Windows' fonts folder (or any) is found and offered;
    /// its bold and other fonts are not.
    #[test]
    fn installed_official_fonts_are_found() {
        let dir = std::env::temp_dir().join(format!("saraban-sysfonts-{}", std::process::id()));
        let sub = dir.join("thai");
        std::fs::create_dir_all(&sub).unwrap();
        for name in [
            "THSarabunIT๙.ttf",
            "THSarabunIT๙ Bold.ttf",
            "THSarabunNew.TTF",
            "arial.ttf",
            "THSarabunPSK.txt",
        ] {
            std::fs::write(sub.join(name), b"x").unwrap();
        }
        let mut found = Vec::new();
        collect_letter_fonts(&dir, 3, &mut found);
        found.sort();
        let names: Vec<&str> = found.iter().map(|(n, _)| n.as_str()).collect();
        let _ = std::fs::remove_dir_all(&dir);
        assert_eq!(names, ["THSarabunIT๙", "THSarabunNew"]);
    }

    #[test]
    fn missing_and_corrupt_fonts_are_clear_errors() {
        let e = FontFace::load(Path::new("/nonexistent/font.ttf")).unwrap_err();
        assert_eq!(e.exit_code(), 3);
        assert!(e.lines(saraban_model::Lang::Th)[0].contains("ไม่พบไฟล์"));
        let e = FontFace::from_bytes(b"not a font".to_vec(), Path::new("x.ttf")).unwrap_err();
        assert!(e.lines(saraban_model::Lang::En)[0].contains("not a usable"));
    }
}
