/*
 * The terminal client's schedule, coming-meeting and invite parts that
 * need no server (client/term/schedule.c): what /schedule add and /invite
 * take, slot lines, coming meetings in the reader's own time (under TZ
 * rules set by each test, across daylight-saving changes), the local time
 * zone's name, invite lines, and `hearth meetings` / `hearth invite` on
 * the command line. The sources are compiled in here.
 */
#include <criterion/criterion.h>
#include <criterion/redirect.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../client/term/buddies.c"
#include "../../client/term/checkin.c"
#include "../../client/term/cmdline.c"
#include "../../client/term/meeting.c"
#include "../../client/term/mod.c"
#include "../../client/term/oneshot_args.c"
#include "../../client/term/safety.c"
#include "../../client/term/support.c"
#include "../../client/term/schedule.c"
#include "../../client/term/text.c"

#define EN_DASH "\xE2\x80\x93"
#define MON (1u << PROTO_MON)
#define TUE (1u << PROTO_TUE)
#define WED (1u << PROTO_WED)
#define FRI (1u << PROTO_FRI)
#define SAT (1u << PROTO_SAT)
#define SUN (1u << PROTO_SUN)

/* ---------------------------------------------------------------- days */

static uint8_t days_of(const char *s)
{
    uint8_t d = 0;
    cr_assert(sch_parse_days(s, &d), "refused '%s'", s);
    return d;
}

Test(client_schedule, days_lists_and_ranges)
{
    cr_assert_eq(days_of("mon,wed"), MON | WED);
    cr_assert_eq(days_of("Mon,WED"), MON | WED, "any case");
    cr_assert_eq(days_of("monday,wednesday"), MON | WED, "full names");
    cr_assert_eq(days_of("wed,mon,wed"), MON | WED, "order and repeats do not matter");
    cr_assert_eq(days_of("mon-fri"), SCH_WEEKDAYS);
    cr_assert_eq(days_of("tue-tue"), TUE);
    cr_assert_eq(days_of("fri-mon"), FRI | SAT | SUN | MON, "a range may wrap past Sunday");
    cr_assert_eq(days_of("mon-wed,fri"), MON | TUE | WED | FRI);
    cr_assert_eq(days_of("sun"), SUN);
}

Test(client_schedule, days_words)
{
    cr_assert_eq(days_of("daily"), SCH_ALL_DAYS);
    cr_assert_eq(days_of("weekdays"), SCH_WEEKDAYS);
    cr_assert_eq(days_of("weekends"), SAT | SUN);
    cr_assert_eq(days_of("Weekend"), SAT | SUN);
    cr_assert_eq(days_of("weekends,wed"), SAT | SUN | WED);
}

Test(client_schedule, days_bad_input)
{
    const char *bad[] = {"",        ",",      "mon,",    ",mon",   "mon,,wed", "mo",
                         "mond",    "funday", "mon-",    "-fri",   "mon-fri-sat", "mon wed",
                         "mon;wed", "1",      "weekday", "mon-xyz", "daily-fri"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        uint8_t d = 0x55;
        cr_assert_not(sch_parse_days(bad[i], &d), "accepted '%s'", bad[i]);
        cr_assert_eq(d, 0x55, "a refused list leaves the value alone");
    }
    uint8_t d;
    cr_assert_not(sch_parse_days(NULL, &d));
}

/* --------------------------------------------------------------- clock */

Test(client_schedule, clock)
{
    uint16_t m = 0;
    cr_assert(sch_parse_clock("19:00", &m) && m == 19 * 60);
    cr_assert(sch_parse_clock("7:30", &m) && m == 7 * 60 + 30);
    cr_assert(sch_parse_clock("07:05", &m) && m == 7 * 60 + 5);
    cr_assert(sch_parse_clock("0:00", &m) && m == 0);
    cr_assert(sch_parse_clock("23:59", &m) && m == 1439);
    const char *bad[] = {"24:00", "19:60", "19", "1900", "19:0", "19:000", ":30", "123:00",
                         "7pm", "19.30", " 19:00", "19:00 ", "-1:00", "", "ab:cd"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        m = 77;
        cr_assert_not(sch_parse_clock(bad[i], &m), "accepted '%s'", bad[i]);
        cr_assert_eq(m, 77);
    }
    cr_assert_not(sch_parse_clock(NULL, &m));
}

