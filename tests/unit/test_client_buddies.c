/*
 * The terminal client's buddy, ping, conversation and matching parts that
 * need no server (client/term/buddies.c, match.c): what /ping, `hearth
 * ping` and /match join take, the alert lines, the buddy list and ping
 * list, conversation lines, labels and prompts, the file of the last
 * messages seen, and the files it is kept in. The sources are compiled in
 * here.
 */
#include <criterion/criterion.h>
#include <criterion/redirect.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../client/term/buddies.c"
#include "../../client/term/checkin.c"
#include "../../client/term/cmdline.c"
#include "../../client/term/config.c"
#include "../../client/term/match.c"
#include "../../client/term/meeting.c"
#include "../../client/term/mod.c"
#include "../../client/term/oneshot_args.c"
#include "../../client/term/safety.c"
#include "../../client/term/support.c"
#include "../../client/term/schedule.c"
#include "../../client/term/text.c"

#define MIN_MS 60000LL
#define HOUR_MS 3600000LL
#define DAY_MS (24 * HOUR_MS)
/* 2025-11-23 10:00 UTC */
#define NOW (1763856000000LL + 10 * HOUR_MS)

static void utc(void)
{
    setenv("TZ", "UTC", 1);
    tzset();
}

/* Checks a malloc'd sentence and frees it. */
static void check_text(char *got, const char *want)
{
    cr_assert_not_null(got, "no text (wanted \"%s\")", want);
    cr_assert_str_eq(got, want);
    free(got);
}

/* ---------------------------------------------------------------- /ping */

static enum proto_ping_kind kind_of(const char *line)
{
    struct bud_ping_args a;
    cr_assert_eq(bud_parse_ping(line, &a), BUD_OK, "refused '%s'", line);
    cr_assert_null(a.text, "'%s' is a kind, not words", line);
    cr_assert_str_eq(a.handle, "bob");
    return a.kind;
}

static void check_words(const char *line, const char *want)
{
    struct bud_ping_args a;
    cr_assert_eq(bud_parse_ping(line, &a), BUD_OK, "refused '%s'", line);
    cr_assert_eq(a.kind, PROTO_PING_TEXT, "'%s' is words", line);
    cr_assert_str_eq(a.text, want);
    bud_ping_args_free(&a);
    cr_assert_null(a.text);
}

Test(client_buddies, ping_keywords)
{
    cr_assert_eq(kind_of("bob"), PROTO_PING_THINKING, "no word: thinking of you");
    cr_assert_eq(kind_of("  @Bob  "), PROTO_PING_THINKING, "@ and capitals in the handle");
    cr_assert_eq(kind_of("bob thinking"), PROTO_PING_THINKING);
    cr_assert_eq(kind_of("bob thinking_of_you"), PROTO_PING_THINKING);
    cr_assert_eq(kind_of("bob call"), PROTO_PING_CALL_ME);
    cr_assert_eq(kind_of("bob Call_Me"), PROTO_PING_CALL_ME, "any case");
    cr_assert_eq(kind_of("bob struggling"), PROTO_PING_STRUGGLING);
    cr_assert_eq(kind_of("bob STRUGGLING "), PROTO_PING_STRUGGLING);
    cr_assert_eq(kind_of("bob \"call\""), PROTO_PING_CALL_ME, "quoted, still the word");
}

Test(client_buddies, ping_free_text)
{
    check_words("bob hello there", "hello there");
    check_words("bob call me after the meeting", "call me after the meeting");
    check_words("bob struggling today", "struggling today");
    check_words("bob don't give up", "don't give up");
    check_words("bob \"call me later\"", "call me later");   /* quotes around all of it go */
    check_words("bob 42", "42");
    check_words("bob calling", "calling");
}

