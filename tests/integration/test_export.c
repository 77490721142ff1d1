/*
 * account.export through the real hearthd: a member's export holds every
 * kind of thing Hearth keeps about them and nothing private of anyone
 * else's; a big one comes in parts that reassemble exactly; an export can
 * only be read by the session that made it, and not after the server's
 * clock has moved 10 minutes on.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hdproc.h"
#include "rawws.h"

#define PW "correct horse battery"
#define PART_MAX 262144              /* PROTO_EXPORT_PART_MAX */
#define KEEP_MS (10LL * 60 * 1000)   /* EXPORT_KEEP_MS */
#define GONE "That export is no longer available; start a new one."

static struct hdproc hd;
static void stop_server(void) { hd_cleanup(&hd); }

TestSuite(export, .fini = stop_server, .timeout = 180);

static long long say(struct rawws *w, const char *room, const char *text)
{
    static int n;
    char cid[16];
    snprintf(cid, sizeof cid, "x%d", ++n);
    json_t *r = rw_call(w, "room.send", json_pack("{s:s, s:s, s:s}", "room", room, "text", text,
                                                  "cid", cid));
    long long seq = json_integer_value(json_object_get(rw_data(r), "seq"));
    json_decref(r);
    return seq;
}

static json_t *part(struct rawws *w, const char *id, long long n)
{
    return rw_call(w, "account.export", json_pack("{s:s, s:I}", "export", id, "part", n));
}

/* The error's message, asserting the code. */
static void refused_with(json_t *reply, const char *code, const char *message)
{
    rw_expect_error(reply, code);
    if (message)
        cr_assert_str_eq(rw_str(reply, "message"), message);
    json_decref(reply);
}

/* A whole export: every part fetched and checked, concatenated, parsed.
 * Returns the document; *text (if given) the raw concatenation, *id the
 * export id (caller frees both), *parts how many parts. */
static json_t *export_all(struct rawws *w, char **text, char **id, unsigned *parts)
{
    json_t *r = rw_call(w, "account.export", NULL);
    json_t *d = rw_data(r);
    char *eid = strdup(rw_str(d, "export"));
    unsigned n = (unsigned)json_integer_value(json_object_get(d, "parts"));
    cr_assert(strlen(eid) >= 16, "a random id");
    cr_assert_eq(json_integer_value(json_object_get(d, "part")), 0);
    cr_assert_geq(n, 1);
    size_t len = 0;
    char *all = NULL;
    for (unsigned i = 0; i < n; i++) {
        if (i > 0) {
            json_decref(r);
            r = part(w, eid, i);
            d = rw_data(r);
            cr_assert_str_eq(rw_str(d, "export"), eid);
            cr_assert_eq(json_integer_value(json_object_get(d, "part")), i);
            cr_assert_eq(json_integer_value(json_object_get(d, "parts")), n);
        }
        json_t *data = json_object_get(d, "data");
        size_t plen = json_string_length(data);
        cr_assert(plen > 0 && plen <= PART_MAX, "part %u is %zu bytes", i, plen);
        all = realloc(all, len + plen + 1);
        memcpy(all + len, json_string_value(data), plen);
        len += plen;
        all[len] = '\0';
    }
    json_decref(r);
    json_error_t err;
    json_t *doc = json_loadb(all, len, 0, &err);
    cr_assert(doc, "the parts make one JSON document: %s", err.text);
    cr_assert(json_is_object(doc));
    cr_assert_str_eq(rw_str(doc, "format"), "hearth-export-1");
    if (text)
        *text = all;
    else
        free(all);
    if (id)
        *id = eid;
    else
        free(eid);
    if (parts)
        *parts = n;
    return doc;
}

static json_t *section(json_t *doc, const char *name, size_t n)
{
    json_t *v = json_object_get(doc, name);
    cr_assert(json_is_array(v), "'%s' is a list", name);
    cr_assert_eq(json_array_size(v), n, "'%s' holds %zu, not %zu", name, json_array_size(v), n);
    return v;
}

static long long num(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    cr_assert(json_is_integer(v), "'%s' is a number", key);
    return json_integer_value(v);
}

