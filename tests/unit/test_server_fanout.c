/*
 * Fan-out and presence through the transport interface, with no network
 * and no database: a hand-built struct server (manual clock, empty
 * registries, srv->db NULL), a fake transport that records want_write()
 * calls, sessions from session_new() and rooms built directly.
 *
 * Checks: one shared hbuf per event across every connection; presence
 * events to co-members (once each) when a user comes online and goes
 * offline; invisibility; a slow reader cut with 4001; no sends to a closed
 * session. Nothing here submits database jobs.
 */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "fanout.h"
#include "log.h"
#include "presence.h"
#include "rooms.h"
#include "rooms_internal.h"
#include "server.h"

/* ---- fake transport ---- */

static struct {
    struct session *calls[256];
    size_t n;
} ww;

static void fake_want_write(struct session *s)
{
    if (ww.n < sizeof ww.calls / sizeof ww.calls[0])
        ww.calls[ww.n] = s;
    ww.n++;
}

static const struct transport_ops fake_ops = {.want_write = fake_want_write};

static size_t want_write_calls_for(const struct session *s)
{
    size_t k = 0;
    for (size_t i = 0; i < ww.n && i < 256; i++)
        k += ww.calls[i] == s;
    return k;
}

/* ---- a minimal server ---- */

static struct server srv;
static struct room *rooms[8];
static size_t n_rooms;

static void srv_setup(void)
{
    log_set_level(LOG_WARN);   /* online/offline lines are noise here */
    memset(&srv, 0, sizeof srv);
    config_defaults(&srv.cfg);
    srv.clock = clock_new(NULL, true);
    srv.users = hmap_new();
    srv.rooms = hmap_new();
    srv.transport = &fake_ops;
    cr_assert(srv.clock && srv.users && srv.rooms);
    memset(&ww, 0, sizeof ww);
    n_rooms = 0;
}

/* Called at the end of each test body (not in .fini: a leak report at
 * worker exit would not fail the test, but ctest greps for it). */
static void srv_teardown(void)
{
    /* Closing every socket also exercises presence_session_ended. */
    while (srv.n_sessions > 0)
        session_transport_gone(srv.sessions[0]);
    free(srv.sessions);
    for (size_t i = 0; i < n_rooms; i++) {
        free(rooms[i]->members);
        free(rooms[i]);
    }
    size_t pos = 0;
    const char *k;
    void *v;
    while (hmap_next(srv.users, &pos, &k, &v) == 0) {
        struct user *u = v;
        cr_expect_eq(u->n_sessions, 0, "%s still has sessions", u->handle);
        free(u->sessions);
        free(u->rooms);
        free(u);
    }
    hmap_free(srv.users);
    hmap_free(srv.rooms);
    clock_free(srv.clock);
    memset(&srv, 0, sizeof srv);
}

static struct user *user(const char *handle, enum proto_status st)
{
    static int64_t next_id;
    struct user *u = server_user_upsert(&srv, ++next_id, handle, PROTO_ROLE_MEMBER, (int)st);
    cr_assert_not_null(u);
    return u;
}

/* A room with these members; each member also lists the room (presence
 * walks u->rooms to find co-members). NULL-terminated member list. */
static struct room *room(const char *name, struct user *first, ...)
{
    struct room *r = calloc(1, sizeof *r);
    cr_assert_not_null(r);
    strcpy(r->name, name);
    r->visibility = PROTO_VIS_OPEN;
    va_list ap;
    va_start(ap, first);
    for (struct user *u = first; u; u = va_arg(ap, struct user *))
        cr_assert_eq(room_member_add(r, u, PROTO_RROLE_MEMBER, 0), 0);
    va_end(ap);
    cr_assert_lt(n_rooms, 8);
    rooms[n_rooms++] = r;
    hmap_put(srv.rooms, r->name, r);
    return r;
}

