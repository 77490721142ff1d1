/*
 * Schema migrations: numbered steps of constant SQL. Each step runs in its
 * own transaction together with the PRAGMA user_version that records it,
 * so a crash or an error mid-step leaves the database at the previous
 * version, never half way. Add a step at the end; never edit a shipped one.
 *
 * sqlite3_exec is used here on purpose: the text is a compile-time
 * constant with several statements, never anything a user typed.
 */
#include <stdio.h>

#include "hdb_internal.h"

/* Design notes for v1:
 * - Times are ms since the epoch (INTEGER); "never" is NULL, not 0.
 * - Names are stored already folded by the server, so plain BINARY UNIQUE
 *   is the right comparison.
 * - A user's rows go with the user (ON DELETE CASCADE), because deleting
 *   an account must really erase it; rooms only lose their creator link.
 * - room_events is keyed by (room_id, seq) WITHOUT ROWID: history reads
 *   are range scans on exactly that key. UNIQUE(room_id, user_id, cid)
 *   makes sends idempotent; NULL cids (joins, leaves) never collide.
 * - rooms.last_seq is the per-room counter, updated in the transaction
 *   that inserts the event, so seqs have no gaps. */
static const char MIGRATION_1[] =
    "CREATE TABLE users ("
    "  id INTEGER PRIMARY KEY,"
    "  handle TEXT NOT NULL UNIQUE CHECK (length(handle) > 0),"
    "  role INTEGER NOT NULL DEFAULT 0 CHECK (role BETWEEN 0 AND 2),"
    "  status INTEGER NOT NULL DEFAULT 1 CHECK (status >= 1),"
    "  pw_hash TEXT NOT NULL,"
    "  created_at INTEGER NOT NULL"
    ");"
    "CREATE TABLE tokens ("
    "  id INTEGER PRIMARY KEY,"
    "  token_hash BLOB NOT NULL UNIQUE CHECK (length(token_hash) = 32),"
    "  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
    "  created_at INTEGER NOT NULL,"
    "  last_used_at INTEGER NOT NULL,"
    "  expires_at INTEGER NOT NULL"
    ");"
    "CREATE INDEX tokens_by_user ON tokens(user_id);"
    "CREATE TABLE rooms ("
    "  id INTEGER PRIMARY KEY,"
    "  name TEXT NOT NULL UNIQUE CHECK (length(name) > 0),"
    "  title TEXT NOT NULL DEFAULT '',"
    "  topic TEXT NOT NULL DEFAULT '',"
    "  visibility INTEGER NOT NULL DEFAULT 0 CHECK (visibility IN (0, 1)),"
    "  creator_id INTEGER REFERENCES users(id) ON DELETE SET NULL,"
    "  created_at INTEGER NOT NULL,"
    "  last_seq INTEGER NOT NULL DEFAULT 0 CHECK (last_seq >= 0)"
    ");"
    "CREATE INDEX rooms_by_creator ON rooms(creator_id);"
    "CREATE TABLE room_members ("
    "  room_id INTEGER NOT NULL REFERENCES rooms(id) ON DELETE CASCADE,"
    "  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
    "  joined_at INTEGER NOT NULL,"
    "  PRIMARY KEY (room_id, user_id)"
    ") WITHOUT ROWID;"
    "CREATE INDEX room_members_by_user ON room_members(user_id);"
    "CREATE TABLE room_events ("
    "  room_id INTEGER NOT NULL REFERENCES rooms(id) ON DELETE CASCADE,"
    "  seq INTEGER NOT NULL CHECK (seq > 0),"
    "  kind INTEGER NOT NULL CHECK (kind IN (0, 1, 2)),"
    "  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
    "  ts INTEGER NOT NULL,"
    "  text TEXT,"
    "  cid TEXT,"
    "  PRIMARY KEY (room_id, seq),"
    "  UNIQUE (room_id, user_id, cid)"
    ") WITHOUT ROWID;"
    "CREATE INDEX room_events_by_user ON room_events(user_id);"
    "CREATE TABLE invites ("
    "  id INTEGER PRIMARY KEY,"
    "  code TEXT NOT NULL UNIQUE CHECK (length(code) > 0),"
    "  room_id INTEGER REFERENCES rooms(id) ON DELETE CASCADE,"
    "  created_by INTEGER REFERENCES users(id) ON DELETE SET NULL,"
    "  created_at INTEGER NOT NULL,"
    "  expires_at INTEGER,"
    "  uses_left INTEGER CHECK (uses_left IS NULL OR uses_left >= 0)"
    ");"
    "CREATE INDEX invites_by_room ON invites(room_id);"
    "CREATE INDEX invites_by_creator ON invites(created_by);"
    "CREATE TABLE settings ("
    "  key TEXT PRIMARY KEY NOT NULL,"
    "  value TEXT NOT NULL"
    ");";

