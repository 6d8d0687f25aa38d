#include "dpop_check.hpp"

#include <Poco/Dynamic/Var.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/encoder.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>

#include <stdexcept>
#include <vector>

namespace awsauth::test {
namespace {

std::string b64url(const std::string& bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(bytes.data()),
                                static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(n));
  for (char& c : out) {
    if (c == '+') c = '-';
    if (c == '/') c = '_';
  }
  while (!out.empty() && out.back() == '=') out.pop_back();
  return out;
}

// Strict base64url without padding; throws on anything else.
std::string unb64url(std::string text) {
  for (char& c : text) {
    if (c == '-') {
      c = '+';
    } else if (c == '_') {
      c = '/';
    } else if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) {
      throw std::runtime_error("not base64url without padding");
    }
  }
  if (text.size() % 4 == 1) throw std::runtime_error("impossible base64url length");
  std::size_t pad = (4 - text.size() % 4) % 4;
  text.append(pad, '=');
  std::string out(text.size() / 4 * 3, '\0');
  const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(text.data()),
                                static_cast<int>(text.size()));
  if (n < 0) throw std::runtime_error("undecodable base64url");
  out.resize(static_cast<std::size_t>(n) - pad);
  return out;
}

Poco::JSON::Object::Ptr object_of(const std::string& json) {
  Poco::JSON::Parser parser;
  auto v = parser.parse(json);
  if (v.type() != typeid(Poco::JSON::Object::Ptr)) throw std::runtime_error("not a JSON object");
  return v.extract<Poco::JSON::Object::Ptr>();
}

std::string str(const Poco::JSON::Object::Ptr& o, const char* key) {
  if (!o->has(key) || !o->get(key).isString()) {
    throw std::runtime_error(std::string("no string ") + key);
  }
  return o->getValue<std::string>(key);
}

EVP_PKEY* public_key(const PublicJwk& jwk) {
  const std::string x = unb64url(jwk.x);
  const std::string y = unb64url(jwk.y);
  if (x.size() != 32 || y.size() != 32) throw std::runtime_error("jwk coordinates not 32 bytes");
  std::string point = "\x04" + x + y;
  OSSL_PARAM_BLD* bld = OSSL_PARAM_BLD_new();
  OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0);
  OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, point.data(), point.size());
  OSSL_PARAM* params = OSSL_PARAM_BLD_to_param(bld);
  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr);
  EVP_PKEY* pkey = nullptr;
  const bool ok = ctx != nullptr && EVP_PKEY_fromdata_init(ctx) == 1 &&
                  EVP_PKEY_fromdata(ctx, &pkey, EVP_PKEY_PUBLIC_KEY, params) == 1;
  EVP_PKEY_CTX_free(ctx);
  OSSL_PARAM_free(params);
  OSSL_PARAM_BLD_free(bld);
  if (!ok) throw std::runtime_error("the jwk is not a P-256 point");
  return pkey;
}

bool verify_es256(const PublicJwk& jwk, const std::string& input, const std::string& raw) {
  if (raw.size() != 64) throw std::runtime_error("signature is not 64 bytes");
  ECDSA_SIG* sig = ECDSA_SIG_new();
  ECDSA_SIG_set0(sig, BN_bin2bn(reinterpret_cast<const unsigned char*>(raw.data()), 32, nullptr),
                 BN_bin2bn(reinterpret_cast<const unsigned char*>(raw.data()) + 32, 32, nullptr));
  unsigned char* der = nullptr;
  const int der_length = i2d_ECDSA_SIG(sig, &der);
  ECDSA_SIG_free(sig);
  EVP_PKEY* pkey = public_key(jwk);
  EVP_MD_CTX* md = EVP_MD_CTX_new();
  const bool ok =
      EVP_DigestVerifyInit(md, nullptr, EVP_sha256(), nullptr, pkey) == 1 &&
      EVP_DigestVerify(md, der, static_cast<std::size_t>(der_length),
                       reinterpret_cast<const unsigned char*>(input.data()), input.size()) == 1;
  EVP_MD_CTX_free(md);
  EVP_PKEY_free(pkey);
  OPENSSL_free(der);
  return ok;
}

}  // namespace

