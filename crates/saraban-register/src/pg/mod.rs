//! The register on a PostgreSQL server (ทะเบียนกลางของสำนักงาน): one numbered register
//! for every clerk of an office, each at their own computer.
//!
//! - **Numbers** come from a counter row per series taken with `UPDATE … RETURNING` in the
//!   issuing transaction (READ COMMITTED: the row lock makes clerks of one series take
//!   turns, and a rolled-back issue gives its number back; sequences would leave gaps).
//!   `UNIQUE (series_id, year_be, running)` is the last line of defence.
//! - **The audit chain** is appended under the lock of its one head row, taken last, so
//!   the chain stays one line however many clerks issue at once. Its anchor is a file on
//!   each clerk's computer (`anchors/<register id>.anchor` in the user's data folder): a
//!   chain rewritten on the server no longer matches what the clerks' machines saw.
//! - **When the server is away** every command says so in one line; a read waits a few
//!   seconds for it, an issue up to [`ISSUE_PATIENCE`] and never guesses a number (a lost
//!   `COMMIT` is settled by the issue's token); a draft that cannot be saved is kept in a
//!   file on this computer and sent to the server on the next connection.
//! - **Credentials** come from the URL, `PGPASSWORD` or `~/.pgpass` (`PGPASSFILE`); they
//!   are handed to the client library and never shown: see [`Location::shown`].

mod incoming;
mod local;
mod ops;
mod post;
mod schema;
mod signed;
mod tls;
mod trigram;

use std::cell::{Cell, RefCell, RefMut};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use postgres::{Client, Config};
use sha2::{Digest, Sha256};

use super::{current_user, Access};
use saraban_model::error::Error;
use saraban_model::letter::Letter;

use local::Local;

/// How long an issue waits for a server that went away (restarting, network) before it
/// gives up, never having guessed a number.
pub const ISSUE_PATIENCE: Duration = Duration::from_secs(90);

/// How long anything else waits for the server to come back.
const READ_PATIENCE: Duration = Duration::from_secs(5);

/// After the server was found away, how long commands say so at once instead of trying
/// again (the app reads several settings as it starts; each try may take the connect
/// timeout).
const AWAY_PAUSE: Duration = Duration::from_secs(3);

/// A register on a PostgreSQL server.
///
/// Its client blocks on the PostgreSQL library's own small runtime: call it, and drop it,
/// on an ordinary thread, never inside an async task (the app runs every office call on
/// a blocking thread of its own; the CLI has no async runtime at all).
pub struct PgRegister {
    /// What this computer keeps of the register (anchor, copies, drafts waiting).
    local: Local,
    config: Config,
    tls: postgres_native_tls::MakeTlsConnector,
    shown: String,
    client: RefCell<Option<Client>>,
    user: String,
    read_only: bool,
    /// The register's own random id (chosen when it was created): names its anchor file
    /// and its folder of drafts waiting for the server.
    register_id: String,
    /// This connection created the register's schema.
    created: bool,
    /// The schema and the register's id were checked on the server (a register opened
    /// while the server was away is checked on its first connection).
    checked: Cell<bool>,
    /// When the server was last found away (then reads try once instead of waiting).
    away_since: Cell<Option<Instant>>,
    /// Drafts that waited are being sent (a reconnection meanwhile does not start again).
    sending: Cell<bool>,
    /// New drafts kept on this computer (their provisional, negative ids) that went up to
    /// the server since, with their server ids.
    sent: RefCell<std::collections::HashMap<i64, i64>>,
    /// What `saraban init` should tell about the roles (see [`schema::roles`]).
    note: RefCell<Option<(String, String)>>,
    /// Whether the register has the block-keyed search index, once asked
    /// ([`schema::has_blocks`]).
    blocks: Cell<Option<bool>>,
}

/// A provisional id for a new draft kept on this computer while the server is away:
/// negative, so that it is never a server's id, and the same for the draft's later saves
/// (which then go to the one server draft it became). Microseconds since 1970 are unique
/// on one computer (one app per register) and exact in JavaScript's numbers.
pub(crate) fn provisional_id() -> i64 {
    let micros = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default()
        .as_micros() as i64;
    -micros.max(1)
}

/// The longest a statement waits for a lock another clerk holds.
pub const LOCK_WAIT: Duration = Duration::from_secs(15);
/// The longest a session may sit inside a transaction doing nothing before the server ends
/// it (a suspended laptop, a killed app).
pub const IDLE_IN_TRANSACTION: Duration = Duration::from_secs(30);