Test(client_buddies, ping_mistakes)
{
    struct bud_ping_args a;
    cr_assert_eq(bud_parse_ping("", &a), BUD_NO_HANDLE);
    cr_assert_eq(bud_parse_ping("   ", &a), BUD_NO_HANDLE);
    cr_assert_eq(bud_parse_ping("b!b hi", &a), BUD_BAD_HANDLE);
    cr_assert_eq(bud_parse_ping("bo", &a), BUD_BAD_HANDLE, "handles are 3 or more");
    bud_ping_args_free(&a);

    char line[600] = "bob ";
    memset(line + 4, 'x', 500);
    line[504] = '\0';
    cr_assert_eq(bud_parse_ping(line, &a), BUD_OK, "500 characters are fine");
    cr_assert_eq(strlen(a.text), 500);
    bud_ping_args_free(&a);
    strcat(line, "y");
    cr_assert_eq(bud_parse_ping(line, &a), BUD_LONG_TEXT);
    bud_ping_args_free(&a);
}

/* --------------------------------------------------------------- alerts */

static struct proto_ping ping_from(const char *from, enum proto_ping_kind kind, const char *text,
                                   int64_t ts)
{
    struct proto_ping p;
    memset(&p, 0, sizeof p);
    p.id = 7;
    p.from = from;
    p.to = "ann";
    p.kind = kind;
    p.text = text;
    p.ts = ts;
    return p;
}

Test(client_buddies, received_pings, .init = utc)
{
    struct proto_ping p = ping_from("bob", PROTO_PING_THINKING, NULL, NOW);
    check_text(bud_ping_received_text(&p, NOW), "bob is thinking of you.");
    p.kind = PROTO_PING_CALL_ME;
    check_text(bud_ping_received_text(&p, NOW), "bob asks you to call them.");
    p.kind = PROTO_PING_STRUGGLING;
    check_text(bud_ping_received_text(&p, NOW),
               "bob is struggling and pinged you. /dm bob to talk, or /ping bob call to ask "
               "them to call.");
    p = ping_from("bob", PROTO_PING_TEXT, "see you\nat 8\033[2J", NOW);
    check_text(bud_ping_received_text(&p, NOW), "bob pinged you: see you at 8\xEF\xBF\xBD[2J");
}

Test(client_buddies, received_while_away, .init = utc)
{
    struct proto_ping p = ping_from("bob", PROTO_PING_THINKING, NULL, NOW - MIN_MS);
    check_text(bud_ping_received_text(&p, NOW), "bob is thinking of you.");
    p.ts = NOW - 3 * HOUR_MS;
    check_text(bud_ping_received_text(&p, NOW), "bob is thinking of you. (sent 07:00)");
    p.ts = NOW - 2 * DAY_MS;
    check_text(bud_ping_received_text(&p, NOW), "bob is thinking of you. (sent Nov 21 10:00)");
    p = ping_from("b\033]0;x", PROTO_PING_CALL_ME, NULL, NOW);
    check_text(bud_ping_received_text(&p, NOW), "b??0?x asks you to call them.");
}

Test(client_buddies, alert_lines)
{
    check_text(bud_alert_line("bob is thinking of you.", false), "*** bob is thinking of you.");
    char *styled = bud_alert_line("bob is thinking of you.", true);
    cr_assert_not_null(styled);
    cr_assert(strncmp(styled, "\033[1;", 4) == 0, "bold and a colour first: %s", styled);
    cr_assert_not_null(strstr(styled, "bob is thinking of you.\033[0m"));
    cr_assert_null(strstr(styled, "***"), "a terminal has the colour instead");
    free(styled);
}

Test(client_buddies, sent_and_status)
{
    struct proto_ping p = ping_from("ann", PROTO_PING_CALL_ME, NULL, NOW);
    p.to = "bob";
    check_text(bud_ping_sent_text(&p), "Pinged bob: call me. They will get it when they are back.");
    p.delivered_at = NOW;
    check_text(bud_ping_sent_text(&p), "Pinged bob: call me. It reached them.");
    p.kind = PROTO_PING_TEXT;
    p.text = "hi";
    check_text(bud_ping_sent_text(&p), "Pinged bob with your words. It reached them.");
    check_text(bud_ping_status_text("bob", "delivered"), "Your ping reached bob.");
    check_text(bud_ping_status_text("bob", "seen"), "bob saw your ping.");
    cr_assert_null(bud_ping_status_text("bob", "lost"), "a state this client does not know");
}

