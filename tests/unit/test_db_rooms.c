/*
 * Room ops through hdb_run_sync: seqs, idempotent sends, join/leave rules,
 * invite rooms, history paging and the startup loads.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "hdb_internal.h"

#define DB_FIXTURE_TMPL "/tmp/hdb_rooms.XXXXXX"
#define DB_FIXTURE_OPEN
#include "db_fixture.h"

TestSuite(db_rooms, .init = db_fixture_open_setup, .fini = db_fixture_open_teardown);

/* Runs an op and returns rc; the seq of its event (0 when none) in *seq. */
static int op(enum hdb_op o, int64_t room, int64_t user, const char *text, const char *cid,
              const char *invite, uint64_t *seq)
{
    struct hdb_job *j = hdb_job_new(o, NULL, NULL);
    j->in.room_id = room;
    j->in.user_id = user;
    j->in.text = text;
    j->in.cid = cid;
    j->in.invite = invite;
    j->in.now = NOW + 5;
    int rc = hdb_run_sync(db, j);
    cr_assert_eq(rc, j->out.rc);
    if (seq)
        *seq = j->out.event.seq;
    hdb_job_free(j);
    return rc;
}

static int msg(int64_t room, int64_t user, const char *text, const char *cid, uint64_t *seq)
{
    return op(HDB_OP_MESSAGE_APPEND, room, user, text, cid, NULL, seq);
}

Test(db_rooms, create_room)
{
    int64_t ann = mkuser(db, "ann");
    struct hdb_job *j = hdb_job_new(HDB_OP_ROOM_CREATE, NULL, NULL);
    j->in.room.name = "lounge";
    j->in.room.title = "The lounge";
    j->in.room.topic = NULL;
    j->in.room.visibility = 0;
    j->in.user_id = ann;
    j->in.now = NOW;
    cr_assert_eq(hdb_run_sync(db, j), HDB_OK);
    cr_assert_gt(j->out.room.id, 0);
    cr_assert_str_eq(j->out.room.name, "lounge");
    cr_assert_str_eq(j->out.room.title, "The lounge");
    cr_assert_str_eq(j->out.room.topic, "", "an absent topic reads back as empty");
    cr_assert_eq(j->out.room.creator_id, ann);
    cr_assert_eq(j->out.room.created_at, NOW);
    cr_assert_eq(j->out.room.last_seq, 1);
    cr_assert_eq(j->out.event.seq, 1);
    cr_assert_eq(j->out.event.kind, HDB_EV_JOINED);
    cr_assert_eq(j->out.event.room_id, j->out.room.id);
    cr_assert_eq(j->out.event.user_id, ann);
    cr_assert_str_eq(j->out.event.handle, "ann");
    cr_assert_eq(j->out.event.ts, NOW);
    cr_assert_null(j->out.event.text);
    int64_t room = j->out.room.id;

    /* The creator is a member: joining again is ALREADY. */
    cr_assert_eq(op(HDB_OP_ROOM_JOIN, room, ann, NULL, NULL, NULL, NULL), HDB_E_ALREADY);

    cr_assert_eq(hdb_run_sync(db, j), HDB_E_EXISTS, "same name again");
    cr_assert_null(j->out.room.name, "a refused job carries no output");
    j->in.room.name = "other";
    j->in.user_id = 9999;
    cr_assert_eq(hdb_run_sync(db, j), HDB_E_NOT_FOUND, "unknown creator");
    hdb_job_free(j);
    cr_assert_eq(q_int("SELECT count(*) FROM rooms WHERE ?1 = ?1", 0), 1);
}

