/* Day numbers through ICU's Gregorian calendar in UTC (a calendar day has
 * no zone: the zone only decides which day it is now, see tzcal.h). */
#include <stdio.h>
#include <string.h>

#include <unicode/ucal.h>

#include "days.h"

#define JD_1970 2440588   /* ICU's Julian day of 1970-01-01 */

static UCalendar *utc_calendar(void)
{
    static const UChar utc[] = {'U', 'T', 'C', 0};
    UErrorCode st = U_ZERO_ERROR;
    UCalendar *cal = ucal_open(utc, -1, "en_US_POSIX", UCAL_GREGORIAN, &st);
    if (U_FAILURE(st))
        return NULL;
    ucal_setAttribute(cal, UCAL_LENIENT, 0);   /* 2026-02-30 is refused, not rolled over */
    return cal;
}

bool days_from_name(const char *ymd, int64_t *n)
{
    int y, m, d;
    char tail;
    if (!ymd || strlen(ymd) != 10 || ymd[4] != '-' || ymd[7] != '-' ||
        sscanf(ymd, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3)
        return false;
    UCalendar *cal = utc_calendar();
    if (!cal)
        return false;
    UErrorCode st = U_ZERO_ERROR;
    ucal_clear(cal);
    ucal_setDate(cal, y, m - 1, d, &st);
    int32_t jd = ucal_get(cal, UCAL_JULIAN_DAY, &st);
    ucal_close(cal);
    if (U_FAILURE(st))
        return false;
    *n = (int64_t)jd - JD_1970;
    return true;
}

bool days_name(int64_t n, char out[11])
{
    UCalendar *cal = utc_calendar();
    if (!cal)
        return false;
    UErrorCode st = U_ZERO_ERROR;
    ucal_clear(cal);
    ucal_set(cal, UCAL_JULIAN_DAY, (int32_t)(n + JD_1970));
    int32_t y = ucal_get(cal, UCAL_EXTENDED_YEAR, &st);
    int32_t m = ucal_get(cal, UCAL_MONTH, &st);
    int32_t d = ucal_get(cal, UCAL_DATE, &st);
    ucal_close(cal);
    if (U_FAILURE(st) || y < 0 || y > 9999 || m < 0 || m > 11 || d < 1 || d > 31)
        return false;
    /* Bounded above, so each field has exactly its width. */
    snprintf(out, 11, "%04u-%02u-%02u", (unsigned)y % 10000u, ((unsigned)m + 1) % 100u,
             (unsigned)d % 100u);
    return true;
}

int days_weekday(int64_t n)
{
    return (int)((n % 7 + 7 + 3) % 7);   /* 1970-01-01 was a Thursday */
}
