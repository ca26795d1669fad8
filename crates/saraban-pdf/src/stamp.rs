//! A mark drawn over every page of a PDF already written (the ยกเลิก of a cancelled letter,
//! on the copy a clerk saves or prints): the mark's page, written as any other, becomes a
//! form XObject drawn after each page's own content. The original's objects are kept as
//! they are; the register keeps the original bytes untouched (this makes a new file).

use lopdf::{dictionary, Document, Object, Stream};
use saraban_model::{Error, Result};

fn broken(what: &str, e: impl std::fmt::Display) -> Error {
    Error::Pdf(format!("{what}: {e}"))
}

/// `original` with the first page of `mark` drawn over each of its pages.
pub fn overlay(original: &[u8], mark: &[u8]) -> Result<Vec<u8>> {
    let mut doc = Document::load_mem(original).map_err(|e| broken("the letter's PDF", e))?;
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
    // catalogue too, unreferenced: pruned below).
    for (id, object) in std::mem::take(&mut over.objects) {
        doc.objects.insert(id, object);
    }
    let form = doc.add_object(Stream::new(
        dictionary! {
            "Type" => "XObject",
            "Subtype" => "Form",
            "BBox" => bbox,
            "Resources" => resources,
        },
        content,
    ));
    let pages: Vec<_> = doc.get_pages().values().copied().collect();
    let before = doc.add_object(Stream::new(lopdf::Dictionary::new(), b"q\n".to_vec()));
    let after = doc.add_object(Stream::new(
        lopdf::Dictionary::new(),
        b"\nQ\nq /SarabanMark Do Q\n".to_vec(),
    ));
    for page in pages {
        doc.add_xobject(page, "SarabanMark", form)
            .map_err(|e| broken("the letter's PDF", e))?;
        // The page's own content inside q … Q, so that whatever state it leaves does not
        // move or tint the mark.
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
    }
    doc.prune_objects();
    let mut out = Vec::new();
    doc.save_to(&mut out)
        .map_err(|e| broken("the marked PDF", e))?;
    Ok(out)
}