Test(db_rooms, duplicate_cid_is_idempotent)
{
    int64_t ann = mkuser(db, "ann");
    int64_t room = mkroom(db, "lounge", ann, 0);

    struct hdb_job *j = hdb_job_new(HDB_OP_MESSAGE_APPEND, NULL, NULL);
    j->in.room_id = room;
    j->in.user_id = ann;
    j->in.text = "hello";
    j->in.cid = "c-1";
    j->in.now = NOW + 1;
    cr_assert_eq(hdb_run_sync(db, j), HDB_OK);
    cr_assert_not(j->out.duplicate);
    cr_assert_eq(j->out.event.seq, 2);
    cr_assert_str_eq(j->out.event.text, "hello");
    cr_assert_str_eq(j->out.event.cid, "c-1");
    cr_assert_str_eq(j->out.event.handle, "ann");
    cr_assert_eq(j->out.event.kind, HDB_EV_MESSAGE);

    /* A retry, even with different text and time, gets the first result. */
    j->in.text = "hello again";
    j->in.now = NOW + 2;
    cr_assert_eq(hdb_run_sync(db, j), HDB_OK);
    cr_assert(j->out.duplicate);
    cr_assert_eq(j->out.event.seq, 2);
    cr_assert_str_eq(j->out.event.text, "hello");
    cr_assert_eq(j->out.event.ts, NOW + 1);
    cr_assert_str_eq(j->out.event.handle, "ann");
    cr_assert_eq(j->out.event.room_id, room);
    cr_assert_eq(j->out.event.user_id, ann);
    hdb_job_free(j);

    cr_assert_eq(q_int("SELECT count(*) FROM room_events WHERE cid = 'c-1' AND room_id = ?1", room), 1);
    uint64_t seq = 0;
    cr_assert_eq(msg(room, ann, "next", "c-2", &seq), HDB_OK);
    cr_assert_eq(seq, 3, "a duplicate consumes no seq");

    /* The same cid from another user, or in another room, is a new send. */
    int64_t bob = mkuser(db, "bob");
    cr_assert_eq(op(HDB_OP_ROOM_JOIN, room, bob, NULL, NULL, NULL, &seq), HDB_OK);
    cr_assert_eq(seq, 4);
    cr_assert_eq(msg(room, bob, "hi", "c-1", &seq), HDB_OK);
    cr_assert_eq(seq, 5);
    /* No cid: never deduplicated. */
    cr_assert_eq(msg(room, bob, "x", NULL, &seq), HDB_OK);
    cr_assert_eq(msg(room, bob, "x", NULL, &seq), HDB_OK);
    cr_assert_eq(seq, 7);
}

Test(db_rooms, seqs_are_gap_free)
{
    int64_t ann = mkuser(db, "ann"), bob = mkuser(db, "bob"), cat = mkuser(db, "cat");
    int64_t r1 = mkroom(db, "one", ann, 0), r2 = mkroom(db, "two", bob, 0);
    uint64_t expect1 = 1, expect2 = 1, seq;
    char cid[32];

    for (int i = 0; i < 20; i++) {
        int64_t who = i % 3 == 0 ? ann : i % 3 == 1 ? bob : cat;
        /* Joins and leaves interleaved with messages, in two rooms. */
        int rc = op(HDB_OP_ROOM_JOIN, r1, who, NULL, NULL, NULL, &seq);
        if (rc == HDB_OK)
            cr_assert_eq(seq, ++expect1);
        else
            cr_assert_eq(rc, HDB_E_ALREADY);
        snprintf(cid, sizeof cid, "m%d", i);
        cr_assert_eq(msg(r1, who, "text", cid, &seq), HDB_OK);
        cr_assert_eq(seq, ++expect1);
        cr_assert_eq(msg(r2, bob, "text", cid, &seq), HDB_OK);
        cr_assert_eq(seq, ++expect2);
        if (i % 4 == 3) {
            cr_assert_eq(op(HDB_OP_ROOM_LEAVE, r1, who, NULL, NULL, NULL, &seq), HDB_OK);
            cr_assert_eq(seq, ++expect1);
        }
        /* Refused ops consume nothing. */
        cr_assert_eq(op(HDB_OP_ROOM_LEAVE, r2, cat, NULL, NULL, NULL, NULL), HDB_E_ALREADY);
        cr_assert_eq(msg(r1, who, "again", cid, &seq), HDB_OK);
        cr_assert_eq(msg(r1, 424242, "ghost", NULL, NULL), HDB_E_NOT_FOUND);
    }
    cr_assert_eq(q_int("SELECT last_seq FROM rooms WHERE id = ?1", r1), (int64_t)expect1);
    cr_assert_eq(q_int("SELECT count(*) FROM room_events WHERE room_id = ?1", r1), (int64_t)expect1);
    cr_assert_eq(q_int("SELECT min(seq) FROM room_events WHERE room_id = ?1", r1), 1);
    cr_assert_eq(q_int("SELECT max(seq) FROM room_events WHERE room_id = ?1", r1), (int64_t)expect1);
    cr_assert_eq(q_int("SELECT count(*) FROM room_events WHERE room_id = ?1", r2), (int64_t)expect2);
    cr_assert_eq(q_int("SELECT max(seq) FROM room_events WHERE room_id = ?1", r2), (int64_t)expect2);
}