/* A connection that has authenticated as u. */
static struct session *login(struct user *u)
{
    struct session *s = session_new(&srv, (void *)1, "127.0.0.1");
    cr_assert_not_null(s);
    s->user = u;
    presence_session_started(&srv, s);
    return s;
}

static struct hbuf *queued(const struct session *s, size_t i)
{
    cr_assert_lt(i, s->out.count);
    return s->out.ring[(s->out.head + i) % s->out.cap];
}

/* The i-th queued message of s, parsed. */
static json_t *queued_json(const struct session *s, size_t i)
{
    struct hbuf *b = queued(s, i);
    json_t *v = json_loadb(b->data, b->len, 0, NULL);
    cr_assert_not_null(v, "not JSON: %.*s", (int)b->len, b->data);
    return v;
}

/* Asserts that message i of s is a presence event for handle/status. */
static void expect_presence(const struct session *s, size_t i, const char *handle,
                            const char *status)
{
    json_t *v = queued_json(s, i);
    cr_expect_str_eq(json_string_value(json_object_get(v, "type")), "presence");
    cr_expect_str_eq(json_string_value(json_object_get(v, "handle")), handle);
    cr_expect_str_eq(json_string_value(json_object_get(v, "status")), status,
                     "%s seen as %s, want %s", handle,
                     json_string_value(json_object_get(v, "status")), status);
    json_decref(v);
}

/* Forget what logging in queued, so a test sees only what it does next. */
static void drain(struct session *const *ss, size_t n)
{
    for (size_t i = 0; i < n; i++)
        outq_clear(&ss[i]->out);
    memset(&ww, 0, sizeof ww);
}

static struct hbuf *msg(const char *json)
{
    struct hbuf *b = hbuf_take(strdup(json));
    cr_assert_not_null(b);
    return b;
}

/* ---- fan-out ---- */

Test(fanout, room_shares_one_buffer_with_every_connection)
{
    srv_setup();
    struct user *alice = user("alice", PROTO_STATUS_AVAILABLE);
    struct user *bob = user("bob", PROTO_STATUS_AVAILABLE);
    struct user *carol = user("carol", PROTO_STATUS_AVAILABLE);
    struct user *dave = user("dave", PROTO_STATUS_AVAILABLE);   /* member, offline */
    struct room *r = room("lounge", alice, bob, dave, NULL);
    struct session *ss[] = {login(alice), login(alice), login(bob), login(carol)};
    drain(ss, 4);

    struct hbuf *b = msg("{\"type\":\"room.event\",\"room\":\"lounge\",\"seq\":1}");
    fanout_room(r, b);

    /* alice's two connections and bob's: the same bytes, not copies. */
    for (int i = 0; i < 3; i++) {
        cr_assert_eq(ss[i]->out.count, 1, "session %d got %zu", i, ss[i]->out.count);
        cr_expect_eq(queued(ss[i], 0), b, "session %d holds a copy, not the shared buffer", i);
        cr_expect_eq(want_write_calls_for(ss[i]), 1, "session %d was not woken", i);
    }
    cr_expect_eq(ss[3]->out.count, 0, "carol is not a member");
    cr_expect_eq(want_write_calls_for(ss[3]), 0);
    cr_expect_eq(b->refs, 1 + 3, "one reference per queued connection plus ours");
    hbuf_unref(b);
    cr_expect_eq(b->refs, 3);

    /* Writing it out on one connection leaves the others' bytes intact. */
    size_t len, n;
    unsigned char *f = outq_take_frame(&ss[0]->out, 0, 4096, &len, &n);
    cr_assert_not_null(f);
    free(f);
    cr_expect_eq(b->refs, 2);
    cr_expect_eq(memcmp(queued(ss[2], 0)->data, "{\"type\":\"room.event\"", 20), 0);

    srv_teardown();   /* drops the last references (ASan checks the free) */
}

