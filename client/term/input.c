/*
 * Standard input for the interactive client.
 *
 * A terminal: GNU readline through its callback interface, fed by a
 * uv_poll on fd 0, so the loop keeps serving the connection while a line
 * is typed. Readline's own signal handlers are off (rl_catch_signals = 0):
 * chat.c handles SIGINT and SIGWINCH with uv_signal and calls back here.
 * Passwords: readline is taken down, echo turned off (termios) and one
 * canonical-mode line read from fd 0; then readline comes back.
 *
 * Not a terminal (ENGINEERING.md §3): uv_guess_handle(0) says which handle
 * fits: a pipe or a socket is read as a stream, a regular file (or
 * /dev/null) with uv_fs_read, which uv_pipe/uv_tty/uv_poll refuse.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <readline/history.h>
#include <readline/readline.h>

#include "hearth.h"

static struct {
    uv_loop_t *loop;
    input_line_cb cb;
    void *ud;
    bool tty;
    bool rl_on;          /* readline's callback handler installed */
    bool in_handler;     /* inside readline's line handler: the entered
                            line is finished and the cursor is below it */
    bool secret;         /* reading a password line */
    bool stopped;
    bool eof;
    uv_handle_type kind;
    union {
        uv_poll_t poll;
        uv_pipe_t pipe;
        uv_tcp_t tcp;
    } h;
    bool h_open;
    uv_fs_t fs;
    bool fs_busy;
    char fsbuf[65536];
    char *acc;           /* a partial line */
    size_t acc_len, acc_cap;
    char *prompt;
    char *secret_prompt;
    struct termios saved;
    bool saved_ok;
} in;

bool input_is_tty(void)
{
    return in.tty;
}

/* ------------------------------------------------------------ lines */

static void acc_add(const char *p, size_t n)
{
    if (in.acc_len + n + 1 > in.acc_cap) {
        size_t cap = in.acc_cap ? in.acc_cap * 2 : 256;
        while (cap < in.acc_len + n + 1)
            cap *= 2;
        char *x = realloc(in.acc, cap);
        if (!x)
            abort();
        in.acc = x;
        in.acc_cap = cap;
    }
    memcpy(in.acc + in.acc_len, p, n);
    in.acc_len += n;
    in.acc[in.acc_len] = '\0';
}

static char *acc_take(void)
{
    size_t n = in.acc_len;
    if (n && in.acc[n - 1] == '\r')
        n--;
    char *line = malloc(n + 1);
    if (!line)
        abort();
    memcpy(line, in.acc ? in.acc : "", n);
    line[n] = '\0';
    in.acc_len = 0;
    return line;
}

/* Splits bytes into lines and hands each to the callback. */
static void feed(const char *p, size_t n)
{
    while (n && !in.stopped) {
        const char *nl = memchr(p, '\n', n);
        if (!nl) {
            acc_add(p, n);
            return;
        }
        acc_add(p, (size_t)(nl - p));
        in.cb(acc_take(), in.ud);
        n -= (size_t)(nl - p) + 1;
        p = nl + 1;
    }
}

static void at_eof(void)
{
    if (in.eof || in.stopped)
        return;
    in.eof = true;
    if (in.acc_len)
        in.cb(acc_take(), in.ud);
    if (!in.stopped)
        in.cb(NULL, in.ud);
}

/* ------------------------------------------------------ not a terminal */

static void alloc_cb(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
    (void)h;
    (void)suggested;
    buf->base = in.fsbuf;
    buf->len = sizeof in.fsbuf;
}

static void read_cb(uv_stream_t *s, ssize_t n, const uv_buf_t *buf)
{
    if (n > 0) {
        feed(buf->base, (size_t)n);
    } else if (n < 0) {
        uv_read_stop(s);
        at_eof();
    }
}

static void fs_read_cb(uv_fs_t *req);

static void fs_next(void)
{
    uv_buf_t b = uv_buf_init(in.fsbuf, sizeof in.fsbuf);
    in.fs_busy = uv_fs_read(in.loop, &in.fs, 0, &b, 1, -1, fs_read_cb) == 0;
    if (!in.fs_busy)
        at_eof();
}