Test(db_rooms, join_leave_rules)
{
    int64_t ann = mkuser(db, "ann"), bob = mkuser(db, "bob");
    int64_t room = mkroom(db, "lounge", ann, 0);
    uint64_t seq = 0;

    cr_assert_eq(op(HDB_OP_ROOM_LEAVE, room, bob, NULL, NULL, NULL, NULL), HDB_E_ALREADY);
    /* An open room ignores whatever invite is given. */
    cr_assert_eq(op(HDB_OP_ROOM_JOIN, room, bob, NULL, NULL, "bogus", &seq), HDB_OK);
    cr_assert_eq(seq, 2);
    cr_assert_eq(op(HDB_OP_ROOM_JOIN, room, bob, NULL, NULL, NULL, NULL), HDB_E_ALREADY);
    cr_assert_eq(op(HDB_OP_ROOM_LEAVE, room, bob, NULL, NULL, NULL, &seq), HDB_OK);
    cr_assert_eq(seq, 3);
    cr_assert_eq(q_int("SELECT count(*) FROM room_members WHERE room_id = ?1", room), 1);
    cr_assert_eq(op(HDB_OP_ROOM_LEAVE, room, bob, NULL, NULL, NULL, NULL), HDB_E_ALREADY);
    cr_assert_eq(op(HDB_OP_ROOM_JOIN, room, bob, NULL, NULL, NULL, &seq), HDB_OK);
    cr_assert_eq(seq, 4);

    cr_assert_eq(op(HDB_OP_ROOM_JOIN, 777, bob, NULL, NULL, NULL, NULL), HDB_E_NOT_FOUND);
    cr_assert_eq(op(HDB_OP_ROOM_LEAVE, 777, bob, NULL, NULL, NULL, NULL), HDB_E_NOT_FOUND);
    cr_assert_eq(msg(777, bob, "x", "c", NULL), HDB_E_NOT_FOUND);
    cr_assert_eq(op(HDB_OP_HISTORY, 777, 0, NULL, NULL, NULL, NULL), HDB_E_NOT_FOUND);
    cr_assert_eq(op(HDB_OP_ROOM_JOIN, room, 888, NULL, NULL, NULL, NULL), HDB_E_NOT_FOUND);

    /* The left event carries the full event. */
    struct hdb_job *j = hdb_job_new(HDB_OP_ROOM_LEAVE, NULL, NULL);
    j->in.room_id = room;
    j->in.user_id = bob;
    j->in.now = NOW + 77;
    cr_assert_eq(hdb_run_sync(db, j), HDB_OK);
    cr_assert_eq(j->out.event.kind, HDB_EV_LEFT);
    cr_assert_eq(j->out.event.seq, 5);
    cr_assert_eq(j->out.event.ts, NOW + 77);
    cr_assert_str_eq(j->out.event.handle, "bob");
    cr_assert_eq(j->out.event.room_id, room);
    hdb_job_free(j);
}

