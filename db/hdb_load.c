/*
 * The synchronous API: startup loads, operator settings and the admin
 * CLI's functions. They share the writer's connection under conn_mu, so
 * they may run while the writer thread is live; they wait for a batch in
 * progress (its fsync included), which is why the loop must not call them
 * while serving.
 *
 * Loads copy their rows out under the lock and call back after releasing
 * it, so a callback may call any hdb function (e.g. hdb_load_recent from
 * inside the hdb_load_rooms callback) without deadlock.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hdb_internal.h"

static const char SQL_SETTING_GET[] = "SELECT value FROM settings WHERE key = ?1";
static const char SQL_SETTING_SET[] =
    "INSERT INTO settings (key, value) VALUES (?1, ?2)"
    " ON CONFLICT (key) DO UPDATE SET value = excluded.value";
static const char SQL_USER_SET_ROLE[] = "UPDATE users SET role = ?2 WHERE handle = ?1";
static const char SQL_USER_LIST[] =
    "SELECT id, handle, role, status, created_at FROM users ORDER BY id";
static const char SQL_ROOM_LIST[] = HDB__ROOM_COLS " ORDER BY r.id";
static const char SQL_MEMBER_LIST[] =
    "SELECT m.room_id, m.user_id, u.handle, u.status, m.role, m.joined_at"
    " FROM room_members m JOIN users u ON u.id = m.user_id"
    " ORDER BY m.room_id, m.joined_at, m.user_id";

static const char SQL_MARKS_LOAD[] =
    "SELECT room_id, user_id, delivered, seen FROM room_members WHERE delivered > 0 OR seen > 0";

static const char SQL_BLOCK_LIST[] =
    "SELECT b.user_id, b.blocked_id, u.handle FROM blocks b JOIN users u ON u.id = b.blocked_id";
/* All of them: the server judges whether one has ended by its own clock.
 * Who set one, when and why come from the newest audit line of its kind on
 * that person in that room (written in the same transaction as the row). */
static const char SQL_SANCTION_LIST[] =
    "SELECT s.room_id, s.user_id, s.kind, COALESCE(s.until, 0), s.created_at, u.handle,"
    " a.actor, COALESCE(a.reason, '')"
    " FROM sanctions s JOIN users u ON u.id = s.user_id"
    " LEFT JOIN audit_log a ON a.id = (SELECT MAX(id) FROM audit_log"
    "   WHERE room_id = s.room_id AND target_id = s.user_id"
    "   AND action = CASE s.kind WHEN 0 THEN 'mute' ELSE 'ban' END)";

static void lock(struct hdb *db)
{
    pthread_mutex_lock(&db->conn_mu);
}

/* No read snapshot may outlive the call: it would pin the WAL. */
static void unlock(struct hdb *db)
{
    hdb__reset_busy(db);
    pthread_mutex_unlock(&db->conn_mu);
}

/* Every row of one statement copied out under the lock (the callers call
 * back after it is released, so a callback may do anything). */
static int load_rows(struct hdb *db, enum hdb__sid sid, const char *sql, void **arr, size_t *n,
                     size_t size, int (*from_row)(sqlite3_stmt *s, void *elem), const char *what)
{
    lock(db);
    sqlite3_stmt *s = hdb__prep(db, sid, sql);
    int rc = s ? hdb__read_rows(db, s, arr, n, size, from_row, what) : HDB_E_IO;
    unlock(db);
    return rc;
}

/* ------------------------------------------------------------- loads */

static int room_row(sqlite3_stmt *s, void *elem)
{
    return hdb__room_from_row(s, elem) == HDB_OK ? 0 : -1;
}

int hdb_load_rooms(struct hdb *db, hdb_room_cb cb, void *ud)
{
    struct hdb_room *rooms = NULL;
    size_t n = 0;
    int rc = load_rows(db, HDB__S_ROOM_LIST, SQL_ROOM_LIST, (void **)&rooms, &n, sizeof *rooms,
                       room_row, "load_rooms");
    for (size_t i = 0; i < n; i++) {
        if (rc == HDB_OK && cb)
            cb(&rooms[i], ud);
        hdb__room_free(&rooms[i]);
    }
    free(rooms);
    return rc;
}

