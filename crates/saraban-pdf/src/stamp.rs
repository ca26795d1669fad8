//! A mark drawn over a PDF already written: the ยกเลิก of a cancelled letter over every page
//! of the copy a clerk saves or prints ([`overlay`]), and the receipt stamp (ตรารับ) on the
//! first page of a received letter where there is room ([`stamp_at`]), or on a page put in
//! front when there is none ([`stamp_in_front`]). The mark's page, written as any other,
//! becomes a form XObject drawn after the page's own content; the original's objects, its
//! text among them, are kept as they are (the register keeps the original bytes untouched:
//! this makes a new file).

use lopdf::{dictionary, Document, Object, Stream};
use saraban_model::{Error, Result};

fn broken(what: &str, e: impl std::fmt::Display) -> Error {
    Error::Pdf(format!("{what}: {e}"))
}

/// `original` with the first page of `mark` drawn over each of its pages.
pub fn overlay(original: &[u8], mark: &[u8]) -> Result<Vec<u8>> {
    let mut doc = Document::load_mem(original).map_err(|e| broken("the letter's PDF", e))?;
    let form = import_mark(&mut doc, mark)?;
    let pages: Vec<_> = doc.get_pages().values().copied().collect();
    for page in pages {
        draw_over(&mut doc, page, form, b"/SarabanMark Do")?;
    }
    save(doc)
}

/// Where a stamp went.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Placed {
    /// On the first page, its top left corner at (x, y) points from the page's top left.
    OnPage { x: f32, y: f32 },
    /// On a page of its own put in front (no room on the letter).
    InFront,
}

/// `original` with the first page of `mark` (a stamp, sized as it prints) drawn on its
/// first page with its top left corner at (`x`, `y`) points from that page's top left
/// (as the page shows, its crop box). A page turned by `/Rotate` is not stamped in place:
/// the stamp goes on a page in front.
pub fn stamp_at(original: &[u8], mark: &[u8], x: f32, y: f32) -> Result<(Vec<u8>, Placed)> {
    let mut doc = Document::load_mem(original).map_err(|e| broken("the letter's PDF", e))?;
    let first = *doc
        .get_pages()
        .values()
        .next()
        .ok_or_else(|| broken("the letter's PDF", "no page"))?;
    if rotation(&doc, first) != 0 {
        return stamp_in_front(original, mark);
    }
    let [bx0, _, _, by1] = page_box(&doc, first);
    let form = import_mark(&mut doc, mark)?;
    let (mw, mh) = mark_size(mark)?;
    let tx = bx0 + x;
    let ty = by1 - y - mh;
    let _ = mw;
    let op = format!("1 0 0 1 {tx:.3} {ty:.3} cm /SarabanMark Do");
    draw_over(&mut doc, first, form, op.as_bytes())?;
    Ok((save(doc)?, Placed::OnPage { x, y }))
}

/// `original` with a page put in front holding the stamp at its top right (when the
/// letter's first page has no room for it): a page of the first page's size.
pub fn stamp_in_front(original: &[u8], mark: &[u8]) -> Result<(Vec<u8>, Placed)> {
    let mut doc = Document::load_mem(original).map_err(|e| broken("the letter's PDF", e))?;
    let first = *doc
        .get_pages()
        .values()
        .next()
        .ok_or_else(|| broken("the letter's PDF", "no page"))?;
    let [x0, y0, x1, y1] = page_box(&doc, first);
    let form = import_mark(&mut doc, mark)?;
    let (mw, mh) = mark_size(mark)?;
    let margin = 20.0 * 72.0 / 25.4;
    let (pw, ph) = (x1 - x0, y1 - y0);
    let tx = (pw - margin - mw).max(0.0);
    let ty = (ph - margin - mh).max(0.0);
    let content = doc.add_object(Stream::new(
        lopdf::Dictionary::new(),
        format!("q 1 0 0 1 {tx:.3} {ty:.3} cm /SarabanMark Do Q\n").into_bytes(),
    ));
    let root_pages = doc
        .catalog()
        .and_then(|c| c.get(b"Pages"))
        .and_then(Object::as_reference)
        .map_err(|e| broken("the letter's PDF", e))?;
    let page = doc.add_object(dictionary! {
        "Type" => "Page",
        "Parent" => root_pages,
        "MediaBox" => vec![0.into(), 0.into(), Object::Real(pw), Object::Real(ph)],
        "Resources" => dictionary! { "XObject" => dictionary! { "SarabanMark" => form } },
        "Contents" => content,
    });
    let pages = doc
        .get_dictionary_mut(root_pages)
        .map_err(|e| broken("the letter's PDF", e))?;
    let mut kids = pages
        .get(b"Kids")
        .and_then(Object::as_array)
        .cloned()
        .unwrap_or_default();
    kids.insert(0, Object::Reference(page));
    let count = pages.get(b"Count").and_then(Object::as_i64).unwrap_or(0);
    pages.set("Kids", Object::Array(kids));
    pages.set("Count", count + 1);
    Ok((save(doc)?, Placed::InFront))
}