Test(client_buddies, ping_list, .init = utc)
{
    struct proto_ping p[3];
    p[0] = ping_from("ann", PROTO_PING_CALL_ME, NULL, NOW - HOUR_MS);
    p[0].to = "bob";
    p[0].delivered_at = NOW - HOUR_MS;
    p[0].seen_at = NOW - 30 * MIN_MS;
    p[1] = ping_from("cal", PROTO_PING_TEXT, "you got this", NOW - 2 * HOUR_MS);
    p[2] = ping_from("ann", PROTO_PING_THINKING, NULL, NOW - DAY_MS);
    p[2].to = "dan";
    check_text(bud_pings_text(p, 3, "ann", NOW),
               "Pings in the last 7 days, newest first:\n"
               "  09:00         to   bob       call me               seen 09:30\n"
               "  08:00         from cal       you got this\n"
               "  Nov 22 10:00  to   dan       thinking of you       not delivered yet");
    char *none = bud_pings_text(NULL, 0, "ann", NOW);
    cr_assert_not_null(strstr(none, "No pings in the last 7 days"));
    free(none);
}

/* ---------------------------------------------------------- buddy lists */

Test(client_buddies, buddy_list, .init = utc)
{
    struct proto_buddy b[2] = {
        {.handle = "bob", .status = PROTO_STATUS_AVAILABLE, .since = NOW - 3 * DAY_MS,
         .conversation = "~1a2b3c4d"},
        {.handle = "cal", .status = PROTO_STATUS_OFFLINE, .since = NOW - 400 * DAY_MS,
         .conversation = "~5e6f7a8b"},
    };
    struct proto_buddy_request in[1] = {{.handle = "dan", .ts = NOW - DAY_MS}};
    struct proto_buddy_request out[1] = {{.handle = "eve", .ts = NOW - 2 * DAY_MS}};
    struct proto_result res;
    memset(&res, 0, sizeof res);
    res.type = PROTO_REQ_BUDDY_LIST;
    res.u.buddies.buddies = b;
    res.u.buddies.n = 2;
    res.u.buddies.incoming = in;
    res.u.buddies.n_incoming = 1;
    res.u.buddies.outgoing = out;
    res.u.buddies.n_outgoing = 1;
    res.u.buddies.limit = 5;
    check_text(bud_list_text(&res, NOW),
               "Your buddies:\n"
               "  bob           available  buddies since Nov 20\n"
               "  cal           offline    buddies since Oct 19, 2024\n"
               "Asking you to be their buddy (/buddy accept HANDLE or /buddy decline HANDLE):\n"
               "  dan           since Nov 22\n"
               "You asked (/buddy cancel HANDLE withdraws it):\n"
               "  eve           since Nov 21\n"
               "2 of 5 buddies. /dm HANDLE to talk, /ping HANDLE to reach out. /buddy add "
               "HANDLE asks someone; /match join finds someone for you.");

    memset(&res, 0, sizeof res);
    res.u.buddies.limit = 5;
    check_text(bud_list_text(&res, NOW),
               "You have no buddies yet.\n"
               "0 of 5 buddies. /buddy add HANDLE asks someone; /match join finds someone for "
               "you.");
    res.u.buddies.buddies = b;
    res.u.buddies.n = 2;
    res.u.buddies.limit = 2;
    char *full = bud_list_text(&res, NOW);
    cr_assert_not_null(strstr(full, "2 of 2 buddies. /dm HANDLE to talk, /ping HANDLE to reach "
                                    "out."));
    cr_assert_null(strstr(full, "/buddy add"), "no room for more: %s", full);
    free(full);
}

