#include "tests/testing/run_command.h"

#include <cstdlib>

#include "tools/process/process.h"

namespace datawall::testing {

CommandResult RunCommand(const std::string& command) {
  const process::RunResult run = process::RunAndCapture({"/bin/sh", "-c", command});
  CommandResult result;
  result.exit_code = run.exit_code;
  result.output = run.output;
  return result;
}

std::string Runfile(const std::string& workspace_relative_path) {
  const char* root = std::getenv("TEST_SRCDIR");
  return std::string(root == nullptr ? "." : root) + "/datawall/" + workspace_relative_path;
}

}  // namespace datawall::testing