/// What `saraban init` says when the connected role owns the register's tables: a clerk
/// working as the owner could switch the guards off, so clerks get their own roles in the
/// group [`schema::CLERK_ROLE`].
fn roles_note(user: &str, owner: bool, group: bool) -> Option<(String, String)> {
    let role = schema::CLERK_ROLE;
    match (owner, group) {
        (false, _) => None,
        (true, true) => Some((
            format!("ผู้ใช้ {user} เป็นเจ้าของตารางทะเบียน ใช้ผู้ใช้นี้เฉพาะการติดตั้งและปรับรุ่น ให้เสมียนเชื่อมต่อด้วยผู้ใช้ของตนในกลุ่ม {role} (ให้สิทธิ์แล้ว): CREATE ROLE ชื่อเสมียน LOGIN PASSWORD '…' IN ROLE {role};"),
            format!("the role {user} owns the register's tables: use it only to set up and upgrade; clerks connect as their own roles in the group {role} (granted): CREATE ROLE clerk_name LOGIN PASSWORD '…' IN ROLE {role};"),
        )),
        (true, false) => Some((
            format!("ผู้ใช้ {user} เป็นเจ้าของตารางทะเบียน และยังไม่มีกลุ่ม {role}: เสมียนที่ใช้ผู้ใช้เจ้าของปิดการป้องกันของทะเบียนได้ ให้ผู้ดูแลเซิร์ฟเวอร์สร้างกลุ่มและผู้ใช้ของเสมียน: CREATE ROLE {role} NOLOGIN; CREATE ROLE ชื่อเสมียน LOGIN PASSWORD '…' IN ROLE {role}; แล้วสั่ง saraban init ด้วยผู้ใช้เจ้าของอีกครั้ง (ดู README)"),
            format!("the role {user} owns the register's tables and there is no group {role}: clerks working as the owner could switch the register's guards off; have the server's administrator create the group and the clerks' roles: CREATE ROLE {role} NOLOGIN; CREATE ROLE clerk_name LOGIN PASSWORD '…' IN ROLE {role}; then run saraban init as the owner again (see the README)"),
        )),
    }
}

/// The one-line message for a server that does not answer.
pub(crate) fn server_away(shown: &str) -> Error {
    Error::Register {
        th: format!("ติดต่อเซิร์ฟเวอร์ทะเบียน {shown} ไม่ได้ (เซิร์ฟเวอร์ปิดอยู่หรือเครือข่ายขัดข้อง) ร่างหนังสือยังอยู่ครบ ไม่มีการออกเลข ลองใหม่เมื่อเซิร์ฟเวอร์กลับมา"),
        en: format!("cannot reach the register server {shown} (it is down or the network is out); drafts are kept and no number was issued; try again when it is back"),
    }
}

/// Whether an error means the connection or the server went away (rather than that the
/// server said no).
pub(crate) fn is_away(e: &postgres::Error) -> bool {
    if tls::is_tls_error(e) {
        return false;
    }
    if e.is_closed() {
        return true;
    }
    match e.code() {
        Some(code) => {
            let c = code.code();
            // Connection exceptions, and the server shutting down or starting up.
            c.starts_with("08") || c.starts_with("57P")
        }
        // No SQLSTATE: the socket, TLS or a timeout.
        None => e.as_db_error().is_none(),
    }
}

