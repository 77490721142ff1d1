/*
 * The welcome room: a brand-new server has one open room for newcomers, made
 * once; a server that already has rooms is left as it is.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "hdproc.h"
#include "rawws.h"

#define PW "correct horse battery"

static struct hdproc hd;
static void stop_server(void) { hd_cleanup(&hd); }

TestSuite(welcome_room, .fini = stop_server, .timeout = 60);

static const char *const with_welcome[] = {"--welcome-room", "Welcome", NULL};

/* The names of the rooms a new account sees, comma-separated. */
static void room_names(const char *handle, char *out, size_t size)
{
    struct rawws w;
    rw_open_ok(&w, hd.port);
    rw_register(&w, handle, PW);
    json_t *r = rw_call(&w, "room.list", NULL);
    json_t *rooms = json_object_get(rw_data(r), "rooms");
    out[0] = '\0';
    for (size_t i = 0; i < json_array_size(rooms); i++) {
        json_t *room = json_array_get(rooms, i);
        strncat(out, rw_str(room, "room"), size - strlen(out) - 2);
        strncat(out, ",", size - strlen(out) - 1);
    }
    json_decref(r);
    rw_close(&w);
}

Test(welcome_room, a_new_server_has_one_open_room_for_newcomers)
{
    hd_start(&hd, with_welcome);
    struct rawws w;
    rw_open_ok(&w, hd.port);
    rw_register(&w, "nina", PW);
    json_t *r = rw_call(&w, "room.list", NULL);
    json_t *rooms = json_object_get(rw_data(r), "rooms");
    cr_assert_eq(json_array_size(rooms), 1);
    json_t *room = json_array_get(rooms, 0);
    cr_assert_str_eq(rw_str(room, "room"), "welcome", "the name is folded like any room name");
    cr_assert_str_eq(rw_str(room, "title"), "Welcome");
    cr_assert_str_eq(rw_str(room, "visibility"), "open");
    cr_assert_eq(json_integer_value(json_object_get(room, "members")), 0, "nobody is in it yet");
    json_decref(r);

    r = rw_call(&w, "room.join", json_pack("{s:s}", "room", "welcome"));
    cr_assert_str_eq(rw_str(json_object_get(rw_data(r), "room"), "role"), "member",
                     "the room has no host: the first to join is an ordinary member");
    json_decref(r);
    rw_ok(rw_call(&w, "room.send", json_pack("{s:s, s:s, s:s}", "room", "welcome", "text", "hi all", "cid", "n-1")));
    rw_close(&w);

    /* A restart does not make a second one, and the first kept its history. */
    hd_stop(&hd);
    hd_restart(&hd);
    char names[256];
    room_names("omar", names, sizeof names);
    cr_assert_str_eq(names, "welcome,");
}

Test(welcome_room, a_server_with_rooms_gets_none)
{
    hd_start(&hd, NULL);
    struct rawws w;
    rw_open_ok(&w, hd.port);
    rw_register(&w, "pia", PW);
    rw_ok(rw_call(&w, "room.create", json_pack("{s:s, s:s}", "room", "porch", "title", "The porch")));
    rw_close(&w);

    hd_stop(&hd);
    hd.extra[hd.n_extra++] = strdup("--welcome-room");
    hd.extra[hd.n_extra++] = strdup("welcome");
    hd_restart(&hd);
    char names[256];
    room_names("quin", names, sizeof names);
    cr_assert_str_eq(names, "porch,", "an operator's existing community is left as it is");
}
