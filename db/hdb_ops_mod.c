/* Moderation: sanctions (mutes, bans), removals, taking a message down,
 * suspensions, room settings, and the audit log that records every one of
 * them in the same transaction. The audit log never holds message text. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hdb_internal.h"

static const char SQL_SANCTION_SET[] =
    "INSERT INTO sanctions (room_id, user_id, kind, until, created_at) VALUES (?1, ?2, ?3, ?4, ?5)"
    " ON CONFLICT (room_id, user_id, kind) DO UPDATE SET until = excluded.until,"
    " created_at = excluded.created_at";
static const char SQL_SANCTION_DEL[] =
    "DELETE FROM sanctions WHERE room_id = ?1 AND user_id = ?2 AND kind = ?3";
static const char SQL_AUDIT_INSERT[] =
    "INSERT INTO audit_log (room_id, ts, actor_id, actor, action, target_id, target, reason, seq,"
    " until) VALUES (?1, ?2, ?3, (SELECT handle FROM users WHERE id = ?3), ?4, ?5,"
    " (SELECT handle FROM users WHERE id = ?5), ?6, ?7, ?8)";
#define AUDIT_COLS \
    "SELECT a.id, a.ts, a.actor, a.action, a.target, a.reason, a.seq, a.until, r.name" \
    " FROM audit_log a LEFT JOIN rooms r ON r.id = a.room_id"
static const char SQL_AUDIT_LIST[] =
    AUDIT_COLS " WHERE a.room_id = ?1 AND a.id < ?2 ORDER BY a.id DESC LIMIT ?3";
/* The server-wide log: every room's lines and the ones of no room. */
static const char SQL_AUDIT_LIST_ALL[] =
    AUDIT_COLS " WHERE a.id < ?2 ORDER BY a.id DESC LIMIT ?3";
/* Erase the text itself, not just hide it: secure_delete wipes the page. */
static const char SQL_EVENT_TAKE_DOWN[] =
    "UPDATE room_events SET text = NULL, flags = flags | 1"
    " WHERE room_id = ?1 AND seq = ?2 AND kind = 0 AND (flags & 1) = 0";
static const char SQL_USER_SUSPEND[] =
    "UPDATE users SET suspended = ?2, suspended_until = ?3 WHERE id = ?1";
static const char SQL_ROOM_SETTINGS[] =
    "UPDATE rooms SET slow_seconds = COALESCE(?2, slow_seconds), locked = COALESCE(?3, locked),"
    " member_limit = COALESCE(?4, member_limit),"
    " newcomer_seconds = COALESCE(?5, newcomer_seconds) WHERE id = ?1";
static const char SQL_MEMBER_DELETE[] =
    "DELETE FROM room_members WHERE room_id = ?1 AND user_id = ?2";
static const char SQL_TOKENS_DEL_USER[] = "DELETE FROM tokens WHERE user_id = ?1";

const char *hdb_mod_action_name(int action)
{
    static const char *const names[] = {"mute", "unmute", "remove", "ban", "unban",
                                        "delete", "suspend", "unsuspend", "settings", "report",
                                        "schedule", "revoke_invite"};
    return action >= 0 && action < (int)(sizeof names / sizeof names[0]) ? names[action] : "?";
}

static void bind_opt_int64(sqlite3_stmt *s, int i, int64_t v)
{
    if (v)
        sqlite3_bind_int64(s, i, v);
}

int hdb__audit(struct hdb *db, const struct hdb__audit_line *a, const char *what)
{
    sqlite3_stmt *s = hdb__prep(db, HDB__S_AUDIT_INSERT, SQL_AUDIT_INSERT);
    if (!s)
        return HDB_E_IO;
    bind_opt_int64(s, 1, a->room_id);
    sqlite3_bind_int64(s, 2, a->now);
    sqlite3_bind_int64(s, 3, a->actor_id);
    sqlite3_bind_text(s, 4, hdb_mod_action_name(a->action), -1, SQLITE_STATIC);
    bind_opt_int64(s, 5, a->target_id);
    sqlite3_bind_text(s, 6, a->reason ? a->reason : "", -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 7, (int64_t)a->seq);
    bind_opt_int64(s, 8, a->until);
    return hdb__exec(db, s, what);
}

/* The audit line of a moderation job, from its inputs. */
static int audit(struct hdb *db, const struct hdb_job *job, int action, const char *what)
{
    struct hdb__audit_line a = {.room_id = job->in.room_id, .now = job->in.now,
                                .actor_id = job->in.user_id, .action = action,
                                .target_id = job->in.target_id, .reason = job->in.reason,
                                .seq = job->in.seq, .until = job->in.until};
    return hdb__audit(db, &a, what);
}