/// A server's answer as a clerk's message.
pub(crate) fn pg_error(e: postgres::Error, shown: &str) -> Error {
    if is_away(&e) {
        return server_away(shown);
    }
    if tls::is_tls_error(&e) {
        let detail = std::error::Error::source(&e)
            .map(|s| s.to_string())
            .unwrap_or_else(|| e.to_string());
        return Error::Register {
            th: format!("เชื่อมต่อเซิร์ฟเวอร์ทะเบียน {shown} แบบเข้ารหัส (TLS) ไม่ได้: {detail} (ตรวจใบรับรองของเซิร์ฟเวอร์กับ sslrootcert หรือ sslmode ใน URL)"),
            en: format!("cannot connect to the register server {shown} over TLS: {detail} (check the server's certificate against sslrootcert, or the sslmode in the URL)"),
        };
    }
    let code = e.code().map(|c| c.code().to_string()).unwrap_or_default();
    let detail = e
        .as_db_error()
        .map(|d| d.message().to_string())
        .unwrap_or_else(|| e.to_string());
    match code.as_str() {
        c if c.starts_with("23") => Error::Register {
            th: format!("ทะเบียนปฏิเสธการเปลี่ยนแปลง: {detail}"),
            en: format!("the register refused the change: {detail}"),
        },
        "28P01" | "28000" => Error::Register {
            th: format!("เซิร์ฟเวอร์ทะเบียน {shown} ไม่ยอมรับชื่อผู้ใช้หรือรหัสผ่าน (ตรวจ URL, PGPASSWORD หรือ ~/.pgpass)"),
            en: format!("the register server {shown} refused the user name or password (check the URL, PGPASSWORD or ~/.pgpass)"),
        },
        "42501" => Error::Register {
            th: format!("ผู้ใช้นี้ไม่มีสิทธิ์ในฐานข้อมูลทะเบียน {shown}: {detail}"),
            en: format!("this user lacks a privilege on the register database {shown}: {detail}"),
        },
        "55P03" => Error::Register {
            th: format!("ทะเบียนบนเซิร์ฟเวอร์ {shown} ถูกเสมียนอีกคนใช้อยู่นานเกิน {} วินาที (เครื่องของผู้นั้นอาจค้างหรือพักเครื่องระหว่างออกเลข) ไม่มีการออกเลขหรือบันทึก กรุณาลองใหม่อีกครั้ง", saraban_thai::thai_count(LOCK_WAIT.as_secs())),
            en: format!("the register on {shown} was held by another clerk for more than {} seconds (their computer may have hung or slept inside an issue); nothing was issued or written; try again", LOCK_WAIT.as_secs()),
        },
        "53100" => Error::Register {
            th: "ดิสก์ของเซิร์ฟเวอร์ทะเบียนเต็ม บันทึกไม่ได้".into(),
            en: "the register server's disk is full; nothing was written".into(),
        },
        _ => Error::Register {
            th: format!("เซิร์ฟเวอร์ทะเบียนผิดพลาด: {detail}"),
            en: format!("register server error: {detail}"),
        },
    }
}

/// A random id: 128 bits from the system's random source through std's hasher keys, the
/// clock and the process.
pub(crate) fn random_id() -> String {
    use std::hash::{BuildHasher, Hasher};
    let mut h = Sha256::new();
    for _ in 0..4 {
        let mut s = std::collections::hash_map::RandomState::new().build_hasher();
        s.write_u64(0);
        h.update(s.finish().to_le_bytes());
    }
    h.update(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default()
            .as_nanos()
            .to_le_bytes(),
    );
    h.update(std::process::id().to_le_bytes());
    crate::entry::hex(&h.finalize()[..16])
}

fn bad_url(shown: &str, why: &str) -> Error {
    Error::Register {
        th: format!("URL ของเซิร์ฟเวอร์ทะเบียน {shown} ไม่ถูกต้อง ({why}) ตัวอย่าง: postgres://ผู้ใช้@เครื่อง:5432/saraban"),
        en: format!("the register server URL {shown} is not valid ({why}); e.g. postgres://user@host:5432/saraban"),
    }
}

/// The password for `host:port:db:user` in a `.pgpass` file (`*` matches anything; `\:`
/// and `\\` are escapes), as libpq reads it.
fn pgpass_lookup(text: &str, host: &str, port: u16, db: &str, user: &str) -> Option<String> {
    for line in text.lines() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let mut fields = Vec::new();
        let mut cur = String::new();
        let mut chars = line.chars();
        while let Some(c) = chars.next() {
            match c {
                '\\' => cur.extend(chars.next()),
                ':' if fields.len() < 4 => fields.push(std::mem::take(&mut cur)),
                _ => cur.push(c),
            }
        }
        fields.push(cur);
        if fields.len() != 5 {
            continue;
        }
        let port = port.to_string();
        let want = [host, port.as_str(), db, user];
        if fields[..4]
            .iter()
            .zip(want)
            .all(|(f, w)| f == "*" || f == w)
        {
            return Some(fields[4].clone());
        }
    }
    None
}