static void fs_read_cb(uv_fs_t *req)
{
    ssize_t n = req->result;
    uv_fs_req_cleanup(req);
    in.fs_busy = false;
    if (in.stopped)
        return;
    if (n > 0) {
        feed(in.fsbuf, (size_t)n);
        if (!in.stopped)
            fs_next();
    } else {
        at_eof();
    }
}

/* ----------------------------------------------------------- terminal */

static void rl_line(char *line)
{
    if (!line) {
        /* Ctrl-D on an empty line */
        rl_callback_handler_remove();
        in.rl_on = false;
        fputc('\n', rl_outstream);
        at_eof();
        return;
    }
    if (*line)
        add_history(line);
    in.in_handler = true;
    in.cb(line, in.ud);
    in.in_handler = false;
}

static void rl_install(void)
{
    if (in.rl_on || in.stopped || in.secret || in.eof)
        return;
    rl_callback_handler_install(in.prompt ? in.prompt : "> ", rl_line);
    in.rl_on = true;
}

static void echo(bool on)
{
    struct termios t;
    if (!on) {
        if (tcgetattr(0, &in.saved) != 0)
            return;
        in.saved_ok = true;
        t = in.saved;
        t.c_lflag &= ~(tcflag_t)(ECHO | ECHONL);
        t.c_lflag |= ICANON;
        tcsetattr(0, TCSAFLUSH, &t);
    } else if (in.saved_ok) {
        tcsetattr(0, TCSAFLUSH, &in.saved);
        in.saved_ok = false;
    }
}

static void secret_done(void)
{
    echo(true);
    in.secret = false;
    fputc('\n', stdout);
    fflush(stdout);
}

static void poll_cb(uv_poll_t *p, int status, int events)
{
    (void)p;
    (void)events;
    if (in.stopped)
        return;
    if (status < 0) {
        at_eof();
        return;
    }
    if (!in.secret) {
        if (in.rl_on)
            rl_callback_read_char();
        return;
    }
    char buf[512];
    ssize_t n = read(0, buf, sizeof buf);
    if (n <= 0) {
        if (n < 0 && (errno == EAGAIN || errno == EINTR))
            return;
        secret_done();
        at_eof();
        return;
    }
    const char *nl = memchr(buf, '\n', (size_t)n);
    if (!nl) {
        acc_add(buf, (size_t)n);
        return;
    }
    acc_add(buf, (size_t)(nl - buf));
    char *line = acc_take();
    secret_done();
    in.cb(line, in.ud);   /* may begin another secret prompt */
    rl_install();
}

/* -------------------------------------------------------------- api */

int input_start(uv_loop_t *loop, const char *prompt, input_line_cb cb, void *ud)
{
    memset(&in, 0, sizeof in);
    in.loop = loop;
    in.cb = cb;
    in.ud = ud;
    in.prompt = strdup(prompt ? prompt : "> ");
    in.kind = uv_guess_handle(0);
    int rc;
    switch (in.kind) {
    case UV_TTY:
        in.tty = true;
        rl_catch_signals = 0;
        rl_catch_sigwinch = 0;
        rl_outstream = isatty(1) ? stdout : stderr;
        rc = uv_poll_init(loop, &in.h.poll, 0);
        if (rc < 0)
            return rc;
        in.h_open = true;
        rl_install();
        return uv_poll_start(&in.h.poll, UV_READABLE, poll_cb);
    case UV_NAMED_PIPE:
        rc = uv_pipe_init(loop, &in.h.pipe, 0);
        if (rc == 0) {
            in.h_open = true;
            rc = uv_pipe_open(&in.h.pipe, 0);
        }
        return rc < 0 ? rc : uv_read_start((uv_stream_t *)&in.h.pipe, alloc_cb, read_cb);
    case UV_TCP:
        rc = uv_tcp_init(loop, &in.h.tcp);
        if (rc == 0) {
            in.h_open = true;
            rc = uv_tcp_open(&in.h.tcp, 0);
        }
        return rc < 0 ? rc : uv_read_start((uv_stream_t *)&in.h.tcp, alloc_cb, read_cb);
    case UV_FILE:
        fs_next();
        return 0;
    default:
        /* closed or unusable stdin: behave as if empty */
        in.eof = false;
        at_eof();
        return 0;
    }
}

