//! Thai digits read again, one glyph at a time. Tesseract's Thai model reads the words of
//! a scanned letter well but takes its digits for one another (๐๘๑๐ for ๐๕๑๐, ๒๕๖๘ for
//! ๒๕๒๕): and a number or a date with one digit wrong is a wrong register entry. Official
//! letters are printed in TH Sarabun or its free twin Laksaman, whose ten digits are known
//! shapes: each glyph Tesseract called a Thai digit is cut out of the page and compared
//! with the ten digits of the office's letter font drawn at its size (ab_glyph); the digit
//! it matches best replaces Tesseract's guess.

use ab_glyph::{Font, FontRef, ScaleFont};
use image::{GrayImage, Luma};

/// The ten Thai digits.
const THAI_DIGITS: [char; 10] = ['๐', '๑', '๒', '๓', '๔', '๕', '๖', '๗', '๘', '๙'];

/// The digits of a font, drawn: their ink as boolean bitmaps at a reference height.
pub struct DigitShapes {
    shapes: Vec<(char, Bitmap)>,
}

/// Ink as a grid of booleans.
#[derive(Clone)]
struct Bitmap {
    w: usize,
    h: usize,
    ink: Vec<bool>,
}

impl Bitmap {
    fn at(&self, x: usize, y: usize) -> bool {
        self.ink[y * self.w + x]
    }

    /// The part holding ink.
    fn trimmed(&self) -> Option<Bitmap> {
        let (mut x0, mut y0, mut x1, mut y1) = (usize::MAX, usize::MAX, 0, 0);
        for y in 0..self.h {
            for x in 0..self.w {
                if self.at(x, y) {
                    x0 = x0.min(x);
                    y0 = y0.min(y);
                    x1 = x1.max(x + 1);
                    y1 = y1.max(y + 1);
                }
            }
        }
        if x0 == usize::MAX {
            return None;
        }
        let (w, h) = (x1 - x0, y1 - y0);
        let mut ink = Vec::with_capacity(w * h);
        for y in y0..y1 {
            for x in x0..x1 {
                ink.push(self.at(x, y));
            }
        }
        Some(Bitmap { w, h, ink })
    }
}

impl DigitShapes {
    /// The digits of the font in `data` (TrueType or OpenType); `None` when it has none.
    pub fn new(data: &[u8]) -> Option<DigitShapes> {
        let font = FontRef::try_from_slice(data).ok()?;
        let scaled = font.as_scaled(96.0);
        let mut shapes = Vec::new();
        for c in THAI_DIGITS {
            let id = font.glyph_id(c);
            if id.0 == 0 {
                return None;
            }
            let glyph = id.with_scale_and_position(96.0, ab_glyph::point(0.0, scaled.ascent()));
            let outline = font.outline_glyph(glyph)?;
            let b = outline.px_bounds();
            let (w, h) = (
                b.width().ceil() as usize + 1,
                b.height().ceil() as usize + 1,
            );
            let mut ink = vec![false; w * h];
            outline.draw(|x, y, v| {
                if v > 0.5 {
                    if let Some(p) = ink.get_mut(y as usize * w + x as usize) {
                        *p = true;
                    }
                }
            });
            shapes.push((c, Bitmap { w, h, ink }.trimmed()?));
        }
        Some(DigitShapes { shapes })
    }

    /// The digit a glyph cut from a page looks most like, and how much (-1 to 1): the
    /// correlation of the two inks on a common grid, softened by a pixel so that a stroke
    /// a little off still counts, less for a shape of another width.
    fn classify(&self, glyph: &Bitmap) -> (char, f32) {
        let g = grid(glyph);
        let mut best = ('๐', -2.0f32);
        for (c, shape) in &self.shapes {
            let s = grid(shape);
            let aspect = (glyph.w as f32 / glyph.h as f32) / (shape.w as f32 / shape.h as f32);
            let aspect = aspect.min(1.0 / aspect);
            let score = correlation(&g, &s) * aspect.powf(0.3);
            if score > best.1 {
                best = (*c, score);
            }
        }
        best
    }