/// The client configuration from a URL, with libpq's defaults and environment: `PGHOST`
/// (else the local socket folder), `PGPORT`, `PGUSER` (else the account), `PGPASSWORD`,
/// `.pgpass`.
fn config_from(url: &str, shown: &str) -> saraban_model::Result<(Config, tls::Tls)> {
    let (url, tls) = tls::take(url).map_err(|why| bad_url(shown, &why))?;
    let mut config: Config = url.parse().map_err(|e: postgres::Error| {
        // The parser's message never repeats the password.
        bad_url(shown, &e.to_string())
    })?;
    config.ssl_mode(tls.ssl_mode());
    if config.get_hosts().is_empty() {
        match std::env::var("PGHOST") {
            Ok(h) if !h.is_empty() => {
                config.host(&h);
            }
            // libpq's default: the server's Unix socket; Windows has none, so loopback.
            #[cfg(unix)]
            _ => {
                config.host_path("/var/run/postgresql");
            }
            #[cfg(not(unix))]
            _ => {
                config.host("localhost");
            }
        }
    }
    if config.get_ports().is_empty() {
        if let Some(p) = std::env::var("PGPORT").ok().and_then(|p| p.parse().ok()) {
            config.port(p);
        }
    }
    if config.get_user().is_none() {
        let user = std::env::var("PGUSER").unwrap_or_else(|_| current_user());
        config.user(&user);
    }
    let Some(db) = config.get_dbname().map(str::to_string) else {
        return Err(bad_url(shown, "no database name"));
    };
    if config.get_password().is_none() {
        if let Ok(p) = std::env::var("PGPASSWORD") {
            config.password(p);
        } else {
            let file = std::env::var_os("PGPASSFILE")
                .map(PathBuf::from)
                .or_else(|| dirs::home_dir().map(|h| h.join(".pgpass")));
            if let Some(text) = file.and_then(|f| std::fs::read_to_string(f).ok()) {
                let host = match config.get_hosts().first() {
                    Some(postgres::config::Host::Tcp(h)) => h.clone(),
                    _ => "localhost".into(),
                };
                let port = config.get_ports().first().copied().unwrap_or(5432);
                let user = config.get_user().unwrap_or_default().to_string();
                if let Some(p) = pgpass_lookup(&text, &host, port, &db, &user) {
                    config.password(p);
                }
            }
        }
    }
    if config.get_connect_timeout().is_none() {
        config.connect_timeout(Duration::from_secs(5));
    }
    config.application_name("saraban");
    // Every wait is bounded: a clerk whose laptop sleeps inside an issue holds the series'
    // row for at most IDLE_IN_TRANSACTION (the server then ends that session and its
    // transaction), and the others wait for a lock at most LOCK_WAIT, then are told why.
    let bounded = format!(
        "-c lock_timeout={}s -c idle_in_transaction_session_timeout={}s",
        LOCK_WAIT.as_secs(),
        IDLE_IN_TRANSACTION.as_secs()
    );
    let options = match config.get_options() {
        Some(o) if !o.trim().is_empty() => format!("{o} {bounded}"),
        _ => bounded,
    };
    config.options(&options);
    Ok((config, tls))
}

fn quote_ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

impl PgRegister {
    /// Connects to the register at `url`. With [`Access::Create`], a missing database is
    /// created (UTF-8, ctype C.UTF-8, so that `pg_trgm` indexes Thai) and the schema with
    /// it; a database whose ctype cannot index Thai is refused.
    pub fn connect(url: &str, access: Access) -> saraban_model::Result<PgRegister> {
        PgRegister::connect_in(url, access, None)
    }

    /// [`PgRegister::connect`], keeping what this computer holds of the register in
    /// `local` instead of the user's folder ([`local_dir`]): tests, and several clerks on
    /// one computer, each with a folder of their own, without a process-wide variable.
    pub fn connect_in(
        url: &str,
        access: Access,
        local: Option<&std::path::Path>,
    ) -> saraban_model::Result<PgRegister> {
        let local = local.map(Local::at).unwrap_or_else(Local::here);
        // A password typed without percent-encoding is encoded, so that the client reads
        // exactly the user, host and database the clerk meant.
        let url = &match super::location::split_password(url) {
            (bare, Some(pw)) => super::location::with_password(&bare, &pw),
            (bare, None) => bare,
        };
        let shown = super::location::redact(url);
        let (config, tls) = config_from(url, &shown)?;
        let tls = tls.connector(&shown)?;
        PgRegister::connect_with(config, tls, shown, access, local)
    }

