/*
 * `hearth checkin --mood N [--craving N] [--signs A,B] [--grateful TEXT]
 * [--win TEXT] [--note TEXT]`: today's check-in in one request (the
 * warning signs read first when some are named, so they may be given by
 * number, name or label). Prints what /checkin shows: "Checked in for Mon
 * 23 Nov. Streak: 3 days." and, with a warning, the member's own plan and
 * card, where to get help and how to reach out. Exit 0; a sign the server
 * does not list is a usage error (2). The words are checkin.c's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "oneshot.h"

static void put(char *txt)
{
    if (txt)
        printf("%s\n", txt);
    free(txt);
}

static void on_submitted(struct hc_client *c, const struct hc_reply *r, void *ud)
{
    struct os *s = ud;
    (void)c;
    if (s->done || oneshot_reply_failed(s, r))
        return;
    const struct proto_result *res = r->result;
    put(ci_result_text(&res->u.submitted.checkin, res->u.submitted.updated,
                       res->u.submitted.streak));
    if (res->u.submitted.warning)
        put(ci_warning_text(res, NULL, 0, true));
    oneshot_finish(s, 0);
}

/* The check-in, its signs picked from list (NULL when none were named). */
static int submit(struct os *s, const struct proto_sign *list, size_t n)
{
    struct ci_signs picked;
    char bad[48];
    enum ci_parse rc = ci_pick_signs(s->checkin.signs, list, n, &picked, bad);
    if (rc != CI_OK) {
        char *txt = rc == CI_BAD_SIGN ? ci_bad_sign_text(bad, list, n) : NULL;
        fprintf(stderr, "hearth: %s\n", txt ? txt : ci_parse_error(rc, true));
        free(txt);
        oneshot_finish(s, 2);
        return 0;
    }
    struct proto_request q;
    ci_fill_submit(&s->checkin, &picked, &q);
    return hc_request(s->c, &q, on_submitted, s);
}

static void on_signs(struct hc_client *c, const struct hc_reply *r, void *ud)
{
    struct os *s = ud;
    (void)c;
    if (s->done || oneshot_reply_failed(s, r))
        return;
    if (submit(s, r->result->u.signs.signs, r->result->u.signs.n) < 0) {
        fprintf(stderr, "hearth: could not send the check-in.\n");
        oneshot_finish(s, 1);
    }
}

int checkin_run(struct os *s)
{
    if (!s->checkin.signs)
        return submit(s, NULL, 0);
    struct proto_request q;
    memset(&q, 0, sizeof q);
    q.type = PROTO_REQ_CHECKIN_SIGNS;
    return hc_request(s->c, &q, on_signs, s);
}

void checkin_event(struct os *s, const struct proto_event *ev)
{
    char today[CI_DAY], *txt;
    ci_today(ui_now_ms(), today);
    switch (ev->type) {
    case PROTO_EVT_CHECKIN_SHARED:
        put(ci_shared_text(&ev->u.shared, today));
        break;
    case PROTO_EVT_CHECKIN_ALERT:
        txt = ci_alert_text(ev->u.checkin_alert.handle, ev->u.checkin_alert.day,
                            ev->u.checkin_alert.signs, today);
        put(txt ? bud_alert_line(txt, false) : NULL);
        free(txt);
        break;
    case PROTO_EVT_MILESTONE:
        put(ct_milestone_text(ev->u.milestone.handle, hc_client_handle(s->c),
                              &ev->u.milestone.milestone, today));
        break;
    case PROTO_EVT_CHECKIN_NUDGE:
        put(ci_nudge_text(ev->u.nudge.handle, ev->u.nudge.days));
        break;
    case PROTO_EVT_CHECKIN_REMINDER:
        put(ci_reminder_text(ev->u.reminder.days));
        break;
    default:
        break;
    }
}
