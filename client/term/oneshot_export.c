/*
 * `hearth export FILE`: everything Hearth holds about you, written to a
 * new file FILE (mode 0600; never over an existing one, which is refused
 * before connecting, with another name to try). Asks account.export, then
 * every further part in order; the parts put together must parse as one
 * JSON object. Prints "Wrote everything Hearth holds about you to FILE
 * (N KB)." and exits 0; a server or file error exits 1 (nothing is left
 * behind), a usage error 2. The words are account.c's.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "oneshot.h"

static void say_target(const char *path, int rc)
{
    char *alt = rc == -EEXIST ? acct_free_name(path) : NULL;
    char *txt = acct_target_text(path, rc, alt, "hearth export");
    fprintf(stderr, "hearth: %s\n", txt ? txt : "Cannot write that file.");
    free(txt);
    free(alt);
}

int export_check(struct os *s)
{
    int rc = acct_check_target(s->export_path);
    if (rc == 0)
        return 0;
    say_target(s->export_path, rc);
    return 1;
}

static void write_it(struct os *s)
{
    char why[300];
    if (!acct_export_valid(s->exp.buf, s->exp.len, why, sizeof why)) {
        fprintf(stderr, "hearth: The export the server sent is damaged (%s). Nothing was "
                        "written; try again.\n", why);
        oneshot_finish(s, 1);
        return;
    }
    int rc = acct_write_new(s->export_path, s->exp.buf, s->exp.len);
    if (rc < 0) {
        say_target(s->export_path, rc);
        oneshot_finish(s, 1);
        return;
    }
    char *txt = acct_written_text(s->export_path, s->exp.len);
    printf("%s\n", txt ? txt : "Wrote your data.");
    free(txt);
    oneshot_finish(s, 0);
}

static void on_part(struct hc_client *c, const struct hc_reply *r, void *ud)
{
    struct os *s = ud;
    if (s->done || oneshot_reply_failed(s, r))
        return;
    const struct proto_result *res = r->result;
    switch (acct_export_add(&s->exp, res->u.export.export_id, res->u.export.part,
                            res->u.export.parts, res->u.export.data)) {
    case ACCT_BAD:
        fprintf(stderr, "hearth: The server sent the export out of order. Nothing was written; "
                        "try again.\n");
        oneshot_finish(s, 1);
        return;
    case ACCT_NO_MEMORY:
        fprintf(stderr, "hearth: Not enough memory for the export. Nothing was written.\n");
        oneshot_finish(s, 1);
        return;
    case ACCT_DONE:
        write_it(s);
        return;
    case ACCT_MORE:
        break;
    }
    struct proto_request q;
    memset(&q, 0, sizeof q);
    q.type = PROTO_REQ_ACCOUNT_EXPORT;
    q.u.export.export_id = s->exp.id;
    q.u.export.part = s->exp.next;
    int rc = hc_request(c, &q, on_part, s);
    if (rc < 0) {
        fprintf(stderr, "hearth: could not ask for the rest of the export: %s\n", strerror(-rc));
        oneshot_finish(s, 1);
    }
}

int export_run(struct os *s)
{
    struct proto_request q;
    memset(&q, 0, sizeof q);
    q.type = PROTO_REQ_ACCOUNT_EXPORT;   /* no id: a new export, part 0 */
    return hc_request(s->c, &q, on_part, s);
}