Test(client_buddies, buddy_events)
{
    check_text(bud_request_text("bob"),
               "bob asks to be your buddy. /buddy accept bob or /buddy decline bob.");
    char *p = bud_paired_text("bob");
    cr_assert(strncmp(p, "You and bob are buddies now", 27) == 0, "%s", p);
    cr_assert_not_null(strstr(p, "/dm bob"));
    free(p);
    check_text(bud_ended_text("bob", BUD_PAIRED),
               "Your buddy pairing with bob has ended. Your conversation stays readable: /dm "
               "bob.");
    check_text(bud_ended_text("bob", BUD_ASKED_ME), "bob's buddy request is closed.");
    check_text(bud_ended_text("bob", BUD_I_ASKED), "Your buddy request to bob is closed.");
    cr_assert_null(bud_ended_text("bob", BUD_NONE), "nothing known: nothing said");
    check_text(bud_done_text(PROTO_REQ_BUDDY_CANCEL, "bob"), "Withdrew your buddy request to bob.");
    check_text(bud_done_text(PROTO_REQ_BUDDY_END, "bob"),
               "You and bob are no longer buddies. Your conversation stays readable.");
}

/* -------------------------------------------------------- conversations */

Test(client_buddies, labels_and_prompts)
{
    char label[BUD_LABEL], prompt[64];
    bud_label("~1a2b3c4d", "bob", label);
    cr_assert_str_eq(label, "@bob");
    mtg_prompt(NULL, label, "ann", true, prompt, sizeof prompt);
    cr_assert_str_eq(prompt, "[@bob]> ");
    bud_label("~1a2b3c4d", NULL, label);
    cr_assert_str_eq(label, "~1a2b3c4d", "the name when the peer is not known");
    bud_label("~1a2b3c4d", "b\033[31mx", label);
    cr_assert_str_eq(label, "@b??31mx", "a peer's handle is made safe");
    bud_label("porch", "bob", label);
    cr_assert_str_eq(label, "#porch", "a room is not a conversation");
    bud_label("~ABCDEFGH", "bob", label);
    cr_assert_str_eq(label, "#?ABCDEFGH", "not a conversation's name");
}

static struct proto_room_event message(const char *who, const char *text)
{
    struct proto_room_event ev;
    memset(&ev, 0, sizeof ev);
    ev.kind = PROTO_EV_MESSAGE;
    ev.room = "~1a2b3c4d";
    ev.seq = 7;
    ev.ts = NOW - 2 * HOUR_MS;
    ev.handle = who;
    ev.text = text;
    return ev;
}

Test(client_buddies, conversation_lines, .init = utc)
{
    struct proto_room_event ev = message("ann", "hello");
    check_text(bud_conv_line(&ev, "bob", NOW, false), "[@bob] 08:00 <ann> hello");
    check_text(bud_conv_line(&ev, "bob", NOW, true), "[@bob] 08:00 #7 <ann> hello");
    ev = message("bob", "two\nlines\033[2J");
    check_text(bud_conv_line(&ev, "bob", NOW, false),
               "[@bob] 08:00 <bob> two\n    lines\xEF\xBF\xBD[2J");
    ev.removed = true;
    ev.text = NULL;
    check_text(bud_conv_line(&ev, "bob", NOW, false), "[@bob] 08:00 <bob> (removed)");
}

