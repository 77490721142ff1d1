/*
 * hearthd's configuration: defaults, flags (both `--name value` and
 * `--name=value`), --listen parsing, refusals, and the config file with
 * flags winning over it. Error paths print to stderr; that is expected.
 */
#include <criterion/criterion.h>
#include <criterion/redirect.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"

#define ARGC(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* Parses argv over fresh defaults into *c. The caller config_free()s. */
static int parse(struct config *c, int argc, char **argv)
{
    config_defaults(c);
    return config_parse_args(c, argc, argv);
}

/* A temporary config file with the given text; its path goes in path. */
static char cfg_path[64];
static void write_cfg(const char *text)
{
    strcpy(cfg_path, "/tmp/hearth_cfg.XXXXXX");
    int fd = mkstemp(cfg_path);
    cr_assert_geq(fd, 0);
    FILE *f = fdopen(fd, "w");
    cr_assert_not_null(f);
    fputs(text, f);
    fclose(f);
}
static void drop_cfg(void)
{
    if (cfg_path[0])
        unlink(cfg_path);
}

TestSuite(config, .fini = drop_cfg);

Test(config, defaults)
{
    struct config c;
    config_defaults(&c);
    cr_expect_str_eq(c.listen_host, "127.0.0.1");
    cr_expect_eq(c.listen_port, 8080);
    cr_expect_str_eq(c.data_dir, "./var");
    cr_expect_str_eq(c.web_root, "./client/web");
    cr_expect_str_eq(c.tls_cert, "");
    cr_expect_str_eq(c.tls_key, "");
    cr_expect_eq(c.n_origins, 0);
    cr_expect_eq(c.scrypt_ln, 17);
    cr_expect_eq(c.max_conns_per_addr, 32);
    cr_expect_eq(c.rate_per_sec, 10);
    cr_expect_eq(c.rate_burst, 20);
    cr_expect_eq(c.user_rate_per_sec, 20);
    cr_expect_eq(c.user_rate_burst, 40);
    cr_expect_eq(c.auth_timeout_ms, 10000);
    cr_expect_eq(c.token_idle_days, 30);
    cr_expect_eq(c.token_max_days, 90);
    cr_expect_eq(c.max_queue_msgs, 1024);
    cr_expect_eq(c.max_queue_bytes, 4u << 20);
    cr_expect_eq(c.history_cache, 256);
    cr_expect_eq(c.log_level, LOG_INFO);
    cr_expect_not(c.test_clock);

    /* No arguments at all: run with the defaults. */
    char *argv[] = {"hearthd"};
    cr_expect_eq(parse(&c, ARGC(argv), argv), 0);
    cr_expect_eq(c.listen_port, 8080);
    config_free(&c);
}

Test(config, flags_override_defaults)
{
    char *argv[] = {"hearthd", "--listen", "0.0.0.0:9000", "--data-dir", "/srv/hearth",
                    "--web-root", "/srv/web", "--rate", "5", "--rate-burst", "7",
                    "--user-rate", "8", "--user-rate-burst", "9", "--max-conns-per-addr", "3",
                    "--auth-timeout-ms", "500", "--token-idle-days", "2", "--token-max-days", "4",
                    "--scrypt-cost", "10", "--queue-max-msgs", "16", "--queue-max-bytes", "65536",
                    "--history-cache", "1", "--log-level", "debug", "--test-clock",
                    "--allow-origin", "https://a.example", "--allow-origin", "https://b.example"};
    struct config c;
    cr_assert_eq(parse(&c, ARGC(argv), argv), 0);
    cr_expect_str_eq(c.listen_host, "0.0.0.0");
    cr_expect_eq(c.listen_port, 9000);
    cr_expect_str_eq(c.data_dir, "/srv/hearth");
    cr_expect_str_eq(c.web_root, "/srv/web");
    cr_expect_eq(c.rate_per_sec, 5);
    cr_expect_eq(c.rate_burst, 7);
    cr_expect_eq(c.user_rate_per_sec, 8);
    cr_expect_eq(c.user_rate_burst, 9);
    cr_expect_eq(c.max_conns_per_addr, 3);
    cr_expect_eq(c.auth_timeout_ms, 500);
    cr_expect_eq(c.token_idle_days, 2);
    cr_expect_eq(c.token_max_days, 4);
    cr_expect_eq(c.scrypt_ln, 10);
    cr_expect_eq(c.max_queue_msgs, 16);
    cr_expect_eq(c.max_queue_bytes, 65536);
    cr_expect_eq(c.history_cache, 1);
    cr_expect_eq(c.log_level, LOG_DEBUG);
    cr_expect(c.test_clock);
    cr_assert_eq(c.n_origins, 2);
    cr_expect_str_eq(c.origins[0], "https://a.example");
    cr_expect_str_eq(c.origins[1], "https://b.example");
    config_free(&c);
    cr_expect_eq(c.n_origins, 0);
}

