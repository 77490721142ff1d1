/*
 * Calendar days as numbers: day 0 is 1970-01-01, so consecutive days are
 * consecutive numbers (streaks, weeks, "days clean"). Names are
 * "YYYY-MM-DD". ICU's Gregorian calendar does the conversions.
 */
#ifndef HEARTH_DAYS_H
#define HEARTH_DAYS_H

#include <stdbool.h>
#include <stdint.h>

/* The number of a real calendar date; false for a malformed or impossible one. */
bool days_from_name(const char *ymd, int64_t *n);
/* The name of day n (11 bytes with the NUL). */
bool days_name(int64_t n, char out[11]);
/* 0 Monday .. 6 Sunday. */
int days_weekday(int64_t n);

#endif
