/* The member's crisis card (card_contacts) and trigger action plan
 * (plan_items: kind 0 a line, a = when and b = then; kind 1 a reason, a).
 * Each is written whole: a put replaces every row of the member's in the
 * job's transaction, so a reader sees the old one or the new one. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hdb_internal.h"

#define KIND_LINE 0
#define KIND_REASON 1

static const char SQL_CARD_DEL[] = "DELETE FROM card_contacts WHERE user_id = ?1";
static const char SQL_CARD_INSERT[] =
    "INSERT INTO card_contacts (user_id, pos, name, phone, note) VALUES (?1, ?2, ?3, ?4, ?5)";
static const char SQL_CARD_LIST[] =
    "SELECT name, phone, note FROM card_contacts WHERE user_id = ?1 ORDER BY pos";
static const char SQL_PLAN_DEL[] = "DELETE FROM plan_items WHERE user_id = ?1";
static const char SQL_PLAN_INSERT[] =
    "INSERT INTO plan_items (user_id, kind, pos, a, b) VALUES (?1, ?2, ?3, ?4, ?5)";
static const char SQL_PLAN_LIST[] =
    "SELECT kind, a, b FROM plan_items WHERE user_id = ?1 ORDER BY kind, pos";

static int delete_all(struct hdb *db, enum hdb__sid id, const char *sql, int64_t user_id,
                      const char *what)
{
    sqlite3_stmt *s = hdb__prep(db, id, sql);
    if (!s)
        return HDB_E_IO;
    sqlite3_bind_int64(s, 1, user_id);
    return hdb__exec(db, s, what);
}

static void bind_text_or_null(sqlite3_stmt *s, int col, const char *v)
{
    if (v)
        sqlite3_bind_text(s, col, v, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(s, col);
}

static int card_put(struct hdb *db, struct hdb_job *job, const char *what)
{
    if (!job->in.user_id)
        return hdb__bad_input(what, "user_id");
    if (job->in.n_contacts && !job->in.contacts)
        return hdb__bad_input(what, "contacts");
    int rc = delete_all(db, HDB__S_CARD_DEL, SQL_CARD_DEL, job->in.user_id, what);
    for (size_t i = 0; rc == HDB_OK && i < job->in.n_contacts; i++) {
        const struct hdb_contact *c = &job->in.contacts[i];
        if (!c->name || !c->phone)
            return hdb__bad_input(what, !c->name ? "contact.name" : "contact.phone");
        sqlite3_stmt *s = hdb__prep(db, HDB__S_CARD_INSERT, SQL_CARD_INSERT);
        if (!s)
            return HDB_E_IO;
        sqlite3_bind_int64(s, 1, job->in.user_id);
        sqlite3_bind_int64(s, 2, (int64_t)i);
        sqlite3_bind_text(s, 3, c->name, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 4, c->phone, -1, SQLITE_STATIC);
        bind_text_or_null(s, 5, c->note);
        rc = hdb__exec(db, s, what);
    }
    return rc;
}

static int contact_from_row(sqlite3_stmt *s, void *elem)
{
    struct hdb_contact *c = elem;
    return hdb__col_str(s, 0, true, &c->name) != 0 || hdb__col_str(s, 1, true, &c->phone) != 0 ||
                   hdb__col_str(s, 2, false, &c->note) != 0
               ? -1
               : 0;
}

static int card_get(struct hdb *db, struct hdb_job *job, const char *what)
{
    sqlite3_stmt *s = hdb__prep(db, HDB__S_CARD_LIST, SQL_CARD_LIST);
    if (!s)
        return HDB_E_IO;
    sqlite3_bind_int64(s, 1, job->in.user_id);
    return hdb__read_rows(db, s, (void **)&job->out.contacts, &job->out.n_contacts,
                          sizeof *job->out.contacts, contact_from_row, what);
}

/* Positions count per kind, so lines and reasons each keep their order. */
static int plan_put(struct hdb *db, struct hdb_job *job, const char *what)
{
    if (!job->in.user_id)
        return hdb__bad_input(what, "user_id");
    if (job->in.n_plan_items && !job->in.plan_items)
        return hdb__bad_input(what, "plan_items");
    int rc = delete_all(db, HDB__S_PLAN_DEL, SQL_PLAN_DEL, job->in.user_id, what);
    int64_t pos[2] = {0, 0};
    for (size_t i = 0; rc == HDB_OK && i < job->in.n_plan_items; i++) {
        const struct hdb_plan_item *it = &job->in.plan_items[i];
        if (it->kind != KIND_LINE && it->kind != KIND_REASON)
            return hdb__bad_input(what, "plan_item.kind");
        if (!it->a || (it->kind == KIND_LINE && !it->b))
            return hdb__bad_input(what, !it->a ? "plan_item.a" : "plan_item.b");
        sqlite3_stmt *s = hdb__prep(db, HDB__S_PLAN_INSERT, SQL_PLAN_INSERT);
        if (!s)
            return HDB_E_IO;
        sqlite3_bind_int64(s, 1, job->in.user_id);
        sqlite3_bind_int(s, 2, it->kind);
        sqlite3_bind_int64(s, 3, pos[it->kind]++);
        sqlite3_bind_text(s, 4, it->a, -1, SQLITE_STATIC);
        bind_text_or_null(s, 5, it->kind == KIND_LINE ? it->b : NULL);
        rc = hdb__exec(db, s, what);
    }
    return rc;
}

static int item_from_row(sqlite3_stmt *s, void *elem)
{
    struct hdb_plan_item *it = elem;
    it->kind = sqlite3_column_int(s, 0);
    return hdb__col_str(s, 1, true, &it->a) != 0 ||
                   hdb__col_str(s, 2, it->kind == KIND_LINE, &it->b) != 0
               ? -1
               : 0;
}

static int plan_get(struct hdb *db, struct hdb_job *job, const char *what)
{
    sqlite3_stmt *s = hdb__prep(db, HDB__S_PLAN_LIST, SQL_PLAN_LIST);
    if (!s)
        return HDB_E_IO;
    sqlite3_bind_int64(s, 1, job->in.user_id);
    return hdb__read_rows(db, s, (void **)&job->out.plan_items, &job->out.n_plan_items,
                          sizeof *job->out.plan_items, item_from_row, what);
}

int hdb__op_plan(struct hdb *db, struct hdb_job *job)
{
    const char *what = hdb__op_name(job->op);
    switch (job->op) {
    case HDB_OP_CARD_PUT: return card_put(db, job, what);
    case HDB_OP_CARD_GET: return card_get(db, job, what);
    case HDB_OP_PLAN_PUT: return plan_put(db, job, what);
    case HDB_OP_PLAN_GET: return plan_get(db, job, what);
    default: break;
    }
    fprintf(stderr, "hdb: %s is not a card or plan op\n", what);
    return HDB_E_IO;
}
