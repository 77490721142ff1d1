/*
 * Password prompts for the one-shot commands, before the loop runs: the
 * terminal with echo off (the prompt goes to stderr so stdout stays clean
 * for scripts), else one line of standard input.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "hearth.h"

static char *read_line_fd(int fd)
{
    size_t cap = 128, len = 0;
    char *s = malloc(cap);
    if (!s)
        return NULL;
    for (;;) {
        char ch;
        ssize_t r = read(fd, &ch, 1);
        if (r <= 0) {
            if (len == 0) {
                free(s);
                return NULL;
            }
            break;
        }
        if (ch == '\n')
            break;
        if (len + 2 > cap) {
            char *n = realloc(s, cap * 2);
            if (!n) {
                secret_wipe(s);
                return NULL;
            }
            s = n;
            cap *= 2;
        }
        s[len++] = ch;
    }
    if (len && s[len - 1] == '\r')
        len--;
    s[len] = '\0';
    return s;
}

static struct termios restore_tio;

/* Ctrl-C or Ctrl-\ while echo is off: put the terminal back, then die. */
static void on_signal(int sig)
{
    tcsetattr(0, TCSANOW, &restore_tio);
    (void)!write(2, "\n", 1);
    _exit(128 + sig);
}

char *secret_read(const char *prompt)
{
    if (!isatty(0))
        return read_line_fd(0);   /* unbuffered: nothing past the line is consumed */
    struct termios t;
    if (tcgetattr(0, &restore_tio) != 0)
        return read_line_fd(0);
    t = restore_tio;
    t.c_lflag &= ~(tcflag_t)(ECHO | ECHONL);
    t.c_lflag |= ICANON;
    struct sigaction sa, old_int, old_quit, old_term;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &old_int);
    sigaction(SIGQUIT, &sa, &old_quit);
    sigaction(SIGTERM, &sa, &old_term);
    fputs(prompt, stderr);
    fflush(stderr);
    tcsetattr(0, TCSAFLUSH, &t);
    char *s = read_line_fd(0);
    tcsetattr(0, TCSAFLUSH, &restore_tio);
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGQUIT, &old_quit, NULL);
    sigaction(SIGTERM, &old_term, NULL);
    fputc('\n', stderr);
    return s;
}

void secret_wipe(char *s)
{
    if (!s)
        return;
    volatile char *p = s;
    while (*p)
        *p++ = '\0';
    free(s);
}
