#pragma once
// Buffer-appending forms of the canonical steps, shared by canonical.cpp (the public pure
// functions) and signer.cpp (the hot path, which reuses per-thread buffers).

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "awsauth/signer/request.hpp"
#include "awsauth/signer/settings.hpp"

namespace awsauth::signer::steps {

void append_canonical_uri(std::string_view path, const SigningSettings& settings,
                          std::string& out);

using Pairs = std::vector<std::pair<std::string, std::string>>;

/// Reused storage for query pairs; `size` is the number in use.
struct QueryScratch {
  Pairs pairs;
  std::size_t size = 0;
  std::pair<std::string, std::string>& next();
};

void append_canonical_query(std::string_view query, const Pairs& extra, QueryScratch& scratch,
                            std::string& out);

/// Reused storage for header canonicalization.
struct HeaderScratch {
  struct Entry {
    std::string name;  // lowercased
    std::string_view value;
    std::size_t order;
  };
  std::vector<Entry> entries;
  std::size_t size = 0;
  void clear() { size = 0; }
  void add(std::string_view name, std::string_view value);
};

/// Appends the canonical header block and the signed-header list from `scratch`.
void append_canonical_headers(HeaderScratch& scratch, std::string& block,
                              std::string& signed_headers);

void append_trimmed(std::string_view value, std::string& out);

}  // namespace awsauth::signer::steps