Test(client_buddies, receipts_of_my_last_message)
{
    cr_expect_eq(bud_receipt_of(0, 9, 9), BUD_SENT, "no message of mine");
    cr_expect_eq(bud_receipt_of(7, 6, 6), BUD_SENT);
    cr_expect_eq(bud_receipt_of(7, 7, 0), BUD_DELIVERED);
    cr_expect_eq(bud_receipt_of(7, 9, 6), BUD_DELIVERED);
    cr_expect_eq(bud_receipt_of(7, 9, 7), BUD_SEEN);
    cr_expect_eq(bud_receipt_of(7, 12, 12), BUD_SEEN);
    check_text(bud_receipt_line("~1a2b3c4d", "bob", BUD_DELIVERED), "[@bob] delivered");
    check_text(bud_receipt_line("~1a2b3c4d", "bob", BUD_SEEN), "[@bob] seen");
    check_text(bud_receipt_line("~1a2b3c4d", NULL, BUD_SEEN), "[~1a2b3c4d] seen");
    cr_expect_null(bud_receipt_line("~1a2b3c4d", "bob", BUD_SENT));
}

Test(client_buddies, conversations_among_rooms)
{
    struct proto_room rooms[3];
    memset(rooms, 0, sizeof rooms);
    rooms[0].room = "porch";
    rooms[1].room = "~1a2b3c4d";
    rooms[1].kind = PROTO_KIND_BUDDY;
    rooms[1].peer = "bob";
    rooms[2].room = "~5e6f7a8b";
    rooms[2].kind = PROTO_KIND_BUDDY;
    rooms[2].peer = "cal";
    check_text(bud_conversations_text(rooms, 3),
               "Private conversations: @bob, @cal (/dm HANDLE to talk).");
    cr_assert_null(bud_conversations_text(rooms, 1), "rooms only: no line");
}

/* ------------------------------------------------------ the seen file */

Test(client_buddies, seen_file_lines)
{
    const char *file = "http://h:1 ann ~1a2b3c4d 12\n"
                       "http://h:1 bob ~1a2b3c4d 9\n"
                       "garbage\n"
                       "http://h:1 ann porch 3\n"
                       "http://other ann ~5e6f7a8b 4\n"
                       "http://h:1 ann ~5e6f7a8b 40\n";
    struct bud_seen s[4];
    cr_assert_eq(bud_seen_parse(file, "http://h:1", "ann", s, 4), 2);
    cr_assert_str_eq(s[0].room, "~1a2b3c4d");
    cr_assert_eq(s[0].seq, 12);
    cr_assert_str_eq(s[1].room, "~5e6f7a8b");
    cr_assert_eq(s[1].seq, 40);
    cr_assert_eq(bud_seen_parse(file, "http://h:1", "ann", s, 1), 1, "at most max");
    cr_assert_eq(bud_seen_parse(NULL, "http://h:1", "ann", s, 4), 0);

    struct bud_seen now[2] = {{"~1a2b3c4d", 15}, {"~99999999", 2}};
    check_text(bud_seen_format(file, "http://h:1", "ann", now, 2),
               "http://h:1 bob ~1a2b3c4d 9\n"
               "garbage\n"
               "http://h:1 ann porch 3\n"
               "http://other ann ~5e6f7a8b 4\n"
               "http://h:1 ann ~1a2b3c4d 15\n"
               "http://h:1 ann ~99999999 2\n");
    cr_assert_null(bud_seen_format("http://h:1 ann ~1a2b3c4d 12\n", "http://h:1", "ann", NULL, 0),
                   "nothing left");
}

Test(client_buddies, other_files_of_the_directory)
{
    char dir[] = "/tmp/hearth-buddies-XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    char sub[64], buf[64];
    snprintf(sub, sizeof sub, "%s/hearth", dir);
    cr_assert_eq(cfg_read_file(sub, "conversations", buf, sizeof buf), 0, "missing: empty");
    cr_assert_str_eq(buf, "");
    cr_assert_eq(cfg_write_file(sub, "conversations", "a b ~1a2b3c4d 3\n", 16), 0);
    cr_assert_eq(cfg_read_file(sub, "conversations", buf, sizeof buf), 0);
    cr_assert_str_eq(buf, "a b ~1a2b3c4d 3\n");
    char path[96];
    struct stat st;
    snprintf(path, sizeof path, "%s/conversations", sub);
    cr_assert_eq(stat(path, &st), 0);
    cr_assert_eq(st.st_mode & 0777, 0600);
    cr_assert_eq(cfg_read_file(sub, "conversations", buf, 5), 0);
    cr_assert_str_eq(buf, "a b ", "cut to the buffer");
    unlink(path);
    rmdir(sub);
    rmdir(dir);
}

