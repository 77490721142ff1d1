#include "admin.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hdb.h"
#include "hproto.h"
#include "pwhash.h"

static void usage(void)
{
    printf("Usage: hearthd admin [--data-dir DIR] COMMAND\n"
           "\n"
           "Operator commands on Hearth's database (default data dir ./var). They work while\n"
           "hearthd runs; a changed role applies from the user's next sign-in.\n"
           "\n"
           "Commands:\n"
           "  users                          list accounts with their roles\n"
           "  role HANDLE member|moderator|admin\n"
           "                                 give a user a server-wide role\n"
           "  invites on|off                 require an invite code to register (or not)\n"
           "  invite [--uses N] [--days D]   make a registration invite code (default: one use,\n"
           "                                 valid 7 days; --uses 0 = unlimited, --days 0 = forever)\n"
           "  support-stats [--days N]       how fast support requests were answered, per UTC day\n"
           "                                 (default the last 14 days): requests, answered, median\n"
           "                                 and worst wait\n");
}

static void print_user(const struct hdb_user *u, void *ud)
{
    (void)ud;
    printf("%-32s %s\n", u->handle, proto_role_name((enum proto_role)u->role));
}

static int cmd_role(struct hdb *db, int argc, char **argv)
{
    enum proto_role role;
    char handle[PROTO_HANDLE_MAX + 1];
    if (argc != 3 || !proto_role_parse(argv[2], &role)) {
        fprintf(stderr, "hearthd admin: use `role HANDLE member|moderator|admin`\n");
        return 2;
    }
    if (!proto_name_fold(argv[1], handle)) {
        fprintf(stderr, "hearthd admin: '%s' is not a valid handle\n", argv[1]);
        return 2;
    }
    int rc = hdb_user_set_role(db, handle, (int)role);
    if (rc == HDB_E_NOT_FOUND) {
        fprintf(stderr, "hearthd admin: there is no user '%s'\n", handle);
        return 1;
    }
    if (rc != HDB_OK) {
        fprintf(stderr, "hearthd admin: could not change the role (%s)\n", hdb_rc_name(rc));
        return 1;
    }
    printf("%s is now %s\n", handle, proto_role_name(role));
    return 0;
}

static int cmd_invites(struct hdb *db, int argc, char **argv)
{
    if (argc != 2 || (strcmp(argv[1], "on") && strcmp(argv[1], "off"))) {
        fprintf(stderr, "hearthd admin: use `invites on` or `invites off`\n");
        return 2;
    }
    bool on = !strcmp(argv[1], "on");
    if (hdb_setting_set_bool(db, "require_invite", on) != HDB_OK) {
        fprintf(stderr, "hearthd admin: could not save the setting\n");
        return 1;
    }
    printf("registration %s\n", on ? "now needs an invite code" : "is open to everyone");
    return 0;
}

static int64_t wall_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* "4 min 05 s", "12 s": waits read at a glance. */
static void fmt_wait(int64_t ms, char out[32])
{
    int64_t s = (ms + 500) / 1000;
    if (s < 60)
        snprintf(out, 32, "%lld s", (long long)s);
    else if (s < 3600)
        snprintf(out, 32, "%lld min %02lld s", (long long)(s / 60), (long long)(s % 60));
    else
        snprintf(out, 32, "%lld h %02lld min", (long long)(s / 3600), (long long)(s % 3600 / 60));
}