Test(export, everything_of_theirs_and_nothing_private_of_others)
{
    struct rawws wren, moss, thorn, fern;
    hd_start(&hd, hd_unlimited_rate);
    rw_person(&wren, hd.port, "wren", PW);
    rw_person(&moss, hd.port, "moss", PW);
    rw_person(&thorn, hd.port, "thorn", PW);
    rw_person(&fern, hd.port, "fern", PW);

    rw_ok(rw_call(&wren, "settings.set", json_pack("{s:s, s:s}", "tz", "Europe/London",
                                                   "checkin_share", "buddies")));
    rw_ok(rw_call(&wren, "checkin.submit",
                  json_pack("{s:i, s:i, s:[s, s], s:s, s:s, s:s}", "mood", 2, "craving", 6,
                            "signs", "isolating", "high_stress", "grateful", "the sea", "win",
                            "walked to the pier", "note", "wren's own note")));
    rw_ok(rw_call(&moss, "checkin.submit",
                  json_pack("{s:i, s:s}", "mood", 4, "note", "moss keeps this to himself")));
    rw_ok(rw_call(&wren, "plan.set", json_pack("{s:[{s:s, s:s}], s:[s]}", "lines", "when",
                                               "payday comes", "then", "I call Sam", "reasons",
                                               "my dog")));
    rw_ok(rw_call(&wren, "card.set", json_pack("{s:[{s:s, s:s, s:s}]}", "contacts", "name", "Sam",
                                               "phone", "+1 555 0100", "note", "any time")));
    rw_ok(rw_call(&moss, "card.set", json_pack("{s:[{s:s, s:s}]}", "contacts", "name", "Moss's mum",
                                               "phone", "+1 555 0199")));
    rw_ok(rw_call(&wren, "sobriety.set", json_pack("{s:s}", "date", "2025-06-01")));

    /* Buddies, a conversation and pings both ways. */
    rw_ok(rw_call(&wren, "buddy.request", json_pack("{s:s}", "handle", "moss")));
    json_t *r = rw_call(&moss, "buddy.accept", json_pack("{s:s}", "handle", "wren"));
    char *conv = strdup(rw_str(json_object_get(rw_data(r), "buddy"), "conversation"));
    json_decref(r);
    rw_ok(rw_call(&wren, "buddy.ping", json_pack("{s:s, s:s, s:s}", "handle", "moss", "kind",
                                                 "text", "text", "thinking of you, moss")));
    rw_ok(rw_call(&moss, "buddy.ping", json_pack("{s:s, s:s}", "handle", "wren", "kind",
                                                 "thinking_of_you")));
    rw_ok(rw_call(&fern, "buddy.request", json_pack("{s:s}", "handle", "wren")));
    say(&wren, conv, "wren to moss, just us");
    say(&moss, conv, "moss answers wren");
    hd_advance(&hd, 1000);   /* the server clock stands still: let "oldest first" show */

    /* A room: their message, others' messages, a report and a block. */
    rw_ok(rw_call(&wren, "room.create",
                  json_pack("{s:s, s:s}", "room", "porch", "title", "Porch")));
    rw_ok(rw_call(&moss, "room.join", json_pack("{s:s}", "room", "porch")));
    rw_ok(rw_call(&thorn, "room.join", json_pack("{s:s}", "room", "porch")));
    say(&wren, "porch", "hello porch");
    long long bad = say(&thorn, "porch", "thorn's hurtful words");
    say(&moss, "porch", "moss on the porch");
    rw_ok(rw_call(&wren, "report.create", json_pack("{s:s, s:I, s:s}", "room", "porch", "seq",
                                                    (json_int_t)bad, "reason", "unkind")));
    rw_ok(rw_call(&wren, "block.add", json_pack("{s:s}", "handle", "thorn")));
    rw_ok(rw_call(&wren, "support.ask", json_pack("{s:s, s:s}", "urgency", "talk", "note",
                                                  "a hard evening")));

    char *text = NULL;
    json_t *doc = export_all(&wren, &text, NULL, NULL);
    r = rw_call(&wren, "ping", NULL);
    long long now = num(rw_data(r), "ts");
    json_decref(r);
    cr_assert(num(doc, "exported_at") <= now && num(doc, "exported_at") > now - 60000);

    json_t *acc = json_object_get(doc, "account");
    cr_assert_str_eq(rw_str(acc, "handle"), "wren");
    cr_assert_str_eq(rw_str(acc, "role"), "member");
    cr_assert_str_eq(rw_str(acc, "status"), "available");
    cr_assert(num(acc, "created_at") > 0);

    json_t *st = json_object_get(doc, "settings");
    cr_assert_str_eq(rw_str(st, "tz"), "Europe/London");
    cr_assert_str_eq(rw_str(st, "checkin_share"), "buddies");
    cr_assert_eq(num(st, "warning_threshold"), 3);

    json_t *c = json_array_get(section(doc, "checkins", 1), 0);
    cr_assert_eq(num(c, "mood"), 2);
    cr_assert_eq(num(c, "craving"), 6);
    json_t *signs = json_object_get(c, "signs");
    cr_assert_eq(json_array_size(signs), 2);
    cr_assert_str_eq(json_string_value(json_array_get(signs, 0)), "isolating");
    cr_assert_str_eq(json_string_value(json_array_get(signs, 1)), "high_stress");
    cr_assert_str_eq(rw_str(c, "grateful"), "the sea");
    cr_assert_str_eq(rw_str(c, "win"), "walked to the pier");
    cr_assert_str_eq(rw_str(c, "note"), "wren's own note");
    cr_assert_eq(strlen(rw_str(c, "day")), 10);

    json_t *k = json_array_get(section(doc, "card", 1), 0);
    cr_assert_str_eq(rw_str(k, "name"), "Sam");
    cr_assert_str_eq(rw_str(k, "phone"), "+1 555 0100");
    cr_assert_str_eq(rw_str(k, "note"), "any time");

    json_t *plan = json_object_get(doc, "plan");
    json_t *line = json_array_get(section(plan, "lines", 1), 0);
    cr_assert_str_eq(rw_str(line, "when"), "payday comes");
    cr_assert_str_eq(rw_str(line, "then"), "I call Sam");
    cr_assert_str_eq(json_string_value(json_array_get(section(plan, "reasons", 1), 0)), "my dog");

    json_t *p = json_array_get(section(doc, "sobriety", 1), 0);
    cr_assert_str_eq(rw_str(p, "from"), "2025-06-01");
    cr_assert(json_is_null(json_object_get(p, "to")), "the current period");

    json_t *buddies = section(doc, "buddies", 2);
    json_t *b = json_array_get(buddies, 0);
    cr_assert_str_eq(rw_str(b, "handle"), "moss");
    cr_assert(json_is_true(json_object_get(b, "paired")));
    cr_assert(json_is_null(json_object_get(b, "asked_by_me")), "a pair, not a request");
    b = json_array_get(buddies, 1);
    cr_assert_str_eq(rw_str(b, "handle"), "fern");
    cr_assert(json_is_false(json_object_get(b, "paired")));
    cr_assert(json_is_false(json_object_get(b, "asked_by_me")), "fern asked");

    json_t *pings = section(doc, "pings", 2);
    cr_assert_str_eq(rw_str(json_array_get(pings, 0), "direction"), "sent");
    cr_assert_str_eq(rw_str(json_array_get(pings, 0), "with"), "moss");
    cr_assert_str_eq(rw_str(json_array_get(pings, 0), "kind"), "text");
    cr_assert_str_eq(rw_str(json_array_get(pings, 0), "text"), "thinking of you, moss");
    cr_assert_str_eq(rw_str(json_array_get(pings, 1), "direction"), "received");
    cr_assert_str_eq(rw_str(json_array_get(pings, 1), "with"), "moss");
    cr_assert_str_eq(rw_str(json_array_get(pings, 1), "kind"), "thinking_of_you");

    json_t *room = json_array_get(section(doc, "rooms", 1), 0);
    cr_assert_str_eq(rw_str(room, "room"), "porch", "ordinary rooms only, not conversations");
    cr_assert_str_eq(rw_str(room, "role"), "host");

    json_t *msgs = section(doc, "messages", 2);
    cr_assert_str_eq(rw_str(json_array_get(msgs, 0), "room"), conv);
    cr_assert_str_eq(rw_str(json_array_get(msgs, 0), "kind"), "buddy");
    cr_assert_str_eq(rw_str(json_array_get(msgs, 0), "text"), "wren to moss, just us");
    cr_assert_str_eq(rw_str(json_array_get(msgs, 1), "room"), "porch");
    cr_assert_str_eq(rw_str(json_array_get(msgs, 1), "kind"), "room");
    cr_assert_str_eq(rw_str(json_array_get(msgs, 1), "text"), "hello porch");
    cr_assert(num(json_array_get(msgs, 1), "seq") > 0);

    json_t *sr = json_array_get(section(doc, "support_requests", 1), 0);
    cr_assert_str_eq(rw_str(sr, "urgency"), "talk");
    cr_assert_str_eq(rw_str(sr, "note"), "a hard evening");
    cr_assert_str_eq(rw_str(sr, "state"), "asking_buddies");

    cr_assert_str_eq(rw_str(json_array_get(section(doc, "blocks", 1), 0), "handle"), "thorn");
    json_t *rep = json_array_get(section(doc, "reports", 1), 0);
    cr_assert_str_eq(rw_str(rep, "room"), "porch");
    cr_assert_eq(num(rep, "seq"), bad);
    cr_assert_str_eq(rw_str(rep, "reason"), "unkind");
    cr_assert_str_eq(rw_str(rep, "status"), "open");
    section(doc, "attendance", 0);
    json_t *told = json_object_get(doc, "milestones_told");
    cr_assert_geq(json_array_size(told), 1, "the year reached since 2025-06-01 was told");
    cr_assert_str_eq(rw_str(json_array_get(told, 0), "from"), "2025-06-01");
    cr_assert(rw_str(json_array_get(told, 0), "key"));
    section(doc, "sanctions", 0);
    cr_assert(json_array_size(section(doc, "sessions", 1)) == 1);
    cr_assert(json_is_null(json_object_get(doc, "match_pool")));

    /* Nothing private of anyone else's, and no secrets. */
    const char *never[] = {"moss keeps this to himself", "Moss's mum", "moss answers wren",
                           "moss on the porch", "thorn's hurtful words", "scrypt", "pw_hash"};
    for (size_t i = 0; i < sizeof never / sizeof never[0]; i++)
        cr_assert_null(strstr(text, never[i]), "'%s' is not wren's", never[i]);
    free(text);
    json_decref(doc);

    /* moss's own holds his, seen from his side, and none of wren's. */
    doc = export_all(&moss, &text, NULL, NULL);
    cr_assert_str_eq(rw_str(json_array_get(section(doc, "checkins", 1), 0), "note"),
                     "moss keeps this to himself");
    b = json_array_get(section(doc, "buddies", 1), 0);
    cr_assert_str_eq(rw_str(b, "handle"), "wren", "fern's request to wren is not moss's");
    cr_assert(json_is_true(json_object_get(b, "paired")));
    cr_assert_str_eq(rw_str(json_array_get(section(doc, "pings", 2), 0), "direction"),
                     "received");
    cr_assert(json_is_null(json_object_get(doc, "settings")), "moss never set any");
    section(doc, "support_requests", 0);
    const char *wrens[] = {"wren's own note", "payday comes", "a hard evening", "hello porch",
                           "wren to moss, just us", "unkind"};
    for (size_t i = 0; i < sizeof wrens / sizeof wrens[0]; i++)
        cr_assert_null(strstr(text, wrens[i]), "'%s' is not moss's", wrens[i]);
    free(text);
    json_decref(doc);

    free(conv);
    HD_FINISH(&hd, &wren, &moss, &thorn, &fern);
}

