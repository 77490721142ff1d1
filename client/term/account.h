/*
 * Your data (PROTOCOL.md section 24): the export put back together from
 * its parts and written to a new file, and the words around deleting the
 * account. Pure but for the file: acct_check_target looks at the file
 * system, acct_free_name too, and acct_write_new writes.
 */
#ifndef HEARTH_TERM_ACCOUNT_H
#define HEARTH_TERM_ACCOUNT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hproto.h"

/* An export being put back together: start from {0}. */
struct acct_export {
    char id[PROTO_EXPORT_ID_MAX + 1];   /* "" before the first part */
    uint32_t parts;                     /* 0 before the first part */
    uint32_t next;                      /* the part to ask for next */
    char *buf;                          /* the parts so far, NUL-terminated */
    size_t len, cap;
};

enum acct_part {
    ACCT_MORE,        /* stored: ask for part e->next of export e->id */
    ACCT_DONE,        /* stored, and it was the last one: e->buf is the document */
    ACCT_BAD,         /* not the part asked for (another export, out of order, the
                         number of parts changed, no id): nothing stored */
    ACCT_NO_MEMORY,
};

/* Adds the part a result brought (its export id, number, count and text). */
enum acct_part acct_export_add(struct acct_export *e, const char *id, uint32_t part,
                               uint32_t parts, const char *data);
void acct_export_free(struct acct_export *e);
/* The document is one JSON object (jansson parses all of it): true; else
 * false with why in words ("it is cut short at line 3: ..."). */
bool acct_export_valid(const char *doc, size_t len, char *why, size_t n);

/* A file name as typed: "~/x" and "~" are under home (when home is set);
 * the rest as is. malloc'd (NULL: no memory). */
char *acct_expand_path(const char *path, const char *home);
/* The name with "-N" before its extension ("export-2.json"), or at its
 * end when it has none ("notes-2"; a leading dot is no extension:
 * ".hearth-2"). malloc'd. */
char *acct_alt_name(const char *path, unsigned n);
/* The first acct_alt_name (N from 2 to 99) that names nothing yet;
 * NULL when none does. malloc'd. */
char *acct_free_name(const char *path);
/* Whether a new file may be made at path: 0; -EEXIST (something is
 * there, a dangling link too), -ENOENT (its folder does not exist),
 * -ENOTDIR, -EACCES (the folder is not writable), -EINVAL (an empty name,
 * or one ending in '/'). */
int acct_check_target(const char *path);
/* Writes len bytes of data to a new file at path with mode 0600 (never
 * over an existing one); a failed write leaves no file. 0 or a negative
 * errno (-EEXIST when something is there). */
int acct_write_new(const char *path, const char *data, size_t len);

/* A size as "2 KB" (to the nearest kilobyte; at least 1 KB when it is not
 * empty), "1,536 KB";
 * from 10 MB on, "12.3 MB". */
void acct_fmt_size(size_t bytes, char out[32]);
/* "Wrote everything Hearth holds about you to FILE (N KB)." malloc'd. */
char *acct_written_text(const char *path, size_t bytes);
/* Why a file cannot be written there (acct_check_target's or
 * acct_write_new's rc), as a sentence; for -EEXIST it suggests
 * `suggest` (NULL: any other name) with `command` ("/export",
 * "hearth export"). malloc'd. */
char *acct_target_text(const char *path, int rc, const char *suggest, const char *command);

/* What deleting the account removes, before it is asked (lines separated
 * by '\n'; static). */
const char *acct_delete_explained(void);
#define ACCT_CONFIRM_PROMPT "Type \"" PROTO_DELETE_CONFIRM "\" to delete it for good " \
                            "(anything else keeps it): "
/* The confirmation line says PROTO_DELETE_CONFIRM: as it is, blanks
 * around it and capitals allowed. */
bool acct_confirm_ok(const char *line);
#define ACCT_DELETED "Your account is deleted. Take care of yourself."

#endif