static const char SQL_ROOM_SEED[] =
    "INSERT INTO rooms (name, title, topic, visibility, creator_id, created_at)"
    " SELECT ?1, ?2, ?3, 0, NULL, ?4 WHERE NOT EXISTS (SELECT 1 FROM rooms)";

int hdb_seed_room(struct hdb *db, const char *name, const char *title, const char *topic,
                  int64_t now)
{
    lock(db);
    /* Once per database at most: not worth a cached statement. */
    sqlite3_stmt *s = NULL;
    int rc;
    if (sqlite3_prepare_v2(db->conn, SQL_ROOM_SEED, -1, &s, NULL) != SQLITE_OK) {
        rc = hdb__fail(db, "seed_room");
    } else {
        sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 2, title, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 3, topic, -1, SQLITE_STATIC);
        sqlite3_bind_int64(s, 4, now);
        rc = hdb__exec(db, s, "seed_room");
    }
    sqlite3_finalize(s);
    unlock(db);
    return rc;
}

struct member_row {
    int64_t room_id, user_id;
    char *handle;
    int status, role;
    int64_t joined_at;
};

static int member_row(sqlite3_stmt *s, void *elem)
{
    struct member_row *m = elem;
    m->room_id = sqlite3_column_int64(s, 0);
    m->user_id = sqlite3_column_int64(s, 1);
    m->status = sqlite3_column_int(s, 3);
    m->role = sqlite3_column_int(s, 4);
    m->joined_at = sqlite3_column_int64(s, 5);
    return hdb__col_str(s, 2, true, &m->handle);
}

int hdb_load_members(struct hdb *db, hdb_member_cb cb, void *ud)
{
    struct member_row *rows = NULL;
    size_t n = 0;
    int rc = load_rows(db, HDB__S_MEMBER_LIST, SQL_MEMBER_LIST, (void **)&rows, &n, sizeof *rows,
                       member_row, "load_members");
    for (size_t i = 0; i < n; i++) {
        if (rc == HDB_OK && cb)
            cb(rows[i].room_id, rows[i].user_id, rows[i].handle, rows[i].status, rows[i].role,
               rows[i].joined_at, ud);
        free(rows[i].handle);
    }
    free(rows);
    return rc;
}

struct marks_row {
    int64_t room_id, user_id;
    uint64_t delivered, seen;
};

static int marks_row(sqlite3_stmt *s, void *elem)
{
    struct marks_row *r = elem;
    r->room_id = sqlite3_column_int64(s, 0);
    r->user_id = sqlite3_column_int64(s, 1);
    r->delivered = (uint64_t)sqlite3_column_int64(s, 2);
    r->seen = (uint64_t)sqlite3_column_int64(s, 3);
    return 0;
}

int hdb_load_marks(struct hdb *db, hdb_marks_cb cb, void *ud)
{
    struct marks_row *rows = NULL;
    size_t n = 0;
    int rc = load_rows(db, HDB__S_MARKS_LOAD, SQL_MARKS_LOAD, (void **)&rows, &n, sizeof *rows,
                       marks_row, "load_marks");
    for (size_t i = 0; rc == HDB_OK && cb && i < n; i++)
        cb(rows[i].room_id, rows[i].user_id, rows[i].delivered, rows[i].seen, ud);
    free(rows);
    return rc;
}

int hdb_load_recent(struct hdb *db, int64_t room_id, unsigned n, hdb_event_cb cb, void *ud)
{
    const char *what = "load_recent";
    struct hdb_event *ev = NULL;
    size_t count = 0;
    bool more = false;

    lock(db);
    int rc = hdb__room_head(db, room_id, NULL, NULL, what);
    if (rc == HDB_OK)
        rc = hdb__events_before(db, room_id, 0, n, &ev, &count, &more, what);
    unlock(db);

    for (size_t i = 0; rc == HDB_OK && cb && i < count; i++)
        cb(&ev[i], ud);
    hdb__events_free(ev, count);
    return rc;
}

/* ---------------------------------------------------------- settings */

