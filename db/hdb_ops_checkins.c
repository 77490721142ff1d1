/* A member's settings, when they were last seen, and their daily
 * check-ins (one row per member per local day). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hdb_internal.h"

#define SHARED_WITH_BUDDIES 1

static const char SQL_SETTINGS_PUT[] =
    "INSERT INTO user_settings (user_id, tz, checkin_share, checkin_room_id, warning_threshold,"
    " alert_buddies, isolation_nudges, isolation_days, meeting_goal, sobriety_share,"
    " milestone_room_id, read_receipts) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)"
    " ON CONFLICT (user_id) DO UPDATE SET tz = excluded.tz, checkin_share = excluded.checkin_share,"
    " checkin_room_id = excluded.checkin_room_id, warning_threshold = excluded.warning_threshold,"
    " alert_buddies = excluded.alert_buddies, isolation_nudges = excluded.isolation_nudges,"
    " isolation_days = excluded.isolation_days, meeting_goal = excluded.meeting_goal,"
    " sobriety_share = excluded.sobriety_share, milestone_room_id = excluded.milestone_room_id,"
    " read_receipts = excluded.read_receipts";
static const char SQL_SEEN[] =
    "INSERT INTO user_settings (user_id, last_seen_at) VALUES (?1, ?2)"
    " ON CONFLICT (user_id) DO UPDATE SET last_seen_at = excluded.last_seen_at";
static const char SQL_NUDGED[] =
    "INSERT INTO user_settings (user_id, last_nudge_at) VALUES (?1, ?2)"
    " ON CONFLICT (user_id) DO UPDATE SET last_nudge_at = excluded.last_nudge_at";
static const char SQL_SETTINGS_LOAD[] =
    "SELECT s.user_id, u.handle, s.tz, s.checkin_share, s.checkin_room_id, s.warning_threshold,"
    " s.alert_buddies, s.isolation_nudges, s.isolation_days, s.meeting_goal, s.sobriety_share,"
    " s.milestone_room_id, s.last_seen_at, s.last_nudge_at,"
    " (SELECT MAX(c.ts) FROM checkins c WHERE c.user_id = s.user_id), s.read_receipts"
    " FROM user_settings s JOIN users u ON u.id = s.user_id";

static const char SQL_CHECKIN_EXISTS[] = "SELECT 1 FROM checkins WHERE user_id = ?1 AND day = ?2";
static const char SQL_CHECKIN_PUT[] =
    "INSERT INTO checkins (user_id, day, ts, mood, craving, signs, grateful, win, note, shared)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) ON CONFLICT (user_id, day) DO UPDATE SET"
    " ts = excluded.ts, mood = excluded.mood, craving = excluded.craving, signs = excluded.signs,"
    " grateful = excluded.grateful, win = excluded.win, note = excluded.note,"
    " shared = excluded.shared";
#define CHECKIN_COLS \
    "SELECT c.user_id, u.handle, c.day, c.ts, c.mood, c.craving, c.signs, c.grateful, c.win," \
    " c.note, c.shared FROM checkins c JOIN users u ON u.id = c.user_id"
static const char SQL_CHECKIN_ROW[] = CHECKIN_COLS " WHERE c.user_id = ?1 AND c.day = ?2";
static const char SQL_CHECKINS[] =
    CHECKIN_COLS " WHERE c.user_id = ?1 AND (?2 IS NULL OR c.day >= ?2)"
    " AND (?3 IS NULL OR c.day <= ?3) ORDER BY c.day DESC LIMIT ?4";
/* Buddies' check-ins shared with buddies (never the private ones). */
static const char SQL_CHECKIN_FEED[] =
    CHECKIN_COLS " JOIN buddies b ON b.paired = 1 AND ((b.user_lo = ?1 AND b.user_hi = c.user_id)"
    " OR (b.user_hi = ?1 AND b.user_lo = c.user_id))"
    " WHERE c.shared = 1 AND c.ts > ?2 ORDER BY c.ts DESC LIMIT 200";

/* ---- settings ---- */

static void bind_opt_id(sqlite3_stmt *s, int i, int64_t id)
{
    if (id)
        sqlite3_bind_int64(s, i, id);
}