    /// Connects with a client configuration already read (see [`PgRegister::connect_in`]).
    pub(super) fn connect_with(
        config: Config,
        tls: postgres_native_tls::MakeTlsConnector,
        shown: String,
        access: Access,
        local: Local,
    ) -> saraban_model::Result<PgRegister> {
        let client = match config.connect(tls.clone()) {
            Ok(c) => c,
            // A register this computer worked on opens while its server is away: the clerk
            // types, drafts wait here, and everything else says the server is away.
            Err(e) if is_away(&e) => match local.known_register(&shown) {
                Some(register_id) => {
                    return Ok(PgRegister {
                        local,
                        config,
                        tls,
                        shown,
                        client: RefCell::new(None),
                        user: current_user(),
                        read_only: access == Access::Read,
                        register_id,
                        created: false,
                        checked: Cell::new(false),
                        away_since: Cell::new(Some(Instant::now())),
                        sending: Default::default(),
                        sent: Default::default(),
                        note: Default::default(),
                        blocks: Default::default(),
                    })
                }
                None => return Err(pg_error(e, &shown)),
            },
            Err(e) if e.code().map(|c| c.code()) == Some("3D000") && access == Access::Create => {
                create_database(&config, tls.clone(), &shown)?;
                config.connect(tls.clone()).map_err(|e| pg_error(e, &shown))?
            }
            Err(e) if e.code().map(|c| c.code()) == Some("3D000") => {
                return Err(Error::Register {
                    th: format!("ไม่พบฐานข้อมูลทะเบียน {shown} บนเซิร์ฟเวอร์ (ตรวจชื่อใน URL หรือสร้างทะเบียนใหม่ด้วย saraban init)"),
                    en: format!("there is no register database {shown} on the server (check the URL, or create it with saraban init)"),
                })
            }
            Err(e) => return Err(pg_error(e, &shown)),
        };
        let mut reg = PgRegister {
            local,
            config,
            tls,
            shown,
            client: RefCell::new(Some(client)),
            user: current_user(),
            read_only: access == Access::Read,
            register_id: String::new(),
            created: false,
            checked: Cell::new(false),
            away_since: Cell::new(None),
            sending: Default::default(),
            sent: Default::default(),
            note: Default::default(),
            blocks: Default::default(),
        };
        (reg.register_id, reg.created) = reg.prepare_schema(access)?;
        reg.check_thai()?;
        reg.checked.set(true);
        reg.local.remember_register(&reg.shown, &reg.register_id);
        if !reg.read_only {
            // A computer new to this register anchors the chain as it finds it.
            if !reg.anchor_file().exists() {
                if let Some((id, hash)) = super::Engine::audit_head(&reg)? {
                    reg.anchor(id, &hash)?;
                }
            }
            reg.send_waiting_drafts();
        }
        Ok(reg)
    }

    /// Creates the schema or checks it; returns the register's id.
    fn prepare_schema(&self, access: Access) -> saraban_model::Result<(String, bool)> {
        self.prepare_schema_now(access)
    }

    fn prepare_schema_now(&self, access: Access) -> saraban_model::Result<(String, bool)> {
        let shown = self.shown.clone();
        let mut guard = self.client()?;
        let client = guard.as_mut().expect("connected");
        let err = |e| pg_error(e, &shown);
        let mut tx = client.transaction().map_err(err)?;
        let new_id = random_id();
        let state = if access == Access::Read {
            schema::state(&mut tx).map_err(err)?
        } else {
            schema::migrate(&mut tx, &new_id).map_err(err)?
        };
        if access == Access::Create && matches!(state, schema::State::Register { .. }) {
            // `saraban init`: the clerks' group gets its rights again (a group made after
            // the register was), and the note says how the roles stand.
            schema::grant_clerks(&mut tx).map_err(err)?;
            let (user, owner, group) = schema::roles(&mut tx).map_err(err)?;
            let mut note = roles_note(&user, owner, group);
            if !schema::ensure_blocks(&mut tx).map_err(err)? {
                let (th, en) = schema::blocks_note();
                note = Some(match note {
                    Some((t, e)) => (format!("{t}\n{th}"), format!("{e}\n{en}")),
                    None => (th, en),
                });
            }
            *self.note.borrow_mut() = note;
        }
        tx.commit().map_err(err)?;
        match state {
            schema::State::Register { version, .. } if version > schema::VERSION => {
                Err(super::RegisterError::Newer {
                    found: version as i32,
                    supported: schema::VERSION as i32,
                }
                .into())
            }
            schema::State::Register { version, .. } if version < schema::VERSION => {
                Err(super::RegisterError::NeedsUpgrade.into())
            }
            schema::State::Register { id, .. } => {
                let created = id == new_id;
                Ok((id, created))
            }
            schema::State::Empty => Err(super::RegisterError::NeedsUpgrade.into()),
            schema::State::Foreign => Err(Error::Register {
                th: format!("ฐานข้อมูล {shown} มีตารางของโปรแกรมอื่นอยู่ จึงไม่เขียนทับ ให้ใช้ฐานข้อมูลว่างหรือทะเบียนของสารบรรณ"),
                en: format!("the database {shown} holds another program's tables and was left untouched; use an empty database or a Saraban register"),
            }),
        }
    }