/* ---------------------------------------------------------- /schedule add */

static enum sch_parse slot_of(const char *line, struct proto_slot *out)
{
    struct cmd_args a;
    cr_assert_eq(cmd_split(line, &a), 0);
    static char tz[SCH_ZONE];   /* outlives a: out->tz may point here */
    enum sch_parse rc = sch_parse_slot(a.argc, a.argv, "Europe/Berlin", out);
    if (rc == SCH_OK) {
        snprintf(tz, sizeof tz, "%s", out->tz);
        out->tz = tz;
    }
    cmd_args_free(&a);
    return rc;
}

Test(client_schedule, slot_words)
{
    struct proto_slot s;
    cr_assert_eq(slot_of("mon,wed 19:00 60 America/New_York", &s), SCH_OK);
    cr_assert_eq(s.days, MON | WED);
    cr_assert_eq(s.start_minute, 19 * 60);
    cr_assert_eq(s.minutes, 60);
    cr_assert_str_eq(s.tz, "America/New_York");

    cr_assert_eq(slot_of("weekdays 7:30 15", &s), SCH_OK);
    cr_assert_str_eq(s.tz, "Europe/Berlin", "the zone given when none is typed");
    cr_assert_eq(s.start_minute, 450);

    cr_assert_eq(slot_of("sat 10:00 5 Etc/GMT+5", &s), SCH_OK, "the shortest meeting");
    cr_assert_eq(slot_of("sat 10:00 720 UTC", &s), SCH_OK, "the longest");
}

Test(client_schedule, slot_errors_name_the_part)
{
    struct proto_slot s;
    cr_assert_eq(slot_of("mon,wed 19:00", &s), SCH_USAGE);
    cr_assert_eq(slot_of("mon 19:00 60 UTC extra", &s), SCH_USAGE);
    cr_assert_eq(slot_of("", &s), SCH_USAGE);
    cr_assert_eq(slot_of("someday 19:00 60", &s), SCH_BAD_DAYS);
    cr_assert_eq(slot_of("mon 25:00 60", &s), SCH_BAD_TIME);
    cr_assert_eq(slot_of("mon 19:00 4", &s), SCH_BAD_LENGTH);
    cr_assert_eq(slot_of("mon 19:00 721", &s), SCH_BAD_LENGTH);
    cr_assert_eq(slot_of("mon 19:00 1h", &s), SCH_BAD_LENGTH);
    cr_assert_eq(slot_of("mon 19:00 60 New\\ York", &s), SCH_BAD_ZONE);
    cr_assert_eq(slot_of("mon 19:00 60 /etc/localtime", &s), SCH_BAD_ZONE);
    cr_assert_eq(slot_of("mon 19:00 60 ../../etc/passwd", &s), SCH_BAD_ZONE);
    cr_assert_str_eq(sch_parse_error(SCH_BAD_DAYS),
                     "Days look like mon,wed or mon-fri (or daily, weekdays, weekends).");
    cr_assert(strstr(sch_parse_error(SCH_BAD_TIME), "19:00") != NULL);
    cr_assert(strstr(sch_parse_error(SCH_BAD_LENGTH), "5 to 720") != NULL);
    cr_assert(strstr(sch_parse_error(SCH_BAD_ZONE), "America/New_York") != NULL);
    cr_assert(strstr(sch_parse_error(SCH_USAGE), "/schedule add DAYS HH:MM MINUTES [TZ]") != NULL);
}

