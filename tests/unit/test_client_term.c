/*
 * The terminal client's pure parts: command-line splitting, value parsers,
 * making untrusted text safe for a terminal, and the saved-session file.
 * The sources are compiled in here (the `hearth` executable is not a
 * library).
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../client/term/cmdline.c"
#include "../../client/term/config.c"
#include "../../client/term/text.c"

/* ----------------------------------------------------------- cmdline */

Test(client_term, split_words_quotes_and_rest)
{
    struct cmd_args a;
    cr_assert_eq(cmd_split("  create  lobby \"The Lobby\" --topic 'say hi'  ", &a), 0);
    cr_assert_eq(a.argc, 5);
    cr_assert_str_eq(a.argv[0], "create");
    cr_assert_str_eq(a.argv[1], "lobby");
    cr_assert_str_eq(a.argv[2], "The Lobby");
    cr_assert_str_eq(a.argv[3], "--topic");
    cr_assert_str_eq(a.argv[4], "say hi");
    cr_assert_null(a.argv[5]);
    cr_assert_str_eq(a.rest[1], "lobby \"The Lobby\" --topic 'say hi'");
    cr_assert_str_eq(a.rest[4], "'say hi'");
    cmd_args_free(&a);

    cr_assert_eq(cmd_split("say a\\ b \"q\\\"x\" 'it''s'", &a), 0);
    cr_assert_eq(a.argc, 4);
    cr_assert_str_eq(a.argv[1], "a b");
    cr_assert_str_eq(a.argv[2], "q\"x");
    cr_assert_str_eq(a.argv[3], "its");
    cmd_args_free(&a);

    cr_assert_eq(cmd_split("   ", &a), 0);
    cr_assert_eq(a.argc, 0);
    cmd_args_free(&a);
    cr_assert_eq(cmd_split("", &a), 0);
    cr_assert_eq(a.argc, 0);
    cmd_args_free(&a);
}

Test(client_term, split_errors)
{
    struct cmd_args a;
    cr_assert_eq(cmd_split("join \"lobby", &a), -EINVAL);
    cr_assert_eq(cmd_split("join 'lobby", &a), -EINVAL);
    char many[CMD_MAX_ARGS * 3 + 8] = "";
    for (int i = 0; i <= CMD_MAX_ARGS; i++)
        strcat(many, "w ");
    cr_assert_eq(cmd_split(many, &a), -E2BIG);
}

Test(client_term, numbers_and_statuses)
{
    unsigned long v;
    cr_assert(cmd_parse_uint("20", 1, 100, &v));
    cr_assert_eq(v, 20);
    cr_assert_not(cmd_parse_uint("0", 1, 100, &v));
    cr_assert_not(cmd_parse_uint("101", 1, 100, &v));
    cr_assert_not(cmd_parse_uint("-1", 1, 100, &v));
    cr_assert_not(cmd_parse_uint("1x", 1, 100, &v));
    cr_assert_not(cmd_parse_uint("", 1, 100, &v));
    cr_assert_not(cmd_parse_uint("99999999999999999999999", 1, 100, &v));

    enum proto_status st;
    cr_assert(cmd_parse_status("away", &st));
    cr_assert_eq(st, PROTO_STATUS_AWAY);
    cr_assert(cmd_parse_status("available", &st));
    cr_assert_eq(st, PROTO_STATUS_AVAILABLE);
    cr_assert(cmd_parse_status("busy", &st));
    cr_assert_eq(st, PROTO_STATUS_BUSY);
    cr_assert(cmd_parse_status("invisible", &st));
    cr_assert_eq(st, PROTO_STATUS_INVISIBLE);
    cr_assert_not(cmd_parse_status("offline", &st), "offline is the server's word only");
    cr_assert_not(cmd_parse_status("Away!", &st));
}

/* -------------------------------------------------------------- text */

static void check_clean(const char *in, const char *indent, const char *want)
{
    char *got = text_sanitize(in, indent);
    cr_assert_not_null(got);
    cr_assert_str_eq(got, want, "sanitize(%s)", in);
    free(got);
}

