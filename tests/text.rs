//! What a user gets back from the PDF: pdftotext gives every field exactly once, with
//! nothing doubled or split; pdffonts lists only embedded subset fonts.

use crate::common;

use std::process::Command;

use saraban::letter::{BodyBlock, Letter};
use saraban::thai::{format_date, localize};

fn pdftotext(pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("a.pdf");
    std::fs::write(&p, pdf).unwrap();
    let out = Command::new("pdftotext")
        .arg(&p)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils, installed by make setup)");
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap()
}

fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Every string the letter prints, after the digits policy.
fn printed(l: &Letter, pages: usize) -> Vec<String> {
    let p = |s: &str| localize(s, l.digits).into_owned();
    let mut v = vec![format!("ที่ {}", p(&l.number_text()))];
    if let Some(a) = &l.agency {
        v.push(p(&a.name));
        v.extend(a.address.iter().map(|s| p(s)));
    }
    if let Some(d) = &l.date {
        v.push(format_date(d, l.digits).joined());
    }
    if let Some(s) = &l.subject {
        v.push(format!("เรื่อง {}", p(s)));
    }
    v.push(format!(
        "{} {}",
        l.salutation_or_default().unwrap(),
        p(l.recipient.as_deref().unwrap_or(""))
    ));
    if !l.enclosures.is_empty() {
        v.push("สิ่งที่ส่งมาด้วย".into());
        for (i, e) in l.enclosures.iter().enumerate() {
            if l.enclosures.len() > 1 {
                v.push(p(&format!("{}.", i + 1)));
            }
            v.push(p(&e.title));
            if let Some(q) = &e.quantity {
                v.push(p(q));
            }
        }
    }
    v.extend(l.body.iter().map(|b: &BodyBlock| p(b.text())));
    if let Some(c) = l.closing_or_default() {
        v.push(c.to_string());
    }
    match &l.signer {
        Some(s) => {
            v.push(format!("({})", p(&s.name)));
            v.extend(s.positions.iter().map(|x| p(x)));
        }
        // The blank name line, filled in by hand.
        None => v.push("( )".into()),
    }
    if let Some(o) = &l.owner {
        v.extend([&o.department, &o.unit].into_iter().flatten().map(|x| p(x)));
        if let Some(ph) = &o.phone {
            v.push(format!("โทร. {}", p(ph)));
        }
        if let Some(e) = &o.email {
            v.push(format!("ไปรษณีย์อิเล็กทรอนิกส์ {e}"));
        }
    }
    for q in &l.qr {
        if let Some(c) = &q.caption {
            v.push(p(c));
        }
    }
    for i in 2..=pages {
        v.push(p(&format!("- {i} -")));
    }
    if let Some(d) = &l.distribution {
        v.push(p(d.title.as_deref().unwrap()));
        for (i, r) in d.recipients.iter().enumerate() {
            v.push(p(&format!("{}.", i + 1)));
            v.push(p(r));
        }
    }
    v
}

#[test]
fn every_field_comes_back_exactly_once() {
    let office = common::office_with_emblem();
    for name in common::EXAMPLES {
        let l = common::letter(name);
        let doc = office.typeset(&l).unwrap();
        let pdf = office.render(&l).unwrap();
        let text = pdftotext(&pdf);
        let got = squash(&text);
        assert!(!text.contains('\u{FFFD}'), "{name}: replacement characters");
        assert!(
            !text.chars().any(|c| ('\u{E000}'..='\u{F8FF}').contains(&c)),
            "{name}: private-use characters"
        );
        assert!(
            !text.contains("\u{0E4D}\u{0E32}"),
            "{name}: ำ came back decomposed"
        );
        let letter_pages = doc.pages.len() - usize::from(l.distribution.is_some());
        let mut expected_len = 0;
        for field in printed(&l, letter_pages) {
            let f = squash(&field);
            expected_len += f.chars().count();
            assert!(
                got.contains(&f),
                "{name}: {field:?} not found in pdftotext output:\n{text}"
            );
        }
        // The distribution heading's second line and the continuation words are extra text.
        let extras: usize = doc
            .pages
            .iter()
            .flat_map(|p| p.texts())
            .filter(|(_, t)| {
                t.text.starts_with('/') || (t.text.contains(" ที่ ") && t.text.contains("ลงวันที่"))
            })
            .map(|(_, t)| squash(&t.text).chars().count())
            .sum();
        assert_eq!(
            got.chars().count(),
            expected_len + extras,
            "{name}: characters doubled or lost:\n{text}"
        );
    }
}

