//! The database schema, as numbered migrations recorded in `PRAGMA user_version`.
//!
//! A register file carries our `application_id`, so that opening some other SQLite file is
//! refused instead of being written into; a file written by a newer Saraban (a higher
//! `user_version`) is refused too, never downgraded.

use rusqlite::Connection;

use super::{db_error, RegisterError};

/// `PRAGMA application_id` of a Saraban register ("SRBN").
pub const APPLICATION_ID: i32 = 0x5352_424E;

/// The migrations, in order; migration `i` brings the schema to version `i + 1`.
const MIGRATIONS: &[&str] = &[
    // 1: letters (drafts and issued), their versions, number series, search, audit.
    r#"
    CREATE TABLE series (
        id        INTEGER PRIMARY KEY,
        prefix    TEXT    NOT NULL,          -- normalised letter code (digits folded)
        kind      TEXT    NOT NULL,          -- letter | circular | order | announcement
        year_be   INTEGER NOT NULL,
        last      INTEGER NOT NULL DEFAULT 0,
        UNIQUE (prefix, kind, year_be)
    );

    CREATE TABLE letters (
        id            INTEGER PRIMARY KEY,
        status        TEXT    NOT NULL CHECK (status IN ('draft', 'issued', 'cancelled')),
        kind          TEXT    NOT NULL,
        title         TEXT    NOT NULL DEFAULT '',  -- เรื่อง
        recipient     TEXT    NOT NULL DEFAULT '',  -- ถึง
        sender        TEXT    NOT NULL DEFAULT '',  -- จาก
        created_at    TEXT    NOT NULL,
        updated_at    TEXT    NOT NULL,
        letter_json   TEXT    NOT NULL,       -- the current draft, or the letter as issued
        series_id     INTEGER REFERENCES series(id),
        year_be       INTEGER,
        running       INTEGER,
        number_text   TEXT,
        issued_date   TEXT,
        issued_at     TEXT,
        issued_by     TEXT,
        pdf           BLOB,
        pdf_sha256    TEXT,
        historical    INTEGER NOT NULL DEFAULT 0,
        cancelled_at  TEXT,
        cancelled_by  TEXT,
        cancel_reason TEXT,
        UNIQUE (series_id, year_be, running),
        CHECK (status = 'draft' OR (series_id IS NOT NULL AND running IS NOT NULL AND pdf IS NOT NULL))
    );
    CREATE INDEX letters_issued ON letters (status, issued_date DESC, id DESC);
    CREATE INDEX letters_year ON letters (year_be, running);

    CREATE TABLE letter_versions (
        id          INTEGER PRIMARY KEY,
        letter_id   INTEGER NOT NULL REFERENCES letters(id) ON DELETE CASCADE,
        saved_at    TEXT    NOT NULL,
        letter_json TEXT    NOT NULL
    );
    CREATE INDEX letter_versions_letter ON letter_versions (letter_id, id);

    -- Issued letters never change: only the cancellation may be recorded, once.
    CREATE TRIGGER letters_issued_immutable BEFORE UPDATE ON letters
    WHEN OLD.status <> 'draft' AND (
           OLD.status = 'cancelled'
        OR NEW.status NOT IN ('issued', 'cancelled')
        OR NEW.letter_json IS NOT OLD.letter_json OR NEW.kind IS NOT OLD.kind
        OR NEW.title IS NOT OLD.title OR NEW.recipient IS NOT OLD.recipient OR NEW.sender IS NOT OLD.sender
        OR NEW.series_id IS NOT OLD.series_id OR NEW.year_be IS NOT OLD.year_be
        OR NEW.running IS NOT OLD.running OR NEW.number_text IS NOT OLD.number_text
        OR NEW.issued_date IS NOT OLD.issued_date OR NEW.issued_at IS NOT OLD.issued_at
        OR NEW.issued_by IS NOT OLD.issued_by
        OR NEW.pdf IS NOT OLD.pdf OR NEW.pdf_sha256 IS NOT OLD.pdf_sha256
        OR NEW.historical IS NOT OLD.historical OR NEW.created_at IS NOT OLD.created_at)
    BEGIN
        SELECT RAISE(ABORT, 'an issued letter cannot be changed');
    END;
    CREATE TRIGGER letters_issued_undeletable BEFORE DELETE ON letters
    WHEN OLD.status <> 'draft'
    BEGIN
        SELECT RAISE(ABORT, 'an issued letter cannot be deleted');
    END;

    -- Search: number, subject, recipient, body, signer and owner as one text, Thai digits
    -- folded to ASCII and Latin letters to lower case by the application. A quoted phrase
    -- of trigrams with their positions matches an exact substring inside the index, with
    -- no re-reading of the text; case_sensitive 1 spares the tokenizer folding every
    -- character again.
    CREATE VIRTUAL TABLE letters_fts USING fts5(text, tokenize = 'trigram case_sensitive 1');

    -- The audit trail: each entry's hash covers the previous one.
    CREATE TABLE audit (
        id         INTEGER PRIMARY KEY,
        at         TEXT    NOT NULL,
        user       TEXT    NOT NULL,
        action     TEXT    NOT NULL,
        letter_id  INTEGER,
        detail     TEXT    NOT NULL,
        prev_hash  TEXT    NOT NULL,
        hash       TEXT    NOT NULL
    );
    CREATE TRIGGER audit_append_only_u BEFORE UPDATE ON audit
    BEGIN SELECT RAISE(ABORT, 'the audit trail cannot be changed'); END;
    CREATE TRIGGER audit_append_only_d BEFORE DELETE ON audit
    BEGIN SELECT RAISE(ABORT, 'the audit trail cannot be changed'); END;
    "#,
    // 2: the office profile (settings, emblem and font files), one row a key.
    r#"
    CREATE TABLE settings (
        key   TEXT PRIMARY KEY,
        value BLOB NOT NULL
    );
    "#,
    // 3: every printed part is searchable (references, enclosures, distribution, สำเนาส่ง…):
    // the issued letters are indexed again, in Rust (`search::reindex`), after this.
    "SELECT 1;",
    // 4: the incoming register (ทะเบียนหนังสือรับ): receipts numbered per calendar year,
    // each with its original file, its stamped copy and their hashes; routing steps.
    r#"
    CREATE TABLE receipt_years (
        year_be INTEGER PRIMARY KEY,
        last    INTEGER NOT NULL DEFAULT 0
    );

    CREATE TABLE received (
        id              INTEGER PRIMARY KEY,
        status          TEXT    NOT NULL CHECK (status IN ('received', 'cancelled')),
        year_be         INTEGER NOT NULL,
        receipt_number  INTEGER NOT NULL,   -- เลขทะเบียนรับ
        received_at     TEXT    NOT NULL,   -- Bangkok time, ISO with its offset
        received_by     TEXT    NOT NULL,
        fields_json     TEXT    NOT NULL,   -- ที่, ลงวันที่, จาก, ถึง, เรื่อง… as confirmed
        read_by         TEXT    NOT NULL,
        kind            TEXT    NOT NULL,
        file_name       TEXT    NOT NULL,
        original        BLOB    NOT NULL,   -- the file as it arrived, byte for byte
        sha256          TEXT    NOT NULL,
        stamped         BLOB    NOT NULL,   -- the PDF with the receipt stamp
        stamped_sha256  TEXT    NOT NULL,
        search_text     TEXT    NOT NULL,
        cancelled_at    TEXT,
        cancelled_by    TEXT,
        cancel_reason   TEXT,
        UNIQUE (year_be, receipt_number)
    );
    CREATE INDEX received_sha ON received (sha256);
    CREATE INDEX received_at ON received (received_at DESC, id DESC);

    -- A receipt never changes: only its cancellation may be recorded, once.
    CREATE TRIGGER received_immutable BEFORE UPDATE ON received
    WHEN OLD.status = 'cancelled' OR NEW.status <> 'cancelled'
        OR NEW.year_be IS NOT OLD.year_be OR NEW.receipt_number IS NOT OLD.receipt_number
        OR NEW.received_at IS NOT OLD.received_at OR NEW.received_by IS NOT OLD.received_by
        OR NEW.fields_json IS NOT OLD.fields_json OR NEW.read_by IS NOT OLD.read_by
        OR NEW.kind IS NOT OLD.kind OR NEW.file_name IS NOT OLD.file_name
        OR NEW.original IS NOT OLD.original OR NEW.sha256 IS NOT OLD.sha256
        OR NEW.stamped IS NOT OLD.stamped OR NEW.stamped_sha256 IS NOT OLD.stamped_sha256
        OR NEW.search_text IS NOT OLD.search_text
    BEGIN
        SELECT RAISE(ABORT, 'a received letter cannot be changed');
    END;
    CREATE TRIGGER received_undeletable BEFORE DELETE ON received
    BEGIN
        SELECT RAISE(ABORT, 'a received letter cannot be deleted');
    END;

    -- Routing (เกษียน): steps appended, never changed.
    CREATE TABLE receipt_steps (
        id          INTEGER PRIMARY KEY,
        receipt_id  INTEGER NOT NULL REFERENCES received(id),
        at          TEXT    NOT NULL,
        by_user     TEXT    NOT NULL,
        step_json   TEXT    NOT NULL
    );
    CREATE INDEX receipt_steps_receipt ON receipt_steps (receipt_id, id);
    CREATE TRIGGER receipt_steps_append_only_u BEFORE UPDATE ON receipt_steps
    BEGIN SELECT RAISE(ABORT, 'a routing step cannot be changed'); END;
    CREATE TRIGGER receipt_steps_append_only_d BEFORE DELETE ON receipt_steps
    BEGIN SELECT RAISE(ABORT, 'a routing step cannot be changed'); END;
    "#,
    // 5: the replies of a receipt found by index (every receipt shown asks for its replies).
    r#"
    CREATE INDEX letters_reply_to ON letters (
        json_extract(letter_json, '$.reply_to.receipt_number'),
        json_extract(letter_json, '$.reply_to.year_be'));
    "#,
    // 6: the mailbox (saraban@): the address book, the sendings (the outbox and what was
    // sent, each message kept), the messages fetched.
    r#"
    CREATE TABLE addresses (
        id      INTEGER PRIMARY KEY,
        name    TEXT NOT NULL UNIQUE,       -- the agency, as เรียน names it
        address TEXT NOT NULL,
        note    TEXT NOT NULL DEFAULT ''
    );

    CREATE TABLE sendings (
        id           INTEGER PRIMARY KEY,
        kind         TEXT    NOT NULL CHECK (kind IN ('letter', 'receipt_reply')),
        letter_id    INTEGER REFERENCES letters(id),
        receipt_id   INTEGER REFERENCES received(id),
        name         TEXT    NOT NULL,
        address      TEXT    NOT NULL,
        message_id   TEXT    NOT NULL UNIQUE,  -- one per letter and recipient
        eml          BLOB    NOT NULL,         -- the message, byte for byte as sent
        eml_sha256   TEXT    NOT NULL,
        status       TEXT    NOT NULL CHECK (status IN ('queued', 'sent', 'failed')),
        queued_at    TEXT    NOT NULL,
        queued_by    TEXT    NOT NULL,
        attempts     INTEGER NOT NULL DEFAULT 0,
        sent_at      TEXT,
        answer       TEXT,                     -- the server's answer, or the last failure
        acknowledged TEXT                      -- the receipt reply that came back
    );
    CREATE INDEX sendings_letter ON sendings (letter_id);
    CREATE INDEX sendings_status ON sendings (status);
    -- The message sent never changes, nor does a sending leave 'sent'.
    CREATE TRIGGER sendings_kept BEFORE UPDATE ON sendings
    WHEN NEW.eml IS NOT OLD.eml OR NEW.eml_sha256 IS NOT OLD.eml_sha256
        OR NEW.message_id IS NOT OLD.message_id OR NEW.address IS NOT OLD.address
        OR (OLD.status <> 'queued' AND NEW.status IS NOT OLD.status)
    BEGIN
        SELECT RAISE(ABORT, 'a sending cannot be changed');
    END;
    CREATE TRIGGER sendings_undeletable BEFORE DELETE ON sendings
    BEGIN
        SELECT RAISE(ABORT, 'a sending cannot be deleted');
    END;

    CREATE TABLE mail_in (
        id           INTEGER PRIMARY KEY,
        mailbox      TEXT    NOT NULL,
        uid_validity INTEGER NOT NULL,
        uid          INTEGER NOT NULL,
        message_id   TEXT,
        from_address TEXT    NOT NULL,
        from_name    TEXT    NOT NULL,
        subject      TEXT    NOT NULL,
        sent_at      TEXT,
        fetched_at   TEXT    NOT NULL,
        fetched_by   TEXT    NOT NULL,
        eml          BLOB    NOT NULL,         -- the message as fetched
        eml_sha256   TEXT    NOT NULL,
        letters      INTEGER NOT NULL,
        state        TEXT    NOT NULL,
        problem      TEXT,
        receipt_id   INTEGER REFERENCES received(id),
        settled_at   TEXT,
        settled_by   TEXT,
        UNIQUE (mailbox, uid_validity, uid)
    );
    CREATE INDEX mail_in_message ON mail_in (message_id, from_address);
    CREATE TRIGGER mail_in_kept BEFORE UPDATE ON mail_in
    WHEN NEW.eml IS NOT OLD.eml OR NEW.eml_sha256 IS NOT OLD.eml_sha256
        OR NEW.uid IS NOT OLD.uid OR NEW.message_id IS NOT OLD.message_id
        OR NEW.from_address IS NOT OLD.from_address
    BEGIN
        SELECT RAISE(ABORT, 'a fetched message cannot be changed');
    END;
    CREATE TRIGGER mail_in_undeletable BEFORE DELETE ON mail_in
    BEGIN
        SELECT RAISE(ABORT, 'a fetched message cannot be deleted');
    END;
    -- UIDs of second copies of a message already taken (the next fetch starts after them).
    CREATE TABLE mail_seen (
        mailbox      TEXT    NOT NULL,
        uid_validity INTEGER NOT NULL,
        uid          INTEGER NOT NULL,
        PRIMARY KEY (mailbox, uid_validity, uid)
    );
    "#,
    // 7: signatures of issued letters, each signed copy kept (signed.rs).
    r#"
    CREATE TABLE signatures (
        id          INTEGER PRIMARY KEY,
        letter_id   INTEGER NOT NULL REFERENCES letters(id),
        seq         INTEGER NOT NULL,          -- 1 the one who signs, 2… countersigners
        kind        TEXT    NOT NULL CHECK (kind IN ('pades', 'typed')),
        signer      TEXT    NOT NULL,
        position    TEXT    NOT NULL,
        certificate TEXT    NOT NULL,          -- issuer and serial number
        level       TEXT    NOT NULL,          -- B-B, B-T, B-LT, typed
        signed_at   TEXT    NOT NULL,
        timestamp   TEXT,                      -- the time-stamp authority's time
        signed_by   TEXT    NOT NULL,
        pdf         BLOB    NOT NULL,          -- the signed copy
        pdf_sha256  TEXT    NOT NULL,
        UNIQUE (letter_id, seq)
    );
    CREATE INDEX signatures_sha ON signatures (pdf_sha256);
    CREATE TRIGGER signatures_kept BEFORE UPDATE ON signatures
    BEGIN
        SELECT RAISE(ABORT, 'a signature cannot be changed');
    END;
    CREATE TRIGGER signatures_undeletable BEFORE DELETE ON signatures
    BEGIN
        SELECT RAISE(ABORT, 'a signature cannot be deleted');
    END;
    -- The register's id, which a printed letter's signed statement names: made once, here,
    -- in the migration's one transaction (no two clerks can make two).
    INSERT OR IGNORE INTO settings (key, value)
        VALUES ('statement.register', CAST(lower(hex(randomblob(8))) AS BLOB));
    "#,
    // 8: the search text of letters issued since the index was last settled, searched
    // beside it (search.rs): the index's merging is done when no clerk is in line, never
    // inside an issue's turn while the clerks behind it wait.
    r#"
    CREATE TABLE letters_unindexed (
        id   INTEGER PRIMARY KEY REFERENCES letters(id),
        text TEXT    NOT NULL
    );
    "#,
];

