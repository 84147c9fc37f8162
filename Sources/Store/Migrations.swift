import GRDB

/// The schema, as named migrations. Shipped migrations are never edited: a change is a new
/// migration appended at the end. Constraints live in the schema so no code path can break them.
enum Migrations {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-intake") { db in
            try db.execute(sql: """
            CREATE TABLE campaign (
                id TEXT PRIMARY KEY NOT NULL,
                name TEXT NOT NULL,
                trackingPrefix TEXT NOT NULL UNIQUE CHECK (trackingPrefix GLOB '[A-Za-z0-9]*'),
                opensOn TEXT,
                closesOn TEXT
            );
            CREATE TABLE unit (
                id INTEGER PRIMARY KEY,
                name TEXT NOT NULL UNIQUE,
                aliases TEXT NOT NULL DEFAULT '[]',
                domains TEXT NOT NULL DEFAULT '[]',
                addresses TEXT NOT NULL DEFAULT '[]'
            );
            -- Every incoming message, whatever became of it. The raw file is named by its SHA-256.
            CREATE TABLE message (
                id INTEGER PRIMARY KEY,
                sha256 TEXT NOT NULL UNIQUE CHECK (length(sha256) = 64),
                rawPath TEXT NOT NULL,
                size INTEGER NOT NULL CHECK (size >= 0),
                source TEXT NOT NULL,
                receivedAt DATETIME NOT NULL,
                messageId TEXT,
                subject TEXT,
                fromAddress TEXT,
                status TEXT NOT NULL DEFAULT 'received'
                    CHECK (status IN ('received', 'filed', 'ignored', 'failed')),
                action TEXT CHECK (action IN ('acknowledge', 'correct', 'alreadySubmitted', 'ignore')),
                reason TEXT,
                attempts INTEGER NOT NULL DEFAULT 0,
                processedAt DATETIME,
                CHECK (status = 'received' OR processedAt IS NOT NULL),
                CHECK (status <> 'failed' OR reason IS NOT NULL)
            );
            CREATE INDEX message_on_messageId ON message(messageId);
            CREATE INDEX message_on_status ON message(status);
            CREATE TABLE submission (
                id INTEGER PRIMARY KEY,
                campaignId TEXT NOT NULL REFERENCES campaign(id),
                sequence INTEGER NOT NULL CHECK (sequence >= 1),
                trackingNumber TEXT NOT NULL UNIQUE,
                unitName TEXT,
                senderAddress TEXT NOT NULL,
                senderName TEXT,
                title TEXT,
                status TEXT NOT NULL CHECK (status IN
                    ('acknowledged', 'needsCorrection', 'alreadySubmitted', 'accepted', 'rejected')),
                createdAt DATETIME NOT NULL,
                updatedAt DATETIME NOT NULL,
                UNIQUE (campaignId, sequence)
            );
            CREATE INDEX submission_on_status ON submission(status);
            CREATE TABLE version (
                id INTEGER PRIMARY KEY,
                submissionId INTEGER NOT NULL REFERENCES submission(id),
                number INTEGER NOT NULL CHECK (number >= 1),
                messageRowId INTEGER NOT NULL UNIQUE REFERENCES message(id),
                action TEXT NOT NULL CHECK (action IN ('acknowledge', 'correct', 'alreadySubmitted')),
                createdAt DATETIME NOT NULL,
                UNIQUE (submissionId, number)
            );
            CREATE TABLE file (
                id INTEGER PRIMARY KEY,
                versionId INTEGER NOT NULL REFERENCES version(id),
                sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
                size INTEGER NOT NULL CHECK (size >= 0),
                filename TEXT,
                contentType TEXT NOT NULL,
                carriedFromVersionId INTEGER REFERENCES version(id)
            );
            CREATE INDEX file_on_version ON file(versionId);
            CREATE INDEX file_on_sha256 ON file(sha256);
            CREATE TABLE problem (
                id INTEGER PRIMARY KEY,
                versionId INTEGER NOT NULL REFERENCES version(id),
                code TEXT NOT NULL,
                severity TEXT NOT NULL CHECK (severity IN ('info', 'warning', 'error')),
                message TEXT NOT NULL
            );
            CREATE INDEX problem_on_version ON problem(versionId);
            -- The outbox. One automatic reply per incoming message at most (staff replies have no
            -- message); its Message-ID is deterministic.
            CREATE TABLE reply (
                id INTEGER PRIMARY KEY,
                messageRowId INTEGER UNIQUE REFERENCES message(id),
                submissionId INTEGER REFERENCES submission(id),
                kind TEXT NOT NULL CHECK (kind IN ('acknowledge', 'correct', 'alreadySubmitted', 'decision')),
                recipient TEXT NOT NULL CHECK (instr(recipient, char(10)) = 0 AND instr(recipient, char(13)) = 0),
                subject TEXT NOT NULL,
                body TEXT NOT NULL,
                headerMessageId TEXT NOT NULL UNIQUE,
                inReplyTo TEXT,
                referencesList TEXT NOT NULL DEFAULT '',
                status TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sent', 'failed')),
                attempts INTEGER NOT NULL DEFAULT 0,
                lastError TEXT,
                createdAt DATETIME NOT NULL,
                sentAt DATETIME
            );
            CREATE INDEX reply_on_status ON reply(status);
            -- Every automatic decision and staff action. Append-only, enforced by triggers.
            CREATE TABLE event (
                id INTEGER PRIMARY KEY,
                at DATETIME NOT NULL,
                actor TEXT NOT NULL,
                kind TEXT NOT NULL,
                submissionId INTEGER REFERENCES submission(id),
                messageRowId INTEGER REFERENCES message(id),
                detail TEXT NOT NULL DEFAULT ''
            );
            CREATE INDEX event_on_submission ON event(submissionId);
            CREATE TRIGGER event_is_append_only_update BEFORE UPDATE ON event
                BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;
            CREATE TRIGGER event_is_append_only_delete BEFORE DELETE ON event
                BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;
            """)
        }
        migrator.registerMigration("v2-poller") { db in
            try db.execute(sql: """
            -- Where the poller is in each mailbox. A changed (or missing) UIDVALIDITY means a rescan.
            CREATE TABLE mailbox_checkpoint (
                mailbox TEXT PRIMARY KEY NOT NULL,
                uidValidity INTEGER,
                lastUid INTEGER NOT NULL DEFAULT 0 CHECK (lastUid >= 0),
                lastPollAt DATETIME,
                lastError TEXT,
                lastErrorAt DATETIME
            );
            -- Attempts per server message, written before processing: a message that keeps
            -- killing or failing intake is moved aside after max_attempts.
            CREATE TABLE imap_attempt (
                mailbox TEXT NOT NULL,
                uidValidity INTEGER NOT NULL,
                uid INTEGER NOT NULL,
                attempts INTEGER NOT NULL CHECK (attempts >= 1),
                lastError TEXT,
                PRIMARY KEY (mailbox, uidValidity, uid)
            );
            """)
        }
        migrator.registerMigration("v3-dispatch") { db in
            // When a reply that met a temporary failure may be tried again.
            try db.execute(sql: "ALTER TABLE reply ADD COLUMN nextAttemptAt DATETIME")
        }
        migrator.registerMigration("v4-reply-throttle") { db in
            // A reply may be suppressed (rate limit, identical reply): the status CHECK grows, which
            // SQLite can only do by rebuilding the table. contentKey identifies "the same reply".
            try db.execute(sql: """
            CREATE TABLE reply_new (
                id INTEGER PRIMARY KEY,
                messageRowId INTEGER UNIQUE REFERENCES message(id),
                submissionId INTEGER REFERENCES submission(id),
                kind TEXT NOT NULL CHECK (kind IN ('acknowledge', 'correct', 'alreadySubmitted', 'decision')),
                recipient TEXT NOT NULL CHECK (instr(recipient, char(10)) = 0 AND instr(recipient, char(13)) = 0),
                subject TEXT NOT NULL,
                body TEXT NOT NULL,
                headerMessageId TEXT NOT NULL UNIQUE,
                inReplyTo TEXT,
                referencesList TEXT NOT NULL DEFAULT '',
                status TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sent', 'failed', 'suppressed')),
                attempts INTEGER NOT NULL DEFAULT 0,
                lastError TEXT,
                createdAt DATETIME NOT NULL,
                sentAt DATETIME,
                nextAttemptAt DATETIME,
                contentKey TEXT
            );
            INSERT INTO reply_new (id, messageRowId, submissionId, kind, recipient, subject, body, headerMessageId, inReplyTo,
                                   referencesList, status, attempts, lastError, createdAt, sentAt, nextAttemptAt)
                SELECT id, messageRowId, submissionId, kind, recipient, subject, body, headerMessageId, inReplyTo,
                       referencesList, status, attempts, lastError, createdAt, sentAt, nextAttemptAt FROM reply;
            DROP TABLE reply;
            ALTER TABLE reply_new RENAME TO reply;
            CREATE INDEX reply_on_status ON reply(status);
            CREATE INDEX reply_on_recipient ON reply(lower(recipient), createdAt);
            """)
        }
        migrator.registerMigration("v5-materials") { db in
            try db.execute(sql: """
            -- What each file turned out to be (MaterialChecks.MaterialFacts as JSON), per content and
            -- name: examined once, reused when the file is carried into a later version.
            CREATE TABLE material (
                sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
                name TEXT NOT NULL,
                kind TEXT NOT NULL,
                facts TEXT NOT NULL,
                examinedAt DATETIME NOT NULL,
                PRIMARY KEY (sha256, name)
            );
            -- From the nomination form: who is nominated, as a team or an individual.
            ALTER TABLE submission ADD COLUMN nominee TEXT;
            ALTER TABLE submission ADD COLUMN category TEXT CHECK (category IN ('团队', '个人'));
            -- A message may now file several nominations (one per form): a version per nomination,
            -- so messageRowId is no longer unique on its own (rebuilt: SQLite cannot drop a UNIQUE).
            CREATE TABLE version_new (
                id INTEGER PRIMARY KEY,
                submissionId INTEGER NOT NULL REFERENCES submission(id),
                number INTEGER NOT NULL CHECK (number >= 1),
                messageRowId INTEGER NOT NULL REFERENCES message(id),
                nominationIndex INTEGER NOT NULL DEFAULT 0 CHECK (nominationIndex >= 0),
                action TEXT NOT NULL CHECK (action IN ('acknowledge', 'correct', 'alreadySubmitted')),
                createdAt DATETIME NOT NULL,
                UNIQUE (submissionId, number),
                UNIQUE (messageRowId, nominationIndex)
            );
            INSERT INTO version_new (id, submissionId, number, messageRowId, action, createdAt)
                SELECT id, submissionId, number, messageRowId, action, createdAt FROM version;
            DROP TABLE version;
            ALTER TABLE version_new RENAME TO version;
            """)
        }
        migrator.registerMigration("v6-earlier-campaigns") { db in
            try db.execute(sql: """
            -- Lists of what earlier campaigns took (imported from CSV/.xlsx), for duplicate checks.
            CREATE TABLE earlier_campaign (
                id TEXT PRIMARY KEY NOT NULL CHECK (id != ''),
                name TEXT NOT NULL,
                createdAt DATETIME NOT NULL
            );
            CREATE TABLE earlier_record (
                id INTEGER PRIMARY KEY,
                campaignId TEXT NOT NULL REFERENCES earlier_campaign(id),
                externalId TEXT NOT NULL,
                unit TEXT NOT NULL,
                unitKey TEXT NOT NULL,
                category TEXT CHECK (category IN ('团队', '个人')),
                nominee TEXT,
                nomineeKey TEXT,
                title TEXT NOT NULL,
                titleKey TEXT NOT NULL,
                submittedOn TEXT,
                importedAt DATETIME NOT NULL,
                UNIQUE (campaignId, externalId)
            );
            CREATE INDEX earlier_record_on_nominee ON earlier_record(nomineeKey, unitKey);
            CREATE TABLE earlier_file (
                recordId INTEGER NOT NULL REFERENCES earlier_record(id),
                fileName TEXT,
                sha256 TEXT NOT NULL CHECK (length(sha256) = 64)
            );
            CREATE INDEX earlier_file_on_sha256 ON earlier_file(sha256);
            -- An essay's MinHash signature (earlier records' documents, and this campaign's essays),
            -- with one row per LSH band key so a check looks up a handful of candidates by index.
            CREATE TABLE essay_fingerprint (
                id INTEGER PRIMARY KEY,
                earlierRecordId INTEGER REFERENCES earlier_record(id),
                submissionId INTEGER REFERENCES submission(id),
                sha256 TEXT NOT NULL,
                normalizedLength INTEGER NOT NULL,
                shingleCount INTEGER NOT NULL,
                signature BLOB NOT NULL,
                CHECK ((earlierRecordId IS NULL) != (submissionId IS NULL))
            );
            CREATE INDEX essay_fingerprint_on_submission ON essay_fingerprint(submissionId);
            CREATE TABLE essay_band (
                bandKey INTEGER NOT NULL,
                fingerprintId INTEGER NOT NULL REFERENCES essay_fingerprint(id)
            );
            CREATE INDEX essay_band_on_key ON essay_band(bandKey);
            -- What the duplicate check found for a version: the evidence `tuibao dupes` shows.
            CREATE TABLE duplicate_match (
                id INTEGER PRIMARY KEY,
                versionId INTEGER NOT NULL REFERENCES version(id),
                code TEXT NOT NULL,
                earlierRecordId INTEGER REFERENCES earlier_record(id),
                otherSubmissionId INTEGER REFERENCES submission(id),
                essaySimilarity REAL,
                titleSimilarity REAL,
                sharedFiles TEXT NOT NULL DEFAULT '[]',
                sameNominee INTEGER NOT NULL DEFAULT 0
            );
            CREATE INDEX duplicate_match_on_version ON duplicate_match(versionId);
            ALTER TABLE submission ADD COLUMN nomineeKey TEXT;
            ALTER TABLE submission ADD COLUMN unitKey TEXT;
            """)
        }
        // One record per deed: files know their role and what they replaced, staff can take a
        // file out of the current version, and a version keeps its pending download links.
        migrator.registerMigration("v7-deeds") { db in
            try db.execute(sql: """
                ALTER TABLE file ADD COLUMN role TEXT;
                ALTER TABLE file ADD COLUMN replacesFileId INTEGER REFERENCES file(id);
                ALTER TABLE file ADD COLUMN removedAt DATETIME;
                ALTER TABLE file ADD COLUMN removedBy TEXT;
                ALTER TABLE version ADD COLUMN pendingLinks TEXT NOT NULL DEFAULT '[]';
                -- A submission staff merged into another (a wrong split): it stays, as a copy.
                ALTER TABLE submission ADD COLUMN mergedIntoId INTEGER REFERENCES submission(id);
                -- Winnowed passage anchors of each indexed essay: a cut or padded copy finds its
                -- original through the passages they share, where LSH bands miss it.
                CREATE TABLE essay_anchor (
                    anchorKey INTEGER NOT NULL,
                    fingerprintId INTEGER NOT NULL REFERENCES essay_fingerprint(id)
                );
                CREATE INDEX essay_anchor_on_key ON essay_anchor(anchorKey);
                CREATE INDEX submission_on_unit ON submission(unitName, status);
                CREATE INDEX submission_on_sender ON submission(senderAddress COLLATE NOCASE, status);
                """)
        }
        // Attempts count only work that died on a message; a service killed while holding one
        // counts as an interruption, with its own, higher limit (imap_attempt had attempts ≥ 1).
        migrator.registerMigration("v8-attempts") { db in
            try db.execute(sql: """
                CREATE TABLE imap_work (
                    mailbox TEXT NOT NULL,
                    uidValidity INTEGER NOT NULL,
                    uid INTEGER NOT NULL,
                    attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
                    interruptions INTEGER NOT NULL DEFAULT 0 CHECK (interruptions >= 0),
                    inHand INTEGER NOT NULL DEFAULT 0 CHECK (inHand IN (0, 1)),
                    lastError TEXT,
                    PRIMARY KEY (mailbox, uidValidity, uid)
                );
                INSERT INTO imap_work (mailbox, uidValidity, uid, attempts, lastError)
                    SELECT mailbox, uidValidity, uid, attempts, lastError FROM imap_attempt;
                DROP TABLE imap_attempt;
                ALTER TABLE imap_work RENAME TO imap_attempt;
                -- Small named values of the store itself (the stamp of the keys' registry).
                CREATE TABLE setting (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL);
                """)
        }
        // The IMAP IDLE connection's state, written by `serve` for `tuibao status` (another process).
        migrator.registerMigration("v9-idle") { db in
            try db.execute(sql: """
                CREATE TABLE mailbox_idle (
                    mailbox TEXT PRIMARY KEY NOT NULL,
                    state TEXT NOT NULL,
                    serverOffersIdle INTEGER,
                    serviceStartedAt DATETIME,
                    idlingSince DATETIME,
                    lastExistsAt DATETIME,
                    lastExists INTEGER,
                    reconnects INTEGER NOT NULL DEFAULT 0 CHECK (reconnects >= 0),
                    lastError TEXT,
                    lastErrorAt DATETIME,
                    updatedAt DATETIME NOT NULL
                );
                """)
        }
        migrator.registerMigration("v10-search") { db in
            // One row per submission (rowid = submission.id): what staff search by. Trigrams
            // find any run of three or more characters, so Chinese needs no word breaking.
            try db.execute(sql: """
                CREATE VIRTUAL TABLE submission_search USING fts5(
                    trackingNumber, nominee, title, unit, sender, essay, tokenize = 'trigram');
                ALTER TABLE submission ADD COLUMN assignee TEXT;
                """)
        }
        // The website column (专题): which deeds staff chose to show, by whom and when. Only the
        // current marks live here; adding and removing are logged as events.
        migrator.registerMigration("v11-published") { db in
            try db.execute(sql: """
                CREATE TABLE published (
                    submissionId INTEGER PRIMARY KEY NOT NULL REFERENCES submission(id),
                    publishedBy TEXT NOT NULL,
                    publishedAt DATETIME NOT NULL
                );
                """)
        }
        migrator.registerMigration("v12-covering-keys") { db in
            // The candidate queries read only (key, fingerprintId): with both in the index they
            // never touch the tables. At 100,000 essays a common passage's anchor has ~80 rows,
            // each a random table lookup through the old single-column index.
            try db.execute(sql: """
                CREATE INDEX essay_band_on_key_fingerprint ON essay_band(bandKey, fingerprintId);
                DROP INDEX essay_band_on_key;
                CREATE INDEX essay_anchor_on_key_fingerprint ON essay_anchor(anchorKey, fingerprintId);
                DROP INDEX essay_anchor_on_key;
                """)
        }
        // The committee review (`tuibao review`): rounds with their criteria as they were when
        // opened, the shortlist, who reviews what, declared conflicts of interest, and every score
        // ever entered (append-only; a later entry supersedes, the earlier ones stay). A closed
        // round is frozen by the schema itself.
        migrator.registerMigration("v13-review") { db in
            try db.execute(sql: """
                CREATE TABLE review_round (
                    id INTEGER PRIMARY KEY,
                    name TEXT NOT NULL UNIQUE CHECK (length(trim(name)) > 0),
                    criteria TEXT NOT NULL,
                    reviewersPerDeed INTEGER NOT NULL CHECK (reviewersPerDeed >= 1),
                    openedAt DATETIME NOT NULL,
                    openedBy TEXT NOT NULL,
                    closedAt DATETIME,
                    closedBy TEXT,
                    CHECK ((closedAt IS NULL) = (closedBy IS NULL))
                );
                -- At most one round open at a time.
                CREATE UNIQUE INDEX review_round_one_open ON review_round((closedAt IS NULL)) WHERE closedAt IS NULL;
                CREATE TRIGGER review_round_stays_closed BEFORE UPDATE ON review_round WHEN OLD.closedAt IS NOT NULL
                    BEGIN SELECT RAISE(ABORT, 'the review round is closed'); END;
                CREATE TRIGGER review_round_kept BEFORE DELETE ON review_round
                    BEGIN SELECT RAISE(ABORT, 'review rounds are kept'); END;

                CREATE TABLE review_shortlist (
                    roundId INTEGER NOT NULL REFERENCES review_round(id),
                    submissionId INTEGER NOT NULL REFERENCES submission(id),
                    addedAt DATETIME NOT NULL,
                    addedBy TEXT NOT NULL,
                    PRIMARY KEY (roundId, submissionId)
                );
                CREATE TABLE review_assignment (
                    id INTEGER PRIMARY KEY,
                    roundId INTEGER NOT NULL REFERENCES review_round(id),
                    submissionId INTEGER NOT NULL REFERENCES submission(id),
                    reviewer TEXT NOT NULL CHECK (reviewer = lower(reviewer) AND instr(reviewer, '@') > 1),
                    assignedAt DATETIME NOT NULL,
                    assignedBy TEXT NOT NULL,
                    UNIQUE (roundId, submissionId, reviewer)
                );
                CREATE INDEX review_assignment_on_reviewer ON review_assignment(roundId, reviewer);
                -- A reviewer who must not review one deed, or any deed of one unit.
                CREATE TABLE review_conflict (
                    id INTEGER PRIMARY KEY,
                    roundId INTEGER NOT NULL REFERENCES review_round(id),
                    reviewer TEXT NOT NULL CHECK (reviewer = lower(reviewer)),
                    submissionId INTEGER REFERENCES submission(id),
                    unitName TEXT,
                    reason TEXT NOT NULL CHECK (length(trim(reason)) > 0),
                    declaredAt DATETIME NOT NULL,
                    declaredBy TEXT NOT NULL,
                    CHECK ((submissionId IS NULL) <> (unitName IS NULL))
                );
                -- One entry per `review score` (or, later, per returned sheet row): its values are
                -- in review_score. Version n of (round, deed, reviewer) supersedes 1 … n-1.
                CREATE TABLE review_entry (
                    id INTEGER PRIMARY KEY,
                    roundId INTEGER NOT NULL REFERENCES review_round(id),
                    submissionId INTEGER NOT NULL REFERENCES submission(id),
                    reviewer TEXT NOT NULL CHECK (reviewer = lower(reviewer)),
                    version INTEGER NOT NULL CHECK (version >= 1),
                    comment TEXT,
                    source TEXT NOT NULL CHECK (source IN ('staff', 'sheet')),
                    enteredAt DATETIME NOT NULL,
                    enteredBy TEXT NOT NULL,
                    UNIQUE (roundId, submissionId, reviewer, version)
                );
                CREATE TABLE review_score (
                    entryId INTEGER NOT NULL REFERENCES review_entry(id),
                    criterion TEXT NOT NULL,
                    value REAL NOT NULL CHECK (value >= 1 AND value <= 10),
                    PRIMARY KEY (entryId, criterion)
                );
                CREATE TRIGGER review_entry_is_append_only_update BEFORE UPDATE ON review_entry
                    BEGIN SELECT RAISE(ABORT, 'review scores are append-only'); END;
                CREATE TRIGGER review_entry_is_append_only_delete BEFORE DELETE ON review_entry
                    BEGIN SELECT RAISE(ABORT, 'review scores are append-only'); END;
                CREATE TRIGGER review_score_is_append_only_update BEFORE UPDATE ON review_score
                    BEGIN SELECT RAISE(ABORT, 'review scores are append-only'); END;
                CREATE TRIGGER review_score_is_append_only_delete BEFORE DELETE ON review_score
                    BEGIN SELECT RAISE(ABORT, 'review scores are append-only'); END;
                CREATE TRIGGER review_score_frozen_insert BEFORE INSERT ON review_score
                    WHEN (SELECT r.closedAt FROM review_entry e JOIN review_round r ON r.id = e.roundId
                          WHERE e.id = NEW.entryId) IS NOT NULL
                    BEGIN SELECT RAISE(ABORT, 'the review round is closed'); END;
                """)
            // A closed round is frozen: nothing is shortlisted, assigned, declared or scored in it.
            for (table, operation, row) in [("review_shortlist", "INSERT", "NEW"), ("review_shortlist", "DELETE", "OLD"),
                                            ("review_assignment", "INSERT", "NEW"), ("review_assignment", "DELETE", "OLD"),
                                            ("review_conflict", "INSERT", "NEW"), ("review_entry", "INSERT", "NEW")] {
                try db.execute(sql: """
                    CREATE TRIGGER \(table)_frozen_\(operation.lowercased()) BEFORE \(operation) ON \(table)
                        WHEN (SELECT closedAt FROM review_round WHERE id = \(row).roundId) IS NOT NULL
                        BEGIN SELECT RAISE(ABORT, 'the review round is closed'); END;
                    """)
            }
        }
        migrator.registerMigration("v14-review-mail") { db in
            // Review by e-mail: the outbox carries attachments and two new kinds of mail (a
            // reviewer's scoring sheet, the receipt for a returned one); the kind CHECK grows,
            // which SQLite can only do by rebuilding the table.
            try db.execute(sql: """
            CREATE TABLE reply_new (
                id INTEGER PRIMARY KEY,
                messageRowId INTEGER UNIQUE REFERENCES message(id),
                submissionId INTEGER REFERENCES submission(id),
                kind TEXT NOT NULL CHECK (kind IN ('acknowledge', 'correct', 'alreadySubmitted', 'decision',
                                                   'reviewSheet', 'reviewReceipt')),
                recipient TEXT NOT NULL CHECK (instr(recipient, char(10)) = 0 AND instr(recipient, char(13)) = 0),
                subject TEXT NOT NULL,
                body TEXT NOT NULL,
                headerMessageId TEXT NOT NULL UNIQUE,
                inReplyTo TEXT,
                referencesList TEXT NOT NULL DEFAULT '',
                status TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sent', 'failed', 'suppressed')),
                attempts INTEGER NOT NULL DEFAULT 0,
                lastError TEXT,
                createdAt DATETIME NOT NULL,
                sentAt DATETIME,
                nextAttemptAt DATETIME,
                contentKey TEXT
            );
            INSERT INTO reply_new SELECT id, messageRowId, submissionId, kind, recipient, subject, body, headerMessageId,
                inReplyTo, referencesList, status, attempts, lastError, createdAt, sentAt, nextAttemptAt, contentKey FROM reply;
            DROP TABLE reply;
            ALTER TABLE reply_new RENAME TO reply;
            CREATE INDEX reply_on_status ON reply(status);
            CREATE INDEX reply_on_recipient ON reply(lower(recipient), createdAt);

            -- Files sent with a reply, kept in the content-addressed file store.
            CREATE TABLE reply_attachment (
                replyId INTEGER NOT NULL REFERENCES reply(id),
                position INTEGER NOT NULL CHECK (position >= 0),
                filename TEXT NOT NULL CHECK (length(filename) > 0 AND instr(filename, '/') = 0),
                mediaType TEXT NOT NULL,
                sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
                size INTEGER NOT NULL CHECK (size >= 0),
                PRIMARY KEY (replyId, position)
            );
            -- Each scoring sheet mailed to a reviewer: the deeds it lists, the workbook sent.
            CREATE TABLE review_sheet (
                id INTEGER PRIMARY KEY,
                roundId INTEGER NOT NULL REFERENCES review_round(id),
                reviewer TEXT NOT NULL CHECK (reviewer = lower(reviewer)),
                replyId INTEGER NOT NULL UNIQUE REFERENCES reply(id),
                deeds TEXT NOT NULL,
                sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
                createdAt DATETIME NOT NULL,
                createdBy TEXT NOT NULL
            );
            CREATE INDEX review_sheet_on_reviewer ON review_sheet(roundId, reviewer);
            -- Each scoring sheet that came back, filed or refused: every version is kept (the
            -- raw mail in the spool, the workbook in the file store).
            CREATE TABLE review_return (
                id INTEGER PRIMARY KEY,
                roundId INTEGER REFERENCES review_round(id),
                reviewer TEXT,
                messageRowId INTEGER NOT NULL UNIQUE REFERENCES message(id),
                sender TEXT NOT NULL,
                sha256 TEXT,
                outcome TEXT NOT NULL CHECK (outcome IN ('filed', 'refused')),
                detail TEXT NOT NULL,
                receivedAt DATETIME NOT NULL
            );
            CREATE TRIGGER review_return_kept_update BEFORE UPDATE ON review_return
                BEGIN SELECT RAISE(ABORT, 'returned sheets are kept as they came'); END;
            CREATE TRIGGER review_return_kept_delete BEFORE DELETE ON review_return
                BEGIN SELECT RAISE(ABORT, 'returned sheets are kept as they came'); END;
            ALTER TABLE review_entry ADD COLUMN returnId INTEGER REFERENCES review_return(id);
            -- The year's best: deeds of a closed round chosen by staff (from the ranking), which
            -- go to the website column marked as such.
            CREATE TABLE review_choice (
                roundId INTEGER NOT NULL REFERENCES review_round(id),
                submissionId INTEGER NOT NULL REFERENCES submission(id),
                rank INTEGER CHECK (rank IS NULL OR rank >= 1),
                chosenAt DATETIME NOT NULL,
                chosenBy TEXT NOT NULL,
                PRIMARY KEY (roundId, submissionId)
            );
            CREATE TRIGGER review_choice_needs_closed_round BEFORE INSERT ON review_choice
                WHEN (SELECT closedAt FROM review_round WHERE id = NEW.roundId) IS NULL
                BEGIN SELECT RAISE(ABORT, 'deeds are chosen from a closed round'); END;
            """)
        }
        return migrator
    }
}