static int settings_put(struct hdb *db, struct hdb_job *job, const char *what)
{
    const struct hdb_settings *st = job->in.settings;
    if (!st || !st->tz)
        return hdb__bad_input(what, "settings");
    sqlite3_stmt *s = hdb__prep(db, HDB__S_SETTINGS_PUT, SQL_SETTINGS_PUT);
    if (!s)
        return HDB_E_IO;
    sqlite3_bind_int64(s, 1, job->in.user_id);
    sqlite3_bind_text(s, 2, st->tz, -1, SQLITE_STATIC);
    sqlite3_bind_int(s, 3, st->checkin_share);
    bind_opt_id(s, 4, st->checkin_room_id);
    sqlite3_bind_int(s, 5, st->warning_threshold);
    sqlite3_bind_int(s, 6, st->alert_buddies);
    sqlite3_bind_int(s, 7, st->isolation_nudges);
    sqlite3_bind_int(s, 8, st->isolation_days);
    sqlite3_bind_int(s, 9, st->meeting_goal);
    sqlite3_bind_int(s, 10, st->sobriety_share);
    bind_opt_id(s, 11, st->milestone_room_id);
    sqlite3_bind_int(s, 12, st->read_receipts);
    return hdb__exec(db, s, what);
}

static int seen(struct hdb *db, struct hdb_job *job, const char *what)
{
    sqlite3_stmt *s = job->in.status ? hdb__prep(db, HDB__S_NUDGED, SQL_NUDGED)
                                     : hdb__prep(db, HDB__S_SEEN, SQL_SEEN);
    if (!s)
        return HDB_E_IO;
    sqlite3_bind_int64(s, 1, job->in.user_id);
    sqlite3_bind_int64(s, 2, job->in.now);
    return hdb__exec(db, s, what);
}

/* ---- check-ins ---- */

static int checkin_from_row(sqlite3_stmt *s, void *elem)
{
    struct hdb_checkin *c = elem;
    c->user_id = sqlite3_column_int64(s, 0);
    const unsigned char *day = sqlite3_column_text(s, 2);
    snprintf(c->day, sizeof c->day, "%s", day ? (const char *)day : "");
    c->ts = sqlite3_column_int64(s, 3);
    c->mood = sqlite3_column_int(s, 4);
    c->craving = sqlite3_column_type(s, 5) == SQLITE_NULL ? -1 : sqlite3_column_int(s, 5);
    c->shared = sqlite3_column_int(s, 10);
    return hdb__col_str(s, 1, true, &c->handle) != 0 || hdb__col_str(s, 6, true, &c->signs) != 0 ||
                   hdb__col_str(s, 7, false, &c->grateful) != 0 ||
                   hdb__col_str(s, 8, false, &c->win) != 0 ||
                   hdb__col_str(s, 9, false, &c->note) != 0
               ? -1
               : 0;
}

/* Appends every row of a bound statement to out.checkins. */
static int read_checkins(struct hdb *db, sqlite3_stmt *s, struct hdb_job *job, const char *what)
{
    return hdb__read_rows(db, s, (void **)&job->out.checkins, &job->out.n_checkins,
                          sizeof *job->out.checkins, checkin_from_row, what);
}

static void bind_opt_text(sqlite3_stmt *s, int i, const char *text)
{
    if (text)
        sqlite3_bind_text(s, i, text, -1, SQLITE_STATIC);
}

static int checkin_put(struct hdb *db, struct hdb_job *job, const char *what)
{
    const struct hdb_checkin *c = job->in.checkin;
    if (!c)
        return hdb__bad_input(what, "checkin");
    sqlite3_stmt *s = hdb__prep(db, HDB__S_CHECKIN_EXISTS, SQL_CHECKIN_EXISTS);
    if (!s)
        return HDB_E_IO;
    sqlite3_bind_int64(s, 1, job->in.user_id);
    sqlite3_bind_text(s, 2, c->day, -1, SQLITE_STATIC);
    int rc = hdb__step(db, s, what);
    sqlite3_reset(s);
    if (rc < 0)
        return HDB_E_IO;
    job->out.duplicate = rc == SQLITE_ROW;   /* today's earlier one is replaced */
    if (!(s = hdb__prep(db, HDB__S_CHECKIN_PUT, SQL_CHECKIN_PUT)))
        return HDB_E_IO;
    sqlite3_bind_int64(s, 1, job->in.user_id);
    sqlite3_bind_text(s, 2, c->day, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 3, c->ts);
    sqlite3_bind_int(s, 4, c->mood);
    if (c->craving >= 0)
        sqlite3_bind_int(s, 5, c->craving);
    sqlite3_bind_text(s, 6, c->signs ? c->signs : "", -1, SQLITE_STATIC);
    bind_opt_text(s, 7, c->grateful);
    bind_opt_text(s, 8, c->win);
    bind_opt_text(s, 9, c->note);
    sqlite3_bind_int(s, 10, c->shared);
    if ((rc = hdb__exec(db, s, what)) != HDB_OK)
        return rc;
    if (!(s = hdb__prep(db, HDB__S_CHECKIN_ROW, SQL_CHECKIN_ROW)))
        return HDB_E_IO;
    sqlite3_bind_int64(s, 1, job->in.user_id);
    sqlite3_bind_text(s, 2, c->day, -1, SQLITE_STATIC);
    return read_checkins(db, s, job, what);
}