static int cmd_support_stats(struct hdb *db, int argc, char **argv)
{
    long days = 14;
    if (argc == 3 && !strcmp(argv[1], "--days"))
        days = strtol(argv[2], NULL, 10);
    else if (argc != 1)
        days = 0;
    if (days < 1 || days > 3650) {
        fprintf(stderr, "hearthd admin: use `support-stats [--days N]` (N from 1 to 3650)\n");
        return 2;
    }
    struct hdb_job *job = hdb_job_new(HDB_OP_SUPPORT_STATS, NULL, NULL);
    if (!job)
        return 1;
    const int64_t day_ms = 24LL * 3600 * 1000;
    job->in.now = wall_ms();
    job->in.after = (uint64_t)(job->in.now - job->in.now % day_ms - (days - 1) * day_ms);
    int rc = hdb_run_sync(db, job);
    if (rc != HDB_OK) {
        fprintf(stderr, "hearthd admin: could not read the requests (%s)\n", hdb_rc_name(rc));
        hdb_job_free(job);
        return 1;
    }
    if (job->out.n_days == 0)
        printf("No support requests in the last %ld day%s.\n", days, days == 1 ? "" : "s");
    else
        printf("%-10s  %8s  %8s  %14s  %14s\n", "day (UTC)", "requests", "answered", "median wait",
               "worst wait");
    for (size_t i = 0; i < job->out.n_days; i++) {
        const struct hdb_support_day *d = &job->out.days[i];
        char median[32], worst[32];
        fmt_wait(d->median_wait_ms, median);
        fmt_wait(d->worst_wait_ms, worst);
        printf("%-10s  %8u  %8u  %14s  %14s\n", d->day, d->requests, d->answered,
               d->answered ? median : "-", worst);
    }
    hdb_job_free(job);
    return 0;
}

static int cmd_invite(struct hdb *db, int argc, char **argv)
{
    long uses = 1, days = 7;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--uses") && i + 1 < argc)
            uses = strtol(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--days") && i + 1 < argc)
            days = strtol(argv[++i], NULL, 10);
        else {
            fprintf(stderr, "hearthd admin: use `invite [--uses N] [--days D]`\n");
            return 2;
        }
    }
    if (uses < 0 || uses > 1000000 || days < 0 || days > 3650) {
        fprintf(stderr, "hearthd admin: --uses is 0..1000000 and --days 0..3650\n");
        return 2;
    }
    char code[21];
    if (random_hex(code, 10) != 0)
        return 1;
    struct hdb_job *job = hdb_job_new(HDB_OP_INVITE_CREATE, NULL, NULL);
    if (!job)
        return 1;
    int64_t now = wall_ms();
    job->in.room_id = 0;
    job->in.invite = code;
    job->in.now = now;
    job->in.expires_at = days ? now + days * 24LL * 3600 * 1000 : 0;
    job->in.uses = (unsigned)uses;
    int rc = hdb_run_sync(db, job);
    hdb_job_free(job);
    if (rc != HDB_OK) {
        fprintf(stderr, "hearthd admin: could not store the invite (%s)\n", hdb_rc_name(rc));
        return 1;
    }
    printf("%s\n", code);
    return 0;
}

int admin_main(int argc, char **argv)
{
    const char *data_dir = "./var";
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (!strcmp(argv[i], "--data-dir") && i + 1 < argc) {
            data_dir = argv[++i];
        } else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
            usage();
            return 0;
        } else {
            fprintf(stderr, "hearthd admin: unknown option '%s'\n", argv[i]);
            return 2;
        }
    }
    if (i >= argc) {
        usage();
        return 2;
    }
    char path[1024], err[256];
    snprintf(path, sizeof path, "%s/hearth.db", data_dir);
    struct hdb_options opt = {.path = path};
    struct hdb *db;
    if (hdb_open(&opt, &db, err, sizeof err) != HDB_OK) {
        fprintf(stderr, "hearthd admin: %s\n", err);
        return 1;
    }
    int rc;
    const char *cmd = argv[i];
    if (!strcmp(cmd, "users"))
        rc = hdb_list_users(db, print_user, NULL) == HDB_OK ? 0 : 1;
    else if (!strcmp(cmd, "role"))
        rc = cmd_role(db, argc - i, argv + i);
    else if (!strcmp(cmd, "invites"))
        rc = cmd_invites(db, argc - i, argv + i);
    else if (!strcmp(cmd, "invite"))
        rc = cmd_invite(db, argc - i, argv + i);
    else if (!strcmp(cmd, "support-stats"))
        rc = cmd_support_stats(db, argc - i, argv + i);
    else {
        fprintf(stderr, "hearthd admin: unknown command '%s'\n", cmd);
        usage();
        rc = 2;
    }
    hdb_close(db);
    return rc;
}
