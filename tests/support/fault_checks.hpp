#pragma once
/// @file fault_checks.hpp
/// What the fault suites (tests/integration/providers/*/*_faults_test.cpp) check after every fault:
/// the hostile texts a server sends, that a message carries none of their raw bytes, that no
/// injected header reached a server, and how long a call took.

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "loopback_server.hpp"

namespace awsauth::test {

/// Clears the screen and sets the terminal title (CSI, OSC, BEL) when printed raw.
inline const std::string kTerminalEscapes = "\x1b[2J\x1b]0;x\x07";
/// Ends a header line and starts another when copied into a request raw.
inline const std::string kHeaderInjection = "a\r\nX-Injected: yes";
/// Both, in the order a server might send them.
inline const std::string kHostileText = kTerminalEscapes + kHeaderInjection;

/// The three texts above, for INSTANTIATE_TEST_SUITE_P, and their test-name suffixes.
inline const std::vector<std::string> kHostileTexts = {kTerminalEscapes, kHeaderInjection,
                                                       kHostileText};
inline std::string hostile_text_name(const ::testing::TestParamInfo<std::string>& info) {
  static const char* const kNames[] = {"Escapes", "HeaderInjection", "Both"};
  return kNames[info.index % 3];
}

/// The first raw C0 control byte or DEL in `text`, as its offset; npos when there is none.
[[nodiscard]] inline std::size_t raw_control_at(std::string_view text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x20 || c == 0x7f) return i;
  }
  return std::string_view::npos;
}

/// Expects `message` free of raw control bytes (CR, LF, ESC, BEL, ...) and DEL.
inline void expect_printable_message(std::string_view message) {
  const std::size_t at = raw_control_at(message);
  EXPECT_EQ(at, std::string_view::npos)
      << "raw byte 0x" << std::hex
      << (at == std::string_view::npos ? 0 : static_cast<unsigned char>(message[at]))
      << " at offset " << std::dec << at << " in: " << std::string(message);
}

/// Expects that no request `server` received carries an `X-Injected` header, or a header
/// (name or value) holding a raw control byte.
inline void expect_no_injected_header(const LoopbackServer& server) {
  for (const auto& r : server.requests()) {
    EXPECT_EQ(r.header("X-Injected"), nullptr) << r.method << " " << r.target;
    for (const auto& [name, value] : r.headers) {
      EXPECT_EQ(raw_control_at(name), std::string::npos) << name;
      EXPECT_EQ(raw_control_at(value), std::string::npos) << name;
      EXPECT_EQ(value.find("X-Injected"), std::string::npos) << name;
    }
    EXPECT_EQ(raw_control_at(r.target), std::string::npos) << "request target of " << r.method;
  }
}

/// Time since construction.
class Stopwatch {
 public:
  [[nodiscard]] std::chrono::milliseconds elapsed() const {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                                 start_);
  }

 private:
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

}  // namespace awsauth::test
