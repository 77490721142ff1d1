/* ICU's UCalendar behind the small interface schedules need. Zone names
 * are ASCII (the codec allows A-Z a-z 0-9 _ + - / only), so the UChar
 * conversion is a plain widening copy by u_uastrncpy. */
#include <stdlib.h>
#include <string.h>

#include <unicode/ucal.h>
#include <unicode/ustring.h>

#include "hproto.h"
#include "tzcal.h"

struct tzcal {
    UCalendar *cal;
};

static void to_uchars(const char *tz, UChar out[PROTO_TZ_MAX + 1])
{
    u_uastrncpy(out, tz, PROTO_TZ_MAX);
    out[PROTO_TZ_MAX] = 0;
}

bool tzcal_known(const char *tz)
{
    if (!tz || !*tz || strlen(tz) > PROTO_TZ_MAX)
        return false;
    UChar id[PROTO_TZ_MAX + 1], canon[128];
    to_uchars(tz, id);
    UErrorCode st = U_ZERO_ERROR;
    UBool system = false;
    ucal_getCanonicalTimeZoneID(id, -1, canon, (int32_t)(sizeof canon / sizeof canon[0]), &system,
                                &st);
    return U_SUCCESS(st) && system;
}

struct tzcal *tzcal_open(const char *tz)
{
    if (!tzcal_known(tz))
        return NULL;
    struct tzcal *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    UChar id[PROTO_TZ_MAX + 1];
    to_uchars(tz, id);
    UErrorCode st = U_ZERO_ERROR;
    c->cal = ucal_open(id, -1, "en_US_POSIX", UCAL_GREGORIAN, &st);
    if (U_FAILURE(st)) {
        free(c);
        return NULL;
    }
    ucal_setAttribute(c->cal, UCAL_SKIPPED_WALL_TIME, UCAL_WALLTIME_LAST);
    ucal_setAttribute(c->cal, UCAL_REPEATED_WALL_TIME, UCAL_WALLTIME_FIRST);
    return c;
}

void tzcal_close(struct tzcal *c)
{
    if (!c)
        return;
    ucal_close(c->cal);
    free(c);
}

/* ICU's Julian day field numbers local calendar days; day 2440588 is
 * 1970-01-01. */
#define JD_1970 2440588

bool tzcal_local_day(struct tzcal *c, int64_t utc_ms, int64_t *day_number)
{
    UErrorCode st = U_ZERO_ERROR;
    ucal_setMillis(c->cal, (UDate)utc_ms, &st);
    int32_t jd = ucal_get(c->cal, UCAL_JULIAN_DAY, &st);
    if (U_FAILURE(st))
        return false;
    *day_number = (int64_t)jd - JD_1970;
    return true;
}

bool tzcal_local_instant(struct tzcal *c, int64_t day_number, unsigned minute, int64_t *utc_ms,
                         int *weekday)
{
    UErrorCode st = U_ZERO_ERROR;
    ucal_clear(c->cal);
    ucal_set(c->cal, UCAL_JULIAN_DAY, (int32_t)(day_number + JD_1970));
    ucal_set(c->cal, UCAL_HOUR_OF_DAY, (int32_t)(minute / 60));
    ucal_set(c->cal, UCAL_MINUTE, (int32_t)(minute % 60));
    UDate at = ucal_getMillis(c->cal, &st);
    if (U_FAILURE(st))
        return false;
    *utc_ms = (int64_t)at;
    /* 1970-01-01 was a Thursday: 3 counting from Monday. */
    *weekday = (int)((day_number % 7 + 7 + 3) % 7);
    return true;
}

bool tzcal_add_months(int64_t day_number, int32_t months, int64_t *out)
{
    static const UChar utc[] = {'U', 'T', 'C', 0};
    UErrorCode st = U_ZERO_ERROR;
    UCalendar *cal = ucal_open(utc, -1, "en_US_POSIX", UCAL_GREGORIAN, &st);
    if (U_FAILURE(st))
        return false;
    ucal_clear(cal);
    ucal_set(cal, UCAL_JULIAN_DAY, (int32_t)(day_number + JD_1970));
    ucal_add(cal, UCAL_MONTH, months, &st);   /* add, not roll: pins the day of the month */
    int32_t jd = ucal_get(cal, UCAL_JULIAN_DAY, &st);
    ucal_close(cal);
    if (U_FAILURE(st))
        return false;
    *out = (int64_t)jd - JD_1970;
    return true;
}
