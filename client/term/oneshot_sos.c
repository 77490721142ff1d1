/*
 * `hearth sos [--wait MINUTES] [talk|craving|crisis] [NOTE...]`: asks for
 * support, prints what happens next (for a crisis, where to get help, at
 * once), then waits, printing each support.update, until someone answers
 * (exit 0: run `hearth` to talk with them). Nobody in time, or Ctrl-C,
 * ends the wait but not the request: it stays open, and the words say so
 * (exit 1, or 128 + the signal). A dropped link is ridden out: the client
 * reconnects and support.status says what was missed (updates are not
 * replayed). The words are support.c's.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "oneshot.h"

#define STILL_OPEN "Your request stays open: run `hearth` to be there when someone answers " \
                   "(/sos shows where it stands, /sos cancel withdraws it)."

/* Prints txt (lines separated by '\n') so that it stands out; frees it. */
static void put_alert(char *txt)
{
    char *line = txt ? bud_alert_line(txt, ui_color()) : NULL;
    if (line || txt)
        printf("%s\n", line ? line : txt);
    free(line);
    free(txt);
}

static void put_plain(char *txt)
{
    if (txt)
        printf("%s\n", txt);
    free(txt);
}

/* Prints where the request stands; an answer (or its end) ends the
 * command. */
static void show(struct os *s, const struct proto_support *r, const char *by,
                 const char *const *res, size_t n)
{
    if (r->urgency == PROTO_URGENCY_CRISIS && n && r->state != PROTO_SUPPORT_NOBODY_YET)
        put_alert(sup_danger_text(res, n));
    char *txt = sup_mine_text(r, by, s->sos_helper, res, n, true);
    if (r->state == PROTO_SUPPORT_NOBODY_YET || r->state == PROTO_SUPPORT_ACCEPTED)
        put_alert(txt);
    else
        put_plain(txt);
    s->sos_shown = r->state;
    snprintf(s->sos_helper, sizeof s->sos_helper, "%s", r->helper ? r->helper : "");
    if (r->state == PROTO_SUPPORT_ACCEPTED || r->state == PROTO_SUPPORT_CLOSED)
        oneshot_finish(s, 0);
    else if (r->state == PROTO_SUPPORT_CANCELLED)
        oneshot_finish(s, 1);
}

/* ---------------------------------------------------------- the wait */

static void on_timeout(uv_timer_t *t)
{
    struct os *s = t->data;
    printf("Nobody has answered in %lu minute%s. " STILL_OPEN "\n", s->wait_minutes,
           s->wait_minutes == 1 ? "" : "s");
    oneshot_finish(s, 1);
}

static void on_signal(uv_signal_t *h, int signum)
{
    struct os *s = h->data;
    printf("\nStopped waiting. " STILL_OPEN "\n");
    oneshot_finish(s, 128 + signum);
}

static void wait_for_answer(struct os *s)
{
    printf("Waiting for an answer (up to %lu minute%s). Ctrl-C stops waiting; your request "
           "stays open.\n", s->wait_minutes, s->wait_minutes == 1 ? "" : "s");
    fflush(stdout);
    s->sos_timer.data = s->sos_int.data = s->sos_term.data = s;
    uv_timer_init(s->loop, &s->sos_timer);
    uv_signal_init(s->loop, &s->sos_int);
    uv_signal_init(s->loop, &s->sos_term);
    uv_timer_start(&s->sos_timer, on_timeout, (uint64_t)s->wait_minutes * 60000, 0);
    uv_signal_start(&s->sos_int, on_signal, SIGINT);
    uv_signal_start(&s->sos_term, on_signal, SIGTERM);
    s->sos_waiting = true;
}

void sos_stop(struct os *s)
{
    if (!s->sos_waiting)
        return;
    s->sos_waiting = false;
    uv_close((uv_handle_t *)&s->sos_timer, NULL);
    uv_close((uv_handle_t *)&s->sos_int, NULL);
    uv_close((uv_handle_t *)&s->sos_term, NULL);
}

/* ------------------------------------------------------------ replies */

static void on_asked(struct hc_client *c, const struct hc_reply *r, void *ud)
{
    struct os *s = ud;
    (void)c;
    if (s->done || oneshot_reply_failed(s, r))
        return;
    const struct proto_support *req = &r->result->u.asked.request;
    const char *const *res = r->result->u.asked.resources;
    size_t n = r->result->u.asked.n_resources;
    bool crisis = req->urgency == PROTO_URGENCY_CRISIS;
    s->sos_id = req->id;
    if (sup_was_open(req))
        put_plain(sup_already_text(req));
    if ((n || crisis) && req->state != PROTO_SUPPORT_NOBODY_YET) {
        put_alert(sup_danger_text(res, n));
        n = 0;   /* shown */
    }
    show(s, req, NULL, res, n);
    if (s->done)
        return;
    if (crisis)
        printf("Because it is a crisis, the moderators on duty are alerted too.\n");
    else if (req->state != PROTO_SUPPORT_NOBODY_YET)   /* that one says where help is */
        printf("Hearth is peer support, not a crisis service: in danger, call your local "
               "emergency number (`hearth help-now` lists where to get help).\n");
    if (s->wait_minutes == 0) {
        printf("%s\n", STILL_OPEN);
        oneshot_finish(s, 0);
        return;
    }
    wait_for_answer(s);
}

/* After a reconnect: what became of the request meanwhile. */
static void on_status(struct hc_client *c, const struct hc_reply *r, void *ud)
{
    struct os *s = ud;
    (void)c;
    if (s->done || r->err != PROTO_OK)
        return;   /* a lost link: asked again once back */
    const struct proto_support *mine = r->result->u.support.has_mine
                                           ? &r->result->u.support.mine : NULL;
    if (!mine || mine->id != s->sos_id) {
        printf("Your request for support has ended. `hearth sos` asks again whenever you need "
               "it.\n");
        oneshot_finish(s, 1);
    } else if (mine->state != s->sos_shown) {
        show(s, mine, NULL, NULL, 0);
    }
}

int sos_run(struct os *s)
{
    struct proto_request q;
    memset(&q, 0, sizeof q);
    q.type = PROTO_REQ_SUPPORT_ASK;
    q.u.ask.urgency = s->sos.urgency;
    q.u.ask.note = s->sos.text;
    return hc_request(s->c, &q, on_asked, s);
}

void sos_event(struct os *s, const struct proto_event *ev)
{
    const struct proto_support *r = &ev->u.support_update.request;
    if (!s->sos_id || r->id != s->sos_id)
        return;
    show(s, r, ev->u.support_update.by, ev->u.support_update.resources,
         ev->u.support_update.n_resources);
}

bool sos_state(struct os *s, enum hc_state st, int64_t retry)
{
    if (!s->sos_waiting)
        return false;   /* asking: a lost link is a failure */
    if (st == HC_DISCONNECTED && retry > 0) {
        if (!s->sos_lost)
            fprintf(stderr, "hearth: The connection was lost; reconnecting… Your request stays "
                            "open.\n");
        s->sos_lost = true;
        return true;
    }
    if (st == HC_READY) {
        s->sos_lost = false;
        struct proto_request q;
        memset(&q, 0, sizeof q);
        q.type = PROTO_REQ_SUPPORT_STATUS;
        if (hc_request(s->c, &q, on_status, s) < 0)
            fprintf(stderr, "hearth: Could not ask where your request stands.\n");
        return true;
    }
    return st != HC_DISCONNECTED;
}
