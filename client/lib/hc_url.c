/*
 * hc_url: split a server URL into what lws_client_connect_via_info needs.
 * Pure (no I/O), unit-tested.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "hc_internal.h"

static int scheme_of(const char *url, bool *tls, int *port, size_t *skip)
{
    static const struct { const char *p; bool tls; int port; } schemes[] = {
        {"http://", false, 80}, {"https://", true, 443}, {"ws://", false, 80}, {"wss://", true, 443},
    };
    for (size_t i = 0; i < sizeof schemes / sizeof schemes[0]; i++) {
        size_t n = strlen(schemes[i].p);
        if (strncasecmp(url, schemes[i].p, n) == 0) {
            *tls = schemes[i].tls;
            *port = schemes[i].port;
            *skip = n;
            return 0;
        }
    }
    return -EINVAL;
}

int hc__url_parse(const char *url, struct hc__url *out)
{
    size_t skip;
    int defport;
    memset(out, 0, sizeof *out);
    if (!url || scheme_of(url, &out->tls, &defport, &skip) < 0)
        return -EINVAL;
    const char *p = url + skip;
    const char *auth_end = p + strcspn(p, "/?#");
    if (memchr(p, '@', (size_t)(auth_end - p)))
        return -EINVAL;   /* no credentials in URLs */

    const char *host = p, *host_end, *port_s = NULL;
    if (*p == '[') {
        host = p + 1;
        host_end = memchr(host, ']', (size_t)(auth_end - host));
        if (!host_end)
            return -EINVAL;
        if (host_end + 1 < auth_end) {
            if (host_end[1] != ':')
                return -EINVAL;
            port_s = host_end + 2;
        }
    } else {
        host_end = memchr(p, ':', (size_t)(auth_end - p));
        if (host_end)
            port_s = host_end + 1;
        else
            host_end = auth_end;
    }
    size_t hlen = (size_t)(host_end - host);
    if (hlen == 0 || hlen >= sizeof out->host)
        return -EINVAL;
    memcpy(out->host, host, hlen);
    out->host[hlen] = '\0';

    out->port = defport;
    if (port_s) {
        if (port_s >= auth_end)
            return -EINVAL;
        long v = 0;
        for (const char *q = port_s; q < auth_end; q++) {
            if (!isdigit((unsigned char)*q))
                return -EINVAL;
            v = v * 10 + (*q - '0');
            if (v > 65535)
                return -EINVAL;
        }
        if (v == 0)
            return -EINVAL;
        out->port = (int)v;
    }

    /* path: the base path with any trailing slashes removed, then /ws
     * unless it already ends in /ws. Query and fragment are dropped. */
    const char *path = auth_end;
    size_t plen = strcspn(path, "?#");
    while (plen > 0 && path[plen - 1] == '/')
        plen--;
    if (plen + 4 >= sizeof out->path)
        return -EINVAL;
    if (plen == 0)
        snprintf(out->path, sizeof out->path, "/ws");
    else if (plen >= 3 && memcmp(path + plen - 3, "/ws", 3) == 0)
        snprintf(out->path, sizeof out->path, "%.*s", (int)plen, path);
    else
        snprintf(out->path, sizeof out->path, "%.*s/ws", (int)plen, path);

    bool v6 = strchr(out->host, ':') != NULL;
    if (out->port == defport)
        snprintf(out->host_header, sizeof out->host_header, v6 ? "[%s]" : "%s", out->host);
    else
        snprintf(out->host_header, sizeof out->host_header, v6 ? "[%s]:%d" : "%s:%d", out->host,
                 out->port);
    return 0;
}
