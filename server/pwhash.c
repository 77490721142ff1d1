#include "pwhash.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/params.h>
#include <openssl/rand.h>

#define SALT_LEN 16
#define KEY_LEN 32
#define SCRYPT_R 8
#define SCRYPT_P 1

static void to_hex(const unsigned char *in, size_t n, char *out)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = digits[in[i] >> 4];
        out[2 * i + 1] = digits[in[i] & 15];
    }
    out[2 * n] = '\0';
}

static int from_hex(const char *in, size_t n, unsigned char *out)
{
    for (size_t i = 0; i < n; i++) {
        unsigned v = 0;
        for (int k = 0; k < 2; k++) {
            char ch = in[2 * i + k];
            v <<= 4;
            if (ch >= '0' && ch <= '9')
                v |= (unsigned)(ch - '0');
            else if (ch >= 'a' && ch <= 'f')
                v |= (unsigned)(ch - 'a' + 10);
            else
                return -1;
        }
        out[i] = (unsigned char)v;
    }
    return 0;
}

static int scrypt_derive(const char *pw, size_t pwlen, const unsigned char *salt, unsigned ln,
                         unsigned r, unsigned p, unsigned char key[KEY_LEN])
{
    EVP_KDF *kdf = EVP_KDF_fetch(NULL, "SCRYPT", NULL);
    if (!kdf)
        return -1;
    EVP_KDF_CTX *ctx = EVP_KDF_CTX_new(kdf);
    EVP_KDF_free(kdf);
    if (!ctx)
        return -1;
    uint64_t n = (uint64_t)1 << ln;
    uint32_t rr = r, pp = p;
    /* 128 * N * r bytes plus slack. OpenSSL's older EVP_PBE_scrypt caps memory
     * at 32 MiB, which refuses N=2^17; say the limit out loud here so a
     * future cost raise cannot trip over a default. */
    uint64_t maxmem = 128 * n * rr + (16u << 20);
    OSSL_PARAM params[] = {
        OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_PASSWORD, (void *)pw, pwlen),
        OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, (void *)salt, SALT_LEN),
        OSSL_PARAM_construct_uint64(OSSL_KDF_PARAM_SCRYPT_N, &n),
        OSSL_PARAM_construct_uint32(OSSL_KDF_PARAM_SCRYPT_R, &rr),
        OSSL_PARAM_construct_uint32(OSSL_KDF_PARAM_SCRYPT_P, &pp),
        OSSL_PARAM_construct_uint64(OSSL_KDF_PARAM_SCRYPT_MAXMEM, &maxmem),
        OSSL_PARAM_construct_end(),
    };
    int ok = EVP_KDF_derive(ctx, key, KEY_LEN, params);
    EVP_KDF_CTX_free(ctx);
    return ok == 1 ? 0 : -1;
}

int pwhash_hash(const char *password, size_t len, unsigned ln, char out[PWHASH_MAX])
{
    unsigned char salt[SALT_LEN], key[KEY_LEN];
    if (ln < 1 || ln > 22 || RAND_bytes(salt, SALT_LEN) != 1)
        return -1;
    if (scrypt_derive(password, len, salt, ln, SCRYPT_R, SCRYPT_P, key) != 0)
        return -1;
    char salt_hex[2 * SALT_LEN + 1], key_hex[2 * KEY_LEN + 1];
    to_hex(salt, SALT_LEN, salt_hex);
    to_hex(key, KEY_LEN, key_hex);
    OPENSSL_cleanse(key, sizeof key);
    snprintf(out, PWHASH_MAX, "$scrypt$ln=%u,r=%u,p=%u$%s$%s", ln, SCRYPT_R, SCRYPT_P, salt_hex,
             key_hex);
    return 0;
}

struct parsed { unsigned ln, r, p; unsigned char salt[SALT_LEN], key[KEY_LEN]; };

static int parse(const char *enc, struct parsed *out)
{
    char salt_hex[2 * SALT_LEN + 1], key_hex[2 * KEY_LEN + 1];
    int end = -1;
    if (sscanf(enc, "$scrypt$ln=%u,r=%u,p=%u$%32[0-9a-f]$%64[0-9a-f]%n", &out->ln, &out->r,
               &out->p, salt_hex, key_hex, &end) != 5 ||
        end < 0 || enc[end] != '\0')
        return -1;
    if (strlen(salt_hex) != 2 * SALT_LEN || strlen(key_hex) != 2 * KEY_LEN)
        return -1;
    if (out->ln < 1 || out->ln > 22 || out->r < 1 || out->r > 32 || out->p < 1 || out->p > 16)
        return -1;
    if (from_hex(salt_hex, SALT_LEN, out->salt) || from_hex(key_hex, KEY_LEN, out->key))
        return -1;
    return 0;
}

int pwhash_verify(const char *password, size_t len, const char *encoded)
{
    struct parsed p;
    unsigned char key[KEY_LEN];
    if (parse(encoded, &p) != 0)
        return -1;
    if (scrypt_derive(password, len, p.salt, p.ln, p.r, p.p, key) != 0)
        return -1;
    int match = CRYPTO_memcmp(key, p.key, KEY_LEN) == 0;
    OPENSSL_cleanse(key, sizeof key);
    return match;
}

bool pwhash_needs_rehash(const char *encoded, unsigned ln)
{
    struct parsed p;
    return parse(encoded, &p) != 0 || p.ln < ln;
}

void token_hash(const char *hex, unsigned char hash[TOKEN_HASH_LEN])
{
    unsigned int len = TOKEN_HASH_LEN;
    EVP_Digest(hex, strlen(hex), hash, &len, EVP_sha256(), NULL);
}

int random_hex(char *out, size_t nbytes)
{
    unsigned char raw[64];
    if (nbytes > sizeof raw || RAND_bytes(raw, (int)nbytes) != 1)
        return -1;
    to_hex(raw, nbytes, out);
    OPENSSL_cleanse(raw, sizeof raw);
    return 0;
}

int token_new(char hex[TOKEN_HEX_LEN + 1], unsigned char hash[TOKEN_HASH_LEN])
{
    if (random_hex(hex, TOKEN_HEX_LEN / 2) != 0)
        return -1;
    token_hash(hex, hash);
    return 0;
}
