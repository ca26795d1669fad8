use std::path::Path;
use saraban::typeset::Graphic;
use saraban::{Letter, Office, OfficeSettings};

#[inline(never)]
fn measured(office: &Office, letter: &Letter, n: usize) -> usize {
    let mut total = 0;
    for _ in 0..n {
        office.clear_caches();
        total += office.render(letter).unwrap().len();
    }
    total
}

fn main() {
    let mut o = Office::new(&OfficeSettings::default()).unwrap();
    let svg = br#"<svg xmlns="http://www.w3.org/2000/svg" width="100" height="110"><path d="M0 0 H100 V110 H0 Z"/></svg>"#;
    o.set_emblem(Some(Graphic::from_bytes(svg.to_vec(), Path::new("stand-in.svg")).unwrap()));
    let name = std::env::args().nth(1).unwrap_or("jclair-specialists".into());
    let n: usize = std::env::args().nth(2).map(|s| s.parse().unwrap()).unwrap_or(10);
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("tests/fixtures/{name}.json"));
    let letter = Letter::from_json(&std::fs::read_to_string(path).unwrap()).unwrap();
    measured(&o, &letter, 3);
    let t = std::time::Instant::now();
    let r = measured(&o, &letter, n);
    eprintln!("{} bytes, {:?} per render", r / n, t.elapsed() / n as u32);
}
