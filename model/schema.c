/* The cache schema. Each entry takes the schema one version forward; entries are never edited
 * once released, only appended. */
#include "model/schema.h"

#include "model/db.h"

#include <stddef.h>

static const char *const migrations[] = {
    /* 1: accounts, authors, threads, posts with full-text search, drafts, outbox, audit. */
    "CREATE TABLE accounts ("
    "  id INTEGER PRIMARY KEY,"
    "  name TEXT NOT NULL UNIQUE,"
    "  platform TEXT NOT NULL,"
    "  base_url TEXT,"
    "  cursor TEXT,"
    "  last_sync TEXT,"
    "  last_error TEXT);"
    "CREATE TABLE authors ("
    "  id INTEGER PRIMARY KEY,"
    "  account_id INTEGER NOT NULL REFERENCES accounts(id),"
    "  handle TEXT NOT NULL,"
    "  display_name TEXT NOT NULL DEFAULT '',"
    "  UNIQUE (account_id, handle));"
    "CREATE TABLE threads ("
    "  id INTEGER PRIMARY KEY,"
    "  account_id INTEGER NOT NULL REFERENCES accounts(id),"
    "  root_remote_id TEXT NOT NULL,"
    "  title TEXT,"
    "  url TEXT,"
    "  first_activity TEXT NOT NULL DEFAULT '',"
    "  last_activity TEXT NOT NULL DEFAULT '',"
    "  last_post_id INTEGER,"
    "  post_count INTEGER NOT NULL DEFAULT 0,"
    "  state TEXT NOT NULL DEFAULT 'new' CHECK (state IN ('new', 'to_reply', 'waiting',"
    "    'replied', 'no_action', 'escalated', 'closed')),"
    "  priority INTEGER NOT NULL DEFAULT 0,"
    "  assignee TEXT,"
    "  snoozed_until TEXT,"
    "  UNIQUE (account_id, root_remote_id));"
    "CREATE INDEX threads_activity ON threads (last_activity DESC, id DESC);"
    "CREATE INDEX threads_state ON threads (state, last_activity DESC);"
    "CREATE TABLE thread_tags ("
    "  thread_id INTEGER NOT NULL REFERENCES threads(id) ON DELETE CASCADE,"
    "  tag TEXT NOT NULL,"
    "  PRIMARY KEY (thread_id, tag)) WITHOUT ROWID;"
    "CREATE INDEX thread_tags_tag ON thread_tags (tag);"
    "CREATE TABLE notes ("
    "  id INTEGER PRIMARY KEY,"
    "  thread_id INTEGER NOT NULL REFERENCES threads(id) ON DELETE CASCADE,"
    "  officer TEXT NOT NULL,"
    "  created_at TEXT NOT NULL,"
    "  body TEXT NOT NULL);"
    "CREATE INDEX notes_thread ON notes (thread_id, id);"
    "CREATE TABLE posts ("
    "  id INTEGER PRIMARY KEY,"
    "  account_id INTEGER NOT NULL REFERENCES accounts(id),"
    "  thread_id INTEGER NOT NULL REFERENCES threads(id),"
    "  remote_id TEXT NOT NULL,"
    "  parent_remote_id TEXT,"
    "  author_id INTEGER NOT NULL REFERENCES authors(id),"
    "  created_at TEXT NOT NULL,"
    "  body TEXT NOT NULL,"
    "  html TEXT,"
    "  url TEXT,"
    "  own INTEGER NOT NULL DEFAULT 0,"
    "  UNIQUE (account_id, remote_id));"
    "CREATE INDEX posts_thread ON posts (thread_id, created_at);"
    "CREATE INDEX posts_author ON posts (author_id);"
    /* Thread summaries follow their posts, whichever way the posts are written. */
    "CREATE TRIGGER posts_thread_ins AFTER INSERT ON posts BEGIN"
    "  UPDATE threads SET post_count = post_count + 1,"
    "    first_activity = CASE WHEN first_activity = '' OR new.created_at < first_activity"
    "      THEN new.created_at ELSE first_activity END,"
    "    last_post_id = CASE WHEN new.created_at >= last_activity THEN new.id"
    "      ELSE last_post_id END,"
    "    last_activity = max(last_activity, new.created_at)"
    "  WHERE id = new.thread_id;"
    "END;"
    /* Full-text index over post text and author names. */
    "CREATE VIRTUAL TABLE posts_fts USING fts5(body, author,"
    "  tokenize = 'unicode61 remove_diacritics 2');"
    "CREATE TRIGGER posts_fts_ins AFTER INSERT ON posts BEGIN"
    "  INSERT INTO posts_fts (rowid, body, author) SELECT new.id, new.body,"
    "    handle || ' ' || display_name FROM authors WHERE id = new.author_id;"
    "END;"
    "CREATE TRIGGER posts_fts_upd AFTER UPDATE OF body, author_id ON posts BEGIN"
    "  DELETE FROM posts_fts WHERE rowid = old.id;"
    "  INSERT INTO posts_fts (rowid, body, author) SELECT new.id, new.body,"
    "    handle || ' ' || display_name FROM authors WHERE id = new.author_id;"
    "END;"
    "CREATE TRIGGER posts_fts_del AFTER DELETE ON posts BEGIN"
    "  DELETE FROM posts_fts WHERE rowid = old.id;"
    "END;"
    "CREATE TRIGGER authors_fts_upd AFTER UPDATE OF handle, display_name ON authors BEGIN"
    "  UPDATE posts_fts SET author = new.handle || ' ' || new.display_name"
    "  WHERE rowid IN (SELECT id FROM posts WHERE author_id = new.id);"
    "END;"
    "CREATE TABLE drafts ("
    "  id INTEGER PRIMARY KEY,"
    "  thread_id INTEGER NOT NULL REFERENCES threads(id),"
    "  in_reply_to TEXT,"
    "  pattern TEXT,"
    "  body TEXT NOT NULL DEFAULT '',"
    "  state TEXT NOT NULL DEFAULT 'editing' CHECK (state IN ('editing', 'pending_approval',"
    "    'returned', 'approved', 'queued', 'sent', 'discarded')),"
    "  officer TEXT NOT NULL,"
    "  created_at TEXT NOT NULL,"
    "  updated_at TEXT NOT NULL,"
    "  reviewer TEXT,"
    "  review_comment TEXT);"
    "CREATE INDEX drafts_thread ON drafts (thread_id);"
    "CREATE TABLE outbox ("
    "  id INTEGER PRIMARY KEY,"
    "  draft_id INTEGER REFERENCES drafts(id),"
    "  account_id INTEGER NOT NULL REFERENCES accounts(id),"
    "  thread_id INTEGER NOT NULL REFERENCES threads(id),"
    "  in_reply_to TEXT,"
    "  body TEXT NOT NULL,"
    "  idempotency_key TEXT NOT NULL UNIQUE,"
    "  state TEXT NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'sending', 'sent',"
    "    'failed')),"
    "  attempts INTEGER NOT NULL DEFAULT 0,"
    "  last_error TEXT,"
    "  remote_id TEXT,"
    "  remote_url TEXT,"
    "  created_at TEXT NOT NULL,"
    "  sent_at TEXT);"
    "CREATE TABLE audit ("
    "  id INTEGER PRIMARY KEY,"
    "  at TEXT NOT NULL,"
    "  officer TEXT NOT NULL,"
    "  action TEXT NOT NULL,"
    "  thread_id INTEGER,"
    "  details TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(details)));"
    "CREATE INDEX audit_thread ON audit (thread_id, id);"
    "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN"
    "  SELECT RAISE(ABORT, 'the audit log is append-only');"
    "END;"
    "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN"
    "  SELECT RAISE(ABORT, 'the audit log is append-only');"
    "END;",

    /* 2: a per-thread read marker for the inbox's unread flag. */
    "ALTER TABLE threads ADD COLUMN seen_at TEXT;",

    /* 3: thread summaries also follow posts whose time changes or that move thread. */
    "CREATE TRIGGER posts_thread_upd AFTER UPDATE OF created_at, thread_id ON posts BEGIN"
    "  UPDATE threads SET"
    "    post_count = (SELECT count(*) FROM posts WHERE thread_id = threads.id),"
    "    first_activity = coalesce((SELECT min(created_at) FROM posts"
    "      WHERE thread_id = threads.id), ''),"
    "    last_activity = coalesce((SELECT max(created_at) FROM posts"
    "      WHERE thread_id = threads.id), ''),"
    "    last_post_id = (SELECT id FROM posts WHERE thread_id = threads.id"
    "      ORDER BY created_at DESC, id DESC LIMIT 1)"
    "  WHERE id IN (old.thread_id, new.thread_id);"
    "END;",

    /* 4: syncing with the platforms and sending replies, and inbox sort orders.
     * - posts.meta: a post's platform extras as a JSON object (Bluesky cid and root reference,
     *   Mastodon visibility and author acct), which replies need.
     * - accounts.limits: what the platform allows (characters per post ...) as JSON;
     *   accounts.remote_user: who the account is there (@name@host, Bluesky handle, WordPress
     *   user name) as people see it, for `tactful accounts`.
     * - outbox.officer: who queued the reply (for the audit log); outbox.claimed_at and
     *   claimed_by (host:pid): when and by which process the last send attempt started, so a
     *   send cut short is recognised and checked before it is retried.
     * - indexes for the inbox sorted by priority or age and for counts without snoozed threads.
     * - thread summaries are recomputed once to repair caches where they drifted before 3. */
    "ALTER TABLE posts ADD COLUMN meta TEXT CHECK (meta IS NULL OR json_valid(meta));"
    "ALTER TABLE accounts ADD COLUMN limits TEXT CHECK (limits IS NULL OR json_valid(limits));"
    "ALTER TABLE accounts ADD COLUMN remote_user TEXT;"
    "ALTER TABLE outbox ADD COLUMN officer TEXT;"
    "ALTER TABLE outbox ADD COLUMN claimed_at TEXT;"
    "ALTER TABLE outbox ADD COLUMN claimed_by TEXT;"
    "CREATE INDEX outbox_state ON outbox (state, id);"
    "CREATE INDEX threads_priority ON threads (priority DESC, last_activity DESC, id DESC);"
    "CREATE INDEX threads_age ON threads (first_activity, id);"
    "CREATE INDEX threads_state_snooze ON threads (state, snoozed_until);"
    "UPDATE threads SET"
    "  post_count = (SELECT count(*) FROM posts p WHERE p.thread_id = threads.id),"
    "  first_activity = coalesce((SELECT min(created_at) FROM posts p"
    "    WHERE p.thread_id = threads.id), ''),"
    "  last_activity = coalesce((SELECT max(created_at) FROM posts p"
    "    WHERE p.thread_id = threads.id), ''),"
    "  last_post_id = (SELECT id FROM posts p WHERE p.thread_id = threads.id"
    "    ORDER BY created_at DESC, id DESC LIMIT 1);",

    /* 5: new posts reach the full-text index and their threads' summaries once per write run
     * (post_writer_finish) rather than once per post: FTS5 flushes at every statement, which
     * made these per-row triggers most of the cost of a sync. */
    "DROP TRIGGER posts_fts_ins;"
    "DROP TRIGGER posts_thread_ins;",

    /* 6: offline review bundles (model/bundle.h).
     * - cache_info: facts about this cache file; 'id' is its random identity, so that a bundle
     *   is merged only into the cache it was exported from.
     * - bundle: one row when this cache file is an offline review bundle: the bundle's id, the
     *   id and path of the cache it came from, where (host), when and by whom it was exported,
     *   and the last audit entry and note it was written with (later ones were made offline).
     * - bundle_threads, bundle_drafts: the baseline, each exported thread's triage and each
     *   exported draft as they were at export, to tell changes on each side apart. */
    "CREATE TABLE cache_info ("
    "  key TEXT PRIMARY KEY,"
    "  value TEXT NOT NULL) WITHOUT ROWID;"
    "INSERT INTO cache_info (key, value) VALUES ('id', lower(hex(randomblob(16))));"
    "CREATE TABLE bundle ("
    "  id TEXT PRIMARY KEY,"
    "  origin TEXT NOT NULL,"
    "  origin_path TEXT NOT NULL,"
    "  host TEXT NOT NULL,"
    "  exported_at TEXT NOT NULL,"
    "  exported_by TEXT NOT NULL,"
    "  audit_max INTEGER NOT NULL,"
    "  note_max INTEGER NOT NULL);"
    "CREATE TABLE bundle_threads ("
    "  thread_id INTEGER PRIMARY KEY,"
    "  state TEXT NOT NULL,"
    "  priority INTEGER NOT NULL,"
    "  assignee TEXT,"
    "  snoozed_until TEXT,"
    "  tags TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(tags)));"
    "CREATE TABLE bundle_drafts ("
    "  draft_id INTEGER PRIMARY KEY,"
    "  thread_id INTEGER NOT NULL,"
    "  state TEXT NOT NULL,"
    "  body TEXT NOT NULL,"
    "  officer TEXT NOT NULL,"
    "  updated_at TEXT NOT NULL);",
    /* 7: posts stored shortened to fit the cache's limits (model/post.h) are marked. */
    "ALTER TABLE posts ADD COLUMN shortened INTEGER NOT NULL DEFAULT 0;",

    /* 8: one syncer per account (model/synclock.h): the process that syncs an account holds
     * its row here (its pid, host and start time), so that a second tactful on the same cache
     * skips that account and says who is syncing it. */
    "CREATE TABLE sync_locks ("
    "  account TEXT PRIMARY KEY,"
    "  holder_pid INTEGER NOT NULL,"
    "  holder_host TEXT NOT NULL,"
    "  started_at TEXT NOT NULL) WITHOUT ROWID;",

    /* 9: a smaller cache and a start that does not grow with it.
     * - The full-text index keeps no copy of the text: its content is read, for snippets,
     *   from post_search_source (each post's body and its author's names) by post id. An
     *   index without its own copy cannot find a row's old words, so every removal passes
     *   them ('delete' with the old values). Posts above the highest indexed id are the
     *   ones a post writer has not finished yet (post_writer_finish indexes them): the
     *   triggers leave those alone, so nothing is indexed twice.
     * - thread_state_counts: threads per triage state, kept by triggers, so the inbox's
     *   counts are read, not counted. */
    "DROP TRIGGER posts_fts_upd;"
    "DROP TRIGGER posts_fts_del;"
    "DROP TRIGGER authors_fts_upd;"
    "DROP TABLE posts_fts;"
    "CREATE VIEW post_search_source AS SELECT p.id AS id, p.body AS body,"
    "  a.handle || ' ' || a.display_name AS author"
    "  FROM posts p JOIN authors a ON a.id = p.author_id;"
    "CREATE VIRTUAL TABLE posts_fts USING fts5(body, author, content = 'post_search_source',"
    "  content_rowid = 'id', tokenize = 'unicode61 remove_diacritics 2');"
    "INSERT INTO posts_fts (posts_fts) VALUES ('rebuild');"
    "CREATE TRIGGER posts_fts_upd AFTER UPDATE OF body, author_id ON posts"
    "  WHEN old.id <= (SELECT max(id) FROM posts_fts_docsize) BEGIN"
    "  INSERT INTO posts_fts (posts_fts, rowid, body, author) SELECT 'delete', old.id,"
    "    old.body, handle || ' ' || display_name FROM authors WHERE id = old.author_id;"
    "  INSERT INTO posts_fts (rowid, body, author) SELECT new.id, new.body,"
    "    handle || ' ' || display_name FROM authors WHERE id = new.author_id;"
    "END;"
    "CREATE TRIGGER posts_fts_del AFTER DELETE ON posts"
    "  WHEN old.id <= (SELECT max(id) FROM posts_fts_docsize) BEGIN"
    "  INSERT INTO posts_fts (posts_fts, rowid, body, author) SELECT 'delete', old.id,"
    "    old.body, handle || ' ' || display_name FROM authors WHERE id = old.author_id;"
    "END;"
    /* One statement, its rows sorted before any is written: each post's old words go
     * before its new ones, and the bound is read once. */
    "CREATE TRIGGER authors_fts_upd AFTER UPDATE OF handle, display_name ON authors BEGIN"
    "  INSERT INTO posts_fts (posts_fts, rowid, body, author)"
    "  SELECT cmd, id, body, author FROM ("
    "    SELECT 'delete' AS cmd, p.id AS id, p.body AS body,"
    "      old.handle || ' ' || old.display_name AS author, 0 AS k FROM posts p"
    "      WHERE p.author_id = old.id AND p.id <= (SELECT max(id) FROM posts_fts_docsize)"
    "    UNION ALL"
    "    SELECT NULL, p.id, p.body, new.handle || ' ' || new.display_name, 1 FROM posts p"
    "      WHERE p.author_id = new.id AND p.id <= (SELECT max(id) FROM posts_fts_docsize))"
    "  ORDER BY id, k;"
    "END;"
    "CREATE TABLE thread_state_counts ("
    "  state TEXT PRIMARY KEY,"
    "  n INTEGER NOT NULL) WITHOUT ROWID;"
    "INSERT INTO thread_state_counts (state, n) SELECT state, count(*) FROM threads"
    "  GROUP BY state;"
    "CREATE TRIGGER threads_count_ins AFTER INSERT ON threads BEGIN"
    "  INSERT INTO thread_state_counts (state, n) VALUES (new.state, 1)"
    "    ON CONFLICT (state) DO UPDATE SET n = n + 1;"
    "END;"
    "CREATE TRIGGER threads_count_upd AFTER UPDATE OF state ON threads"
    "  WHEN old.state IS NOT new.state BEGIN"
    "  UPDATE thread_state_counts SET n = n - 1 WHERE state = old.state;"
    "  INSERT INTO thread_state_counts (state, n) VALUES (new.state, 1)"
    "    ON CONFLICT (state) DO UPDATE SET n = n + 1;"
    "END;"
    "CREATE TRIGGER threads_count_del AFTER DELETE ON threads BEGIN"
    "  UPDATE thread_state_counts SET n = n - 1 WHERE state = old.state;"
    "END;",

    /* 10: the inbox's reply markers read a thread's drafts and outbox entries by thread and
     * state from the indexes alone (model/thread.c, ROW_COLUMNS). */
    "DROP INDEX drafts_thread;"
    "CREATE INDEX drafts_thread ON drafts (thread_id, state);"
    "CREATE INDEX outbox_thread ON outbox (thread_id, state);",

    /* 11: a thread's topic, set by an officer, which fills a template's {topic}. */
    "ALTER TABLE threads ADD COLUMN topic TEXT;",

    /* 12: posts marked as opinions on a policy topic (model/insight.h). */
    "CREATE TABLE insights ("
    "  id INTEGER PRIMARY KEY,"
    "  post_id INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE,"
    "  topic TEXT NOT NULL,"
    "  stance TEXT CHECK (stance IN ('for', 'against', 'mixed', 'question')),"
    "  quote TEXT,"
    "  name_author INTEGER NOT NULL DEFAULT 0,"
    "  override TEXT,"
    "  officer TEXT NOT NULL,"
    "  marked_at TEXT NOT NULL,"
    "  UNIQUE (post_id, topic));"
    "CREATE INDEX insights_topic ON insights (topic, post_id);",

    /* 13: a review bundle's baseline keeps each exported thread's topic, so the topic merges
     * back like the thread's other triage fields (model/bundle_merge.c). */
    "ALTER TABLE bundle_threads ADD COLUMN topic TEXT;",

    /* 14: the last sync of each account as the interface's status bar, its help and
     * `tactful accounts` report it: when it was last tried (good or failed: last_sync stays
     * the last good one) and how many new threads its last good sync brought. */
    "ALTER TABLE accounts ADD COLUMN last_attempt TEXT;"
    "ALTER TABLE accounts ADD COLUMN last_new INTEGER;",

    /* 15: reports (model/report.c) find each thread's first post from the public and the
     * office's first reply after it with one seek each, from this index alone. */
    "CREATE INDEX posts_thread_own ON posts (thread_id, own, created_at);",

    /* 16: what changed upstream (model/upstream.h). A post deleted on its platform, or hidden
     * from the account there, is kept with its text for the audit trail and marked: when it
     * was found gone and why. A thread whose platform would refuse a reply (comments closed,
     * replies limited by the author) says why. */
    "ALTER TABLE posts ADD COLUMN deleted_at TEXT;"
    "ALTER TABLE posts ADD COLUMN deleted_reason TEXT;"
    "ALTER TABLE threads ADD COLUMN reply_refused TEXT;",
};

_Static_assert(sizeof migrations / sizeof migrations[0] == DB_SCHEMA_VERSION,
               "one migration per schema version");

const char *
schema_migration(int version)
{
    if (version < 1 || version > DB_SCHEMA_VERSION)
        return NULL;
    return migrations[version - 1];
}
