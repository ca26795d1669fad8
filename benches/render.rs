//! Typeset and write each example letter in-process: cold (no paragraph cache, as for the
//! first render) and cached (what the live preview does while a clerk types elsewhere).

use std::path::Path;

use criterion::{criterion_group, criterion_main, Criterion};
use saraban::pdf::{PdfOptions, PdfWriter};
use saraban::typeset::Graphic;
use saraban::{Letter, Office, OfficeSettings};

fn office() -> Office {
    let mut o = Office::new(&OfficeSettings::default()).expect("bundled font: run make setup");
    let real = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/assets/garuda.svg");
    let g = if real.exists() {
        Graphic::load(&real).unwrap()
    } else {
        let svg = br#"<svg xmlns="http://www.w3.org/2000/svg" width="100" height="110"><path d="M0 0 H100 V110 H0 Z"/></svg>"#;
        Graphic::from_bytes(svg.to_vec(), Path::new("stand-in.svg")).unwrap()
    };
    o.set_emblem(Some(g));
    o
}

fn bench(c: &mut Criterion) {
    let office = office();
    for name in [
        "jclair-specialists",
        "green-area-training",
        "p4g-invitation",
    ] {
        let path =
            Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("tests/fixtures/{name}.json"));
        let letter = Letter::from_json(&std::fs::read_to_string(path).unwrap()).unwrap();
        c.bench_function(&format!("render cold/{name}"), |b| {
            b.iter(|| {
                office.clear_caches();
                office.render(&letter).unwrap()
            })
        });
        c.bench_function(&format!("render cached/{name}"), |b| {
            b.iter(|| office.render(&letter).unwrap())
        });
        c.bench_function(&format!("typeset cold/{name}"), |b| {
            b.iter(|| {
                office.typesetter().clear_cache();
                office.typeset(&letter).unwrap()
            })
        });
        // What a keystroke costs the core in the app: the letter laid out again (its
        // paragraphs cached) and every page drawn at the usual zoom (a point a pixel) as a
        // PNG, none known on screen yet.
        c.bench_function(&format!("preview pages/{name}"), |b| {
            b.iter(|| office.preview(&letter, 1.0, &[]).unwrap())
        });
        // The first preview of a letter: nothing laid out, no glyph filled yet.
        c.bench_function(&format!("preview pages cold/{name}"), |b| {
            b.iter(|| {
                office.clear_caches();
                office.preview(&letter, 1.0, &[]).unwrap()
            })
        });
        let doc = office.typeset(&letter).unwrap();
        let writer = PdfWriter::new();
        c.bench_function(&format!("write pdf cold/{name}"), |b| {
            b.iter(|| {
                writer.clear_cache();
                writer.write(&doc, &PdfOptions::default()).unwrap()
            })
        });
        c.bench_function(&format!("write pdf cached/{name}"), |b| {
            b.iter(|| writer.write(&doc, &PdfOptions::default()).unwrap())
        });
    }
    // A long letter, the J.CLAIR body thirty times over: more pages than the writer's cache
    // held streams before, written again as the preview does.
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/jclair-specialists.json");
    let mut long = Letter::from_json(&std::fs::read_to_string(path).unwrap()).unwrap();
    let body = long.body.clone();
    for _ in 0..29 {
        long.body.extend(body.iter().cloned());
    }
    let doc = office.typeset(&long).unwrap();
    let writer = PdfWriter::new();
    c.bench_function(
        &format!("write pdf cached/long ({} pages)", doc.pages.len()),
        |b| b.iter(|| writer.write(&doc, &PdfOptions::default()).unwrap()),
    );
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(50).measurement_time(std::time::Duration::from_secs(3));
    targets = bench
}
criterion_main!(benches);
