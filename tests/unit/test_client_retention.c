/*
 * The terminal client's retention settings that need no server: DAYS for
 * /retention and --retention, `hearth configure ... --retention DAYS
 * --ephemeral on|off` and the request it makes, and the words a room line
 * and the confirmations use. The sources are compiled in here.
 */
#include <criterion/criterion.h>
#include <criterion/redirect.h>
#include <stdlib.h>
#include <string.h>

#include "../../client/term/buddies.c"
#include "../../client/term/checkin.c"
#include "../../client/term/cmdline.c"
#include "../../client/term/meeting.c"
#include "../../client/term/mod.c"
#include "../../client/term/oneshot_args.c"
#include "../../client/term/safety.c"
#include "../../client/term/support.c"
#include "../../client/term/text.c"

Test(retention, parse_days)
{
    uint32_t d = 99;
    cr_assert(mtg_parse_retention("0", &d) && d == 0);
    cr_assert(mtg_parse_retention("30", &d) && d == 30);
    cr_assert(mtg_parse_retention("3650", &d) && d == 3650);
    d = 5;
    cr_assert(mtg_parse_retention("keep", &d) && d == 0);
    const char *bad[] = {"", "3651", "-1", "30d", " 30", "1.5", "99999999999999999999", "on"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        cr_assert_not(mtg_parse_retention(bad[i], &d), "accepted '%s'", bad[i]);
    cr_assert_not(mtg_parse_retention(NULL, &d));
}

static void fini_os(struct os *s)
{
    free(s->format);
    free(s->text);
}

static int parse(struct os *s, int argc, const char **argv)
{
    memset(s, 0, sizeof *s);
    return oneshot_parse(s, argc, (char **)argv);
}

Test(retention, configure_args)
{
    struct os s;
    const char *a1[] = {"configure", "quiet", "--retention", "30", "--ephemeral", "on"};
    cr_assert_eq(parse(&s, 6, a1), 0);
    cr_assert_str_eq(s.room, "quiet");
    cr_assert(s.has_retention && s.retention_days == 30);
    cr_assert(s.has_ephemeral && s.ephemeral);
    cr_assert_not(s.has_meeting || s.has_share || s.format);

    struct proto_request q;
    memset(&q, 0, sizeof q);
    cr_assert(oneshot_fill_request(&s, &q));
    cr_assert_eq(q.type, PROTO_REQ_ROOM_CONFIGURE);
    cr_assert_str_eq(q.u.configure.room, "quiet");
    cr_assert(q.u.configure.has_retention && q.u.configure.retention_days == 30);
    cr_assert(q.u.configure.has_ephemeral && q.u.configure.ephemeral);
    cr_assert_not(q.u.configure.has_meeting || q.u.configure.has_share || q.u.configure.format);
    fini_os(&s);

    /* either alone is enough; 0 keeps messages; off is a change too */
    const char *a2[] = {"configure", "quiet", "--retention", "0"};
    cr_assert_eq(parse(&s, 4, a2), 0);
    cr_assert(s.has_retention && s.retention_days == 0 && !s.has_ephemeral);
    fini_os(&s);
    const char *a3[] = {"configure", "--ephemeral", "off", "quiet"};
    cr_assert_eq(parse(&s, 4, a3), 0);
    cr_assert(s.has_ephemeral && !s.ephemeral && !s.has_retention);
    memset(&q, 0, sizeof q);
    cr_assert(oneshot_fill_request(&s, &q));
    cr_assert(q.u.configure.has_ephemeral && !q.u.configure.ephemeral);
    cr_assert_not(q.u.configure.has_retention);
    fini_os(&s);

    /* with the meeting settings */
    const char *a4[] = {"configure", "quiet", "--meeting", "on", "--retention", "7"};
    cr_assert_eq(parse(&s, 6, a4), 0);
    cr_assert(s.has_meeting && s.meeting && s.has_retention && s.retention_days == 7);
    fini_os(&s);
}

Test(retention, configure_usage_errors, .init = cr_redirect_stderr)
{
    struct os s;
    const char *bad[][4] = {
        {"configure", "quiet", "--retention", "3651"},
        {"configure", "quiet", "--retention", "-5"},
        {"configure", "quiet", "--retention", "forever"},
        {"configure", "quiet", "--ephemeral", "maybe"},
        {"configure", "quiet", "--ephemeral", ""},
        {"configure", "quiet", "--retention", NULL},   /* no value */
        {"send", "quiet", "--ephemeral", "on"},        /* not an option of send: its words */
    };
    for (size_t i = 0; i < 6; i++) {
        int argc = bad[i][3] ? 4 : 3;
        cr_assert_eq(parse(&s, argc, bad[i]), 2, "accepted %s %s", bad[i][2],
                     bad[i][3] ? bad[i][3] : "(nothing)");
        fini_os(&s);
    }
    /* send takes --words as text */
    cr_assert_eq(parse(&s, 4, bad[6]), 0);
    cr_assert_str_eq(s.text, "--ephemeral on");
    fini_os(&s);
    /* other commands do not take them */
    const char *r[] = {"room-settings", "quiet", "--retention", "3"};
    cr_assert_eq(parse(&s, 4, r), 2);
    fini_os(&s);
    fflush(stderr);
    cr_assert_stderr_neq_str("");
}

Test(retention, room_line_words)
{
    char out[48];
    mtg_fmt_keep(0, false, out);
    cr_assert_str_eq(out, "");
    mtg_fmt_keep(30, false, out);
    cr_assert_str_eq(out, "messages kept 30 days");
    mtg_fmt_keep(1, false, out);
    cr_assert_str_eq(out, "messages kept 1 day");
    mtg_fmt_keep(30, true, out);
    cr_assert_str_eq(out, "nothing is stored");
}

Test(retention, sentences)
{
    struct proto_room r;
    memset(&r, 0, sizeof r);
    r.room = "quiet";
    r.retention_days = 30;
    char *t = mtg_keep_sentence(&r, true, false);
    cr_assert_str_eq(t, "#quiet keeps messages 30 days; older ones are erased from the server.");
    free(t);
    r.retention_days = 0;
    t = mtg_keep_sentence(&r, true, false);
    cr_assert_str_eq(t, "#quiet keeps its messages.");
    free(t);
    r.ephemeral = true;
    r.meeting = true;
    t = mtg_keep_sentence(&r, false, true);
    cr_assert_str_eq(t, "#quiet is now 'what is said here stays here': its messages are never "
                        "written to disk and are gone when the meeting closes.");
    free(t);
    t = mtg_keep_sentence(&r, true, false);
    cr_assert_str_eq(t, "#quiet keeps its messages. It is ephemeral: none are written to disk.");
    free(t);
    r.meeting = false;
    t = mtg_keep_sentence(&r, false, true);
    cr_assert(strstr(t, "never written to disk and only the newest are held") != NULL, "%s", t);
    free(t);
    r.ephemeral = false;
    r.retention_days = 1;
    t = mtg_keep_sentence(&r, true, true);   /* both asked: one sentence says both */
    cr_assert_str_eq(t, "#quiet is no longer ephemeral: its messages are stored again, kept 1 "
                        "day.");
    free(t);
    cr_assert_null(mtg_keep_sentence(&r, false, false));
    r.room = "bad\x1b[2Jname";   /* never reaches the terminal as is */
    t = mtg_keep_sentence(&r, true, false);
    cr_assert(strchr(t, '\x1b') == NULL);
    free(t);
}