Test(db_rooms, invite_room_needs_a_valid_invite)
{
    int64_t ann = mkuser(db, "ann"), bob = mkuser(db, "bob");
    int64_t cat = mkuser(db, "cat"), dan = mkuser(db, "dan");
    int64_t secret = mkroom(db, "secret", ann, 1), other = mkroom(db, "other", ann, 1);
    uint64_t seq = 0;

    cr_assert_eq(mkinvite(db, "once", secret, ann, 0, 1), HDB_OK);
    cr_assert_eq(mkinvite(db, "old", secret, ann, NOW, 0), HDB_OK);       /* expires at NOW */
    cr_assert_eq(mkinvite(db, "elsewhere", other, ann, 0, 0), HDB_OK);
    cr_assert_eq(mkinvite(db, "signup", 0, 0, 0, 0), HDB_OK);             /* registration */
    cr_assert_eq(mkinvite(db, "many", secret, ann, NOW + 1000, 0), HDB_OK);
    cr_assert_eq(mkinvite(db, "once", secret, ann, 0, 1), HDB_E_EXISTS);
    cr_assert_eq(mkinvite(db, "nowhere", 4242, ann, 0, 1), HDB_E_NOT_FOUND);

    cr_assert_eq(op(HDB_OP_ROOM_JOIN, secret, bob, NULL, NULL, NULL, NULL), HDB_E_INVITE);
    cr_assert_eq(op(HDB_OP_ROOM_JOIN, secret, bob, NULL, NULL, "nope", NULL), HDB_E_INVITE);
    cr_assert_eq(op(HDB_OP_ROOM_JOIN, secret, bob, NULL, NULL, "old", NULL), HDB_E_INVITE);
    cr_assert_eq(op(HDB_OP_ROOM_JOIN, secret, bob, NULL, NULL, "elsewhere", NULL), HDB_E_INVITE);
    cr_assert_eq(op(HDB_OP_ROOM_JOIN, secret, bob, NULL, NULL, "signup", NULL), HDB_E_INVITE);

    cr_assert_eq(op(HDB_OP_ROOM_JOIN, secret, bob, NULL, NULL, "once", &seq), HDB_OK);
    cr_assert_eq(seq, 2, "refused joins consumed no seq");
    cr_assert_eq(q_int("SELECT uses_left FROM invites WHERE code = 'once' AND ?1 = ?1", 0), 0);
    /* A member's repeated join does not burn an invite. */
    cr_assert_eq(op(HDB_OP_ROOM_JOIN, secret, bob, NULL, NULL, "many", NULL), HDB_E_ALREADY);
    cr_assert_eq(op(HDB_OP_ROOM_JOIN, secret, cat, NULL, NULL, "once", NULL), HDB_E_INVITE);
    cr_assert_eq(op(HDB_OP_ROOM_JOIN, secret, cat, NULL, NULL, "many", NULL), HDB_OK);
    cr_assert_eq(op(HDB_OP_ROOM_JOIN, secret, dan, NULL, NULL, "many", NULL), HDB_OK);
    cr_assert_eq(q_int("SELECT count(*) FROM invites WHERE code = 'many' AND uses_left IS NULL"
                       " AND ?1 = ?1", 0), 1, "unlimited stays unlimited");
    cr_assert_eq(q_int("SELECT count(*) FROM room_members WHERE room_id = ?1", secret), 4);
}

/* ------------------------------------------------------------ history */

static struct hdb_job *history(int64_t room, uint64_t before, uint64_t after, unsigned limit)
{
    struct hdb_job *j = hdb_job_new(HDB_OP_HISTORY, NULL, NULL);
    j->in.room_id = room;
    j->in.before = before;
    j->in.after = after;
    j->in.limit = limit;
    cr_assert_eq(hdb_run_sync(db, j), HDB_OK);
    return j;
}

/* Checks the page is exactly seqs first..last ascending, and has_more. */
static void expect_page(struct hdb_job *j, uint64_t first, uint64_t last, bool more)
{
    size_t n = last >= first ? (size_t)(last - first + 1) : 0;
    cr_assert_eq(j->out.n_events, n, "page size %zu, want %zu", j->out.n_events, n);
    for (size_t i = 0; i < n; i++) {
        struct hdb_event *e = &j->out.events[i];
        cr_assert_eq(e->seq, first + i);
        cr_assert_not_null(e->handle);
        cr_assert_str_eq(e->handle, e->seq == 1 ? "ann" : "bob");
        if (e->seq > 2) {
            char want[32];
            snprintf(want, sizeof want, "m%llu", (unsigned long long)e->seq);
            cr_assert_str_eq(e->text, want);
            cr_assert_str_eq(e->cid, want);
            cr_assert_eq(e->kind, HDB_EV_MESSAGE);
        }
    }
    cr_assert_eq(j->out.has_more, more, "has_more %d, want %d", j->out.has_more, more);
    hdb_job_free(j);
}

