/*
 * Time zones for weekly meeting slots (tzcal, over ICU): zone names are
 * checked, local days and times map to the right instants, and the two
 * daylight-saving edge cases behave as PROTOCOL.md section 14.9 says (a
 * skipped time moves forward by the gap; a repeated time is the first).
 * Expected instants are written out in UTC from published offsets, not
 * computed by the code under test.
 */
#include <criterion/criterion.h>
#include <stdint.h>

#include "tzcal.h"

#define HOUR_MS 3600000LL

/* 2026-03-08 (a Sunday) is day 20520 since 1970-01-01. */
#define DAY_2026_03_08 20520
/* 2026-11-01 (a Sunday) is day 20758. */
#define DAY_2026_11_01 20758

static int64_t at(struct tzcal *c, int64_t day, unsigned minute, int *weekday)
{
    int64_t ms;
    cr_assert(tzcal_local_instant(c, day, minute, &ms, weekday));
    return ms;
}

Test(tzcal, knows_iana_names_and_refuses_others)
{
    cr_expect(tzcal_known("America/New_York"));
    cr_expect(tzcal_known("Europe/London"));
    cr_expect(tzcal_known("UTC"));
    cr_expect(tzcal_known("Asia/Kolkata"));
    cr_expect_not(tzcal_known("Mars/Olympus_Mons"));
    cr_expect_not(tzcal_known("GMT+05:00"), "custom offsets are not zones");
    cr_expect_not(tzcal_known(""));
    cr_expect_not(tzcal_known(NULL));
    cr_expect_null(tzcal_open("Nowhere/At_All"));
}

Test(tzcal, local_day_of_an_instant_depends_on_the_zone)
{
    struct tzcal *ny = tzcal_open("America/New_York"), *tokyo = tzcal_open("Asia/Tokyo");
    /* 2026-03-08 03:00 UTC: still the 7th in New York, already the 8th in Tokyo. */
    int64_t t = 1772938800000LL, d;
    cr_assert(tzcal_local_day(ny, t, &d));
    cr_expect_eq(d, DAY_2026_03_08 - 1);
    cr_assert(tzcal_local_day(tokyo, t, &d));
    cr_expect_eq(d, DAY_2026_03_08);
    tzcal_close(ny);
    tzcal_close(tokyo);
}

Test(tzcal, same_local_time_across_spring_forward)
{
    struct tzcal *ny = tzcal_open("America/New_York");
    int wd;
    /* 19:00 on Saturday 7 March is EST (UTC-5): 8 March 00:00 UTC. */
    cr_expect_eq(at(ny, DAY_2026_03_08 - 1, 19 * 60, &wd), 1772928000000LL);
    cr_expect_eq(wd, 5, "Saturday");
    /* 19:00 on Sunday 8 March is EDT (UTC-4): 23:00 UTC, 23 hours later. */
    cr_expect_eq(at(ny, DAY_2026_03_08, 19 * 60, &wd), 1772928000000LL + 23 * HOUR_MS);
    cr_expect_eq(wd, 6, "Sunday");
    tzcal_close(ny);
}

Test(tzcal, skipped_time_moves_forward_by_the_gap)
{
    struct tzcal *ny = tzcal_open("America/New_York");
    int wd;
    /* 02:30 does not exist on 8 March 2026; it becomes 03:30 EDT = 07:30 UTC. */
    cr_expect_eq(at(ny, DAY_2026_03_08, 150, &wd), 1772955000000LL);
    tzcal_close(ny);
}

Test(tzcal, repeated_time_is_the_first)
{
    struct tzcal *ny = tzcal_open("America/New_York");
    int wd;
    /* 01:30 happens twice on 1 November 2026; the first is EDT: 05:30 UTC. */
    cr_expect_eq(at(ny, DAY_2026_11_01, 90, &wd), 1793511000000LL);
    cr_expect_eq(wd, 6);
    tzcal_close(ny);
}

Test(tzcal, half_hour_offsets)
{
    struct tzcal *kolkata = tzcal_open("Asia/Kolkata");
    int wd;
    /* 09:00 IST (UTC+05:30) on 8 March 2026 is 03:30 UTC. */
    cr_expect_eq(at(kolkata, DAY_2026_03_08, 9 * 60, &wd), 1772940600000LL);
    tzcal_close(kolkata);
}