static int sanction(struct hdb *db, const struct hdb_job *job, int kind, bool set, const char *what)
{
    sqlite3_stmt *s = set ? hdb__prep(db, HDB__S_SANCTION_SET, SQL_SANCTION_SET)
                          : hdb__prep(db, HDB__S_SANCTION_DEL, SQL_SANCTION_DEL);
    if (!s)
        return HDB_E_IO;
    sqlite3_bind_int64(s, 1, job->in.room_id);
    sqlite3_bind_int64(s, 2, job->in.target_id);
    sqlite3_bind_int(s, 3, kind);
    if (set) {
        bind_opt_int64(s, 4, job->in.until);
        sqlite3_bind_int64(s, 5, job->in.now);
    }
    return hdb__exec(db, s, what);
}

/* Takes the target out of the room with a "left" event flagged as a
 * moderator's doing. ALREADY when they are not a member. */
static int remove_member(struct hdb *db, struct hdb_job *job, const char *what)
{
    uint64_t last = 0;
    int rc = hdb__room_head(db, job->in.room_id, &last, NULL, what);
    if (rc != HDB_OK)
        return rc;
    sqlite3_stmt *s = hdb__prep(db, HDB__S_MEMBER_DELETE, SQL_MEMBER_DELETE);
    if (!s)
        return HDB_E_IO;
    sqlite3_bind_int64(s, 1, job->in.room_id);
    sqlite3_bind_int64(s, 2, job->in.target_id);
    if ((rc = hdb__exec(db, s, what)) != HDB_OK)
        return rc;
    if (sqlite3_changes(db->conn) == 0)
        return HDB_E_ALREADY;
    if ((rc = hdb__user_handle(db, job->in.target_id, &job->out.event.handle, what)) != HDB_OK)
        return rc;
    job->out.event.flags = HDB_EVF_BY_MOD;
    return hdb__append_event(db, job->in.room_id, last, HDB_EV_LEFT, job->in.target_id, NULL,
                             NULL, job->in.now, &job->out.event, what);
}

static int take_down(struct hdb *db, struct hdb_job *job, const char *what)
{
    uint64_t last = 0;
    int rc = hdb__room_head(db, job->in.room_id, &last, NULL, what);
    if (rc != HDB_OK)
        return rc;
    sqlite3_stmt *s = hdb__prep(db, HDB__S_EVENT_TAKE_DOWN, SQL_EVENT_TAKE_DOWN);
    if (!s)
        return HDB_E_IO;
    sqlite3_bind_int64(s, 1, job->in.room_id);
    sqlite3_bind_int64(s, 2, (int64_t)job->in.seq);
    if ((rc = hdb__exec(db, s, what)) != HDB_OK)
        return rc;
    if (sqlite3_changes(db->conn) == 0)
        return HDB_E_NOT_FOUND;
    job->out.event.flags = 0;
    job->out.event.target_seq = job->in.seq;
    if (!(job->out.event.handle = strdup("")))
        return HDB_E_IO;
    return hdb__append_event(db, job->in.room_id, last, HDB_EV_REMOVED, 0, NULL, NULL,
                             job->in.now, &job->out.event, what);
}

static int suspend(struct hdb *db, const struct hdb_job *job, bool on, const char *what)
{
    sqlite3_stmt *s = hdb__prep(db, HDB__S_USER_SUSPEND, SQL_USER_SUSPEND);
    if (!s)
        return HDB_E_IO;
    sqlite3_bind_int64(s, 1, job->in.target_id);
    sqlite3_bind_int(s, 2, on ? 1 : 0);
    if (on)
        bind_opt_int64(s, 3, job->in.until);
    int rc = hdb__exec(db, s, what);
    if (rc != HDB_OK)
        return rc;
    if (sqlite3_changes(db->conn) == 0)
        return HDB_E_NOT_FOUND;
    if (!on)
        return HDB_OK;
    /* A suspended account keeps no session. */
    s = hdb__prep(db, HDB__S_TOKENS_DEL_USER, SQL_TOKENS_DEL_USER);
    if (!s)
        return HDB_E_IO;
    sqlite3_bind_int64(s, 1, job->in.target_id);
    return hdb__exec(db, s, what);
}

