#include "config.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hproto.h"

void config_defaults(struct config *c)
{
    memset(c, 0, sizeof *c);
    snprintf(c->listen_host, sizeof c->listen_host, "127.0.0.1");
    c->listen_port = 8080;
    snprintf(c->data_dir, sizeof c->data_dir, "./var");
    snprintf(c->web_root, sizeof c->web_root, "./client/web");
    snprintf(c->welcome_room, sizeof c->welcome_room, "welcome");
    c->max_conns_per_addr = 32;
    c->rate_per_sec = 10;
    c->rate_burst = 20;
    c->user_rate_per_sec = 20;
    c->user_rate_burst = 40;
    c->auth_timeout_ms = 10000;
    c->token_idle_days = 30;
    c->token_max_days = 90;
    c->scrypt_ln = 17;
    c->max_queue_msgs = 1024;
    c->max_queue_bytes = 4u << 20;
    c->history_cache = 256;
    c->max_buddies = PROTO_BUDDIES_DEFAULT;
    c->match_lapse_hours = 24;
    c->support_buddy_s = 60;
    c->support_nobody_s = 300;
    c->support_grace_s = 120;
    c->log_level = LOG_INFO;
}

void config_free(struct config *c)
{
    for (int i = 0; i < c->n_origins; i++)
        free(c->origins[i]);
    for (int i = 0; i < c->n_crisis_resources; i++)
        free(c->crisis_resources[i]);
    for (int i = 0; i < c->n_crisis_patterns; i++)
        free(c->crisis_patterns[i]);
    for (int i = 0; i < c->n_warning_signs; i++)
        free(c->warning_signs[i]);
    c->n_warning_signs = 0;
    c->n_origins = c->n_crisis_resources = c->n_crisis_patterns = 0;
}

void config_print_help(const char *prog)
{
    printf("Usage: %s [OPTIONS]\n"
           "       %s admin [--data-dir DIR] COMMAND ...   (run '%s admin --help')\n"
           "\n"
           "hearthd is the Hearth server: peer-support rooms, presence and accounts,\n"
           "with its own embedded database. It serves the browser client over HTTP,\n"
           "the WebSocket API at /ws (subprotocol hearth.v1) and /healthz.\n"
           "\n"
           "Options (each may also be set in the --config file as `name = value`):\n"
           "  --listen HOST:PORT        address to bind (default 127.0.0.1:8080; port 0 picks a\n"
           "                            free port; IPv6 as [::1]:8080)\n"
           "  --data-dir DIR            where the database lives (default ./var)\n"
           "  --web-root DIR            the browser client's files (default ./client/web)\n"
           "  --welcome-room NAME       on the very first start (no rooms yet) make an open room\n"
           "                            NAME, titled \"Welcome\", for newcomers (default welcome;\n"
           "                            \"\" makes none)\n"
           "  --config FILE             read options from FILE; flags given here win\n"
           "  --tls-cert FILE           serve HTTPS/WSS with this PEM certificate chain\n"
           "  --tls-key FILE            ... and this PEM private key (TLS 1.2 or newer only)\n"
           "  --allow-origin ORIGIN     a browser Origin allowed to open /ws (repeatable, adds to\n"
           "                            the config file's; default: this server's own\n"
           "                            http(s)://host:port)\n"
           "  --crisis-resource TEXT    a crisis resource shown to people (repeatable; default:\n"
           "                            988, SAMHSA, Crisis Text Line, local emergency number)\n"
           "  --crisis-pattern TEXT     words that may mean someone is in crisis: the sender is\n"
           "                            offered the resources and moderators are alerted\n"
           "                            (repeatable, case-insensitive; default: a built-in list)\n"
           "  --warning-sign NAME=LABEL a warning sign members can tick in a check-in, added to\n"
           "                            the built-in list (repeatable; NAME is a-z 0-9 _)\n"
           "  --max-conns-per-addr N    WebSocket connections per client address (default 32)\n"
           "  --rate N                  requests per second per connection (default 10)\n"
           "  --rate-burst N            burst per connection (default 20)\n"
           "  --user-rate N             requests per second per user, all connections (default 20)\n"
           "  --user-rate-burst N       burst per user (default 40)\n"
           "  --auth-timeout-ms N       close connections not signed in after N ms (default 10000)\n"
           "  --token-idle-days N       a session token unused for N days expires (default 30)\n"
           "  --token-max-days N        a session token expires N days after sign-in (default 90)\n"
           "  --scrypt-cost LOG2N       password hashing cost, N = 2^LOG2N (default 17; lower\n"
           "                            only for tests: hashes keep their cost)\n"
           "  --queue-max-msgs N        messages queued for one slow connection before it is\n"
           "                            cut with 4001 (default 1024)\n"
           "  --queue-max-bytes N       ... or bytes (default 4194304)\n"
           "  --history-cache N         recent events per room kept in memory (default 256)\n"
           "  --max-buddies N           buddies one member may have (default 5)\n"
           "  --match-lapse-hours N     a buddy proposal nobody answers lapses after N hours\n"
           "                            (default 24)\n"
           "  --support-buddy-seconds N a support request goes to the asker's online buddies\n"
           "                            first, for N seconds, then to everyone on duty (default 60)\n"
           "  --support-nobody-seconds N  unanswered after N seconds, the asker is told so and\n"
           "                            shown the crisis resources; it stays open (default 300)\n"
           "  --support-grace-seconds N a helper who drops out may be gone N seconds before the\n"
           "                            request goes back to the queue (default 120)\n"
           "  --deleted-messages delete|anonymise\n"
           "                            when someone deletes their account, their room messages\n"
           "                            go with it (default) or stay as a former member's\n"
           "  --log-level LEVEL         debug, info, warn or error (default info)\n"
           "  --test-clock              tests only: the clock stands still and moves when a line\n"
           "                            `advance MS` arrives on standard input\n"
           "  -h, --help                show this help\n"
           "  --version                 show the version\n"
           "\n"
           "On start it prints `hearthd listening on http://HOST:PORT` when ready.\n"
           "SIGINT or SIGTERM shut it down cleanly.\n",
           prog, prog, prog);
}

