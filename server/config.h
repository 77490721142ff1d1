/*
 * hearthd's configuration: defaults, command-line flags and the optional
 * config file (`--config FILE`, lines of `option = value` using the long
 * option names without dashes; flags given on the command line win).
 */
#ifndef HEARTH_CONFIG_H
#define HEARTH_CONFIG_H

#include <stdbool.h>
#include <stdint.h>

#include "log.h"

#define CONFIG_MAX_ORIGINS 16
#define CONFIG_MAX_RESOURCES 16
#define CONFIG_MAX_PATTERNS 64
#define CONFIG_MAX_SIGNS 22            /* warning signs the operator adds (32 in all) */

struct config {
    char listen_host[64];
    int listen_port;
    char data_dir[512];
    char web_root[512];
    char welcome_room[33];      /* made on the first start, "" = none (PROTO_HANDLE_MAX + 1) */
    char tls_cert[512];
    char tls_key[512];
    char *origins[CONFIG_MAX_ORIGINS];   /* allowed Origin values; none = derived defaults */
    int n_origins;
    char *crisis_resources[CONFIG_MAX_RESOURCES];  /* none = the built-in US list */
    int n_crisis_resources;
    char *crisis_patterns[CONFIG_MAX_PATTERNS];    /* none = the built-in list */
    int n_crisis_patterns;
    char *warning_signs[CONFIG_MAX_SIGNS];          /* "name=Label", added to the built-in list */
    int n_warning_signs;
    unsigned max_conns_per_addr;
    unsigned rate_per_sec, rate_burst;              /* per connection */
    unsigned user_rate_per_sec, user_rate_burst;    /* per user, all connections */
    unsigned auth_timeout_ms;
    unsigned token_idle_days, token_max_days;
    unsigned scrypt_ln;                             /* N = 2^ln */
    unsigned max_queue_msgs, max_queue_bytes;       /* per connection, before 4001 */
    unsigned history_cache;                         /* recent events kept in memory per room */
    unsigned max_buddies;                           /* buddies per member */
    unsigned match_lapse_hours;                     /* an unanswered match proposal lapses */
    unsigned support_buddy_s;                       /* buddies alone are asked this long */
    unsigned support_nobody_s;                      /* after this, "nobody yet" and resources */
    unsigned support_grace_s;                       /* a helper may be gone this long */
    bool keep_deleted_messages;                     /* a deleted account's room messages stay,
                                                       anonymised (else they go with it) */
    enum log_level log_level;
    bool test_clock;
};

void config_defaults(struct config *c);
void config_free(struct config *c);
/* Parses argv (after any subcommand). Returns 0 to run, 1 when --help or
 * --version was printed (exit 0), -1 on error (message already printed). */
int config_parse_args(struct config *c, int argc, char **argv);
void config_print_help(const char *prog);

#endif