#[test]
fn urls_and_email_keep_arabic_digits_in_the_pdf() {
    let office = common::office_with_emblem();
    let mut l = common::letter("p4g-invitation");
    l.owner.as_mut().unwrap().email = Some("saraban2021@dla.go.th".into());
    let text = pdftotext(&office.render(&l).unwrap());
    assert!(text.contains("https://2021p4g-seoulsummit.kr"), "{text}");
    assert!(text.contains("saraban2021@dla.go.th"));
    assert!(text.contains("๒๐๓๐"), "other digits are Thai");
}

/// Digits that belong to a Latin name or code stay Arabic under `digits: thai`, in the
/// page and in the title: P4G, COVID-19, Project 2021.
#[test]
fn latin_names_keep_their_digits() {
    let office = common::office_with_emblem();
    let mut l = common::letter("jclair-specialists");
    l.subject = Some("การประชุม P4G และ Project 2021 ปี 2564".into());
    let pdf = office.render(&l).unwrap();
    let text = squash(&pdftotext(&pdf));
    for want in ["COVID-19", "Project2021", "P4G", "ปี๒๕๖๔"] {
        assert!(text.contains(want), "{want}: {text}");
    }
    for wrong in ["COVID-๑๙", "P๔G", "Project๒๐๒๑"] {
        assert!(!text.contains(wrong), "{wrong}: {text}");
    }
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("a.pdf");
    std::fs::write(&p, &pdf).unwrap();
    let info = Command::new("pdfinfo").arg(&p).output().unwrap();
    let info = String::from_utf8_lossy(&info.stdout).to_string();
    assert!(
        info.contains("การประชุม P4G และ Project 2021 ปี ๒๕๖๔"),
        "{info}"
    );
    // Only true metadata: no empty PDF/X version that makes readers call it PDF/X.
    assert!(
        !info.contains("PDF/X") && !info.contains("PDF subtype"),
        "{info}"
    );
    assert!(info.contains("Custom Metadata: no"), "{info}");
}

#[test]
fn fonts_are_embedded_subsets() {
    let office = common::office_with_emblem();
    let mut l = common::letter("jclair-specialists");
    l.urgency = Some(saraban::letter::Urgency::Urgent);
    let pdf = office.render(&l).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("a.pdf");
    std::fs::write(&p, &pdf).unwrap();
    let out = Command::new("pdffonts").arg(&p).output().expect("pdffonts");
    let listing = String::from_utf8(out.stdout).unwrap();
    let rows: Vec<&str> = listing.lines().skip(2).collect();
    assert_eq!(rows.len(), 2, "regular and bold:\n{listing}");
    for row in rows {
        let cols: Vec<&str> = row.split_whitespace().collect();
        let name = cols[0];
        assert!(
            name.len() > 7 && name.as_bytes()[6] == b'+',
            "subset tag in {name}"
        );
        assert!(name[..6].chars().all(|c| c.is_ascii_uppercase()));
        let n = cols.len();
        assert_eq!(
            &cols[n - 5..n - 2],
            &["yes", "yes", "yes"],
            "emb sub uni: {row}"
        );
    }
    // Each embedded file holds the tables a TrueType font needs in a PDF, its hinting
    // among them, and no `name` table (readers take the name from the font dictionary).
    let doc = lopdf::Document::load_mem(&pdf).unwrap();
    let mut files = 0;
    for obj in doc.objects.values() {
        let Ok(desc) = obj.as_dict() else { continue };
        let Ok(file) = desc.get(b"FontFile2").and_then(|f| f.as_reference()) else {
            continue;
        };
        let stream = doc.get_object(file).unwrap().as_stream().unwrap();
        let font = stream.decompressed_content().unwrap();
        let count = u16::from_be_bytes([font[4], font[5]]) as usize;
        let tags: Vec<&[u8]> = (0..count)
            .map(|i| &font[12 + 16 * i..16 + 16 * i])
            .collect();
        for need in [
            &b"cmap"[..],
            b"glyf",
            b"head",
            b"hhea",
            b"hmtx",
            b"loca",
            b"maxp",
            b"post",
            b"cvt ",
            b"fpgm",
            b"prep",
        ] {
            assert!(tags.contains(&need), "{}", String::from_utf8_lossy(need));
        }
        assert!(!tags.contains(&&b"name"[..]));
        files += 1;
    }
    assert_eq!(files, 2, "regular and bold");
}

