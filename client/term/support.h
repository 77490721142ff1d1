/*
 * Asking for support in the terminal client (PROTOCOL.md section 22): what
 * people type for /sos and `hearth sos`, and the sentences for the
 * replies and events: where one's own request stands, an offer to a
 * supporter, an offer gone, the queue, the waiting figures. Pure (no I/O,
 * no clock: callers pass what they know).
 *
 * The words are for someone at a hard moment: plain, kind, and honest
 * about what happens next. Handles from the server go through
 * mtg_safe_name(), anyone's words (notes, thanks, the resources) through
 * text_one_line().
 */
#ifndef HEARTH_TERM_SUPPORT_H
#define HEARTH_TERM_SUPPORT_H

#include "hearth.h"

#define SUP_STATS_DAYS_MAX 90UL
#define SUP_WAIT_MINUTES_DEFAULT 10UL   /* `hearth sos` waits this long for an answer */
#define SUP_WAIT_MINUTES_MAX 60UL

/* ------------------------------------------------------------ parsing */

enum sup_verb { SUP_ASK = 0, SUP_CANCEL, SUP_END };
enum sup_parse { SUP_OK = 0, SUP_USAGE, SUP_LONG_TEXT, SUP_NO_MEMORY };

struct sup_sos_args {
    enum sup_verb verb;
    bool has_urgency;              /* ask: a first word said how urgent */
    enum proto_urgency urgency;    /* ask: talk when not said */
    char *text;                    /* ask: the note; end: the thanks; malloc'd, NULL: none */
};

/* What /sos takes (the text after the command word):
 *   ""                       ask (talk), has_urgency false
 *   "[talk|craving|crisis] [NOTE...]"  ask; a first word that is not an
 *                            urgency starts the note
 *   "cancel"                 withdraw (no words after it: SUP_USAGE)
 *   "end [THANKS...]"        end the conversation
 * Keywords in any case; the note or thanks is the rest of the line as
 * typed (one pair of quotes around all of it dropped), at most
 * PROTO_NOTE_MAX characters. Free with sup_sos_args_free, whatever it
 * returns. */
enum sup_parse sup_parse_sos(const char *s, struct sup_sos_args *out);
void sup_sos_args_free(struct sup_sos_args *a);
/* "talk", "craving", "crisis", in any case. */
bool sup_parse_urgency(const char *w, enum proto_urgency *out);
/* What to do about a failed parse, as a sentence (`cmd`: "/sos" or
 * "hearth sos"). */
const char *sup_parse_error(enum sup_parse rc, bool oneshot);

/* ---------------------------------------------------------- durations */

/* A wait as a clock: "0:45", "12:05", "1:02:03" (whole seconds, rounded
 * down; negative is "0:00"). */
void sup_fmt_wait(int64_t ms, char out[16]);
/* A wait in words: "0 s", "45 s", "1 min 30 s", "10 min", "1 h 5 min",
 * "2 d 3 h" (rounded down to the second). */
void sup_fmt_duration(int64_t ms, char out[32]);

/* ---------------------------------------------------------- sentences */

/* The sentences below are malloc'd (NULL only without memory); lines are
 * separated by '\n'. */

/* "If you are in danger now:" and the resources, a line each (a line
 * pointing to the local emergency number when there are none). */
char *sup_danger_text(const char *const *resources, size_t n);
/* Where the reader's own request stands, for the asker:
 *   asking_buddies     "Asking your buddies who are online…" (and what follows)
 *   asking_supporters  "Asking everyone on duty…"; after an answer (by
 *                      "handed_back" or "helper_lost") says that
 *                      prev_helper (may be NULL) could not stay
 *   nobody_yet         "Nobody has answered yet. You are not forgotten: ..."
 *                      and sup_danger_text(resources)
 *   accepted           "sam is with you: ..."
 *   closed, cancelled  that it has ended, by whom (by "requester" or "helper")
 * `oneshot`: the words of `hearth sos` (run `hearth` to talk). */
char *sup_mine_text(const struct proto_support *r, const char *by, const char *prev_helper,
                    const char *const *resources, size_t n, bool oneshot);
/* The answer to support.ask is a request that was open before it (asking
 * again answers that one, unchanged): it was answered already, or had
 * waited a few seconds (a new one has waited about nothing). */
bool sup_was_open(const struct proto_support *r);
/* Asking again while a request is open answers that one, unchanged:
 * "You already asked for support (craving, 3:05 ago). It stays as it was:" */
char *sup_already_text(const struct proto_support *r);
/* What became of a request the reader helps in (accepted: they are with
 * the requester now; closed: by whom, with the thanks when the requester
 * left some; asking_supporters: handed back or lost); NULL when there is
 * nothing to say. */
char *sup_helper_text(const struct proto_support *r, const char *by, const char *thanks);
/* support.offer, an alert:
 *   ann asks for support (craving, waiting 0:45): "it's bad tonight" —
 *   /accept 12 to answer (you are their buddy).
 * as: "buddy", "supporter" ("you are on duty"), "moderator" ("crisis:
 * moderators alerted"); any other is said like "supporter". */
char *sup_offer_text(const struct proto_support *r, const char *as);
/* support.gone: "Someone else is with ann now." (taken), "ann withdrew
 * their request for support." (withdrawn), else that it is no longer
 * waiting. requester NULL or "": not known. */
char *sup_gone_text(const char *requester, const char *reason);
/* The answer to support.queue (oldest first): a heading and one line each
 * ("  #12  ann  craving  waiting 3:05  "note""; the state when it is not
 * waiting on supporters yet); a line saying nobody waits when n is 0. */
char *sup_queue_text(const struct proto_support *r, size_t n);
/* The answer to support.stats (newest first): a heading and one line
 * per day ("  2026-11-22  4 requests, 3 answered, median wait 1 min 35 s,
 * worst 10 min 10 s"); a line saying there were none in `days` days. */
char *sup_stats_text(const struct proto_support_day *d, size_t n, uint32_t days);
/* The answer to support.status, for /sos: the reader's own request (NULL:
 * none) and the ones they help in. */
char *sup_status_text(const struct proto_support *mine, const struct proto_support *helping,
                      size_t n);

#endif