Test(db_rooms, history_paging)
{
    int64_t ann = mkuser(db, "ann"), bob = mkuser(db, "bob");
    int64_t room = mkroom(db, "lounge", ann, 0);
    char text[16];
    cr_assert_eq(op(HDB_OP_ROOM_JOIN, room, bob, NULL, NULL, NULL, NULL), HDB_OK);   /* seq 2 */
    for (int s = 3; s <= 31; s++) {
        snprintf(text, sizeof text, "m%d", s);
        cr_assert_eq(msg(room, bob, text, text, NULL), HDB_OK);
    }

    /* Backwards from the newest. */
    expect_page(history(room, 0, 0, 10), 22, 31, true);
    expect_page(history(room, 22, 0, 10), 12, 21, true);
    expect_page(history(room, 12, 0, 10), 2, 11, true);
    expect_page(history(room, 2, 0, 10), 1, 1, false);
    expect_page(history(room, 1, 0, 10), 1, 0, false);
    expect_page(history(room, 11, 0, 10), 1, 10, false);   /* exactly the rest */
    expect_page(history(room, 0, 0, 31), 1, 31, false);
    expect_page(history(room, 0, 0, 30), 2, 31, true);
    expect_page(history(room, 1000, 0, 3), 29, 31, true);

    /* Forwards from a seq the client saw. */
    expect_page(history(room, 0, 1, 10), 2, 11, true);
    expect_page(history(room, 0, 11, 10), 12, 21, true);
    expect_page(history(room, 0, 21, 10), 22, 31, false);  /* exactly the rest */
    expect_page(history(room, 0, 25, 10), 26, 31, false);
    expect_page(history(room, 0, 31, 10), 1, 0, false);
    expect_page(history(room, 0, 500, 10), 1, 0, false);
    expect_page(history(room, 0, 30, 1), 31, 31, false);
    expect_page(history(room, 0, 29, 1), 30, 30, true);

    /* An empty page still says whether there is more. */
    expect_page(history(room, 0, 0, 0), 1, 0, true);
}

/* -------------------------------------------------------------- loads */

struct loaded {
    int rooms;
    int64_t room_ids[4];
    uint64_t last_seqs[4];
    int members;
    int recent_calls;
    uint64_t recent[8];
    int n_recent;
};

static void on_event(const struct hdb_event *ev, void *ud)
{
    struct loaded *l = ud;
    cr_assert_lt(l->n_recent, 8);
    l->recent[l->n_recent++] = ev->seq;
    cr_assert_not_null(ev->handle);
}

static void on_room(const struct hdb_room *r, void *ud)
{
    struct loaded *l = ud;
    cr_assert_lt(l->rooms, 4);
    l->room_ids[l->rooms] = r->id;
    l->last_seqs[l->rooms] = r->last_seq;
    l->rooms++;
    cr_assert_str_eq(r->title, "A title");
    /* Callbacks run outside the lock: calling back into hdb is fine. */
    if (r->last_seq > 3) {
        cr_assert_eq(hdb_load_recent(db, r->id, 3, on_event, l), HDB_OK);
        l->recent_calls++;
    }
}

static void on_member(int64_t room, int64_t user, const char *handle, int status, int role,
                      int64_t joined_at, void *ud)
{
    struct loaded *l = ud;
    l->members++;
    cr_assert_not_null(handle);
    if (strcmp(handle, "bob") == 0)
        cr_assert_eq(status, 3, "status comes with the member row");
    else
        cr_assert_eq(status, 1);
    if (strcmp(handle, "ann") == 0)
        cr_assert_eq(role, HDB_ROLE_HOST, "a room's creator is its host");
    else
        cr_assert_eq(role, HDB_ROLE_MEMBER);
}