/* v2, meetings: a room may be a meeting room with a format text (its
 * opening statement and readings), a share length and a named chair; each
 * member has a role in the room (0 member, 1 moderator, 2 host). Rooms
 * made before v2 get their creator as host. */
static const char MIGRATION_2[] =
    "ALTER TABLE rooms ADD COLUMN meeting INTEGER NOT NULL DEFAULT 0 CHECK (meeting IN (0, 1));"
    "ALTER TABLE rooms ADD COLUMN format TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE rooms ADD COLUMN share_seconds INTEGER NOT NULL DEFAULT 300"
    "  CHECK (share_seconds BETWEEN 60 AND 1800);"
    "ALTER TABLE rooms ADD COLUMN chair_id INTEGER REFERENCES users(id) ON DELETE SET NULL;"
    "ALTER TABLE room_members ADD COLUMN role INTEGER NOT NULL DEFAULT 0 CHECK (role IN (0, 1, 2));"
    "UPDATE room_members SET role = 2 WHERE EXISTS (SELECT 1 FROM rooms r"
    "  WHERE r.id = room_members.room_id AND r.creator_id = room_members.user_id);";

/* v3, moderation: room settings (slow mode, lock, member limit, newcomer
 * wait), account suspension, room sanctions (0 mute, 1 ban; until NULL =
 * no end), the audit log (handles kept as text so the record outlives a
 * renamed or erased account; it never holds message text), and room
 * events that can be taken down: kind 3 "removed" (no author; target_seq
 * says which message), flags 1 = a message a moderator removed (its text
 * is erased), 2 = a member a moderator removed. SQLite cannot change a
 * CHECK in place, so room_events is rebuilt. */
