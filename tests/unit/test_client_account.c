/*
 * The terminal client's "your data" parts that need no server
 * (client/term/account.c, CFG_GONE in config.c, and what `hearth export`
 * takes in oneshot_args.c): the export put back together from its parts,
 * checked as JSON and written to a new file only (mode 0600); file names
 * and the other names offered; sizes and sentences; the words before
 * deleting an account and its confirmation. The sources are compiled in
 * here.
 */
#include <criterion/criterion.h>
#include <criterion/redirect.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../client/term/account.c"
#include "../../client/term/buddies.c"
#include "../../client/term/checkin.c"
#include "../../client/term/cmdline.c"
#include "../../client/term/config.c"
#include "../../client/term/meeting.c"
#include "../../client/term/mod.c"
#include "../../client/term/oneshot_args.c"
#include "../../client/term/safety.c"
#include "../../client/term/support.c"
#include "../../client/term/text.c"

static void check_text(char *got, const char *want)
{
    cr_assert_not_null(got, "no text (wanted \"%s\")", want);
    cr_assert_str_eq(got, want);
    free(got);
}

/* A fresh directory for files; removed by the test's own cleanup. */
static char dir[64];

static void make_dir_fixture(void)
{
    snprintf(dir, sizeof dir, "/tmp/hearth-acct-XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
}

static void remove_dir_fixture(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_assert_eq(system(cmd), 0);
}

/* dir/name, in one of four buffers (two may be used in one call). */
static char *in_dir(const char *name)
{
    static char path[4][256];
    static unsigned i;
    char *p = path[i++ % 4];
    snprintf(p, sizeof path[0], "%s/%s", dir, name);
    return p;
}

/* ------------------------------------------------------- the parts */

Test(client_account, parts_in_order_make_the_document)
{
    struct acct_export e = {0};
    cr_assert_eq(acct_export_add(&e, "5c0ffee5", 0, 3, "{\"format\":"), ACCT_MORE);
    cr_assert_str_eq(e.id, "5c0ffee5");
    cr_assert_eq(e.parts, 3);
    cr_assert_eq(e.next, 1);
    cr_assert_eq(acct_export_add(&e, "5c0ffee5", 1, 3, "\"hearth-export-1\","), ACCT_MORE);
    cr_assert_eq(e.next, 2);
    cr_assert_eq(acct_export_add(&e, "5c0ffee5", 2, 3, "\"x\":\"é\"}"), ACCT_DONE);
    cr_assert_str_eq(e.buf, "{\"format\":\"hearth-export-1\",\"x\":\"é\"}");
    cr_assert_eq(e.len, strlen(e.buf));
    char why[200];
    cr_assert(acct_export_valid(e.buf, e.len, why, sizeof why));
    acct_export_free(&e);
    cr_assert_null(e.buf);
    cr_assert_eq(e.parts, 0);
}

Test(client_account, one_part_is_done_at_once)
{
    struct acct_export e = {0};
    cr_assert_eq(acct_export_add(&e, "ab", 0, 1, "{}"), ACCT_DONE);
    cr_assert_str_eq(e.buf, "{}");
    acct_export_free(&e);
}

Test(client_account, parts_out_of_order_or_of_another_export_are_refused)
{
    struct acct_export e = {0};
    /* not part 0 first; no id; no parts; a part past the count; no data */
    cr_assert_eq(acct_export_add(&e, "ab", 1, 2, "x"), ACCT_BAD);
    cr_assert_eq(acct_export_add(&e, "", 0, 2, "x"), ACCT_BAD);
    cr_assert_eq(acct_export_add(&e, NULL, 0, 2, "x"), ACCT_BAD);
    cr_assert_eq(acct_export_add(&e, "ab", 0, 0, "x"), ACCT_BAD);
    cr_assert_eq(acct_export_add(&e, "ab", 2, 2, "x"), ACCT_BAD);
    cr_assert_eq(acct_export_add(&e, "ab", 0, 2, NULL), ACCT_BAD);
    cr_assert_eq(e.len, 0);
    cr_assert_eq(e.parts, 0);

    cr_assert_eq(acct_export_add(&e, "ab", 0, 3, "[1,"), ACCT_MORE);
    cr_assert_eq(acct_export_add(&e, "ab", 0, 3, "[1,"), ACCT_BAD);    /* again */
    cr_assert_eq(acct_export_add(&e, "ab", 2, 3, "3]"), ACCT_BAD);     /* skipped one */
    cr_assert_eq(acct_export_add(&e, "cd", 1, 3, "2,"), ACCT_BAD);     /* another export */
    cr_assert_eq(acct_export_add(&e, "ab", 1, 4, "2,"), ACCT_BAD);     /* count changed */
    cr_assert_str_eq(e.buf, "[1,", "a refused part changed nothing");
    cr_assert_eq(e.next, 1);
    cr_assert_eq(acct_export_add(&e, "ab", 1, 3, "2,"), ACCT_MORE);
    cr_assert_eq(acct_export_add(&e, "ab", 2, 3, "3]"), ACCT_DONE);
    cr_assert_str_eq(e.buf, "[1,2,3]");
    acct_export_free(&e);
}

Test(client_account, a_large_export_grows)
{
    struct acct_export e = {0};
    size_t part_len = 262144;
    char *part = malloc(part_len + 1);
    cr_assert_not_null(part);
    memset(part, 'a', part_len);
    part[part_len] = '\0';
    for (uint32_t i = 0; i < 5; i++)
        cr_assert_eq(acct_export_add(&e, "ff", i, 5, part), i == 4 ? ACCT_DONE : ACCT_MORE);
    cr_assert_eq(e.len, 5 * part_len);
    cr_assert_eq(strlen(e.buf), 5 * part_len);
    free(part);
    acct_export_free(&e);
}

Test(client_account, the_document_must_be_one_json_object)
{
    char why[200];
    const char *ok = "{\"format\":\"hearth-export-1\",\"checkins\":[]}";
    cr_assert(acct_export_valid(ok, strlen(ok), why, sizeof why));
    const char *cut = "{\"format\":\"hearth-export-1\",\"checkins\":[";
    cr_assert_not(acct_export_valid(cut, strlen(cut), why, sizeof why));
    cr_assert(strstr(why, "not valid JSON"), "%s", why);
    cr_assert_not(acct_export_valid("[1,2]", 5, why, sizeof why));
    cr_assert_str_eq(why, "it is not a JSON object");
    cr_assert_not(acct_export_valid("{} {}", 5, why, sizeof why), "trailing text");
    cr_assert_not(acct_export_valid("", 0, why, sizeof why));
    cr_assert_not(acct_export_valid(NULL, 0, why, sizeof why));
}

/* ------------------------------------------------------- file names */

Test(client_account, tilde_is_home)
{
    check_text(acct_expand_path("~/x.json", "/home/ann"), "/home/ann/x.json");
    check_text(acct_expand_path("~/x.json", "/home/ann/"), "/home/ann/x.json");
    check_text(acct_expand_path("~", "/home/ann"), "/home/ann");
    check_text(acct_expand_path("~bob/x.json", "/home/ann"), "~bob/x.json");
    check_text(acct_expand_path("~/x.json", NULL), "~/x.json");
    check_text(acct_expand_path("~/x.json", ""), "~/x.json");
    check_text(acct_expand_path("a/~/x", "/home/ann"), "a/~/x");
}

Test(client_account, other_names)
{
    check_text(acct_alt_name("export.json", 2), "export-2.json");
    check_text(acct_alt_name("/tmp/a.b/export.tar.gz", 3), "/tmp/a.b/export.tar-3.gz");
    check_text(acct_alt_name("/tmp/a.b/notes", 2), "/tmp/a.b/notes-2");
    check_text(acct_alt_name(".hearth", 2), ".hearth-2");
    check_text(acct_alt_name("dir/.hearth", 12), "dir/.hearth-12");
}

Test(client_account, targets, .init = make_dir_fixture, .fini = remove_dir_fixture)
{
    cr_assert_eq(acct_check_target(in_dir("new.json")), 0);
    cr_assert_eq(acct_check_target(""), -EINVAL);
    cr_assert_eq(acct_check_target(in_dir("sub/")), -EINVAL);
    cr_assert_eq(acct_check_target(in_dir("missing/new.json")), -ENOENT);

    FILE *f = fopen(in_dir("taken.json"), "w");
    cr_assert_not_null(f);
    fclose(f);
    cr_assert_eq(acct_check_target(in_dir("taken.json")), -EEXIST);
    cr_assert_eq(acct_check_target(in_dir("taken.json/x")), -ENOTDIR);
    cr_assert_eq(symlink(in_dir("nowhere"), in_dir("dangling.json")), 0);
    cr_assert_eq(acct_check_target(in_dir("dangling.json")), -EEXIST,
                 "a dangling link counts as something there");
    cr_assert_eq(acct_check_target(dir), -EEXIST);

    /* the first other name that is free */
    char *alt = acct_free_name(in_dir("taken.json"));
    cr_assert_not_null(alt);
    cr_assert_str_eq(alt, in_dir("taken-2.json"));
    free(alt);
    f = fopen(in_dir("taken-2.json"), "w");
    cr_assert_not_null(f);
    fclose(f);
    alt = acct_free_name(in_dir("taken.json"));
    cr_assert_str_eq(alt, in_dir("taken-3.json"));
    free(alt);
}

Test(client_account, writes_a_new_private_file_only, .init = make_dir_fixture,
     .fini = remove_dir_fixture)
{
    umask(022);
    const char *doc = "{\"format\":\"hearth-export-1\"}";
    cr_assert_eq(acct_write_new(in_dir("out.json"), doc, strlen(doc)), 0);
    struct stat st;
    cr_assert_eq(stat(in_dir("out.json"), &st), 0);
    cr_assert_eq(st.st_mode & 0777, 0600, "mode %o", (unsigned)(st.st_mode & 0777));
    cr_assert_eq((size_t)st.st_size, strlen(doc));
    char buf[128] = "";
    FILE *f = fopen(in_dir("out.json"), "r");
    cr_assert_not_null(f);
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    cr_assert_str_eq(buf, doc);

    /* never over an existing file: it is left as it was */
    cr_assert_eq(acct_write_new(in_dir("out.json"), "{}", 2), -EEXIST);
    cr_assert_eq(stat(in_dir("out.json"), &st), 0);
    cr_assert_eq((size_t)st.st_size, strlen(doc));
    /* nor through a link */
    cr_assert_eq(symlink(in_dir("elsewhere.json"), in_dir("link.json")), 0);
    cr_assert_eq(acct_write_new(in_dir("link.json"), "{}", 2), -EEXIST);
    cr_assert_neq(access(in_dir("elsewhere.json"), F_OK), 0);
    /* no folder: nothing made */
    cr_assert_eq(acct_write_new(in_dir("missing/out.json"), "{}", 2), -ENOENT);
}

/* ------------------------------------------------------- sentences */

Test(client_account, sizes)
{
    char out[32];
    acct_fmt_size(0, out);
    cr_assert_str_eq(out, "0 KB");
    acct_fmt_size(1, out);
    cr_assert_str_eq(out, "1 KB");
    acct_fmt_size(1115, out);
    cr_assert_str_eq(out, "1 KB");
    acct_fmt_size(1536, out);
    cr_assert_str_eq(out, "2 KB");
    acct_fmt_size(314938, out);
    cr_assert_str_eq(out, "308 KB");
    acct_fmt_size(1536 * 1024, out);
    cr_assert_str_eq(out, "1,536 KB");
    acct_fmt_size((size_t)12 * 1024 * 1024 + 300 * 1024, out);
    cr_assert_str_eq(out, "12.3 MB");
}

Test(client_account, written)
{
    check_text(acct_written_text("/tmp/me.json", 314938),
               "Wrote everything Hearth holds about you to /tmp/me.json (308 KB).");
}

Test(client_account, why_not_written)
{
    check_text(acct_target_text("me.json", -EEXIST, "me-2.json", "/export"),
               "me.json already exists, and Hearth will not write over it. Choose another "
               "name, e.g. /export me-2.json");
    check_text(acct_target_text("me.json", -EEXIST, NULL, "hearth export"),
               "me.json already exists, and Hearth will not write over it. Choose another "
               "name.");
    check_text(acct_target_text("a/me.json", -ENOENT, NULL, "/export"),
               "Cannot write a/me.json: its folder does not exist.");
    check_text(acct_target_text("/me.json", -EACCES, NULL, "/export"),
               "Cannot write /me.json: you may not write in its folder.");
    check_text(acct_target_text("", -EINVAL, NULL, "/export"), "'' is not a file name.");
    check_text(acct_target_text("x", -ENOSPC, NULL, "/export"),
               "Cannot write x: the disk is full. Nothing was kept.");
    /* a name with % in it is placed as it is */
    check_text(acct_target_text("100%s.json", -EEXIST, "100%s-2.json", "/export"),
               "100%s.json already exists, and Hearth will not write over it. Choose another "
               "name, e.g. /export 100%s-2.json");
}

/* ----------------------------------------------------------- delete */

Test(client_account, the_explanation_says_what_goes)
{
    const char *t = acct_delete_explained();
    static const char *const must[] = {
        "check-ins", "journal", "plan", "crisis card", "clean time", "buddies", "pings",
        "messages", "anonymised", "cannot be undone", "/export",
    };
    for (size_t i = 0; i < sizeof must / sizeof must[0]; i++)
        cr_assert(strstr(t, must[i]), "the explanation does not mention \"%s\"", must[i]);
    /* lines fit a terminal */
    for (const char *p = t; *p;) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        cr_assert_leq(len, 80, "a line of %zu bytes: %.*s", len, (int)len, p);
        p += len + (nl ? 1 : 0);
    }
}