Test(client_schedule, zone_names)
{
    cr_assert(sch_zone_name_ok("America/New_York"));
    cr_assert(sch_zone_name_ok("America/Argentina/Buenos_Aires"));
    cr_assert(sch_zone_name_ok("Etc/GMT-14"));
    cr_assert(sch_zone_name_ok("UTC"));
    char longest[PROTO_TZ_MAX + 2];
    memset(longest, 'a', sizeof longest);
    longest[PROTO_TZ_MAX] = '\0';
    cr_assert(sch_zone_name_ok(longest));
    longest[PROTO_TZ_MAX] = 'a';
    longest[PROTO_TZ_MAX + 1] = '\0';
    cr_assert_not(sch_zone_name_ok(longest), "one byte too long");
    const char *bad[] = {"", "/UTC", "Europe/Paris ", "Europe.Paris", "Europe\\Paris", "Zürich",
                         "EST5EDT,M3.2.0,M11.1.0"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        cr_assert_not(sch_zone_name_ok(bad[i]), "accepted '%s'", bad[i]);
    cr_assert_not(sch_zone_name_ok(NULL));
}

/* ------------------------------------------------------------- /invite */

static bool invite_of(const char *line, const char **room, unsigned long *hours,
                      unsigned long *uses, struct cmd_args *a)
{
    cr_assert_eq(cmd_split(line, a), 0);
    return sch_parse_invite(a->argc, a->argv, room, hours, uses);
}

Test(client_schedule, invite_words)
{
    struct cmd_args a;
    const char *room;
    unsigned long hours, uses;
    cr_assert(invite_of("", &room, &hours, &uses, &a));
    cr_assert(room == NULL && hours == 168 && uses == 0, "a week, any number of joins");
    cmd_args_free(&a);
    cr_assert(invite_of("24", &room, &hours, &uses, &a));
    cr_assert(room == NULL && hours == 24 && uses == 0);
    cmd_args_free(&a);
    cr_assert(invite_of("720 1000", &room, &hours, &uses, &a));
    cr_assert(room == NULL && hours == 720 && uses == 1000);
    cmd_args_free(&a);
    cr_assert(invite_of("porch", &room, &hours, &uses, &a));
    cr_assert(room && !strcmp(room, "porch") && hours == 168);
    cmd_args_free(&a);
    cr_assert(invite_of("#123 2 1", &room, &hours, &uses, &a), "a room of digits, with #");
    cr_assert(room && !strcmp(room, "#123") && hours == 2 && uses == 1);
    cmd_args_free(&a);

    /* a word that is not a number is taken for the room: the room's name
     * is checked where it is used */
    cr_assert(invite_of("-1", &room, &hours, &uses, &a));
    cr_assert(room && !strcmp(room, "-1"));
    cmd_args_free(&a);
    cr_assert(invite_of("12steps 24", &room, &hours, &uses, &a));
    cr_assert(room && !strcmp(room, "12steps") && hours == 24);
    cmd_args_free(&a);

    const char *bad[] = {"0", "721", "24 0", "24 1001", "24 5 5", "porch 24 5 5", "porch x",
                         "porch porch", "24 porch"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        cr_assert_not(invite_of(bad[i], &room, &hours, &uses, &a), "accepted '%s'", bad[i]);
        cmd_args_free(&a);
    }
}

/* ----------------------------------------------------------- slot lines */

static void check_slot(size_t number, struct proto_slot s, bool utf8, const char *want)
{
    char *got = sch_slot_line(number, &s, utf8);
    cr_assert_str_eq(got ? got : "(null)", want);
    free(got);
}

Test(client_schedule, slot_lines)
{
    struct proto_slot s = {.days = MON | WED, .start_minute = 19 * 60, .minutes = 60,
                           .tz = "America/New_York"};
    check_slot(1, s, true, "1. Mon, Wed 19:00" EN_DASH "20:00 America/New_York (60 min)");
    check_slot(1, s, false, "1. Mon, Wed 19:00-20:00 America/New_York (60 min)");
    check_slot(0, s, false, "Mon, Wed 19:00-20:00 America/New_York (60 min)");
    s.days = SCH_WEEKDAYS;
    s.start_minute = 7 * 60 + 30;
    s.minutes = 15;
    check_slot(2, s, true, "2. Mon" EN_DASH "Fri 07:30" EN_DASH "07:45 America/New_York (15 min)");
    s.days = SCH_ALL_DAYS;
    check_slot(3, s, false, "3. Every day 07:30-07:45 America/New_York (15 min)");
    s.days = SAT | SUN | MON | WED | (1u << PROTO_THU) | FRI;   /* a run, then two apart */
    check_slot(4, s, false, "4. Mon, Wed-Sun 07:30-07:45 America/New_York (15 min)");
    s.days = SAT | SUN;
    check_slot(5, s, false, "5. Sat, Sun 07:30-07:45 America/New_York (15 min)");
    /* past midnight: the end is on the next day's clock */
    s.days = FRI;
    s.start_minute = 23 * 60 + 30;
    s.minutes = 90;
    s.tz = "Europe/Berlin";
    check_slot(6, s, false, "6. Fri 23:30-01:00 Europe/Berlin (90 min)");
    /* what the server sends is made safe for the terminal */
    s.tz = "Evil\x1b[2J/Zone";
    check_slot(7, s, false, "7. Fri 23:30-01:00 Evil??2J/Zone (90 min)");
}

Test(client_schedule, schedule_text)
{
    struct proto_slot s[2] = {
        {.days = MON | WED, .start_minute = 19 * 60, .minutes = 60, .tz = "America/New_York"},
        {.days = SAT, .start_minute = 10 * 60, .minutes = 90, .tz = "Europe/London"},
    };
    char *t = sch_schedule_text("porch", s, 2, false);
    cr_assert_str_eq(t, "Weekly meetings of #porch (each in its own time zone):\n"
                        "  1. Mon, Wed 19:00-20:00 America/New_York (60 min)\n"
                        "  2. Sat 10:00-11:30 Europe/London (90 min)");
    free(t);
    t = sch_schedule_text("porch", NULL, 0, false);
    cr_assert_str_eq(t, "#porch has no weekly meetings scheduled.");
    free(t);
}

/* ----------------------------------------------------- coming meetings */

static char *saved_tz;
static bool had_tz;

static void tz_save(void)
{
    const char *tz = getenv("TZ");
    had_tz = tz != NULL;
    saved_tz = tz ? strdup(tz) : NULL;
}

static void tz_restore(void)
{
    if (had_tz)
        setenv("TZ", saved_tz, 1);
    else
        unsetenv("TZ");
    tzset();
    free(saved_tz);
    saved_tz = NULL;
}

static void use_tz(const char *tz)
{
    cr_assert_eq(setenv("TZ", tz, 1), 0);
    tzset();
}

#define HOUR_MS 3600000LL
#define NOV_23_19H_NY 1795478400000LL   /* Mon 2026-11-23 19:00 in New York (EST) */
#define OCT_26_19H_NY 1793055600000LL   /* Mon 2026-10-26 19:00 in New York (EDT) */
#define NOV_02_19H_NY 1793664000000LL   /* Mon 2026-11-02 19:00 in New York (EST) */

static void check_upcoming(struct proto_upcoming u, int width, int64_t now, const char *want)
{
    char *got = sch_upcoming_line(&u, width, now, true);
    cr_assert_str_eq(got ? got : "(null)", want);
    free(got);
}

Test(client_schedule, upcoming_line_states, .init = tz_save, .fini = tz_restore)
{
    use_tz("America/New_York");
    struct proto_upcoming u = {.room = "evening-circle", .title = "Evening circle",
                               .starts_at = NOV_23_19H_NY, .ends_at = NOV_23_19H_NY + HOUR_MS,
                               .tz = "America/New_York"};
    const char *line = "Mon 23 Nov 19:00" EN_DASH "20:00  evening-circle  Evening circle";
    char want[160];
    check_upcoming(u, 0, NOV_23_19H_NY - 1, line);
    snprintf(want, sizeof want, "%s  (running)", line);
    check_upcoming(u, 0, NOV_23_19H_NY, want);
    check_upcoming(u, 0, NOV_23_19H_NY + HOUR_MS - 1, want);
    check_upcoming(u, 0, NOV_23_19H_NY + HOUR_MS, line);
    u.open = true;
    snprintf(want, sizeof want, "%s  (open now)", line);
    check_upcoming(u, 0, NOV_23_19H_NY - 10 * 60000, want);
    check_upcoming(u, 0, NOV_23_19H_NY + 30 * 60000, want);
}

Test(client_schedule, upcoming_line_column_and_safety, .init = tz_save, .fini = tz_restore)
{
    use_tz("America/New_York");
    struct proto_upcoming u = {.room = "porch", .title = "Morning\nreadings\x1b[2J",
                               .starts_at = NOV_23_19H_NY, .ends_at = NOV_23_19H_NY + HOUR_MS};
    check_upcoming(u, 8, 0, "Mon 23 Nov 19:00" EN_DASH "20:00  porch     Morning readings"
                            "\xEF\xBF\xBD[2J");
    u.title = "";
    check_upcoming(u, 8, 0, "Mon 23 Nov 19:00" EN_DASH "20:00  porch");   /* no padding after */
    u.room = "po\x1brch";
    check_upcoming(u, 8, 0, "Mon 23 Nov 19:00" EN_DASH "20:00  po?rch");
}

/* A New York meeting at 19:00 each Monday, on both sides of the end of
 * daylight saving time there (1 November 2026): an hour apart in UTC. */
static struct proto_upcoming weekly(int64_t starts_at)
{
    return (struct proto_upcoming){.room = "porch", .title = "Porch", .starts_at = starts_at,
                                   .ends_at = starts_at + HOUR_MS, .tz = "America/New_York"};
}

Test(client_schedule, upcoming_across_dst_in_new_york, .init = tz_save, .fini = tz_restore)
{
    cr_assert_eq(NOV_02_19H_NY - OCT_26_19H_NY, 7 * 24 * HOUR_MS + HOUR_MS);
    use_tz("America/New_York");
    check_upcoming(weekly(OCT_26_19H_NY), 0, 0, "Mon 26 Oct 19:00" EN_DASH "20:00  porch  Porch");
    check_upcoming(weekly(NOV_02_19H_NY), 0, 0, "Mon 2 Nov 19:00" EN_DASH "20:00  porch  Porch");
}

Test(client_schedule, upcoming_across_dst_seen_from_berlin, .init = tz_save, .fini = tz_restore)
{
    /* Europe changed on 25 October, a week before New York: that week the
     * meeting is at midnight in Berlin, otherwise at one. */
    use_tz("Europe/Berlin");
    check_upcoming(weekly(OCT_26_19H_NY), 0, 0, "Tue 27 Oct 00:00" EN_DASH "01:00  porch  Porch");
    check_upcoming(weekly(NOV_02_19H_NY), 0, 0, "Tue 3 Nov 01:00" EN_DASH "02:00  porch  Porch");
    /* and with POSIX rules instead of a zone file */
    use_tz("CET-1CEST,M3.5.0,M10.5.0/3");
    check_upcoming(weekly(OCT_26_19H_NY), 0, 0, "Tue 27 Oct 00:00" EN_DASH "01:00  porch  Porch");
}

Test(client_schedule, upcoming_text, .init = tz_save, .fini = tz_restore)
{
    use_tz("America/New_York");
    struct proto_upcoming u[2] = {
        {.room = "evening-circle", .title = "Evening circle", .starts_at = NOV_23_19H_NY,
         .ends_at = NOV_23_19H_NY + HOUR_MS, .open = true},
        {.room = "porch", .title = "Porch", .starts_at = NOV_23_19H_NY + 24 * HOUR_MS,
         .ends_at = NOV_23_19H_NY + 25 * HOUR_MS},
    };
    char *t = sch_upcoming_text(u, 2, 7, "America/New_York", NOV_23_19H_NY, false);
    cr_assert_str_eq(t, "Upcoming meetings (your time, America/New_York):\n"
                        "  Mon 23 Nov 19:00-20:00  evening-circle  Evening circle  (open now)\n"
                        "  Tue 24 Nov 19:00-20:00  porch           Porch");
    free(t);
    t = sch_upcoming_text(NULL, 0, 7, "America/New_York", 0, false);
    cr_assert_str_eq(t, "No meetings scheduled in the next 7 days.");
    free(t);
    t = sch_upcoming_text(NULL, 0, 1, "UTC", 0, false);
    cr_assert_str_eq(t, "No meetings scheduled in the next 1 day.");
    free(t);
}

/* -------------------------------------------------------- the local zone */

static char zdir[] = "/tmp/hearth-zoneinfo-XXXXXX";

static void touch(const char *rel)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", zdir, rel);
    for (char *p = path + strlen(zdir) + 1; *p; p++) {
        if (*p == '/') {
            *p = '\0';
            mkdir(path, 0700);
            *p = '/';
        }
    }
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f, "%s", path);
    fclose(f);
}