/// The migrations whose work is done in Rust after their SQL, by the version they bring.
fn after(version: usize, tx: &rusqlite::Transaction<'_>) -> rusqlite::Result<()> {
    match version {
        3 => super::search::reindex(tx),
        _ => Ok(()),
    }
}

/// The schema version this build writes.
pub const VERSION: i32 = MIGRATIONS.len() as i32;

/// Brings a database to the current schema, or refuses it.
///
/// Everything happens in one `BEGIN IMMEDIATE` transaction that reads `user_version`
/// after taking the write lock: several processes opening a new register at once take
/// turns, and each one after the first finds the schema already there.
pub fn migrate(conn: &mut Connection) -> Result<(), RegisterError> {
    migrate_to(conn, VERSION)
}

/// Brings a database to schema `upto` (at most [`VERSION`]), as [`migrate`] does.
fn migrate_to(conn: &mut Connection, upto: i32) -> Result<(), RegisterError> {
    // A register already current needs no write lock (the common case: every open). The
    // three values are read in one snapshot: read one by one, another process's first
    // migration could commit between them.
    let snapshot = conn.transaction().map_err(db_error)?;
    let (app, version, tables) = state(&snapshot)?;
    drop(snapshot);
    refuse(app, version, tables)?;
    if version >= upto {
        return Ok(());
    }
    let tx = conn
        .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
        .map_err(db_error)?;
    let (app, version, tables) = state(&tx)?;
    refuse(app, version, tables)?;
    for (i, sql) in MIGRATIONS
        .iter()
        .enumerate()
        .take(upto as usize)
        .skip(version as usize)
    {
        tx.execute_batch(sql).map_err(db_error)?;
        after(i + 1, &tx).map_err(db_error)?;
        tx.pragma_update(None, "user_version", (i + 1) as i32)
            .map_err(db_error)?;
    }
    tx.pragma_update(None, "application_id", APPLICATION_ID)
        .map_err(db_error)?;
    tx.commit().map_err(db_error)?;
    Ok(())
}