Test(db_rooms, startup_loads)
{
    int64_t ann = mkuser(db, "ann"), bob = mkuser(db, "bob");
    int64_t r1 = mkroom(db, "one", ann, 0), r2 = mkroom(db, "two", ann, 1);
    cr_assert_eq(op(HDB_OP_ROOM_JOIN, r1, bob, NULL, NULL, NULL, NULL), HDB_OK);
    for (int i = 0; i < 5; i++)
        cr_assert_eq(msg(r1, bob, "t", NULL, NULL), HDB_OK);
    struct hdb_job *j = hdb_job_new(HDB_OP_USER_SET_STATUS, NULL, NULL);
    j->in.user_id = bob;
    j->in.status = 3;
    cr_assert_eq(hdb_run_sync(db, j), HDB_OK);
    hdb_job_free(j);

    struct loaded l = { 0 };
    cr_assert_eq(hdb_load_rooms(db, on_room, &l), HDB_OK);
    cr_assert_eq(l.rooms, 2);
    cr_assert_eq(l.room_ids[0], r1);
    cr_assert_eq(l.last_seqs[0], 7);
    cr_assert_eq(l.room_ids[1], r2);
    cr_assert_eq(l.last_seqs[1], 1);
    cr_assert_eq(l.recent_calls, 1);
    cr_assert_eq(l.n_recent, 3);
    cr_assert_eq(l.recent[0], 5, "newest three, ascending");
    cr_assert_eq(l.recent[1], 6);
    cr_assert_eq(l.recent[2], 7);

    cr_assert_eq(hdb_load_members(db, on_member, &l), HDB_OK);
    cr_assert_eq(l.members, 3);

    l.n_recent = 0;
    cr_assert_eq(hdb_load_recent(db, r2, 50, on_event, &l), HDB_OK);
    cr_assert_eq(l.n_recent, 1);
    cr_assert_eq(l.recent[0], 1);
    cr_assert_eq(hdb_load_recent(db, 999, 50, on_event, &l), HDB_E_NOT_FOUND);
}

static int roomcfg(enum hdb_op kind, int64_t room, int64_t target, int role)
{
    struct hdb_job *j = hdb_job_new(kind, NULL, NULL);
    j->in.room_id = room;
    j->in.target_id = target;
    j->in.role = role;
    int rc = hdb_run_sync(db, j);
    hdb_job_free(j);
    return rc;
}

struct room_seen { bool meeting; unsigned share; char format[64], chair[32]; };

static void on_room_settings(const struct hdb_room *r, void *ud)
{
    struct room_seen *seen = ud;
    seen->meeting = r->meeting;
    seen->share = r->share_seconds;
    snprintf(seen->format, sizeof seen->format, "%s", r->format);
    snprintf(seen->chair, sizeof seen->chair, "%s", r->chair ? r->chair : "(none)");
}

Test(db_rooms, meeting_settings_roles_and_chair)
{
    int64_t ann = mkuser(db, "ann"), bob = mkuser(db, "bob"), cat = mkuser(db, "cat");
    int64_t r = mkroom(db, "circle", ann, 0);
    cr_assert_eq(op(HDB_OP_ROOM_JOIN, r, bob, NULL, NULL, NULL, NULL), HDB_OK);

    /* Only what is given changes. */
    struct hdb_job *j = hdb_job_new(HDB_OP_ROOM_CONFIGURE, NULL, NULL);
    j->in.room_id = r;
    j->in.has_meeting = true;
    j->in.meeting = true;
    j->in.format = "We open with a moment of silence.";
    cr_assert_eq(hdb_run_sync(db, j), HDB_OK);
    cr_assert(j->out.room.meeting);
    cr_assert_eq(j->out.room.share_seconds, 300, "the default share length stays");
    cr_assert_str_eq(j->out.room.format, "We open with a moment of silence.");
    hdb_job_free(j);
    j = hdb_job_new(HDB_OP_ROOM_CONFIGURE, NULL, NULL);
    j->in.room_id = r;
    j->in.share_seconds = 240;
    cr_assert_eq(hdb_run_sync(db, j), HDB_OK);
    cr_assert(j->out.room.meeting, "unchanged");
    cr_assert_str_eq(j->out.room.format, "We open with a moment of silence.", "unchanged");
    cr_assert_eq(j->out.room.share_seconds, 240);
    j->in.room_id = 999;
    cr_assert_eq(hdb_run_sync(db, j), HDB_E_NOT_FOUND);
    hdb_job_free(j);

    cr_assert_eq(roomcfg(HDB_OP_MEMBER_ROLE, r, bob, HDB_ROLE_MODERATOR), HDB_OK);
    cr_assert_eq(roomcfg(HDB_OP_MEMBER_ROLE, r, cat, HDB_ROLE_MODERATOR), HDB_E_ALREADY,
                 "only members get a role");
    cr_assert_eq(roomcfg(HDB_OP_ROOM_CHAIR, r, bob, 0), HDB_OK);

    struct room_seen seen = {0};
    cr_assert_eq(hdb_load_rooms(db, on_room_settings, &seen), HDB_OK);
    cr_assert(seen.meeting);
    cr_assert_eq(seen.share, 240);
    cr_assert_str_eq(seen.chair, "bob");
    cr_assert_eq(q_int("SELECT role FROM room_members WHERE user_id = ?1", bob), HDB_ROLE_MODERATOR);
    cr_assert_eq(q_int("SELECT role FROM room_members WHERE user_id = ?1", ann), HDB_ROLE_HOST);

    cr_assert_eq(roomcfg(HDB_OP_ROOM_CHAIR, r, 0, 0), HDB_OK);
    cr_assert_eq(hdb_load_rooms(db, on_room_settings, &seen), HDB_OK);
    cr_assert_str_eq(seen.chair, "(none)");
}

