#pragma once
// The SigV4 steps in buffer-appending form: one implementation each, called by sign() (over
// per-thread buffers it reuses) and by the public pure functions of canonical.hpp (which
// return fresh strings). In the order sign() runs them:
//
//   Step 1, canonical request: append_canonical_uri, collect_query_pairs + append_merged_query,
//           build_header_layout + append_header_block, append_signed_headers_and_payload
//           (sign() uses the write_* forms of the same steps: it sizes a buffer once, then
//           writes into it; each append_* form wraps its write_* form)
//   Step 2, string to sign:    append_credential_scope, append_string_to_sign
//   Step 3, signature:         append_signature (HMAC with the signing key's pad states)
//   Step 4, authorization:     append_authorization (header mode) or the presigned query
//
// SigV4a (sigv4a_sign.cpp) runs the same steps with its own scope (append_sigv4a_credential_scope),
// its algorithm name in the string to sign and Authorization, and an ECDSA signature in step 3.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "awsauth/signer/request.hpp"
#include "awsauth/signer/settings.hpp"
#include "crypto.hpp"

namespace awsauth::signer::steps {

void append_canonical_uri(std::string_view path, const SigningSettings& settings, std::string& out);

using Pairs = std::vector<std::pair<std::string, std::string>>;

/// Step 1, query: `key=value` pairs, each part percent-decoded and strictly re-encoded, in
/// canonical order. They are sorted through pointers, so that the strings keep their buffers
/// (and a reused QueryPairs allocates nothing) however the order changes.
struct QueryPairs {
  Pairs pairs;  // reused storage; the first `size` are in use
  std::size_t size = 0;
  std::vector<const std::pair<std::string, std::string>*> sorted;

  void clear() { size = 0; }
  /// The next pair, emptied.
  std::pair<std::string, std::string>& next();
  /// Sorts by key, then value (bytes).
  void sort();
};

/// Collects the pairs of `query` (`a&&b` skips the empty piece, `k` is `k=`) and sorts them.
void collect_query_pairs(std::string_view query, QueryPairs& out);

/// A query pair already encoded, held as views (the presign parameters).
using QueryParam = std::pair<std::string_view, std::string_view>;

/// Appends `k=v&k=v...` of `pairs` and `params` merged in canonical order (each already sorted).
void append_merged_query(const QueryPairs& pairs, const std::vector<QueryParam>& params,
                         std::string& out);

/// Step 1, headers, as a layout built from the names alone: which headers are signed, in what
/// order and under what lowercase names. The values are written per signature by
/// append_header_block, so a signer that sees the same names again keeps the layout.
struct HeaderLayout {
  struct Line {
    std::size_t input = 0;  // index of the header in the names given to build_header_layout
    std::string prefix;     // `\nname:` (no `\n` on the first line), or `,` for a repeat
  };
  std::vector<Line> lines;  // reused storage; the first `size` are in use
  std::size_t size = 0;
  std::string signed_headers;