static const char MIGRATION_3[] =
    "ALTER TABLE rooms ADD COLUMN slow_seconds INTEGER NOT NULL DEFAULT 0"
    "  CHECK (slow_seconds BETWEEN 0 AND 3600);"
    "ALTER TABLE rooms ADD COLUMN locked INTEGER NOT NULL DEFAULT 0 CHECK (locked IN (0, 1));"
    "ALTER TABLE rooms ADD COLUMN member_limit INTEGER NOT NULL DEFAULT 0"
    "  CHECK (member_limit BETWEEN 0 AND 100000);"
    "ALTER TABLE rooms ADD COLUMN newcomer_seconds INTEGER NOT NULL DEFAULT 0"
    "  CHECK (newcomer_seconds BETWEEN 0 AND 86400);"
    "ALTER TABLE users ADD COLUMN suspended INTEGER NOT NULL DEFAULT 0 CHECK (suspended IN (0, 1));"
    "ALTER TABLE users ADD COLUMN suspended_until INTEGER;"
    "CREATE TABLE sanctions ("
    "  room_id INTEGER NOT NULL REFERENCES rooms(id) ON DELETE CASCADE,"
    "  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
    "  kind INTEGER NOT NULL CHECK (kind IN (0, 1)),"
    "  until INTEGER,"
    "  created_at INTEGER NOT NULL,"
    "  PRIMARY KEY (room_id, user_id, kind)"
    ") WITHOUT ROWID;"
    "CREATE INDEX sanctions_by_user ON sanctions(user_id);"
    "CREATE TABLE audit_log ("
    "  id INTEGER PRIMARY KEY,"
    "  room_id INTEGER REFERENCES rooms(id) ON DELETE CASCADE,"
    "  ts INTEGER NOT NULL,"
    "  actor_id INTEGER REFERENCES users(id) ON DELETE SET NULL,"
    "  actor TEXT NOT NULL,"
    "  action TEXT NOT NULL,"
    "  target_id INTEGER REFERENCES users(id) ON DELETE SET NULL,"
    "  target TEXT,"
    "  reason TEXT NOT NULL DEFAULT '',"
    "  seq INTEGER NOT NULL DEFAULT 0,"
    "  until INTEGER"
    ");"
    "CREATE INDEX audit_by_room ON audit_log(room_id, id);"
    "CREATE INDEX audit_by_actor ON audit_log(actor_id);"
    "CREATE INDEX audit_by_target ON audit_log(target_id);"
    "CREATE TABLE room_events_v3 ("
    "  room_id INTEGER NOT NULL REFERENCES rooms(id) ON DELETE CASCADE,"
    "  seq INTEGER NOT NULL CHECK (seq > 0),"
    "  kind INTEGER NOT NULL CHECK (kind IN (0, 1, 2, 3)),"
    "  user_id INTEGER REFERENCES users(id) ON DELETE CASCADE,"
    "  ts INTEGER NOT NULL,"
    "  text TEXT,"
    "  cid TEXT,"
    "  flags INTEGER NOT NULL DEFAULT 0,"
    "  target_seq INTEGER,"
    "  PRIMARY KEY (room_id, seq),"
    "  UNIQUE (room_id, user_id, cid)"
    ") WITHOUT ROWID;"
    "INSERT INTO room_events_v3 (room_id, seq, kind, user_id, ts, text, cid)"
    "  SELECT room_id, seq, kind, user_id, ts, text, cid FROM room_events;"
    "DROP TABLE room_events;"
    "ALTER TABLE room_events_v3 RENAME TO room_events;"
    "CREATE INDEX room_events_by_user ON room_events(user_id);";

/* v4, blocks and reports: a block is personal (blocker, blocked); a
 * report keeps an excerpt of the reported message (the one place message
 * text is kept for moderation: only what someone reported). status 0 open,
 * 1 actioned, 2 dismissed. users.seen_notice: told once that Hearth is not
 * a crisis service. */
static const char MIGRATION_4[] =
    "CREATE TABLE blocks ("
    "  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
    "  blocked_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
    "  created_at INTEGER NOT NULL,"
    "  PRIMARY KEY (user_id, blocked_id)"
    ") WITHOUT ROWID;"
    "CREATE INDEX blocks_by_blocked ON blocks(blocked_id);"
    "CREATE TABLE reports ("
    "  id INTEGER PRIMARY KEY,"
    "  ts INTEGER NOT NULL,"
    "  reporter_id INTEGER REFERENCES users(id) ON DELETE SET NULL,"
    "  reporter TEXT NOT NULL,"
    "  room_id INTEGER REFERENCES rooms(id) ON DELETE CASCADE,"
    "  seq INTEGER NOT NULL DEFAULT 0,"
    "  target_id INTEGER REFERENCES users(id) ON DELETE SET NULL,"
    "  target TEXT NOT NULL,"
    "  reason TEXT NOT NULL,"
    "  excerpt TEXT,"
    "  status INTEGER NOT NULL DEFAULT 0 CHECK (status IN (0, 1, 2)),"
    "  resolved_by INTEGER REFERENCES users(id) ON DELETE SET NULL,"
    "  resolved_at INTEGER"
    ");"
    "CREATE INDEX reports_by_status ON reports(status, id);"
    "CREATE INDEX reports_by_room ON reports(room_id);"
    "CREATE INDEX reports_by_reporter ON reports(reporter_id);"
    "CREATE INDEX reports_by_target ON reports(target_id);"
    "CREATE INDEX reports_by_resolver ON reports(resolved_by);"
    "ALTER TABLE users ADD COLUMN seen_notice INTEGER NOT NULL DEFAULT 0 CHECK (seen_notice IN (0, 1));";

