#include "cli_run.hpp"

#include <cstdlib>
#include <utility>

#include "awsauth/context.hpp"
#include "paths.hpp"

namespace awsauth::test {

CliResult run_cli(const std::vector<std::string>& args,
                  const std::map<std::string, std::string>& env,
                  std::chrono::milliseconds deadline) {
  return run_program(cli_path(), args, env, deadline);
}

CliResult run_program(const std::string& program, const std::vector<std::string>& args,
                      const std::map<std::string, std::string>& env,
                      std::chrono::milliseconds deadline) {
  ProcessRequest request;
  request.argv = {"/usr/bin/env", "-i"};
  if (env.find("PATH") == env.end()) {
    const char* path = std::getenv("PATH");
    request.argv.push_back(std::string("PATH=") + (path != nullptr ? path : "/usr/bin:/bin"));
  }
  if (env.find("AWS_EC2_METADATA_DISABLED") == env.end()) {
    request.argv.emplace_back("AWS_EC2_METADATA_DISABLED=true");
  }
  for (const auto& [name, value] : env) {
    std::string assignment = name;
    assignment += '=';
    assignment += value;
    request.argv.push_back(std::move(assignment));
  }
  request.argv.push_back(program);
  request.argv.insert(request.argv.end(), args.begin(), args.end());
  request.timeout = deadline;
  request.pass_through_stderr = false;
  request.max_stdout_bytes = std::size_t{16} << 20;
  request.max_stderr_bytes = std::size_t{1} << 20;
  const ProcessResult r = make_system_process_runner()->run(request);
  return {r.exit_code, r.timed_out, r.stdout_data, r.stderr_data};
}

}  // namespace awsauth::test
