/*
 * The terminal client's block, report and safety parts that need no
 * server (client/term/safety.c): what people type for /report (a message
 * by SEQ, or a person by @HANDLE) and /resolve, and the lines shown for
 * the crisis resources, a private check-in, a moderator's alert, a new
 * report, the reports queue, a handled report and the confirmations. The
 * sources are compiled in here.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "../../client/term/cmdline.c"
#include "../../client/term/meeting.c"
#include "../../client/term/mod.c"
#include "../../client/term/safety.c"
#include "../../client/term/text.c"

#define HOUR_MS 3600000LL
/* 2025-11-23 10:00 UTC */
#define NOW (1763856000000LL + 10 * HOUR_MS)

static void utc(void)
{
    setenv("TZ", "UTC", 1);
    tzset();
}

static const char *const RES[] = {
    "988 Suicide and Crisis Lifeline: call or text 988 (US)",
    "Crisis Text Line: text HOME to 741741 (US)",
};

/* ------------------------------------------------------------ /report */

Test(client_safety, report_a_message_by_seq)
{
    struct saf_report_args a;
    cr_assert_eq(saf_parse_report(" 42 cruel to a newcomer ", &a), SAF_OK);
    cr_assert_eq(a.seq, 42);
    cr_assert_str_eq(a.handle, "");
    cr_assert_str_eq(a.reason, "cruel to a newcomer");
    saf_report_args_free(&a);

    /* #SEQ as shown; apostrophes are kept; quotes around all of it dropped */
    cr_assert_eq(saf_parse_report("#7 it's mean, isn't it", &a), SAF_OK);
    cr_assert_eq(a.seq, 7);
    cr_assert_str_eq(a.reason, "it's mean, isn't it");
    saf_report_args_free(&a);
    cr_assert_eq(saf_parse_report("7 \"mocking someone\"", &a), SAF_OK);
    cr_assert_str_eq(a.reason, "mocking someone");
    saf_report_args_free(&a);
}

Test(client_safety, report_a_person_by_handle)
{
    struct saf_report_args a;
    cr_assert_eq(saf_parse_report("@Troy keeps following me around", &a), SAF_OK);
    cr_assert_eq(a.seq, 0, "a person, not a message");
    cr_assert_str_eq(a.handle, "troy", "handles are folded");
    cr_assert_str_eq(a.reason, "keeps following me around");
    saf_report_args_free(&a);

    /* a bare handle that is not a number is a person too */
    cr_assert_eq(saf_parse_report("vex says cruel things", &a), SAF_OK);
    cr_assert_str_eq(a.handle, "vex");
    cr_assert_eq(a.seq, 0);
    saf_report_args_free(&a);

    /* a handle made of digits needs the @ (a bare number is a SEQ) */
    cr_assert_eq(saf_parse_report("@123 spam", &a), SAF_OK);
    cr_assert_str_eq(a.handle, "123");
    cr_assert_eq(a.seq, 0);
    saf_report_args_free(&a);
    cr_assert_eq(saf_parse_report("123 spam", &a), SAF_OK);
    cr_assert_eq(a.seq, 123);
    cr_assert_str_eq(a.handle, "");
    saf_report_args_free(&a);
}

Test(client_safety, report_mistakes)
{
    struct saf_report_args a;
    cr_assert_eq(saf_parse_report("", &a), SAF_NO_TARGET);
    saf_report_args_free(&a);
    cr_assert_eq(saf_parse_report("   ", &a), SAF_NO_TARGET);
    saf_report_args_free(&a);
    cr_assert_eq(saf_parse_report(NULL, &a), SAF_NO_TARGET);
    saf_report_args_free(&a);

    /* the reason is required, for a message and for a person */
    cr_assert_eq(saf_parse_report("42", &a), SAF_NO_REASON);
    saf_report_args_free(&a);
    cr_assert_eq(saf_parse_report("@troy   ", &a), SAF_NO_REASON);
    saf_report_args_free(&a);
    cr_assert_eq(saf_parse_report("42 \"\"", &a), SAF_NO_REASON);
    saf_report_args_free(&a);

    /* not a number; not a handle */
    cr_assert_eq(saf_parse_report("42x spam", &a), SAF_BAD_SEQ);
    saf_report_args_free(&a);
    cr_assert_eq(saf_parse_report("#abc spam", &a), SAF_BAD_SEQ);
    saf_report_args_free(&a);
    cr_assert_eq(saf_parse_report("0 spam", &a), SAF_BAD_SEQ);
    saf_report_args_free(&a);
    cr_assert_eq(saf_parse_report("@tr spam", &a), SAF_BAD_HANDLE);
    saf_report_args_free(&a);
    cr_assert_eq(saf_parse_report("@tr!oy spam", &a), SAF_BAD_HANDLE);
    saf_report_args_free(&a);

    /* 500 characters (not bytes) at most */
    char reason[2 * 501 + 8];
    strcpy(reason, "9 ");
    for (int i = 0; i < 500; i++)
        strcat(reason, "\xc3\xa9");   /* é: two bytes, one character */
    cr_assert_eq(saf_parse_report(reason, &a), SAF_OK);
    cr_assert_eq(strlen(a.reason), 1000);
    saf_report_args_free(&a);
    strcat(reason, "e");
    cr_assert_eq(saf_parse_report(reason, &a), SAF_LONG_REASON);
    cr_assert_null(a.reason);
    saf_report_args_free(&a);
}

