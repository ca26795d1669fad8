//! The register book (สมุดทะเบียนหนังสือส่ง) of a busy year: written page by page, in
//! memory that does not grow with the number of letters, telling its progress, and read
//! back as a clerk would (pdfinfo, pdftotext).

use crate::common;

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::process::Command;

use saraban::letter::{LetterDate, RunningNumber};
use saraban::register::Register;
use saraban::service::BookProgress;
use saraban::Office;

/// The system allocator, keeping per thread the most memory that thread held at once
/// (the other tests of this binary allocate on threads of their own meanwhile).
struct Peak;

thread_local! {
    /// Bytes this thread holds beyond where its measurement started, and the most it did.
    static NOW: Cell<isize> = const { Cell::new(0) };
    static PEAK: Cell<isize> = const { Cell::new(0) };
}

fn count(delta: isize) {
    let _ = NOW.try_with(|now| {
        now.set(now.get() + delta);
        let _ = PEAK.try_with(|peak| peak.set(peak.get().max(now.get())));
    });
}

unsafe impl GlobalAlloc for Peak {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            count(layout.size() as isize);
        }
        p
    }
    unsafe fn dealloc(&self, p: *mut u8, layout: Layout) {
        unsafe { System.dealloc(p, layout) };
        count(-(layout.size() as isize));
    }
}

#[global_allocator]
static ALLOCATOR: Peak = Peak;

/// A register of `n` letters of 2569 (imported, as from an old register, with stand-in
/// PDFs) and an office that prints from it.
fn office_with(n: usize) -> (tempfile::TempDir, Office) {
    let dir = tempfile::tempdir().unwrap();
    let mut reg = Register::create(&dir.path().join("r.sqlite")).unwrap();
    let base = common::letter("p4g-invitation");
    let letters = (0..n).map(|i| {
        let mut l = base.clone();
        l.subject = Some(format!(
            "ขอเชิญประชุมคณะทำงานครั้งที่ {} เรื่องการจัดทำแผนพัฒนาท้องถิ่น",
            i + 1
        ));
        let day = i / 40;
        l.date = Some(LetterDate {
            year: 2026,
            month: 1 + (day / 28) as u32 % 12,
            day: Some(1 + (day % 28) as u32),
        });
        l.number.get_or_insert_with(Default::default).running = RunningNumber::new(i as i64 + 1);
        (l, b"%PDF-1.7\n% stand-in\n".to_vec())
    });
    reg.import(letters.collect::<Vec<_>>()).unwrap();
    let office = Office::with_register(&Default::default(), reg).unwrap();
    (dir, office)
}

/// The most heap the book of `office` took beyond what was held before, and its progress.
fn peak_of_book(office: &Office) -> (usize, Vec<BookProgress>) {
    let mut seen = Vec::new();
    NOW.with(|n| n.set(0));
    PEAK.with(|p| p.set(0));
    office
        .book_stream(2569, std::io::sink(), &mut |p| seen.push(p))
        .unwrap();
    (PEAK.with(|p| p.get()).max(0) as usize, seen)
}

#[test]
fn a_long_book_is_written_in_bounded_memory_with_progress() {
    let (_d1, small) = office_with(300);
    let (_d2, large) = office_with(3_000);
    // Once, so that the fonts' and caches' first use is not counted against either.
    peak_of_book(&small);
    let (peak_small, p_small) = peak_of_book(&small);
    let (peak_large, p_large) = peak_of_book(&large);
    eprintln!(
        "peak heap: {} pages {:.1} MB, {} pages {:.1} MB",
        p_small.last().unwrap().pages,
        peak_small as f64 / 1e6,
        p_large.last().unwrap().pages,
        peak_large as f64 / 1e6
    );
    // Ten times the letters: the pages stream out, so the memory barely grows.
    assert!(
        peak_large < peak_small + peak_small / 2,
        "3 000 letters took {peak_large} bytes at most, 300 took {peak_small}"
    );

    // Progress after every page, rising, ending at every row.
    let last = *p_large.last().unwrap();
    assert_eq!((last.rows, last.total), (3_000, 3_000));
    assert!(last.pages > 100, "{last:?}");
    assert_eq!(p_large.len(), last.pages as usize);
    assert!(p_large
        .windows(2)
        .all(|w| w[0].rows <= w[1].rows && w[0].pages + 1 == w[1].pages));
}

#[test]
fn the_book_on_disk_reads_back_page_by_page() {
    let (dir, office) = office_with(120);
    let out = dir.path().join("book.pdf");
    let mut pages = 0;
    let size = office
        .book_to_with(2569, &out, &mut |p| pages = p.pages)
        .unwrap();
    assert_eq!(size as u64, std::fs::metadata(&out).unwrap().len());
    let info = Command::new("pdfinfo").arg(&out).output().unwrap();
    assert!(
        info.status.success(),
        "{}",
        String::from_utf8_lossy(&info.stderr)
    );
    let info = String::from_utf8(info.stdout).unwrap();
    let count = |info: &str| -> u32 {
        let line = info.lines().find(|l| l.starts_with("Pages:")).unwrap();
        line["Pages:".len()..].trim().parse().unwrap()
    };
    assert_eq!(count(&info), pages, "{info}");
    assert!(
        info.contains("(A4)") && info.contains("841.89 x 595.2"),
        "A4 landscape: {info}"
    );
    // The last page holds the last letter, and every line copies back as stored.
    let last = Command::new("pdftotext")
        .args(["-f", &pages.to_string(), "-l", &pages.to_string()])
        .arg(&out)
        .arg("-")
        .output()
        .unwrap();
    let text = String::from_utf8(last.stdout).unwrap();
    assert!(text.contains("ขอเชิญประชุมคณะทำงานครั้งที่ ๑๒๐"), "{text}");
    assert!(text.contains("ทะเบียนหนังสือส่ง พ.ศ. ๒๕๖๙"), "{text}");
    // An empty year is one page with the headings.
    let empty = dir.path().join("empty.pdf");
    office.book_to(2570, &empty).unwrap();
    let info = Command::new("pdfinfo").arg(&empty).output().unwrap();
    assert_eq!(count(&String::from_utf8_lossy(&info.stdout)), 1);
}