    /// Refuses a database that cannot index Thai: `pg_trgm` takes only characters its
    /// ctype calls alphanumeric, and under locale C no Thai letter is (`show_trgm('ที่')`
    /// is empty).
    fn check_thai(&self) -> saraban_model::Result<()> {
        let (encoding, ctype, trigrams): (String, String, i32) = self.read(|c| {
            let r = c.query_one(
                "SELECT current_setting('server_encoding'),
                        (SELECT datctype FROM pg_database WHERE datname = current_database()),
                        coalesce(array_length(show_trgm('ที่ดิน'), 1), 0)",
                &[],
            )?;
            Ok((r.get(0), r.get(1), r.get(2)))
        })?;
        if encoding != "UTF8" || trigrams == 0 {
            return Err(Error::Register {
                th: format!("ฐานข้อมูล {} ค้นหาข้อความภาษาไทยไม่ได้ (encoding {encoding}, ctype {ctype}) ต้องสร้างด้วย ENCODING 'UTF8' และ LC_CTYPE 'C.UTF-8' หรือ 'th_TH.UTF-8' (saraban init สร้างให้ถูกต้องเมื่อยังไม่มีฐานข้อมูล)", self.shown),
                en: format!("the database {} cannot index Thai text (encoding {encoding}, ctype {ctype}); create it with ENCODING 'UTF8' and LC_CTYPE 'C.UTF-8' or 'th_TH.UTF-8' (saraban init creates it so when it does not exist)", self.shown),
            });
        }
        Ok(())
    }