/* v5, attendance: private to each member; one row per stretch of presence
 * in an open meeting (meeting_at: when that meeting opened, so rejoining
 * the same meeting counts it once). */
static const char MIGRATION_5[] =
    "CREATE TABLE attendance ("
    "  id INTEGER PRIMARY KEY,"
    "  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
    "  room_id INTEGER NOT NULL REFERENCES rooms(id) ON DELETE CASCADE,"
    "  meeting_at INTEGER NOT NULL,"
    "  started_at INTEGER NOT NULL,"
    "  ended_at INTEGER NOT NULL CHECK (ended_at >= started_at)"
    ");"
    "CREATE INDEX attendance_by_user ON attendance(user_id, started_at);"
    "CREATE INDEX attendance_by_room ON attendance(room_id);";

/* v6, retention: keep a room's messages N days (0 = keep), or never write
 * them at all (ephemeral: only the seq counter is stored). */
static const char MIGRATION_6[] =
    "ALTER TABLE rooms ADD COLUMN retention_days INTEGER NOT NULL DEFAULT 0"
    "  CHECK (retention_days BETWEEN 0 AND 3650);"
    "ALTER TABLE rooms ADD COLUMN ephemeral INTEGER NOT NULL DEFAULT 0 CHECK (ephemeral IN (0, 1));"
    "CREATE INDEX room_events_by_age ON room_events(room_id, ts);";

/* v7, weekly schedules: a meeting room's slots, each a weekly time in its
 * own time zone (days: bit 0 Monday .. bit 6 Sunday). */
static const char MIGRATION_7[] =
    "CREATE TABLE meeting_slots ("
    "  room_id INTEGER NOT NULL REFERENCES rooms(id) ON DELETE CASCADE,"
    "  slot INTEGER NOT NULL CHECK (slot >= 0),"
    "  days INTEGER NOT NULL CHECK (days BETWEEN 1 AND 127),"
    "  start_minute INTEGER NOT NULL CHECK (start_minute BETWEEN 0 AND 1439),"
    "  minutes INTEGER NOT NULL CHECK (minutes BETWEEN 5 AND 720),"
    "  tz TEXT NOT NULL CHECK (length(tz) BETWEEN 1 AND 64),"
    "  PRIMARY KEY (room_id, slot)"
    ") WITHOUT ROWID;";

/* v8, buddies (issue 4): a room may be a private conversation (kind 1
 * between buddies, 2 for support); buddy pairs and pending requests (one
 * row per two people, user_lo < user_hi); pings; the matching pool and the
 * proposals it made (declined ones are kept: that pair is never proposed
 * again). */