Test(fanout, user_reaches_all_their_connections_only)
{
    srv_setup();
    struct user *alice = user("alice", PROTO_STATUS_AVAILABLE);
    struct user *bob = user("bob", PROTO_STATUS_AVAILABLE);
    struct session *ss[] = {login(alice), login(alice), login(alice), login(bob)};
    drain(ss, 4);
    struct hbuf *b = msg("{\"type\":\"session.revoked\"}");
    fanout_user(alice, b);
    for (int i = 0; i < 3; i++)
        cr_expect_eq(ss[i]->out.count, 1);
    cr_expect_eq(ss[3]->out.count, 0);
    cr_expect_eq(b->refs, 4);
    hbuf_unref(b);
    srv_teardown();
}

/* ---- presence ---- */

Test(presence, online_then_offline_to_co_members_once)
{
    srv_setup();
    struct user *alice = user("alice", PROTO_STATUS_AVAILABLE);
    struct user *bob = user("bob", PROTO_STATUS_AVAILABLE);
    struct user *carol = user("carol", PROTO_STATUS_AVAILABLE);
    /* bob shares two rooms with alice: he must still hear of her once. */
    room("lounge", alice, bob, NULL);
    room("garden", bob, alice, NULL);
    room("attic", carol, bob, NULL);          /* carol shares nothing with alice */
    struct session *bs = login(bob), *cs = login(carol);
    struct session *pre[] = {bs, cs};
    drain(pre, 2);

    cr_expect_eq(presence_visible(alice, bob), PROTO_STATUS_OFFLINE, "no connection: offline");
    struct session *a1 = login(alice);
    cr_assert_eq(bs->out.count, 1, "bob got %zu presence events", bs->out.count);
    expect_presence(bs, 0, "alice", "available");
    cr_expect_eq(cs->out.count, 0, "carol shares no room with alice");
    cr_assert_eq(a1->out.count, 1, "alice's own connection learns her status");
    expect_presence(a1, 0, "alice", "available");
    cr_expect_eq(presence_visible(alice, bob), PROTO_STATUS_AVAILABLE);

    /* A second connection is not news to anyone. */
    struct session *a2 = login(alice);
    cr_expect_eq(bs->out.count, 1);
    cr_expect_eq(alice->n_sessions, 2);

    /* Closing one of two connections is not news either... */
    struct session *drained[] = {bs, cs, a1, a2};
    drain(drained, 4);
    session_transport_gone(a1);
    cr_expect_eq(bs->out.count, 0);
    cr_expect_eq(alice->n_sessions, 1);
    /* ...closing the last one is: offline, once. */
    session_transport_gone(a2);
    cr_assert_eq(bs->out.count, 1);
    expect_presence(bs, 0, "alice", "offline");
    cr_expect_eq(cs->out.count, 0);
    cr_expect_eq(alice->n_sessions, 0);
    cr_expect_eq(presence_visible(alice, bob), PROTO_STATUS_OFFLINE);
    cr_expect_eq(srv.n_sessions, 2, "gone sessions are untracked");
    srv_teardown();
}

Test(presence, chosen_status_is_what_others_see)
{
    srv_setup();
    struct user *alice = user("alice", PROTO_STATUS_BUSY);
    struct user *bob = user("bob", PROTO_STATUS_AVAILABLE);
    room("lounge", alice, bob, NULL);
    struct session *bs = login(bob);
    drain(&bs, 1);
    login(alice);
    cr_assert_eq(bs->out.count, 1);
    expect_presence(bs, 0, "alice", "busy");
    cr_expect_eq(room_present_count(rooms[0], bob), 2);
    srv_teardown();
}

