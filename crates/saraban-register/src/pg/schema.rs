//! The register's schema on PostgreSQL, as numbered migrations recorded in the
//! `saraban_register` row, applied under an advisory lock so that clerks starting at once
//! take turns.
//!
//! The same tables as the SQLite file, with three differences: the searchable text is a
//! column with a `pg_trgm` GIN index, beside its four-character grams with another
//! (there is no FTS5; see `trigram`); `audit_head` is the one row every
//! writer locks to append to the chain, so the chain stays a line even with many clerks;
//! `issue_token` lets a client that lost its connection during `COMMIT` ask whether its
//! issue went through instead of issuing twice.

use postgres::Transaction;

/// The migrations, in order; migration `i` brings the schema to version `i + 1`.
const MIGRATIONS: &[&str] = &[
    r#"
    CREATE EXTENSION IF NOT EXISTS pg_trgm;

    CREATE TABLE series (
        id        BIGSERIAL PRIMARY KEY,
        prefix    TEXT   NOT NULL,
        kind      TEXT   NOT NULL,
        year_be   BIGINT NOT NULL,
        last      BIGINT NOT NULL DEFAULT 0,
        UNIQUE (prefix, kind, year_be)
    );

    CREATE TABLE letters (
        id            BIGSERIAL PRIMARY KEY,
        status        TEXT   NOT NULL CHECK (status IN ('draft', 'issued', 'cancelled')),
        kind          TEXT   NOT NULL,
        title         TEXT   NOT NULL DEFAULT '',
        recipient     TEXT   NOT NULL DEFAULT '',
        sender        TEXT   NOT NULL DEFAULT '',
        created_at    TEXT   NOT NULL,
        updated_at    TEXT   NOT NULL,
        letter_json   TEXT   NOT NULL,
        series_id     BIGINT REFERENCES series(id),
        year_be       BIGINT,
        running       BIGINT,
        number_text   TEXT,
        issued_date   TEXT,
        issued_at     TEXT,
        issued_by     TEXT,
        pdf           BYTEA,
        pdf_sha256    TEXT,
        historical    BIGINT NOT NULL DEFAULT 0,
        cancelled_at  TEXT,
        cancelled_by  TEXT,
        cancel_reason TEXT,
        search_text   TEXT,
        search_grams  TEXT,
        issue_token   TEXT UNIQUE,
        UNIQUE (series_id, year_be, running),
        CHECK (status = 'draft' OR (series_id IS NOT NULL AND running IS NOT NULL AND pdf IS NOT NULL))
    );
    CREATE INDEX letters_issued ON letters (status, issued_date DESC, id DESC);
    CREATE INDEX letters_year ON letters (year_be, running);
    CREATE INDEX letters_number ON letters (number_text);
    CREATE INDEX letters_search ON letters USING gin (search_text gin_trgm_ops);
    CREATE INDEX letters_grams ON letters USING gin (search_grams gin_trgm_ops);
    -- A search reads thousands of these: kept in the row, not apart, and compressed with
    -- lz4 where the server has it (read twice as fast as the default pglz).
    ALTER TABLE letters ALTER COLUMN search_text SET STORAGE MAIN,
                        ALTER COLUMN search_grams SET STORAGE MAIN;
    DO $lz4$ BEGIN
        ALTER TABLE letters ALTER COLUMN search_text SET COMPRESSION lz4,
                            ALTER COLUMN search_grams SET COMPRESSION lz4;
    EXCEPTION WHEN feature_not_supported THEN NULL;
    END $lz4$;

    CREATE TABLE letter_versions (
        id          BIGSERIAL PRIMARY KEY,
        letter_id   BIGINT NOT NULL REFERENCES letters(id) ON DELETE CASCADE,
        saved_at    TEXT   NOT NULL,
        letter_json TEXT   NOT NULL
    );
    CREATE INDEX letter_versions_letter ON letter_versions (letter_id, id);

    -- Issued letters never change: only the cancellation may be recorded, once.
    CREATE FUNCTION saraban_letters_guard() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'DELETE' THEN
            IF OLD.status <> 'draft' THEN
                RAISE EXCEPTION 'an issued letter cannot be deleted' USING ERRCODE = 'integrity_constraint_violation';
            END IF;
            RETURN OLD;
        END IF;
        IF OLD.status <> 'draft' AND (
               OLD.status = 'cancelled'
            OR NEW.status NOT IN ('issued', 'cancelled')
            OR (NEW.letter_json, NEW.kind, NEW.title, NEW.recipient, NEW.sender, NEW.series_id,
                NEW.year_be, NEW.running, NEW.number_text, NEW.issued_date, NEW.issued_at,
                NEW.issued_by, NEW.pdf, NEW.pdf_sha256, NEW.historical, NEW.created_at,
                NEW.search_text, NEW.search_grams, NEW.issue_token)
               IS DISTINCT FROM
               (OLD.letter_json, OLD.kind, OLD.title, OLD.recipient, OLD.sender, OLD.series_id,
                OLD.year_be, OLD.running, OLD.number_text, OLD.issued_date, OLD.issued_at,
                OLD.issued_by, OLD.pdf, OLD.pdf_sha256, OLD.historical, OLD.created_at,
                OLD.search_text, OLD.search_grams, OLD.issue_token)) THEN
            RAISE EXCEPTION 'an issued letter cannot be changed' USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        RETURN NEW;
    END $$;
    CREATE TRIGGER letters_issued_immutable BEFORE UPDATE OR DELETE ON letters
        FOR EACH ROW EXECUTE FUNCTION saraban_letters_guard();

    CREATE TABLE audit (
        id         BIGINT PRIMARY KEY,
        at         TEXT   NOT NULL,
        "user"     TEXT   NOT NULL,
        action     TEXT   NOT NULL,
        letter_id  BIGINT,
        detail     TEXT   NOT NULL,
        prev_hash  TEXT   NOT NULL,
        hash       TEXT   NOT NULL
    );
    CREATE FUNCTION saraban_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION 'the audit trail cannot be changed' USING ERRCODE = 'integrity_constraint_violation';
    END $$;
    CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON audit
        FOR EACH ROW EXECUTE FUNCTION saraban_append_only();
    CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit
        FOR EACH STATEMENT EXECUTE FUNCTION saraban_append_only();
    CREATE TRIGGER letters_no_truncate BEFORE TRUNCATE ON letters
        FOR EACH STATEMENT EXECUTE FUNCTION saraban_append_only();

    -- The newest entry of the chain: every writer locks this row to append.
    CREATE TABLE audit_head (
        one  BOOLEAN PRIMARY KEY DEFAULT true CHECK (one),
        id   BIGINT NOT NULL,
        hash TEXT   NOT NULL
    );
    INSERT INTO audit_head (id, hash)
        VALUES (0, '0000000000000000000000000000000000000000000000000000000000000000');

    CREATE TABLE settings (
        key   TEXT PRIMARY KEY,
        value BYTEA NOT NULL
    );
"#,
    // 2: the chain's head and its entries guarded like the letters: the head only moves to
    // the entry just appended (no clerk can point it elsewhere, which would stop every issue
    // or break the chain for good), and an entry only goes in at the head. A register
    // loaded into an empty database (saraban migrate) moves its head once, from 0 to its
    // newest entry.
    r#"
    CREATE FUNCTION saraban_head_guard() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP <> 'UPDATE' THEN
            RAISE EXCEPTION 'the audit head cannot be added or removed' USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        IF NEW.one IS DISTINCT FROM OLD.one
           OR NOT EXISTS (SELECT 1 FROM audit WHERE id = NEW.id AND hash = NEW.hash)
           OR NOT (NEW.id = OLD.id + 1 AND EXISTS (SELECT 1 FROM audit WHERE id = NEW.id AND prev_hash = OLD.hash)
                   OR OLD.id = 0 AND NEW.id = (SELECT max(id) FROM audit)) THEN
            RAISE EXCEPTION 'the audit head only moves to the entry just appended' USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        RETURN NEW;
    END $$;
    CREATE TRIGGER audit_head_guard BEFORE INSERT OR UPDATE OR DELETE ON audit_head
        FOR EACH ROW EXECUTE FUNCTION saraban_head_guard();
    CREATE TRIGGER audit_head_no_truncate BEFORE TRUNCATE ON audit_head
        FOR EACH STATEMENT EXECUTE FUNCTION saraban_append_only();

    CREATE FUNCTION saraban_audit_insert_guard() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE head audit_head%ROWTYPE;
    BEGIN
        SELECT * INTO head FROM audit_head;
        IF head.id = 0 THEN
            -- Loading a whole chain into an empty register: each entry follows the one before.
            IF NEW.id = 1 AND NEW.prev_hash = head.hash
               OR EXISTS (SELECT 1 FROM audit WHERE id = NEW.id - 1 AND hash = NEW.prev_hash) THEN
                RETURN NEW;
            END IF;
        ELSIF NEW.id = head.id + 1 AND NEW.prev_hash = head.hash THEN
            RETURN NEW;
        END IF;
        RAISE EXCEPTION 'an audit entry only goes in at the head of the chain' USING ERRCODE = 'integrity_constraint_violation';
    END $$;
    CREATE TRIGGER audit_insert_at_head BEFORE INSERT ON audit
        FOR EACH ROW EXECUTE FUNCTION saraban_audit_insert_guard();
"#,
    // 3: the incoming register (ทะเบียนหนังสือรับ), as in the SQLite file: receipts numbered
    // per calendar year with their files and hashes, routing steps appended.
    r#"
    CREATE TABLE receipt_years (
        year_be BIGINT PRIMARY KEY,
        last    BIGINT NOT NULL DEFAULT 0
    );

    CREATE TABLE received (
        id              BIGSERIAL PRIMARY KEY,
        status          TEXT   NOT NULL CHECK (status IN ('received', 'cancelled')),
        year_be         BIGINT NOT NULL,
        receipt_number  BIGINT NOT NULL,
        received_at     TEXT   NOT NULL,
        received_by     TEXT   NOT NULL,
        fields_json     TEXT   NOT NULL,
        read_by         TEXT   NOT NULL,
        kind            TEXT   NOT NULL,
        file_name       TEXT   NOT NULL,
        original        BYTEA  NOT NULL,
        sha256          TEXT   NOT NULL,
        stamped         BYTEA  NOT NULL,
        stamped_sha256  TEXT   NOT NULL,
        search_text     TEXT   NOT NULL,
        cancelled_at    TEXT,
        cancelled_by    TEXT,
        cancel_reason   TEXT,
        UNIQUE (year_be, receipt_number)
    );
    CREATE INDEX received_sha ON received (sha256);
    CREATE INDEX received_at ON received (received_at DESC, id DESC);
    CREATE INDEX received_search ON received USING gin (search_text gin_trgm_ops);

    CREATE FUNCTION saraban_received_guard() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'DELETE' THEN
            RAISE EXCEPTION 'a received letter cannot be deleted' USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        IF OLD.status = 'cancelled' OR NEW.status <> 'cancelled'
            OR (NEW.year_be, NEW.receipt_number, NEW.received_at, NEW.received_by, NEW.fields_json,
                NEW.read_by, NEW.kind, NEW.file_name, NEW.original, NEW.sha256, NEW.stamped,
                NEW.stamped_sha256, NEW.search_text)
               IS DISTINCT FROM
               (OLD.year_be, OLD.receipt_number, OLD.received_at, OLD.received_by, OLD.fields_json,
                OLD.read_by, OLD.kind, OLD.file_name, OLD.original, OLD.sha256, OLD.stamped,
                OLD.stamped_sha256, OLD.search_text) THEN
            RAISE EXCEPTION 'a received letter cannot be changed' USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        RETURN NEW;
    END $$;
    CREATE TRIGGER received_immutable BEFORE UPDATE OR DELETE ON received
        FOR EACH ROW EXECUTE FUNCTION saraban_received_guard();
    CREATE TRIGGER received_no_truncate BEFORE TRUNCATE ON received
        FOR EACH STATEMENT EXECUTE FUNCTION saraban_append_only();

    CREATE TABLE receipt_steps (
        id          BIGSERIAL PRIMARY KEY,
        receipt_id  BIGINT NOT NULL REFERENCES received(id),
        at          TEXT   NOT NULL,
        by_user     TEXT   NOT NULL,
        step_json   TEXT   NOT NULL
    );
    CREATE INDEX receipt_steps_receipt ON receipt_steps (receipt_id, id);
    CREATE TRIGGER receipt_steps_append_only BEFORE UPDATE OR DELETE ON receipt_steps
        FOR EACH ROW EXECUTE FUNCTION saraban_append_only();
    CREATE TRIGGER receipt_steps_no_truncate BEFORE TRUNCATE ON receipt_steps
        FOR EACH STATEMENT EXECUTE FUNCTION saraban_append_only();
"#,
    // 4: the replies of a receipt found by index (every receipt shown asks for its replies).
    r#"
    CREATE INDEX letters_reply_to ON letters (
        ((letter_json::jsonb -> 'reply_to' ->> 'receipt_number')),
        ((letter_json::jsonb -> 'reply_to' ->> 'year_be')));
"#,
    // 5: the mailbox (saraban@), as in the SQLite file: the address book, the sendings with
    // their messages, the messages fetched; a message kept is never changed or deleted.
    r#"
    CREATE TABLE addresses (
        id      BIGSERIAL PRIMARY KEY,
        name    TEXT NOT NULL UNIQUE,
        address TEXT NOT NULL,
        note    TEXT NOT NULL DEFAULT ''
    );
    CREATE TABLE sendings (
        id           BIGSERIAL PRIMARY KEY,
        kind         TEXT   NOT NULL CHECK (kind IN ('letter', 'receipt_reply')),
        letter_id    BIGINT REFERENCES letters(id),
        receipt_id   BIGINT REFERENCES received(id),
        name         TEXT   NOT NULL,
        address      TEXT   NOT NULL,
        message_id   TEXT   NOT NULL UNIQUE,
        eml          BYTEA  NOT NULL,
        eml_sha256   TEXT   NOT NULL,
        status       TEXT   NOT NULL CHECK (status IN ('queued', 'sent', 'failed')),
        queued_at    TEXT   NOT NULL,
        queued_by    TEXT   NOT NULL,
        attempts     BIGINT NOT NULL DEFAULT 0,
        sent_at      TEXT,
        answer       TEXT,
        acknowledged TEXT
    );
    CREATE INDEX sendings_letter ON sendings (letter_id);
    CREATE INDEX sendings_status ON sendings (status);
    CREATE TABLE mail_in (
        id           BIGSERIAL PRIMARY KEY,
        mailbox      TEXT   NOT NULL,
        uid_validity BIGINT NOT NULL,
        uid          BIGINT NOT NULL,
        message_id   TEXT,
        from_address TEXT   NOT NULL,
        from_name    TEXT   NOT NULL,
        subject      TEXT   NOT NULL,
        sent_at      TEXT,
        fetched_at   TEXT   NOT NULL,
        fetched_by   TEXT   NOT NULL,
        eml          BYTEA  NOT NULL,
        eml_sha256   TEXT   NOT NULL,
        letters      BIGINT NOT NULL,
        state        TEXT   NOT NULL,
        problem      TEXT,
        receipt_id   BIGINT REFERENCES received(id),
        settled_at   TEXT,
        settled_by   TEXT,
        UNIQUE (mailbox, uid_validity, uid)
    );
    CREATE INDEX mail_in_message ON mail_in (message_id, from_address);
    CREATE TABLE mail_seen (
        mailbox      TEXT   NOT NULL,
        uid_validity BIGINT NOT NULL,
        uid          BIGINT NOT NULL,
        PRIMARY KEY (mailbox, uid_validity, uid)
    );
    CREATE FUNCTION saraban_message_kept() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'DELETE' OR NEW.eml IS DISTINCT FROM OLD.eml
            OR NEW.eml_sha256 IS DISTINCT FROM OLD.eml_sha256
            OR NEW.message_id IS DISTINCT FROM OLD.message_id THEN
            RAISE EXCEPTION 'a message kept cannot be changed or deleted';
        END IF;
        RETURN NEW;
    END $$;
    CREATE TRIGGER sendings_kept BEFORE UPDATE OR DELETE ON sendings
        FOR EACH ROW EXECUTE FUNCTION saraban_message_kept();
    CREATE TRIGGER mail_in_kept BEFORE UPDATE OR DELETE ON mail_in
        FOR EACH ROW EXECUTE FUNCTION saraban_message_kept();
    CREATE TRIGGER sendings_no_truncate BEFORE TRUNCATE ON sendings
        FOR EACH STATEMENT EXECUTE FUNCTION saraban_append_only();
    CREATE TRIGGER mail_in_no_truncate BEFORE TRUNCATE ON mail_in
        FOR EACH STATEMENT EXECUTE FUNCTION saraban_append_only();
"#,
    // 6: signatures of issued letters, each signed copy kept (signed.rs).
    r#"
    CREATE TABLE signatures (
        id          BIGSERIAL PRIMARY KEY,
        letter_id   BIGINT NOT NULL REFERENCES letters(id),
        seq         BIGINT NOT NULL,
        kind        TEXT   NOT NULL CHECK (kind IN ('pades', 'typed')),
        signer      TEXT   NOT NULL,
        position    TEXT   NOT NULL,
        certificate TEXT   NOT NULL,
        level       TEXT   NOT NULL,
        signed_at   TEXT   NOT NULL,
        timestamp   TEXT,
        signed_by   TEXT   NOT NULL,
        pdf         BYTEA  NOT NULL,
        pdf_sha256  TEXT   NOT NULL,
        UNIQUE (letter_id, seq)
    );
    CREATE INDEX signatures_sha ON signatures (pdf_sha256);
    CREATE FUNCTION saraban_signature_kept() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION 'a signature cannot be changed or deleted' USING ERRCODE = 'integrity_constraint_violation';
    END $$;
    CREATE TRIGGER signatures_append_only BEFORE UPDATE OR DELETE ON signatures
        FOR EACH ROW EXECUTE FUNCTION saraban_signature_kept();
    CREATE TRIGGER signatures_no_truncate BEFORE TRUNCATE ON signatures
        FOR EACH STATEMENT EXECUTE FUNCTION saraban_signature_kept();
    -- The register's id, which a printed letter's signed statement names.
    INSERT INTO settings (key, value)
        VALUES ('statement.register', convert_to(substr(md5(random()::text || clock_timestamp()::text), 1, 16), 'UTF8'))
        ON CONFLICT (key) DO NOTHING;
"#,
    // 7: the issue queue (see `PgRegister::take_ticket`): a clerk about to issue takes a
    // ticket of its series and typesets, before any lock, with the number it will most
    // likely get, the last one plus the clerks ahead. `served` is the newest ticket whose
    // letter was issued. Tickets are hints, never numbers: the queue is unlogged (no disk
    // write to take one; a crash empties it, which only makes the next guesses plainer).
    r#"
    ALTER TABLE series ADD COLUMN served BIGINT NOT NULL DEFAULT 0;
    CREATE UNLOGGED TABLE series_queue (
        series_id BIGINT PRIMARY KEY,
        taken     BIGINT NOT NULL
    );
"#,
    // 8: searching newest first without reading every match (see `trigram`): the grams'
    // index keyed also by block of 8 192 letters, so that a search asks for the newest
    // block's matches first. The block key needs `btree_gin` (PostgreSQL's contrib, a
    // trusted extension); a server without it keeps the plain index, `saraban init`
    // says so, and builds this one there once the extension is installed ([`BLOCKS`]).
    BLOCKS,
    // 9: no clerk's issue waits while a search index tidies itself (see [`PENDING`]).
    PENDING,
];

