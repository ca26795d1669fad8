//! A key on a PKCS #11 token (smart card, USB token, or SoftHSM2 in the tests): the key
//! signs on the token and never leaves it. The token's module is the vendor's library
//! (`.so`, `.dll`) that `cryptoki` loads.

use cryptoki::context::{CInitializeArgs, CInitializeFlags, Pkcs11};
use cryptoki::mechanism::Mechanism;
use cryptoki::object::{Attribute, AttributeType, ObjectClass, ObjectHandle};
use cryptoki::session::{Session, UserType};
use cryptoki::types::AuthPin;
use der::{Decode, Encode};
use std::path::Path;
use x509_cert::Certificate;

use super::{Credentials, Key};
use crate::err;
use saraban_model::Result;

/// A private key on a token, with the session it was found in.
pub(crate) struct TokenKey {
    session: Session,
    handle: ObjectHandle,
    public: Vec<u8>,
    ec: bool,
    // The library stays loaded while its session lives.
    _module: Pkcs11,
}

fn token_err(what: &str, e: impl std::fmt::Display) -> saraban_model::Error {
    err(
        format!("โทเคน PKCS #11: {what} ไม่สำเร็จ ({e}) ตรวจสอบว่าเสียบบัตรหรือโทเคนแล้ว และรหัส PIN ถูกต้อง"),
        format!("PKCS #11 token: {what} failed ({e}); check that the card or token is plugged in and the PIN is right"),
    )
}

impl TokenKey {
    pub(crate) fn algorithm(&self) -> &'static str {
        if self.ec {
            "ECDSA P-256 (PKCS #11)"
        } else {
            "RSA (PKCS #11)"
        }
    }

    pub(crate) fn public_key_der(&self) -> Result<Vec<u8>> {
        Ok(self.public.clone())
    }

    pub(crate) fn is_ec(&self) -> bool {
        self.ec
    }

    /// Signs `data`: RSA PKCS #1 v1.5 over SHA-256 on the token; ECDSA over the SHA-256
    /// hash computed here, the token's r‖s returned as is.
    pub(crate) fn sign(&self, data: &[u8]) -> Result<Vec<u8>> {
        if self.ec {
            use sha2_10::Digest;
            let hash = sha2_10::Sha256::digest(data);
            self.session
                .sign(&Mechanism::Ecdsa, self.handle, &hash)
                .map_err(|e| token_err("sign", e))
        } else {
            self.session
                .sign(&Mechanism::Sha256RsaPkcs, self.handle, data)
                .map_err(|e| token_err("sign", e))
        }
    }
}

impl Credentials {
    /// The first key on the token in `slot` (else the first slot with a token) that has its
    /// certificate there, after logging in with `pin`.
    pub fn from_pkcs11(module: &Path, slot: Option<usize>, pin: &str) -> Result<Credentials> {
        let pkcs11 = Pkcs11::new(module).map_err(|e| {
            err(
                format!("โหลดโมดูล PKCS #11 {} ไม่ได้ ({e}): ระบุไฟล์ไลบรารีของโทเคน (.so หรือ .dll) ที่ผู้ผลิตให้มา", module.display()),
                format!("cannot load the PKCS #11 module {} ({e}): give the token's library (.so or .dll) from its maker", module.display()),
            )
        })?;
        pkcs11
            .initialize(CInitializeArgs::new(CInitializeFlags::OS_LOCKING_OK))
            .map_err(|e| token_err("initialise", e))?;
        let slots = pkcs11
            .get_slots_with_token()
            .map_err(|e| token_err("list the slots", e))?;
        let slot = match slot {
            Some(n) => *slots.get(n).ok_or_else(|| {
                err(
                    format!("ไม่มีช่องที่ {n}: มีโทเคน {} ช่อง (นับจาก 0)", slots.len()),
                    format!(
                        "there is no slot {n}: {} slots hold a token (counting from 0)",
                        slots.len()
                    ),
                )
            })?,
            None => *slots.first().ok_or_else(|| {
                err(
                    "ไม่พบโทเคน: เสียบบัตรหรือโทเคนแล้วลองอีกครั้ง",
                    "no token found: plug in the card or token and try again",
                )
            })?,
        };
        let session = pkcs11
            .open_ro_session(slot)
            .map_err(|e| token_err("open a session", e))?;
        session
            .login(UserType::User, Some(&AuthPin::new(pin.to_string().into())))
            .map_err(|e| token_err("log in", e))?;
        let keys = session
            .find_objects(&[Attribute::Class(ObjectClass::PRIVATE_KEY)])
            .map_err(|e| token_err("find the keys", e))?;
        let mut certs = Vec::new();
        for h in session
            .find_objects(&[Attribute::Class(ObjectClass::CERTIFICATE)])
            .map_err(|e| token_err("find the certificates", e))?
        {
            let attrs = session
                .get_attributes(h, &[AttributeType::Value, AttributeType::Id])
                .map_err(|e| token_err("read a certificate", e))?;
            let mut value = None;
            let mut id = Vec::new();
            for a in attrs {
                match a {
                    Attribute::Value(v) => value = Some(v),
                    Attribute::Id(i) => id = i,
                    _ => {}
                }
            }
            if let Some(cert) = value.and_then(|v| Certificate::from_der(&v).ok()) {
                certs.push((id, cert));
            }
        }
        for key in keys {
            let id = session
                .get_attributes(key, &[AttributeType::Id])
                .map_err(|e| token_err("read a key", e))?
                .into_iter()
                .find_map(|a| match a {
                    Attribute::Id(i) => Some(i),
                    _ => None,
                })
                .unwrap_or_default();
            let Some((_, cert)) = certs.iter().find(|(cid, _)| *cid == id) else {
                continue;
            };
            let spki = &cert.tbs_certificate.subject_public_key_info;
            let ec = spki.algorithm.oid == const_oid::db::rfc5912::ID_EC_PUBLIC_KEY;
            let public = spki
                .to_der()
                .map_err(|e| token_err("read a certificate", e))?;
            let all: Vec<Certificate> = certs.iter().map(|(_, c)| c.clone()).collect();
            let token = TokenKey {
                session,
                handle: key,
                public: public.clone(),
                ec,
                _module: pkcs11,
            };
            return Credentials::assemble(Key::Token(token), &public, all);
        }
        Err(err(
            "ไม่พบกุญแจที่มีใบรับรองคู่กันบนโทเคน",
            "no key on the token has its certificate beside it",
        ))
    }
}
