// The `aws login` token cache file and its DPoP key: parsed, and when complete the key is read
// and the refreshed document built and parsed back. Only CredentialsError (parse) and
// DpopKeyError (key) may escape the parsers; a document the parser accepted must survive the
// write-back unchanged in what the refresh does not touch.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "awsauth/errors.hpp"
#include "awsauth/providers/login/dpop.hpp"
#include "awsauth/providers/login/login_token.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace p = awsauth::providers;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const p::LoginTokenOrigin origin{.path = "/fuzz/cache.json", .profile = "fuzz"};
  try {
    (void)p::DpopKey::from_pem(text);
  } catch (const p::DpopKeyError&) {
  }
  try {
    const p::LoginToken token = p::parse_login_token(text, origin);
    try {
      (void)p::DpopKey::from_pem(token.dpop_key.reveal());
    } catch (const p::DpopKeyError&) {
    }
    const p::LoginTokenRefresh refresh{.access_key_id = "ASIAFUZZ",
                                       .secret_access_key = awsauth::SecretString("s"),
                                       .session_token = awsauth::SecretString("t"),
                                       .expires_at = token.expires_at,
                                       .refresh_token = awsauth::SecretString("r")};
    const auto updated =
        p::updated_login_token_document(token.document, token.account_id, refresh, origin);
    const p::LoginToken again = p::parse_login_token(updated.reveal(), origin);
    if (again.account_id != token.account_id || again.client_id != token.client_id ||
        again.dpop_key.reveal() != token.dpop_key.reveal() || again.access_key_id != "ASIAFUZZ" ||
        again.refresh_token.reveal() != "r") {
      std::abort();  // the write-back lost or changed a field
    }
  } catch (const awsauth::CredentialsError&) {
  }
  return 0;
}
