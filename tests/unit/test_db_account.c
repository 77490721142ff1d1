/*
 * Deleting an account at the storage layer: every personal row goes, and a
 * canary written into each kind of private text is nowhere in the database
 * file or its WAL afterwards. The operator's choice to keep room messages
 * anonymised moves them to a placeholder nobody can sign in as.
 */
#define DB_FIXTURE_TMPL "/tmp/hearth-db-account-XXXXXX"
#define DB_FIXTURE_OPEN
#include "db_fixture.h"

#define CANARY "CANARY-7f3e-deleted-account-words"

TestSuite(db_account, .init = db_fixture_open_setup, .fini = db_fixture_open_teardown);

static void run(struct hdb_job *job)
{
    cr_assert_eq(hdb_run_sync(db, job), HDB_OK, "%s", hdb_rc_name(job->out.rc));
    hdb_job_free(job);
}

/* A member's private life, each part with the canary in its words. */
static void fill(int64_t uid, int64_t other, int64_t room)
{
    struct hdb_job *j = hdb_job_new(HDB_OP_MESSAGE_APPEND, NULL, NULL);
    j->in.room_id = room, j->in.user_id = uid, j->in.text = CANARY " in a room", j->in.now = NOW;
    run(j);
    struct hdb_checkin c = {.day = "2026-11-23", .ts = NOW, .mood = 3, .craving = -1,
                            .signs = "isolating", .note = CANARY " in a note"};
    j = hdb_job_new(HDB_OP_CHECKIN_PUT, NULL, NULL);
    j->in.user_id = uid, j->in.checkin = &c;
    run(j);
    struct hdb_contact contact = {"Sam", "+1 555 0100", CANARY " on the card"};
    j = hdb_job_new(HDB_OP_CARD_PUT, NULL, NULL);
    j->in.user_id = uid, j->in.contacts = &contact, j->in.n_contacts = 1;
    run(j);
    struct hdb_plan_item line = {0, "I pass the bar", CANARY " in the plan"};
    j = hdb_job_new(HDB_OP_PLAN_PUT, NULL, NULL);
    j->in.user_id = uid, j->in.plan_items = &line, j->in.n_plan_items = 1;
    run(j);
    j = hdb_job_new(HDB_OP_PING_ADD, NULL, NULL);
    j->in.user_id = uid, j->in.target_id = other, j->in.status = 3, j->in.now = NOW;
    j->in.text = CANARY " in a ping";
    run(j);
    j = hdb_job_new(HDB_OP_SUPPORT_ADD, NULL, NULL);
    j->in.user_id = uid, j->in.status = 1, j->in.text = CANARY " in a support note";
    j->in.now = NOW;
    run(j);
}

/* How often the canary occurs in a file of the database (0 when absent). */
static int on_disk(const char *suffix)
{
    char p[160];
    snprintf(p, sizeof p, "%s%s", path, suffix);
    FILE *f = fopen(p, "rb");
    if (!f)
        return 0;
    size_t n = strlen(CANARY), len = 0, cap = 1 << 16, got;
    char *buf = malloc(cap);
    while ((got = fread(buf + len, 1, cap - len, f)) > 0)
        if ((len += got) == cap)
            buf = realloc(buf, cap *= 2);
    fclose(f);
    int count = 0;
    for (size_t i = 0; i + n <= len; i++)
        count += memcmp(buf + i, CANARY, n) == 0;
    free(buf);
    return count;
}

static void delete_account(int64_t uid, bool keep_messages)
{
    struct hdb_job *j = hdb_job_new(HDB_OP_ACCOUNT_DELETE, NULL, NULL);
    j->in.user_id = uid, j->in.meeting = keep_messages, j->in.now = NOW;
    run(j);
}

Test(db_account, every_personal_row_is_gone_from_the_disk)
{
    int64_t ann = mkuser(db, "ann"), bob = mkuser(db, "bob");
    int64_t room = mkroom(db, "lobby", ann, 0);
    fill(ann, bob, room);
    cr_assert_gt(on_disk("") + on_disk("-wal"), 0, "the canary was written");

    delete_account(ann, false);
    static const char *const tables[] = {"checkins", "card_contacts", "plan_items", "pings",
                                         "support_requests", "tokens", "room_members"};
    char sql[128];
    for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++) {
        snprintf(sql, sizeof sql, "SELECT count(*) FROM %s WHERE %s = ?1", tables[i],
                 !strcmp(tables[i], "pings") ? "from_id"
                 : !strcmp(tables[i], "support_requests") ? "requester_id" : "user_id");
        cr_expect_eq(q_int(sql, ann), 0, "%s", tables[i]);
    }
    cr_expect_eq(q_int("SELECT count(*) FROM users WHERE id = ?1", ann), 0);
    cr_expect_eq(q_int("SELECT count(*) FROM users WHERE handle = 'bob' AND id = ?1", bob), 1,
                 "nobody else is touched");
    hdb_close(db);
    db = NULL;
    cr_expect_eq(on_disk(""), 0, "nothing in the database file");
    cr_expect_eq(on_disk("-wal"), 0, "nothing in the WAL");
}

Test(db_account, room_messages_can_be_kept_anonymised)
{
    int64_t ann = mkuser(db, "ann"), bob = mkuser(db, "bob");
    int64_t room = mkroom(db, "lobby", bob, 0);
    fill(ann, bob, room);
    delete_account(ann, true);
    cr_expect_eq(q_int("SELECT count(*) FROM room_events e JOIN users u ON u.id = e.user_id"
                       " WHERE u.handle = '~former' AND e.kind = 0 AND e.room_id = ?1", room), 1,
                 "the room keeps what was said, by nobody in particular");
    cr_expect_eq(q_int("SELECT count(*) FROM checkins WHERE user_id = ?1", ann), 0);
    cr_expect_eq(q_int("SELECT count(*) FROM users WHERE id = ?1", ann), 0);
}
