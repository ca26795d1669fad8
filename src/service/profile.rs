//! The office profile (ข้อมูลสำนักงาน): who the office is, how its letters are numbered,
//! who owns and signs them. Filled in once at first run, editable in the settings; kept in
//! the register so that every letter of the office starts from the same facts.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, InputProblem};
use crate::letter::check::HIGH_OFFICES;
use crate::letter::{Agency, Kind, Letter, Number, Owner, Signer};

/// One unit of the office and its letter code (รหัสตัวพยัญชนะและเลขประจำ), e.g.
/// กองพัฒนาและส่งเสริมการบริหารงานท้องถิ่น → มท ๐๘๑๐.๒.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default, deny_unknown_fields)]
pub struct Unit {
    /// ชื่อหน่วยงาน.
    pub name: String,
    /// รหัสหนังสือ, printed after ที่.
    pub prefix: String,
}

/// What the office is: the facts every new letter starts from.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default, deny_unknown_fields)]
pub struct OfficeProfile {
    /// ชื่อส่วนราชการ, e.g. กรมส่งเสริมการปกครองท้องถิ่น.
    pub agency: String,
    /// ที่ตั้ง, one line each.
    pub address: Vec<String>,
    /// The units and their letter codes; the first is the default.
    pub units: Vec<Unit>,
    /// ส่วนราชการเจ้าของเรื่อง blocks (กอง, กลุ่มงาน, โทร., ไปรษณีย์อิเล็กทรอนิกส์); the
    /// first is the default.
    pub owners: Vec<Owner>,
    /// ทำเนียบผู้ลงนาม: signers with their positions and acting forms; the first is the
    /// default.
    pub signers: Vec<Signer>,
}

/// The profile as the settings screen shows it, with the files the office imported.
#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
pub struct OfficeSetup {
    /// The profile.
    pub profile: OfficeProfile,
    /// File name of the imported emblem (ตราครุฑ), if any.
    pub emblem: Option<String>,
    /// File name of the imported letter font; none means the bundled Laksaman.
    pub font: Option<String>,
    /// Whether the first-run profile has been filled in.
    pub configured: bool,
    /// Where the register lives.
    pub register: String,
    /// Why the register could not be opened: the app then runs without one, and the clerk
    /// chooses a register (or tries again) before anything else.
    pub problem: Option<String>,
    /// The official letter fonts installed on this computer (TH SarabunIT๙ in Windows'
    /// fonts folder, say), offered in the settings by name.
    pub installed_fonts: Vec<String>,
}

impl OfficeSetup {
    /// The setup of an app whose register at `register` could not be opened.
    pub fn without_register(register: String, problem: String) -> OfficeSetup {
        OfficeSetup {
            register,
            problem: Some(problem),
            ..OfficeSetup::default()
        }
    }
}

/// The longest text a profile field may hold.
const MAX_PROFILE_FIELD: usize = 300;

impl OfficeProfile {
    /// Whether the first-run form has been completed (the agency is named).
    pub fn is_configured(&self) -> bool {
        !self.agency.trim().is_empty()
    }