    /// The connection, reconnecting when it was lost (for up to `patience`; a server
    /// already found away is tried once, and not at all for [`AWAY_PAUSE`], unless the
    /// caller waits longer than a read does).
    fn client_within(
        &self,
        patience: Duration,
    ) -> saraban_model::Result<RefMut<'_, Option<Client>>> {
        let mut guard = self.client.borrow_mut();
        if guard.as_ref().is_some_and(|c| !c.is_closed()) {
            return Ok(guard);
        }
        *guard = None;
        let mut patience = patience;
        if let Some(since) = self.away_since.get() {
            if patience <= READ_PATIENCE {
                if since.elapsed() < AWAY_PAUSE {
                    return Err(server_away(&self.shown));
                }
                patience = Duration::ZERO;
            }
        }
        let start = Instant::now();
        loop {
            match self.config.connect(self.tls.clone()) {
                Ok(c) => {
                    *guard = Some(c);
                    drop(guard);
                    self.away_since.set(None);
                    if !self.checked.get() {
                        if let Err(e) = self.check_on_arrival() {
                            self.lost();
                            return Err(e);
                        }
                    }
                    if !self.read_only {
                        self.send_waiting_drafts();
                    }
                    return Ok(self.client.borrow_mut());
                }
                Err(e) if is_away(&e) && start.elapsed() < patience => {
                    std::thread::sleep(Duration::from_millis(200));
                }
                Err(e) => {
                    if is_away(&e) {
                        self.away_since.set(Some(Instant::now()));
                    }
                    return Err(pg_error(e, &self.shown));
                }
            }
        }
    }

    /// The first connection to a register opened while its server was away: the server
    /// must still hold the same register, with the schema this version reads.
    fn check_on_arrival(&self) -> saraban_model::Result<()> {
        let (id, _) = self.prepare_schema(Access::Read)?;
        if id != self.register_id {
            return Err(Error::Register {
                th: format!("{} เป็นทะเบียนอื่น ไม่ใช่ทะเบียนที่เครื่องนี้เคยใช้ จึงไม่ส่งร่างหรือออกเลขในทะเบียนนั้น (ตรวจที่อยู่ทะเบียนในหน้าตั้งค่า)", self.shown),
                en: format!("{} holds another register than the one this computer used; nothing was sent to it or issued (check the register in the settings)", self.shown),
            });
        }
        self.check_thai()?;
        self.checked.set(true);
        Ok(())
    }

    fn client(&self) -> saraban_model::Result<RefMut<'_, Option<Client>>> {
        self.client_within(READ_PATIENCE)
    }

    /// Forgets a connection that failed (the next call connects again).
    fn lost(&self) {
        let gone = self.client.borrow_mut().take();
        drop(gone);
    }

    /// Runs a read (or a write that is harmless to repeat), again on a new connection if
    /// the server went away, for up to [`READ_PATIENCE`].
    fn read<T>(
        &self,
        mut f: impl FnMut(&mut Client) -> Result<T, postgres::Error>,
    ) -> saraban_model::Result<T> {
        let start = Instant::now();
        loop {
            let result = {
                let mut guard = self.client()?;
                let client = guard.as_mut().expect("connected");
                f(client)
            };
            match result {
                Ok(v) => return Ok(v),
                Err(e) if is_away(&e) && start.elapsed() < READ_PATIENCE => {
                    self.lost();
                    std::thread::sleep(Duration::from_millis(200));
                }
                Err(e) => {
                    if is_away(&e) {
                        self.lost();
                    }
                    return Err(pg_error(e, &self.shown));
                }
            }
        }
    }

    /// Runs a write once: a lost connection is reported, never repeated blindly.
    fn write<T>(
        &self,
        f: impl FnOnce(&mut Client) -> Result<T, WriteError>,
    ) -> saraban_model::Result<T> {
        let result = {
            let mut guard = self.client()?;
            let client = guard.as_mut().expect("connected");
            f(client)
        };
        result.map_err(|e| match e {
            WriteError::Pg(e) => {
                if is_away(&e) {
                    self.lost();
                }
                pg_error(e, &self.shown)
            }
            WriteError::Saraban(e) => e,
        })
    }

    // ---- Drafts waiting for the server -----------------------------------------------

    /// Where drafts that could not reach the server wait, on this computer.
    fn waiting_dir(&self) -> PathBuf {
        self.local.waiting_dir(&self.register_id)
    }

    /// Keeps a draft the server could not take in a file on this computer: `id` is its
    /// server id, or the provisional id of a new draft. Returns the file.
    fn keep_waiting(&self, id: i64, letter: &Letter) -> saraban_model::Result<PathBuf> {
        let dir = self.waiting_dir();
        std::fs::create_dir_all(&dir).map_err(|source| Error::Write {
            path: dir.clone(),
            source,
        })?;
        let name = format!(
            "{}-{}.json",
            chrono::Local::now().format("%Y%m%dT%H%M%S%.6f"),
            id
        );
        let path = dir.join(name);
        let json = serde_json::json!({ "draft": id, "letter": letter });
        crate::fsutil::write_atomic(&path, json.to_string().as_bytes())?;
        Ok(path)
    }

    /// The drafts waiting on this computer, oldest first: file, draft id (`None` in
    /// files of an older version) and letter.
    fn waiting(&self) -> Vec<(PathBuf, Option<i64>, Letter)> {
        let Ok(dir) = std::fs::read_dir(self.waiting_dir()) else {
            return Vec::new();
        };
        let mut files: Vec<PathBuf> = dir.filter_map(|e| e.ok().map(|e| e.path())).collect();
        files.sort();
        files
            .into_iter()
            .filter(|f| f.extension().is_some_and(|e| e == "json"))
            .filter_map(|f| {
                let text = std::fs::read_to_string(&f).ok()?;
                let v = serde_json::from_str::<serde_json::Value>(&text).ok()?;
                let letter = Letter::from_stored_json(&v["letter"].to_string()).ok()?;
                Some((f, v["draft"].as_i64(), letter))
            })
            .collect()
    }

    /// The newest version of the new draft `provisional` still waiting here.
    fn waiting_letter(&self, provisional: i64) -> Option<Letter> {
        self.waiting()
            .into_iter()
            .rev()
            .find(|(_, id, _)| *id == Some(provisional))
            .map(|(_, _, l)| l)
    }

    /// Forgets the new draft `provisional` waiting here (the clerk deleted it).
    fn forget_waiting(&self, provisional: i64) {
        for (f, id, _) in self.waiting() {
            if id == Some(provisional) {
                let _ = std::fs::remove_file(f);
            }
        }
    }

    /// The server id of draft `id`: itself, or for a provisional id the draft it became
    /// on the server (a connection first sends what waits); `None` while it still waits.
    pub(crate) fn on_server(&self, id: i64) -> Option<i64> {
        if id >= 0 {
            return Some(id);
        }
        drop(self.client());
        self.sent.borrow().get(&id).copied()
    }

    /// Sends the drafts waiting on this computer to the server, oldest first; each file is
    /// removed only once its draft is stored.
    fn send_waiting_drafts(&self) {
        if self.sending.replace(true) {
            return;
        }
        self.send_waiting_drafts_now();
        self.sending.set(false);
    }

    fn send_waiting_drafts_now(&self) {
        for (f, id, letter) in self.waiting() {
            let stored = match id {
                Some(id) if id >= 0 => ops::save_draft(self, Some(id), &letter)
                    .or_else(|_| ops::save_draft(self, None, &letter)),
                // The versions of one new draft become one draft with its versions.
                Some(p) => {
                    let known = self.sent.borrow().get(&p).copied();
                    let r = ops::save_draft(self, known, &letter).or_else(|e| {
                        // The draft it became was issued or deleted meanwhile: a new one.
                        if known.is_some() && self.client.borrow().is_some() {
                            ops::save_draft(self, None, &letter)
                        } else {
                            Err(e)
                        }
                    });
                    if let Ok(n) = r {
                        self.sent.borrow_mut().insert(p, n);
                    }
                    r
                }
                None => ops::save_draft(self, None, &letter),
            };
            match stored {
                Ok(_) => {
                    let _ = std::fs::remove_file(&f);
                }
                Err(_) => return,
            }
        }
    }

    /// The anchor file of this register on this computer.
    fn anchor_file(&self) -> PathBuf {
        self.local.anchor_file(&self.register_id)
    }

    /// Checks, before a commit, that this computer's anchor can be appended to (see
    /// [`super::audit::AnchorFile`]).
    pub(super) fn anchor_ready(&self) -> saraban_model::Result<()> {
        let path = self.anchor_file();
        if let Some(dir) = path.parent() {
            let _ = std::fs::create_dir_all(dir);
        }
        super::audit::AnchorFile::open(&path).map(drop)
    }

    /// Appends the chain's head to this computer's anchor; an error is shown.
    fn anchor(&self, id: i64, hash: &str) -> saraban_model::Result<()> {
        let path = self.anchor_file();
        if let Some(dir) = path.parent() {
            let _ = std::fs::create_dir_all(dir);
        }
        super::audit::append_anchor(&path, id, hash)
    }
}