Test(config, name_equals_value_form)
{
    char *argv[] = {"hearthd", "--listen=localhost:0", "--data-dir=/tmp/x=y", "--rate=3",
                    "--log-level=warn"};
    struct config c;
    cr_assert_eq(parse(&c, ARGC(argv), argv), 0);
    cr_expect_str_eq(c.listen_host, "localhost");
    cr_expect_eq(c.listen_port, 0, "port 0 picks a free port");
    cr_expect_str_eq(c.data_dir, "/tmp/x=y", "only the first '=' splits");
    cr_expect_eq(c.rate_per_sec, 3);
    cr_expect_eq(c.log_level, LOG_WARN);
    config_free(&c);
}

Test(config, listen_ipv6_in_brackets)
{
    char *argv[] = {"hearthd", "--listen", "[::1]:8081"};
    struct config c;
    cr_assert_eq(parse(&c, ARGC(argv), argv), 0);
    cr_expect_str_eq(c.listen_host, "::1");
    cr_expect_eq(c.listen_port, 8081);
    config_free(&c);

    char *argv2[] = {"hearthd", "--listen=[fe80::1:2]:65535"};
    cr_assert_eq(parse(&c, ARGC(argv2), argv2), 0);
    cr_expect_str_eq(c.listen_host, "fe80::1:2");
    cr_expect_eq(c.listen_port, 65535);
    config_free(&c);
}

Test(config, bad_listen_refused)
{
    const char *bad[] = {"8080", ":8080", "host:", "host:65536", "host:80x", "host:-1", "[]:80",
                         "[::1]"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char *argv[] = {"hearthd", "--listen", (char *)bad[i]};
        struct config c;
        cr_expect_eq(parse(&c, ARGC(argv), argv), -1, "accepted --listen %s", bad[i]);
        config_free(&c);
    }
}