static int parse_uint(const char *name, const char *v, unsigned lo, unsigned hi, unsigned *out)
{
    char *end;
    errno = 0;
    unsigned long n = strtoul(v, &end, 10);
    if (errno || *end || end == v || n < lo || n > hi) {
        fprintf(stderr, "hearthd: --%s wants a number from %u to %u, not '%s'\n", name, lo, hi, v);
        return -1;
    }
    *out = (unsigned)n;
    return 0;
}

static int copy_str(const char *name, const char *v, char *dst, size_t size)
{
    if (strlen(v) >= size) {
        fprintf(stderr, "hearthd: --%s is too long\n", name);
        return -1;
    }
    snprintf(dst, size, "%s", v);
    return 0;
}

static int parse_listen(struct config *c, const char *v)
{
    const char *colon = strrchr(v, ':');
    if (!colon || colon == v) {
        fprintf(stderr, "hearthd: --listen wants HOST:PORT, not '%s'\n", v);
        return -1;
    }
    const char *host = v;
    size_t hlen = (size_t)(colon - v);
    if (v[0] == '[' && colon[-1] == ']') { /* [::1]:8080 */
        host++;
        hlen -= 2;
    }
    if (hlen == 0 || hlen >= sizeof c->listen_host) {
        fprintf(stderr, "hearthd: --listen has a bad host in '%s'\n", v);
        return -1;
    }
    memcpy(c->listen_host, host, hlen);
    c->listen_host[hlen] = '\0';
    unsigned port;
    if (parse_uint("listen", colon + 1, 0, 65535, &port) != 0)
        return -1;
    c->listen_port = (int)port;
    return 0;
}