/// The pending lists of the search indexes (migration 9). A GIN index takes a new row's
/// entries into a pending list and merges the list into its tree once the list outgrows
/// `gin_pending_list_limit`: 4 MB by default, some 170 letters here (a letter's entries
/// take three 8 KB pages of each list). That merge, 60–70 ms on a two-core server, was done
/// by the issue that crossed the limit, inside the series' queue, so every clerk behind it
/// waited too (the whole slowest hundredth of eight clerks issuing at once). Now each list
/// holds 32 MB (some 1 360 letters), and autovacuum merges them in the background once 200
/// letters have come since its last pass (by default it waits for a fifth of the table,
/// 200 000 letters in a register of a million): a clerk meets a merge only if the office
/// issues a thousand letters between two of autovacuum's passes, a minute apart. A search
/// reads the pending list besides the tree; one of a few hundred letters costs it little.
/// (PostgreSQL before 13 has no insert threshold: there the lists are merged by the issue
/// that fills them, as before.)
const PENDING: &str = r#"
    ALTER INDEX letters_search SET (gin_pending_list_limit = 32768);
    ALTER INDEX IF EXISTS letters_grams SET (gin_pending_list_limit = 32768);
    ALTER INDEX IF EXISTS letters_grams_block SET (gin_pending_list_limit = 32768);
    ALTER INDEX received_search SET (gin_pending_list_limit = 32768);
    DO $pending$ BEGIN
        ALTER TABLE letters SET (autovacuum_vacuum_insert_threshold = 200,
                                 autovacuum_vacuum_insert_scale_factor = 0);
        ALTER TABLE received SET (autovacuum_vacuum_insert_threshold = 200,
                                  autovacuum_vacuum_insert_scale_factor = 0);
    EXCEPTION WHEN invalid_parameter_value THEN
        NULL;
    END $pending$;
