/* The matching pool ("find me a buddy") and the proposals it made. The
 * pool is one row per waiting member; proposals are kept after they end,
 * because a declined pair must never be proposed again. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hdb_internal.h"

/* Joining again replaces the preferences but keeps joined_at: a member
 * keeps their place in the queue. */
static const char SQL_POOL_PUT[] =
    "INSERT INTO match_pool (user_id, joined_at, utc_offset, language, approach, clean_days,"
    " want_more) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
    " ON CONFLICT (user_id) DO UPDATE SET utc_offset = excluded.utc_offset,"
    " language = excluded.language, approach = excluded.approach,"
    " clean_days = excluded.clean_days, want_more = excluded.want_more";
static const char SQL_POOL_DEL[] = "DELETE FROM match_pool WHERE user_id = ?1";
static const char SQL_PROPOSAL_INSERT[] =
    "INSERT INTO match_proposals (user_a, user_b, created_at, expires_at) VALUES (?1, ?2, ?3, ?4)";
static const char SQL_PROPOSAL_UPDATE[] =
    "UPDATE match_proposals SET a_accepted = ?2, b_accepted = ?3, state = ?4 WHERE id = ?1";
static const char SQL_POOL_LOAD[] =
    "SELECT p.user_id, u.handle, p.joined_at, p.utc_offset, p.language, p.approach,"
    " p.clean_days, p.want_more FROM match_pool p JOIN users u ON u.id = p.user_id"
    " ORDER BY p.joined_at, p.user_id";
/* Open (0) and declined (2) ones: paired and lapsed proposals matter to
 * nobody any more. */
static const char SQL_PROPOSAL_LOAD[] =
    "SELECT p.id, p.user_a, a.handle, p.user_b, b.handle, p.created_at, p.expires_at,"
    " p.a_accepted, p.b_accepted, p.state FROM match_proposals p"
    " JOIN users a ON a.id = p.user_a JOIN users b ON b.id = p.user_b"
    " WHERE p.state IN (0, 2) ORDER BY p.id";

/* ---- writes (the writer thread, inside its transaction) ---- */

static int pool_set(struct hdb *db, struct hdb_job *job, const char *what)
{
    const struct hdb_match_prefs *m = &job->in.match;
    bool join = job->in.status == 1;
    if (!job->in.user_id)
        return hdb__bad_input(what, "user_id");
    if (join && !m->language)
        return hdb__bad_input(what, "match.language");
    sqlite3_stmt *s = join ? hdb__prep(db, HDB__S_POOL_PUT, SQL_POOL_PUT)
                           : hdb__prep(db, HDB__S_POOL_DEL, SQL_POOL_DEL);
    if (!s)
        return HDB_E_IO;
    sqlite3_bind_int64(s, 1, job->in.user_id);
    if (join) {
        sqlite3_bind_int64(s, 2, job->in.now);
        sqlite3_bind_int(s, 3, m->utc_offset_minutes);
        sqlite3_bind_text(s, 4, m->language, -1, SQLITE_STATIC);
        sqlite3_bind_int(s, 5, m->approach);
        if (m->clean_days >= 0)   /* else NULL: not said */
            sqlite3_bind_int(s, 6, m->clean_days);
        sqlite3_bind_int(s, 7, m->want_more_clean_time);
    }
    return hdb__exec(db, s, what);
}

static int proposal_new(struct hdb *db, struct hdb_job *job, const char *what)
{
    if (!job->in.user_id || !job->in.target_id || job->in.user_id == job->in.target_id)
        return hdb__bad_input(what, "target_id");
    sqlite3_stmt *s = hdb__prep(db, HDB__S_PROPOSAL_INSERT, SQL_PROPOSAL_INSERT);
    if (!s)
        return HDB_E_IO;
    sqlite3_bind_int64(s, 1, job->in.user_id);
    sqlite3_bind_int64(s, 2, job->in.target_id);
    sqlite3_bind_int64(s, 3, job->in.now);
    sqlite3_bind_int64(s, 4, job->in.expires_at);
    int rc = hdb__exec(db, s, what);
    if (rc == HDB_OK)
        job->out.id = sqlite3_last_insert_rowid(db->conn);
    return rc;
}

static int proposal_update(struct hdb *db, struct hdb_job *job, const char *what)
{
    sqlite3_stmt *s = hdb__prep(db, HDB__S_PROPOSAL_UPDATE, SQL_PROPOSAL_UPDATE);
    if (!s)
        return HDB_E_IO;
    sqlite3_bind_int64(s, 1, (int64_t)job->in.seq);
    sqlite3_bind_int(s, 2, job->in.proposal.a_accepted);
    sqlite3_bind_int(s, 3, job->in.proposal.b_accepted);
    sqlite3_bind_int(s, 4, job->in.proposal.state);
    int rc = hdb__exec(db, s, what);
    if (rc == HDB_OK && sqlite3_changes(db->conn) == 0)
        rc = HDB_E_NOT_FOUND;
    return rc;
}

int hdb__op_match(struct hdb *db, struct hdb_job *job)
{
    const char *what = hdb__op_name(job->op);
    switch (job->op) {
    case HDB_OP_MATCH_POOL_SET: return pool_set(db, job, what);
    case HDB_OP_MATCH_PROPOSAL:
        return job->in.seq ? proposal_update(db, job, what) : proposal_new(db, job, what);
    default: break;
    }
    fprintf(stderr, "hdb: %s is not a matching op\n", what);
    return HDB_E_IO;
}

