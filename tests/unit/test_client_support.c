/*
 * The terminal client's support parts that need no server
 * (client/term/support.c, and what `hearth sos` takes in oneshot_args.c):
 * what /sos takes, waits as a clock and in words, and the sentences for
 * one's own request, the ones one helps in, offers, offers gone, the
 * queue, the waiting figures and /sos's status; plus the multi-line alerts
 * and the conversation list they rely on. The sources are compiled in
 * here.
 */
#include <criterion/criterion.h>
#include <criterion/redirect.h>
#include <stdio.h>
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

#define SEC 1000LL
#define MINUTE (60 * SEC)

/* Checks a malloc'd sentence and frees it. */
static void check_text(char *got, const char *want)
{
    cr_assert_not_null(got, "no text (wanted \"%s\")", want);
    cr_assert_str_eq(got, want);
    free(got);
}

static struct proto_support request(enum proto_support_state st)
{
    struct proto_support r;
    memset(&r, 0, sizeof r);
    r.id = 12;
    r.requester = "ann";
    r.urgency = PROTO_URGENCY_CRAVING;
    r.note = "it's bad tonight";
    r.state = st;
    r.waited_ms = 45 * SEC + 999;
    if (st == PROTO_SUPPORT_ACCEPTED || st == PROTO_SUPPORT_CLOSED) {
        r.helper = "sam";
        r.conversation = "~s8pp0rt12";
    }
    return r;
}

static const char *const RES[] = {"988 Suicide and Crisis Lifeline: call or text 988 (US)",
                                  "Crisis Text Line: text HOME to 741741 (US)"};

#define DANGER "If you are in danger now:\n" \
               "  - 988 Suicide and Crisis Lifeline: call or text 988 (US)\n" \
               "  - Crisis Text Line: text HOME to 741741 (US)"

/* --------------------------------------------------------------- /sos */

static struct sup_sos_args parse_ok(const char *line)
{
    struct sup_sos_args a;
    enum sup_parse rc = sup_parse_sos(line, &a);
    cr_assert_eq(rc, SUP_OK, "refused '%s' (%d)", line, (int)rc);
    return a;
}

Test(client_support, sos_asks)
{
    struct sup_sos_args a = parse_ok("");
    cr_assert_eq(a.verb, SUP_ASK);
    cr_assert_not(a.has_urgency, "no word: no urgency said");
    cr_assert_eq(a.urgency, PROTO_URGENCY_TALK);
    cr_assert_null(a.text);

    a = parse_ok("  craving   it's bad tonight  ");
    cr_assert(a.has_urgency);
    cr_assert_eq(a.urgency, PROTO_URGENCY_CRAVING);
    cr_assert_str_eq(a.text, "it's bad tonight");
    sup_sos_args_free(&a);
    cr_assert_null(a.text, "freed and cleared");

    a = parse_ok("CRISIS");
    cr_assert_eq(a.urgency, PROTO_URGENCY_CRISIS);
    cr_assert_null(a.text);

    a = parse_ok("Talk \"payday, and the old crowd\"");
    cr_assert_eq(a.urgency, PROTO_URGENCY_TALK);
    cr_assert_str_eq(a.text, "payday, and the old crowd", "one pair of quotes dropped");
    sup_sos_args_free(&a);
}

Test(client_support, sos_note_without_urgency)
{
    /* A first word that is not an urgency starts the note. */
    struct sup_sos_args a = parse_ok("I can't sleep");
    cr_assert_eq(a.verb, SUP_ASK);
    cr_assert_not(a.has_urgency);
    cr_assert_eq(a.urgency, PROTO_URGENCY_TALK);
    cr_assert_str_eq(a.text, "I can't sleep");
    sup_sos_args_free(&a);

    a = parse_ok("talking helps");
    cr_assert_not(a.has_urgency, "'talking' is not 'talk'");
    cr_assert_str_eq(a.text, "talking helps");
    sup_sos_args_free(&a);

    a = parse_ok("endless night");
    cr_assert_eq(a.verb, SUP_ASK, "'endless' is not 'end'");
    cr_assert_str_eq(a.text, "endless night");
    sup_sos_args_free(&a);

    a = parse_ok("supercalifragilisticexpialidocious day");
    cr_assert_eq(a.verb, SUP_ASK);
    cr_assert_str_eq(a.text, "supercalifragilisticexpialidocious day", "a long first word");
    sup_sos_args_free(&a);
}