Test(client_term, sanitize_removes_terminal_control)
{
    check_clean("hello", "", "hello");
    check_clean("caf\xc3\xa9 \xe2\x9c\xa8", "", "caf\xc3\xa9 \xe2\x9c\xa8");   /* é ✨ kept */
    check_clean("\033[2J\033]0;owned\007x", "", "\xEF\xBF\xBD[2J\xEF\xBF\xBD]0;owned\xEF\xBF\xBDx");
    check_clean("a\rb", "", "ab");
    check_clean("a\tb", "", "a b");
    check_clean("line1\nline2", "  ", "line1\n  line2");
    check_clean("c1\xc2\x9b" "31m", "", "c1\xEF\xBF\xBD" "31m");                /* CSI as C1 */
    check_clean("bidi\xe2\x80\xae" "evil", "", "bidi\xEF\xBF\xBD" "evil");          /* U+202E */
    check_clean("bad\xff\xfe", "", "bad\xEF\xBF\xBD\xEF\xBF\xBD");
    check_clean("\xc0\xaf", "", "\xEF\xBF\xBD\xEF\xBF\xBD");                     /* overlong */
    check_clean("\xed\xa0\x80", "", "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");     /* surrogate */
    check_clean("del\x7f", "", "del\xEF\xBF\xBD");
    char *n = text_sanitize(NULL, NULL);
    cr_assert_str_eq(n, "");
    free(n);
}

Test(client_term, durations)
{
    char d[16];
    text_duration(250, d);
    cr_assert_str_eq(d, "0.2s");
    text_duration(2000, d);
    cr_assert_str_eq(d, "2s");
    text_duration(14600, d);
    cr_assert_str_eq(d, "15s");
    text_duration(600000, d);
    cr_assert_str_eq(d, "10m");
    text_duration(-5, d);
    cr_assert_str_eq(d, "0.0s");
}

Test(client_term, times_today_and_before)
{
    char t[32];
    int64_t now = 1763856000000;   /* 2025-11-23 00:00 UTC */
    setenv("TZ", "UTC", 1);
    tzset();
    text_time(now + 13 * 3600000 + 5 * 60000, now + 14 * 3600000, t);
    cr_assert_str_eq(t, "13:05");
    text_time(now - 3600000, now + 14 * 3600000, t);
    cr_assert_str_eq(t, "Nov 22 23:00");
    text_time(now - 400LL * 86400000, now, t);
    cr_assert_str_eq(t, "2024-10-19 00:00");
}

/* ------------------------------------------------------------ config */

Test(client_term, config_text_round_trip)
{
    struct hearth_cfg c, d;
    memset(&c, 0, sizeof c);
    strcpy(c.server, "https://hearth.example.org");
    strcpy(c.handle, "alice");
    strcpy(c.token, "0123456789abcdef");
    strcpy(c.room, "lobby");
    char buf[2048];
    cr_assert_gt(cfg_format(&c, buf, sizeof buf), 0);
    cfg_parse(buf, &d);
    cr_assert_str_eq(d.server, c.server);
    cr_assert_str_eq(d.handle, c.handle);
    cr_assert_str_eq(d.token, c.token);
    cr_assert_str_eq(d.room, c.room);

    cfg_parse("# comment\r\nhandle=bob\r\nunknown=x\nnoequals\ntoken=", &d);
    cr_assert_str_eq(d.handle, "bob");
    cr_assert_str_eq(d.token, "");
    cr_assert_str_eq(d.server, "");

    /* over-long values are cut, not overflowed */
    char longv[600];
    memset(longv, 'x', sizeof longv);
    memcpy(longv, "handle=", 7);
    longv[sizeof longv - 1] = '\0';
    cfg_parse(longv, &d);
    cr_assert_eq(strlen(d.handle), PROTO_HANDLE_MAX);
}

static char tmpdir[64];

static void make_tmp(void)
{
    strcpy(tmpdir, "/tmp/hearth-cfg-XXXXXX");
    cr_assert_not_null(mkdtemp(tmpdir));
}

static void rm_tmp(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    (void)!system(cmd);
}

