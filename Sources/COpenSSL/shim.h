#ifndef LATCHKEY_COPENSSL_SHIM_H
#define LATCHKEY_COPENSSL_SHIM_H

// OpenSSL 3 headers Latchkey uses. Swift cannot import function-like macros,
// so the few we need get static inline wrappers below.
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/ecdsa.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/kdf.h>
#include <openssl/param_build.h>
#include <openssl/params.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>
#include <openssl/sha.h>
#include <openssl/x509.h>

static inline long latchkey_BIO_get_mem_data(BIO *bio, char **out) {
  return BIO_get_mem_data(bio, out);
}

static inline void latchkey_OPENSSL_free(void *ptr) { OPENSSL_free(ptr); }

static inline int latchkey_EVP_PKEY_KEYPAIR(void) { return EVP_PKEY_KEYPAIR; }

static inline int latchkey_EVP_PKEY_PUBLIC_KEY(void) { return EVP_PKEY_PUBLIC_KEY; }

#endif