Test(config, bad_numbers_refused)
{
    /* Not a number, trailing junk, negative, out of range, empty. */
    const char *cases[][2] = {
        {"--rate", "ten"},        {"--rate", "10x"},           {"--rate", "-1"},
        {"--rate", "0"},          {"--rate", ""},              {"--rate", "99999999999999999999"},
        {"--scrypt-cost", "3"},   {"--scrypt-cost", "21"},     {"--queue-max-msgs", "15"},
        {"--queue-max-bytes", "1000"}, {"--auth-timeout-ms", "99"}, {"--rate-burst", "4294967297"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *argv[] = {"hearthd", (char *)cases[i][0], (char *)cases[i][1]};
        struct config c;
        cr_expect_eq(parse(&c, ARGC(argv), argv), -1, "accepted %s '%s'", cases[i][0],
                     cases[i][1]);
        config_free(&c);
    }
}

Test(config, refused_value_leaves_defaults)
{
    char *argv[] = {"hearthd", "--rate", "0"};
    struct config c;
    cr_assert_eq(parse(&c, ARGC(argv), argv), -1);
    cr_expect_eq(c.rate_per_sec, 10, "a refused number is not stored");
    config_free(&c);
}

Test(config, unknown_option_and_stray_argument_refused)
{
    struct config c;
    char *a1[] = {"hearthd", "--no-such-option", "1"};
    cr_expect_eq(parse(&c, ARGC(a1), a1), -1);
    config_free(&c);
    char *a2[] = {"hearthd", "--no-such-option=1"};
    cr_expect_eq(parse(&c, ARGC(a2), a2), -1);
    config_free(&c);
    char *a3[] = {"hearthd", "stray"};
    cr_expect_eq(parse(&c, ARGC(a3), a3), -1);
    config_free(&c);
    char *a4[] = {"hearthd", "--rate"};        /* value missing */
    cr_expect_eq(parse(&c, ARGC(a4), a4), -1);
    config_free(&c);
    char *a5[] = {"hearthd", "--log-level", "loud"};
    cr_expect_eq(parse(&c, ARGC(a5), a5), -1);
    config_free(&c);
}

Test(config, help_and_version_return_one)
{
    cr_redirect_stdout();
    struct config c;
    char *a1[] = {"hearthd", "--help"};
    cr_expect_eq(parse(&c, ARGC(a1), a1), 1);
    config_free(&c);
    char *a2[] = {"hearthd", "--rate", "5", "-h"};
    cr_expect_eq(parse(&c, ARGC(a2), a2), 1);
    config_free(&c);
    char *a3[] = {"hearthd", "--version"};
    cr_expect_eq(parse(&c, ARGC(a3), a3), 1);
    config_free(&c);
    fflush(stdout);

    char out[16384];
    FILE *f = cr_get_redirected_stdout();
    size_t n = fread(out, 1, sizeof out - 1, f);
    out[n] = '\0';
    cr_expect_not_null(strstr(out, "Usage: hearthd"), "help went to stdout");
    cr_expect_not_null(strstr(out, "--listen HOST:PORT"));
    cr_expect_not_null(strstr(out, "hearthd " HEARTH_VERSION), "version went to stdout");
}

Test(config, file_values_applied_and_flags_win)
{
    write_cfg("# hearthd settings\n"
              "\n"
              "listen = 0.0.0.0:7000\n"
              "  data-dir\t=  /var/lib/hearth  \n"
              "rate = 4\r\n"
              "scrypt-cost = 12\n"
              "log-level = error\n"
              "allow-origin = https://file.example\n");
    char *argv[] = {"hearthd", "--rate", "6", "--config", cfg_path, "--listen", "[::]:7001"};
    struct config c;
    cr_assert_eq(parse(&c, ARGC(argv), argv), 0);
    /* From the file (trimmed of spaces, tabs and CR). */
    cr_expect_str_eq(c.data_dir, "/var/lib/hearth");
    cr_expect_eq(c.scrypt_ln, 12);
    cr_expect_eq(c.log_level, LOG_ERROR);
    cr_assert_eq(c.n_origins, 1);
    cr_expect_str_eq(c.origins[0], "https://file.example");
    /* Flags win, even one given before --config. */
    cr_expect_eq(c.rate_per_sec, 6);
    cr_expect_str_eq(c.listen_host, "::");
    cr_expect_eq(c.listen_port, 7001);
    /* Untouched: still the default. */
    cr_expect_eq(c.history_cache, 256);
    config_free(&c);
}

Test(config, file_with_syntax_error_refused)
{
    struct config c;
    write_cfg("rate = 4\nthis line has no equals sign\n");
    char *a1[] = {"hearthd", "--config", cfg_path};
    cr_expect_eq(parse(&c, ARGC(a1), a1), -1);
    config_free(&c);
    drop_cfg();

    write_cfg("rate = fast\n");
    char *a2[] = {"hearthd", "--config", cfg_path};
    cr_expect_eq(parse(&c, ARGC(a2), a2), -1, "a bad value in the file");
    config_free(&c);
    drop_cfg();

    write_cfg("bogus = 1\n");
    char *a3[] = {"hearthd", "--config", cfg_path};
    cr_expect_eq(parse(&c, ARGC(a3), a3), -1, "an unknown name in the file");
    config_free(&c);
    drop_cfg();

    /* Options that only make sense on the command line. */
    write_cfg("test-clock = 1\n");
    char *a4[] = {"hearthd", "--config", cfg_path};
    cr_expect_eq(parse(&c, ARGC(a4), a4), -1);
    cr_expect_not(c.test_clock);
    config_free(&c);
}

Test(config, missing_file_refused)
{
    struct config c;
    char *a1[] = {"hearthd", "--config", "/nonexistent/hearth.conf"};
    cr_expect_eq(parse(&c, ARGC(a1), a1), -1);
    config_free(&c);
    char *a2[] = {"hearthd", "--config"};
    cr_expect_eq(parse(&c, ARGC(a2), a2), -1, "--config without a file");
    config_free(&c);
}

Test(config, tls_cert_without_key_refused)
{
    struct config c;
    char *a1[] = {"hearthd", "--tls-cert", "/etc/hearth/cert.pem"};
    cr_expect_eq(parse(&c, ARGC(a1), a1), -1);
    config_free(&c);
    char *a2[] = {"hearthd", "--tls-key", "/etc/hearth/key.pem"};
    cr_expect_eq(parse(&c, ARGC(a2), a2), -1);
    config_free(&c);
    char *a3[] = {"hearthd", "--tls-cert", "/c.pem", "--tls-key", "/k.pem"};
    cr_expect_eq(parse(&c, ARGC(a3), a3), 0);
    cr_expect_str_eq(c.tls_cert, "/c.pem");
    cr_expect_str_eq(c.tls_key, "/k.pem");
    config_free(&c);

    /* The pairing is checked after the file too: cert in the file, no key. */
    write_cfg("tls-cert = /c.pem\n");
    char *a4[] = {"hearthd", "--config", cfg_path};
    cr_expect_eq(parse(&c, ARGC(a4), a4), -1);
    config_free(&c);
}

Test(config, too_many_origins_refused)
{
    char *argv[1 + 2 * (CONFIG_MAX_ORIGINS + 1)];
    argv[0] = "hearthd";
    for (int i = 0; i <= CONFIG_MAX_ORIGINS; i++) {
        argv[1 + 2 * i] = "--allow-origin";
        argv[2 + 2 * i] = "https://x.example";
    }
    struct config c;
    cr_expect_eq(parse(&c, ARGC(argv), argv), -1);
    cr_expect_eq(c.n_origins, CONFIG_MAX_ORIGINS);
    config_free(&c);   /* LSan: every strdup'd origin freed */
}

Test(config, too_long_path_refused)
{
    char longpath[600];
    memset(longpath, 'a', sizeof longpath - 1);
    longpath[sizeof longpath - 1] = '\0';
    char *argv[] = {"hearthd", "--data-dir", longpath};
    struct config c;
    cr_expect_eq(parse(&c, ARGC(argv), argv), -1);
    cr_expect_str_eq(c.data_dir, "./var");
    config_free(&c);
}

/* --config=FILE loads the file like every other --name=value option. */
Test(config, config_equals_file_form_is_loaded)
{
    write_cfg("rate = 4\n");
    char arg[128];
    snprintf(arg, sizeof arg, "--config=%s", cfg_path);
    char *argv[] = {"hearthd", arg};
    struct config c;
    cr_assert_eq(parse(&c, ARGC(argv), argv), 0);
    cr_expect_eq(c.rate_per_sec, 4, "--config=FILE was ignored: rate is %u", c.rate_per_sec);
    config_free(&c);
}
