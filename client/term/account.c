/*
 * Your data: the export's parts put back together, checked and written to
 * a new file; the words around deleting the account (account.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "account.h"

/* ------------------------------------------------------- the parts */

enum acct_part acct_export_add(struct acct_export *e, const char *id, uint32_t part,
                               uint32_t parts, const char *data)
{
    if (!id || !id[0] || strlen(id) > PROTO_EXPORT_ID_MAX || !data || parts == 0 ||
        part >= parts)
        return ACCT_BAD;
    if (e->parts == 0) {
        if (part != 0)
            return ACCT_BAD;
    } else if (strcmp(e->id, id) != 0 || parts != e->parts || part != e->next) {
        return ACCT_BAD;
    }
    size_t dl = strlen(data);
    if (e->len + dl + 1 > e->cap) {
        size_t cap = e->cap ? e->cap : 4096;
        while (cap < e->len + dl + 1)
            cap *= 2;
        char *buf = realloc(e->buf, cap);
        if (!buf)
            return ACCT_NO_MEMORY;
        e->buf = buf;
        e->cap = cap;
    }
    memcpy(e->buf + e->len, data, dl);
    e->len += dl;
    e->buf[e->len] = '\0';
    if (e->parts == 0) {
        snprintf(e->id, sizeof e->id, "%s", id);
        e->parts = parts;
    }
    e->next = part + 1;
    return e->next == e->parts ? ACCT_DONE : ACCT_MORE;
}

void acct_export_free(struct acct_export *e)
{
    free(e->buf);
    memset(e, 0, sizeof *e);
}

bool acct_export_valid(const char *doc, size_t len, char *why, size_t n)
{
    json_error_t err;
    json_t *j = doc ? json_loadb(doc, len, 0, &err) : NULL;
    if (!j) {
        if (!doc)
            snprintf(why, n, "there is nothing in it");
        else
            snprintf(why, n, "it is not valid JSON (line %d, column %d: %s)", err.line,
                     err.column, err.text);
        return false;
    }
    bool ok = json_is_object(j);
    if (!ok)
        snprintf(why, n, "it is not a JSON object");
    json_decref(j);
    return ok;
}

/* ------------------------------------------------------- file names */

char *acct_expand_path(const char *path, const char *home)
{
    if (home && home[0] && path[0] == '~' && (path[1] == '\0' || path[1] == '/')) {
        size_t hl = strlen(home);
        while (hl > 1 && home[hl - 1] == '/')
            hl--;
        size_t len = hl + strlen(path + 1) + 1;
        char *out = malloc(len);
        if (out)
            snprintf(out, len, "%.*s%s", (int)hl, home, path + 1);
        return out;
    }
    return strdup(path);
}

char *acct_alt_name(const char *path, unsigned n)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    const char *dot = strrchr(base, '.');
    if (!dot || dot == base)
        dot = path + strlen(path);   /* no extension: at the end */
    size_t len = strlen(path) + 16;
    char *out = malloc(len);
    if (out)
        snprintf(out, len, "%.*s-%u%s", (int)(dot - path), path, n, dot);
    return out;
}

char *acct_free_name(const char *path)
{
    for (unsigned n = 2; n < 100; n++) {
        char *alt = acct_alt_name(path, n);
        struct stat st;
        if (!alt || lstat(alt, &st) < 0)
            return alt;   /* names nothing (or no memory: NULL) */
        free(alt);
    }
    return NULL;
}

int acct_check_target(const char *path)
{
    size_t len = strlen(path);
    if (len == 0 || path[len - 1] == '/')
        return -EINVAL;
    struct stat st;
    if (lstat(path, &st) == 0)
        return -EEXIST;
    if (errno != ENOENT)
        return -errno;
    char *dir = strdup(path);
    if (!dir)
        return -ENOMEM;
    char *slash = strrchr(dir, '/');
    const char *d = ".";
    if (slash == dir)
        d = "/";
    else if (slash) {
        *slash = '\0';
        d = dir;
    }
    int rc = 0;
    if (stat(d, &st) < 0)
        rc = -errno;
    else if (!S_ISDIR(st.st_mode))
        rc = -ENOTDIR;
    else if (access(d, W_OK | X_OK) < 0)
        rc = -errno;
    free(dir);
    return rc;
}

