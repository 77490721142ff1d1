/*
 * The interactive client's requests: an op per request, counted while a
 * line waits for it; issuing one and the start of its reply; and the
 * growing arrays of what the client remembers.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chat.h"

struct op *chat_op_new(struct chat *ch, const char *room)
{
    struct op *op = calloc(1, sizeof *op);
    if (!op)
        abort();
    op->ch = ch;
    if (room)
        snprintf(op->room, sizeof op->room, "%s", room);
    return op;
}

void *chat_grow(void *arr, size_t n, size_t *cap, size_t size)
{
    if (n < *cap)
        return arr;
    size_t more = *cap ? *cap * 2 : 8;
    void *grown = realloc(arr, more * size);
    if (grown)
        *cap = more;
    return grown;
}

/* A request made for a line: the next line waits for it (not a terminal),
 * and the end of input waits for every one. */
void chat_op_begin(struct op *op)
{
    op->counted = true;
    op->ch->outstanding++;
    if (!op->ch->tty)
        op->ch->busy = true;
}

void chat_op_end(struct op *op, bool failed)
{
    struct chat *ch = op->ch;
    if (failed && !ch->tty)
        ch->exit_code = 1;
    if (op->counted) {
        ch->outstanding--;
        ch->busy = false;
    }
    free(op->text);
    free(op);
    if (!ch->quitting)
        chat_pump(ch);
}

/* Issue check: rc < 0 means the request was not made. */
bool chat_issued(struct op *op, int rc)
{
    if (rc == 0)
        return true;
    if (rc == -ENOTCONN)
        ui_line(UI_ERROR, "Not connected to the server; try again once it is back.");
    else if (rc == -EMSGSIZE)
        ui_line(UI_ERROR, "That is too long to send in one go (the server takes 64 KiB at a "
                          "time): make it shorter.");
    else if (rc == -EINVAL)
        ui_line(UI_ERROR, "That request has a value the server would refuse; nothing was sent.");
    else
        ui_line(UI_ERROR, "Could not send the request: %s", strerror(-rc));
    chat_op_end(op, true);   /* uncounts it: the next line need not wait for a reply */
    return false;
}

void chat_issue(struct op *op, const struct proto_request *q, hc_reply_cb cb)
{
    if (!op->counted)
        chat_op_begin(op);
    chat_issued(op, hc_request(op->ch->c, q, cb, op));
}

int chat_command_word(const char *line, const char *const *names, size_t n, const char **rest)
{
    size_t len = 0;
    while (line[len] && line[len] != ' ' && line[len] != '\t')
        len++;
    for (size_t i = 0; i < n; i++) {
        if (strlen(names[i]) == len && strncmp(names[i], line, len) == 0) {
            *rest = line + len;
            return (int)i;
        }
    }
    return -1;
}

bool chat_request_quietly(struct op *op, enum proto_req_type type, hc_reply_cb cb)
{
    struct proto_request q;
    memset(&q, 0, sizeof q);
    q.type = type;
    if (hc_request(op->ch->c, &q, cb, op) == 0)
        return true;
    chat_op_end(op, false);
    return false;
}

bool chat_reply_unusable(struct op *op, const struct hc_reply *r, const char *what)
{
    if (op->ch->quitting) {
        chat_op_end(op, false);
        return true;
    }
    if (r->err == PROTO_OK)
        return false;
    char label[BUD_LABEL];
    if (what && proto_is_conversation_name(what)) {
        chat_room_label(op->ch, what, label);   /* "@bob", not "~1a2b3c4d" */
        what = label;
    }
    chat_show_error(what, r);
    chat_op_end(op, true);
    return true;
}