/* ------------------------------------------------------------- /match */

static enum mat_parse join_of(const char *const *words, int n, struct proto_match_prefs *p,
                              char lang[PROTO_LANGUAGE_MAX + 1])
{
    return mat_parse_join(n, (char **)words, -300, lang, p);
}

Test(client_buddies, match_join_words)
{
    struct proto_match_prefs p;
    char lang[PROTO_LANGUAGE_MAX + 1];
    const char *w1[] = {"en", "smart"};
    cr_assert_eq(join_of(w1, 2, &p, lang), MAT_OK);
    cr_assert_str_eq(p.language, "en");
    cr_assert_eq(p.approach, PROTO_APPROACH_SMART);
    cr_assert_eq(p.utc_offset_minutes, -300);
    cr_assert_eq(p.clean_days, -1, "not said");
    cr_assert_not(p.want_more_clean_time);

    const char *w2[] = {"--more-clean-time", "PT", "12-step", "--clean-days", "120"};
    cr_assert_eq(join_of(w2, 5, &p, lang), MAT_OK, "options anywhere");
    cr_assert_str_eq(p.language, "pt", "folded");
    cr_assert_eq(p.approach, PROTO_APPROACH_12_STEP);
    cr_assert_eq(p.clean_days, 120);
    cr_assert(p.want_more_clean_time);

    const char *w3[] = {"es", "any", "--clean-days", "0"};
    cr_assert_eq(join_of(w3, 4, &p, lang), MAT_OK);
    cr_assert_eq(p.approach, PROTO_APPROACH_ANY);
    cr_assert_eq(p.clean_days, 0);
}