int acct_write_new(const char *path, const char *data, size_t len)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0)
        return -errno;
    int rc = fchmod(fd, 0600) < 0 ? -errno : 0;   /* whatever the umask left */
    size_t off = 0;
    while (rc == 0 && off < len) {
        ssize_t w = write(fd, data + off, len - off);
        if (w < 0) {
            if (errno != EINTR)
                rc = -errno;
            continue;
        }
        off += (size_t)w;
    }
    if (rc == 0 && fsync(fd) < 0)
        rc = -errno;
    if (close(fd) < 0 && rc == 0)
        rc = -errno;
    if (rc < 0)
        unlink(path);
    return rc;
}

/* -------------------------------------------------------- sentences */

void acct_fmt_size(size_t bytes, char out[32])
{
    if (bytes >= (size_t)10 * 1024 * 1024) {
        unsigned long tenths = (unsigned long)(((unsigned long long)bytes * 10 + 512 * 1024) /
                                               (1024 * 1024));
        snprintf(out, 32, "%lu.%lu MB", tenths / 10, tenths % 10);
        return;
    }
    unsigned long kb = (unsigned long)((bytes + 512) / 1024);
    if (kb == 0 && bytes > 0)
        kb = 1;
    if (kb >= 1000)
        snprintf(out, 32, "%lu,%03lu KB", kb / 1000, kb % 1000);
    else
        snprintf(out, 32, "%lu KB", kb);
}

char *acct_written_text(const char *path, size_t bytes)
{
    char size[32];
    acct_fmt_size(bytes, size);
    size_t len = strlen(path) + 96;
    char *out = malloc(len);
    if (out)
        snprintf(out, len, "Wrote everything Hearth holds about you to %s (%s).", path, size);
    return out;
}

char *acct_target_text(const char *path, int rc, const char *suggest, const char *command)
{
    char buf[256];
    switch (rc) {
    case -EEXIST:
        if (suggest)
            snprintf(buf, sizeof buf, "%%s already exists, and Hearth will not write over it. "
                     "Choose another name, e.g. %s %s", command, suggest);
        else
            snprintf(buf, sizeof buf, "%%s already exists, and Hearth will not write over it. "
                     "Choose another name.");
        break;
    case -EINVAL:
        snprintf(buf, sizeof buf, "'%%s' is not a file name.");
        break;
    case -ENOENT:
        snprintf(buf, sizeof buf, "Cannot write %%s: its folder does not exist.");
        break;
    case -ENOTDIR:
        snprintf(buf, sizeof buf, "Cannot write %%s: part of the path is not a folder.");
        break;
    case -EACCES:
    case -EPERM:
    case -EROFS:
        snprintf(buf, sizeof buf, "Cannot write %%s: you may not write in its folder.");
        break;
    case -ENOSPC:
    case -EDQUOT:
        snprintf(buf, sizeof buf, "Cannot write %%s: the disk is full. Nothing was kept.");
        break;
    default:
        snprintf(buf, sizeof buf, "Cannot write %%s: %s.", strerror(-rc));
        break;
    }
    /* suggest was put in whole; only the path remains to place */
    size_t len = strlen(buf) + strlen(path) + 1;
    char *out = malloc(len);
    if (out) {
        const char *at = strstr(buf, "%s");
        snprintf(out, len, "%.*s%s%s", (int)(at - buf), buf, path, at + 2);
    }
    return out;
}

const char *acct_delete_explained(void)
{
    return "Deleting your account removes everything Hearth holds about you, for good:\n"
           "  - your check-ins and journal, your plan and crisis card, your clean time and\n"
           "    milestones, and your settings;\n"
           "  - your buddies and buddy requests, your pings, your place in the matching pool\n"
           "    and the requests for support you made;\n"
           "  - your rooms, your sign-ins on every device, and whom you block;\n"
           "  - your messages, unless this server keeps room messages anonymised: then they\n"
           "    stay, shown as \"~former\", never with your name. In a private conversation\n"
           "    the other person keeps their own words.\n"
           "It cannot be undone, and your handle becomes free for anyone to take.\n"
           "To keep a copy first, press Ctrl-C now and type /export FILE.";
}

bool acct_confirm_ok(const char *line)
{
    if (!line)
        return false;
    while (*line == ' ' || *line == '\t')
        line++;
    size_t len = strlen(line);
    while (len && (line[len - 1] == ' ' || line[len - 1] == '\t' || line[len - 1] == '\r' ||
                   line[len - 1] == '\n'))
        len--;
    return len == strlen(PROTO_DELETE_CONFIRM) &&
           strncasecmp(line, PROTO_DELETE_CONFIRM, len) == 0;
}
