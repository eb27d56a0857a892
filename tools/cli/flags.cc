#include "tools/cli/flags.h"

#include <algorithm>
#include <cstdlib>
#include <iostream>

#include <cmath>

#include "absl/flags/commandlineflag.h"
#include "absl/flags/reflection.h"
#include "absl/flags/usage.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"

namespace datawall::cli {
namespace {

std::string& ProgramName() {
  static std::string name = "datawall";
  return name;
}

void PrintHelp(std::string_view usage) {
  std::cout << usage << "\n\nFlags:\n";
  std::vector<absl::CommandLineFlag*> flags;
  for (const auto& [name, flag] : absl::GetAllFlags()) {
    // Only the program's own flags: skip the ones Abseil and other libraries define.
    if (absl::StrContains(flag->Filename(), "absl/") || flag->IsRetired()) continue;
    flags.push_back(flag);
  }
  std::sort(flags.begin(), flags.end(),
            [](auto* a, auto* b) { return a->Name() < b->Name(); });
  for (const auto* flag : flags) {
    std::cout << "  --" << flag->Name() << " (default: \"" << flag->DefaultValue() << "\")\n      "
              << flag->Help() << "\n";
  }
}

}  // namespace

void UsageError(std::string_view message) {
  std::cerr << ProgramName() << ": " << message << std::endl;
  std::exit(kUsageError);
}

void InternalError(std::string_view message) {
  std::cerr << ProgramName() << ": " << message << std::endl;
  std::exit(kInternalError);
}

int ExitCode(const absl::Status& status) {
  switch (status.code()) {
    case absl::StatusCode::kOk: return 0;
    case absl::StatusCode::kInvalidArgument:
    case absl::StatusCode::kNotFound:
    case absl::StatusCode::kOutOfRange:
    case absl::StatusCode::kFailedPrecondition: return kUsageError;
    default: return kInternalError;
  }
}

void Exit(const absl::Status& status, std::string_view context) {
  std::cerr << ProgramName() << ": " << context << (context.empty() ? "" : ": ")
            << status.message() << std::endl;
  std::exit(status.ok() ? kInternalError : ExitCode(status));
}

bool AbslParseFlag(absl::string_view text, TextOrJson* format, std::string* error) {
  if (text == "text") {
    *format = TextOrJson::kText;
  } else if (text == "json") {
    *format = TextOrJson::kJson;
  } else {
    *error = "must be text or json";
    return false;
  }
  return true;
}

std::string AbslUnparseFlag(TextOrJson format) {
  return format == TextOrJson::kJson ? "json" : "text";
}

bool AbslParseFlag(absl::string_view text, NumberList* list, std::string* error) {
  list->values.clear();
  if (text.empty()) return true;
  for (absl::string_view part : absl::StrSplit(text, ',')) {
    double v;
    if (!absl::SimpleAtod(part, &v) || !std::isfinite(v)) {
      *error = absl::StrCat("'", std::string(part), "' is not a finite number");
      return false;
    }
    list->values.push_back(v);
  }
  return true;
}

std::string AbslUnparseFlag(const NumberList& list) { return absl::StrJoin(list.values, ","); }

std::optional<double> Positive(const absl::Flag<std::optional<double>>& flag) {
  const std::optional<double> v = absl::GetFlag(flag);
  if (v && !(std::isfinite(*v) && *v > 0)) {
    UsageError(absl::StrCat(FlagName(flag), ": must be a positive finite number, got ", *v));
  }
  return v;
}

double Positive(const absl::Flag<double>& flag) {
  const double v = absl::GetFlag(flag);
  if (!(std::isfinite(v) && v > 0)) {
    UsageError(absl::StrCat(FlagName(flag), ": must be a positive finite number, got ", v));
  }
  return v;
}

double RequiredPositive(const absl::Flag<std::optional<double>>& flag, std::string_view what) {
  const std::optional<double> v = Positive(flag);
  if (!v) UsageError(absl::StrCat(FlagName(flag), ": required by ", std::string(what)));
  return *v;
}

int InRange(const absl::Flag<int>& flag, int lo, int hi) {
  const int v = absl::GetFlag(flag);
  if (v < lo || v > hi) {
    UsageError(absl::StrCat(FlagName(flag), ": must be an integer in [", lo, ", ", hi, "], got ", v));
  }
  return v;
}

std::vector<std::string> ParseFlags(int argc, char** argv, std::string_view usage) {
  if (argc > 0) {
    std::string_view path = argv[0];
    const size_t slash = path.rfind('/');
    ProgramName() = std::string(slash == std::string_view::npos ? path : path.substr(slash + 1));
  }
  std::vector<std::string> positional;
  bool flags_done = false;
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (flags_done || arg.size() < 2 || arg[0] != '-') {
      positional.emplace_back(arg);
      continue;
    }
    if (arg == "--") {
      flags_done = true;
      continue;
    }
    arg.remove_prefix(arg[1] == '-' ? 2 : 1);
    std::string name(arg), value;
    bool has_value = false;
    if (const size_t eq = arg.find('='); eq != std::string_view::npos) {
      name = std::string(arg.substr(0, eq));
      value = std::string(arg.substr(eq + 1));
      has_value = true;
    }
    if (name == "help" || name == "h") {
      PrintHelp(usage);
      std::exit(0);
    }
    absl::CommandLineFlag* flag = absl::FindCommandLineFlag(name);
    if (flag == nullptr && !has_value && absl::StartsWith(name, "no")) {
      absl::CommandLineFlag* negated = absl::FindCommandLineFlag(name.substr(2));
      if (negated != nullptr && negated->IsOfType<bool>()) {
        flag = negated;
        name = name.substr(2);
        value = "false";
        has_value = true;
      }
    }
    if (flag == nullptr || flag->IsRetired()) {
      UsageError("unknown flag --" + name + " (see --help)");
    }
    if (!has_value) {
      if (flag->IsOfType<bool>()) {
        value = "true";
      } else if (i + 1 < argc) {
        value = argv[++i];
      } else {
        UsageError("--" + name + ": missing value");
      }
    }
    std::string error;
    if (!flag->ParseFrom(value, &error)) {
      // Abseil says "Illegal value 'V' specified for flag 'N'[; reason]": keep the reason.
      const size_t reason = error.find("; ");
      if (absl::StartsWith(error, "Illegal value")) {
        error = reason == std::string::npos ? "cannot parse the value" : error.substr(reason + 2);
      }
      UsageError("--" + name + "=" + value + ": " + error);
    }
  }
  return positional;
}

}  // namespace datawall::cli