static const char MIGRATION_8[] =
    "ALTER TABLE rooms ADD COLUMN kind INTEGER NOT NULL DEFAULT 0 CHECK (kind IN (0, 1, 2));"
    "CREATE TABLE buddies ("
    "  user_lo INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
    "  user_hi INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
    "  paired INTEGER NOT NULL CHECK (paired IN (0, 1)),"
    "  requested_by INTEGER NOT NULL CHECK (requested_by IN (user_lo, user_hi)),"
    "  since INTEGER NOT NULL,"
    "  PRIMARY KEY (user_lo, user_hi),"
    "  CHECK (user_lo < user_hi)"
    ") WITHOUT ROWID;"
    "CREATE INDEX buddies_by_hi ON buddies(user_hi);"
    "CREATE TABLE pings ("
    "  id INTEGER PRIMARY KEY,"
    "  from_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
    "  to_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
    "  kind INTEGER NOT NULL CHECK (kind BETWEEN 0 AND 3),"
    "  text TEXT,"
    "  cid TEXT,"
    "  ts INTEGER NOT NULL,"
    "  delivered_at INTEGER,"
    "  seen_at INTEGER,"
    "  UNIQUE (from_id, cid)"
    ");"
    "CREATE INDEX pings_to ON pings(to_id, id);"
    "CREATE INDEX pings_by_age ON pings(ts);"
    "CREATE TABLE match_pool ("
    "  user_id INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,"
    "  joined_at INTEGER NOT NULL,"
    "  utc_offset INTEGER NOT NULL CHECK (utc_offset BETWEEN -720 AND 840),"
    "  language TEXT NOT NULL,"
    "  approach INTEGER NOT NULL CHECK (approach BETWEEN 0 AND 3),"
    "  clean_days INTEGER CHECK (clean_days BETWEEN 0 AND 36500),"
    "  want_more INTEGER NOT NULL CHECK (want_more IN (0, 1))"
    ");"
    "CREATE TABLE match_proposals ("
    "  id INTEGER PRIMARY KEY,"
    "  user_a INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
    "  user_b INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
    "  created_at INTEGER NOT NULL,"
    "  expires_at INTEGER NOT NULL,"
    "  a_accepted INTEGER NOT NULL DEFAULT 0,"
    "  b_accepted INTEGER NOT NULL DEFAULT 0,"
    "  state INTEGER NOT NULL DEFAULT 0 CHECK (state BETWEEN 0 AND 3)"
    ");"
    "CREATE INDEX match_proposals_a ON match_proposals(user_a);"
    "CREATE INDEX match_proposals_b ON match_proposals(user_b);";

/* v9, support requests (issue 4): who is available to support (only
 * counted while connected), and every request with the times that say how
 * long the person waited. A request's conversation is a room of kind 2. */
static const char MIGRATION_9[] =
    "CREATE TABLE supporters ("
    "  user_id INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,"
    "  since INTEGER NOT NULL"
    ");"
    "CREATE TABLE support_requests ("
    "  id INTEGER PRIMARY KEY,"
    "  requester_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
    "  urgency INTEGER NOT NULL CHECK (urgency BETWEEN 0 AND 2),"
    "  note TEXT,"
    "  cid TEXT,"
    "  created_at INTEGER NOT NULL,"
    "  state INTEGER NOT NULL CHECK (state BETWEEN 0 AND 5),"
    "  helper_id INTEGER REFERENCES users(id) ON DELETE SET NULL,"
    "  accepted_at INTEGER,"
    "  closed_at INTEGER,"
    "  room_id INTEGER REFERENCES rooms(id) ON DELETE SET NULL,"
    "  UNIQUE (requester_id, cid)"
    ");"
    "CREATE INDEX support_by_state ON support_requests(state);"
    "CREATE INDEX support_by_age ON support_requests(created_at);";

/* v10, check-ins and the personal plan (issue 5): each member's settings
 * (their time zone, who sees what, thresholds; and when they were last
 * seen, for buddies' deliveries and isolation nudges), one check-in per
 * member per local day (signs as a comma-separated list of names), the
 * crisis card, the trigger action plan and reasons, clean-time periods
 * (to_day NULL = the current one) and the milestones already told. */
