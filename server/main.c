/*
 * hearthd: start-up, signals and the orderly shutdown.
 *
 * Shutdown order (ENGINEERING.md s.3): on SIGINT/SIGTERM every client is
 * told 1001 and given a moment to receive it; then, inside a uv callback,
 * the lws context starts closing and we close only our own handles; when
 * uv_run returns by itself the context is destroyed for good, the database
 * writer commits whatever is still queued, and the loop closes.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <uv.h>

#include "admin.h"
#include "config.h"
#include "log.h"
#include "net.h"
#include "server.h"

#define SHUTDOWN_GRACE_MS 2000

struct app {
    uv_loop_t loop;
    struct server srv;
    struct net *net;
    uv_signal_t sigint, sigterm;
    uv_timer_t grace;            /* real time: shutdown is not a timed rule */
    uv_pipe_t stdin_pipe;        /* --test-clock commands */
    bool stdin_open;
    bool closing;
    uint64_t grace_deadline;
    char line[128];
    size_t line_len;
};

static void on_db_ready(uv_async_t *h)
{
    struct server *srv = h->data;
    hdb_run_completions(srv->db);
}

/* Called by the writer thread. uv_async_send is the one uv call that is
 * safe from another thread. */
static void db_notify(void *ud) { uv_async_send(ud); }

static void finish_close(struct app *a)
{
    uv_timer_stop(&a->grace);
    uv_close((uv_handle_t *)&a->grace, NULL);
    uv_close((uv_handle_t *)&a->sigint, NULL);
    uv_close((uv_handle_t *)&a->sigterm, NULL);
    if (a->stdin_open) {
        uv_close((uv_handle_t *)&a->stdin_pipe, NULL);
        a->stdin_open = false;
    }
    /* The writer may still notify until hdb_close: keep the async handle
     * open but let it not hold the loop. */
    uv_unref((uv_handle_t *)&a->srv.db_async);
    /* Completions still to come read the clock: free it only at the end. */
    clock_detach(a->srv.clock);
    net_begin_close(a->net);
}

static void on_grace(uv_timer_t *t)
{
    struct app *a = t->data;
    if (a->srv.n_sessions > 0 && uv_now(&a->loop) < a->grace_deadline)
        return;
    finish_close(a);
}

static void begin_shutdown(struct app *a, const char *why)
{
    if (a->closing)
        return;
    a->closing = true;
    a->srv.shutting_down = true;
    log_info("shutting down (%s), %zu connections", why, a->srv.n_sessions);
    for (size_t i = 0; i < a->srv.n_sessions; i++)
        session_close(a->srv.sessions[i], 1001, "server shutting down");
    /* Check every 50 ms whether everyone has gone; give up waiting after
     * the grace period. */
    uv_update_time(&a->loop);
    a->grace.data = a;
    a->grace_deadline = uv_now(&a->loop) + SHUTDOWN_GRACE_MS;
    uv_timer_start(&a->grace, on_grace, 50, 50);
}

static void on_signal(uv_signal_t *h, int signum)
{
    begin_shutdown(h->data, signum == SIGINT ? "SIGINT" : "SIGTERM");
}

/* ---- --test-clock: "advance MS" lines on stdin move the clock ---- */

static void on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
    static char scratch[256];
    (void)h;
    (void)suggested;
    *buf = uv_buf_init(scratch, sizeof scratch);
}

static void test_command(struct app *a, const char *line)
{
    long long ms;
    if (sscanf(line, "advance %lld", &ms) == 1 && ms >= 0) {
        clock_advance(a->srv.clock, ms);
        printf("advanced %lld\n", ms);
        fflush(stdout);
    } else if (*line) {
        log_warn("test clock: unknown command");
    }
}

static void on_stdin(uv_stream_t *s, ssize_t n, const uv_buf_t *buf)
{
    struct app *a = s->data;
    if (n < 0) {
        uv_close((uv_handle_t *)s, NULL);
        a->stdin_open = false;
        return;
    }
    for (ssize_t i = 0; i < n; i++) {
        char ch = buf->base[i];
        if (ch == '\n') {
            a->line[a->line_len] = '\0';
            test_command(a, a->line);
            a->line_len = 0;
        } else if (a->line_len + 1 < sizeof a->line) {
            a->line[a->line_len++] = ch;
        }
    }
}