Test(client_buddies, match_join_mistakes)
{
    struct proto_match_prefs p;
    char lang[PROTO_LANGUAGE_MAX + 1];
    const struct { const char *w[4]; int n; enum mat_parse rc; } cases[] = {
        {{"en"}, 1, MAT_USAGE},
        {{"en", "smart", "extra"}, 3, MAT_USAGE},
        {{"en", "smart", "--fast"}, 3, MAT_USAGE},
        {{"e", "smart"}, 2, MAT_BAD_LANGUAGE},
        {{"english1", "smart"}, 2, MAT_BAD_LANGUAGE},
        {{"englishes", "smart"}, 2, MAT_BAD_LANGUAGE},
        {{"en", "prayer"}, 2, MAT_BAD_APPROACH},
        {{"en", "smart", "--clean-days"}, 3, MAT_BAD_DAYS},
        {{"en", "smart", "--clean-days", "36501"}, 4, MAT_BAD_DAYS},
        {{"en", "smart", "--clean-days", "-1"}, 4, MAT_BAD_DAYS},
        {{"en", "smart", "--more-clean-time"}, 3, MAT_MORE_NEEDS_DAYS},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        cr_assert_eq(join_of(cases[i].w, cases[i].n, &p, lang), cases[i].rc, "case %zu", i);
    cr_assert_not_null(strstr(mat_parse_error(MAT_MORE_NEEDS_DAYS), "--clean-days"));
    cr_assert_not_null(strstr(mat_parse_error(MAT_USAGE), "Usage: /match join"));
}

Test(client_buddies, match_sentences, .init = utc)
{
    char z[16];
    mat_fmt_offset(0, z);
    cr_assert_str_eq(z, "UTC");
    mat_fmt_offset(330, z);
    cr_assert_str_eq(z, "UTC+5:30");
    mat_fmt_offset(-300, z);
    cr_assert_str_eq(z, "UTC-5");

    struct proto_match_proposal pr = {.id = 3, .handle = "bob", .utc_offset_minutes = 60,
                                      .language = "en", .approach = PROTO_APPROACH_SMART,
                                      .more_clean_time = true, .expires_at = NOW + 2 * HOUR_MS};
    check_text(mat_proposal_text(&pr, NOW),
               "Hearth suggests a buddy: bob (UTC+1, speaks en, SMART Recovery, more clean "
               "time than you). /match accept or /match decline, before 12:00.");
    check_text(mat_update_text("waiting", "bob"), "You said yes to bob. Waiting for them to answer.");
    char *d = mat_update_text("declined", "bob");
    cr_assert_null(strstr(d, "said no"), "never who: %s", d);
    free(d);
    cr_assert_null(mat_update_text("paired", "bob"), "buddy.update says it");
    cr_assert_null(mat_update_text("exploded", "bob"));

    struct proto_match_prefs p = {.utc_offset_minutes = -300, .language = "en",
                                  .approach = PROTO_APPROACH_12_STEP, .clean_days = 1,
                                  .want_more_clean_time = true};
    check_text(mat_status_text(true, &p, NULL, NOW),
               "You are in the matching pool: language en, your time UTC-5 (matched within 3 "
               "hours), approach: a 12-step program, 1 day clean, looking for someone with more "
               "clean time. /match leave takes you out.");
    char *s = mat_status_text(false, &p, &pr, NOW);
    cr_assert(strncmp(s, "You are not in the matching pool.", 33) == 0, "%s", s);
    cr_assert_not_null(strstr(s, "\nHearth suggests a buddy: bob"), "the waiting proposal: %s", s);
    free(s);
}

/* ---------------------------------------------------- hearth ping, buddies */

static int parse(struct os *s, int argc, const char **argv)
{
    memset(s, 0, sizeof *s);
    return oneshot_parse(s, argc, (char **)argv);
}

Test(client_buddies, oneshot_ping, .init = cr_redirect_stderr)
{
    struct os s;
    struct proto_request q;
    cr_assert(oneshot_known("ping") && oneshot_known("buddies"));
    const char *a1[] = {"ping", "@Bob"};
    cr_assert_eq(parse(&s, 2, a1), 0);
    memset(&q, 0, sizeof q);
    cr_assert(oneshot_fill_request(&s, &q));
    cr_assert_eq(q.type, PROTO_REQ_BUDDY_PING);
    cr_assert_str_eq(q.u.ping.handle, "bob");
    cr_assert_eq(q.u.ping.kind, PROTO_PING_THINKING);
    cr_assert_null(q.u.ping.text);

    const char *a2[] = {"ping", "bob", "struggling"};
    cr_assert_eq(parse(&s, 3, a2), 0);
    cr_assert_eq(s.ping.kind, PROTO_PING_STRUGGLING);

    const char *a3[] = {"ping", "bob", "I'm", "here", "for", "you"};
    cr_assert_eq(parse(&s, 6, a3), 0);
    memset(&q, 0, sizeof q);
    cr_assert(oneshot_fill_request(&s, &q));
    cr_assert_eq(q.u.ping.kind, PROTO_PING_TEXT);
    cr_assert_str_eq(q.u.ping.text, "I'm here for you");
    bud_ping_args_free(&s.ping);

    const char *a4[] = {"ping"};
    cr_assert_eq(parse(&s, 1, a4), 2);
    const char *a5[] = {"ping", "b!"};
    cr_assert_eq(parse(&s, 2, a5), 2);
    const char *a6[] = {"buddies"};
    cr_assert_eq(parse(&s, 1, a6), 0);
    memset(&q, 0, sizeof q);
    cr_assert(oneshot_fill_request(&s, &q));
    cr_assert_eq(q.type, PROTO_REQ_BUDDY_LIST);
    const char *a7[] = {"buddies", "bob"};
    cr_assert_eq(parse(&s, 2, a7), 2);
    fflush(stderr);
    cr_assert_stderr_neq_str("");
}