static const char MIGRATION_10[] =
    "CREATE TABLE user_settings ("
    "  user_id INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,"
    "  tz TEXT NOT NULL DEFAULT 'UTC',"
    "  checkin_share INTEGER NOT NULL DEFAULT 0 CHECK (checkin_share IN (0, 1, 2)),"
    "  checkin_room_id INTEGER REFERENCES rooms(id) ON DELETE SET NULL,"
    "  warning_threshold INTEGER NOT NULL DEFAULT 3 CHECK (warning_threshold BETWEEN 1 AND 11),"
    "  alert_buddies INTEGER NOT NULL DEFAULT 0 CHECK (alert_buddies IN (0, 1)),"
    "  isolation_nudges INTEGER NOT NULL DEFAULT 0 CHECK (isolation_nudges IN (0, 1)),"
    "  isolation_days INTEGER NOT NULL DEFAULT 2 CHECK (isolation_days BETWEEN 1 AND 14),"
    "  meeting_goal INTEGER NOT NULL DEFAULT 0 CHECK (meeting_goal BETWEEN 0 AND 21),"
    "  sobriety_share INTEGER NOT NULL DEFAULT 0 CHECK (sobriety_share IN (0, 1, 3)),"
    "  milestone_room_id INTEGER REFERENCES rooms(id) ON DELETE SET NULL,"
    "  last_seen_at INTEGER,"
    "  last_nudge_at INTEGER"
    ");"
    "CREATE TABLE checkins ("
    "  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
    "  day TEXT NOT NULL CHECK (length(day) = 10),"
    "  ts INTEGER NOT NULL,"
    "  mood INTEGER NOT NULL CHECK (mood BETWEEN 1 AND 5),"
    "  craving INTEGER CHECK (craving BETWEEN 0 AND 10),"
    "  signs TEXT NOT NULL DEFAULT '',"
    "  grateful TEXT,"
    "  win TEXT,"
    "  note TEXT,"
    "  shared INTEGER NOT NULL DEFAULT 0 CHECK (shared IN (0, 1, 2)),"
    "  PRIMARY KEY (user_id, day)"
    ") WITHOUT ROWID;"
    "CREATE INDEX checkins_by_ts ON checkins(ts);"
    "CREATE TABLE card_contacts ("
    "  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
    "  pos INTEGER NOT NULL,"
    "  name TEXT NOT NULL,"
    "  phone TEXT NOT NULL,"
    "  note TEXT,"
    "  PRIMARY KEY (user_id, pos)"
    ") WITHOUT ROWID;"
    "CREATE TABLE plan_items ("
    "  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
    "  kind INTEGER NOT NULL CHECK (kind IN (0, 1)),"
    "  pos INTEGER NOT NULL,"
    "  a TEXT NOT NULL,"
    "  b TEXT,"
    "  PRIMARY KEY (user_id, kind, pos)"
    ") WITHOUT ROWID;"
    "CREATE TABLE sobriety_periods ("
    "  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
    "  from_day TEXT NOT NULL CHECK (length(from_day) = 10),"
    "  to_day TEXT CHECK (to_day IS NULL OR length(to_day) = 10),"
    "  PRIMARY KEY (user_id, from_day)"
    ") WITHOUT ROWID;"
    "CREATE UNIQUE INDEX sobriety_current ON sobriety_periods(user_id) WHERE to_day IS NULL;"
    "CREATE TABLE milestones_told ("
    "  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
    "  from_day TEXT NOT NULL,"
    "  key TEXT NOT NULL,"
    "  told_at INTEGER NOT NULL,"
    "  PRIMARY KEY (user_id, from_day, key)"
    ") WITHOUT ROWID;";

/* v11, receipts in private conversations: for each member of a room (only
 * conversations use them), the highest seq that reached one of their
 * connections (delivered) and the highest they said they have seen (seen);
 * both only grow, and go with the membership (so with the account). The
 * member's consent to tell and see what was seen: read_receipts, on unless
 * they turn it off. */
static const char MIGRATION_11[] =
    "ALTER TABLE room_members ADD COLUMN delivered INTEGER NOT NULL DEFAULT 0"
    "  CHECK (delivered >= 0);"
    "ALTER TABLE room_members ADD COLUMN seen INTEGER NOT NULL DEFAULT 0 CHECK (seen >= 0);"
    "ALTER TABLE user_settings ADD COLUMN read_receipts INTEGER NOT NULL DEFAULT 1"
    "  CHECK (read_receipts IN (0, 1));";

static const struct hdb__migration MIGRATIONS[] = {
    { 1, MIGRATION_1 },
    { 2, MIGRATION_2 },
    { 3, MIGRATION_3 },
    { 4, MIGRATION_4 },
    { 5, MIGRATION_5 },
    { 6, MIGRATION_6 },
    { 7, MIGRATION_7 },
    { 8, MIGRATION_8 },
    { 9, MIGRATION_9 },
    { 10, MIGRATION_10 },
    { 11, MIGRATION_11 },
};

