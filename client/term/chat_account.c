/*
 * Your data in the interactive client: /export FILE and /delete-account.
 *
 * /export asks account.export, then each further part in order, in the
 * same op (a script's next line waits for the file); the parts put
 * together must parse as one JSON object before a new file (mode 0600,
 * never over an existing one) is written. The file is checked before
 * anything is asked, and written with O_EXCL at the end.
 *
 * /delete-account says what goes (on a terminal), asks the password
 * without echo (ch->sec, as /passwd does; a pipe gives it as one line),
 * then the words "delete my account"; a wrong password leaves everything
 * as it was, with the server's sentence. After the {} result the op is
 * held until the server ends the session (session.revoked
 * "account_deleted", then close 4002): then the account is forgotten
 * (the session file's account and token, its conversations' lines) and
 * the client exits 0, without reconnecting. The words are account.c's.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chat.h"

/* ------------------------------------------------------------ export */

void chat_account_clear(struct chat *ch)
{
    if (ch->exp) {
        acct_export_free(ch->exp);
        free(ch->exp);
        ch->exp = NULL;
    }
    free(ch->exp_path);
    ch->exp_path = NULL;
}

static void export_end(struct op *op, bool failed)
{
    chat_account_clear(op->ch);
    chat_op_end(op, failed);
}

/* Why nothing can be written at path (rc from account.c), with another
 * name to try when something is there. */
static void say_target(struct chat *ch, const char *path, int rc)
{
    char *alt = rc == -EEXIST ? acct_free_name(path) : NULL;
    char *txt = acct_target_text(path, rc, alt, "/export");
    chat_refuse(ch, txt ? txt : "Cannot write that file.");
    free(txt);
    free(alt);
}

static void export_write(struct op *op)
{
    struct chat *ch = op->ch;
    char why[300];
    if (!acct_export_valid(ch->exp->buf, ch->exp->len, why, sizeof why)) {
        ui_line(UI_ERROR, "The export the server sent is damaged (%s). Nothing was written; "
                          "try /export again.", why);
        export_end(op, true);
        return;
    }
    int rc = acct_write_new(ch->exp_path, ch->exp->buf, ch->exp->len);
    if (rc < 0) {
        say_target(ch, ch->exp_path, rc);
        export_end(op, true);
        return;
    }
    char *txt = acct_written_text(ch->exp_path, ch->exp->len);
    ui_line(UI_NOTICE, "%s", txt ? txt : "Wrote your data.");
    free(txt);
    ui_line(UI_DIM, "Only you can read the file. It holds your check-ins, journal and messages: "
                    "keep it somewhere safe.");
    export_end(op, false);
}

static void on_export(struct hc_client *c, const struct hc_reply *r, void *ud)
{
    struct op *op = ud;
    struct chat *ch = op->ch;
    if (ch->quitting || !ch->exp) {
        export_end(op, false);
        return;
    }
    if (r->err != PROTO_OK) {
        chat_show_error("Could not export your data", r);
        if (r->err == PROTO_E_SERVER_BUSY && hc_client_state(c) != HC_READY)
            ui_line(UI_NOTICE, "Nothing was written: try /export again once the connection "
                               "is back.");
        export_end(op, true);
        return;
    }
    const struct proto_result *res = r->result;
    switch (acct_export_add(ch->exp, res->u.export.export_id, res->u.export.part,
                            res->u.export.parts, res->u.export.data)) {
    case ACCT_BAD:
        ui_line(UI_ERROR, "The server sent the export out of order. Nothing was written; try "
                          "/export again.");
        export_end(op, true);
        return;
    case ACCT_NO_MEMORY:
        ui_line(UI_ERROR, "Not enough memory for the export. Nothing was written.");
        export_end(op, true);
        return;
    case ACCT_DONE:
        export_write(op);
        return;
    case ACCT_MORE:
        break;
    }
    if (ch->exp->next == 1 && ch->tty)
        ui_line(UI_DIM, "It comes in %u parts…", (unsigned)ch->exp->parts);
    struct proto_request q;
    memset(&q, 0, sizeof q);
    q.type = PROTO_REQ_ACCOUNT_EXPORT;
    q.u.export.export_id = ch->exp->id;
    q.u.export.part = ch->exp->next;
    if (hc_request(c, &q, on_export, op) < 0) {
        ui_line(UI_ERROR, "The connection was lost during the export. Nothing was written; try "
                          "/export again once it is back.");
        export_end(op, true);
    }
}

static void cmd_export(struct chat *ch, struct cmd_args *a)
{
    if (a->argc != 2) {
        chat_refuse(ch, "Usage: /export FILE (a new file: Hearth will not write over one)");
        return;
    }
    if (!chat_need_signed_in(ch))
        return;
    if (ch->exp) {
        chat_refuse(ch, "An export is already under way: wait for it to finish.");
        return;
    }
    char *path = acct_expand_path(a->argv[1], getenv("HOME"));
    if (!path)
        return;
    int rc = acct_check_target(path);
    if (rc < 0) {
        say_target(ch, path, rc);
        free(path);
        return;
    }
    ch->exp = calloc(1, sizeof *ch->exp);
    if (!ch->exp) {
        free(path);
        return;
    }
    ch->exp_path = path;
    if (ch->tty)
        ui_line(UI_DIM, "Gathering everything Hearth holds about you…");
    struct proto_request q;
    memset(&q, 0, sizeof q);
    q.type = PROTO_REQ_ACCOUNT_EXPORT;   /* no id: a new export, part 0 */
    struct op *op = chat_op_new(ch, NULL);
    chat_op_begin(op);
    if (!chat_issued(op, hc_request(ch->c, &q, on_export, op)))
        chat_account_clear(ch);
}