int hdb__setting_get_bool_locked(struct hdb *db, const char *key, bool *out)
{
    sqlite3_stmt *s = hdb__prep(db, HDB__S_SETTING_GET, SQL_SETTING_GET);
    if (!s)
        return HDB_E_IO;
    sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
    int rc = hdb__step(db, s, "setting_get");
    if (rc == SQLITE_ROW) {
        const char *v = (const char *)sqlite3_column_text(s, 0);
        /* Only "1" is on: a damaged value must not open registration. */
        *out = v && strcmp(v, "1") == 0;
        rc = HDB_OK;
    } else {
        rc = rc == SQLITE_DONE ? HDB_E_NOT_FOUND : HDB_E_IO;
    }
    sqlite3_reset(s);
    return rc;
}

int hdb_setting_get_bool(struct hdb *db, const char *key, bool *out)
{
    if (!key || !out)
        return hdb__bad_input("setting_get", !key ? "key" : "out");
    lock(db);
    int rc = hdb__setting_get_bool_locked(db, key, out);
    unlock(db);
    return rc;
}

int hdb_setting_set_bool(struct hdb *db, const char *key, bool value)
{
    if (!key)
        return hdb__bad_input("setting_set", "key");
    lock(db);
    sqlite3_stmt *s = hdb__prep(db, HDB__S_SETTING_SET, SQL_SETTING_SET);
    int rc = HDB_E_IO;
    if (s) {
        sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 2, value ? "1" : "0", -1, SQLITE_STATIC);
        rc = hdb__exec(db, s, "setting_set");
    }
    unlock(db);
    return rc;
}

/* ------------------------------------------------------------- admin */

int hdb_user_set_role(struct hdb *db, const char *handle, int role)
{
    if (!handle)
        return hdb__bad_input("user_set_role", "handle");
    lock(db);
    sqlite3_stmt *s = hdb__prep(db, HDB__S_USER_SET_ROLE, SQL_USER_SET_ROLE);
    int rc = HDB_E_IO;
    if (s) {
        sqlite3_bind_text(s, 1, handle, -1, SQLITE_STATIC);
        sqlite3_bind_int(s, 2, role);
        rc = hdb__exec(db, s, "user_set_role");
        if (rc == HDB_OK && sqlite3_changes(db->conn) == 0)
            rc = HDB_E_NOT_FOUND;
    }
    unlock(db);
    return rc;
}

/* pw_hash stays NULL: a listing has no business carrying hashes. */
static int user_row(sqlite3_stmt *s, void *elem)
{
    struct hdb_user *u = elem;
    u->id = sqlite3_column_int64(s, 0);
    u->role = sqlite3_column_int(s, 2);
    u->status = sqlite3_column_int(s, 3);
    u->created_at = sqlite3_column_int64(s, 4);
    return hdb__col_str(s, 1, true, &u->handle);
}

int hdb_list_users(struct hdb *db, hdb_user_cb cb, void *ud)
{
    struct hdb_user *users = NULL;
    size_t n = 0;
    int rc = load_rows(db, HDB__S_USER_LIST, SQL_USER_LIST, (void **)&users, &n, sizeof *users,
                       user_row, "list_users");
    for (size_t i = 0; i < n; i++) {
        if (rc == HDB_OK && cb)
            cb(&users[i], ud);
        hdb__user_free(&users[i]);
    }
    free(users);
    return rc;
}

static int sanction_row(sqlite3_stmt *s, void *elem)
{
    struct hdb_sanction_row *r = elem;
    r->room_id = sqlite3_column_int64(s, 0);
    r->user_id = sqlite3_column_int64(s, 1);
    r->kind = sqlite3_column_int(s, 2);
    r->until = sqlite3_column_int64(s, 3);
    r->ts = sqlite3_column_int64(s, 4);
    return hdb__col_str(s, 5, true, &r->handle) || hdb__col_str(s, 6, false, &r->actor) ||
                   hdb__col_str(s, 7, true, &r->reason) ? -1 : 0;
}

int hdb_load_sanctions(struct hdb *db, hdb_sanction_cb cb, void *ud)
{
    struct hdb_sanction_row *rows = NULL;
    size_t n = 0;
    int rc = load_rows(db, HDB__S_SANCTION_LIST, SQL_SANCTION_LIST, (void **)&rows, &n,
                       sizeof *rows, sanction_row, "load_sanctions");
    for (size_t i = 0; rc == HDB_OK && cb && i < n; i++)
        cb(&rows[i], ud);
    for (size_t i = 0; i < n; i++) {
        free(rows[i].handle);
        free(rows[i].actor);
        free(rows[i].reason);
    }
    free(rows);
    return rc;
}

