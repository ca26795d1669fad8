//! The names a clerk knows the letter's fields by. Problems are found by JSON path
//! (`body[2]`, `owner.phone`): the command line and the interchange format speak that, but a
//! clerk reads "ข้อความ ย่อหน้าที่ ๓" and "โทรศัพท์ของส่วนราชการเจ้าของเรื่อง".

use saraban_thai::to_thai_digits;

/// The Thai name of the field at a JSON path (`subject`, `body[2]`, `enclosures[0].title`),
/// as the form labels it; `None` for the whole letter or a path no form shows.
pub fn field_label(path: &str) -> Option<String> {
    let mut out: Vec<String> = Vec::new();
    let mut parent = "";
    for segment in path.split('.') {
        let (name, index) = match segment.split_once('[') {
            Some((n, rest)) => (n, rest.trim_end_matches(']').parse::<usize>().ok()),
            None => (segment, None),
        };
        let label = label_of(parent, name)?;
        if label.is_empty() && index.is_none() {
            parent = name;
            continue;
        }
        out.push(match index {
            Some(i) => format!(
                "{label} {}ที่ {}",
                item_word(name),
                to_thai_digits(&(i + 1).to_string())
            ),
            None => label.to_string(),
        });
        parent = name;
    }
    (!out.is_empty()).then(|| out.join(" "))
}

fn item_word(name: &str) -> &'static str {
    match name {
        "body" => "ย่อหน้า",
        "address" | "positions" => "บรรทัด",
        _ => "รายการ",
    }
}

fn label_of(parent: &str, name: &str) -> Option<&'static str> {
    Some(match (parent, name) {
        ("", "kind") => "ชนิดหนังสือ",
        ("", "circular") => "หนังสือเวียน",
        ("", "urgency") => "ชั้นความเร็ว",
        ("", "secrecy") => "ชั้นความลับ",
        ("", "number") => "ที่ (เลขที่หนังสือ)",
        ("number", "prefix") => "รหัสหนังสือ",
        ("number", "running") => "เลขทะเบียน",
        ("", "agency") => "ส่วนราชการเจ้าของหนังสือ",
        ("agency", "name") => "ชื่อ",
        ("agency", "address") => "ที่ตั้ง",
        ("", "date") => "วันที่",
        ("", "subject") => "เรื่อง",
        ("", "salutation") => "คำขึ้นต้น",
        ("", "recipient") => "ผู้รับ (เรียน)",
        ("", "distribution") => "บัญชีแจกจ่าย",
        ("distribution", "title") => "ชื่อบัญชี",
        ("distribution", "recipients") => "ผู้รับ",
        ("", "references") => "อ้างถึง",
        ("", "enclosures") => "สิ่งที่ส่งมาด้วย",
        ("enclosures", "title") => "ชื่อ",
        ("enclosures", "quantity") => "จำนวน",
        ("", "body") => "ข้อความ",
        ("body", "text") => "",
        ("body", "style") => "รูปแบบ",
        ("", "closing") => "คำลงท้าย",
        ("", "signer") => "ผู้ลงนาม",
        ("signer", "name") => "ชื่อ",
        ("signer", "positions") => "ตำแหน่ง",
        ("signer", "position") => "ตำแหน่ง",
        ("signer", "acting") => "การรักษาราชการแทน",
        ("signer", "for_position") => "ปฏิบัติราชการแทน",
        ("", "stamp") => "ตราชื่อส่วนราชการ",
        ("stamp", "agency") => "ส่วนราชการ",
        ("", "owner") => "ส่วนราชการเจ้าของเรื่อง",
        ("owner", "department") => "ส่วนราชการ",
        ("owner", "unit") => "กลุ่มงาน",
        ("owner", "phone") => "โทรศัพท์",
        ("owner", "fax") => "โทรสาร",
        ("owner", "email") => "อีเมล",
        ("", "qr") => "QR Code",
        ("qr", "data") => "ข้อมูล",
        ("qr", "caption") => "คำอธิบาย",
        ("", "copies_to") => "สำเนาส่ง",
        ("", "digits") => "รูปแบบตัวเลข",
        ("", "paper") => "ขนาดกระดาษ",
        ("", "initials") => "ผู้ร่าง/พิมพ์/ทาน",
        ("", "reply_to") => "ตอบหนังสือรับ",
        ("initials", "drafter") => "ผู้ร่าง",
        ("initials", "typist") => "ผู้พิมพ์",
        ("initials", "proofreader") => "ผู้ทาน",
        ("initials", "reviewer") => "ผู้ตรวจ",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::field_label;

    #[test]
    fn paths_read_as_the_form_names_them() {
        assert_eq!(field_label("subject").as_deref(), Some("เรื่อง"));
        assert_eq!(field_label("body[0]").as_deref(), Some("ข้อความ ย่อหน้าที่ ๑"));
        assert_eq!(
            field_label("body[2].text").as_deref(),
            Some("ข้อความ ย่อหน้าที่ ๓")
        );
        assert_eq!(
            field_label("enclosures[1].title").as_deref(),
            Some("สิ่งที่ส่งมาด้วย รายการที่ ๒ ชื่อ")
        );
        assert_eq!(
            field_label("owner.phone").as_deref(),
            Some("ส่วนราชการเจ้าของเรื่อง โทรศัพท์")
        );
        assert_eq!(field_label("").as_deref(), None);
        assert_eq!(field_label("format").as_deref(), None);
    }
}