Test(client_support, sos_cancel_and_end)
{
    struct sup_sos_args a = parse_ok("cancel");
    cr_assert_eq(a.verb, SUP_CANCEL);
    a = parse_ok(" Cancel ");
    cr_assert_eq(a.verb, SUP_CANCEL);
    cr_assert_eq(sup_parse_sos("cancel it now", &a), SUP_USAGE);
    sup_sos_args_free(&a);

    a = parse_ok("end");
    cr_assert_eq(a.verb, SUP_END);
    cr_assert_null(a.text, "no thanks");
    a = parse_ok("END Thank you for staying with me tonight. 🌱");
    cr_assert_eq(a.verb, SUP_END);
    cr_assert_str_eq(a.text, "Thank you for staying with me tonight. 🌱");
    sup_sos_args_free(&a);
}

Test(client_support, sos_length)
{
    char note[2 * PROTO_NOTE_MAX + 8];
    memset(note, 'x', PROTO_NOTE_MAX);
    note[PROTO_NOTE_MAX] = '\0';
    struct sup_sos_args a = parse_ok(note);
    cr_assert_eq(strlen(a.text), PROTO_NOTE_MAX, "500 characters fit");
    sup_sos_args_free(&a);

    strcat(note, "x");
    cr_assert_eq(sup_parse_sos(note, &a), SUP_LONG_TEXT, "501 do not");
    cr_assert_null(a.text);

    /* Characters, not bytes: 500 two-byte letters fit. */
    for (int i = 0; i < PROTO_NOTE_MAX; i++)
        memcpy(note + 2 * i, "\xC3\xA9", 2);
    note[2 * PROTO_NOTE_MAX] = '\0';
    a = parse_ok(note);
    sup_sos_args_free(&a);

    cr_assert_eq(sup_parse_sos("end \xFF\xFE", &a), SUP_LONG_TEXT, "not UTF-8");
    cr_assert_not_null(strstr(sup_parse_error(SUP_LONG_TEXT, false), "500"));
    cr_assert_not_null(strstr(sup_parse_error(SUP_USAGE, true), "hearth sos"));
    cr_assert_not_null(strstr(sup_parse_error(SUP_USAGE, false), "/sos cancel"));
}

Test(client_support, urgency_words)
{
    enum proto_urgency u = PROTO_URGENCY_TALK;
    cr_assert(sup_parse_urgency("Crisis", &u) && u == PROTO_URGENCY_CRISIS);
    cr_assert(sup_parse_urgency("craving", &u) && u == PROTO_URGENCY_CRAVING);
    cr_assert_not(sup_parse_urgency("urgent", &u));
    cr_assert_not(sup_parse_urgency("", &u));
    cr_assert_not(sup_parse_urgency(NULL, &u));
    cr_assert(cmd_word_is("TaLk", "talk"));
    cr_assert_not(cmd_word_is("tal", "talk"));
    cr_assert_not(cmd_word_is("talks", "talk"));
}

/* ---------------------------------------------------------- durations */

static void check_wait(int64_t ms, const char *want)
{
    char out[16];
    sup_fmt_wait(ms, out);
    cr_assert_str_eq(out, want, "%lld ms", (long long)ms);
}

static void check_duration(int64_t ms, const char *want)
{
    char out[32];
    sup_fmt_duration(ms, out);
    cr_assert_str_eq(out, want, "%lld ms", (long long)ms);
}

Test(client_support, waits_as_a_clock)
{
    check_wait(0, "0:00");
    check_wait(999, "0:00");          /* rounded down: not a countdown */
    check_wait(45 * SEC + 999, "0:45");
    check_wait(12 * MINUTE + 5 * SEC, "12:05");
    check_wait(62 * MINUTE + 3 * SEC, "1:02:03");
    check_wait(-5 * SEC, "0:00");
}

Test(client_support, waits_in_words)
{
    check_duration(0, "0 s");
    check_duration(45 * SEC + 500, "45 s");
    check_duration(90 * SEC, "1 min 30 s");
    check_duration(95 * SEC + 999, "1 min 35 s");
    check_duration(10 * MINUTE, "10 min");
    check_duration(65 * MINUTE, "1 h 5 min");
    check_duration(120 * MINUTE, "2 h");
    check_duration((2 * 86400 + 3 * 3600) * SEC, "2 d 3 h");
    check_duration(86400 * SEC + 59 * MINUTE, "1 d");
    check_duration(-1, "0 s");
}

/* -------------------------------------------------------------- offers */