std::string generate_ec_pem(PemForm form, const char* curve) {
  EVP_PKEY* pkey = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", curve);
  if (pkey == nullptr) throw std::runtime_error("EC key generation failed");
  OSSL_ENCODER_CTX* enc = OSSL_ENCODER_CTX_new_for_pkey(
      pkey, EVP_PKEY_KEYPAIR, "PEM", form == PemForm::Sec1 ? "type-specific" : "PrivateKeyInfo",
      nullptr);
  unsigned char* data = nullptr;
  std::size_t length = 0;
  const bool ok = enc != nullptr && OSSL_ENCODER_to_data(enc, &data, &length) == 1;
  OSSL_ENCODER_CTX_free(enc);
  EVP_PKEY_free(pkey);
  if (!ok) throw std::runtime_error("PEM encoding failed");
  std::string pem(reinterpret_cast<char*>(data), length);
  OPENSSL_free(data);
  return pem;
}

PublicJwk public_jwk_of(const std::string& pem) {
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  EVP_PKEY* pkey = PEM_read_bio_PrivateKey(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  if (pkey == nullptr) throw std::runtime_error("not a PEM private key");
  unsigned char point[65];
  std::size_t length = 0;
  const bool ok = EVP_PKEY_get_octet_string_param(pkey, OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY, point,
                                                  sizeof point, &length) == 1 &&
                  length == 65 && point[0] == 0x04;
  EVP_PKEY_free(pkey);
  if (!ok) throw std::runtime_error("not an uncompressed P-256 public point");
  return {b64url(std::string(reinterpret_cast<char*>(point) + 1, 32)),
          b64url(std::string(reinterpret_cast<char*>(point) + 33, 32))};
}

DpopCheck check_dpop_proof(const std::string& proof, const PublicJwk& expected) {
  DpopCheck out;
  try {
    const auto dot1 = proof.find('.');
    const auto dot2 = dot1 == std::string::npos ? dot1 : proof.find('.', dot1 + 1);
    if (dot2 == std::string::npos || proof.find('.', dot2 + 1) != std::string::npos) {
      throw std::runtime_error("not three dot-separated parts");
    }
    const std::string header_part = proof.substr(0, dot1);
    const std::string claims_part = proof.substr(dot1 + 1, dot2 - dot1 - 1);
    out.header_json = unb64url(header_part);
    out.claims_json = unb64url(claims_part);
    const auto header = object_of(out.header_json);
    const auto claims = object_of(out.claims_json);
    out.typ = str(header, "typ");
    out.alg = str(header, "alg");
    if (!header->has("jwk")) throw std::runtime_error("no jwk in the header");
    const auto jwk = header->getObject("jwk");
    if (!jwk) throw std::runtime_error("jwk is not an object");
    out.kty = str(jwk, "kty");
    out.crv = str(jwk, "crv");
    out.x = str(jwk, "x");
    out.y = str(jwk, "y");
    out.htm = str(claims, "htm");
    out.htu = str(claims, "htu");
    out.jti = str(claims, "jti");
    if (!claims->has("iat") || !claims->get("iat").isInteger()) {
      throw std::runtime_error("iat is not a whole number");
    }
    out.iat = claims->get("iat").convert<std::int64_t>();
    if (out.typ != "dpop+jwt") throw std::runtime_error("typ is " + out.typ);
    if (out.alg != "ES256") throw std::runtime_error("alg is " + out.alg);
    if (out.kty != "EC" || out.crv != "P-256") throw std::runtime_error("jwk is not EC P-256");
    if (out.x != expected.x || out.y != expected.y) {
      throw std::runtime_error("the jwk is not the session's public key");
    }
    if (!verify_es256(expected, header_part + "." + claims_part,
                      unb64url(proof.substr(dot2 + 1)))) {
      throw std::runtime_error("the ES256 signature does not verify with the session's key");
    }
    out.ok = true;
  } catch (const std::exception& e) {
    out.ok = false;
    out.error = e.what();
  }
  return out;
}

}  // namespace awsauth::test