/// The page's /Rotate (inherited), in degrees.
fn rotation(doc: &Document, page: lopdf::ObjectId) -> i64 {
    inherited(doc, page, b"Rotate")
        .and_then(|o| o.as_i64().ok())
        .unwrap_or(0)
        .rem_euclid(360)
}

/// The box the page shows (crop box, else media box; inherited): x0, y0, x1, y1.
fn page_box(doc: &Document, page: lopdf::ObjectId) -> [f32; 4] {
    let b = inherited(doc, page, b"CropBox").or_else(|| inherited(doc, page, b"MediaBox"));
    let nums: Vec<f32> = b
        .and_then(|o| o.as_array().ok().cloned())
        .unwrap_or_default()
        .iter()
        .filter_map(|o| match o {
            Object::Integer(i) => Some(*i as f32),
            Object::Real(r) => Some(*r),
            _ => None,
        })
        .collect();
    if nums.len() == 4 {
        [
            nums[0].min(nums[2]),
            nums[1].min(nums[3]),
            nums[0].max(nums[2]),
            nums[1].max(nums[3]),
        ]
    } else {
        [0.0, 0.0, 595.28, 841.89]
    }
}

fn inherited(doc: &Document, page: lopdf::ObjectId, key: &[u8]) -> Option<Object> {
    let mut id = page;
    for _ in 0..32 {
        let d = doc.get_dictionary(id).ok()?;
        if let Ok(v) = d.get(key) {
            return match v {
                Object::Reference(r) => doc.get_object(*r).ok().cloned(),
                v => Some(v.clone()),
            };
        }
        id = d.get(b"Parent").and_then(Object::as_reference).ok()?;
    }
    None
}

/// The size of the mark's page (points).
fn mark_size(mark: &[u8]) -> Result<(f32, f32)> {
    let over = Document::load_mem(mark).map_err(|e| broken("the mark", e))?;
    let page = *over
        .get_pages()
        .values()
        .next()
        .ok_or_else(|| broken("the mark", "no page"))?;
    let [x0, y0, x1, y1] = page_box(&over, page);
    Ok((x1 - x0, y1 - y0))
}

/// Brings the mark's first page into `doc` as a form XObject. Returns its id.
fn import_mark(doc: &mut Document, mark: &[u8]) -> Result<lopdf::ObjectId> {
    let mut over = Document::load_mem(mark).map_err(|e| broken("the mark", e))?;
    over.renumber_objects_with(doc.max_id + 1);
    let mark_page = *over
        .get_pages()
        .values()
        .next()
        .ok_or_else(|| broken("the mark", "no page"))?;
    let content = over.get_page_content(mark_page);
    let page = over
        .get_dictionary(mark_page)
        .map_err(|e| broken("the mark", e))?
        .clone();
    let resources = match page.get(b"Resources") {
        Ok(Object::Reference(id)) => over.get_object(*id).cloned().unwrap_or(Object::Null),
        Ok(o) => o.clone(),
        Err(_) => Object::Dictionary(lopdf::Dictionary::new()),
    };
    let bbox = page
        .get(b"MediaBox")
        .cloned()
        .unwrap_or_else(|_| vec![0.into(), 0.into(), 595.28.into(), 841.89.into()].into());
    doc.max_id = doc.max_id.max(over.max_id);
    // The mark's fonts and whatever else its page uses come along (its own page tree and
    // catalogue too, unreferenced: pruned when saved).
    for (id, object) in std::mem::take(&mut over.objects) {
        doc.objects.insert(id, object);
    }
    Ok(doc.add_object(Stream::new(
        dictionary! {
            "Type" => "XObject",
            "Subtype" => "Form",
            "BBox" => bbox,
            "Resources" => resources,
        },
        content,
    )))
}

/// Draws the form after the page's own content (which is wrapped in q … Q, so that
/// whatever state it leaves does not move or tint the mark).
fn draw_over(
    doc: &mut Document,
    page: lopdf::ObjectId,
    form: lopdf::ObjectId,
    op: &[u8],
) -> Result<()> {
    let before = doc.add_object(Stream::new(lopdf::Dictionary::new(), b"q\n".to_vec()));
    let mut tail = b"\nQ\nq ".to_vec();
    tail.extend_from_slice(op);
    tail.extend_from_slice(b" Q\n");
    let after = doc.add_object(Stream::new(lopdf::Dictionary::new(), tail));
    doc.add_xobject(page, "SarabanMark", form)
        .map_err(|e| broken("the letter's PDF", e))?;
    let dict = doc
        .get_dictionary_mut(page)
        .map_err(|e| broken("the letter's PDF", e))?;
    let mut contents: Vec<Object> = match dict.get(b"Contents") {
        Ok(Object::Array(a)) => a.clone(),
        Ok(o) => vec![o.clone()],
        Err(_) => Vec::new(),
    };
    contents.insert(0, Object::Reference(before));
    contents.push(Object::Reference(after));
    dict.set("Contents", Object::Array(contents));
    Ok(())
}

fn save(mut doc: Document) -> Result<Vec<u8>> {
    doc.prune_objects();
    let mut out = Vec::new();
    doc.save_to(&mut out)
        .map_err(|e| broken("the marked PDF", e))?;
    Ok(out)
}