  // Reused while building.
  struct Entry {
    std::string name;  // lowercased, trailing whitespace trimmed
    std::size_t input;
  };
  std::vector<Entry> entries;
};

/// Lowercases and trims the names, drops is_unsigned_header() ones, sorts by name (repeats keep
/// their input order) and fills `layout`.
void build_header_layout(const std::string_view* names, std::size_t count, HeaderLayout& layout);

/// Appends the canonical header block: each line's prefix, then `values[line.input]` trimmed
/// with whitespace runs collapsed; a final `\n` when there is any header. Returns the offset in
/// `out` where the line of input `marked` starts (npos when it is not signed).
std::size_t append_header_block(const HeaderLayout& layout, const std::string_view* values,
                                std::string& out, std::size_t marked = std::string::npos);
/// The header block in two steps, for a caller that sizes its whole buffer first: its length
/// when every value is already canonical (nothing to trim or collapse), npos otherwise; then
/// the block written at `w` (that many bytes), returning its end. `marked_line` is set to the
/// start of the line of input `marked` (left alone when it is not signed).
std::size_t header_block_size(const HeaderLayout& layout, const std::string_view* values);
char* write_header_block(const HeaderLayout& layout, const std::string_view* values, char* w,
                         std::size_t marked, char*& marked_line);

void append_trimmed(std::string_view value, std::string& out);

/// The last two lines of a canonical request, `\nSIGNED\nPAYLOAD`, appended after the header
/// block (which ends in its own `\n`, hence the empty line between them).
void append_signed_headers_and_payload(std::string_view signed_headers,
                                       std::string_view payload_hash, std::string& out);
/// The same written at `w`, which has room for signed_headers_and_payload_size() bytes.
inline std::size_t signed_headers_and_payload_size(std::string_view signed_headers,
                                                   std::string_view payload_hash) {
  return 2 + signed_headers.size() + payload_hash.size();
}
char* write_signed_headers_and_payload(std::string_view signed_headers,
                                       std::string_view payload_hash, char* w);

/// `DATE/REGION/SERVICE/aws4_request`.
void append_credential_scope(std::string_view date, std::string_view region,
                             std::string_view service, std::string& out);

/// SigV4a's scope: `DATE/SERVICE/aws4_request` (the region set is signed as X-Amz-Region-Set).
void append_sigv4a_credential_scope(std::string_view date, std::string_view service,
                                    std::string& out);

/// The string to sign's first three lines, `AWS4-HMAC-SHA256\nAMZ_DATE\nSCOPE\n`.
void append_string_to_sign_prefix(std::string_view amz_date, std::string_view credential_scope,
                                  std::string& out);
/// The same with another algorithm's name on the first line (SigV4a's).
void append_string_to_sign_prefix(std::string_view algorithm, std::string_view amz_date,
                                  std::string_view credential_scope, std::string& out);
/// Its last line: the hex SHA-256 of the canonical request. With a `hasher`, the first
/// `repeats` bytes are the part a later canonical request is likely to share (see PrefixHasher).
void append_canonical_request_hash(std::string_view canonical_request, std::string& out,
                                   crypto::PrefixHasher* hasher = nullptr, std::size_t repeats = 0);
/// The same written at `w` (crypto::kHexSize characters).
void write_canonical_request_hash(std::string_view canonical_request, char* w,
                                  crypto::PrefixHasher* hasher = nullptr, std::size_t repeats = 0);
/// Both: the whole string to sign.
void append_string_to_sign(std::string_view amz_date, std::string_view credential_scope,
                           std::string_view canonical_request, std::string& out);

/// Lowercase hex HMAC-SHA256 of the string to sign. With a `hasher` started from the key's
/// inner state, its first `repeats` bytes are the part a later string to sign likely shares.
void append_signature(const crypto::HmacKey& signing_key, std::string_view string_to_sign,
                      std::string& out, crypto::PrefixHasher* hasher = nullptr,
                      std::size_t repeats = 0);
/// The same written at `w` (crypto::kHexSize characters).
void write_signature(const crypto::HmacKey& signing_key, std::string_view string_to_sign, char* w,
                     crypto::PrefixHasher* hasher = nullptr, std::size_t repeats = 0);

/// The Authorization value up to its signature:
/// `AWS4-HMAC-SHA256 Credential=AKID/SCOPE, SignedHeaders=..., Signature=`.
void append_authorization_prefix(std::string_view access_key_id, std::string_view credential_scope,
                                 std::string_view signed_headers, std::string& out);
/// The same with another algorithm's name first (SigV4a's).
void append_authorization_prefix(std::string_view algorithm, std::string_view access_key_id,
                                 std::string_view credential_scope, std::string_view signed_headers,
                                 std::string& out);
/// The whole value, signature included.
void append_authorization(std::string_view access_key_id, std::string_view credential_scope,
                          std::string_view signed_headers, std::string_view signature,
                          std::string& out);

}  // namespace awsauth::signer::steps