Test(client_account, the_confirmation)
{
    cr_assert(acct_confirm_ok("delete my account"));
    cr_assert(acct_confirm_ok("  Delete My Account \t"));
    cr_assert(acct_confirm_ok("DELETE MY ACCOUNT\r\n"));
    cr_assert_not(acct_confirm_ok("delete my account please"));
    cr_assert_not(acct_confirm_ok("delete  my account"));
    cr_assert_not(acct_confirm_ok("delete my"));
    cr_assert_not(acct_confirm_ok("yes"));
    cr_assert_not(acct_confirm_ok(""));
    cr_assert_not(acct_confirm_ok(NULL));
    cr_assert(strstr(ACCT_CONFIRM_PROMPT, "\"delete my account\""));
    cr_assert_str_eq(ACCT_DELETED, "Your account is deleted. Take care of yourself.");
}

/* ------------------------------------------------- the session file */

static struct hearth_cfg cfg_of(const char *server, const char *handle, const char *token,
                                const char *room)
{
    struct hearth_cfg c;
    memset(&c, 0, sizeof c);
    snprintf(c.server, sizeof c.server, "%s", server);
    snprintf(c.handle, sizeof c.handle, "%s", handle);
    snprintf(c.token, sizeof c.token, "%s", token);
    snprintf(c.room, sizeof c.room, "%s", room);
    return c;
}

