// STS calls signed through the signer's public API, exactly as any user of the signer does.
#include <algorithm>
#include <cctype>

#include "awsauth/detail/ascii.hpp"
#include "awsauth/providers/sts/sts_client.hpp"
#include "awsauth/signer/signer.hpp"

namespace awsauth::providers {

StsRequestSigner sigv4_sts_signer() {
  return [](HttpRequest& request, const Credentials& credentials, const std::string& signing_region,
            TimePoint now) {
    signer::Request to_sign = signer::parse_url(request.method, request.url);
    for (const auto& [name, value] : request.headers) to_sign.headers.push_back({name, value});
    auto settings = signer::SigningSettings::for_service(signing_region, "sts");
    auto result = signer::sign(to_sign, signer::Payload::from_bytes(request.body), credentials,
                               settings, now);
    for (const auto& h : result.headers) {
      std::erase_if(request.headers, [&](const auto& existing) {
        return awsauth::detail::ascii_iequals(existing.first, h.name);
      });
      request.headers.emplace_back(h.name, h.value);
    }
  };
}

}  // namespace awsauth::providers