static int mod_action(struct hdb *db, struct hdb_job *job, const char *what)
{
    int rc;
    switch (job->in.mod_action) {
    case HDB_MOD_MUTE: rc = sanction(db, job, HDB_SANCTION_MUTE, true, what); break;
    case HDB_MOD_UNMUTE: rc = sanction(db, job, HDB_SANCTION_MUTE, false, what); break;
    case HDB_MOD_UNBAN: rc = sanction(db, job, HDB_SANCTION_BAN, false, what); break;
    case HDB_MOD_REMOVE: rc = remove_member(db, job, what); break;
    case HDB_MOD_BAN:
        rc = sanction(db, job, HDB_SANCTION_BAN, true, what);
        if (rc == HDB_OK && (rc = remove_member(db, job, what)) == HDB_E_ALREADY)
            rc = HDB_OK; /* banning someone not in the room keeps them out all the same */
        break;
    case HDB_MOD_DELETE: rc = take_down(db, job, what); break;
    case HDB_MOD_SUSPEND: rc = suspend(db, job, true, what); break;
    case HDB_MOD_UNSUSPEND: rc = suspend(db, job, false, what); break;
    default: return hdb__bad_input(what, "mod_action");
    }
    return rc == HDB_OK ? audit(db, job, job->in.mod_action, what) : rc;
}

static int mod_settings(struct hdb *db, struct hdb_job *job, const char *what)
{
    sqlite3_stmt *s = hdb__prep(db, HDB__S_ROOM_SETTINGS, SQL_ROOM_SETTINGS);
    if (!s)
        return HDB_E_IO;
    sqlite3_bind_int64(s, 1, job->in.room_id);
    if (job->in.set.has_slow)
        sqlite3_bind_int(s, 2, (int)job->in.set.slow_seconds);
    if (job->in.set.has_locked)
        sqlite3_bind_int(s, 3, job->in.set.locked ? 1 : 0);
    if (job->in.set.has_limit)
        sqlite3_bind_int(s, 4, (int)job->in.set.member_limit);
    if (job->in.set.has_newcomer)
        sqlite3_bind_int(s, 5, (int)job->in.set.newcomer_seconds);
    int rc = hdb__exec(db, s, what);
    if (rc != HDB_OK)
        return rc;
    if (sqlite3_changes(db->conn) == 0)
        return HDB_E_NOT_FOUND;
    if ((rc = audit(db, job, HDB_MOD_SETTINGS, what)) != HDB_OK)
        return rc;
    return hdb__room_row(db, job->in.room_id, &job->out.room, what);
}

static int audit_list(struct hdb *db, struct hdb_job *job, const char *what)
{
    sqlite3_stmt *s = job->in.room_id
                          ? hdb__prep(db, HDB__S_AUDIT_LIST, SQL_AUDIT_LIST)
                          : hdb__prep(db, HDB__S_AUDIT_LIST_ALL, SQL_AUDIT_LIST_ALL);
    if (!s)
        return HDB_E_IO;
    unsigned limit = job->in.limit ? job->in.limit : 50;
    if (job->in.room_id)
        sqlite3_bind_int64(s, 1, job->in.room_id);
    sqlite3_bind_int64(s, 2, job->in.before > 0 ? (int64_t)job->in.before : INT64_MAX);
    sqlite3_bind_int64(s, 3, (int64_t)limit + 1); /* one more tells whether more exist */
    struct hdb_audit *rows = calloc(limit + 1, sizeof *rows);
    if (!rows)
        return HDB_E_IO;
    job->out.audit = rows;
    int rc;
    size_t n = 0;
    while ((rc = hdb__step(db, s, what)) == SQLITE_ROW) {
        if (n == limit) {
            job->out.has_more = true;
            break;
        }
        struct hdb_audit *a = &rows[n++];
        job->out.n_audit = n;
        a->id = sqlite3_column_int64(s, 0);
        a->ts = sqlite3_column_int64(s, 1);
        a->seq = (uint64_t)sqlite3_column_int64(s, 6);
        a->until = sqlite3_column_int64(s, 7);
        if (hdb__col_str(s, 2, true, &a->actor) != 0 || hdb__col_str(s, 3, true, &a->action) != 0 ||
            hdb__col_str(s, 4, false, &a->target) != 0 || hdb__col_str(s, 5, true, &a->reason) != 0 ||
            hdb__col_str(s, 8, false, &a->room) != 0) {
            sqlite3_reset(s);
            return HDB_E_IO;
        }
    }
    sqlite3_reset(s);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? HDB_OK : HDB_E_IO;
}

int hdb__op_mod(struct hdb *db, struct hdb_job *job)
{
    const char *what = hdb__op_name(job->op);
    switch (job->op) {
    case HDB_OP_MOD_ACTION: return mod_action(db, job, what);
    case HDB_OP_MOD_SETTINGS: return mod_settings(db, job, what);
    case HDB_OP_AUDIT_LIST: return audit_list(db, job, what);
    default: break;
    }
    fprintf(stderr, "hdb: %s is not a moderation op\n", what);
    return HDB_E_IO;
}