/* ---- the startup load (synchronous) ---- */

struct pool_row {
    int64_t user_id, joined_at;
    char *handle, *language;
    struct hdb_match_prefs prefs;
};

struct proposal_row {
    struct hdb_proposal p;
    char *a_handle, *b_handle;
};

/* Rows are copied out under the lock and handed to the callbacks after it
 * is released (as in hdb_load.c), so a callback may call back into hdb. */
struct match_rows {
    struct pool_row *pool;
    size_t n_pool, cap_pool;
    struct proposal_row *props;
    size_t n_props, cap_props;
};

/* Room for one more element in *arr. 0, or -1 out of memory. */

static int pool_row(sqlite3_stmt *s, struct match_rows *r)
{
    if (hdb__grow((void **)&r->pool, &r->cap_pool, r->n_pool, sizeof *r->pool) != 0)
        return -1;
    struct pool_row *p = &r->pool[r->n_pool++];
    memset(p, 0, sizeof *p);
    p->user_id = sqlite3_column_int64(s, 0);
    p->joined_at = sqlite3_column_int64(s, 2);
    p->prefs.utc_offset_minutes = sqlite3_column_int(s, 3);
    p->prefs.approach = sqlite3_column_int(s, 5);
    p->prefs.clean_days = sqlite3_column_type(s, 6) == SQLITE_NULL ? -1 : sqlite3_column_int(s, 6);
    p->prefs.want_more_clean_time = sqlite3_column_int(s, 7) != 0;
    if (hdb__col_str(s, 1, true, &p->handle) != 0 || hdb__col_str(s, 4, true, &p->language) != 0)
        return -1;
    p->prefs.language = p->language;
    return 0;
}

static int proposal_row(sqlite3_stmt *s, struct match_rows *r)
{
    if (hdb__grow((void **)&r->props, &r->cap_props, r->n_props, sizeof *r->props) != 0)
        return -1;
    struct proposal_row *row = &r->props[r->n_props++];
    memset(row, 0, sizeof *row);
    struct hdb_proposal *p = &row->p;
    p->id = sqlite3_column_int64(s, 0);
    p->a_id = sqlite3_column_int64(s, 1);
    p->b_id = sqlite3_column_int64(s, 3);
    p->created_at = sqlite3_column_int64(s, 5);
    p->expires_at = sqlite3_column_int64(s, 6);
    p->a_accepted = sqlite3_column_int(s, 7) != 0;
    p->b_accepted = sqlite3_column_int(s, 8) != 0;
    p->state = sqlite3_column_int(s, 9);
    if (hdb__col_str(s, 2, true, &row->a_handle) != 0 ||
        hdb__col_str(s, 4, true, &row->b_handle) != 0)
        return -1;
    p->a_handle = row->a_handle;
    p->b_handle = row->b_handle;
    return 0;
}

/* Steps a prepared statement to its end, copying each row with `row`. */
static int read_all(struct hdb *db, enum hdb__sid id, const char *sql,
                    int (*row)(sqlite3_stmt *, struct match_rows *), struct match_rows *r,
                    const char *what)
{
    sqlite3_stmt *s = hdb__prep(db, id, sql);
    if (!s)
        return HDB_E_IO;
    int rc;
    while ((rc = hdb__step(db, s, what)) == SQLITE_ROW) {
        if (row(s, r) != 0) {
            sqlite3_reset(s);
            fprintf(stderr, "hdb: %s: out of memory\n", what);
            return HDB_E_IO;
        }
    }
    sqlite3_reset(s);
    return rc == SQLITE_DONE ? HDB_OK : HDB_E_IO;
}

static void rows_free(struct match_rows *r)
{
    for (size_t i = 0; i < r->n_pool; i++) {
        free(r->pool[i].handle);
        free(r->pool[i].language);
    }
    for (size_t i = 0; i < r->n_props; i++) {
        free(r->props[i].a_handle);
        free(r->props[i].b_handle);
    }
    free(r->pool);
    free(r->props);
}

int hdb_load_match(struct hdb *db, hdb_pool_cb pool, hdb_proposal_cb proposal, void *ud)
{
    const char *what = "load_match";
    struct match_rows r = {0};

    pthread_mutex_lock(&db->conn_mu);
    int rc = read_all(db, HDB__S_POOL_LOAD, SQL_POOL_LOAD, pool_row, &r, what);
    if (rc == HDB_OK)
        rc = read_all(db, HDB__S_PROPOSAL_LOAD, SQL_PROPOSAL_LOAD, proposal_row, &r, what);
    hdb__reset_busy(db);   /* no read snapshot may outlive the call */
    pthread_mutex_unlock(&db->conn_mu);

    for (size_t i = 0; rc == HDB_OK && pool && i < r.n_pool; i++)
        pool(r.pool[i].user_id, r.pool[i].handle, r.pool[i].joined_at, &r.pool[i].prefs, ud);
    for (size_t i = 0; rc == HDB_OK && proposal && i < r.n_props; i++)
        proposal(&r.props[i].p, ud);
    rows_free(&r);
    return rc;
}