struct pair { int64_t a, b; char *handle; };

static int pair_row(sqlite3_stmt *s, void *elem)
{
    struct pair *r = elem;
    r->a = sqlite3_column_int64(s, 0);
    r->b = sqlite3_column_int64(s, 1);
    return hdb__col_str(s, 2, true, &r->handle);
}

int hdb_load_blocks(struct hdb *db, hdb_block_cb cb, void *ud)
{
    struct pair *rows = NULL;
    size_t n = 0;
    int rc = load_rows(db, HDB__S_BLOCK_LIST, SQL_BLOCK_LIST, (void **)&rows, &n, sizeof *rows,
                       pair_row, "load_blocks");
    for (size_t i = 0; i < n; i++) {
        if (rc == HDB_OK && cb)
            cb(rows[i].a, rows[i].b, rows[i].handle, ud);
        free(rows[i].handle);
    }
    free(rows);
    return rc;
}

static const char SQL_SLOTS_LOAD[] =
    "SELECT room_id, days, start_minute, minutes, tz FROM meeting_slots ORDER BY room_id, slot";

struct slot_row { int64_t room_id; struct hdb_slot slot; };

static int slot_row(sqlite3_stmt *s, void *elem)
{
    struct slot_row *r = elem;
    r->room_id = sqlite3_column_int64(s, 0);
    r->slot.days = (unsigned)sqlite3_column_int(s, 1);
    r->slot.start_minute = (unsigned)sqlite3_column_int(s, 2);
    r->slot.minutes = (unsigned)sqlite3_column_int(s, 3);
    return hdb__col_str(s, 4, true, &r->slot.tz);
}

int hdb_load_slots(struct hdb *db, hdb_slot_cb cb, void *ud)
{
    struct slot_row *rows = NULL;
    size_t n = 0;
    int rc = load_rows(db, HDB__S_SLOTS_LOAD, SQL_SLOTS_LOAD, (void **)&rows, &n, sizeof *rows,
                       slot_row, "load_slots");
    for (size_t i = 0; i < n; i++) {
        if (rc == HDB_OK && cb)
            cb(rows[i].room_id, &rows[i].slot, ud);
        free(rows[i].slot.tz);
    }
    free(rows);
    return rc;
}

static const char SQL_BUDDY_LOAD[] =
    "SELECT b.user_lo, l.handle, b.user_hi, h.handle, b.paired, b.requested_by, b.since"
    " FROM buddies b JOIN users l ON l.id = b.user_lo JOIN users h ON h.id = b.user_hi";

struct buddy_row { int64_t a, b, asker, since; char *ah, *bh; bool paired; };

static int buddy_row(sqlite3_stmt *s, void *elem)
{
    struct buddy_row *r = elem;
    r->a = sqlite3_column_int64(s, 0);
    r->b = sqlite3_column_int64(s, 2);
    r->paired = sqlite3_column_int(s, 4) != 0;
    r->asker = sqlite3_column_int64(s, 5);
    r->since = sqlite3_column_int64(s, 6);
    return hdb__col_str(s, 1, true, &r->ah) != 0 || hdb__col_str(s, 3, true, &r->bh) != 0 ? -1 : 0;
}

int hdb_load_buddies(struct hdb *db, hdb_buddy_cb cb, void *ud)
{
    struct buddy_row *rows = NULL;
    size_t n = 0;
    int rc = load_rows(db, HDB__S_BUDDY_LOAD, SQL_BUDDY_LOAD, (void **)&rows, &n, sizeof *rows,
                       buddy_row, "load_buddies");
    for (size_t i = 0; i < n; i++) {
        if (rc == HDB_OK && cb)
            cb(rows[i].a, rows[i].ah, rows[i].b, rows[i].bh, rows[i].paired, rows[i].asker,
               rows[i].since, ud);
        free(rows[i].ah);
        free(rows[i].bh);
    }
    free(rows);
    return rc;
}
