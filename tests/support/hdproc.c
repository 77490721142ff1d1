#include "hdproc.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define START_TIMEOUT_MS 20000

const char *const hd_unlimited_rate[] = {"--rate", "10000", "--rate-burst", "10000",
                                         "--user-rate", "10000", "--user-rate-burst", "10000",
                                         NULL};

/* Reads one line from fd with a bound on the wait. Returns length or -1. */
static int read_line(int fd, char *buf, size_t size, int timeout_ms)
{
    size_t n = 0;
    while (n + 1 < size) {
        struct pollfd p = {.fd = fd, .events = POLLIN};
        if (poll(&p, 1, timeout_ms) <= 0)
            return -1;
        char ch;
        ssize_t r = read(fd, &ch, 1);
        if (r <= 0)
            return -1;
        if (ch == '\n')
            break;
        buf[n++] = ch;
    }
    buf[n] = '\0';
    return (int)n;
}

static void spawn(struct hdproc *h, int port)
{
    int in[2], out[2];
    cr_assert(pipe(in) == 0 && pipe(out) == 0);
    char listen[64];
    snprintf(listen, sizeof listen, "127.0.0.1:%d", port);
    /* No welcome room unless a test asks for one: tests count the rooms they make. */
    const char *argv[40] = {HEARTHD_PATH, "--listen", listen, "--data-dir", h->data_dir,
                            "--scrypt-cost", "10", "--test-clock", "--log-level", "warn",
                            "--welcome-room", ""};
    int argc = 12;
    for (int i = 0; i < h->n_extra && argc < 38; i++)
        argv[argc++] = h->extra[i];
    argv[argc] = NULL;

    pid_t pid = fork();
    cr_assert(pid >= 0);
    if (pid == 0) {
        dup2(in[0], 0);
        dup2(out[1], 1);
        close(in[0]);
        close(in[1]);
        close(out[0]);
        close(out[1]);
        execv(argv[0], (char *const *)argv);
        _exit(127);
    }
    close(in[0]);
    close(out[1]);
    h->pid = pid;
    h->stdin_fd = in[1];
    h->stdout_fd = out[0];
    char line[256];
    int n = read_line(h->stdout_fd, line, sizeof line, START_TIMEOUT_MS);
    cr_assert(n > 0, "hearthd did not print its listening line");
    int got = 0;
    char scheme[8] = "";
    cr_assert(sscanf(line, "hearthd listening on %7[a-z]://127.0.0.1:%d", scheme, &got) == 2,
              "unexpected first line: %s", line);
    h->port = got;
    snprintf(h->url, sizeof h->url, "%s://127.0.0.1:%d", scheme, got);
}

void hd_start(struct hdproc *h, const char *const *extra)
{
    memset(h, 0, sizeof *h);
    snprintf(h->data_dir, sizeof h->data_dir, "/tmp/hearth-test-XXXXXX");
    cr_assert(mkdtemp(h->data_dir) != NULL);
    for (int i = 0; extra && extra[i] && i < 16; i++)
        h->extra[h->n_extra++] = strdup(extra[i]);
    signal(SIGPIPE, SIG_IGN);
    spawn(h, 0);
}

void hd_restart(struct hdproc *h) { spawn(h, h->port); }

static void close_fds(struct hdproc *h)
{
    close(h->stdin_fd);
    close(h->stdout_fd);
    h->pid = 0;
}

int hd_stop(struct hdproc *h)
{
    if (!h->pid)
        return -1;
    kill(h->pid, SIGTERM);
    int status = 0;
    waitpid(h->pid, &status, 0);
    close_fds(h);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

void hd_kill9(struct hdproc *h)
{
    if (!h->pid)
        return;
    kill(h->pid, SIGKILL);
    waitpid(h->pid, NULL, 0);
    close_fds(h);
}

void hd_advance(struct hdproc *h, long long ms)
{
    char cmd[64], line[128];
    int n = snprintf(cmd, sizeof cmd, "advance %lld\n", ms);
    cr_assert(write(h->stdin_fd, cmd, (size_t)n) == n);
    cr_assert(read_line(h->stdout_fd, line, sizeof line, 10000) > 0);
    cr_assert(strncmp(line, "advanced", 8) == 0, "unexpected: %s", line);
}

void hd_cleanup(struct hdproc *h)
{
    if (h->pid)
        hd_stop(h);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", h->data_dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", h->data_dir);
    for (int i = 0; i < h->n_extra; i++)
        free(h->extra[i]);
    h->n_extra = 0;
}

int hd_admin(struct hdproc *h, const char *const *args, char *out, size_t outlen)
{
    int p[2];
    cr_assert(pipe(p) == 0);
    const char *argv[20] = {HEARTHD_PATH, "admin", "--data-dir", h->data_dir};
    int argc = 4;
    for (int i = 0; args[i] && argc < 19; i++)
        argv[argc++] = args[i];
    argv[argc] = NULL;
    pid_t pid = fork();
    if (pid == 0) {
        dup2(p[1], 1);
        close(p[0]);
        close(p[1]);
        execv(argv[0], (char *const *)argv);
        _exit(127);
    }
    close(p[1]);
    size_t n = 0;
    ssize_t r;
    while (out && n + 1 < outlen && (r = read(p[0], out + n, outlen - 1 - n)) > 0)
        n += (size_t)r;
    if (out)
        out[n] = '\0';
    close(p[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}
