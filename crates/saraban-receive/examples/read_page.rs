//! Prints what the reader sees on a received file: each line's words with their boxes,
//! then the fields read. For looking into a misread letter:
//! `cargo run -p saraban-receive --example read_page -- FILE [FONT]`.

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(path) = args.next() else {
        eprintln!("usage: read_page FILE [FONT]");
        std::process::exit(2);
    };
    let bytes = std::fs::read(&path).expect("read the file");
    let font = args
        .next()
        .map(|f| std::fs::read(f).expect("read the font"));
    let name = std::path::Path::new(&path)
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    if let Ok(out) = std::env::var("PREPARED") {
        let scan = saraban_receive::ocr::decode(&bytes, &name).expect("an image");
        eprintln!(
            "skew {} deg",
            saraban_receive::ocr::skew_degrees(&scan.gray)
        );
        saraban_receive::ocr::prepare(&scan)
            .save(out)
            .expect("write");
    }
    match saraban_receive::read(&bytes, &name, font.as_deref()) {
        Ok(r) => {
            for line in &r.first_page.lines {
                let words: Vec<String> = line
                    .iter()
                    .map(|w| {
                        format!(
                            "{}[{:.0},{:.0},{:.0},{:.0}]",
                            w.text, w.rect.x0, w.rect.y0, w.rect.x1, w.rect.y1
                        )
                    })
                    .collect();
                println!("{}", words.join(" "));
            }
            println!(
                "{}",
                serde_json::to_string_pretty(&r.fields).unwrap_or_default()
            );
        }
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    }
}