Test(client_account, a_deleted_account_is_forgotten)
{
    struct hearth_cfg mine = cfg_of("http://h", "ann", "t1", "porch");
    struct hearth_cfg disk = cfg_of("http://h", "ann", "t2", "lobby");   /* another device's */
    cr_assert(cfg_merge(&disk, &mine, CFG_GONE));
    cr_assert_str_eq(disk.server, "http://h");
    cr_assert_str_eq(disk.handle, "");
    cr_assert_str_eq(disk.token, "");
    cr_assert_str_eq(disk.room, "");

    /* another account (or server) in the file is left alone */
    disk = cfg_of("http://h", "bob", "t3", "lobby");
    cr_assert_not(cfg_merge(&disk, &mine, CFG_GONE));
    cr_assert_str_eq(disk.handle, "bob");
    cr_assert_str_eq(disk.token, "t3");
    disk = cfg_of("http://other", "ann", "t4", "lobby");
    cr_assert_not(cfg_merge(&disk, &mine, CFG_GONE));
    cr_assert_str_eq(disk.token, "t4");
}

/* ---------------------------------------------------- hearth export */

static int parse(struct os *s, int argc, char **argv)
{
    memset(s, 0, sizeof *s);
    return oneshot_parse(s, argc, argv);
}

Test(client_account, oneshot_export, .init = cr_redirect_stderr)
{
    struct os s;
    cr_assert(oneshot_known("export"));
    char *ok[] = {"export", "me.json"};
    cr_assert_eq(parse(&s, 2, ok), 0);
    cr_assert_eq(s.cmd, OS_EXPORT);
    cr_assert_str_eq(s.export_path, "me.json");
    free(s.export_path);
    char *dash[] = {"export", "--", "--odd.json"};
    cr_assert_eq(parse(&s, 3, dash), 0);
    cr_assert_str_eq(s.export_path, "--odd.json");
    free(s.export_path);

    char *none[] = {"export"};
    cr_assert_eq(parse(&s, 1, none), 2);
    cr_assert_null(s.export_path);
    char *two[] = {"export", "a.json", "b.json"};
    cr_assert_eq(parse(&s, 3, two), 2);
    char *empty[] = {"export", ""};
    cr_assert_eq(parse(&s, 2, empty), 2);
    char *opt[] = {"export", "--all", "a.json"};
    cr_assert_eq(parse(&s, 3, opt), 2);
}
