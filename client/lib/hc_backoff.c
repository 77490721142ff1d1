/*
 * hc_backoff: the delay before the next reconnect attempt. Pure.
 *
 * Exponential with full jitter (a uniformly random delay up to the cap),
 * so a server restart is not met by every client at the same instant.
 */
#include "hc_internal.h"

uint32_t hc__backoff_delay(uint32_t min_ms, uint32_t max_ms, unsigned attempt, uint32_t rnd)
{
    if (min_ms == 0)
        min_ms = 250;
    if (max_ms == 0)
        max_ms = 15000;
    if (max_ms < min_ms)
        max_ms = min_ms;
    uint64_t cap = min_ms;
    for (unsigned i = 0; i < attempt && cap < max_ms; i++)
        cap *= 2;
    if (cap > max_ms)
        cap = max_ms;
    uint32_t d = (uint32_t)(rnd % (cap + 1));
    return d ? d : 1;   /* 0 would read as "no reconnect planned" */
}