/* 1000 characters of 1, 2 and 4 bytes, so cuts fall in every position
 * of a character; message i starts with its number. */
static void long_text(char *out, int i)
{
    static const char *const CH[] = {"a", "\xc3\xa9", "\xf0\x9f\x8c\xb1"};   /* a é 🌱 */
    int n = sprintf(out, "%03d ", i);
    for (int c = 4; c < 1000; c++)
        n += sprintf(out + n, "%s", CH[(c + i) % 3]);
}

Test(export, a_big_export_in_parts_for_this_session_only)
{
    struct rawws wren, other;
    hd_start(&hd, hd_unlimited_rate);
    rw_person(&wren, hd.port, "wren", PW);
    rw_ok(rw_call(&wren, "room.create", json_pack("{s:s, s:s}", "room", "hall", "title", "Hall")));
    static char texts[300][4100];
    for (int i = 0; i < 300; i++) {
        long_text(texts[i], i);
        say(&wren, "hall", texts[i]);
    }

    char *id = NULL;
    unsigned parts = 0;
    json_t *doc = export_all(&wren, NULL, &id, &parts);
    cr_assert_gt(parts, 1, "about 700 KB comes in several parts");
    json_t *msgs = section(doc, "messages", 300);
    for (int i = 0; i < 300; i++)
        cr_assert_str_eq(rw_str(json_array_get(msgs, i), "text"), texts[i], "message %d", i);
    json_decref(doc);

    /* Parts again, in any order, while it lasts; nothing past the end. */
    rw_ok(part(&wren, id, parts - 1));
    rw_ok(part(&wren, id, 0));
    refused_with(part(&wren, id, parts), "invalid_field", NULL);
    refused_with(part(&wren, "0123456789abcdef", 0), "invalid_field", GONE);
    refused_with(rw_call(&wren, "account.export", json_pack("{s:s}", "export", "NOT-HEX")),
                 "invalid_field", NULL);

    /* Another session of the same member cannot read it. */
    free(rw_login(&other, hd.port, "wren", PW));
    refused_with(part(&other, id, 0), "invalid_field", GONE);
    rw_close(&other);

    /* A new export replaces the old one; ten minutes on, it is gone. */
    char *id2 = NULL;
    json_decref(export_all(&wren, NULL, &id2, NULL));
    cr_assert_str_neq(id, id2);
    refused_with(part(&wren, id, 0), "invalid_field", GONE);
    rw_ok(part(&wren, id2, 0));
    hd_advance(&hd, KEEP_MS - 1000);
    rw_ok(part(&wren, id2, 0));
    hd_advance(&hd, 2000);
    refused_with(part(&wren, id2, 0), "invalid_field", GONE);
    free(id);
    free(id2);

    /* The server stops cleanly with an export still held. */
    json_decref(export_all(&wren, NULL, NULL, NULL));
    cr_assert_eq(hd_stop(&hd), 0);
    rw_close(&wren);
}