/* ------------------------------------------------------------ delete */

static void on_deleted(struct hc_client *c, const struct hc_reply *r, void *ud)
{
    struct op *op = ud;
    struct chat *ch = op->ch;
    if (ch->quitting) {
        chat_op_end(op, false);
        return;
    }
    if (r->err != PROTO_OK) {
        if (r->err == PROTO_E_SERVER_BUSY && hc_client_state(c) != HC_READY) {
            ui_line(UI_ERROR, "The connection was lost before the server answered, so it is not "
                              "known whether your account was deleted. If you can sign in "
                              "again, it was not.");
        } else {
            chat_show_error("Not deleted", r);   /* the server says nothing changed */
        }
        chat_op_end(op, true);
        return;
    }
    ui_line(UI_NOTICE, "%s", ACCT_DELETED);
    ch->account_deleted = true;
    /* Held: the server ends the session next (chat_account_gone). */
    ch->delete_op = op;
}

static void cmd_delete(struct chat *ch, struct cmd_args *a)
{
    if (a->argc != 1) {
        chat_refuse(ch, "Usage: /delete-account (it asks for your password, then to type "
                        "\"" PROTO_DELETE_CONFIRM "\")");
        return;
    }
    if (!chat_need_signed_in(ch) || ch->account_deleted)
        return;
    if (ch->tty) {
        char *txt = strdup(acct_delete_explained());
        chat_print_lines(UI_WARN, UI_PLAIN, txt);
    }
    ch->sec = SEC_DELETE_PW;
    if (ch->tty)
        input_secret_begin("Your password, to confirm it is you: ");
}

void chat_account_secret(struct chat *ch, enum sec s, char *line)
{
    if (s == SEC_DELETE_PW) {
        if (!line[0]) {
            secret_wipe(line);
            chat_refuse(ch, "No password given: nothing was deleted.");
            return;
        }
        ch->sec_pw = line;
        ch->sec = SEC_DELETE_CONFIRM;
        chat_update_prompt(ch);
        return;
    }
    /* SEC_DELETE_CONFIRM */
    char *pw = ch->sec_pw;
    ch->sec_pw = NULL;
    chat_update_prompt(ch);
    if (!pw || !acct_confirm_ok(line)) {
        chat_refuse(ch, "Those were not the words \"" PROTO_DELETE_CONFIRM "\": your account "
                        "is kept, and nothing has changed.");
    } else {
        struct proto_request q;
        memset(&q, 0, sizeof q);
        q.type = PROTO_REQ_ACCOUNT_DELETE;
        q.u.del.password = pw;
        q.u.del.confirm = PROTO_DELETE_CONFIRM;
        chat_issue(chat_op_new(ch, NULL), &q, on_deleted);
    }
    secret_wipe(pw);
    free(line);
}

bool chat_account_prompt(const struct chat *ch, char *out, size_t n)
{
    if (ch->sec != SEC_DELETE_CONFIRM)
        return false;
    snprintf(out, n, "%s", ACCT_CONFIRM_PROMPT);
    return true;
}

bool chat_account_gone(struct chat *ch, const char *reason)
{
    bool elsewhere = reason && strcmp(reason, "account_deleted") == 0;
    if (ch->quitting || (!ch->account_deleted && !elsewhere))
        return false;
    if (!ch->account_deleted)
        ui_line(UI_NOTICE, "Your account was deleted from another device. Take care of "
                           "yourself.");
    /* Forget it: its conversations' lines, then the session file's account. */
    chat_conv_clear(ch);
    ch->convs_dirty = true;
    chat_conv_save(ch);
    chat_save(ch, CFG_GONE);
    ch->cfg->token[0] = ch->cfg->handle[0] = ch->cfg->room[0] = '\0';
    struct op *op = ch->delete_op;
    ch->delete_op = NULL;
    chat_quit(ch, 0);
    if (op)
        chat_op_end(op, false);
    return true;
}

/* ----------------------------------------------------------- commands */

bool chat_account_command(struct chat *ch, struct cmd_args *a)
{
    const char *cmd = a->argv[0];
    if (strcmp(cmd, "export") == 0)
        cmd_export(ch, a);
    else if (strcmp(cmd, "delete-account") == 0)
        cmd_delete(ch, a);
    else
        return false;
    return true;
}

void chat_account_help(void)
{
    static const char *const lines[] = {
        "Your data:",
        "  /export FILE               save everything Hearth holds about you to FILE, a new",
        "                             file only you can read (JSON)",
        "  /delete-account            delete your account and all of it, for good (asks for",
        "                             your password, then to type \"" PROTO_DELETE_CONFIRM "\")",
    };
    for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++)
        ui_line(UI_PLAIN, "%s", lines[i]);
}