    /// Reads again the Thai digits of `text`, whose glyphs are in `rect` (x0, y0, x1, y1
    /// pixels) of `page`: the glyphs are told apart by the columns of paper between them;
    /// when there are as many as the digits of `text`, each is read by its shape; when
    /// Tesseract saw more or fewer (a digit read twice, two read as one), the glyphs are
    /// read as [`Self::read_digits`] reads them. `None` when nothing changes.
    pub fn reread(
        &self,
        page: &GrayImage,
        rect: (u32, u32, u32, u32),
        text: &str,
    ) -> Option<String> {
        let chars: Vec<char> = text.chars().collect();
        let digit = |c: &char| THAI_DIGITS.contains(c);
        if chars.is_empty() || !chars.iter().all(|c| digit(c) || *c == '/') {
            return None;
        }
        let glyphs = self.glyphs(page, rect)?;
        let out: String = if glyphs.len() == chars.len() {
            // Digit for digit; a slash (๐๘๐๔/๕๙๔๓) stays where it is.
            glyphs
                .iter()
                .zip(&chars)
                .map(|(g, c)| if digit(c) { self.classify(g).0 } else { *c })
                .collect()
        } else if chars.iter().all(digit) {
            self.confident(&glyphs)?
        } else {
            return None;
        };
        (out != text).then_some(out)
    }

    /// Reads the glyphs in `rect` of `page` as Thai digits, whatever Tesseract took them
    /// for (`we` for ๘๙): `Some` only when every glyph looks like a digit beyond doubt.
    pub fn read_digits(&self, page: &GrayImage, rect: (u32, u32, u32, u32)) -> Option<String> {
        let glyphs = self.glyphs(page, rect)?;
        self.confident(&glyphs)
    }

    /// Each glyph's digit, when every one is a good match.
    fn confident(&self, glyphs: &[Bitmap]) -> Option<String> {
        if glyphs.is_empty() || glyphs.len() > 8 {
            return None;
        }
        glyphs
            .iter()
            .map(|g| {
                let (c, score) = self.classify(g);
                (score >= SURE).then_some(c)
            })
            .collect()
    }

    /// The glyphs of a box: runs of columns with ink, each trimmed to its ink; specks
    /// narrower than a fifth of the widest left out. Tesseract's box of a Thai unit often
    /// cuts its first or last glyph: the box is widened by a glyph's half and heightened,
    /// and the runs whose middle is inside the box as given are its glyphs.
    fn glyphs(&self, page: &GrayImage, rect: (u32, u32, u32, u32)) -> Option<Vec<Bitmap>> {
        let (bx0, by0, bx1, by1) = rect;
        if bx1 <= bx0 + 1 || by1 <= by0 + 1 {
            return None;
        }
        let bh = by1 - by0;
        let (px, py) = (bh * 2 / 3, bh / 3);
        let (x0, y0) = (bx0.saturating_sub(px), by0.saturating_sub(py));
        let (x1, y1) = ((bx1 + px).min(page.width()), (by1 + py).min(page.height()));
        if x1 <= x0 + 1 || y1 <= y0 + 1 {
            return None;
        }
        let (inner0, inner1) = ((bx0 - x0) as usize, (bx1.min(x1) - x0) as usize);
        let (w, h) = ((x1 - x0) as usize, (y1 - y0) as usize);
        let dark = threshold(page, x0, y0, x1, y1);
        let mut ink = Vec::with_capacity(w * h);
        for y in y0..y1 {
            for x in x0..x1 {
                ink.push(page.get_pixel(x, y).0[0] < dark);
            }
        }
        let crop = without_specks(Bitmap { w, h, ink });
        let mut runs: Vec<(usize, usize)> = Vec::new();
        let mut start = None;
        for x in 0..=w {
            let has = x < w && (0..h).any(|y| crop.at(x, y));
            match (has, start) {
                (true, None) => start = Some(x),
                (false, Some(s)) => {
                    runs.push((s, x));
                    start = None;
                }
                _ => {}
            }
        }
        // Touching glyphs parted first (a digit and the slash after it), then the glyphs
        // the box as given touches at all: its edge may cut well into one.
        let touches =
            |(a, b): &(usize, usize)| (*b).min(inner1).saturating_sub((*a).max(inner0)) >= 3;
        runs.retain(touches);
        let mut runs = split_touching(&crop, runs);
        runs.retain(touches);
        let widest = runs.iter().map(|(a, b)| b - a).max().unwrap_or(0);
        runs.retain(|(a, b)| (b - a) * 5 >= widest);
        runs.into_iter()
            .map(|(a, b)| {
                let mut cols = Vec::with_capacity((b - a) * h);
                for y in 0..h {
                    for x in a..b {
                        cols.push(crop.at(x, y));
                    }
                }
                Bitmap {
                    w: b - a,
                    h,
                    ink: cols,
                }
                .trimmed()
            })
            .collect()
    }
}