"#;

/// The block-keyed index of the grams, where `btree_gin` can be had (migration 8, and
/// `saraban init` again on a register that lacks it). Each step is a no-op once done.
const BLOCKS: &str = r#"
    DO $blocks$ BEGIN
        CREATE EXTENSION IF NOT EXISTS btree_gin;
    EXCEPTION WHEN OTHERS THEN
        NULL;
    END $blocks$;
    DO $blocks$ BEGIN
        IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'btree_gin') THEN
            SET LOCAL maintenance_work_mem = '256MB';
            CREATE INDEX IF NOT EXISTS letters_grams_block
                ON letters USING gin ((id >> 13), search_grams gin_trgm_ops)
                WITH (gin_pending_list_limit = 32768);
            DROP INDEX IF EXISTS letters_grams;
        END IF;
    END $blocks$;
"#;

/// How many bits of a letter's id its search block leaves out (8 192 letters a block:
/// reading a block's matches and walking back to the page cost about the same, √(page ×
/// block) letters, at the density where the search switches from one to the other; ~650
/// letters, some 10 ms, at this size).
pub(super) const BLOCK_SHIFT: u32 = 13;

/// Whether the register has the block-keyed index of the grams (see [`BLOCKS`]).
pub(super) fn has_blocks(tx: &mut impl postgres::GenericClient) -> Result<bool, postgres::Error> {
    Ok(tx
        .query_one(
            "SELECT EXISTS (SELECT 1 FROM pg_indexes
                            WHERE schemaname = current_schema() AND indexname = 'letters_grams_block')",
            &[],
        )?
        .get(0))
}