/* ---- receipt marks (conversations use them; the op does not care) ---- */

static int marks(int64_t room, int64_t user, uint64_t delivered, uint64_t seen)
{
    struct hdb_job *j = hdb_job_new(HDB_OP_MARKS_SET, NULL, NULL);
    j->in.room_id = room;
    j->in.user_id = user;
    j->in.marks.delivered = delivered;
    j->in.marks.seen = seen;
    int rc = hdb_run_sync(db, j);
    hdb_job_free(j);
    return rc;
}

struct marks_seen { int n; int64_t room, user; uint64_t delivered, seen; };

static void on_marks(int64_t room, int64_t user, uint64_t delivered, uint64_t seen, void *ud)
{
    struct marks_seen *m = ud;
    m->n++;
    m->room = room;
    m->user = user;
    m->delivered = delivered;
    m->seen = seen;
}

Test(db_rooms, receipt_marks_only_grow_and_load)
{
    int64_t ann = mkuser(db, "ann"), bob = mkuser(db, "bob");
    int64_t r = mkroom(db, "one", ann, 0);
    cr_assert_eq(op(HDB_OP_ROOM_JOIN, r, bob, NULL, NULL, NULL, NULL), HDB_OK);
    struct marks_seen m = {0};
    cr_assert_eq(hdb_load_marks(db, on_marks, &m), HDB_OK);
    cr_assert_eq(m.n, 0, "0 marks are not loaded");

    cr_assert_eq(marks(r, bob, 5, 0), HDB_OK);
    cr_assert_eq(marks(r, bob, 3, 2), HDB_OK);   /* late: delivered stays 5, seen goes to 2 */
    const char *q = "SELECT delivered * 1000 + seen FROM room_members WHERE user_id = ?1";
    cr_assert_eq(q_int(q, bob), 5002);
    cr_assert_eq(marks(r, bob, 0, 7), HDB_OK);   /* what was seen was delivered */
    cr_assert_eq(q_int(q, bob), 7007);
    cr_assert_eq(q_int(q, ann), 0, "the other member's are their own");
    cr_assert_eq(marks(r, 9999, 4, 4), HDB_OK, "not a member: nothing written, no error");
    cr_assert_eq(marks(r, bob, (uint64_t)INT64_MAX + 1, 0), HDB_E_IO);

    cr_assert_eq(hdb_load_marks(db, on_marks, &m), HDB_OK);
    cr_assert_eq(m.n, 1);
    cr_assert_eq(m.room, r);
    cr_assert_eq(m.user, bob);
    cr_assert_eq(m.delivered, 7);
    cr_assert_eq(m.seen, 7);

    /* They go with the membership. */
    cr_assert_eq(op(HDB_OP_ROOM_LEAVE, r, bob, NULL, NULL, NULL, NULL), HDB_OK);
    m.n = 0;
    cr_assert_eq(hdb_load_marks(db, on_marks, &m), HDB_OK);
    cr_assert_eq(m.n, 0);
}