/// Checks that a database opened read-only is a current register.
pub fn check_readable(conn: &Connection) -> Result<(), RegisterError> {
    let snapshot = conn.unchecked_transaction().map_err(db_error)?;
    let (app, version, tables) = state(&snapshot)?;
    drop(snapshot);
    refuse(app, version, tables)?;
    if app != APPLICATION_ID || version < VERSION {
        return Err(RegisterError::NeedsUpgrade);
    }
    Ok(())
}

/// `application_id`, `user_version` and the number of tables.
fn state(conn: &Connection) -> Result<(i32, i32, i64), RegisterError> {
    let app: i32 = conn
        .query_row("PRAGMA application_id", [], |r| r.get(0))
        .map_err(db_error)?;
    let version: i32 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(db_error)?;
    let tables: i64 = conn
        .query_row(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table'",
            [],
            |r| r.get(0),
        )
        .map_err(db_error)?;
    Ok((app, version, tables))
}

fn refuse(app: i32, version: i32, tables: i64) -> Result<(), RegisterError> {
    if app != APPLICATION_ID && (tables > 0 || version != 0) {
        return Err(RegisterError::NotARegister);
    }
    if version > VERSION {
        return Err(RegisterError::Newer {
            found: version,
            supported: VERSION,
        });
    }
    Ok(())
}

