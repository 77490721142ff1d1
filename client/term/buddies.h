/*
 * Buddies, pings, private conversations and the matching pool in the
 * terminal client: what people type and the sentences shown for replies
 * and events. Pure (no I/O, no clock: callers pass the time).
 *
 *   buddies.c  /buddy, /ping and `hearth ping` words; buddy lists, pings,
 *              alerts, conversation lines and labels; the file of the last
 *              message seen in each conversation
 *   match.c    /match join's words; proposals, updates and the pool's status
 *
 * Handles from the server go through mtg_safe_name(), anyone's words
 * through text_one_line().
 */
#ifndef HEARTH_TERM_BUDDIES_H
#define HEARTH_TERM_BUDDIES_H

#include "hearth.h"

/* ---------------------------------------------------------- buddies.c */

/* What stands between the reader and someone, as far as the client knows. */
enum bud_link { BUD_NONE = 0, BUD_PAIRED, BUD_ASKED_ME, BUD_I_ASKED };

enum bud_parse { BUD_OK = 0, BUD_NO_HANDLE, BUD_BAD_HANDLE, BUD_LONG_TEXT, BUD_NO_MEMORY };

struct bud_ping_args {
    char handle[PROTO_HANDLE_MAX + 1];   /* folded ("@" before it allowed) */
    enum proto_ping_kind kind;
    char *text;                          /* kind text only: malloc'd */
};

/* What /ping and `hearth ping` take: "HANDLE [WORD | TEXT...]". No word
 * is thinking of you; a word alone that is a keyword (thinking, call,
 * struggling, in any case; thinking_of_you and call_me too) is that kind;
 * anything else is free text: the rest of the line as typed (one pair of
 * quotes around all of it dropped), at most PROTO_PING_TEXT_MAX
 * characters. Free with bud_ping_args_free, whatever it returns. */
enum bud_parse bud_parse_ping(const char *s, struct bud_ping_args *out);
void bud_ping_args_free(struct bud_ping_args *a);
/* "thinking of you", "call me", "struggling", "a message". */
const char *bud_ping_words(enum proto_ping_kind k);

/* The sentences below are malloc'd (NULL only without memory). */

/* An alert that must stand out: the sentence in bold magenta when styled
 * (a terminal with colours), else after "*** "; each line of it when it
 * has several (separated by '\n'). */
char *bud_alert_line(const char *sentence, bool styled);
/* A ping for the reader:
 *   "bob is thinking of you."  "bob asks you to call them."
 *   "bob is struggling and pinged you. /dm bob to talk, or /ping bob call
 *    to ask them to call."  "bob pinged you: the text"
 * with "(sent Nov 20 14:02)" after it when it was sent more than two
 * minutes before now. */
char *bud_ping_received_text(const struct proto_ping *p, int64_t now_ms);
/* The sender's confirmation: "Pinged bob: call me. It reached them." (or
 * "They will get it when they are back."). */
char *bud_ping_sent_text(const struct proto_ping *p);
/* buddy.ping_status: "bob saw your ping." / "Your ping reached bob."; NULL
 * for a state this client does not know. */
char *bud_ping_status_text(const char *to, const char *state);
/* The answer to buddy.pings (newest first), one line each:
 *   "  Nov 20 14:02  to bob     call me                 seen 14:05"
 *   "  Nov 20 13:10  from cal   thinking of you"
 * after a heading; a kind line when there are none. */
char *bud_pings_text(const struct proto_ping *p, size_t n, const char *me, int64_t now_ms);

/* The answer to buddy.list: the buddies (status, since when), then who is
 * asking the reader and whom the reader asked, then "N of LIMIT buddies."
 * with what to do next. */
char *bud_list_text(const struct proto_result *res, int64_t now_ms);
/* A day, in local time: "Nov 20", or "Nov 20, 2025" in another year than
 * now's (English names, whatever the locale). */
void bud_fmt_day(int64_t ms, int64_t now_ms, char out[24]);

/* buddy.request: "bob asks to be your buddy. /buddy accept bob or
 * /buddy decline bob." */
char *bud_request_text(const char *handle);
/* buddy.update paired: "You and bob are buddies now: ..." */
char *bud_paired_text(const char *handle);
/* buddy.update ended, by what it was (never a reason): a pairing ("Your
 * buddy pairing with bob has ended. ..."), or a request either way; NULL
 * for BUD_NONE (nothing this client knew of). */