/* A zoneinfo directory of our own, so the test does not depend on tzdata. */
static void zones_make(void)
{
    cr_assert_not_null(mkdtemp(zdir));
    touch("UTC");
    touch("Europe/Paris");
    touch("America/New_York");
    touch("EST5EDT");
}

static void zones_remove(void)
{
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", zdir);
    cr_assert_eq(system(cmd), 0);
}

static const char *zone(const char *tz, const char *link)
{
    static char out[SCH_ZONE];
    memset(out, 'x', sizeof out);
    sch_zone_from(tz, link, zdir, out);
    return out;
}

Test(client_schedule, local_zone_from_tz, .init = zones_make, .fini = zones_remove)
{
    const char *link = "/usr/share/zoneinfo/America/New_York";
    cr_assert_str_eq(zone("Europe/Paris", link), "Europe/Paris");
    cr_assert_str_eq(zone(":Europe/Paris", link), "Europe/Paris", "POSIX: ':' then a name");
    cr_assert_str_eq(zone("/usr/share/zoneinfo/Europe/Paris", link), "Europe/Paris");
    cr_assert_str_eq(zone(":/usr/share/zoneinfo/posix/Europe/Paris", link), "Europe/Paris");
    cr_assert_str_eq(zone("EST5EDT", link), "EST5EDT", "a zone file of that name");
    cr_assert_str_eq(zone("UTC", link), "UTC");
}