/// `saraban init` on a register made where `btree_gin` could not be had: builds the
/// block-keyed index now if it can (the role must own the tables); returns whether the
/// register has it.
pub(super) fn ensure_blocks(tx: &mut Transaction<'_>) -> Result<bool, postgres::Error> {
    if has_blocks(tx)? {
        return Ok(true);
    }
    let owner: bool = tx
        .query_one(
            "SELECT coalesce((SELECT pg_has_role(current_user, tableowner, 'USAGE') FROM pg_tables
                              WHERE schemaname = current_schema() AND tablename = 'letters'), false)",
            &[],
        )?
        .get(0);
    if owner {
        tx.batch_execute(BLOCKS)?;
    }
    has_blocks(tx)
}

/// What `saraban init` says of a register without the block-keyed index.
pub(super) fn blocks_note() -> (String, String) {
    (
        "เซิร์ฟเวอร์นี้ไม่มีส่วนขยาย btree_gin (อยู่ในชุด contrib ของ PostgreSQL): ค้นหาได้ครบถ้วนเหมือนเดิม แต่ในทะเบียนขนาดใหญ่ (หลายแสนฉบับ) คำที่พบไม่บ่อยจะค้นช้าลง ให้ผู้ดูแลเซิร์ฟเวอร์ติดตั้ง contrib แล้วสั่ง saraban init ด้วยผู้ใช้เจ้าของตารางอีกครั้ง ดัชนีจะสร้างให้เอง".to_string(),
        "this server has no btree_gin extension (PostgreSQL's contrib): searches find everything as before, but in a large register (hundreds of thousands of letters) a rare word is found more slowly; have the server's administrator install contrib, then run saraban init as the tables' owner again, which builds the index".to_string(),
    )
}