#define N_MIGRATIONS (sizeof MIGRATIONS / sizeof MIGRATIONS[0])

int hdb_schema_latest(void)
{
    return MIGRATIONS[N_MIGRATIONS - 1].version;
}

int hdb__user_version(sqlite3 *conn, int *out)
{
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(conn, "PRAGMA user_version", -1, &s, NULL) != SQLITE_OK)
        return HDB_E_IO;
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        *out = sqlite3_column_int(s, 0);
    sqlite3_finalize(s);
    return rc == SQLITE_ROW ? HDB_OK : HDB_E_IO;
}

/* Applies one step; 0, or HDB_E_IO with the transaction rolled back. */
static int apply_step(sqlite3 *conn, const struct hdb__migration *m, char *err, size_t errlen)
{
    char pragma[64];
    int cur = 0;

    if (sqlite3_exec(conn, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK) {
        snprintf(err, errlen, "cannot start the migration to schema version %d: %s",
                 m->version, sqlite3_errmsg(conn));
        return HDB_E_IO;
    }
    /* Re-read under the write lock: another process may have migrated
     * between our first read and BEGIN IMMEDIATE. */
    if (hdb__user_version(conn, &cur) != HDB_OK) {
        snprintf(err, errlen, "cannot read the schema version: %s", sqlite3_errmsg(conn));
        goto fail;
    }
    if (cur >= m->version) {
        sqlite3_exec(conn, "ROLLBACK", NULL, NULL, NULL);
        return HDB_OK;
    }
    if (sqlite3_exec(conn, m->sql, NULL, NULL, NULL) != SQLITE_OK) {
        snprintf(err, errlen, "migration to schema version %d failed: %s",
                 m->version, sqlite3_errmsg(conn));
        goto fail;
    }
    snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d", m->version);
    if (sqlite3_exec(conn, pragma, NULL, NULL, NULL) != SQLITE_OK ||
        sqlite3_exec(conn, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
        snprintf(err, errlen, "cannot record schema version %d: %s",
                 m->version, sqlite3_errmsg(conn));
        goto fail;
    }
    return HDB_OK;

fail:
    if (!sqlite3_get_autocommit(conn))
        sqlite3_exec(conn, "ROLLBACK", NULL, NULL, NULL);
    return HDB_E_IO;
}

int hdb__migrate(sqlite3 *conn, const struct hdb__migration *steps, size_t n,
                 char *err, size_t errlen)
{
    int cur = 0;

    if (n == 0)
        return HDB_OK;
    if (hdb__user_version(conn, &cur) != HDB_OK) {
        snprintf(err, errlen, "cannot read the schema version: %s", sqlite3_errmsg(conn));
        return HDB_E_IO;
    }
    /* Running old code on a newer database could corrupt it silently. */
    if (cur > steps[n - 1].version) {
        snprintf(err, errlen,
                 "the database has schema version %d, newer than this program knows (%d); "
                 "use a newer hearthd",
                 cur, steps[n - 1].version);
        return HDB_E_IO;
    }
    for (size_t i = 0; i < n; i++) {
        if (steps[i].version <= cur)
            continue;
        int rc = apply_step(conn, &steps[i], err, errlen);
        if (rc != HDB_OK)
            return rc;
    }
    return HDB_OK;
}

int hdb__migrate_latest(sqlite3 *conn, char *err, size_t errlen)
{
    return hdb__migrate(conn, MIGRATIONS, N_MIGRATIONS, err, errlen);
}

int hdb__migrate_to(sqlite3 *conn, int version, char *err, size_t errlen)
{
    size_t n = 0;
    while (n < N_MIGRATIONS && MIGRATIONS[n].version <= version)
        n++;
    return n ? hdb__migrate(conn, MIGRATIONS, n, err, errlen) : HDB_OK;
}