Test(client_support, offer_lines)
{
    struct proto_support r = request(PROTO_SUPPORT_ASKING_SUPPORTERS);
    check_text(sup_offer_text(&r, "supporter"),
               "ann asks for support (craving, waiting 0:45): \"it's bad tonight\" — /accept 12 "
               "to answer (you are on duty).");
    check_text(sup_offer_text(&r, "buddy"),
               "ann asks for support (craving, waiting 0:45): \"it's bad tonight\" — /accept 12 "
               "to answer (you are their buddy).");
    check_text(sup_offer_text(&r, "something_new"),
               "ann asks for support (craving, waiting 0:45): \"it's bad tonight\" — /accept 12 "
               "to answer (you are on duty).");
    r.urgency = PROTO_URGENCY_CRISIS;
    r.note = NULL;
    r.waited_ms = 3 * SEC;
    check_text(sup_offer_text(&r, "moderator"),
               "ann asks for support (crisis, waiting 0:03) — /accept 12 to answer (crisis: "
               "moderators alerted).");
    r.note = "line one\nline two\033[2J";
    r.requester = "ann\033x";
    check_text(sup_offer_text(&r, NULL),
               "ann?x asks for support (crisis, waiting 0:03): \"line one line two\xEF\xBF\xBD[2J\" "
               "— /accept 12 to answer (you are on duty).");
}

Test(client_support, offers_gone)
{
    check_text(sup_gone_text("ann", "taken"), "Someone else is with ann now.");
    check_text(sup_gone_text("ann", "withdrawn"), "ann withdrew their request for support.");
    check_text(sup_gone_text("ann", "ended"), "ann's request for support is no longer waiting.");
    check_text(sup_gone_text(NULL, "taken"), "Someone else is with them now.");
    check_text(sup_gone_text("", "withdrawn"), "A request for support is no longer waiting.");
}

/* ---------------------------------------------------------- my request */

Test(client_support, mine_while_asking)
{
    struct proto_support r = request(PROTO_SUPPORT_ASKING_BUDDIES);
    check_text(sup_mine_text(&r, NULL, NULL, NULL, 0, false),
               "Asking your buddies who are online… If none of them can answer soon, everyone "
               "on duty is asked too.");
    r.state = PROTO_SUPPORT_ASKING_SUPPORTERS;
    check_text(sup_mine_text(&r, NULL, NULL, NULL, 0, false), "Asking everyone on duty…");
    check_text(sup_mine_text(&r, "handed_back", "sam", NULL, 0, false),
               "sam could not stay and handed your request back. Asking everyone else on duty…");
    check_text(sup_mine_text(&r, "helper_lost", "sam", NULL, 0, false),
               "sam lost their connection, so your request went back to the queue. Asking "
               "everyone on duty…");
    check_text(sup_mine_text(&r, "handed_back", NULL, NULL, 0, false),
               "Your helper could not stay and handed your request back. Asking everyone else "
               "on duty…");
}

Test(client_support, mine_nobody_yet)
{
    struct proto_support r = request(PROTO_SUPPORT_NOBODY_YET);
    check_text(sup_mine_text(&r, NULL, NULL, RES, 2, false),
               "Nobody has answered yet. You are not forgotten: your request stays open, and "
               "whoever comes on duty sees it.\n" DANGER);
    check_text(sup_mine_text(&r, NULL, NULL, NULL, 0, true),
               "Nobody has answered yet. You are not forgotten: your request stays open, and "
               "whoever comes on duty sees it.\nIf you are in danger now:\n  - If you are in "
               "immediate danger, call your local emergency number.\n`hearth help-now` lists "
               "where to get help.");
    check_text(sup_danger_text(RES, 2), DANGER);
}

Test(client_support, mine_answered_and_ended)
{
    struct proto_support r = request(PROTO_SUPPORT_ACCEPTED);
    check_text(sup_mine_text(&r, NULL, NULL, NULL, 0, false),
               "sam is with you: type here to talk; only the two of you can read it. /dm sam "
               "comes back here; /sos end [THANKS] closes it when you are ready.");
    check_text(sup_mine_text(&r, NULL, NULL, NULL, 0, true),
               "sam answered: run `hearth` and /dm sam to talk with them.");
    r.state = PROTO_SUPPORT_CLOSED;
    check_text(sup_mine_text(&r, "requester", NULL, NULL, 0, false),
               "Your support conversation with sam has ended. Take good care of yourself; /sos "
               "is here whenever you need it.");
    check_text(sup_mine_text(&r, "helper", NULL, NULL, 0, false),
               "sam has ended your support conversation. It stays readable (/dm sam). /sos is "
               "here whenever you need it.");
    r = request(PROTO_SUPPORT_CANCELLED);
    check_text(sup_mine_text(&r, "requester", NULL, NULL, 0, true),
               "Your request for support is withdrawn. `hearth sos` is here whenever you need "
               "it.");
}

