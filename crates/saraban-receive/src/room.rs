//! Where the receipt stamp goes: empty room at the top right of the first page, found on
//! the page as it prints (rendered by poppler's `pdftoppm`, so text, the emblem, lines and
//! a scan's ink all count), never over the letter's text.

use std::path::Path;

use image::GrayImage;
use saraban_model::error::Result;

use crate::page::Rect;
use crate::tools::{arg, run, LIMIT};

/// How finely the page is looked at (dots per inch).
const DPI_ARG: &str = "36";

/// The first page of a PDF as a small grey image.
fn first_page(pdf: &Path) -> Result<GrayImage> {
    let png = run(
        "pdftoppm",
        &[
            "-q".as_ref(),
            "-r".as_ref(),
            DPI_ARG.as_ref(),
            "-gray".as_ref(),
            "-png".as_ref(),
            "-f".as_ref(),
            "1".as_ref(),
            "-l".as_ref(),
            "1".as_ref(),
            "-singlefile".as_ref(),
            arg(pdf),
        ],
        LIMIT,
    )?;
    Ok(crate::ocr::decode(&png, "page")?.gray)
}

/// The box (points, from the top left) of empty room `w` × `h` points on the first page of
/// the PDF `pdf` (`page_w` × `page_h` points), as near the top right corner as there is,
/// within the top third and the right half and at least `margin` from the edges; also
/// clear of the boxes in `keep_clear` (the words read from the page). None when there is
/// no such room.
pub fn find(
    pdf: &Path,
    page_w: f32,
    page_h: f32,
    w: f32,
    h: f32,
    margin: f32,
    keep_clear: &[Rect],
) -> Result<Option<Rect>> {
    let img = first_page(pdf)?;
    Ok(find_in(&img, page_w, page_h, w, h, margin, keep_clear))
}

/// [`find`] on a page already rendered.
pub fn find_in(
    img: &GrayImage,
    page_w: f32,
    page_h: f32,
    w: f32,
    h: f32,
    margin: f32,
    keep_clear: &[Rect],
) -> Option<Rect> {
    let sx = img.width() as f32 / page_w.max(1.0);
    let sy = img.height() as f32 / page_h.max(1.0);
    // Ink: any pixel clearly darker than paper; a scan's speckle is ignored below by
    // allowing a few dark pixels per box.
    let (iw, ih) = (img.width() as usize, img.height() as usize);
    let mut sum = vec![0u32; (iw + 1) * (ih + 1)];
    for y in 0..ih {
        let mut row = 0u32;
        for x in 0..iw {
            row += u32::from(img.get_pixel(x as u32, y as u32).0[0] < 160);
            sum[(y + 1) * (iw + 1) + x + 1] = sum[y * (iw + 1) + x + 1] + row;
        }
    }
    let ink = |x0: usize, y0: usize, x1: usize, y1: usize| {
        sum[y1 * (iw + 1) + x1] + sum[y0 * (iw + 1) + x0]
            - sum[y0 * (iw + 1) + x1]
            - sum[y1 * (iw + 1) + x0]
    };
    let (bw, bh) = ((w * sx).ceil() as usize, (h * sy).ceil() as usize);
    let (mx, my) = ((margin * sx).ceil() as usize, (margin * sy).ceil() as usize);
    if bw + 2 * mx > iw || bh + 2 * my > ih {
        return None;
    }
    let allowed = ((bw * bh) as f32 * 0.002) as u32;
    let step = 2usize;
    let right = iw - mx - bw;
    let bottom = (ih / 3).max(my + bh).min(ih - my - bh);
    let left = iw / 2;
    let mut y = my;
    while y <= bottom {
        let mut x = right;
        loop {
            if ink(x, y, x + bw, y + bh) <= allowed {
                let rect = Rect {
                    x0: x as f32 / sx,
                    y0: y as f32 / sy,
                    x1: (x + bw) as f32 / sx,
                    y1: (y + bh) as f32 / sy,
                };
                if !keep_clear.iter().any(|r| r.overlaps(&rect)) {
                    return Some(rect);
                }
            }
            if x < left + step {
                break;
            }
            x -= step;
        }
        y += step;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::Luma;

    #[test]
    fn the_room_nearest_the_top_right_corner_is_taken() {
        // An A4 page at 36 dpi with ink at the top right corner.
        let mut img = GrayImage::from_pixel(298, 421, Luma([255]));
        for y in 10..60 {
            for x in 200..290 {
                img.put_pixel(x, y, Luma([0]));
            }
        }
        let r = find_in(&img, 595.0, 842.0, 170.0, 70.0, 14.0, &[]).unwrap();
        assert!(r.y0 >= 60.0 * 2.0 - 1.0, "below the ink: {r:?}");
        assert!(r.x1 <= 595.0 - 14.0 + 1.0);
        // A page full of ink has no room.
        let black = GrayImage::from_pixel(298, 421, Luma([0]));
        assert_eq!(find_in(&black, 595.0, 842.0, 170.0, 70.0, 14.0, &[]), None);
    }
}