static int checkins(struct hdb *db, struct hdb_job *job, const char *what)
{
    sqlite3_stmt *s = hdb__prep(db, HDB__S_CHECKINS, SQL_CHECKINS);
    if (!s)
        return HDB_E_IO;
    sqlite3_bind_int64(s, 1, job->in.user_id);
    bind_opt_text(s, 2, job->in.day_from);
    bind_opt_text(s, 3, job->in.day_to);
    sqlite3_bind_int(s, 4, job->in.limit ? (int)job->in.limit : 30);
    return read_checkins(db, s, job, what);
}

static int feed(struct hdb *db, struct hdb_job *job, const char *what)
{
    sqlite3_stmt *s = hdb__prep(db, HDB__S_CHECKIN_FEED, SQL_CHECKIN_FEED);
    if (!s)
        return HDB_E_IO;
    sqlite3_bind_int64(s, 1, job->in.user_id);
    sqlite3_bind_int64(s, 2, (int64_t)job->in.after);
    return read_checkins(db, s, job, what);
}

int hdb__op_checkins(struct hdb *db, struct hdb_job *job)
{
    const char *what = hdb__op_name(job->op);
    switch (job->op) {
    case HDB_OP_SETTINGS_PUT: return settings_put(db, job, what);
    case HDB_OP_SEEN: return seen(db, job, what);
    case HDB_OP_CHECKIN_PUT: return checkin_put(db, job, what);
    case HDB_OP_CHECKINS: return checkins(db, job, what);
    case HDB_OP_CHECKIN_FEED: return feed(db, job, what);
    default: break;
    }
    fprintf(stderr, "hdb: %s is not a check-in op\n", what);
    return HDB_E_IO;
}

/* ---- startup ---- */

struct settings_row {
    int64_t user_id;
    char *handle, *tz;
    struct hdb_settings st;
};

int hdb_load_settings(struct hdb *db, hdb_settings_cb cb, void *ud)
{
    const char *what = "load_settings";
    struct settings_row *rows = NULL;
    size_t n = 0, cap = 0;
    int rc = HDB_OK;
    pthread_mutex_lock(&db->conn_mu);
    sqlite3_stmt *s = hdb__prep(db, HDB__S_SETTINGS_LOAD, SQL_SETTINGS_LOAD);
    int step = s ? SQLITE_ROW : -1;
    while (s && (step = hdb__step(db, s, what)) == SQLITE_ROW) {
        if (hdb__grow((void **)&rows, &cap, n, sizeof *rows))
            break;
        struct settings_row *r = &rows[n++];
        memset(r, 0, sizeof *r);
        r->user_id = sqlite3_column_int64(s, 0);
        r->st = (struct hdb_settings){
            .checkin_share = sqlite3_column_int(s, 3), .checkin_room_id = sqlite3_column_int64(s, 4),
            .warning_threshold = sqlite3_column_int(s, 5),
            .alert_buddies = sqlite3_column_int(s, 6) != 0,
            .isolation_nudges = sqlite3_column_int(s, 7) != 0,
            .isolation_days = sqlite3_column_int(s, 8), .meeting_goal = sqlite3_column_int(s, 9),
            .sobriety_share = sqlite3_column_int(s, 10),
            .milestone_room_id = sqlite3_column_int64(s, 11),
            .last_seen_at = sqlite3_column_int64(s, 12), .last_nudge_at = sqlite3_column_int64(s, 13),
            .last_checkin_at = sqlite3_column_int64(s, 14),
            .read_receipts = sqlite3_column_int(s, 15) != 0};
        if (hdb__col_str(s, 1, true, &r->handle) != 0 || hdb__col_str(s, 2, true, &r->tz) != 0)
            break;
    }
    if (s)
        sqlite3_reset(s);
    if (step != SQLITE_DONE)
        rc = HDB_E_IO;
    pthread_mutex_unlock(&db->conn_mu);
    for (size_t i = 0; i < n; i++) {
        rows[i].st.tz = rows[i].tz;
        if (rc == HDB_OK && cb)
            cb(rows[i].user_id, rows[i].handle, &rows[i].st, ud);
        free(rows[i].handle);
        free(rows[i].tz);
    }
    free(rows);
    if (rc != HDB_OK)
        fprintf(stderr, "hdb: %s failed\n", what);
    return rc;
}
