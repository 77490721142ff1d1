/* account.delete, after the password: memory, then the disk, then goodbye. */
#include <stdlib.h>

#include "account.h"
#include "accounts.h"
#include "blocks.h"
#include "buddies.h"
#include "hmap.h"
#include "log.h"
#include "match.h"
#include "moderation.h"
#include "pending.h"
#include "rooms.h"
#include "server.h"
#include "session.h"
#include "settings.h"
#include "sobriety.h"
#include "support.h"

/* Out of the users map (a new account may take the handle), kept alive. */
static void bury(struct server *srv, struct user *u)
{
    hmap_del(srv->users, u->handle);
    struct user **v = realloc(srv->graveyard, (srv->n_graveyard + 1) * sizeof *v);
    if (!v) {
        log_error("out of memory keeping a deleted account until shutdown");
        return;   /* it leaks rather than dangles */
    }
    srv->graveyard = v;
    srv->graveyard[srv->n_graveyard++] = u;
}

static void on_erased(struct hdb_job *job)
{
    struct pending *p = job->ud;
    struct user *u = p->u;
    if (job->out.rc != HDB_OK) {
        log_error("deleting an account failed (%s): its rows are still on disk",
                  hdb_rc_name(job->out.rc));
        pending_fail(p, PROTO_E_INTERNAL, NULL);
    } else {
        struct proto_result res = {.type = PROTO_REQ_ACCOUNT_DELETE};
        session_reply(p->s, p->id, &res);
    }
    /* Gone either way: memory already forgot them. */
    accounts_end_sessions(u, "account_deleted");
    bury(p->s->srv, u);
    pending_end(p, job);
}

void account_erase(struct session *s, const char *id)
{
    struct server *srv = s->srv;
    struct user *u = s->user;
    bool keep_words = srv->cfg.keep_deleted_messages;
    log_info("an account is being deleted");   /* no handle: it is being forgotten */
    u->deleted = true;
    support_forget_user(srv, u);
    match_forget_user(srv, u);
    buddies_forget_user(u);
    sobriety_forget_user(srv, u);
    rooms_forget_user(u, keep_words);
    blocks_forget_user(srv, u->id);
    moderation_forget_user(srv, u->id);
    settings_free_user(u);
    struct hdb_job *job = pending_job(s, id, NULL, sizeof(struct pending), HDB_OP_ACCOUNT_DELETE,
                                      on_erased);
    if (!job)
        return;
    job->in.meeting = keep_words;   /* keep their room messages, anonymised */
    pending_submit(job);
}
