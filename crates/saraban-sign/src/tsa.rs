//! A time-stamp from a time-stamp authority (RFC 3161): the proof that the signature
//! existed at a time no clock of the signer's could fake (PAdES B-T; ขมธอ. 33-2566).

use der::asn1::{Int, OctetString};
use der::{Decode, Encode};
use sha2_10::{Digest, Sha256};
use std::time::Duration;

use crate::http::{post, PostError};
use x509_tsp::{MessageImprint, TimeStampReq, TimeStampResp, TspVersion, TstInfo};

use crate::err;
use saraban_model::Result;

fn tsa_err(url: &str, th: &str, en: &str) -> saraban_model::Error {
    err(
        format!("ขอตราเวลาจาก {url} ไม่สำเร็จ: {th}"),
        format!("cannot get a time-stamp from {url}: {en}"),
    )
}

/// A time-stamp token (DER ContentInfo) over `data` (the signature value) from the
/// authority at `url`, checked to be over that data and to answer this request.
pub fn timestamp(url: &str, data: &[u8]) -> Result<Vec<u8>> {
    let hash = Sha256::digest(data).to_vec();
    // Positive, with a first byte that is neither 0 nor ≥ 0x80: its DER is the bytes.
    let nonce_bytes: [u8; 8] = rand_nonce();
    let req = TimeStampReq {
        version: TspVersion::V1,
        message_imprint: MessageImprint {
            hash_algorithm: spki::AlgorithmIdentifier {
                oid: const_oid::db::rfc5912::ID_SHA_256,
                parameters: None,
            },
            hashed_message: OctetString::new(hash.clone()).expect("32 bytes"),
        },
        req_policy: None,
        nonce: Some(Int::new(&nonce_bytes).expect("an integer")),
        cert_req: true,
        extensions: None,
    };
    let body = req
        .to_der()
        .map_err(|e| tsa_err(url, &e.to_string(), &e.to_string()))?;
    let bytes = post(
        url,
        "application/timestamp-query",
        &body,
        Duration::from_secs(20),
    )
    .map_err(|e| match e {
        PostError::Unreachable(e) => tsa_err(
            url,
            &format!("ติดต่อเครื่องบริการไม่ได้ ({e}) ตรวจสอบเครือข่ายและที่อยู่"),
            &format!("the server cannot be reached ({e}); check the network and the address"),
        ),
        PostError::Status(status) => tsa_err(
            url,
            &format!("เครื่องบริการตอบ HTTP {status}"),
            &format!("the server answered HTTP {status}"),
        ),
        PostError::Read(e) => tsa_err(url, &e, &e),
    })?;
    let parsed = TimeStampResp::from_der(&bytes).map_err(|e| {
        tsa_err(
            url,
            &format!("คำตอบไม่ใช่ตราเวลา RFC 3161 ({e})"),
            &format!("the answer is not an RFC 3161 time-stamp ({e})"),
        )
    })?;
    let token = parsed.time_stamp_token.ok_or_else(|| {
        tsa_err(
            url,
            "เครื่องบริการปฏิเสธคำขอ",
            "the authority refused the request",
        )
    })?;
    let info = tst_info(
        &token
            .to_der()
            .map_err(|e| tsa_err(url, &e.to_string(), &e.to_string()))?,
    )
    .map_err(|e| tsa_err(url, &e.to_string(), &e.to_string()))?;
    if info.message_imprint.hashed_message.as_bytes() != hash.as_slice() {
        return Err(tsa_err(
            url,
            "ตราเวลาที่ได้ไม่ได้ประทับลายมือชื่อนี้",
            "the time-stamp returned is not over this signature",
        ));
    }
    if info.nonce.as_ref().map(|n| n.as_bytes()) != Some(&nonce_bytes[..]) {
        return Err(tsa_err(
            url,
            "ตราเวลาที่ได้ไม่ใช่คำตอบของคำขอนี้ (nonce ไม่ตรง)",
            "the time-stamp returned does not answer this request (nonce differs)",
        ));
    }
    token
        .to_der()
        .map_err(|e| tsa_err(url, &e.to_string(), &e.to_string()))
}

fn rand_nonce() -> [u8; 8] {
    use rand_core::RngCore;
    let mut n = [0u8; 8];
    rand_core::OsRng.fill_bytes(&mut n);
    n[0] &= 0x7f;
    n[0] |= 0x01;
    n
}

/// The TSTInfo inside a time-stamp token.
pub fn tst_info(token: &[u8]) -> std::result::Result<TstInfo, der::Error> {
    let sd = crate::cms::parse(token)?;
    let content = sd
        .encap_content_info
        .econtent
        .ok_or(der::Error::from(der::ErrorKind::Failed))?;
    let octets = content.decode_as::<OctetString>()?;
    TstInfo::from_der(octets.as_bytes())
}
