/*
 * Password hashing and session tokens (ENGINEERING.md s.7).
 *
 * Passwords: scrypt through OpenSSL 3 EVP_KDF "SCRYPT", stored as
 *   $scrypt$ln=17,r=8,p=1$<salt hex>$<key hex>
 * so the parameters travel with the hash and can be raised later (a login
 * whose hash is weaker than the configured cost is rehashed). These calls
 * are slow (~0.5 s, 128 MiB at ln=17) and run on the thread pool only.
 *
 * Tokens: 32 random bytes, shown to the client as 64 hex chars, stored
 * only as their SHA-256.
 */
#ifndef HEARTH_PWHASH_H
#define HEARTH_PWHASH_H

#include <stdbool.h>
#include <stddef.h>

#define PWHASH_MAX 160
#define TOKEN_HEX_LEN 64
#define TOKEN_HASH_LEN 32

/* Hashes password with N = 2^ln. Returns 0 or -1. */
int pwhash_hash(const char *password, size_t len, unsigned ln, char out[PWHASH_MAX]);
/* Constant-time check. Returns 1 match, 0 mismatch, -1 malformed hash. */
int pwhash_verify(const char *password, size_t len, const char *encoded);
/* True when the stored hash uses a smaller cost than ln. */
bool pwhash_needs_rehash(const char *encoded, unsigned ln);

/* A fresh token: hex for the client, SHA-256 of the hex for storage. */
int token_new(char hex[TOKEN_HEX_LEN + 1], unsigned char hash[TOKEN_HASH_LEN]);
void token_hash(const char *hex, unsigned char hash[TOKEN_HASH_LEN]);
/* Random lowercase hex string of 2*nbytes chars (invite codes, ids). */
int random_hex(char *out, size_t nbytes);

#endif
