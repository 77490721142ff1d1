/*
 * Password hashing (scrypt through OpenSSL EVP_KDF) and session tokens.
 * Tests hash at ln=10 for speed; one test runs the default cost (ln=17,
 * 128 MiB) to prove OpenSSL's maxmem lets it through.
 */
#include <criterion/criterion.h>
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include <openssl/evp.h>

#include "pwhash.h"

#define FAST_LN 10
#define PW "correct horse battery staple"

static void hash(const char *pw, unsigned ln, char out[PWHASH_MAX])
{
    cr_assert_eq(pwhash_hash(pw, strlen(pw), ln, out), 0, "pwhash_hash(ln=%u) failed", ln);
}

static bool is_lower_hex(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!isdigit((unsigned char)s[i]) && !(s[i] >= 'a' && s[i] <= 'f'))
            return false;
    return true;
}

Test(pwhash, hash_then_verify)
{
    char h[PWHASH_MAX];
    hash(PW, FAST_LN, h);
    cr_expect_eq(pwhash_verify(PW, strlen(PW), h), 1);
}

Test(pwhash, wrong_password_is_zero)
{
    char h[PWHASH_MAX];
    hash(PW, FAST_LN, h);
    cr_expect_eq(pwhash_verify("correct horse battery stapler", 29, h), 0);
    cr_expect_eq(pwhash_verify("", 0, h), 0);
    /* The length is the caller's: a prefix of the right password is wrong. */
    cr_expect_eq(pwhash_verify(PW, strlen(PW) - 1, h), 0);
}

Test(pwhash, password_with_nul_bytes_uses_given_length)
{
    char h[PWHASH_MAX];
    const char pw[] = {'a', '\0', 'b'};
    cr_assert_eq(pwhash_hash(pw, sizeof pw, FAST_LN, h), 0);
    cr_expect_eq(pwhash_verify(pw, sizeof pw, h), 1);
    cr_expect_eq(pwhash_verify("a", 1, h), 0, "bytes after a NUL still count");
}

Test(pwhash, encoded_form_carries_parameters)
{
    char h[PWHASH_MAX];
    hash(PW, FAST_LN, h);
    unsigned ln, r, p;
    char salt[64], key[128];
    cr_assert_eq(sscanf(h, "$scrypt$ln=%u,r=%u,p=%u$%63[^$]$%127s", &ln, &r, &p, salt, key), 5,
                 "unexpected format: %s", h);
    cr_expect_eq(ln, FAST_LN);
    cr_expect_eq(r, 8);
    cr_expect_eq(p, 1);
    cr_expect_eq(strlen(salt), 32, "16-byte salt as hex: %s", salt);
    cr_expect_eq(strlen(key), 64, "32-byte key as hex: %s", key);
    cr_expect(is_lower_hex(salt, strlen(salt)) && is_lower_hex(key, strlen(key)));
    cr_expect_lt(strlen(h), PWHASH_MAX);
}

Test(pwhash, same_password_hashes_differently)
{
    char a[PWHASH_MAX], b[PWHASH_MAX];
    hash(PW, FAST_LN, a);
    hash(PW, FAST_LN, b);
    cr_expect_str_neq(a, b, "a fresh salt every time");
    cr_expect_eq(pwhash_verify(PW, strlen(PW), a), 1);
    cr_expect_eq(pwhash_verify(PW, strlen(PW), b), 1);
}