void input_set_prompt(const char *prompt)
{
    free(in.prompt);
    in.prompt = strdup(prompt ? prompt : "> ");
    if (in.rl_on) {
        rl_set_prompt(in.prompt);
        if (!in.in_handler)   /* else readline shows it once the handler returns */
            rl_redisplay();
    }
}

void input_secret_begin(const char *prompt)
{
    if (!in.tty || in.stopped)
        return;
    if (in.rl_on) {
        /* keep what was typed out of the way: the line is dropped */
        rl_callback_handler_remove();
        in.rl_on = false;
    }
    free(in.secret_prompt);
    in.secret_prompt = strdup(prompt);
    in.secret = true;
    in.acc_len = 0;
    echo(false);
    fputs(prompt, stdout);
    fflush(stdout);
}

void input_secret_end(void)
{
    if (!in.secret)
        return;
    secret_done();
    in.acc_len = 0;
    rl_install();
}

bool input_secret_active(void)
{
    return in.secret;
}

bool input_clear_line(void)
{
    if (!in.rl_on)
        return false;
    bool had = rl_end > 0;
    rl_replace_line("", 0);
    rl_point = rl_end = 0;
    fputs("^C\n", rl_outstream);
    rl_on_new_line();
    rl_redisplay();
    return had;
}

void input_resize(void)
{
    if (in.rl_on)
        rl_resize_terminal();
}

static size_t display_cols(const char *s)
{
    /* Code points; wide characters (CJK, emoji) count one, so a line full
     * of them may leave a row behind: cosmetic only. */
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if ((*p & 0xC0) != 0x80)
            n++;
    return n;
}

void input_erase_entered(const char *line)
{
    if (!in.tty || !isatty(1) || rl_outstream != stdout)
        return;
    int rows = 0, cols = 0;
    rl_get_screen_size(&rows, &cols);
    if (cols <= 0)
        return;
    size_t w = display_cols(in.prompt ? in.prompt : "") + display_cols(line);
    size_t n = w ? (w + (size_t)cols - 1) / (size_t)cols : 1;
    if (n > (size_t)rows)
        return;
    for (size_t i = 0; i < n; i++)
        fputs("\033[A\033[2K", stdout);
    fputc('\r', stdout);
    fflush(stdout);
}

void input_hide(void)
{
    if (in.in_handler)
        return;   /* readline redraws the prompt once the handler returns */
    if (in.rl_on) {
        rl_clear_visible_line();
    } else if (in.secret) {
        fputs("\r\033[K", stdout);
    }
}

void input_show(void)
{
    if (in.in_handler)
        return;
    if (in.rl_on) {
        rl_forced_update_display();
    } else if (in.secret && in.secret_prompt) {
        fputs(in.secret_prompt, stdout);
        fflush(stdout);
    }
}

static void closed_cb(uv_handle_t *h)
{
    (void)h;
}

void input_stop(void)
{
    if (in.stopped)
        return;
    in.stopped = true;
    if (in.secret) {
        echo(true);
        in.secret = false;
    }
    if (in.rl_on) {
        rl_callback_handler_remove();
        in.rl_on = false;
    }
    if (in.h_open) {
        uv_close((uv_handle_t *)&in.h, closed_cb);
        in.h_open = false;
    }
    if (in.fs_busy)
        uv_cancel((uv_req_t *)&in.fs);
    free(in.prompt);
    in.prompt = NULL;
    free(in.secret_prompt);
    in.secret_prompt = NULL;
    free(in.acc);
    in.acc = NULL;
    in.acc_len = in.acc_cap = 0;
    if (in.tty)
        rl_clear_history();
}
