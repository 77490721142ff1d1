/*
 * The saved session: $XDG_CONFIG_HOME/hearth/session (else
 * ~/.config/hearth/session), "key=value" lines: server, handle, token,
 * room. The token is a password-equivalent: the file is 0600 in a 0700
 * directory, written to a temporary file and renamed into place, and
 * never printed. Other files of the directory (the conversations' last
 * seen messages) are read and written the same way.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hearth.h"

int cfg_dir(char *buf, size_t n)
{
    const char *x = getenv("XDG_CONFIG_HOME");
    int w;
    if (x && x[0] == '/') {
        w = snprintf(buf, n, "%s/hearth", x);
    } else {
        const char *h = getenv("HOME");
        if (!h || h[0] != '/')
            return -ENOENT;
        w = snprintf(buf, n, "%s/.config/hearth", h);
    }
    return w < 0 || (size_t)w >= n ? -ENAMETOOLONG : 0;
}

static void set_field(char *dst, size_t n, const char *v, size_t len)
{
    if (len >= n)
        len = n - 1;
    memcpy(dst, v, len);
    dst[len] = '\0';
}

void cfg_parse(const char *text, struct hearth_cfg *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    const char *p = text;
    while (*p) {
        const char *eol = strchr(p, '\n');
        size_t len = eol ? (size_t)(eol - p) : strlen(p);
        if (len && p[len - 1] == '\r')
            len--;
        const char *eq = memchr(p, '=', len);
        if (eq && *p != '#') {
            size_t klen = (size_t)(eq - p), vlen = len - klen - 1;
            const char *v = eq + 1;
            if (klen == 6 && !memcmp(p, "server", 6))
                set_field(cfg->server, sizeof cfg->server, v, vlen);
            else if (klen == 6 && !memcmp(p, "handle", 6))
                set_field(cfg->handle, sizeof cfg->handle, v, vlen);
            else if (klen == 5 && !memcmp(p, "token", 5))
                set_field(cfg->token, sizeof cfg->token, v, vlen);
            else if (klen == 4 && !memcmp(p, "room", 4))
                set_field(cfg->room, sizeof cfg->room, v, vlen);
        }
        if (!eol)
            break;
        p = eol + 1;
    }
}

int cfg_format(const struct hearth_cfg *cfg, char *buf, size_t n)
{
    int w = snprintf(buf, n,
                     "# Hearth session. Keep this file private: the token signs you in.\n"
                     "server=%s\nhandle=%s\ntoken=%s\nroom=%s\n",
                     cfg->server, cfg->handle, cfg->token, cfg->room);
    return w < 0 || (size_t)w >= n ? -ENOSPC : w;
}

int cfg_read_file(const char *dir, const char *name, char *buf, size_t n)
{
    char path[4096];
    buf[0] = '\0';
    if (snprintf(path, sizeof path, "%s/%s", dir, name) >= (int)sizeof path)
        return -ENAMETOOLONG;
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0)
        return errno == ENOENT ? 0 : -errno;
    struct stat st;
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return -EINVAL;
    }
    if (st.st_mode & 077)
        (void)fchmod(fd, 0600);
    size_t len = 0;
    ssize_t r;
    while (len < n - 1 && (r = read(fd, buf + len, n - 1 - len)) != 0) {
        if (r < 0) {
            if (errno == EINTR)
                continue;
            int e = -errno;
            close(fd);
            return e;
        }
        len += (size_t)r;
    }
    buf[len] = '\0';
    close(fd);
    return 0;
}

int cfg_load(const char *dir, struct hearth_cfg *cfg)
{
    char buf[4096];
    memset(cfg, 0, sizeof *cfg);
    int rc = cfg_read_file(dir, "session", buf, sizeof buf);
    if (rc == 0)
        cfg_parse(buf, cfg);
    return rc;
}

static int mkdir_private(const char *path)
{
    if (mkdir(path, 0700) == 0)
        return 0;
    if (errno != EEXIST)
        return -errno;
    return 0;
}

/* dir (0700), and its parent (e.g. ~/.config), which may not exist yet either. */
static int make_dir(const char *dir)
{
    char parent[4096];
    snprintf(parent, sizeof parent, "%s", dir);
    char *slash = strrchr(parent, '/');
    if (slash && slash != parent) {
        *slash = '\0';
        int rc = mkdir_private(parent);
        if (rc < 0)
            return rc;
    }
    int rc = mkdir_private(dir);
    if (rc < 0)
        return rc;
    struct stat st;
    if (stat(dir, &st) == 0 && (st.st_mode & 077))
        (void)chmod(dir, 0700);
    return 0;
}

int cfg_write_file(const char *dir, const char *name, const char *text, size_t len)
{
    int rc = make_dir(dir);
    if (rc < 0)
        return rc;
    char tmp[4096], path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    snprintf(tmp, sizeof tmp, "%s/.%s.%ld.tmp", dir, name, (long)getpid());
    (void)unlink(tmp);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0)
        return -errno;
    size_t off = 0;
    while (off < len) {
        ssize_t w = write(fd, text + off, len - off);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            rc = -errno;
            close(fd);
            unlink(tmp);
            return rc;
        }
        off += (size_t)w;
    }
    rc = fsync(fd) < 0 ? -errno : 0;
    if (close(fd) < 0 && rc == 0)
        rc = -errno;
    if (rc < 0) {
        unlink(tmp);
        return rc;
    }
    if (rename(tmp, path) < 0) {
        rc = -errno;
        unlink(tmp);
        return rc;
    }
    return 0;
}

int cfg_save(const char *dir, const struct hearth_cfg *cfg)
{
    char text[2048];
    int len = cfg_format(cfg, text, sizeof text);
    if (len < 0)
        return len;
    return cfg_write_file(dir, "session", text, (size_t)len);
}

bool cfg_merge(struct hearth_cfg *disk, const struct hearth_cfg *mine, int what)
{
    struct hearth_cfg before = *disk;
    bool same_account = strcmp(disk->server, mine->server) == 0 &&
                        strcmp(disk->handle, mine->handle) == 0;
    if (what & CFG_AUTH) {
        if (!same_account)
            disk->room[0] = '\0';
        snprintf(disk->server, sizeof disk->server, "%s", mine->server);
        snprintf(disk->handle, sizeof disk->handle, "%s", mine->handle);
        snprintf(disk->token, sizeof disk->token, "%s", mine->token);
        same_account = true;
    }
    if ((what & CFG_ROOM) && same_account)
        snprintf(disk->room, sizeof disk->room, "%s", mine->room);
    if ((what & CFG_FORGET) && mine->token[0] && strcmp(disk->token, mine->token) == 0)
        disk->token[0] = '\0';
    if ((what & CFG_GONE) && same_account) {
        disk->handle[0] = '\0';
        disk->token[0] = '\0';
        disk->room[0] = '\0';
    }
    return memcmp(&before, disk, sizeof before) != 0;
}

int cfg_update(const char *dir, const struct hearth_cfg *mine, int what)
{
    struct hearth_cfg disk;
    int rc = cfg_load(dir, &disk);
    if (rc < 0)
        memset(&disk, 0, sizeof disk);
    if (!cfg_merge(&disk, mine, what))
        return 0;
    rc = cfg_save(dir, &disk);
    memset(&disk, 0, sizeof disk);
    return rc;
}
