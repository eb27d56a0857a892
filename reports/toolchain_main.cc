// Prints the toolchain datawall was built with: library versions (from the headers it is compiled
// against) and the code version.
// The placeholder main job until the paper report exists; also the smoke test of Abseil flags
// (a bad flag or --format value exits with status 2).
#include <algorithm>
#include <iostream>
#include <string>

#include "absl/base/config.h"
#include "absl/flags/flag.h"
#include "ceres/version.h"
#include "google/protobuf/stubs/common.h"
#include "tools/cli/flags.h"
#include "tools/json/json.h"
#include "tools/provenance/provenance.h"
#include "torch/version.h"  // the header only: this program does not link LibTorch

ABSL_FLAG(datawall::cli::TextOrJson, format, datawall::cli::TextOrJson::kText,
          "Output format: text or json.");

int main(int argc, char** argv) {
  const std::vector<std::string> args = datawall::cli::ParseFlags(
      argc, argv, "Usage: bazel run //reports:toolchain -- [--format=text|json]");
  if (!args.empty()) datawall::cli::UsageError("unexpected argument '" + args[0] + "'");
  const auto versions = datawall::provenance::LibraryVersions({
      {"libtorch", TORCH_VERSION},
      {"ceres", CERES_VERSION_STRING},
      {"abseil", std::to_string(ABSL_LTS_RELEASE_VERSION) + "." +
                     std::to_string(ABSL_LTS_RELEASE_PATCH_LEVEL)},
      {"protobuf", google::protobuf::internal::VersionString(GOOGLE_PROTOBUF_VERSION)},
  });
  const auto code = datawall::provenance::GetCodeVersion();
  if (absl::GetFlag(FLAGS_format) == datawall::cli::TextOrJson::kJson) {
    datawall::json::Json libraries = datawall::json::Json::object();
    for (const auto& [name, version] : versions) libraries[name] = version;
    const datawall::json::Json doc = {{"libraries", std::move(libraries)},
                                      {"git_commit", code.commit},
                                      {"git_dirty", code.dirty}};
    absl::StatusOr<std::string> text = datawall::json::Dump(doc);
    if (!text.ok()) datawall::cli::InternalError(std::string(text.status().message()));
    std::cout << *text << "\n";
    return 0;
  }
  std::cout << "datawall toolchain\n";
  for (const auto& [name, version] : versions) {
    std::cout << "  " << name << std::string(12 - std::min<size_t>(name.size(), 11), ' ')
              << version << "\n";
  }
  std::cout << "  git         " << code.commit << (code.dirty ? " (dirty)" : "") << "\n";
  return 0;
}
