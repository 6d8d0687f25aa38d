// docs/streaming.md: uploading a file to S3 as a signed aws-chunked body from libcurl's read
// callback, in constant memory. Built by CMake (docs/examples); tests/integration/examples
// runs it against a loopback server that decodes and verifies the body.
//
//   chunked_upload_curl URL REGION FILE [--chunk-size N] [--checksum ALG] [--unsigned]
//
// Credentials from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (/ AWS_SESSION_TOKEN). Prints the
// HTTP status; exits 0 on 2xx. --checksum crc32|crc32c|sha1|sha256 adds a trailing checksum
// (signed trailer), --unsigned with --checksum sends STREAMING-UNSIGNED-PAYLOAD-TRAILER.

#include <curl/curl.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>

#include "awsauth/signer/chunked.hpp"
#include "awsauth/signer/signer.hpp"

namespace {

// What the read callback needs: the encoder, and where to put an error (an exception must not
// unwind through libcurl's C frames).
struct Upload {
  std::unique_ptr<awsauth::signer::AwsChunkedEncoder> encoder;
  std::string error;
};

// libcurl's CURLOPT_READFUNCTION: fill up to size * nitems bytes; 0 is the end of the body.
std::size_t read_body(char* buffer, std::size_t size, std::size_t nitems, void* userdata) {
  auto* upload = static_cast<Upload*>(userdata);
  try {
    return upload->encoder->read(buffer, size * nitems);
  } catch (const std::exception& e) {
    upload->error = e.what();
    return CURL_READFUNC_ABORT;
  }
}

}  // namespace

int main(int argc, char** argv) {
  namespace sg = awsauth::signer;
  if (argc < 4) {
    std::cerr << "usage: chunked_upload_curl URL REGION FILE [--chunk-size N] [--checksum ALG] "
                 "[--unsigned]\n";
    return 2;
  }
  const std::string url = argv[1];
  const std::string region = argv[2];
  const std::string path = argv[3];
  sg::ChunkedUpload upload;
  bool unsigned_payload = false;
  for (int i = 4; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--chunk-size" && i + 1 < argc) {
      upload.chunk_size = std::strtoul(argv[++i], nullptr, 10);
    } else if (arg == "--checksum" && i + 1 < argc) {
      upload.checksum = sg::parse_checksum_algorithm(argv[++i]);
      if (!upload.checksum) {
        std::cerr << "unknown checksum algorithm " << argv[i] << "\n";
        return 2;
      }
    } else if (arg == "--unsigned") {
      unsigned_payload = true;
    } else {
      std::cerr << "unknown argument " << arg << "\n";
      return 2;
    }
  }
  const char* akid = std::getenv("AWS_ACCESS_KEY_ID");
  const char* secret = std::getenv("AWS_SECRET_ACCESS_KEY");
  const char* token = std::getenv("AWS_SESSION_TOKEN");
  if (akid == nullptr || secret == nullptr) {
    std::cerr << "set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY\n";
    return 1;
  }
  awsauth::CredentialsInit init{.access_key_id = akid,
                                .secret_access_key = awsauth::SecretString(secret)};
  if (token != nullptr) init.session_token = awsauth::SecretString(token);
  const awsauth::Credentials credentials(std::move(init));

  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr) {
    std::perror(path.c_str());
    return 1;
  }
  std::error_code size_error;
  const auto file_size = std::filesystem::file_size(path, size_error);
  if (size_error) {
    std::cerr << path << ": " << size_error.message() << "\n";
    std::fclose(file);
    return 1;
  }

  Upload state;
  curl_slist* headers = nullptr;
  std::uint64_t encoded_length = 0;
  try {
    // --- aws-chunked with libcurl ---
    // 1. Describe the upload; prepare the request's headers for the seed signature.
    upload.decoded_length = file_size;
    upload.mode = !upload.checksum   ? sg::ChunkedMode::SignedPayload
                  : unsigned_payload ? sg::ChunkedMode::UnsignedPayloadTrailer
                                     : sg::ChunkedMode::SignedPayloadTrailer;
    auto request = sg::parse_url("PUT", url);
    const sg::Payload payload = sg::prepare_chunked_request(request, upload);
    // 2. The seed signature: an ordinary header-mode signature with S3's settings.
    const sg::SigningResult seed =
        sg::sign(request, payload, credentials, sg::SigningSettings::for_service(region, "s3"),
                 std::chrono::system_clock::now());
    // 3. Send the prepared headers and the signer's. libcurl writes Content-Length itself from
    //    CURLOPT_INFILESIZE_LARGE (the same encoded length); "Expect:" turns off its
    //    100-continue wait.
    for (const auto& h : request.headers) {
      if (h.name != "Content-Length") {
        headers = curl_slist_append(headers, (h.name + ": " + h.value).c_str());
      }
    }
    for (const auto& h : seed.headers) {
      headers = curl_slist_append(headers, (h.name + ": " + h.value).c_str());
    }
    headers = curl_slist_append(headers, "Expect:");
    // 4. The body: the encoder reads the file as libcurl asks for bytes.
    const sg::ChunkSource source = [file](char* out, std::size_t capacity) {
      const std::size_t n = std::fread(out, 1, capacity, file);
      if (n == 0 && std::ferror(file)) throw std::runtime_error("cannot read the file");
      return n;
    };
    state.encoder = unsigned_payload && upload.checksum
                        ? std::make_unique<sg::AwsChunkedEncoder>(upload, source)
                        : std::make_unique<sg::AwsChunkedEncoder>(upload, seed, source);
    encoded_length = state.encoder->encoded_length();
    // --- end ---
  } catch (const sg::SigningError& e) {
    std::cerr << "cannot sign: " << e.what() << "\n";
    std::fclose(file);
    curl_slist_free_all(headers);
    return 2;
  }

  CURL* curl = curl_easy_init();
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);  // PUT with a body from the read callback
  curl_easy_setopt(curl, CURLOPT_READFUNCTION, read_body);
  curl_easy_setopt(curl, CURLOPT_READDATA, &state);
  curl_easy_setopt(curl, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(encoded_length));
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  // Room for a whole framed chunk (libcurl allows up to 2 MiB): the encoder then frames each
  // chunk in libcurl's buffer instead of copying it through its own.
  curl_easy_setopt(curl, CURLOPT_UPLOAD_BUFFERSIZE,
                   static_cast<long>(std::min<std::size_t>(upload.chunk_size + 4096, 2 << 20)));
  const CURLcode rc = curl_easy_perform(curl);
  long status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  curl_easy_cleanup(curl);
  curl_slist_free_all(headers);
  std::fclose(file);
  if (rc != CURLE_OK) {
    std::cerr << "upload failed: " << curl_easy_strerror(rc)
              << (state.error.empty() ? "" : " (" + state.error + ")") << "\n";
    return 1;
  }
  std::cout << status << "\n";
  return status >= 200 && status < 300 ? 0 : 1;
}