/* A room name as the protocol folds it, or "" for no welcome room. */
static int parse_welcome_room(struct config *c, const char *v)
{
    if (!*v) {
        c->welcome_room[0] = '\0';
        return 0;
    }
    if (!proto_name_fold(v, c->welcome_room)) {
        fprintf(stderr, "hearthd: --welcome-room wants a room name: 3 to 32 of a-z, 0-9, _ or -\n");
        return -1;
    }
    return 0;
}

/* A repeatable option: one more value in its list. */
static int add_to_list(const char *name, const char *v, char **list, int *n, int max)
{
    if (*n >= max) {
        fprintf(stderr, "hearthd: at most %d --%s\n", max, name);
        return -1;
    }
    if (!*v || strlen(v) > 300) {
        fprintf(stderr, "hearthd: --%s wants 1 to 300 characters\n", name);
        return -1;
    }
    return (list[(*n)++] = strdup(v)) ? 0 : -1;
}

/* Applies one option by its long name. */
static int apply(struct config *c, const char *name, const char *v)
{
    if (!strcmp(name, "listen"))
        return parse_listen(c, v);
    if (!strcmp(name, "data-dir"))
        return copy_str(name, v, c->data_dir, sizeof c->data_dir);
    if (!strcmp(name, "web-root"))
        return copy_str(name, v, c->web_root, sizeof c->web_root);
    if (!strcmp(name, "welcome-room"))
        return parse_welcome_room(c, v);
    if (!strcmp(name, "tls-cert"))
        return copy_str(name, v, c->tls_cert, sizeof c->tls_cert);
    if (!strcmp(name, "tls-key"))
        return copy_str(name, v, c->tls_key, sizeof c->tls_key);
    if (!strcmp(name, "allow-origin"))
        return add_to_list(name, v, c->origins, &c->n_origins, CONFIG_MAX_ORIGINS);
    if (!strcmp(name, "crisis-resource"))
        return add_to_list(name, v, c->crisis_resources, &c->n_crisis_resources,
                           CONFIG_MAX_RESOURCES);
    if (!strcmp(name, "warning-sign"))
        return add_to_list(name, v, c->warning_signs, &c->n_warning_signs, CONFIG_MAX_SIGNS);
    if (!strcmp(name, "crisis-pattern"))
        return add_to_list(name, v, c->crisis_patterns, &c->n_crisis_patterns,
                           CONFIG_MAX_PATTERNS);
    if (!strcmp(name, "deleted-messages")) {
        if (strcmp(v, "delete") != 0 && strcmp(v, "anonymise") != 0) {
            fprintf(stderr, "hearthd: --deleted-messages is delete or anonymise\n");
            return -1;
        }
        c->keep_deleted_messages = strcmp(v, "anonymise") == 0;
        return 0;
    }
    if (!strcmp(name, "log-level")) {
        if (log_parse_level(v, &c->log_level) != 0) {
            fprintf(stderr, "hearthd: --log-level is debug, info, warn or error\n");
            return -1;
        }
        return 0;
    }
    static const struct { const char *name; size_t off; unsigned lo, hi; } nums[] = {
        {"max-conns-per-addr", offsetof(struct config, max_conns_per_addr), 1, 100000},
        {"rate", offsetof(struct config, rate_per_sec), 1, 100000},
        {"rate-burst", offsetof(struct config, rate_burst), 1, 100000},
        {"user-rate", offsetof(struct config, user_rate_per_sec), 1, 100000},
        {"user-rate-burst", offsetof(struct config, user_rate_burst), 1, 100000},
        {"auth-timeout-ms", offsetof(struct config, auth_timeout_ms), 100, 600000},
        {"token-idle-days", offsetof(struct config, token_idle_days), 1, 3650},
        {"token-max-days", offsetof(struct config, token_max_days), 1, 3650},
        {"scrypt-cost", offsetof(struct config, scrypt_ln), 4, 20},
        {"queue-max-msgs", offsetof(struct config, max_queue_msgs), 16, 1000000},
        {"queue-max-bytes", offsetof(struct config, max_queue_bytes), 65536, 1u << 30},
        {"history-cache", offsetof(struct config, history_cache), 1, 100000},
        {"max-buddies", offsetof(struct config, max_buddies), 1, 100},
        {"match-lapse-hours", offsetof(struct config, match_lapse_hours), 1, 720},
        {"support-buddy-seconds", offsetof(struct config, support_buddy_s), 5, 3600},
        {"support-nobody-seconds", offsetof(struct config, support_nobody_s), 10, 86400},
        {"support-grace-seconds", offsetof(struct config, support_grace_s), 5, 3600},
    };
    for (size_t i = 0; i < sizeof nums / sizeof nums[0]; i++)
        if (!strcmp(name, nums[i].name))
            return parse_uint(name, v, nums[i].lo, nums[i].hi,
                              (unsigned *)((char *)c + nums[i].off));
    fprintf(stderr, "hearthd: unknown option '%s' (see --help)\n", name);
    return -1;
}

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    char *e = s + strlen(s);
    while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n' || e[-1] == '\r'))
        *--e = '\0';
    return s;
}