/* ----------------------------------------------------------- /resolve */

Test(client_safety, resolve)
{
    struct saf_resolve_args a;
    cr_assert_eq(saf_parse_resolve(" 12 actioned Muted for a day. ", &a), SAF_OK);
    cr_assert_eq(a.id, 12);
    cr_assert_str_eq(a.outcome, "actioned");
    cr_assert_str_eq(a.note, "Muted for a day.");
    saf_resolve_args_free(&a);

    cr_assert_eq(saf_parse_resolve("#13 dismiss", &a), SAF_OK);
    cr_assert_eq(a.id, 13);
    cr_assert_str_eq(a.outcome, "dismissed");
    cr_assert_null(a.note);
    saf_resolve_args_free(&a);

    cr_assert_eq(saf_parse_resolve("", &a), SAF_NO_TARGET);
    saf_resolve_args_free(&a);
    cr_assert_eq(saf_parse_resolve("twelve actioned", &a), SAF_BAD_ID);
    saf_resolve_args_free(&a);
    cr_assert_eq(saf_parse_resolve("0 actioned", &a), SAF_BAD_ID);
    saf_resolve_args_free(&a);
    cr_assert_eq(saf_parse_resolve("12", &a), SAF_BAD_OUTCOME);
    saf_resolve_args_free(&a);
    cr_assert_eq(saf_parse_resolve("12 resolved", &a), SAF_BAD_OUTCOME);
    saf_resolve_args_free(&a);

    const char *o;
    cr_assert(saf_parse_outcome("acted", &o));
    cr_assert_str_eq(o, "actioned");
    cr_assert_not(saf_parse_outcome("closed", &o));
    cr_assert_not(saf_parse_outcome(NULL, &o));
    int64_t id;
    cr_assert(saf_parse_id("#99", &id));
    cr_assert_eq(id, 99);
    cr_assert_not(saf_parse_id("-1", &id));
    cr_assert_not(saf_parse_id("", &id));
}

/* ------------------------------------------------------------ reports */

static struct proto_report sample(void)
{
    struct proto_report r;
    memset(&r, 0, sizeof r);
    r.id = 12;
    r.ts = NOW - HOUR_MS;
    r.reporter = "ann";
    r.room = "porch";
    r.seq = 42;
    r.target = "troy";
    r.reason = "This message is cruel to a newcomer.";
    r.excerpt = "nobody wants you here";
    r.status = "open";
    return r;
}

Test(client_safety, report_new_line)
{
    struct proto_report r = sample();
    char *s = saf_report_new_text(&r);
    cr_assert_str_eq(s, "[porch] New report #12 from ann about troy: This message is cruel to a "
                        "newcomer.");
    free(s);
    s = saf_report_excerpt(&r);
    cr_assert_str_eq(s, "message #42: \"nobody wants you here\"");
    free(s);

    /* a message already taken down has no excerpt */
    r.excerpt = NULL;
    s = saf_report_excerpt(&r);
    cr_assert_str_eq(s, "message #42 (already taken down)");
    free(s);

    /* a person, no room: no "[room]", no excerpt line */
    r.room = NULL;
    r.seq = 0;
    r.id = 13;
    r.reporter = "bea";
    r.reason = "Keeps following me around.";
    s = saf_report_new_text(&r);
    cr_assert_str_eq(s, "New report #13 from bea about troy: Keeps following me around.");
    free(s);
    cr_assert_null(saf_report_excerpt(&r));
}

Test(client_safety, report_words_are_made_safe)
{
    struct proto_report r = sample();
    r.reason = "line one\nline two \x1b[2Jboo";
    r.excerpt = "fake\n[porch] 10:00 host: obey";
    r.reporter = "ann\x1b]0;x";
    char *s = saf_report_new_text(&r);
    cr_assert_null(strchr(s, '\n'), "one line: %s", s);
    cr_assert_null(strchr(s, '\x1b'), "no escapes: %s", s);
    cr_assert(strstr(s, "from ann??0?x about troy"), "%s", s);
    free(s);
    s = saf_report_excerpt(&r);
    cr_assert_null(strchr(s, '\n'), "%s", s);
    free(s);
}

Test(client_safety, queue_entries, .init = utc)
{
    struct proto_report r = sample();
    char *s = saf_report_entry(&r, NOW);
    cr_assert_str_eq(s, "#12  09:00  [porch] ann about troy's message #42: This message is cruel "
                        "to a newcomer.");
    free(s);
    r.status = "actioned";
    r.room = NULL;
    r.seq = 0;
    s = saf_report_entry(&r, NOW);
    cr_assert_str_eq(s, "#12  09:00  ann about troy (no room) [actioned]: This message is cruel "
                        "to a newcomer.");
    free(s);
    r.room = "porch";
    r.status = "dismissed";
    s = saf_report_entry(&r, NOW);
    cr_assert_str_eq(s, "#12  09:00  [porch] ann about troy [dismissed]: This message is cruel "
                        "to a newcomer.");
    free(s);
}

