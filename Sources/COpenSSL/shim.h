#ifndef LATCHKEY_COPENSSL_SHIM_H
#define LATCHKEY_COPENSSL_SHIM_H

// OpenSSL 3 headers Latchkey uses. Swift cannot import function-like macros,
// so the few we need get static inline wrappers below. Helpers that build
// OSSL_PARAM arrays live here too: OSSL_PARAM keeps the pointers it is given,
// and C string literals have static storage, which Swift-bridged strings lack.
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

/// Password callback that refuses: encrypted PEM keys fail instead of prompting on a TTY.
static inline int latchkey_no_password(char *buf, int size, int rwflag, void *u) {
  (void)buf; (void)size; (void)rwflag; (void)u;
  return -1;
}

/// PEM_read_bio_PrivateKey without ever prompting for a pass phrase.
static inline EVP_PKEY *latchkey_read_private_key_pem(BIO *bio) {
  return PEM_read_bio_PrivateKey(bio, NULL, latchkey_no_password, NULL);
}

/// PEM_read_bio_PUBKEY (SubjectPublicKeyInfo) without ever prompting.
static inline EVP_PKEY *latchkey_read_public_key_pem(BIO *bio) {
  return PEM_read_bio_PUBKEY(bio, NULL, latchkey_no_password, NULL);
}

/// An EC P-256 public key from an uncompressed SEC1 point (0x04 || x || y).
/// OpenSSL rejects points that are not on the curve.
static inline EVP_PKEY *latchkey_p256_public_key(const unsigned char *point, size_t length) {
  EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
  if (ctx == NULL) return NULL;
  EVP_PKEY *pkey = NULL;
  OSSL_PARAM params[3];
  params[0] = OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, (char *)"prime256v1", 0);
  params[1] = OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY, (void *)point, length);
  params[2] = OSSL_PARAM_construct_end();
  if (EVP_PKEY_fromdata_init(ctx) != 1
      || EVP_PKEY_fromdata(ctx, &pkey, EVP_PKEY_PUBLIC_KEY, params) != 1) {
    pkey = NULL;
  }
  EVP_PKEY_CTX_free(ctx);
  return pkey;
}

/// An RSA public key from big-endian modulus and exponent bytes.
static inline EVP_PKEY *latchkey_rsa_public_key(const unsigned char *n, size_t nLength,
                                                const unsigned char *e, size_t eLength) {
  EVP_PKEY *pkey = NULL;
  BIGNUM *bn = BN_bin2bn(n, (int)nLength, NULL);
  BIGNUM *be = BN_bin2bn(e, (int)eLength, NULL);
  OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
  OSSL_PARAM *params = NULL;
  EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, "RSA", NULL);
  if (bn != NULL && be != NULL && bld != NULL && ctx != NULL
      && OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, bn) == 1
      && OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, be) == 1
      && (params = OSSL_PARAM_BLD_to_param(bld)) != NULL
      && EVP_PKEY_fromdata_init(ctx) == 1) {
    if (EVP_PKEY_fromdata(ctx, &pkey, EVP_PKEY_PUBLIC_KEY, params) != 1) pkey = NULL;
  }
  OSSL_PARAM_free(params);
  OSSL_PARAM_BLD_free(bld);
  EVP_PKEY_CTX_free(ctx);
  BN_free(bn);
  BN_free(be);
  return pkey;
}

/// Copies a BIGNUM-valued key parameter (e.g. "n", "e", "qx") as minimal big-endian
/// bytes, left-padded with zeros to `padTo` when it is non-zero. Returns the length
/// written, or -1 when the parameter is absent or does not fit `capacity`.
static inline int latchkey_get_bn_param(const EVP_PKEY *pkey, const char *name,
                                        unsigned char *out, int capacity, int padTo) {
  BIGNUM *bn = NULL;
  if (EVP_PKEY_get_bn_param(pkey, name, &bn) != 1 || bn == NULL) return -1;
  int length = padTo > 0 ? padTo : BN_num_bytes(bn);
  int written = -1;
  if (length <= capacity) written = BN_bn2binpad(bn, out, length);
  BN_free(bn);
  return written;
}

/// EC x coordinate parameter name (string macros bridge to temporary strings in Swift).
static inline const char *latchkey_param_ec_pub_x(void) { return OSSL_PKEY_PARAM_EC_PUB_X; }
static inline const char *latchkey_param_ec_pub_y(void) { return OSSL_PKEY_PARAM_EC_PUB_Y; }
static inline const char *latchkey_param_rsa_n(void) { return OSSL_PKEY_PARAM_RSA_N; }
static inline const char *latchkey_param_rsa_e(void) { return OSSL_PKEY_PARAM_RSA_E; }

#endif