static int make_data_dir(const char *dir)
{
    if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
        log_error("cannot create data directory %s: %s", dir, strerror(errno));
        return -1;
    }
    return 0;
}

static int run(const struct config *cfg)
{
    static struct app app; /* large; lives for the whole process */
    struct app *a = &app;
    struct server *srv = &a->srv;
    log_set_level(cfg->log_level);
    if (make_data_dir(cfg->data_dir) != 0)
        return 1;
    if (uv_loop_init(&a->loop) != 0)
        return 1;
    uv_async_init(&a->loop, &srv->db_async, on_db_ready);
    srv->db_async.data = srv;

    char path[1024], err[256];
    snprintf(path, sizeof path, "%s/hearth.db", cfg->data_dir);
    struct hdb_options opt = {.path = path, .notify = db_notify, .notify_ud = &srv->db_async};
    if (hdb_open(&opt, &srv->db, err, sizeof err) != HDB_OK) {
        log_error("database: %s", err);
        return 1;
    }
    srv->clock = clock_new(&a->loop, cfg->test_clock);
    if (!srv->clock || server_init(srv, &a->loop, cfg) != 0) {
        log_error("could not load the server's state");
        return 1;
    }
    a->net = net_start(srv);
    if (!a->net)
        return 1;

    uv_signal_init(&a->loop, &a->sigint);
    uv_signal_init(&a->loop, &a->sigterm);
    a->sigint.data = a->sigterm.data = a;
    uv_signal_start(&a->sigint, on_signal, SIGINT);
    uv_signal_start(&a->sigterm, on_signal, SIGTERM);
    uv_timer_init(&a->loop, &a->grace);

    if (cfg->test_clock) {
        if (uv_pipe_init(&a->loop, &a->stdin_pipe, 0) == 0 && uv_pipe_open(&a->stdin_pipe, 0) == 0) {
            a->stdin_pipe.data = a;
            a->stdin_open = true;
            uv_read_start((uv_stream_t *)&a->stdin_pipe, on_alloc, on_stdin);
        } else {
            log_error("--test-clock needs standard input to be a pipe");
            return 1;
        }
        log_warn("test clock: time moves only on `advance MS`");
    }

    const char *scheme = cfg->tls_cert[0] ? "https" : "http";
    bool v6 = strchr(cfg->listen_host, ':') != NULL;
    printf("hearthd listening on %s://%s%s%s:%d\n", scheme, v6 ? "[" : "", cfg->listen_host,
           v6 ? "]" : "", net_port(a->net));
    fflush(stdout);
    log_info("hearthd %s ready; data in %s", HEARTH_VERSION, cfg->data_dir);

    uv_run(&a->loop, UV_RUN_DEFAULT);

    net_free(a->net);
    hdb_close(srv->db);   /* commits what is queued; runs the last completions */
    srv->db = NULL;
    uv_close((uv_handle_t *)&srv->db_async, NULL);
    clock_free(srv->clock);
    uv_run(&a->loop, UV_RUN_DEFAULT);
    server_free(srv);
    int rc = uv_loop_close(&a->loop);
    if (rc != 0)
        log_warn("loop closed with handles still open: %s", uv_strerror(rc));
    log_info("stopped");
    return 0;
}

int main(int argc, char **argv)
{
    /* The database holds private lives: files hearthd (or its admin
     * commands) create are readable by its own user only. */
    umask(077);
    if (argc > 1 && !strcmp(argv[1], "admin"))
        return admin_main(argc - 1, argv + 1);
    struct config cfg;
    config_defaults(&cfg);
    int rc = config_parse_args(&cfg, argc, argv);
    if (rc == 0)
        rc = run(&cfg);
    else if (rc > 0)
        rc = 0;
    else
        rc = 2;
    config_free(&cfg);
    return rc;
}
