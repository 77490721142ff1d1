/*
 * Time zones for weekly meeting slots, through ICU's calendar (libicu): a
 * slot says "Monday 19:00 in America/New_York", and the server needs the
 * UTC instants of its next occurrences, daylight saving included. Loop
 * thread only.
 */
#ifndef HEARTH_TZCAL_H
#define HEARTH_TZCAL_H

#include <stdbool.h>
#include <stdint.h>

/* Whether `tz` names a zone ICU knows (an IANA name such as
 * "Europe/London"; not a custom offset like "GMT+05:00"). */
bool tzcal_known(const char *tz);

/* A calendar in one zone. */
struct tzcal;
struct tzcal *tzcal_open(const char *tz);   /* NULL: unknown zone or out of memory */
void tzcal_close(struct tzcal *c);

/* The local date at instant `utc_ms`: *day_number counts days since
 * 1970-01-01 in that zone's calendar (for stepping day by day). */
bool tzcal_local_day(struct tzcal *c, int64_t utc_ms, int64_t *day_number);
/* The instant of local time `minute` (after midnight) on local day
 * `day_number`, and that day's weekday (0 Monday .. 6 Sunday). A time
 * skipped by a daylight-saving change moves forward by the gap (02:30 on
 * the spring-forward day is 03:30); a time that happens twice is the
 * first of the two. */
bool tzcal_local_instant(struct tzcal *c, int64_t day_number, unsigned minute, int64_t *utc_ms,
                         int *weekday);

/* Calendar months after a day (day numbers as in days.h), the way people
 * count them: ICU's Gregorian calendar keeps the day of the month and pins
 * it to the month's last day when it has fewer (2024-08-31 + 6 months is
 * 2025-02-28; 2024-02-29 + 12 months is 2025-02-28). A calendar day has no
 * zone, so no zone is asked for. */
bool tzcal_add_months(int64_t day_number, int32_t months, int64_t *out);

#endif