/// A write's failure: the server's, or Saraban's own (a refused letter).
pub(crate) enum WriteError {
    Pg(postgres::Error),
    Saraban(Error),
}

impl From<postgres::Error> for WriteError {
    fn from(e: postgres::Error) -> WriteError {
        WriteError::Pg(e)
    }
}

impl From<Error> for WriteError {
    fn from(e: Error) -> WriteError {
        WriteError::Saraban(e)
    }
}

/// Creates the database the URL names: UTF-8 with ctype C.UTF-8, from `template0` (the
/// only template a new encoding and locale may be copied from).
fn create_database(
    config: &Config,
    tls: postgres_native_tls::MakeTlsConnector,
    shown: &str,
) -> saraban_model::Result<()> {
    let name = config.get_dbname().unwrap_or_default().to_string();
    let mut maint = config.clone();
    maint.dbname("postgres");
    let mut c = maint.connect(tls).map_err(|e| pg_error(e, shown))?;
    let sql = format!(
        "CREATE DATABASE {} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'",
        quote_ident(&name)
    );
    let created = {
        let r = c.batch_execute(&sql);
        drop(c);
        r
    };
    match created {
        Ok(()) => Ok(()),
        // Another clerk created it first.
        Err(e) if e.code().map(|c| c.code()) == Some("42P04") => Ok(()),
        Err(e) => Err(pg_error(e, shown)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pgpass_matches_like_libpq() {
        let text = "# office\ndb.local:5432:saraban:clerk:pa\\:ss\n*:*:*:admin:root\n";
        assert_eq!(
            pgpass_lookup(text, "db.local", 5432, "saraban", "clerk").as_deref(),
            Some("pa:ss")
        );
        assert_eq!(
            pgpass_lookup(text, "other", 5433, "x", "admin").as_deref(),
            Some("root")
        );
        assert_eq!(
            pgpass_lookup(text, "db.local", 5432, "saraban", "bob"),
            None
        );
    }

    #[test]
    fn random_ids_differ() {
        assert_ne!(random_id(), random_id());
        assert_eq!(random_id().len(), 32);
    }
}