    /// Checks the profile, naming every problem by its path (`units[1].prefix`).
    pub fn validate(&self) -> Result<(), Error> {
        let mut problems = Vec::new();
        let mut field = |path: String, text: &str, required: bool| {
            if required && text.trim().is_empty() {
                problems.push(InputProblem::new(
                    path,
                    "ต้องกรอกช่องนี้",
                    "this field is required",
                ));
            } else if text.chars().count() > MAX_PROFILE_FIELD {
                problems.push(InputProblem::new(
                    path,
                    format!("ยาวเกิน {MAX_PROFILE_FIELD} ตัวอักษร"),
                    format!("longer than {MAX_PROFILE_FIELD} characters"),
                ));
            } else if text.chars().any(|c| c.is_control()) {
                problems.push(InputProblem::new(
                    path,
                    "มีอักขระควบคุมที่พิมพ์ไม่ได้",
                    "contains control characters",
                ));
            }
        };
        field("agency".into(), &self.agency, true);
        for (i, a) in self.address.iter().enumerate() {
            field(format!("address[{i}]"), a, false);
        }
        for (i, u) in self.units.iter().enumerate() {
            field(format!("units[{i}].name"), &u.name, false);
            field(format!("units[{i}].prefix"), &u.prefix, true);
        }
        for (i, s) in self.signers.iter().enumerate() {
            field(format!("signers[{i}].name"), &s.name, false);
            for (path, v) in [("position", &s.position), ("for_position", &s.for_position)] {
                if let Some(v) = v {
                    field(format!("signers[{i}].{path}"), v, false);
                }
            }
        }
        for (i, o) in self.owners.iter().enumerate() {
            for (path, v) in [
                ("department", &o.department),
                ("unit", &o.unit),
                ("phone", &o.phone),
                ("fax", &o.fax),
                ("email", &o.email),
            ] {
                if let Some(v) = v {
                    field(format!("owners[{i}].{path}"), v, false);
                }
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(Error::Input(problems))
        }
    }

    /// A new letter of `kind` with the office's defaults: its agency and address, the first
    /// unit's letter code, the first owner block and the first signer; the salutation and
    /// closing are the kind's own until a recipient is chosen.
    pub fn new_letter(&self, kind: Kind) -> Letter {
        let agency = (!self.agency.trim().is_empty()).then(|| Agency {
            name: self.agency.trim().to_string(),
            address: match kind {
                Kind::External | Kind::Stamped => self.address.clone(),
                _ => Vec::new(),
            },
        });
        let number = match kind {
            Kind::Order | Kind::Announcement => None,
            _ => self.units.first().map(|u| Number {
                prefix: Some(u.prefix.trim().to_string()),
                running: None,
            }),
        };
        let signer = match kind {
            Kind::Stamped => None,
            _ => self.signers.first().cloned(),
        };
        let owner = match kind {
            Kind::Order | Kind::Announcement => None,
            _ => self.owners.first().cloned(),
        };
        let mut letter = Letter::from_json(&format!(
            r#"{{"kind": {}, "body": [""]}}"#,
            serde_json::to_string(&kind).unwrap_or_else(|_| "\"external\"".into())
        ))
        .expect("a minimal letter parses");
        letter.agency = agency;
        letter.number = number;
        letter.signer = signer;
        letter.owner = owner;
        if kind == Kind::Stamped {
            letter.stamp = Some(crate::letter::Stamp {
                agency: Some(self.agency.trim().to_string()),
            });
        }
        letter
    }
}

/// The salutation and closing a recipient is addressed with (ภาคผนวก ๒): กราบเรียน and
/// ขอแสดงความนับถืออย่างยิ่ง for the fourteen high offices, เรียน and ขอแสดงความนับถือ for
/// everyone else.
pub fn courtesy_for(recipient: &str) -> (&'static str, &'static str) {
    let r = recipient.trim();
    if HIGH_OFFICES.iter().any(|o| r.starts_with(o)) {
        ("กราบเรียน", "ขอแสดงความนับถืออย่างยิ่ง")
    } else {
        ("เรียน", "ขอแสดงความนับถือ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_letters_take_the_office_defaults() {
        let p = OfficeProfile {
            agency: "กรมส่งเสริมการปกครองท้องถิ่น".into(),
            address: vec!["ถนนนครราชสีมา เขตดุสิต กทม. ๑๐๓๐๐".into()],
            units: vec![Unit {
                name: "กองพัฒนา".into(),
                prefix: " มท ๐๘๑๐.๒ ".into(),
            }],
            owners: vec![Owner {
                department: Some("กองพัฒนา".into()),
                ..Default::default()
            }],
            signers: vec![Signer {
                name: "นายสมชาย ใจดี".into(),
                positions: vec![],
                position: Some("อธิบดี".into()),
                acting: None,
                for_position: None,
            }],
        };
        p.validate().unwrap();
        let l = p.new_letter(Kind::External);
        assert_eq!(l.number_text(), "มท ๐๘๑๐.๒/");
        assert_eq!(l.agency.as_ref().unwrap().address.len(), 1);
        assert_eq!(l.signer.as_ref().unwrap().name, "นายสมชาย ใจดี");
        let order = p.new_letter(Kind::Order);
        assert!(order.number.is_none() && order.owner.is_none());
        assert!(p.new_letter(Kind::Stamped).stamp.is_some());
    }

    #[test]
    fn a_profile_names_its_problems_by_path() {
        let p = OfficeProfile {
            units: vec![Unit {
                name: "x".into(),
                prefix: " ".into(),
            }],
            ..Default::default()
        };
        let Err(Error::Input(problems)) = p.validate() else {
            panic!("an empty agency and prefix are refused")
        };
        let paths: Vec<_> = problems.iter().map(|p| p.path.as_str()).collect();
        assert_eq!(paths, ["agency", "units[0].prefix"]);
    }

    #[test]
    fn high_offices_get_the_high_courtesy() {
        assert_eq!(courtesy_for("นายกรัฐมนตรี").0, "กราบเรียน");
        assert_eq!(courtesy_for("ผู้ว่าราชการจังหวัดทุกจังหวัด").1, "ขอแสดงความนับถือ");
    }
}
