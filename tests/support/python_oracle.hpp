#pragma once
/// @file python_oracle.hpp
/// Runs one of the differential tests' Python oracles (tests/differential/*.py, botocore for
/// the `python3` on PATH) and reads its answer: one JSON object per line of stdout.

#include <Poco/JSON/Object.h>

#include <optional>
#include <string>
#include <vector>

namespace awsauth::test {

/// `python3 tests/differential/<script> <args>` with `input` (when given) on its stdin; its
/// stdout lines parsed as JSON objects, in order. Throws std::runtime_error when python3 cannot
/// start or the oracle exits non-zero (botocore not importable, a broken case). `python` is the
/// interpreter (the awscrt oracle runs under Debian's /usr/bin/python3).
[[nodiscard]] std::vector<Poco::JSON::Object::Ptr> run_json_lines_oracle(
    const std::string& script, const std::string& args = "",
    const std::optional<std::string>& input = std::nullopt, const std::string& python = "python3");

}  // namespace awsauth::test