Test(presence, invisible_is_offline_to_others_invisible_to_self)
{
    srv_setup();
    struct user *alice = user("alice", PROTO_STATUS_INVISIBLE);
    struct user *bob = user("bob", PROTO_STATUS_AVAILABLE);
    struct room *r = room("lounge", alice, bob, NULL);
    struct session *bs = login(bob);
    drain(&bs, 1);

    struct session *as = login(alice);
    cr_expect_eq(presence_visible(alice, bob), PROTO_STATUS_OFFLINE);
    cr_expect_eq(presence_visible(alice, NULL), PROTO_STATUS_OFFLINE);
    cr_expect_eq(presence_visible(alice, alice), PROTO_STATUS_INVISIBLE);
    cr_expect_eq(room_present_count(r, bob), 1, "bob counts only himself");
    cr_expect_eq(room_present_count(r, alice), 2, "alice counts herself");

    /* Whatever bob was told, it never gave her away. */
    for (size_t i = 0; i < bs->out.count; i++)
        expect_presence(bs, i, "alice", "offline");
    cr_assert_eq(as->out.count, 1);
    expect_presence(as, 0, "alice", "invisible");

    /* Leaving while invisible tells bob nothing new. */
    drain(&bs, 1);
    session_transport_gone(as);
    for (size_t i = 0; i < bs->out.count; i++)
        expect_presence(bs, i, "alice", "offline");
    srv_teardown();
}

Test(presence, going_invisible_looks_like_going_offline)
{
    srv_setup();
    struct user *alice = user("alice", PROTO_STATUS_AVAILABLE);
    struct user *bob = user("bob", PROTO_STATUS_AVAILABLE);
    room("lounge", alice, bob, NULL);
    struct session *ss[] = {login(bob), login(alice)};
    drain(ss, 2);

    alice->status = PROTO_STATUS_INVISIBLE;   /* as on_status_stored does */
    presence_status_changed(&srv, alice, PROTO_STATUS_AVAILABLE);
    cr_assert_eq(ss[0]->out.count, 1);
    expect_presence(ss[0], 0, "alice", "offline");
    cr_assert_eq(ss[1]->out.count, 1);
    expect_presence(ss[1], 0, "alice", "invisible");

    /* Invisible -> away: she reappears. */
    drain(ss, 2);
    alice->status = PROTO_STATUS_AWAY;
    presence_status_changed(&srv, alice, PROTO_STATUS_INVISIBLE);
    cr_assert_eq(ss[0]->out.count, 1);
    expect_presence(ss[0], 0, "alice", "away");
    cr_assert_eq(ss[1]->out.count, 1);
    expect_presence(ss[1], 0, "alice", "away");
    srv_teardown();
}

/* ---- slow readers and closed sessions ---- */

Test(session, slow_reader_cut_with_4001_and_queue_cleared)
{
    srv_setup();
    srv.cfg.max_queue_msgs = 4;               /* read by session_new */
    struct user *alice = user("alice", PROTO_STATUS_AVAILABLE);
    struct user *bob = user("bob", PROTO_STATUS_AVAILABLE);
    struct room *r = room("lounge", alice, bob, NULL);
    struct session *ss[] = {login(alice), login(bob)};
    drain(ss, 2);

    struct hbuf *b = msg("{\"type\":\"room.event\"}");
    /* bob keeps up (his queue is emptied each time), alice never reads. */
    for (int i = 0; i < 4; i++) {
        fanout_room(r, b);
        outq_clear(&ss[1]->out);
    }
    cr_assert_eq(ss[0]->close_code, 0, "four fit");
    cr_assert_eq(ss[0]->out.count, 4);
    fanout_room(r, b);                          /* the fifth does not */
    cr_expect_eq(ss[0]->close_code, 4001);
    cr_expect_str_eq(ss[0]->close_reason, "too slow");
    cr_expect_eq(ss[0]->out.count, 0, "a cut reader's backlog is dropped");
    cr_expect_eq(ss[0]->out.bytes, 0);
    cr_expect_not(session_alive(ss[0]));
    cr_expect_geq(want_write_calls_for(ss[0]), 5, "woken to send the close");
    /* Bob keeps his message and now also hears that alice went offline:
     * a session being cut stops counting as online at once. */
    cr_expect_eq(ss[1]->out.count, 2, "bob is not cut");
    expect_presence(ss[1], 0, "alice", "offline"); /* told before the fifth reaches him */
    cr_expect_eq(ss[1]->close_code, 0);
    cr_expect_eq(b->refs, 2, "the dropped backlog released its references");

    /* Nothing more is queued for the cut session. */
    fanout_room(r, b);
    cr_expect_eq(ss[0]->out.count, 0);
    cr_expect_eq(ss[0]->close_code, 4001, "the first close code stays");
    hbuf_unref(b);
    srv_teardown();
}