/// The group role whose members are the office's clerks: `saraban init`, run by the role
/// that owns the register's tables, grants it exactly what working on the register needs,
/// and nothing that could switch off a guard (only a table's owner can drop or disable its
/// triggers).
pub const CLERK_ROLE: &str = "saraban_clerk";

/// The guard triggers every register on a server has (checked by `integrity_check`).
pub const GUARDS: &[&str] = &[
    "letters_issued_immutable",
    "letters_no_truncate",
    "audit_append_only",
    "audit_no_truncate",
    "audit_insert_at_head",
    "audit_head_guard",
    "audit_head_no_truncate",
    "received_immutable",
    "received_no_truncate",
    "receipt_steps_append_only",
    "receipt_steps_no_truncate",
    "sendings_kept",
    "mail_in_kept",
    "sendings_no_truncate",
    "mail_in_no_truncate",
    "signatures_append_only",
    "signatures_no_truncate",
];

/// Grants [`CLERK_ROLE`] what a clerk's work needs, when that role exists and the
/// connected role owns the tables (a clerk's own connection grants nothing). Returns
/// whether the grants were made.
pub(super) fn grant_clerks(tx: &mut Transaction<'_>) -> Result<bool, postgres::Error> {
    let row = tx.query_one(
        "SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1),
                coalesce((SELECT pg_has_role(current_user, tableowner, 'USAGE') FROM pg_tables
                          WHERE schemaname = current_schema() AND tablename = 'letters'), false)",
        &[&CLERK_ROLE],
    )?;
    let (role, owner): (bool, bool) = (row.get(0), row.get(1));
    if !(role && owner) {
        return Ok(false);
    }
    let schema: String = tx
        .query_one("SELECT quote_ident(current_schema())", &[])?
        .get(0);
    tx.batch_execute(&format!(
        "GRANT USAGE ON SCHEMA {schema} TO {CLERK_ROLE};
         GRANT SELECT ON saraban_register TO {CLERK_ROLE};
         GRANT SELECT, INSERT, UPDATE, DELETE ON letters, letter_versions, settings TO {CLERK_ROLE};
         GRANT SELECT, INSERT, UPDATE ON series, series_queue, receipt_years TO {CLERK_ROLE};
         GRANT SELECT, INSERT, UPDATE ON received TO {CLERK_ROLE};
         GRANT SELECT, INSERT ON receipt_steps TO {CLERK_ROLE};
         GRANT SELECT, INSERT, UPDATE, DELETE ON addresses TO {CLERK_ROLE};
         GRANT SELECT, INSERT, UPDATE ON sendings, mail_in TO {CLERK_ROLE};
         GRANT SELECT, INSERT ON mail_seen, signatures TO {CLERK_ROLE};
         GRANT SELECT, INSERT ON audit TO {CLERK_ROLE};
         GRANT SELECT, UPDATE ON audit_head TO {CLERK_ROLE};
         GRANT USAGE, SELECT ON SEQUENCE series_id_seq, letters_id_seq, letter_versions_id_seq,
             received_id_seq, receipt_steps_id_seq, addresses_id_seq, sendings_id_seq,
             mail_in_id_seq, signatures_id_seq TO {CLERK_ROLE};"
    ))?;
    Ok(true)
}

