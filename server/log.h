/*
 * Leveled logging for hearthd: one line per event on stderr, with a UTC
 * timestamp and level. Never pass message text, check-in contents,
 * passwords or tokens: log who and what happened, not what was said.
 */
#ifndef HEARTH_LOG_H
#define HEARTH_LOG_H

enum log_level { LOG_DEBUG = 0, LOG_INFO, LOG_WARN, LOG_ERROR };

void log_set_level(enum log_level lvl);
/* Parses "debug", "info", "warn" or "error"; returns 0 or -1. */
int log_parse_level(const char *name, enum log_level *out);
void log_msg(enum log_level lvl, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)
#define log_info(...) log_msg(LOG_INFO, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_WARN, __VA_ARGS__)
#define log_error(...) log_msg(LOG_ERROR, __VA_ARGS__)

#endif
