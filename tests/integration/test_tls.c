/*
 * Optional TLS: with --tls-cert/--tls-key hearthd speaks HTTPS/WSS only,
 * with TLS 1.2 or newer, and ALPN http/1.1.
 */
#include <criterion/criterion.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "hdproc.h"

static struct hdproc hd;
static char certdir[64];

static void stop_server(void)
{
    hd_cleanup(&hd);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", certdir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", certdir);
}

/* A throwaway self-signed certificate made with the openssl tool. */
static void start_tls_server(void)
{
    snprintf(certdir, sizeof certdir, "/tmp/hearth-cert-XXXXXX");
    cr_assert(mkdtemp(certdir));
    char cmd[512], cert[128], key[128];
    snprintf(cert, sizeof cert, "%s/cert.pem", certdir);
    snprintf(key, sizeof key, "%s/key.pem", certdir);
    snprintf(cmd, sizeof cmd,
             "openssl req -x509 -newkey rsa:2048 -nodes -keyout %s -out %s -days 1 "
             "-subj /CN=localhost >/dev/null 2>&1", key, cert);
    cr_assert_eq(system(cmd), 0, "openssl could not make a test certificate");
    const char *args[] = {"--tls-cert", cert, "--tls-key", key, NULL};
    hd_start(&hd, args);
    cr_assert(strncmp(hd.url, "https://", 8) == 0, "announces https, got %s", hd.url);
}

static int tcp_connect(int port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    cr_assert_eq(connect(fd, (struct sockaddr *)&a, sizeof a), 0);
    struct timeval tv = {5, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    return fd;
}

/* Handshakes with at most `max_version`; on success GETs /healthz and
 * returns the response's first line in `line`. Returns 0 or -1. */
static int tls_get_health(int port, int max_version, char *line, size_t len, char *proto,
                          size_t plen)
{
    SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
    SSL_CTX_set_max_proto_version(ctx, max_version);
    SSL_CTX_set_security_level(ctx, 0); /* let the client offer old versions */
    static const unsigned char alpn[] = "\x02h2\x08http/1.1";
    SSL_CTX_set_alpn_protos(ctx, alpn, sizeof alpn - 1);
    SSL *ssl = SSL_new(ctx);
    int fd = tcp_connect(port);
    SSL_set_fd(ssl, fd);
    int rc = -1;
    if (SSL_connect(ssl) == 1) {
        const unsigned char *p;
        unsigned plen_out;
        SSL_get0_alpn_selected(ssl, &p, &plen_out);
        snprintf(proto, plen, "%.*s", (int)plen_out, p);
        const char req[] = "GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n";
        SSL_write(ssl, req, sizeof req - 1);
        int n = SSL_read(ssl, line, (int)len - 1);
        if (n > 0) {
            line[n] = '\0';
            line[strcspn(line, "\r\n")] = '\0';
            rc = 0;
        }
    }
    SSL_free(ssl);
    SSL_CTX_free(ctx);
    close(fd);
    return rc;
}

TestSuite(tls, .fini = stop_server, .timeout = 60);

Test(tls, serves_tls12_and_newer_with_http11)
{
    start_tls_server();
    char line[128], proto[32];
    cr_assert_eq(tls_get_health(hd.port, TLS1_2_VERSION, line, sizeof line, proto, sizeof proto), 0);
    cr_assert_str_eq(line, "HTTP/1.1 200 OK");
    cr_assert_str_eq(proto, "http/1.1", "only http/1.1 is offered in ALPN");
    cr_assert_eq(tls_get_health(hd.port, TLS1_3_VERSION, line, sizeof line, proto, sizeof proto), 0);
    cr_assert_eq(hd_stop(&hd), 0);
}

Test(tls, refuses_tls11_and_plain_http)
{
    start_tls_server();
    char line[128], proto[32];
    cr_assert_neq(tls_get_health(hd.port, TLS1_1_VERSION, line, sizeof line, proto, sizeof proto), 0,
                  "TLS 1.1 must be refused");
    int fd = tcp_connect(hd.port);
    const char req[] = "GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n";
    cr_assert(write(fd, req, sizeof req - 1) > 0);
    char buf[256] = "";
    ssize_t n = read(fd, buf, sizeof buf - 1);
    cr_assert(n <= 0 || strncmp(buf, "HTTP/1.1 200", 12) != 0, "plain HTTP must not be served");
    close(fd);
    cr_assert_eq(hd_stop(&hd), 0);
}
