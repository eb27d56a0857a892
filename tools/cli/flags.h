// Command-line parsing for every datawall CLI: Abseil flags, but with the project's exit codes.
//
// absl::ParseCommandLine exits with status 1 on a bad flag; our convention is status 2 for any
// usage or input error (design.md), so mains call ParseFlags() instead. It understands
// --name=value, --name value, --bool, --nobool, "--" (end of flags) and --help, and reports
// the offending flag in a one-line message. It deliberately does not implement Abseil's
// --flagfile/--fromenv or the --helpfull family.
#ifndef DATAWALL_TOOLS_CLI_FLAGS_H_
#define DATAWALL_TOOLS_CLI_FLAGS_H_

#include <string>
#include <string_view>
#include <vector>

namespace datawall::cli {

// Exit status for invalid usage or input (unknown flag, bad value, malformed file).
inline constexpr int kUsageError = 2;
// Exit status for an internal failure (a bug, an I/O error on a path we chose).
inline constexpr int kInternalError = 1;

// Parses argv into the registered Abseil flags and returns the positional arguments (without
// argv[0]). On --help prints `usage` and the program's own flags, then exits 0. On an unknown
// flag or a value that does not parse, prints "<program>: --flag: reason" and exits 2.
std::vector<std::string> ParseFlags(int argc, char** argv, std::string_view usage);

// Prints "<program>: message" to stderr and exits with kUsageError.
[[noreturn]] void UsageError(std::string_view message);

// Prints "<program>: message" to stderr and exits with kInternalError.
[[noreturn]] void InternalError(std::string_view message);

}  // namespace datawall::cli

#endif  // DATAWALL_TOOLS_CLI_FLAGS_H_
