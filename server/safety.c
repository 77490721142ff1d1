#include "safety.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "fanout.h"
#include "log.h"
#include "rooms.h"
#include "server.h"

static const char *const default_resources[] = {
    "988 Suicide and Crisis Lifeline: call or text 988 (US)",
    "SAMHSA National Helpline: 1-800-662-4357 (US, free, 24/7)",
    "Crisis Text Line: text HOME to 741741 (US)",
    "If you are in immediate danger, call your local emergency number.",
};

/* Words that often come with a crisis. Deliberately broad: a false alarm
 * costs a kind message; a miss can cost a life. */
static const char *const default_patterns[] = {
    "kill myself", "killing myself", "end my life", "end it all", "want to die", "wanna die",
    "suicide", "suicidal", "overdose", "overdosing", "hurt myself", "hurting myself",
    "self harm", "self-harm", "cut myself", "no reason to live", "better off dead",
    "can't go on", "cant go on", "don't want to be here anymore",
};

static const char NOTICE[] =
    "Hearth is peer support, not a crisis service. If you are in danger or thinking about "
    "ending your life, please reach out now:";
static const char CHECK_IN[] =
    "We read your message and we care about you. You don't have to carry this alone. "
    "If you are in crisis right now, please reach out:";

struct safety {
    const char **resources;
    size_t n_resources;
    char **patterns;           /* lowercased */
    size_t n_patterns;
};

static char *lower_dup(const char *s)
{
    char *d = strdup(s);
    for (char *p = d; p && *p; p++)
        *p = (char)tolower((unsigned char)*p);
    return d;
}

int safety_init(struct server *srv)
{
    struct safety *sf = calloc(1, sizeof *sf);
    if (!sf)
        return -1;
    srv->safety = sf;
    const struct config *c = &srv->cfg;
    if (c->n_crisis_resources) {
        sf->resources = (const char **)c->crisis_resources;
        sf->n_resources = (size_t)c->n_crisis_resources;
    } else {
        sf->resources = (const char **)default_resources;
        sf->n_resources = sizeof default_resources / sizeof default_resources[0];
    }
    size_t n = c->n_crisis_patterns ? (size_t)c->n_crisis_patterns
                                    : sizeof default_patterns / sizeof default_patterns[0];
    sf->patterns = calloc(n, sizeof *sf->patterns);
    if (!sf->patterns)
        return -1;
    for (size_t i = 0; i < n; i++) {
        sf->patterns[i] = lower_dup(c->n_crisis_patterns ? c->crisis_patterns[i] : default_patterns[i]);
        if (!sf->patterns[i])
            return -1;
        sf->n_patterns++;
    }
    return 0;
}

void safety_free(struct server *srv)
{
    struct safety *sf = srv->safety;
    if (!sf)
        return;
    for (size_t i = 0; i < sf->n_patterns; i++)
        free(sf->patterns[i]);
    free(sf->patterns);
    free(sf);
    srv->safety = NULL;
}

const char *const *safety_resources(const struct server *srv, size_t *n)
{
    *n = srv->safety->n_resources;
    return srv->safety->resources;
}

void safety_handle_resources(struct session *s, const struct proto_request *req)
{
    struct safety *sf = s->srv->safety;
    struct proto_result res = {.type = PROTO_REQ_SAFETY_RESOURCES};
    res.u.safety.resources = sf->resources;
    res.u.safety.n = sf->n_resources;
    res.u.safety.notice = NOTICE;
    session_reply(s, req->id, &res);
}

static struct hbuf *encode_safety(struct safety *sf, enum proto_event_type type, const char *text,
                                  const char *room, uint64_t seq)
{
    struct proto_event ev = {.type = type};
    ev.u.safety.text = text;
    ev.u.safety.resources = sf->resources;
    ev.u.safety.n = sf->n_resources;
    ev.u.safety.room = room;
    ev.u.safety.seq = seq;
    return hbuf_take(proto_event_encode(&ev));
}

static void on_notice_stored(struct hdb_job *job) { hdb_job_free(job); }

void safety_first_room(struct server *srv, struct user *u)
{
    if (u->seen_notice)
        return;
    u->seen_notice = true;
    struct hbuf *b = encode_safety(srv->safety, PROTO_EVT_SAFETY_NOTICE, NOTICE, NULL, 0);
    if (b) {
        fanout_user(u, b);
        hbuf_unref(b);
    }
    struct hdb_job *job = hdb_job_new(HDB_OP_USER_SEEN_NOTICE, on_notice_stored, NULL);
    if (job) {
        job->in.user_id = u->id;
        server_submit(srv, job);
    }
}

static bool sounds_like_crisis(const struct safety *sf, const char *text)
{
    char *low = lower_dup(text);
    bool hit = false;
    for (size_t i = 0; low && !hit && i < sf->n_patterns; i++)
        hit = strstr(low, sf->patterns[i]) != NULL;
    free(low);
    return hit;
}

void safety_check_message(struct server *srv, struct room *r, struct user *author,
                          const struct hdb_event *ev)
{
    struct safety *sf = srv->safety;
    if (!ev->text || !sounds_like_crisis(sf, ev->text))
        return;
    /* Logged without the words: who, where, nothing else. */
    log_info("room %s: a message by %s may be a crisis; offered resources, alerted moderators",
             r->name, author->handle);
    struct hbuf *b = encode_safety(sf, PROTO_EVT_SAFETY_CHECK_IN, CHECK_IN, r->name, ev->seq);
    if (b) {
        fanout_user(author, b);
        hbuf_unref(b);
    }
    if (r->kind != PROTO_KIND_ROOM)
        return;   /* a private conversation: the one other person there reads it already */
    struct proto_event alert = {.type = PROTO_EVT_SAFETY_ALERT};
    alert.u.alert.room = r->name;
    alert.u.alert.handle = author->handle;
    alert.u.alert.seq = ev->seq;
    b = hbuf_take(proto_event_encode(&alert));
    if (!b)
        return;
    for (size_t i = 0; i < r->n_members; i++) {
        struct user *u = r->members[i].user;
        if (u != author && room_can_moderate(r, u))
            fanout_user(u, b);
    }
    hbuf_unref(b);
}