#[test]
fn metadata_has_the_subject_as_title_and_a_real_date() {
    let office = common::office_with_emblem();
    let l = common::letter("jclair-specialists");
    let pdf = office.render(&l).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("a.pdf");
    std::fs::write(&p, &pdf).unwrap();
    let out = Command::new("pdfinfo").arg(&p).output().expect("pdfinfo");
    let info = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(info.contains("โครงการความร่วมมือระหว่างประเทศ"), "{info}");
    assert!(!info.contains("1970"), "creation date is real: {info}");
    let year = chrono::Utc::now().format("%Y").to_string();
    assert!(info.contains(&year), "{info}");
}

/// With the real emblem (only where ../shared is beside the checkout): the ink is 30 mm
/// tall and the one-page letter stays under 60 KB.
#[test]
fn real_emblem_end_to_end_when_present() {
    let real = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/assets/garuda.svg");
    if !real.exists() {
        // The suite passes on a clone without ../shared; CI always has it beside the
        // checkout, and there its absence is a failure, not a skip.
        assert!(
            std::env::var_os("CI").is_none(),
            "../shared/assets/garuda.svg is missing in CI: the real-emblem run cannot be skipped there"
        );
        eprintln!("../shared/assets/garuda.svg not present (not CI): the real-emblem run needs it");
        return;
    }
    let office = saraban::Office::new(&saraban::OfficeSettings {
        emblem: Some(real),
        ..Default::default()
    })
    .unwrap();
    let l = common::letter("jclair-specialists");
    let doc = office.typeset(&l).unwrap();
    let size = doc.pages[0]
        .items
        .iter()
        .find_map(|(_, i)| match i {
            saraban::typeset::Item::Image { size, .. } => Some(*size),
            _ => None,
        })
        .unwrap();
    assert!((saraban::typeset::to_mm(size.h) - 30.0).abs() < 0.01);
    let pdf = office.render(&l).unwrap();
    // 60 KiB for the pages, and the letter's own data embedded beside them
    // (spec/letter-data.md; this letter's JSON deflates to about 2 KB).
    let data = saraban::pdf::attach::letter_data(&pdf).unwrap();
    assert!(data.len() < 8 * 1024);
    assert!(
        pdf.len() <= 63 * 1024,
        "one-page letter with the vector emblem is {} bytes",
        pdf.len()
    );
    assert_eq!(doc.pages.len(), 1);
}

/// The QR code is drawn as vectors; rendered as a clerk's printer would, it decodes to the
/// URL with its Arabic digits.
#[test]
fn qr_code_decodes_from_the_rendered_page() {
    let office = common::office_with_emblem();
    let pdf = office.render(&common::letter("p4g-invitation")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("a.pdf");
    std::fs::write(&p, pdf).unwrap();
    let png = dir.path().join("page");
    let ok = Command::new("pdftoppm")
        .args(["-r", "150", "-png", "-f", "1", "-l", "1"])
        .arg(&p)
        .arg(&png)
        .status()
        .unwrap();
    assert!(ok.success());
    let out = Command::new("zbarimg")
        .args(["--quiet", "--raw"])
        .arg(dir.path().join("page-1.png"))
        .output()
        .expect("zbarimg (Debian zbar-tools, installed by make setup)");
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        "https://2021p4g-seoulsummit.kr"
    );
}

/// Every kind prints its QR codes (stamped letters, memos, orders and announcements dropped
/// them): each decodes back from the rendered pages.
#[test]
fn every_kind_prints_its_qr_codes() {
    let office = common::office_with_emblem();
    let dir = tempfile::tempdir().unwrap();
    for kind in ["stamped", "memo", "order", "announcement", "p4g-invitation"] {
        let mut l = common::letter(kind);
        let url = format!("https://example.go.th/{kind}");
        l.qr = vec![saraban::letter::Qr {
            data: url.clone(),
            caption: Some("แบบตอบรับ".into()),
        }];
        let p = dir.path().join(format!("{kind}.pdf"));
        std::fs::write(&p, office.render(&l).unwrap()).unwrap();
        let prefix = dir.path().join(kind);
        let ok = Command::new("pdftoppm")
            .args(["-r", "150", "-png"])
            .arg(&p)
            .arg(&prefix)
            .status()
            .unwrap();
        assert!(ok.success());
        let pages: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|f| {
                let n = f.file_name().unwrap().to_string_lossy().into_owned();
                n.starts_with(&format!("{kind}-")) && n.ends_with(".png")
            })
            .collect();
        let out = Command::new("zbarimg")
            .args(["--quiet", "--raw"])
            .args(&pages)
            .output()
            .unwrap();
        let found = String::from_utf8_lossy(&out.stdout);
        assert_eq!(found.trim(), url, "{kind}: the QR code on its pages");
    }
}