Test(client_support, asking_again)
{
    struct proto_support r = request(PROTO_SUPPORT_ASKING_BUDDIES);
    r.waited_ms = 20;
    cr_assert_not(sup_was_open(&r), "a new request has waited about nothing");
    r.state = PROTO_SUPPORT_ASKING_SUPPORTERS;
    cr_assert_not(sup_was_open(&r), "no buddy online: it starts with everyone on duty");
    r.waited_ms = 5 * SEC;
    cr_assert(sup_was_open(&r));
    r = request(PROTO_SUPPORT_ACCEPTED);
    r.waited_ms = 0;
    cr_assert(sup_was_open(&r), "already answered");
    check_text(sup_already_text(&r),
               "You already have a request for support open (craving). It stays as it was:");
}

/* ----------------------------------------------- the ones I help in */

Test(client_support, helper_lines)
{
    struct proto_support r = request(PROTO_SUPPORT_ACCEPTED);
    r.waited_ms = 95 * SEC;
    check_text(sup_helper_text(&r, NULL, NULL),
               "You are with ann now (craving, waited 1:35): \"it's bad tonight\". Only the two "
               "of you can read this conversation. /handback if you cannot stay, /sos end when "
               "you are done.");
    r.state = PROTO_SUPPORT_CLOSED;
    check_text(sup_helper_text(&r, "requester", "Thank you for staying with me tonight."),
               "ann ended your support conversation and left you thanks: \"Thank you for "
               "staying with me tonight.\"");
    check_text(sup_helper_text(&r, "requester", ""),
               "ann ended your support conversation. Thank you for being there.");
    check_text(sup_helper_text(&r, "helper", "ignored"),
               "You ended your support conversation with ann. Thank you for being there.");
    r.state = PROTO_SUPPORT_ASKING_SUPPORTERS;
    check_text(sup_helper_text(&r, "handed_back", NULL),
               "You handed ann's request back: everyone else on duty is asked again. Thank you "
               "for the time you gave.");
    check_text(sup_helper_text(&r, "helper_lost", NULL),
               "You were away too long, so ann's request went back to everyone on duty.");
    cr_assert_null(sup_helper_text(&r, NULL, NULL), "nothing to say");
}

/* ------------------------------------------------- queue and figures */

Test(client_support, queue_lines)
{
    check_text(sup_queue_text(NULL, 0), "Nobody is waiting for support right now.");
    struct proto_support q[3] = {request(PROTO_SUPPORT_NOBODY_YET),
                                 request(PROTO_SUPPORT_ASKING_SUPPORTERS),
                                 request(PROTO_SUPPORT_ASKING_BUDDIES)};
    q[0].id = 9;
    q[0].requester = "dan";
    q[0].urgency = PROTO_URGENCY_TALK;
    q[0].waited_ms = 6 * MINUTE + 40 * SEC;
    q[1].waited_ms = 3 * MINUTE + 5 * SEC;
    q[2].id = 140;
    q[2].requester = "troy";
    q[2].urgency = PROTO_URGENCY_CRISIS;
    q[2].note = NULL;   /* a moderator it was not offered to */
    q[2].waited_ms = 10 * SEC;
    check_text(sup_queue_text(q, 3),
               "Waiting for support, oldest first (/accept ID answers one offered to you):\n"
               "  #9    dan          talk     waiting 6:40 (nobody has answered yet)  \"it's bad "
               "tonight\"\n"
               "  #12   ann          craving  waiting 3:05  \"it's bad tonight\"\n"
               "  #140  troy         crisis   waiting 0:10 (asking their buddies first)");
}

Test(client_support, stats_lines)
{
    check_text(sup_stats_text(NULL, 0, 14), "No requests for support in the last 14 days.");
    check_text(sup_stats_text(NULL, 0, 1), "No requests for support in the last 1 day.");
    struct proto_support_day d[2] = {
        {.day = "2026-11-22", .requests = 4, .answered = 3, .median_wait_ms = 95 * SEC,
         .worst_wait_ms = 610 * SEC},
        {.day = "2026-11-21", .requests = 1, .answered = 0, .median_wait_ms = 0,
         .worst_wait_ms = 30 * MINUTE},
    };
    check_text(sup_stats_text(d, 2, 14),
               "Requests for support by day (UTC), newest first:\n"
               "  2026-11-22  4 requests, 3 answered, median wait 1 min 35 s, worst wait 10 min "
               "10 s\n"
               "  2026-11-21  1 request, none answered, worst wait 30 min");
}

