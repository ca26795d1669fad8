//! Property test of numbering: any interleaving of issues (two letter codes, letters and
//! circulars, orders, historical imports), cancellations and draft work keeps every series
//! gap-free and unique, and the register verifies against its audit trail.

use std::collections::{BTreeMap, BTreeSet};

use proptest::prelude::*;
use saraban::register::{IssueOptions, Register};
use saraban::Letter;

#[derive(Debug, Clone)]
enum Op {
    Issue { code: usize, circular: bool },
    Order,
    Cancel(usize),
    SaveDraft,
    IssueDraft(usize),
    DeleteDraft(usize),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (0..2usize, any::<bool>()).prop_map(|(code, circular)| Op::Issue { code, circular }),
        1 => Just(Op::Order),
        2 => (0..64usize).prop_map(Op::Cancel),
        2 => Just(Op::SaveDraft),
        2 => (0..64usize).prop_map(Op::IssueDraft),
        1 => (0..64usize).prop_map(Op::DeleteDraft),
    ]
}

const CODES: [&str; 2] = ["มท ๐๘๑๐.๒", "มท 0816.3"];

fn letter(code: usize, circular: bool, order: bool) -> Letter {
    let v = if order {
        serde_json::json!({"kind": "order", "agency": {"name": "กรมส่งเสริมการปกครองท้องถิ่น"},
            "subject": "แต่งตั้งคณะทำงาน", "body": ["ข้อ ๑"]})
    } else {
        serde_json::json!({"kind": "external", "circular": circular,
            "number": {"prefix": CODES[code]}, "agency": {"name": "กรมส่งเสริมการปกครองท้องถิ่น"},
            "subject": "ทดสอบ", "recipient": "ผู้ว่าราชการจังหวัด", "body": ["ข้อความ"]})
    };
    Letter::from_json(&v.to_string()).unwrap()
}

/// A stand-in PDF that depends on the letter (the register only stores and hashes it).
fn render(l: &Letter) -> saraban::Result<Vec<u8>> {
    Ok(format!("%PDF-1.7 {}", l.number_text()).into_bytes())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn every_series_stays_gap_free_and_unique(ops in proptest::collection::vec(op(), 1..60)) {
        let mut reg = Register::in_memory().unwrap();
        let mut issued: Vec<i64> = Vec::new();
        let mut drafts: Vec<i64> = Vec::new();
        let opts = IssueOptions::default();
        for op in ops {
            match op {
                Op::Issue { code, circular } => {
                    issued.push(reg.issue(&letter(code, circular, false), &opts, render).unwrap().id);
                }
                Op::Order => issued.push(reg.issue(&letter(0, false, true), &opts, render).unwrap().id),
                Op::Cancel(i) if !issued.is_empty() => {
                    // Cancelling twice is refused; either way the number stays.
                    let _ = reg.cancel(issued[i % issued.len()], "ทดสอบ");
                }
                Op::SaveDraft => drafts.push(reg.save_draft(None, &letter(1, true, false)).unwrap()),
                Op::IssueDraft(i) if !drafts.is_empty() => {
                    let id = drafts.remove(i % drafts.len());
                    let l = reg.open_draft(id).unwrap();
                    let o = IssueOptions { draft: Some(id), ..IssueOptions::default() };
                    issued.push(reg.issue(&l, &o, render).unwrap().id);
                }
                Op::DeleteDraft(i) if !drafts.is_empty() => {
                    let id = drafts.remove(i % drafts.len());
                    reg.delete_draft(id).unwrap();
                }
                _ => {}
            }
        }
        let mut series: BTreeMap<i64, Vec<i64>> = BTreeMap::new();
        {
            let mut stmt = reg
                .connection()
                .prepare("SELECT series_id, running FROM letters WHERE status <> 'draft'")
                .unwrap();
            let rows = stmt
                .query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)))
                .unwrap();
            for row in rows {
                let (s, n) = row.unwrap();
                series.entry(s).or_default().push(n);
            }
        }
        let total: usize = series.values().map(Vec::len).sum();
        prop_assert_eq!(total, issued.len());
        for (key, mut numbers) in series {
            numbers.sort_unstable();
            let unique = numbers.iter().collect::<BTreeSet<_>>().len();
            prop_assert_eq!(unique, numbers.len(), "duplicate in {:?}", key);
            prop_assert_eq!(numbers, (1..=unique as i64).collect::<Vec<_>>(), "gap in {:?}", key);
        }
        let report = reg.verify_audit().unwrap();
        prop_assert!(report.intact(), "{:?}", report.problems);
    }
}