Test(client_term, config_file_is_private, .init = make_tmp, .fini = rm_tmp)
{
    char dir[128];
    snprintf(dir, sizeof dir, "%s/conf/hearth", tmpdir);   /* conf/ does not exist yet */
    struct hearth_cfg c, d;
    cr_assert_eq(cfg_load(dir, &d), 0, "a missing file is an empty session");
    cr_assert_str_eq(d.token, "");

    memset(&c, 0, sizeof c);
    strcpy(c.server, "http://127.0.0.1:8080");
    strcpy(c.handle, "alice");
    strcpy(c.token, "feedface");
    umask(022);
    cr_assert_eq(cfg_save(dir, &c), 0);

    struct stat st;
    char path[160];
    snprintf(path, sizeof path, "%s/session", dir);
    cr_assert_eq(stat(path, &st), 0);
    cr_assert_eq(st.st_mode & 0777, 0600);
    cr_assert_eq(stat(dir, &st), 0);
    cr_assert_eq(st.st_mode & 0777, 0700);

    cr_assert_eq(cfg_load(dir, &d), 0);
    cr_assert_str_eq(d.token, "feedface");
    cr_assert_str_eq(d.handle, "alice");

    /* a file someone loosened is tightened on load */
    cr_assert_eq(chmod(path, 0644), 0);
    cr_assert_eq(cfg_load(dir, &d), 0);
    cr_assert_eq(stat(path, &st), 0);
    cr_assert_eq(st.st_mode & 0777, 0600);

    /* saving again replaces it (no temporary file left behind) */
    strcpy(c.token, "");
    cr_assert_eq(cfg_save(dir, &c), 0);
    cr_assert_eq(cfg_load(dir, &d), 0);
    cr_assert_str_eq(d.token, "");
    char tmp[200];
    snprintf(tmp, sizeof tmp, "%s/.session.%ld.tmp", dir, (long)getpid());
    cr_assert_neq(access(tmp, F_OK), 0);
}

Test(client_term, config_dir_follows_xdg)
{
    char buf[256];
    setenv("XDG_CONFIG_HOME", "/x/conf", 1);
    cr_assert_eq(cfg_dir(buf, sizeof buf), 0);
    cr_assert_str_eq(buf, "/x/conf/hearth");
    setenv("XDG_CONFIG_HOME", "relative/ignored", 1);
    setenv("HOME", "/home/h", 1);
    cr_assert_eq(cfg_dir(buf, sizeof buf), 0);
    cr_assert_str_eq(buf, "/home/h/.config/hearth");
    unsetenv("XDG_CONFIG_HOME");
    unsetenv("HOME");
    cr_assert_eq(cfg_dir(buf, sizeof buf), -ENOENT);
}

Test(client_term, config_merge_changes_only_its_fields)
{
    struct hearth_cfg disk, mine;
    memset(&disk, 0, sizeof disk);
    memset(&mine, 0, sizeof mine);
    strcpy(disk.server, "http://s");
    strcpy(disk.handle, "alice");
    strcpy(disk.token, "new-token");   /* another process signed in again */
    strcpy(disk.room, "lobby");
    mine = disk;
    strcpy(mine.token, "old-token");

    /* the chat's session ended: the file's newer token stays */
    cr_assert_not(cfg_merge(&disk, &mine, CFG_FORGET));
    cr_assert_str_eq(disk.token, "new-token");
    strcpy(mine.token, "new-token");
    cr_assert(cfg_merge(&disk, &mine, CFG_FORGET));
    cr_assert_str_eq(disk.token, "");
    cr_assert_str_eq(disk.room, "lobby");

    /* the current room only for the same account */
    strcpy(mine.room, "porch");
    cr_assert(cfg_merge(&disk, &mine, CFG_ROOM));
    cr_assert_str_eq(disk.room, "porch");
    strcpy(disk.handle, "bob");
    strcpy(mine.room, "hall");
    cr_assert_not(cfg_merge(&disk, &mine, CFG_ROOM));
    cr_assert_str_eq(disk.room, "porch");

    /* signing in as someone else replaces the account and drops the room */
    strcpy(mine.handle, "carol");
    strcpy(mine.token, "t3");
    cr_assert(cfg_merge(&disk, &mine, CFG_AUTH));
    cr_assert_str_eq(disk.handle, "carol");
    cr_assert_str_eq(disk.token, "t3");
    cr_assert_str_eq(disk.room, "");
    /* the same account signing in again keeps it */
    strcpy(disk.room, "lobby");
    strcpy(mine.token, "t4");
    cr_assert(cfg_merge(&disk, &mine, CFG_AUTH));
    cr_assert_str_eq(disk.room, "lobby");
}