static int load_file(struct config *c, const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "hearthd: cannot read config file %s: %s\n", path, strerror(errno));
        return -1;
    }
    char line[1024];
    int lineno = 0, rc = 0;
    while (rc == 0 && fgets(line, sizeof line, f)) {
        lineno++;
        char *s = trim(line);
        if (!*s || *s == '#')
            continue;
        char *eq = strchr(s, '=');
        if (!eq) {
            fprintf(stderr, "hearthd: %s:%d: expected `name = value`\n", path, lineno);
            rc = -1;
            break;
        }
        *eq = '\0';
        char *name = trim(s), *value = trim(eq + 1);
        if (!strcmp(name, "test-clock") || !strcmp(name, "config")) {
            fprintf(stderr, "hearthd: %s:%d: %s cannot be set in a config file\n", path, lineno,
                    name);
            rc = -1;
            break;
        }
        rc = apply(c, name, value);
        if (rc)
            fprintf(stderr, "hearthd: (in %s line %d)\n", path, lineno);
    }
    fclose(f);
    return rc;
}

int config_parse_args(struct config *c, int argc, char **argv)
{
    /* The config file goes first so the command line can override it. */
    for (int i = 1; i < argc; i++) {
        const char *file = NULL;
        if (!strcmp(argv[i], "--config")) {
            if (i + 1 >= argc) {
                fprintf(stderr, "hearthd: --config needs a file\n");
                return -1;
            }
            file = argv[i + 1];
        } else if (!strncmp(argv[i], "--config=", 9)) {
            file = argv[i] + 9;
        }
        if (file && load_file(c, file) != 0)
            return -1;
    }
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            config_print_help(argv[0]);
            return 1;
        }
        if (!strcmp(a, "--version")) {
            printf("hearthd %s\n", HEARTH_VERSION);
            return 1;
        }
        if (!strcmp(a, "--test-clock")) {
            c->test_clock = true;
            continue;
        }
        if (strncmp(a, "--", 2) != 0) {
            fprintf(stderr, "hearthd: unexpected argument '%s' (see --help)\n", a);
            return -1;
        }
        const char *name = a + 2, *value = NULL;
        char namebuf[64];
        const char *eq = strchr(name, '=');
        if (eq) { /* --name=value */
            size_t n = (size_t)(eq - name);
            if (n >= sizeof namebuf)
                n = sizeof namebuf - 1;
            memcpy(namebuf, name, n);
            namebuf[n] = '\0';
            name = namebuf;
            value = eq + 1;
        } else {
            if (i + 1 >= argc) {
                fprintf(stderr, "hearthd: %s needs a value\n", a);
                return -1;
            }
            value = argv[++i];
        }
        if (!strcmp(name, "config"))
            continue;
        if (apply(c, name, value) != 0)
            return -1;
    }
    if (!!c->tls_cert[0] != !!c->tls_key[0]) {
        fprintf(stderr, "hearthd: --tls-cert and --tls-key go together\n");
        return -1;
    }
    return 0;
}