Test(client_support, status_lines)
{
    check_text(sup_status_text(NULL, NULL, 0),
               "You have no open request for support, and you are not with anyone who asked.");
    struct proto_support mine = request(PROTO_SUPPORT_ASKING_SUPPORTERS);
    mine.requester = "me";
    mine.waited_ms = 70 * SEC;
    check_text(sup_status_text(&mine, NULL, 0),
               "Your request for support is open (craving, waiting 1:10): \"it's bad tonight\".\n"
               "Asking everyone on duty…\n/sos cancel withdraws it.");
    mine = request(PROTO_SUPPORT_ACCEPTED);
    mine.waited_ms = 95 * SEC;
    struct proto_support helping = request(PROTO_SUPPORT_ACCEPTED);
    helping.id = 31;
    helping.requester = "dan";
    helping.urgency = PROTO_URGENCY_TALK;
    check_text(sup_status_text(&mine, &helping, 1),
               "sam is with you (you waited 1:35): /dm sam to talk, /sos end [THANKS] when you "
               "are ready.\n"
               "You are with dan (their request #31, talk): /dm dan to talk, /handback if you "
               "cannot stay, /sos end when you are done.");
}

/* --------------------------------------------- alerts, conversations */

Test(client_support, alerts_of_several_lines)
{
    check_text(bud_alert_line("one\n  two", false), "*** one\n***   two");
    check_text(bud_alert_line("one\ntwo", true),
               "\033[1;35mone\033[0m\n\033[1;35mtwo\033[0m");
    check_text(bud_alert_line("one", false), "*** one");
}

Test(client_support, support_conversations_among_rooms)
{
    struct proto_room rooms[3];
    memset(rooms, 0, sizeof rooms);
    rooms[0].room = "~1a2b3c4d";
    rooms[0].kind = PROTO_KIND_BUDDY;
    rooms[0].peer = "bob";
    rooms[1].room = "~s8pp0rt12";
    rooms[1].kind = PROTO_KIND_SUPPORT;
    rooms[1].peer = "bob";
    rooms[2].room = "porch";
    check_text(bud_conversations_text(rooms, 3),
               "Private conversations: @bob, @bob (support) (/dm HANDLE to talk).");
}

/* --------------------------------------------------------- hearth sos */

static int parse(struct os *s, int argc, const char **argv)
{
    memset(s, 0, sizeof *s);
    return oneshot_parse(s, argc, (char **)argv);
}

Test(client_support, oneshot_sos, .init = cr_redirect_stderr)
{
    struct os s;
    struct proto_request q;
    cr_assert(oneshot_known("sos"));
    const char *a1[] = {"sos"};
    cr_assert_eq(parse(&s, 1, a1), 0);
    cr_assert_eq(s.sos.urgency, PROTO_URGENCY_TALK);
    cr_assert_null(s.sos.text);
    cr_assert_eq(s.wait_minutes, SUP_WAIT_MINUTES_DEFAULT);
    memset(&q, 0, sizeof q);
    cr_assert_not(oneshot_fill_request(&s, &q), "asked by oneshot_sos.c, not as a plain request");

    const char *a2[] = {"sos", "--wait", "0", "Crisis", "I", "need", "someone"};
    cr_assert_eq(parse(&s, 7, a2), 0);
    cr_assert_eq(s.wait_minutes, 0);
    cr_assert_eq(s.sos.urgency, PROTO_URGENCY_CRISIS);
    cr_assert_str_eq(s.sos.text, "I need someone");
    sup_sos_args_free(&s.sos);

    const char *a3[] = {"sos", "can't", "--", "sleep"};
    cr_assert_eq(parse(&s, 4, a3), 0);
    cr_assert_eq(s.sos.urgency, PROTO_URGENCY_TALK);
    cr_assert_str_eq(s.sos.text, "can't sleep");
    sup_sos_args_free(&s.sos);

    const char *a4[] = {"sos", "--feeling-low"};
    cr_assert_eq(parse(&s, 2, a4), 0, "a note may start with dashes");
    cr_assert_str_eq(s.sos.text, "--feeling-low");
    sup_sos_args_free(&s.sos);

    const char *bad[][3] = {{"sos", "cancel"}, {"sos", "end", "thanks"}, {"sos", "--wait", "61"},
                            {"sos", "--wait", "soon"}};
    int nbad[] = {2, 3, 3, 3};
    for (size_t i = 0; i < sizeof nbad / sizeof nbad[0]; i++) {
        cr_assert_eq(parse(&s, nbad[i], bad[i]), 2, "accepted %s %s", bad[i][1],
                     nbad[i] > 2 ? bad[i][2] : "");
        sup_sos_args_free(&s.sos);
    }
}
