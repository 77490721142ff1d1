/* The export: everything held about one member as one JSON document,
 * built by SQLite's JSON functions in a single statement, so it is one
 * consistent snapshot and db/ needs nothing but sqlite. The shape is
 * "hearth-export-1" (PROTOCOL.md); enum columns are spelled as on the
 * wire. Other people appear only as handles, and only where the row is
 * the member's own (buddies, pings, blocks): never their words, check-ins
 * or notes. Left out on purpose: secrets (password hash, token hashes),
 * internal ids and client ids, and reports' excerpts (someone else's
 * words).
 *
 * SQLite before 3.44 has no ORDER BY inside an aggregate, so each list
 * aggregates an ordered subquery; a subquery's result loses its JSON
 * subtype, so json() marks it as JSON again (else it nests as a string). */
#include <stdio.h>

#include "hdb_internal.h"

/* A JSON array of `item` over the rows of the ordered query `from`. */
#define LIST(item, from) "json((SELECT json_group_array(" item ") FROM (" from ")))"
/* A 0/1 column as JSON false/true. */
#define BOOL(col) "json(CASE WHEN " col " THEN 'true' ELSE 'false' END)"
/* Who sees something (the wire's share names). */
#define SHARE(col)                                                                  \
    "CASE " col " WHEN 1 THEN 'buddies' WHEN 2 THEN 'room' WHEN 3 THEN 'everyone'" \
    " ELSE 'private' END"
/* A room's name; the handle of whichever of lo, hi is not the member. */
#define ROOM_NAME(col) "(SELECT name FROM rooms WHERE id = " col ")"
#define OTHER(lo, hi) "(SELECT handle FROM users WHERE id = CASE WHEN " lo " = ?1 THEN " hi \
                      " ELSE " lo " END)"