Test(client_schedule, local_zone_falls_back, .init = zones_make, .fini = zones_remove)
{
    const char *link = "/usr/share/zoneinfo/America/New_York";
    /* TZ that names no zone: the link */
    cr_assert_str_eq(zone(NULL, link), "America/New_York");
    cr_assert_str_eq(zone("", link), "America/New_York");
    cr_assert_str_eq(zone("EST5EDT,M3.2.0,M11.1.0", link), "America/New_York", "POSIX rules");
    cr_assert_str_eq(zone("UTC0", link), "America/New_York");
    cr_assert_str_eq(zone("Mars/Olympus_Mons", link), "America/New_York", "not installed");
    cr_assert_str_eq(zone("Europe", link), "America/New_York", "a directory is no zone");
    cr_assert_str_eq(zone("../../etc/passwd", link), "America/New_York");
    cr_assert_str_eq(zone(":/etc/localtime", link), "America/New_York");
    /* links as systems make them */
    cr_assert_str_eq(zone(NULL, "../usr/share/zoneinfo/Europe/Paris"), "Europe/Paris");
    cr_assert_str_eq(zone(NULL, "/usr/share/zoneinfo/right/Europe/Paris"), "Europe/Paris");
    /* nothing usable: UTC */
    cr_assert_str_eq(zone(NULL, NULL), "UTC");
    cr_assert_str_eq(zone("garbage", "/etc/somewhere/else"), "UTC");
    cr_assert_str_eq(zone(NULL, "/usr/share/zoneinfo/Mars/Olympus_Mons"), "UTC");
}

