/*
 * Test support: run the real hearthd binary as a child process on a free
 * port with its own temporary data directory, and drive its clock.
 */
#ifndef HEARTH_TEST_HDPROC_H
#define HEARTH_TEST_HDPROC_H

#include <stdbool.h>
#include <sys/types.h>

struct hdproc {
    pid_t pid;
    int port;
    int stdin_fd;            /* --test-clock commands */
    int stdout_fd;
    char data_dir[256];
    char url[64];            /* http://127.0.0.1:PORT */
    char *extra[16];         /* extra arguments given at start, reused on restart */
    int n_extra;
};

/* Rate limits lifted, for tests that send quickly: the test clock stands
 * still, so the buckets would never refill. The rate rules have their own
 * tests. NULL-terminated, for hd_start. */
extern const char *const hd_unlimited_rate[];

/* Starts hearthd with --test-clock, a fresh data dir, port 0, a low scrypt
 * cost and no welcome room, plus the NULL-terminated extra arguments (later
 * flags win). Waits for the
 * "listening" line. Aborts the test (cr_assert) on failure. */
void hd_start(struct hdproc *h, const char *const *extra);
/* Starts again on the same port and data directory (after stop/kill). */
void hd_restart(struct hdproc *h);
/* SIGTERM and wait; returns the exit status (or -1 if it died by a signal). */
int hd_stop(struct hdproc *h);
/* SIGKILL and wait. */
void hd_kill9(struct hdproc *h);
/* Moves the server's clock forward and waits until it has done so. */
void hd_advance(struct hdproc *h, long long ms);
/* Removes the data directory. */
void hd_cleanup(struct hdproc *h);
/* Runs `hearthd admin --data-dir DIR args...`; returns its exit status. */
int hd_admin(struct hdproc *h, const char *const *args, char *out, size_t outlen);

#endif
