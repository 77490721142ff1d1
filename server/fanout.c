#include "fanout.h"

#include "rooms.h"
#include "server.h"

void fanout_user(struct user *u, struct hbuf *b)
{
    for (size_t i = 0; i < u->n_sessions; i++)
        session_send(u->sessions[i], b);
}

void fanout_room(struct room *r, struct hbuf *b)
{
    for (size_t i = 0; i < r->n_members; i++)
        fanout_user(r->members[i].user, b);
}
