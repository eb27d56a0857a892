#include "tools/cli/flags.h"

#include <algorithm>
#include <cstdlib>
#include <iostream>

#include "absl/flags/commandlineflag.h"
#include "absl/flags/reflection.h"
#include "absl/flags/usage.h"
#include "absl/strings/match.h"

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
      UsageError("--" + name + "=" + value + ": " + error);
    }
  }
  return positional;
}

}  // namespace datawall::cli
