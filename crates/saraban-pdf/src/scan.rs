//! A PDF of a scanned or photographed page (one grey image filling its page at the
//! image's resolution), so that a letter received as an image has a PDF to stamp and to
//! keep beside the original file.

use lopdf::{dictionary, Document, Object, Stream};

use saraban_model::error::{Error, Result};

/// The size in points of a page `w` × `h` pixels at `dpi`.
pub fn page_size(w: u32, h: u32, dpi: f32) -> (f32, f32) {
    let dpi = dpi.max(1.0);
    (w as f32 / dpi * 72.0, h as f32 / dpi * 72.0)
}

/// One page holding the grey image `gray` at `dpi`.
pub fn image_pdf(gray: &image::GrayImage, dpi: f32) -> Result<Vec<u8>> {
    let (pw, ph) = page_size(gray.width(), gray.height(), dpi);
    let mut doc = Document::with_version("1.7");
    let pages = doc.new_object_id();
    let mut img = Stream::new(
        dictionary! {
            "Type" => "XObject",
            "Subtype" => "Image",
            "Width" => i64::from(gray.width()),
            "Height" => i64::from(gray.height()),
            "ColorSpace" => "DeviceGray",
            "BitsPerComponent" => 8,
        },
        gray.as_raw().clone(),
    );
    let _ = img.compress();
    let img = doc.add_object(img);
    let content = format!("q {pw:.3} 0 0 {ph:.3} 0 0 cm /Scan Do Q\n");
    let content = doc.add_object(Stream::new(dictionary! {}, content.into_bytes()));
    let page = doc.add_object(dictionary! {
        "Type" => "Page",
        "Parent" => pages,
        "MediaBox" => vec![0.into(), 0.into(), Object::Real(pw), Object::Real(ph)],
        "Resources" => dictionary! { "XObject" => dictionary! { "Scan" => img } },
        "Contents" => content,
    });
    doc.objects.insert(
        pages,
        Object::Dictionary(dictionary! {
            "Type" => "Pages", "Kids" => vec![page.into()], "Count" => 1,
        }),
    );
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages });
    doc.trailer.set("Root", catalog);
    let mut out = Vec::new();
    doc.save_to(&mut out)
        .map_err(|e| Error::Pdf(format!("cannot write the PDF of the image: {e}")))?;
    Ok(out)
}