Test(client_schedule, local_zone_reads_tz, .init = tz_save, .fini = tz_restore)
{
    /* the real thing: TZ wins when it names an installed zone, and
     * whatever the machine, the answer is a zone name */
    char out[SCH_ZONE];
    use_tz("EST5EDT,M3.2.0,M11.1.0");
    sch_local_zone(out);
    cr_assert(sch_zone_name_ok(out), "'%s'", out);
    if (access("/usr/share/zoneinfo/Asia/Tokyo", R_OK) == 0 && !getenv("TZDIR")) {
        use_tz("Asia/Tokyo");
        sch_local_zone(out);
        cr_assert_str_eq(out, "Asia/Tokyo");
    }
}

/* ------------------------------------------------------------- invites */

#define NOV_30_14H_NY 1796065200000LL   /* Mon 2026-11-30 14:00 in New York */

Test(client_schedule, invite_sentences, .init = tz_save, .fini = tz_restore)
{
    use_tz("America/New_York");
    int64_t now = NOV_23_19H_NY;
    char *t = sch_invite_made_text("porch", "k3J9-aa", NOV_30_14H_NY, 5, now);
    cr_assert_str_eq(t, "Invite code for #porch: k3J9-aa (works until Nov 30 14:00, for 5 joins).");
    free(t);
    t = sch_invite_made_text("porch", "k3J9-aa", now + 2 * HOUR_MS, 1, now);
    cr_assert_str_eq(t, "Invite code for #porch: k3J9-aa (works until 21:00, for 1 join).");
    free(t);
    t = sch_invite_made_text("porch", "k3\x1b[2J", 0, 0, now);
    cr_assert_str_eq(t, "Invite code for #porch: k3\xEF\xBF\xBD[2J (never expires, for any number "
                        "of joins).");
    free(t);

    struct proto_invite inv[2] = {
        {.code = "k3J9-aa", .created_by = "ann", .expires_at = NOV_30_14H_NY, .uses_left = 3},
        {.code = "Zz90-bb", .created_by = NULL, .expires_at = 0, .uses_left = -1},
    };
    t = sch_invites_text("porch", inv, 2, now);
    cr_assert_str_eq(t, "Invite codes of #porch that still work, newest first:\n"
                        "  k3J9-aa  by ann  until Nov 30 14:00  3 joins left\n"
                        "  Zz90-bb  by a deleted account  never expires  any number of joins");
    free(t);
    inv[0].uses_left = 1;
    t = sch_invite_line(&inv[0], now);
    cr_assert_str_eq(t, "k3J9-aa  by ann  until Nov 30 14:00  1 join left");
    free(t);
    t = sch_invites_text("porch", NULL, 0, now);
    cr_assert_str_eq(t, "#porch has no invite codes that still work.");
    free(t);
}

