// Command-line parsing for every datawall CLI: typed Abseil flags, but with the project's exit
// codes, and the one place library errors (absl::Status) become exit codes.
//
// absl::ParseCommandLine exits with status 1 on a bad flag; our convention is status 2 for any
// usage or input error (design.md), so mains call ParseFlags() instead. It understands
// --name=value, --name value, --bool, --nobool, "--" (end of flags) and --help, and reports
// the offending flag in a one-line message. It deliberately does not implement Abseil's
// --flagfile/--fromenv or the --helpfull family.
//
// Flags are typed (double, int, std::optional<double>, enums with AbslParseFlag, NumberList
// below), so a value that does not parse is rejected here; range checks that Abseil cannot
// express are the Positive/InRange helpers, which name the flag the same way.
#ifndef DATAWALL_TOOLS_CLI_FLAGS_H_
#define DATAWALL_TOOLS_CLI_FLAGS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"

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

// The exit status for a library error: kUsageError for bad input (InvalidArgument, NotFound,
// OutOfRange, FailedPrecondition), kInternalError for anything else; 0 for OK.
int ExitCode(const absl::Status& status);
// Prints "<program>: [context: ]message" and exits with ExitCode(status). `status` is not OK.
[[noreturn]] void Exit(const absl::Status& status, std::string_view context = "");

// --format of the CLIs that print text or JSON: ABSL_FLAG(cli::TextOrJson, format, ...).
// A bad value reads "--format=xml: must be text or json".
enum class TextOrJson { kText, kJson };
bool AbslParseFlag(absl::string_view text, TextOrJson* format, std::string* error);
std::string AbslUnparseFlag(TextOrJson format);

// A comma-separated list of finite numbers as a flag type: ABSL_FLAG(cli::NumberList, ...).
struct NumberList {
  std::vector<double> values;
};
bool AbslParseFlag(absl::string_view text, NumberList* list, std::string* error);
std::string AbslUnparseFlag(const NumberList& list);

// "--name" of a flag, for messages.
template <typename T>
std::string FlagName(const absl::Flag<T>& flag) {
  return "--" + std::string(absl::GetFlagReflectionHandle(flag).Name());
}

// The flag's value if it is a positive finite number (unset: nullopt); otherwise a usage
// error "--name: must be a positive finite number, got X".
std::optional<double> Positive(const absl::Flag<std::optional<double>>& flag);
double Positive(const absl::Flag<double>& flag);
// The value of a flag that must be given: a usage error "--name: required by <what>" if unset.
double RequiredPositive(const absl::Flag<std::optional<double>>& flag, std::string_view what);
// The flag's value if it lies in [lo, hi]; otherwise "--name: must be an integer in [lo, hi]".
int InRange(const absl::Flag<int>& flag, int lo, int hi);

}  // namespace datawall::cli

#endif  // DATAWALL_TOOLS_CLI_FLAGS_H_
