/*
 * hc_seq: per-room ordering rules. Pure, unit-tested.
 *
 * Rules: deliver seq == last+1; drop seq <= last; on seq > last+1 fetch
 * room.history after=last, one fetch at a time; when it ends, fetch again
 * if a higher seq was seen meanwhile. While an hc_join is in progress the
 * room delivers nothing live: the join's history and the fetch that
 * follows it bring those events in order.
 */
#include "hc_internal.h"

static void note_seen(struct hc__seq *s, uint64_t seq)
{
    if (seq > s->seen)
        s->seen = seq;
}

enum hc__seq_verdict hc__seq_live(struct hc__seq *s, uint64_t seq)
{
    if (s->holding) {
        note_seen(s, seq);
        return HC__SEQ_HOLD;
    }
    if (seq <= s->last)
        return HC__SEQ_DROP;
    if (seq == s->last + 1) {
        s->last = seq;
        return HC__SEQ_DELIVER;
    }
    note_seen(s, seq);
    if (s->fetching)
        return HC__SEQ_HOLD;
    s->fetching = true;
    return HC__SEQ_FETCH;
}

bool hc__seq_backlog(struct hc__seq *s, uint64_t seq)
{
    if (seq <= s->last)
        return false;
    s->last = seq;
    return true;
}

bool hc__seq_fetch_done(struct hc__seq *s, bool has_more, bool progressed)
{
    if (has_more && progressed)
        return true;
    if (!progressed) {
        /* Nothing after `last` although a later seq was seen: those
         * events are gone (retention); asking again would loop. */
        s->fetching = false;
        if (s->seen > s->last)
            s->seen = s->last;
        return false;
    }
    if (s->seen > s->last && !s->holding)
        return true;
    s->fetching = false;
    return false;
}

void hc__seq_fetch_failed(struct hc__seq *s)
{
    s->fetching = false;
}

bool hc__seq_begin_fetch(struct hc__seq *s)
{
    if (s->fetching || s->holding)
        return false;
    s->fetching = true;
    return true;
}

bool hc__seq_join_done(struct hc__seq *s, uint64_t room_last, bool ok)
{
    if (s->holding)
        s->holding--;
    if (ok && room_last > s->last)
        s->last = room_last;
    if (s->holding || s->fetching)
        return false;
    if (s->seen > s->last) {
        s->fetching = true;
        return true;
    }
    return false;
}