Test(pwhash, malformed_hash_is_minus_one)
{
    char good[PWHASH_MAX];
    hash(PW, FAST_LN, good);
    const char *salt = strchr(good + 8, '$') + 1;   /* after "$scrypt$ln=..." */
    char buf[PWHASH_MAX * 2];
    const char *bad[] = {
        "",
        "password",
        "$scrypt$",
        "$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA",
        "$scrypt$ln=10,r=8,p=1$00$00",                       /* salt and key too short */
        "$scrypt$ln=0,r=8,p=1$00000000000000000000000000000000$"
        "0000000000000000000000000000000000000000000000000000000000000000", /* ln out of range */
        "$scrypt$ln=99,r=8,p=1$00000000000000000000000000000000$"
        "0000000000000000000000000000000000000000000000000000000000000000",
        "$scrypt$ln=10,r=0,p=1$00000000000000000000000000000000$"
        "0000000000000000000000000000000000000000000000000000000000000000",
        "$scrypt$ln=10,r=8,p=0$00000000000000000000000000000000$"
        "0000000000000000000000000000000000000000000000000000000000000000",
        "$scrypt$ln=10,r=8,p=1$0000000000000000000000000000000G$"
        "0000000000000000000000000000000000000000000000000000000000000000", /* not hex */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        cr_expect_eq(pwhash_verify(PW, strlen(PW), bad[i]), -1, "accepted: '%s'", bad[i]);

    /* A good hash cut short (key truncated by one hex digit). */
    snprintf(buf, sizeof buf, "%.*s", (int)strlen(good) - 1, good);
    cr_expect_eq(pwhash_verify(PW, strlen(PW), buf), -1, "accepted truncated: %s", buf);
    /* Upper-case hex is not what we write. */
    snprintf(buf, sizeof buf, "%s", good);
    for (char *c = buf + (salt - good); *c; c++)
        if (*c >= 'a' && *c <= 'f')
            *c = (char)(*c - 'a' + 'A');
    cr_expect_eq(pwhash_verify(PW, strlen(PW), buf), -1, "accepted upper case: %s", buf);
}

Test(pwhash, bad_cost_is_refused_when_hashing)
{
    char h[PWHASH_MAX];
    cr_expect_eq(pwhash_hash(PW, strlen(PW), 0, h), -1);
    cr_expect_eq(pwhash_hash(PW, strlen(PW), 23, h), -1);
}

Test(pwhash, needs_rehash_for_lower_cost)
{
    char h[PWHASH_MAX];
    hash(PW, FAST_LN, h);
    cr_expect(pwhash_needs_rehash(h, FAST_LN + 1), "ln=10 is weaker than 11");
    cr_expect(pwhash_needs_rehash(h, 17));
    cr_expect_not(pwhash_needs_rehash(h, FAST_LN), "same cost: keep it");
    cr_expect_not(pwhash_needs_rehash(h, FAST_LN - 1), "stronger than asked: keep it");
    cr_expect(pwhash_needs_rehash("garbage", 4), "an unreadable hash is replaced");
}

/* The default cost: 128 * 2^17 * 8 = 128 MiB of scrypt memory, which must
 * get past OpenSSL's maxmem cap (the value pwhash.c passes). */
Test(pwhash, default_cost_ln17_works, .timeout = 60)
{
    char h[PWHASH_MAX];
    hash(PW, 17, h);
    cr_expect_not_null(strstr(h, "$ln=17,"), "%s", h);
    cr_expect_eq(pwhash_verify(PW, strlen(PW), h), 1);
    cr_expect_not(pwhash_needs_rehash(h, 17));
}

/* ---- tokens ---- */

Test(token, new_is_64_lower_hex_and_hash_matches)
{
    char hex[TOKEN_HEX_LEN + 1];
    unsigned char h[TOKEN_HASH_LEN], again[TOKEN_HASH_LEN];
    memset(hex, 'Z', sizeof hex);
    cr_assert_eq(token_new(hex, h), 0);
    cr_expect_eq(strlen(hex), TOKEN_HEX_LEN, "'%s'", hex);
    cr_expect(is_lower_hex(hex, TOKEN_HEX_LEN), "'%s'", hex);
    token_hash(hex, again);
    cr_expect_eq(memcmp(h, again, TOKEN_HASH_LEN), 0);

    /* And it is the SHA-256 of the hex text, as documented (what the
     * database stores and resume looks up). */
    unsigned char sha[32];
    unsigned int n = 0;
    cr_assert_eq(EVP_Digest(hex, TOKEN_HEX_LEN, sha, &n, EVP_sha256(), NULL), 1);
    cr_assert_eq(n, 32);
    cr_expect_eq(memcmp(h, sha, 32), 0);
}

Test(token, known_sha256_vector)
{
    /* SHA-256("abc") from FIPS 180-2. */
    static const unsigned char want[32] = {
        0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea, 0x41, 0x41, 0x40, 0xde, 0x5d, 0xae, 0x22, 0x23,
        0xb0, 0x03, 0x61, 0xa3, 0x96, 0x17, 0x7a, 0x9c, 0xb4, 0x10, 0xff, 0x61, 0xf2, 0x00, 0x15, 0xad};
    unsigned char h[TOKEN_HASH_LEN];
    token_hash("abc", h);
    cr_expect_eq(memcmp(h, want, 32), 0);
}

Test(token, two_tokens_differ)
{
    char a[TOKEN_HEX_LEN + 1], b[TOKEN_HEX_LEN + 1];
    unsigned char ha[TOKEN_HASH_LEN], hb[TOKEN_HASH_LEN];
    cr_assert_eq(token_new(a, ha), 0);
    cr_assert_eq(token_new(b, hb), 0);
    cr_expect_str_neq(a, b);
    cr_expect_neq(memcmp(ha, hb, TOKEN_HASH_LEN), 0);
}

Test(token, random_hex_length)
{
    char out[130];
    for (size_t n = 1; n <= 64; n *= 2) {
        memset(out, 'Z', sizeof out);
        cr_assert_eq(random_hex(out, n), 0);
        cr_expect_eq(strlen(out), 2 * n, "random_hex(%zu) gave '%s'", n, out);
        cr_expect(is_lower_hex(out, 2 * n));
        cr_expect_eq(out[2 * n + 1], 'Z', "wrote past the NUL");
    }
    cr_expect_eq(random_hex(out, 65), -1, "more than it can do is refused");
    char x[33], y[33];
    random_hex(x, 16);
    random_hex(y, 16);
    cr_expect_str_neq(x, y);
}

/* A stored hash with anything after its key is malformed, not a match. */
Test(pwhash, trailing_bytes_after_key_are_malformed)
{
    char good[PWHASH_MAX], buf[PWHASH_MAX + 8];
    hash(PW, FAST_LN, good);
    snprintf(buf, sizeof buf, "%sjunk", good);
    cr_expect_eq(pwhash_verify(PW, strlen(PW), buf), -1, "accepted: %s", buf);
    snprintf(buf, sizeof buf, "%s0", good);   /* a 65-digit key */
    cr_expect_eq(pwhash_verify(PW, strlen(PW), buf), -1, "accepted: %s", buf);
}