/// Runs of columns wider than one digit (two digits touching on a dark scan) split where
/// the fewest pixels are inked, near where each digit should end. A digit is about as wide
/// as the ink's height without the tails of ๕ ๖ ๙ (the median run, when there are many).
fn split_touching(crop: &Bitmap, runs: Vec<(usize, usize)>) -> Vec<(usize, usize)> {
    let mut widths: Vec<usize> = runs.iter().map(|(a, b)| b - a).collect();
    widths.sort_unstable();
    let ink_rows = (0..crop.h)
        .filter(|&y| (0..crop.w).any(|x| crop.at(x, y)))
        .count();
    let one = if widths.len() >= 3 {
        widths[widths.len() / 2]
    } else {
        (ink_rows * 9 / 10).max(1)
    }
    .max(1);
    let mut out = Vec::new();
    for (a, b) in runs {
        let w = b - a;
        if w * 10 < one * 16 {
            out.push((a, b));
            continue;
        }
        let k = ((w as f32 / one as f32).round() as usize).max(2);
        let ink = |x: usize| (0..crop.h).filter(|&y| crop.at(x, y)).count();
        let mut start = a;
        for i in 1..k {
            let aim = a + w * i / k;
            // Two: anywhere in the middle half (a digit and a narrow slash); more: near
            // where each should end.
            let reach = if k == 2 { w / 4 } else { one / 3 };
            let cut = (aim.saturating_sub(reach).max(start + 1)..(aim + reach).min(b - 1))
                .min_by_key(|&x| (ink(x), x.abs_diff(aim)))
                .unwrap_or(aim);
            out.push((start, cut));
            start = cut;
        }
        out.push((start, b));
    }
    out
}

/// The bitmap without the specks of a scan: pieces of ink (8-connected) much smaller than
/// the largest are paper. A speck beside a digit would otherwise stretch the box the digit
/// is scaled from, and a speck between two would join them.
fn without_specks(mut b: Bitmap) -> Bitmap {
    let mut label = vec![0u32; b.w * b.h];
    let mut sizes: Vec<usize> = vec![0];
    for start in 0..b.ink.len() {
        if !b.ink[start] || label[start] != 0 {
            continue;
        }
        let id = sizes.len() as u32;
        let mut stack = vec![start];
        label[start] = id;
        let mut size = 0;
        while let Some(i) = stack.pop() {
            size += 1;
            let (x, y) = ((i % b.w) as i64, (i / b.w) as i64);
            for dy in -1..=1 {
                for dx in -1..=1 {
                    let (nx, ny) = (x + dx, y + dy);
                    if nx < 0 || ny < 0 || nx >= b.w as i64 || ny >= b.h as i64 {
                        continue;
                    }
                    let j = ny as usize * b.w + nx as usize;
                    if b.ink[j] && label[j] == 0 {
                        label[j] = id;
                        stack.push(j);
                    }
                }
            }
        }
        sizes.push(size);
    }
    let largest = sizes.iter().copied().max().unwrap_or(0);
    let least = (largest / 12).max(6);
    for (i, l) in label.iter().enumerate() {
        if *l != 0 && sizes[*l as usize] < least {
            b.ink[i] = false;
        }
    }
    b
}

/// How alike a glyph and a digit must be for a reading Tesseract did not offer.
const SURE: f32 = 0.45;

/// The grid a glyph is compared on.
const GW: usize = 20;
const GH: usize = 28;

/// A bitmap's share of ink in each cell of a GW × GH grid, softened by one cell.
fn grid(b: &Bitmap) -> Vec<f32> {
    let mut g = vec![0f32; GW * GH];
    let mut n = vec![0f32; GW * GH];
    for y in 0..b.h {
        for x in 0..b.w {
            let (gx, gy) = (x * GW / b.w, y * GH / b.h);
            n[gy * GW + gx] += 1.0;
            if b.at(x, y) {
                g[gy * GW + gx] += 1.0;
            }
        }
    }
    for (v, k) in g.iter_mut().zip(&n) {
        *v /= k.max(1.0);
    }
    let mut soft = vec![0f32; GW * GH];
    for y in 0..GH {
        for x in 0..GW {
            let (mut sum, mut k) = (0.0, 0.0);
            for dy in -1i32..=1 {
                for dx in -1i32..=1 {
                    let (xx, yy) = (x as i32 + dx, y as i32 + dy);
                    if xx >= 0 && yy >= 0 && (xx as usize) < GW && (yy as usize) < GH {
                        let w = if dx == 0 && dy == 0 { 2.0 } else { 1.0 };
                        sum += g[yy as usize * GW + xx as usize] * w;
                        k += w;
                    }
                }
            }
            soft[y * GW + x] = sum / k;
        }
    }
    soft
}