Test(client_safety, handled)
{
    char *s = saf_handled_text(12, "actioned");
    cr_assert_str_eq(s, "Your report #12 was handled. Thank you for looking out for the room.");
    free(s);
    s = saf_handled_text(12, "dismissed");
    cr_assert_str_eq(s, "Your report #12 was reviewed. Thank you for speaking up.");
    free(s);
    /* other outcomes are accepted (a later server may add some) */
    s = saf_handled_text(3, "merged");
    cr_assert_str_eq(s, "Your report #3 was reviewed. Thank you for speaking up.");
    free(s);
    s = saf_handled_text(3, NULL);
    cr_assert_not_null(s);
    free(s);
}

Test(client_safety, confirmations)
{
    char *s = saf_block_done_text(true, "troy");
    cr_assert_str_eq(s, "You won't see troy's messages any more. They are not told.");
    free(s);
    s = saf_block_done_text(false, "troy");
    cr_assert(strstr(s, "troy's messages again"), "%s", s);
    free(s);

    const char *two[] = {"troy", "vex"};
    s = saf_blocks_text(two, 2);
    cr_assert_str_eq(s, "You block 2 people: troy, vex.");
    free(s);
    s = saf_blocks_text(two, 1);
    cr_assert_str_eq(s, "You block 1 person: troy.");
    free(s);
    s = saf_blocks_text(NULL, 0);
    cr_assert_str_eq(s, "You don't block anyone.");
    free(s);

    s = saf_report_done_text(12, "porch", 42, NULL);
    cr_assert(strstr(s, "Report #12 (message #42) is with the moderators of #porch."), "%s", s);
    cr_assert(strstr(s, "never told who made it"), "%s", s);
    free(s);
    s = saf_report_done_text(13, NULL, 0, "troy");
    cr_assert(strstr(s, "Report #13 about troy is with the server's moderators."), "%s", s);
    cr_assert(strstr(s, "troy is never told who made it"), "%s", s);
    free(s);

    s = saf_resolve_done_text(12, "actioned");
    cr_assert(strstr(s, "Report #12 closed as actioned."), "%s", s);
    cr_assert(strstr(s, "hears it was handled"), "%s", s);
    free(s);
    s = saf_resolve_done_text(12, "dismissed");
    cr_assert(strstr(s, "closed as dismissed"), "%s", s);
    cr_assert(strstr(s, "hears it was reviewed"), "%s", s);
    free(s);
}

/* -------------------------------------------------------------- safety */

Test(client_safety, notice_and_resources)
{
    char *s = saf_resources_text("Hearth is peer support, not a crisis service. Please reach out:",
                                 RES, 2);
    cr_assert_str_eq(s, "Hearth is peer support, not a crisis service. Please reach out:\n"
                        "  - 988 Suicide and Crisis Lifeline: call or text 988 (US)\n"
                        "  - Crisis Text Line: text HOME to 741741 (US)");
    free(s);

    /* a deployment that lists none: still a way to get help */
    s = saf_resources_text("Hearth is peer support, not a crisis service.", NULL, 0);
    cr_assert_str_eq(s, "Hearth is peer support, not a crisis service.\n"
                        "  - If you are in immediate danger, call your local emergency number.");
    free(s);

    /* the server's words are made safe, one line each */
    const char *bad[] = {"call\n988\x1b[31m"};
    s = saf_resources_text("a\nb", bad, 1);
    cr_assert_str_eq(s, "a b\n  - call 988\xef\xbf\xbd[31m");
    free(s);
}

Test(client_safety, check_in_block)
{
    char *s = saf_check_in_text("We read your message and we care about you.", RES, 2, "porch",
                                false, NULL);
    cr_assert_str_eq(s, "| A note just for you (nobody else sees it), about your message in "
                        "#porch:\n"
                        "| We read your message and we care about you.\n"
                        "|   - 988 Suicide and Crisis Lifeline: call or text 988 (US)\n"
                        "|   - Crisis Text Line: text HOME to 741741 (US)\n"
                        "| You are welcome to keep talking here. /help-now shows this list "
                        "again.");
    free(s);
    s = saf_check_in_text("We care.", NULL, 0, NULL, true, "`hearth help-now`");
    cr_assert(strncmp(s, "\xe2\x94\x82 A note just for you (nobody else sees it):\n", 47) == 0,
              "%s", s);
    cr_assert(strstr(s, "local emergency number"), "%s", s);
    cr_assert(strstr(s, "`hearth help-now` shows this list again."), "%s", s);
    free(s);
}

Test(client_safety, alert_line)
{
    char *s = saf_alert_text("porch", "ann", 42);
    cr_assert_str_eq(s, "[porch] ann's message #42 may mean they are struggling. Consider "
                        "reaching out.");
    free(s);
    s = saf_alert_text("porch", "a\x1bnn", 7);
    cr_assert_null(strchr(s, '\x1b'));
    free(s);
}
