//! QR codes drawn as vector rectangles, one per horizontal run of dark modules.

use super::frame::{Color, Shape};
use saraban_model::error::{Error, Result};

/// Modules of quiet zone around the code (the standard asks for 4).
const QUIET: usize = 4;

/// The QR code of `data` as filled rectangles in a square of `side` points, quiet zone
/// included, at error-correction level M.
pub fn qr_shape(data: &str, side: f32) -> Result<Shape> {
    qr_shape_at(data, side, qrcode::EcLevel::M)
}

/// As [`qr_shape`], at error-correction level `ec`.
pub fn qr_shape_at(data: &str, side: f32, ec: qrcode::EcLevel) -> Result<Shape> {
    let code = qrcode::QrCode::with_error_correction_level(data.as_bytes(), ec).map_err(|e| {
        Error::input(
            "qr",
            format!("สร้าง QR code ไม่ได้ ({e}): ข้อมูลอาจยาวเกินไป"),
            format!("cannot make the QR code ({e}): the data may be too long"),
        )
    })?;
    let w = code.width();
    let colors = code.to_colors();
    let module = side / (w + 2 * QUIET) as f32;
    let mut rects = Vec::new();
    for y in 0..w {
        let mut x = 0;
        while x < w {
            if colors[y * w + x] == qrcode::Color::Dark {
                let start = x;
                while x < w && colors[y * w + x] == qrcode::Color::Dark {
                    x += 1;
                }
                rects.push((
                    (start + QUIET) as f32 * module,
                    (y + QUIET) as f32 * module,
                    (x - start) as f32 * module,
                    module,
                ));
            } else {
                x += 1;
            }
        }
    }
    Ok(Shape {
        rects,
        color: Color::BLACK,
    })
}
