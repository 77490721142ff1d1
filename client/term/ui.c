/*
 * Output. Lines are printed between input_hide() and input_show(), which
 * clear the readline prompt and the half-typed line and redraw them after,
 * so incoming messages never garble what is being typed.
 */
#include <langinfo.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "hearth.h"

static bool use_color;
static bool use_utf8;

void ui_init(bool color)
{
    use_color = color;
    /* main() has called setlocale(LC_ALL, ""). */
    const char *cs = nl_langinfo(CODESET);
    use_utf8 = cs && (strcasecmp(cs, "UTF-8") == 0 || strcasecmp(cs, "utf8") == 0);
}

bool ui_utf8(void)
{
    return use_utf8;
}

bool ui_tty(void)
{
    return isatty(1);
}

void ui_bell(void)
{
    if (ui_tty()) {
        fputc('\a', stdout);
        fflush(stdout);
    }
}

int64_t ui_now_ms(void)
{
    struct timespec ts;
    timespec_get(&ts, TIME_UTC);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

bool ui_color(void)
{
    return use_color;
}

const char *ui_reset(void)
{
    return use_color ? "\033[0m" : "";
}

const char *ui_dim(void)
{
    return use_color ? "\033[2m" : "";
}

const char *ui_bold(void)
{
    return use_color ? "\033[1m" : "";
}

const char *ui_handle_color(const char *handle)
{
    static const char *palette[] = {"\033[1;31m", "\033[1;32m", "\033[1;33m",
                                    "\033[1;34m", "\033[1;35m", "\033[1;36m"};
    if (!use_color || !handle)
        return "";
    uint32_t h = 2166136261u;   /* FNV-1a: stable across runs */
    for (const char *p = handle; *p; p++)
        h = (h ^ (unsigned char)*p) * 16777619u;
    return palette[h % (sizeof palette / sizeof palette[0])];
}

static const char *style_on(enum ui_style st)
{
    if (!use_color)
        return "";
    switch (st) {
    case UI_DIM: return "\033[2m";
    case UI_ERROR: return "\033[31m";
    case UI_NOTICE: return "\033[36m";
    case UI_BOLD: return "\033[1m";
    case UI_WARN: return "\033[1;33m";
    case UI_CARE: return "\033[1;35m";
    default: return "";
    }
}

void ui_line(enum ui_style st, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char small[512];
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    char *msg = small;
    if (n < 0)
        return;
    if ((size_t)n >= sizeof small) {
        msg = malloc((size_t)n + 1);
        if (!msg)
            return;
        va_start(ap, fmt);
        vsnprintf(msg, (size_t)n + 1, fmt, ap);
        va_end(ap);
    }
    input_hide();
    const char *on = style_on(st);
    fprintf(stdout, "%s%s%s\n", on, msg, *on ? "\033[0m" : "");
    fflush(stdout);
    input_show();
    if (msg != small)
        free(msg);
}
