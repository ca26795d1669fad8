//! A drawn page as PNG.

use tiny_skia::Pixmap;

use super::DrawError;

/// The pixmap (opaque: the paper is white) as an RGB PNG, compressed fast: the preview
/// wants it now, not small.
pub fn encode_rgb(pixmap: &Pixmap) -> Result<Vec<u8>, DrawError> {
    let mut rgb = Vec::with_capacity(pixmap.width() as usize * pixmap.height() as usize * 3);
    for c in pixmap.data().chunks_exact(4) {
        rgb.extend_from_slice(&c[..3]);
    }
    let mut out = Vec::new();
    let mut enc = png::Encoder::new(&mut out, pixmap.width(), pixmap.height());
    enc.set_color(png::ColorType::Rgb);
    enc.set_depth(png::BitDepth::Eight);
    enc.set_compression(png::Compression::Fast);
    let mut w = enc
        .write_header()
        .map_err(|e| DrawError::Encode(e.to_string()))?;
    w.write_image_data(&rgb)
        .map_err(|e| DrawError::Encode(e.to_string()))?;
    w.finish().map_err(|e| DrawError::Encode(e.to_string()))?;
    Ok(out)
}
