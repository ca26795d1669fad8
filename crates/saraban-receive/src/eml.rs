//! An e-mail (`.eml`) that brings letters: each PDF attached is a letter to receive
//! (mail-parser reads the MIME structure, the encodings and the Thai file names).

use mail_parser::MimeHeaders;
use saraban_model::error::{Error, Result};

/// A file attached to an e-mail.
#[derive(Debug, Clone, PartialEq)]
pub struct Attachment {
    /// Its file name (as the sender named it).
    pub name: String,
    /// Its bytes.
    pub bytes: Vec<u8>,
}

/// The PDF files attached to an e-mail, in order; an e-mail with none is refused.
pub fn letters(eml: &[u8], name: &str) -> Result<Vec<Attachment>> {
    let message = mail_parser::MessageParser::default()
        .parse(eml)
        .ok_or_else(|| {
            Error::input(
                "file",
                format!("อ่านอีเมล {name} ไม่ได้ (ไม่ใช่ไฟล์อีเมลที่ถูกต้อง)"),
                format!("the e-mail {name} cannot be read (it is not a valid e-mail file)"),
            )
        })?;
    let mut out = Vec::new();
    for (i, part) in message.attachments().enumerate() {
        let bytes = part.contents().to_vec();
        let file = part
            .attachment_name()
            .map(str::to_string)
            .unwrap_or_else(|| format!("attachment-{}.pdf", i + 1));
        if crate::file_type(&bytes, &file) == Some(crate::FileType::Pdf) {
            out.push(Attachment { name: file, bytes });
        }
    }
    if out.is_empty() {
        let subject = message.subject().unwrap_or("").to_string();
        return Err(Error::input(
            "file",
            format!("อีเมล {name} (เรื่อง {subject}) ไม่มีไฟล์ PDF แนบมา จึงไม่มีหนังสือให้รับ"),
            format!(
                "the e-mail {name} ({subject}) has no PDF attached: there is no letter to receive"
            ),
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mail(attachment: Option<(&str, &[u8])>) -> Vec<u8> {
        let mut m = String::from(
            "From: saraban@dla.go.th\r\nTo: saraban@example.go.th\r\nSubject: =?UTF-8?B?4Lir4LiZ4Lix4LiH4Liq4Li34Lit?=\r\nMIME-Version: 1.0\r\n",
        );
        match attachment {
            None => m.push_str("Content-Type: text/plain; charset=utf-8\r\n\r\nhello\r\n"),
            Some((name, bytes)) => {
                use std::fmt::Write;
                m.push_str("Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nsee attached\r\n--b\r\n");
                let _ = write!(
                    m,
                    "Content-Type: application/pdf\r\nContent-Disposition: attachment; filename*=UTF-8''{}\r\nContent-Transfer-Encoding: base64\r\n\r\n{}\r\n--b--\r\n",
                    name,
                    base64(bytes)
                );
            }
        }
        m.into_bytes()
    }

    fn base64(b: &[u8]) -> String {
        const T: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let mut out = String::new();
        for c in b.chunks(3) {
            let n = (u32::from(c[0]) << 16)
                | (u32::from(*c.get(1).unwrap_or(&0)) << 8)
                | u32::from(*c.get(2).unwrap_or(&0));
            for i in 0..4 {
                if i <= c.len() {
                    out.push(T[(n >> (18 - 6 * i) & 63) as usize] as char);
                } else {
                    out.push('=');
                }
            }
        }
        out
    }

    #[test]
    fn the_pdf_attached_is_the_letter() {
        let eml = mail(Some((
            "%E0%B8%AB%E0%B8%99%E0%B8%B1%E0%B8%87%E0%B8%AA%E0%B8%B7%E0%B8%AD.pdf",
            b"%PDF-1.7 test",
        )));
        let got = letters(&eml, "in.eml").unwrap();
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].name, "หนังสือ.pdf");
        assert_eq!(got[0].bytes, b"%PDF-1.7 test");
    }

    #[test]
    fn an_email_without_a_pdf_is_said_so() {
        let err = letters(&mail(None), "in.eml").unwrap_err();
        let th = err.lines(saraban_model::Lang::Th).join(" ");
        assert!(th.contains("ไม่มีไฟล์ PDF แนบมา"), "{th}");
        assert!(th.contains("หนังสือ"), "{th}");
    }
}