/// How the connected role stands to the register: whether it owns the tables (and so could
/// switch off their guards), and whether the clerks' group role exists.
pub(super) fn roles(tx: &mut Transaction<'_>) -> Result<(String, bool, bool), postgres::Error> {
    let row = tx.query_one(
        "SELECT current_user::text,
                coalesce((SELECT pg_has_role(current_user, tableowner, 'USAGE') FROM pg_tables
                          WHERE schemaname = current_schema() AND tablename = 'letters'), false),
                EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1)",
        &[&CLERK_ROLE],
    )?;
    Ok((row.get(0), row.get(1), row.get(2)))
}

/// The schema version this build writes.
pub const VERSION: i64 = MIGRATIONS.len() as i64;

/// The advisory lock key of schema changes ("SRBN").
const LOCK: i64 = 0x5352_424E;

/// What the database holds: no table at all, a register (its version and id), or the
/// tables of some other program.
pub(super) enum State {
    Empty,
    Register { version: i64, id: String },
    Foreign,
}

pub(super) fn state(tx: &mut Transaction<'_>) -> Result<State, postgres::Error> {
    let has_marker: bool = tx
        .query_one("SELECT to_regclass('saraban_register') IS NOT NULL", &[])?
        .get(0);
    if has_marker {
        let row = tx.query_one("SELECT version, register_id FROM saraban_register", &[])?;
        return Ok(State::Register {
            version: row.get(0),
            id: row.get(1),
        });
    }
    let tables: i64 = tx
        .query_one(
            "SELECT count(*) FROM pg_catalog.pg_tables WHERE schemaname = current_schema()",
            &[],
        )?
        .get(0);
    Ok(if tables == 0 {
        State::Empty
    } else {
        State::Foreign
    })
}

