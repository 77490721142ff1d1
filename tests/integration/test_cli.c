/*
 * The `hearth` terminal client as a script would use it: the real binary
 * against the real hearthd, with its saved session in a temporary
 * $XDG_CONFIG_HOME.
 */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "hdproc.h"
#include "rawws.h"

static struct hdproc hd;
static char cfgdir[64];

static void cleanup(void)
{
    hd_cleanup(&hd);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", cfgdir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", cfgdir);
}

struct run { int status; char out[8192], err[4096]; };

/* Runs hearth with `input` on stdin; collects both outputs (bounded). */
static void hearth(struct run *r, const char *input, const char *const *args)
{
    int in[2], out[2], err[2];
    cr_assert(pipe(in) == 0 && pipe(out) == 0 && pipe(err) == 0);
    const char *argv[24] = {HEARTH_PATH, "--server", hd.url};
    int argc = 3;
    for (int i = 0; args[i] && argc < 23; i++)
        argv[argc++] = args[i];
    argv[argc] = NULL;
    pid_t pid = fork();
    cr_assert(pid >= 0);
    if (pid == 0) {
        setenv("XDG_CONFIG_HOME", cfgdir, 1);
        dup2(in[0], 0);
        dup2(out[1], 1);
        dup2(err[1], 2);
        for (int fd = 3; fd < 64; fd++)
            close(fd);
        execv(argv[0], (char *const *)argv);
        _exit(127);
    }
    close(in[0]);
    close(out[1]);
    close(err[1]);
    if (input && write(in[1], input, strlen(input)) < 0)
        cr_assert_fail("could not write hearth's input");
    close(in[1]);
    memset(r, 0, sizeof *r);
    size_t no = 0, ne = 0;
    struct pollfd p[2] = {{.fd = out[0], .events = POLLIN}, {.fd = err[0], .events = POLLIN}};
    int open_fds = 2;
    while (open_fds > 0 && poll(p, 2, 20000) > 0) {
        for (int i = 0; i < 2; i++) {
            if (p[i].fd < 0 || !(p[i].revents & (POLLIN | POLLHUP)))
                continue;
            char *buf = i ? r->err : r->out;
            size_t *n = i ? &ne : &no, cap = (i ? sizeof r->err : sizeof r->out) - 1;
            char scratch[512];
            ssize_t k = read(p[i].fd, *n < cap ? buf + *n : scratch,
                             *n < cap ? cap - *n : sizeof scratch);
            if (k <= 0) {
                close(p[i].fd);
                p[i].fd = -1;
                open_fds--;
            } else if (*n < cap) {
                *n += (size_t)k;
            }
        }
    }
    int status;
    waitpid(pid, &status, 0);
    r->status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

#define HEARTH(r, input, ...)                                    \
    do {                                                         \
        const char *const args_[] = {__VA_ARGS__, NULL};         \
        hearth((r), (input), args_);                             \
    } while (0)

static void start(void)
{
    snprintf(cfgdir, sizeof cfgdir, "/tmp/hearth-cfg-XXXXXX");
    cr_assert(mkdtemp(cfgdir));
    hd_start(&hd, hd_unlimited_rate);
}

TestSuite(cli, .fini = cleanup, .timeout = 120);

Test(cli, one_shot_commands_for_scripts)
{
    start();
    struct run r;
    HEARTH(&r, "a long password here\n", "register", "Scripty");
    cr_assert_eq(r.status, 0, "register failed: %s", r.err);
    cr_assert(strstr(r.out, "scripty"), "names the folded handle: %s", r.out);

    char path[128];
    struct stat st;
    snprintf(path, sizeof path, "%s/hearth", cfgdir);
    cr_assert_eq(stat(path, &st), 0);
    cr_assert_eq(st.st_mode & 0777, 0700, "the config folder is private");
    snprintf(path, sizeof path, "%s/hearth/session", cfgdir);
    cr_assert_eq(stat(path, &st), 0);
    cr_assert_eq(st.st_mode & 0777, 0600, "the saved session is readable by its owner only");

    HEARTH(&r, NULL, "create", "garden", "The garden", "--topic", "Slow mornings");
    cr_assert_eq(r.status, 0, "%s", r.err);
    HEARTH(&r, NULL, "send", "garden", "first", "words");
    cr_assert_eq(r.status, 0, "%s", r.err);
    HEARTH(&r, NULL, "history", "garden");
    cr_assert_eq(r.status, 0);
    cr_assert(strstr(r.out, "scripty: first words"), "history shows the message: %s", r.out);
    HEARTH(&r, NULL, "rooms");
    cr_assert(strstr(r.out, "garden"), "%s", r.out);
    HEARTH(&r, NULL, "who", "garden");
    cr_assert(strstr(r.out, "scripty"), "%s", r.out);

    /* Failures exit non-zero with the server's sentence, never a bare code. */
    HEARTH(&r, NULL, "join", "nowhere");
    cr_assert_eq(r.status, 1);
    cr_assert(strstr(r.err, "There is no room with that name"), "got: %s", r.err);
    HEARTH(&r, NULL, "create", "garden", "Again");
    cr_assert_eq(r.status, 1);
    cr_assert(strstr(r.err, "already exists"), "got: %s", r.err);
    HEARTH(&r, NULL, "status", "sleepy");
    cr_assert_eq(r.status, 2, "a usage error");

    /* The token never appears in what hearth prints. */
    FILE *f = fopen(path, "r");
    char session[1024] = "";
    cr_assert(fread(session, 1, sizeof session - 1, f) > 0);
    fclose(f);
    const char *tok = strstr(session, "\ntoken=");
    cr_assert(tok, "session file: %s", session);
    char token[65] = "";
    sscanf(tok, "\ntoken=%64[0-9a-f]", token);
    cr_assert_eq(strlen(token), 64, "session file: %s", session);
    HEARTH(&r, NULL, "rooms");
    cr_assert(!strstr(r.out, token) && !strstr(r.err, token));

    HEARTH(&r, NULL, "logout");
    cr_assert_eq(r.status, 0);
    HEARTH(&r, NULL, "rooms");
    cr_assert_eq(r.status, 1);
    cr_assert(strstr(r.err, "not signed in"), "got: %s", r.err);
    cr_assert_eq(hd_stop(&hd), 0);
}

Test(cli, chat_reads_a_pipe_line_by_line)
{
    start();
    struct run r;
    HEARTH(&r, "a long password here\n", "register", "piper");
    cr_assert_eq(r.status, 0, "%s", r.err);
    HEARTH(&r, NULL, "create", "porch", "Porch");
    HEARTH(&r, "hello from a pipe\n/status busy\n/who\n", "chat", "porch");
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert(strstr(r.out, "piper: hello from a pipe"), "%s", r.out);
    cr_assert(strstr(r.out, "piper (busy)"), "%s", r.out);
    cr_assert(!strstr(r.out, "\x1b["), "no colour codes over a pipe");
    cr_assert_eq(hd_stop(&hd), 0);
}

Test(cli, chat_tells_what_was_read_and_shows_delivered)
{
    start();
    struct run r;
    struct rawws bob;
    HEARTH(&r, "a long password here\n", "register", "piper");
    cr_assert_eq(r.status, 0, "%s", r.err);
    rw_person(&bob, hd.port, "bob", "correct horse battery");
    rw_ok(rw_call(&bob, "buddy.request", json_pack("{s:s}", "handle", "piper")));
    HEARTH(&r, "/buddy accept bob\n", "chat");
    cr_assert_eq(r.status, 0, "%s", r.err);
    json_t *e = rw_event(&bob, "buddy.update");
    char *conv = strdup(rw_str(e, "conversation"));
    json_decref(e);

    /* bob writes while piper is away; piper's next run shows it and says it was seen. */
    rw_ok(rw_call(&bob, "room.send", json_pack("{s:s, s:s, s:s}", "room", conv, "text",
                                               "are you there?", "cid", "b1")));
    HEARTH(&r, "/dm bob yes, just got here\n/checkins\n", "chat");
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert(strstr(r.out, "<bob> are you there?"), "%s", r.out);
    /* bob is online: piper's message reached him, and piper is told. */
    cr_assert(strstr(r.out, "[@bob] delivered"), "%s", r.out);
    /* bob hears that piper saw his message. */
    for (;;) {
        e = rw_event(&bob, "room.receipt");
        cr_assert_str_eq(rw_str(e, "handle"), "piper");
        long long seen = json_integer_value(json_object_get(e, "seen"));
        json_decref(e);
        if (seen >= 1)
            break;
    }
    free(conv);
    HD_FINISH(&hd, &bob);
}