Test(session, byte_bound_also_cuts)
{
    srv_setup();
    srv.cfg.max_queue_bytes = 64;
    struct user *alice = user("alice", PROTO_STATUS_AVAILABLE);
    struct session *s = login(alice);
    drain(&s, 1);
    char big[41];
    memset(big, ' ', 40);
    big[0] = '{';
    big[39] = '}';
    big[40] = '\0';
    struct hbuf *b = msg(big);
    session_send(s, b);
    cr_expect_eq(s->close_code, 0);
    session_send(s, b);                         /* 80 bytes > 64 */
    cr_expect_eq(s->close_code, 4001);
    cr_expect_eq(s->out.count, 0);
    cr_expect_eq(b->refs, 1);
    hbuf_unref(b);
    srv_teardown();
}

Test(session, send_to_closed_session_queues_nothing)
{
    srv_setup();
    struct user *alice = user("alice", PROTO_STATUS_AVAILABLE);
    struct session *s = login(alice);
    drain(&s, 1);
    struct hbuf *b = msg("{}");

    session_close(s, 4000, "bye");
    cr_expect_eq(s->close_code, 4000);
    cr_expect_eq(want_write_calls_for(s), 1, "closing asks to write the close");
    session_send(s, b);
    session_send_json(s, strdup("{\"x\":1}"));  /* consumed even when dropped */
    cr_expect_eq(s->out.count, 0);
    cr_expect_eq(b->refs, 1);
    cr_expect_eq(want_write_calls_for(s), 1, "no wake-up for a dropped send");
    session_close(s, 4001, "again");
    cr_expect_eq(s->close_code, 4000, "the first close wins");

    /* Once the transport is gone the session may outlive it (a job holds a
     * reference); sends are still dropped. */
    session_ref(s);
    session_transport_gone(s);
    cr_expect(s->gone);
    cr_expect_null(s->conn);
    cr_expect_null(s->user, "detached from the user");
    cr_expect_eq(alice->n_sessions, 0);
    session_send(s, b);
    cr_expect_eq(s->out.count, 0);
    cr_expect_eq(b->refs, 1);
    session_unref(s);                           /* freed here (ASan checks) */
    hbuf_unref(b);
    srv_teardown();
}

Test(session, new_sessions_are_tracked_with_distinct_ids)
{
    srv_setup();
    struct session *a = session_new(&srv, (void *)1, "127.0.0.1");
    struct session *b = session_new(&srv, (void *)1, NULL);
    cr_assert(a && b);
    cr_expect_neq(a->id, b->id);
    cr_expect_eq(srv.n_sessions, 2);
    cr_expect_str_eq(a->addr, "127.0.0.1");
    cr_expect_str_eq(b->addr, "?");
    cr_expect(session_alive(a));
    cr_expect_null(a->user);
    cr_expect_eq(a->out.max_msgs, srv.cfg.max_queue_msgs);
    cr_expect_eq(a->out.max_bytes, srv.cfg.max_queue_bytes);
    session_transport_gone(a);   /* not authenticated: no presence */
    cr_expect_eq(srv.n_sessions, 1);
    cr_expect_eq(srv.sessions[0], b);
    cr_expect_eq(ww.n, 0, "nothing was sent");
    srv_teardown();
}