/// Brings the database to the current schema (creating it in an empty database), under
/// the advisory lock. Returns the state after.
pub(super) fn migrate(tx: &mut Transaction<'_>, new_id: &str) -> Result<State, postgres::Error> {
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&LOCK])?;
    let (from, id) = match state(tx)? {
        State::Foreign => return Ok(State::Foreign),
        State::Register { version, id } if version >= VERSION => {
            return Ok(State::Register { version, id })
        }
        State::Register { version, id } => (version, id),
        State::Empty => {
            tx.batch_execute(
                "CREATE TABLE saraban_register (
                    one BOOLEAN PRIMARY KEY DEFAULT true CHECK (one),
                    application TEXT NOT NULL,
                    version BIGINT NOT NULL,
                    register_id TEXT NOT NULL)",
            )?;
            tx.execute(
                "INSERT INTO saraban_register (application, version, register_id) VALUES ('saraban', 0, $1)",
                &[&new_id],
            )?;
            (0, new_id.to_string())
        }
    };
    for sql in MIGRATIONS.iter().skip(from as usize) {
        tx.batch_execute(sql)?;
    }
    tx.execute("UPDATE saraban_register SET version = $1", &[&VERSION])?;
    grant_clerks(tx)?;
    Ok(State::Register {
        version: VERSION,
        id,
    })
}