fn correlation(a: &[f32], b: &[f32]) -> f32 {
    let n = a.len() as f32;
    let (ma, mb) = (a.iter().sum::<f32>() / n, b.iter().sum::<f32>() / n);
    let (mut ab, mut aa, mut bb) = (0.0, 0.0, 0.0);
    for (x, y) in a.iter().zip(b) {
        let (dx, dy) = (x - ma, y - mb);
        ab += dx * dy;
        aa += dx * dx;
        bb += dy * dy;
    }
    ab / (aa * bb).sqrt().max(1e-6)
}

/// The grey level between ink and paper in a box (half-way between the darkest and the
/// lightest tenth).
fn threshold(page: &GrayImage, x0: u32, y0: u32, x1: u32, y1: u32) -> u8 {
    let mut v: Vec<u8> = Vec::new();
    for y in y0..y1 {
        for x in x0..x1 {
            let Luma([p]) = *page.get_pixel(x, y);
            v.push(p);
        }
    }
    v.sort_unstable();
    let lo = v[v.len() / 20] as u16;
    let hi = v[v.len() * 19 / 20] as u16;
    ((lo + hi) / 2).clamp(40, 200) as u8
}

#[cfg(test)]
mod tests {
    use super::*;

    fn laksaman() -> Option<Vec<u8>> {
        std::fs::read("/usr/share/fonts/truetype/tlwg/Laksaman.ttf").ok()
    }

    /// `text` drawn at 40 pixels on a page 80 high, from x = 10, `gap` pixels between
    /// glyphs (less than none: touching).
    fn drawn(font: &[u8], text: &str, gap: f32) -> GrayImage {
        let f = FontRef::try_from_slice(font).unwrap();
        let mut page = GrayImage::from_pixel(600, 80, Luma([255]));
        let mut x = 10.0;
        for c in text.chars() {
            let g = f
                .glyph_id(c)
                .with_scale_and_position(40.0, ab_glyph::point(x, 50.0));
            let adv = f.as_scaled(40.0).h_advance(f.glyph_id(c));
            if let Some(o) = f.outline_glyph(g) {
                let b = o.px_bounds();
                o.draw(|px, py, v| {
                    let (gx, gy) = (b.min.x as i32 + px as i32, b.min.y as i32 + py as i32);
                    if v > 0.5 && gx >= 0 && gy >= 0 && (gx as u32) < 600 {
                        page.put_pixel(gx as u32, gy as u32, Luma([0]));
                    }
                });
            }
            x += adv + gap;
        }
        page
    }

    /// A letter's number with its slash, two digits touching, a box that cuts the first
    /// digit and a speck: each digit still read by its shape.
    #[test]
    fn a_number_with_its_slash_touching_digits_and_a_short_box_are_read() {
        let Some(font) = laksaman() else {
            panic!("Laksaman is not installed: run bash scripts/setup.sh");
        };
        let shapes = DigitShapes::new(&font).unwrap();
        let mut page = drawn(&font, "๐๘๐๔/๕๙๔๓", 3.0);
        page.put_pixel(5, 20, Luma([0]));
        assert_eq!(
            shapes
                .reread(&page, (18, 10, 330, 70), "๐๕๐๕/๕๕๕๓")
                .as_deref(),
            Some("๐๘๐๔/๕๙๔๓")
        );
        // ๕ and ๖ touching (ink bridging the paper between them), read as one run of
        // columns: parted.
        let mut page = drawn(&font, "๔๕๖๗", 3.0);
        let inked = |p: &GrayImage, x: u32| (0..80).any(|y| p.get_pixel(x, y).0[0] == 0);
        let gaps: Vec<u32> = (11..200)
            .filter(|&x| inked(&page, x - 1) && !inked(&page, x))
            .collect();
        let (from, to) = (gaps[1], (gaps[1]..200).find(|&x| inked(&page, x)).unwrap());
        for x in from..to {
            for y in 44..47 {
                page.put_pixel(x, y, Luma([0]));
            }
        }
        assert_eq!(
            shapes.reread(&page, (10, 10, 200, 70), "๕๕๒").as_deref(),
            Some("๔๕๖๗")
        );
    }

    /// The digits drawn at a scan's size and read back.
    #[test]
    fn each_digit_is_told_from_the_others() {
        let Some(font) = laksaman() else {
            panic!("Laksaman is not installed: run bash scripts/setup.sh");
        };
        let shapes = DigitShapes::new(&font).unwrap();
        let text = "๐๘๑๐๒๕๖๘๔๙";
        let page = drawn(&font, text, 3.0);
        // As Tesseract misread them.
        let misread = "๐๕๑๐๒๕๒๕๕๕";
        assert_eq!(
            shapes.reread(&page, (0, 0, 600, 80), misread).as_deref(),
            Some(text)
        );
        // Not digits: left alone.
        assert_eq!(shapes.reread(&page, (0, 0, 600, 80), "มท"), None);
    }
}
