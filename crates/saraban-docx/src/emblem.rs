//! The Garuda as Word shows it: a PNG at 600 dpi, floating at the PDF's place (centred 15 mm
//! from the top of a letter's first page, 30 mm tall; at the left margin, 15 mm, on a memo).
//!
//! A vector emblem (the office's SVG) is drawn by the preview's painter (`saraban_raster`)
//! from the same paths the PDF fills; a PNG or JPEG is passed on as PNG.

use docx_rs::{Pic, RelativeFromHType, RelativeFromVType};
use saraban_model::error::{Error, Result};
use saraban_model::letter::{Kind, Letter};
use saraban_typeset::layout::{Geometry, EMBLEM_H_MM, EMBLEM_TOP_MM, MEMO_EMBLEM_MM};
use saraban_typeset::Graphic;

use super::emu_mm;

/// Dots per inch of the emblem's picture.
const DPI: f32 = 600.0;

/// The emblem as a floating picture at its place on the first page.
pub(crate) fn picture(g: &Graphic, letter: &Letter, geometry: Geometry) -> Result<Pic> {
    let memo = letter.kind == Kind::Memo;
    let h_mm = if memo { MEMO_EMBLEM_MM } else { EMBLEM_H_MM };
    let w_mm = h_mm * g.aspect();
    let x_mm = if memo {
        geometry.left
    } else {
        geometry.page_w / 2.0 - w_mm / 2.0
    };
    let px_h = (h_mm / 25.4 * DPI).round().max(1.0) as u32;
    let (png, w_px, h_px) = png(g, px_h)?;
    Ok(Pic::new_with_dimensions(png, w_px, h_px)
        .size(emu_mm(w_mm), emu_mm(h_mm))
        .floating()
        .overlapping()
        .relative_from_h(RelativeFromHType::Page)
        .relative_from_v(RelativeFromVType::Page)
        .offset_x(emu_mm(x_mm) as i32)
        .offset_y(emu_mm(EMBLEM_TOP_MM) as i32))
}

fn problem(e: impl std::fmt::Display) -> Error {
    Error::Emblem {
        th: format!("วาดตราครุฑลงไฟล์ Word ไม่ได้ ({e})"),
        en: format!("cannot draw the emblem into the Word file ({e})"),
    }
}

/// The emblem as PNG bytes `height` pixels tall, with its size in pixels.
fn png(g: &Graphic, height: u32) -> Result<(Vec<u8>, u32, u32)> {
    match g {
        Graphic::Raster {
            data,
            width,
            height,
        } => {
            if data.starts_with(b"\x89PNG") {
                return Ok((data.clone(), *width, *height));
            }
            let img = image::load_from_memory(data).map_err(problem)?;
            let mut out = std::io::Cursor::new(Vec::new());
            img.write_to(&mut out, image::ImageFormat::Png)
                .map_err(problem)?;
            Ok((out.into_inner(), *width, *height))
        }
        Graphic::Vector {
            width,
            height: ink_h,
            ..
        } => {
            // Drawn by the preview's painter, from the same paths the PDF fills.
            let scale = height as f32 / ink_h.max(f32::EPSILON);
            let w_px = (width * scale).ceil().max(1.0) as u32;
            let pixmap =
                saraban_raster::graphic_pixmap(g, w_px, height).ok_or_else(|| problem("size"))?;
            let png = pixmap.encode_png().map_err(problem)?;
            Ok((png, w_px, height))
        }
    }
}
