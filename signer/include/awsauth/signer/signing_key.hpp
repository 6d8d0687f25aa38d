#pragma once
/// @file signing_key.hpp
/// Credential scope and the derived signing key (explicit values a chunk signer can chain).

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "awsauth/export.hpp"

namespace awsauth::signer {

/// `date/region/service/aws4_request`.
struct AWSAUTH_API Scope {
  std::string date;  ///< YYYYMMDD
  std::string region;
  std::string service;

  [[nodiscard]] std::string to_string() const;
};

/// kSigning = HMAC(HMAC(HMAC(HMAC("AWS4"+secret, date), region), service), "aws4_request").
/// 32 bytes; wiped on destruction.
class AWSAUTH_API SigningKey {
 public:
  SigningKey() = default;
  explicit SigningKey(const std::array<std::uint8_t, 32>& bytes) : bytes_(bytes) {}
  ~SigningKey();
  SigningKey(const SigningKey&) = default;
  SigningKey& operator=(const SigningKey&) = default;

  [[nodiscard]] const std::array<std::uint8_t, 32>& bytes() const noexcept { return bytes_; }
  [[nodiscard]] std::string hex() const;

 private:
  std::array<std::uint8_t, 32> bytes_{};
};

/// Derives the signing key (four HMAC-SHA256 steps). Prefer SigningKeyCache::get.
[[nodiscard]] AWSAUTH_API SigningKey derive_signing_key(std::string_view secret,
                                                        const Scope& scope);

/// A thread-safe LRU cache: the key is derived once per (secret, date, region, service), and at
/// most `capacity` keys are kept (the least recently used is dropped). A hit allocates nothing.
/// Entries hold the secret in memory that is wiped when they are evicted or destroyed.
class AWSAUTH_API SigningKeyCache {
 public:
  /// The capacity of shared(): room for every region a partition has times a few dozen
  /// services, so a process that signs for all of them derives each key once a day. An entry
  /// takes under 400 bytes, so a full cache stays under 400 KiB.
  static constexpr std::size_t kSharedCapacity = 1024;

  explicit SigningKeyCache(std::size_t capacity = 64);
  ~SigningKeyCache();
  SigningKeyCache(const SigningKeyCache&) = delete;
  SigningKeyCache& operator=(const SigningKeyCache&) = delete;

  [[nodiscard]] SigningKey get(std::string_view secret, const Scope& scope);
  /// How many derivations happened (for tests and metrics).
  [[nodiscard]] std::uint64_t derivations() const noexcept;
  /// How many keys are held (never more than capacity()).
  [[nodiscard]] std::size_t size() const noexcept;
  [[nodiscard]] std::size_t capacity() const noexcept;

  /// The process-wide cache `sign()` uses by default.
  static SigningKeyCache& shared();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace awsauth::signer
