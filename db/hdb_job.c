/*
 * Job allocation, output ownership and the names of codes and ops.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hdb_internal.h"

const char *hdb_rc_name(int rc)
{
    switch (rc) {
    case HDB_OK: return "ok";
    case HDB_E_NOT_FOUND: return "not_found";
    case HDB_E_EXISTS: return "exists";
    case HDB_E_INVITE: return "invite";
    case HDB_E_ALREADY: return "already";
    case HDB_E_IO: return "io";
    case HDB_E_CLOSED: return "closed";
    case HDB_E_DENIED: return "denied";
    }
    return "unknown";
}

const char *hdb__op_name(enum hdb_op op)
{
    switch (op) {
    case HDB_OP_USER_CREATE: return "user_create";
    case HDB_OP_USER_BY_HANDLE: return "user_by_handle";
    case HDB_OP_USER_SET_PASSWORD: return "user_set_password";
    case HDB_OP_USER_SET_STATUS: return "user_set_status";
    case HDB_OP_USER_REHASH: return "user_rehash";
    case HDB_OP_TOKEN_CREATE: return "token_create";
    case HDB_OP_TOKEN_LOOKUP: return "token_lookup";
    case HDB_OP_TOKEN_REVOKE: return "token_revoke";
    case HDB_OP_ROOM_CREATE: return "room_create";
    case HDB_OP_ROOM_JOIN: return "room_join";
    case HDB_OP_ROOM_LEAVE: return "room_leave";
    case HDB_OP_MESSAGE_APPEND: return "message_append";
    case HDB_OP_HISTORY: return "history";
    case HDB_OP_INVITE_CREATE: return "invite_create";
    case HDB_OP_ROOM_CONFIGURE: return "room_configure";
    case HDB_OP_MEMBER_ROLE: return "member_role";
    case HDB_OP_ROOM_CHAIR: return "room_chair";
    case HDB_OP_MOD_ACTION: return "mod_action";
    case HDB_OP_MOD_SETTINGS: return "mod_settings";
    case HDB_OP_AUDIT_LIST: return "audit_list";
    case HDB_OP_BLOCK_SET: return "block_set";
    case HDB_OP_REPORT_CREATE: return "report_create";
    case HDB_OP_REPORT_LIST: return "report_list";
    case HDB_OP_REPORT_RESOLVE: return "report_resolve";
    case HDB_OP_USER_SEEN_NOTICE: return "user_seen_notice";
    case HDB_OP_ATTENDANCE_ADD: return "attendance_add";
    case HDB_OP_ATTENDANCE_WEEKS: return "attendance_weeks";
    case HDB_OP_SEQ_NEXT: return "seq_next";
    case HDB_OP_PURGE: return "purge";
    case HDB_OP_SCHEDULE_SET: return "schedule_set";
    case HDB_OP_EXPORT: return "export";
    case HDB_OP_ACCOUNT_DELETE: return "account_delete";
    case HDB_OP_SETTINGS_PUT: return "settings_put";
    case HDB_OP_SEEN: return "seen";
    case HDB_OP_CHECKIN_PUT: return "checkin_put";
    case HDB_OP_CHECKINS: return "checkins";
    case HDB_OP_CHECKIN_FEED: return "checkin_feed";
    case HDB_OP_CARD_PUT: return "card_put";
    case HDB_OP_CARD_GET: return "card_get";
    case HDB_OP_PLAN_PUT: return "plan_put";
    case HDB_OP_PLAN_GET: return "plan_get";
    case HDB_OP_SOBRIETY_SET: return "sobriety_set";
    case HDB_OP_SOBRIETY_GET: return "sobriety_get";
    case HDB_OP_MILESTONE_TOLD: return "milestone_told";
    case HDB_OP_SUPPORT_ADD: return "support_add";
    case HDB_OP_SUPPORT_SET: return "support_set";
    case HDB_OP_SUPPORT_STATS: return "support_stats";
    case HDB_OP_SUPPORTER_SET: return "supporter_set";
    case HDB_OP_MATCH_POOL_SET: return "match_pool_set";
    case HDB_OP_MATCH_PROPOSAL: return "match_proposal";
    case HDB_OP_BUDDY_SET: return "buddy_set";
    case HDB_OP_PING_ADD: return "ping_add";
    case HDB_OP_PING_MARK: return "ping_mark";
    case HDB_OP_PINGS_DELIVER: return "pings_deliver";
    case HDB_OP_PINGS_LIST: return "pings_list";
    case HDB_OP_PINGS_PURGE: return "pings_purge";
    case HDB_OP_INVITE_LIST: return "invite_list";
    case HDB_OP_INVITE_REVOKE: return "invite_revoke";
    case HDB_OP_MARKS_SET: return "marks_set";
    }
    return "unknown_op";
}

int hdb__grow(void **arr, size_t *cap, size_t n, size_t sz)
{
    if (n < *cap)
        return 0;
    size_t ncap = *cap ? *cap * 2 : 16;
    void *p = realloc(*arr, ncap * sz);
    if (!p)
        return -1;
    *arr = p;
    *cap = ncap;
    return 0;
}

int hdb__read_rows(struct hdb *db, sqlite3_stmt *s, void **arr, size_t *n, size_t size,
                   int (*from_row)(sqlite3_stmt *s, void *elem), const char *what)
{
    size_t cap = *n;
    int rc;
    while ((rc = hdb__step(db, s, what)) == SQLITE_ROW) {
        if (hdb__grow(arr, &cap, *n, size))
            break;
        void *elem = (char *)*arr + *n * size;
        memset(elem, 0, size);
        (*n)++;
        if (from_row(s, elem) != 0)
            break;
    }
    sqlite3_reset(s);
    if (rc == SQLITE_ROW) {
        fprintf(stderr, "hdb: %s: out of memory\n", what);
        return HDB_E_IO;
    }
    return rc == SQLITE_DONE ? HDB_OK : HDB_E_IO;
}

struct hdb_job *hdb_job_new(enum hdb_op op, hdb_done_fn done, void *ud)
{
    struct hdb_job *job = calloc(1, sizeof *job);
    if (!job)
        return NULL;
    job->op = op;
    job->done = done;
    job->ud = ud;
    return job;
}

void hdb__user_free(struct hdb_user *u)
{
    free(u->handle);
    free(u->pw_hash);
    memset(u, 0, sizeof *u);
}

void hdb__room_free(struct hdb_room *r)
{
    free(r->name);
    free(r->title);
    free(r->topic);
    free(r->format);
    free(r->chair);
    memset(r, 0, sizeof *r);
}

void hdb__event_free(struct hdb_event *e)
{
    free(e->handle);
    free(e->text);
    free(e->cid);
    memset(e, 0, sizeof *e);
}

void hdb__events_free(struct hdb_event *ev, size_t n)
{
    for (size_t i = 0; i < n; i++)
        hdb__event_free(&ev[i]);
    free(ev);
}

void hdb__job_clear_out(struct hdb_job *job)
{
    hdb__user_free(&job->out.user);
    hdb__room_free(&job->out.room);
    hdb__event_free(&job->out.event);
    hdb__events_free(job->out.events, job->out.n_events);
    for (size_t i = 0; i < job->out.n_audit; i++) {
        free(job->out.audit[i].room);
        free(job->out.audit[i].actor);
        free(job->out.audit[i].action);
        free(job->out.audit[i].target);
        free(job->out.audit[i].reason);
    }
    free(job->out.audit);
    for (size_t i = 0; i < job->out.n_reports; i++) {
        struct hdb_report *r = &job->out.reports[i];
        free(r->reporter);
        free(r->target);
        free(r->reason);
        free(r->excerpt);
        free(r->room);
    }
    free(job->out.reports);
    free(job->out.weeks);
    for (size_t i = 0; i < job->out.n_invites; i++) {
        free(job->out.invites[i].code);
        free(job->out.invites[i].created_by);
    }
    free(job->out.invites);
    for (size_t i = 0; i < job->out.n_pings; i++) {
        free(job->out.pings[i].text);
        free(job->out.pings[i].from);
        free(job->out.pings[i].to);
    }
    free(job->out.pings);
    for (size_t i = 0; i < job->out.n_support; i++) {
        struct hdb_support *r = &job->out.support[i];
        free(r->requester);
        free(r->helper);
        free(r->note);
        free(r->room);
    }
    free(job->out.support);
    free(job->out.days);
    for (size_t i = 0; i < job->out.n_checkins; i++) {
        struct hdb_checkin *c = &job->out.checkins[i];
        free(c->handle);
        free(c->signs);
        free(c->grateful);
        free(c->win);
        free(c->note);
    }
    free(job->out.checkins);
    for (size_t i = 0; i < job->out.n_contacts; i++) {
        free(job->out.contacts[i].name);
        free(job->out.contacts[i].phone);
        free(job->out.contacts[i].note);
    }
    free(job->out.contacts);
    for (size_t i = 0; i < job->out.n_plan_items; i++) {
        free(job->out.plan_items[i].a);
        free(job->out.plan_items[i].b);
    }
    free(job->out.plan_items);
    free(job->out.periods);
    free(job->out.text);
    memset(&job->out, 0, sizeof job->out);
}

void hdb_job_free(struct hdb_job *job)
{
    if (!job)
        return;
    hdb__job_clear_out(job);
    free(job);
}
