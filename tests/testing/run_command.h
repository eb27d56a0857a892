// Test helper: run a command line (through /bin/sh) and capture its exit code and output, for
// tests that drive the project's binaries as a user would.
#ifndef DATAWALL_TESTS_TESTING_RUN_COMMAND_H_
#define DATAWALL_TESTS_TESTING_RUN_COMMAND_H_

#include <string>

namespace datawall::testing {

struct CommandResult {
  int exit_code = -1;  // -1 if the command did not exit normally (e.g. killed by a signal)
  std::string output;  // stdout and stderr, interleaved
};

// Runs `command` through /bin/sh -c (tools/process), stdout and stderr captured together.
CommandResult RunCommand(const std::string& command);

// Path of a file in the test's runfiles, e.g. Runfile("sim/simulate").
std::string Runfile(const std::string& workspace_relative_path);

}  // namespace datawall::testing

#endif  // DATAWALL_TESTS_TESTING_RUN_COMMAND_H_