char *bud_ended_text(const char *handle, enum bud_link was);
/* The confirmation of the reader's own buddy.request, .decline, .cancel,
 * .end. */
char *bud_done_text(enum proto_req_type t, const char *handle);

/* A conversation's label: "@bob" (peer known), else the name itself
 * ("~1a2b3c4d"); a room's is "#room". */
#define BUD_LABEL (PROTO_HANDLE_MAX + 2)
void bud_label(const char *room, const char *peer, char out[BUD_LABEL]);
/* An event of a conversation: "[@bob] 14:02 <ann> the text" (with "#SEQ "
 * before "<ann>" when show_seq); a removed message and other events say
 * so in words. */
char *bud_conv_line(const struct proto_room_event *ev, const char *peer, int64_t now_ms,
                    bool show_seq);
/* How far the reader's own last message (seq `mine`; 0: none) got, by the
 * peer's marks (room.receipt, or the room object's peer_delivered and
 * peer_seen): not yet delivered, delivered, or seen. */
enum bud_receipt { BUD_SENT = 0, BUD_DELIVERED, BUD_SEEN };
enum bud_receipt bud_receipt_of(uint64_t mine, uint64_t delivered, uint64_t seen);
/* The status line of the reader's last message in a conversation:
 * "[@bob] delivered", "[@bob] seen"; NULL for BUD_SENT (nothing to say). */
char *bud_receipt_line(const char *room, const char *peer, enum bud_receipt st);
/* The conversations among a room list: "Private conversations: @bob,
 * @cal, @dan (support) (/dm HANDLE to talk)."; NULL when there are none. */
char *bud_conversations_text(const struct proto_room *rooms, size_t n);

/* The last message seen in each conversation, kept between runs in a file
 * of lines "SERVER HANDLE ROOM SEQ" (one account's lines among others'). */
struct bud_seen {
    char room[PROTO_HANDLE_MAX + 1];
    uint64_t seq;
};
/* The account's entries in text (at most max; malformed lines skipped). */
size_t bud_seen_parse(const char *text, const char *server, const char *handle,
                      struct bud_seen *out, size_t max);
/* text (NULL: none) with the account's lines replaced by s[0..n); other
 * accounts' lines kept. NULL when nothing is left or without memory. */
char *bud_seen_format(const char *text, const char *server, const char *handle,
                      const struct bud_seen *s, size_t n);

/* ------------------------------------------------------------ match.c */

#define MAT_CLEAN_DAYS_MAX 36500UL

enum mat_parse { MAT_OK = 0, MAT_USAGE, MAT_BAD_LANGUAGE, MAT_BAD_APPROACH, MAT_BAD_DAYS,
                 MAT_MORE_NEEDS_DAYS };

/* The words after `/match join`: LANG APPROACH [--clean-days N]
 * [--more-clean-time]. LANG is 2..8 letters (folded into lang), APPROACH
 * one mat_parse_approach takes; out->language points to lang,
 * utc_offset_minutes is `utc_offset`, clean_days -1 when not given. */
enum mat_parse mat_parse_join(int argc, char **argv, int32_t utc_offset,
                              char lang[PROTO_LANGUAGE_MAX + 1], struct proto_match_prefs *out);
/* What to do about a failed mat_parse_join, as a sentence. */
const char *mat_parse_error(enum mat_parse rc);
/* "12_step" (also "12-step", "12step", "aa", "na"), "smart", "other",
 * "any", in any case. */
bool mat_parse_approach(const char *s, enum proto_approach *out);
/* "a 12-step program", "SMART Recovery", "another approach", "any approach". */
const char *mat_approach_words(enum proto_approach a);
/* "UTC", "UTC+2", "UTC-5", "UTC+5:30". */
void mat_fmt_offset(int32_t minutes, char out[16]);

/* match.proposal: "Hearth suggests a buddy: bob (UTC+2, speaks en, SMART
 * Recovery, more clean time than you). /match accept or /match decline,
 * before 14:02." */
char *mat_proposal_text(const struct proto_match_proposal *p, int64_t now_ms);
/* match.update about a proposal of `handle` (NULL or "" when not known):
 * NULL for "paired" (the buddy.update that follows says it) and for a
 * state this client does not know. */
char *mat_update_text(const char *state, const char *handle);
/* match.status (and the answer to match.join): in the pool or not, with
 * what one looks for; a waiting proposal after it (NULL: none). */
char *mat_status_text(bool in_pool, const struct proto_match_prefs *prefs,
                      const struct proto_match_proposal *proposal, int64_t now_ms);

#endif
