/*
 * Clean time in the database: periods (a new start, stopping, a
 * correction to an earlier start, starting again on a past period's day),
 * the list order, milestones told once, and the startup load.
 */
#include <criterion/criterion.h>
#include <stdio.h>

#include "hdb_internal.h"

#define DB_FIXTURE_TMPL "/tmp/hdb_sob.XXXXXX"
#define DB_FIXTURE_OPEN
#include "db_fixture.h"

TestSuite(db_sobriety, .init = db_fixture_open_setup, .fini = db_fixture_open_teardown);

/* Runs SOBRIETY_SET (or GET when both are NULL) and checks the periods it
 * returns against `want`: "from..to" each, "from.." for the current one. */
static void set(int64_t uid, const char *from, const char *to, const char *const *want, size_t n)
{
    struct hdb_job *j = hdb_job_new(from || to ? HDB_OP_SOBRIETY_SET : HDB_OP_SOBRIETY_GET,
                                    NULL, NULL);
    j->in.user_id = uid;
    j->in.day_from = from;
    j->in.day_to = to;
    cr_assert_eq(hdb_run_sync(db, j), HDB_OK);
    cr_assert_eq(j->out.n_periods, n, "%zu periods, not %zu", n, j->out.n_periods);
    for (size_t i = 0; i < n; i++) {
        char got[32];
        snprintf(got, sizeof got, "%s..%s", j->out.periods[i].from, j->out.periods[i].to);
        cr_assert_str_eq(got, want[i], "period %zu", i);
    }
    hdb_job_free(j);
}

static void told(int64_t uid, const char *from, const char *key)
{
    struct hdb_job *j = hdb_job_new(HDB_OP_MILESTONE_TOLD, NULL, NULL);
    j->in.user_id = uid;
    j->in.day_from = from;
    j->in.text = key;
    j->in.now = NOW;
    cr_assert_eq(hdb_run_sync(db, j), HDB_OK);
    hdb_job_free(j);
}

Test(db_sobriety, periods)
{
    int64_t ann = mkuser(db, "ann");
    set(ann, NULL, NULL, NULL, 0);
    const char *first[] = {"2024-01-10.."};
    set(ann, "2024-01-10", "2024-01-09", first, 1);   /* no current yet: nothing ends */
    const char *relapse[] = {"2024-03-01..", "2024-01-10..2024-02-29"};
    set(ann, "2024-03-01", "2024-02-29", relapse, 2);
    /* An earlier start corrects the current one: nothing goes to history. */
    const char *corrected[] = {"2024-02-20..", "2024-01-10..2024-02-29"};
    set(ann, "2024-02-20", "2024-02-19", corrected, 2);
    const char *stopped[] = {"2024-02-20..2024-05-01", "2024-01-10..2024-02-29"};
    set(ann, NULL, "2024-05-01", stopped, 2);
    /* Starting on the day a past period began reopens it. */
    const char *reopened[] = {"2024-01-10..", "2024-02-20..2024-05-01"};
    set(ann, "2024-01-10", "2024-01-09", reopened, 2);
    /* A stale "ends" never puts an end before a start. */
    const char *clamped[] = {"2024-06-01..", "2024-02-20..2024-05-01", "2024-01-10..2024-01-10"};
    set(ann, "2024-06-01", "2023-12-31", clamped, 3);
    int64_t bob = mkuser(db, "bob");
    set(bob, NULL, NULL, NULL, 0);   /* one member's periods are theirs alone */
}

struct loaded {
    int calls;
    char handle[16], from[11], keys[64];
};

static void on_load(int64_t user_id, const char *handle, const char *from_day,
                    const char *const *keys, size_t n, void *ud)
{
    (void)user_id;
    struct loaded *l = ud;
    l->calls++;
    snprintf(l->handle, sizeof l->handle, "%s", handle);
    snprintf(l->from, sizeof l->from, "%s", from_day);
    for (size_t i = 0; i < n; i++) {
        strcat(l->keys, keys[i]);
        strcat(l->keys, " ");
    }
}

Test(db_sobriety, told_once_and_loaded_with_the_current_period)
{
    int64_t ann = mkuser(db, "ann"), bob = mkuser(db, "bob");
    const char *one[] = {"2024-01-10.."};
    set(ann, "2024-01-10", "2024-01-09", one, 1);
    told(ann, "2024-01-10", "1d");
    told(ann, "2024-01-10", "7d");
    told(ann, "2024-01-10", "7d");   /* twice is once */
    cr_assert_eq(q_int("SELECT count(*) FROM milestones_told WHERE user_id = ?1", ann), 2);
    const char *two[] = {"2024-03-01..", "2024-01-10..2024-02-29"};
    set(ann, "2024-03-01", "2024-02-29", two, 2);
    told(ann, "2024-03-01", "1d");
    const char *none[] = {"2024-01-01..2024-01-01"};
    set(bob, "2024-01-01", "2023-12-31", (const char *[]){"2024-01-01.."}, 1);
    set(bob, NULL, "2024-01-01", none, 1);   /* bob is not counting: not loaded */

    struct loaded l = {0};
    cr_assert_eq(hdb_load_sobriety(db, on_load, &l), HDB_OK);
    cr_assert_eq(l.calls, 1);
    cr_assert_str_eq(l.handle, "ann");
    cr_assert_str_eq(l.from, "2024-03-01");
    cr_assert_str_eq(l.keys, "1d ", "only the current period's: %s", l.keys);
}