/// A schema object: its type, name, table and SQL.
type SchemaObject = (String, String, String, Option<String>);

/// The schema objects of a database, in order.
fn objects(conn: &Connection) -> rusqlite::Result<Vec<SchemaObject>> {
    let mut stmt = conn.prepare(
        // SQLite's own tables (the statistics ANALYZE keeps) are not the schema.
        r"SELECT type, name, tbl_name, sql FROM sqlite_master
         WHERE name NOT LIKE 'sqlite\_%' ESCAPE '\' ORDER BY type, name",
    )?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?;
    rows.collect()
}

/// Checks that `conn` holds exactly the schema this build's migrations make: the same
/// tables, indexes, triggers and views with the same SQL, and nothing else. A backup with
/// a trigger, view or index of someone else's would carry it into the register on restore.
/// Returns the first object that differs.
pub fn check_identical(conn: &Connection) -> saraban_model::Result<()> {
    check_identical_at(conn, VERSION)
}

/// Checks that `conn` holds exactly the schema this build's migrations make up to
/// `version` (a backup made by an earlier Saraban, before it is brought up to date).
pub fn check_identical_at(conn: &Connection, version: i32) -> saraban_model::Result<()> {
    let mut fresh = Connection::open_in_memory()?;
    migrate_to(&mut fresh, version).map_err(saraban_model::Error::from)?;
    let want = objects(&fresh)?;
    let have = objects(conn)?;
    if want == have {
        return Ok(());
    }
    let differs = have
        .iter()
        .find(|o| !want.contains(o))
        .map(|o| format!("{} {}", o.0, o.1))
        .or_else(|| {
            want.iter()
                .find(|o| !have.contains(o))
                .map(|o| format!("{} {} (missing)", o.0, o.1))
        })
        .unwrap_or_default();
    Err(saraban_model::Error::Register {
        th: format!("โครงสร้างฐานข้อมูลของไฟล์นี้ไม่ตรงกับทะเบียนของสารบรรณ ({differs}) อาจถูกดัดแปลง จึงไม่นำมาใช้"),
        en: format!("this file's database schema differs from a Saraban register's ({differs}); it may have been tampered with and is not used"),
    })
}