/* ------------------------------------------------- the one-shot commands */

static int parse(struct os *s, int argc, const char **argv)
{
    memset(s, 0, sizeof *s);
    return oneshot_parse(s, argc, (char **)argv);
}

Test(client_schedule, oneshot_meetings)
{
    struct os s;
    struct proto_request q;
    cr_assert(oneshot_known("meetings"));
    const char *a1[] = {"meetings"};
    cr_assert_eq(parse(&s, 1, a1), 0);
    memset(&q, 0, sizeof q);
    cr_assert(oneshot_fill_request(&s, &q));
    cr_assert_eq(q.type, PROTO_REQ_MEETING_UPCOMING);
    cr_assert_null(q.u.upcoming.room, "every room the caller may see");
    cr_assert_eq(q.u.upcoming.days, 7);
    cr_assert_eq(q.u.upcoming.limit, PROTO_UPCOMING_MAX);

    const char *a2[] = {"meetings", "--days", "14"};
    cr_assert_eq(parse(&s, 3, a2), 0);
    memset(&q, 0, sizeof q);
    cr_assert(oneshot_fill_request(&s, &q));
    cr_assert_eq(q.u.upcoming.days, 14);
}

Test(client_schedule, oneshot_meetings_usage, .init = cr_redirect_stderr)
{
    struct os s;
    const char *bad[][3] = {
        {"meetings", "--days", "15"}, {"meetings", "--days", "0"}, {"meetings", "--days", "x"},
        {"meetings", "porch", NULL},  {"meetings", "--hours", "2"}, {"meetings", "--days", NULL},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        cr_assert_eq(parse(&s, bad[i][2] ? 3 : 2, bad[i]), 2, "accepted %s %s", bad[i][1],
                     bad[i][2] ? bad[i][2] : "");
    fflush(stderr);
    cr_assert_stderr_neq_str("");
}

Test(client_schedule, oneshot_invite, .init = cr_redirect_stderr)
{
    struct os s;
    struct proto_request q;
    const char *a1[] = {"invite", "porch"};
    cr_assert_eq(parse(&s, 2, a1), 0);
    memset(&q, 0, sizeof q);
    cr_assert(oneshot_fill_request(&s, &q));
    cr_assert_eq(q.type, PROTO_REQ_ROOM_INVITE);
    cr_assert_str_eq(q.u.invite.room, "porch");
    cr_assert_eq(q.u.invite.hours, 168);
    cr_assert_eq(q.u.invite.uses, 0);

    const char *a2[] = {"invite", "--uses", "3", "porch", "--hours", "24"};
    cr_assert_eq(parse(&s, 6, a2), 0);
    memset(&q, 0, sizeof q);
    cr_assert(oneshot_fill_request(&s, &q));
    cr_assert(q.u.invite.hours == 24 && q.u.invite.uses == 3);

    const char *a3[] = {"invite", "porch", "--hours", "721"};
    cr_assert_eq(parse(&s, 4, a3), 2);
    const char *a4[] = {"invite", "porch", "--uses", "1001"};
    cr_assert_eq(parse(&s, 4, a4), 2);
    const char *a5[] = {"invite"};
    cr_assert_eq(parse(&s, 1, a5), 2);
    const char *a6[] = {"who", "porch", "--hours", "2"};
    cr_assert_eq(parse(&s, 4, a6), 2, "only invite takes --hours");
}
