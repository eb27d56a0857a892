#include "tools/provenance/provenance.h"

#include <unistd.h>

#include <array>
#include <cstdio>
#include <ctime>

#include "absl/base/config.h"
#include "ceres/version.h"
#include "google/protobuf/stubs/common.h"
#include "tools/paths/paths.h"
#include "torch/version.h"

namespace datawall::provenance {
namespace {

// Runs a shell command and returns its stdout without the trailing newline ("" on failure).
std::string Capture(const std::string& command) {
  std::FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return "";
  std::string out;
  std::array<char, 512> buffer;
  size_t n;
  while ((n = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0) out.append(buffer.data(), n);
  if (::pclose(pipe) != 0) return "";
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  return out;
}

}  // namespace

std::vector<std::pair<std::string, std::string>> LibraryVersions() {
  return {
      {"compiler", "g++ " __VERSION__},
      {"c++", std::to_string(__cplusplus)},
      {"libtorch", TORCH_VERSION},
      {"ceres", CERES_VERSION_STRING},
      {"abseil", std::to_string(ABSL_LTS_RELEASE_VERSION) + "." +
                     std::to_string(ABSL_LTS_RELEASE_PATCH_LEVEL)},
      {"protobuf", google::protobuf::internal::VersionString(GOOGLE_PROTOBUF_VERSION)},
  };
}

CodeVersion GetCodeVersion() {
  const std::string git = "git -C '" + paths::WorkspaceRoot() + "' ";
  CodeVersion version;
  version.commit = Capture(git + "rev-parse HEAD 2>/dev/null");
  if (version.commit.empty()) {
    version.commit = "unknown";
    return version;
  }
  version.dirty = !Capture(git + "status --porcelain --untracked-files=no 2>/dev/null").empty();
  return version;
}

std::string HostName() {
  char name[256] = {0};
  return ::gethostname(name, sizeof(name) - 1) == 0 ? name : "unknown";
}

std::string UtcNow() {
  const std::time_t now = std::time(nullptr);
  std::tm utc;
  gmtime_r(&now, &utc);
  char text[32];
  std::strftime(text, sizeof(text), "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

}  // namespace datawall::provenance
