-- A database written by grove-server 1.0 (schema version 1) over HTTP, dumped with sqlite3 .dump:
-- the upgrade test (tests/server/http_v11_test.cpp) loads it and starts today's server on it.
PRAGMA foreign_keys=OFF;
BEGIN TRANSACTION;
CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at_ms INTEGER NOT NULL);
INSERT INTO schema_migrations VALUES(1,1796293823764);
CREATE TABLE sequences (name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
INSERT INTO sequences VALUES('rev',14);
CREATE TABLE posts (
            id TEXT PRIMARY KEY,
            module TEXT NOT NULL,
            parent_id TEXT,
            kind TEXT NOT NULL,
            body TEXT NOT NULL,
            author_id TEXT NOT NULL,
            author_name TEXT NOT NULL,
            author_role TEXT NOT NULL,
            created_at_ms INTEGER NOT NULL,
            edited_at_ms INTEGER,
            endorsements INTEGER NOT NULL DEFAULT 0,
            trusted_endorsements INTEGER NOT NULL DEFAULT 0,
            pinned INTEGER NOT NULL DEFAULT 0,
            hidden INTEGER NOT NULL DEFAULT 0,
            deleted INTEGER NOT NULL DEFAULT 0,
            rev INTEGER NOT NULL UNIQUE
        );
INSERT INTO posts VALUES('v1-insight','fire-101',NULL,'insight','Keep the extinguisher pin in until you aim.','ann','Ann Learner','learner',1796293828523,NULL,2,1,0,0,0,11);
INSERT INTO posts VALUES('v1-reply','fire-101','v1-insight','question','Does that hold for CO2 ones too?','bob','Bob Learner','learner',1796293828543,NULL,0,0,0,0,0,2);
INSERT INTO posts VALUES('v1-tip','fire-101',NULL,'tip','The assembly point moved to car park B.','bob','Bob Learner','learner',1796293828575,NULL,0,0,0,0,0,3);
INSERT INTO posts VALUES('v1-by-curator','fire-101',NULL,'insight','Off-topic rant.','ann','Ann Learner','learner',1796293828607,NULL,0,0,0,1,0,12);
INSERT INTO posts VALUES('v1-by-flags','fire-101',NULL,'insight','Flagged three times.','dan','Dan Learner','learner',1796293828636,NULL,0,0,0,1,0,13);
INSERT INTO posts VALUES('v1-deleted','fire-101',NULL,'insight','','ann','Ann Learner','learner',1796293828674,NULL,0,0,0,0,1,14);
INSERT INTO posts VALUES('v1-hr','hr-onboarding',NULL,'insight','Badge photos are on Tuesdays.','eve','Eve Learner','learner',1796293828696,NULL,0,0,0,0,0,7);
INSERT INTO posts VALUES('v1-lead','hr-onboarding',NULL,'leader_learning','We onboard faster with a buddy.','lea','Lea Leader','leader',1796293828711,NULL,0,0,0,1,0,9);
CREATE TABLE endorsements (
            post_id TEXT NOT NULL REFERENCES posts (id),
            user_id TEXT NOT NULL,
            trusted INTEGER NOT NULL,
            created_at_ms INTEGER NOT NULL,
            PRIMARY KEY (post_id, user_id)
        ) WITHOUT ROWID;
INSERT INTO endorsements VALUES('v1-insight','bob',0,1796293828760);
INSERT INTO endorsements VALUES('v1-insight','lea',1,1796293828788);
CREATE TABLE flags (
            post_id TEXT NOT NULL REFERENCES posts (id),
            user_id TEXT NOT NULL,
            reason TEXT NOT NULL,
            created_at_ms INTEGER NOT NULL,
            resolved_at_ms INTEGER,
            PRIMARY KEY (post_id, user_id)
        ) WITHOUT ROWID;
INSERT INTO flags VALUES('v1-by-curator','u9','rude',1796293829246,NULL);
INSERT INTO flags VALUES('v1-by-flags','u1','spam',1796293829926,NULL);
INSERT INTO flags VALUES('v1-by-flags','u2','spam',1796293830607,NULL);
INSERT INTO flags VALUES('v1-by-flags','u3','spam',1796293831398,NULL);
CREATE INDEX posts_by_module_rev ON posts (module, rev);
CREATE INDEX posts_by_kind_created ON posts (kind, created_at_ms);
CREATE INDEX flags_open ON flags (resolved_at_ms, post_id);
COMMIT;
