/*
 * hc_bucket: pacing of outgoing requests. Pure.
 *
 * The server takes a token per frame from a bucket of rate_burst tokens
 * refilled at rate_per_sec (hello states both) and answers rate_limited
 * past it; PROTOCOL.md asks clients to queue their own requests instead.
 * The client keeps a slightly smaller bucket of its own (so clock and
 * network jitter do not push it over the server's) and holds requests
 * until a token is there. Integer milli-tokens: no floating point.
 */
#include "hc_internal.h"

void hc__bucket_reset(struct hc__bucket *b, uint32_t rate, uint32_t burst, uint64_t now_ms)
{
    b->rate = rate > 1 ? rate - (rate + 9) / 10 : rate;    /* 90%, at least 1 when rate >= 1 */
    if (b->rate == 0 && rate > 0)
        b->rate = 1;
    b->burst = burst > 2 ? burst - 2 : (burst ? 1 : 0);
    b->milli = (uint64_t)b->burst * 1000;
    b->last_ms = now_ms;
}

uint64_t hc__bucket_take(struct hc__bucket *b, uint64_t now_ms)
{
    if (b->rate == 0 || b->burst == 0)
        return 0;   /* no limits stated: no pacing */
    if (now_ms > b->last_ms) {
        uint64_t add = (now_ms - b->last_ms) * b->rate;   /* ms * tokens/s = milli-tokens */
        uint64_t cap = (uint64_t)b->burst * 1000;
        b->milli = b->milli + add > cap ? cap : b->milli + add;
        b->last_ms = now_ms;
    }
    if (b->milli >= 1000) {
        b->milli -= 1000;
        return 0;
    }
    return (1000 - b->milli + b->rate - 1) / b->rate;
}