/* ?1 the member, ?2 now (ms). */
static const char SQL_EXPORT[] =
    "SELECT json_object("
    " 'format', 'hearth-export-1',"
    " 'exported_at', ?2,"
    " 'account', json_object("
    "   'handle', u.handle,"
    "   'role', CASE u.role WHEN 1 THEN 'moderator' WHEN 2 THEN 'admin' ELSE 'member' END,"
    "   'created_at', u.created_at,"
    "   'status', CASE u.status WHEN 2 THEN 'away' WHEN 3 THEN 'busy' WHEN 4 THEN 'invisible'"
    "     ELSE 'available' END,"
    "   'suspended', " BOOL("u.suspended") ","
    "   'suspended_until', u.suspended_until,"
    "   'seen_notice', " BOOL("u.seen_notice") ","
    "   'supporter_since', (SELECT since FROM supporters WHERE user_id = ?1)),"
    " 'sessions', " LIST("json_object('created_at', created_at, 'last_used_at', last_used_at,"
                         " 'expires_at', expires_at)",
                         "SELECT * FROM tokens WHERE user_id = ?1 ORDER BY created_at, id") ","
    " 'settings', json((SELECT json_object("
    "   'tz', tz,"
    "   'checkin_share', " SHARE("checkin_share") ","
    "   'checkin_room', " ROOM_NAME("checkin_room_id") ","
    "   'warning_threshold', warning_threshold,"
    "   'alert_buddies', " BOOL("alert_buddies") ","
    "   'isolation_nudges', " BOOL("isolation_nudges") ","
    "   'isolation_days', isolation_days,"
    "   'meeting_goal', meeting_goal,"
    "   'sobriety_share', " SHARE("sobriety_share") ","
    "   'milestone_room', " ROOM_NAME("milestone_room_id") ","
    "   'read_receipts', " BOOL("read_receipts") ","
    "   'last_seen_at', last_seen_at,"
    "   'last_nudge_at', last_nudge_at)"
    "  FROM user_settings WHERE user_id = ?1)),"
    /* signs: a comma-separated list of names of a-z 0-9 _ (checked when
     * written), so quoting each between commas makes a JSON array. */
    " 'checkins', " LIST("json_object('day', day, 'ts', ts, 'mood', mood, 'craving', craving,"
                         " 'signs', CASE signs WHEN '' THEN json_array()"
                         "   ELSE json('[\"' || replace(signs, ',', '\",\"') || '\"]') END,"
                         " 'grateful', grateful, 'win', win, 'note', note,"
                         " 'shared', " SHARE("shared") ")",
                         "SELECT * FROM checkins WHERE user_id = ?1 ORDER BY day") ","
    " 'card', " LIST("json_object('name', name, 'phone', phone, 'note', note)",
                     "SELECT * FROM card_contacts WHERE user_id = ?1 ORDER BY pos") ","
    " 'plan', json_object("
    "   'lines', " LIST("json_object('when', a, 'then', b)",
                        "SELECT * FROM plan_items WHERE user_id = ?1 AND kind = 0 ORDER BY pos") ","
    "   'reasons', " LIST("a", "SELECT * FROM plan_items WHERE user_id = ?1 AND kind = 1"
                               " ORDER BY pos") "),"
    " 'sobriety', " LIST("json_object('from', from_day, 'to', to_day)",
                         "SELECT * FROM sobriety_periods WHERE user_id = ?1 ORDER BY from_day") ","
    " 'milestones_told', " LIST("json_object('from', from_day, 'key', key, 'told_at', told_at)",
                                "SELECT * FROM milestones_told WHERE user_id = ?1"
                                " ORDER BY told_at, from_day, key") ","
    " 'buddies', " LIST("json_object('handle', " OTHER("user_lo", "user_hi") ","
                        " 'paired', " BOOL("paired") ", 'since', since,"
                        " 'asked_by_me', CASE WHEN paired THEN NULL"
                        "   ELSE " BOOL("requested_by = ?1") " END)",
                        "SELECT * FROM buddies WHERE user_lo = ?1 OR user_hi = ?1"
                        " ORDER BY since, user_lo, user_hi") ","
    " 'pings', " LIST("json_object("
                      " 'direction', CASE from_id WHEN ?1 THEN 'sent' ELSE 'received' END,"
                      " 'with', " OTHER("from_id", "to_id") ","
                      " 'kind', CASE kind WHEN 0 THEN 'thinking_of_you' WHEN 1 THEN 'call_me'"
                      "   WHEN 2 THEN 'struggling' ELSE 'text' END,"
                      " 'text', text, 'ts', ts, 'delivered_at', delivered_at, 'seen_at', seen_at)",
                      "SELECT * FROM pings WHERE from_id = ?1 OR to_id = ?1 ORDER BY id") ","
    " 'rooms', " LIST("json_object('room', name,"
                      " 'role', CASE role WHEN 1 THEN 'moderator' WHEN 2 THEN 'host'"
                      "   ELSE 'member' END, 'joined_at', joined_at)",
                      "SELECT r.name, m.role, m.joined_at FROM room_members m"
                      " JOIN rooms r ON r.id = m.room_id WHERE m.user_id = ?1 AND r.kind = 0"
                      " ORDER BY r.name") ","
    /* How far they got in each private conversation (their receipt marks). */
    " 'conversations', " LIST("json_object('room', name, 'kind', CASE kind WHEN 1 THEN 'buddy'"
                              "   ELSE 'support' END, 'delivered', delivered, 'seen', seen)",
                              "SELECT r.name, r.kind, m.delivered, m.seen FROM room_members m"
                              " JOIN rooms r ON r.id = m.room_id WHERE m.user_id = ?1"
                              " AND r.kind != 0 ORDER BY r.name") ","
    /* Their own words only: messages (kind 0) still holding text. */
    " 'messages', " LIST("json_object('room', name, 'kind', CASE rkind WHEN 1 THEN 'buddy'"
                         "   WHEN 2 THEN 'support' ELSE 'room' END,"
                         " 'seq', seq, 'ts', ts, 'text', text)",
                         "SELECT r.name, r.kind AS rkind, e.seq, e.ts, e.text FROM room_events e"
                         " JOIN rooms r ON r.id = e.room_id"
                         " WHERE e.user_id = ?1 AND e.kind = 0 AND e.text IS NOT NULL"
                         " ORDER BY e.ts, r.name, e.seq") ","
    " 'support_requests', " LIST("json_object('urgency', CASE urgency WHEN 1 THEN 'craving'"
                                 "   WHEN 2 THEN 'crisis' ELSE 'talk' END,"
                                 " 'note', note,"
                                 " 'state', CASE state WHEN 0 THEN 'asking_buddies'"
                                 "   WHEN 1 THEN 'asking_supporters' WHEN 2 THEN 'nobody_yet'"
                                 "   WHEN 3 THEN 'accepted' WHEN 4 THEN 'closed'"
                                 "   ELSE 'cancelled' END,"
                                 " 'created_at', created_at, 'accepted_at', accepted_at,"
                                 " 'closed_at', closed_at)",
                                 "SELECT * FROM support_requests WHERE requester_id = ?1"
                                 " ORDER BY created_at, id") ","
    " 'attendance', " LIST("json_object('room', " ROOM_NAME("room_id") ", 'meeting_at', meeting_at,"
                           " 'started_at', started_at, 'ended_at', ended_at)",
                           "SELECT * FROM attendance WHERE user_id = ?1"
                           " ORDER BY started_at, id") ","
    " 'sanctions', " LIST("json_object('room', " ROOM_NAME("room_id") ","
                          " 'kind', CASE kind WHEN 1 THEN 'ban' ELSE 'mute' END,"
                          " 'until', until, 'created_at', created_at)",
                          "SELECT * FROM sanctions WHERE user_id = ?1 ORDER BY created_at") ","
    " 'blocks', " LIST("json_object('handle', (SELECT handle FROM users WHERE id = blocked_id),"
                       " 'since', created_at)",
                       "SELECT * FROM blocks WHERE user_id = ?1 ORDER BY created_at") ","
    " 'reports', " LIST("json_object('ts', ts, 'room', " ROOM_NAME("room_id") ","
                        " 'seq', NULLIF(seq, 0), 'reason', reason,"
                        " 'status', CASE status WHEN 1 THEN 'actioned' WHEN 2 THEN 'dismissed'"
                        "   ELSE 'open' END, 'resolved_at', resolved_at)",
                        "SELECT * FROM reports WHERE reporter_id = ?1 ORDER BY id") ","
    " 'match_pool', json((SELECT json_object('joined_at', joined_at, 'utc_offset', utc_offset,"
    "   'language', language,"
    "   'approach', CASE approach WHEN 1 THEN '12_step' WHEN 2 THEN 'smart' WHEN 3 THEN 'other'"
    "     ELSE 'any' END,"
    "   'clean_days', clean_days, 'want_more_clean_time', " BOOL("want_more") ")"
    "  FROM match_pool WHERE user_id = ?1)))"
    " FROM users u WHERE u.id = ?1";

int hdb__export(struct hdb *db, struct hdb_job *job, const char *what)
{
    if (!job->in.user_id)
        return hdb__bad_input(what, "user_id");
    sqlite3_stmt *s = hdb__prep(db, HDB__S_EXPORT, SQL_EXPORT);
    if (!s)
        return HDB_E_IO;
    sqlite3_bind_int64(s, 1, job->in.user_id);
    sqlite3_bind_int64(s, 2, job->in.now);
    int rc = hdb__step(db, s, what);
    if (rc == SQLITE_ROW && hdb__col_str(s, 0, false, &job->out.text) != 0) {
        fprintf(stderr, "hdb: %s: out of memory\n", what);
        rc = -1;
    }
    sqlite3_reset(s);
    if (rc == SQLITE_DONE)
        return HDB_E_NOT_FOUND;
    return rc == SQLITE_ROW && job->out.text ? HDB_OK : HDB_E_IO;
}
