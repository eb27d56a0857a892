// Provenance: compiler versions, git through tools/process, host name, UTC time (see provenance.h).
#include "tools/provenance/provenance.h"

#include <unistd.h>

#include <cstdlib>
#include <ctime>

#include "tools/paths/paths.h"
#include "tools/process/process.h"

namespace datawall::provenance {
namespace {

// git's stdout without the trailing newline, or "" if git is missing, fails or hangs.
std::string Git(const std::string& dir, const std::vector<std::string>& args) {
  std::vector<std::string> argv = {"git", "-C", dir};
  argv.insert(argv.end(), args.begin(), args.end());
  process::RunOptions options;
  options.capture_stderr = false;
  options.timeout_seconds = 30;
  const process::RunResult result = process::RunAndCapture(argv, options);
  if (!result.ok()) return "";
  std::string out = result.output;
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  return out;
}

}  // namespace

Versions LibraryVersions(const Versions& libraries) {
  Versions versions = {{"compiler", "g++ " __VERSION__}, {"c++", std::to_string(__cplusplus)}};
  versions.insert(versions.end(), libraries.begin(), libraries.end());
  return versions;
}

CodeVersion GetCodeVersion(const std::string& dir) {
  CodeVersion version;
  version.commit = Git(dir, {"rev-parse", "HEAD"});
  if (version.commit.empty()) {
    const char* commit = std::getenv("DATAWALL_GIT_COMMIT");
    const char* dirty = std::getenv("DATAWALL_GIT_DIRTY");
    version.commit = commit != nullptr && *commit != '\0' ? commit : "unknown";
    version.dirty = dirty != nullptr && std::string(dirty) == "1";
    return version;
  }
  version.dirty = !Git(dir, {"status", "--porcelain", "--untracked-files=no"}).empty();
  return version;
}

CodeVersion GetCodeVersion() { return GetCodeVersion(paths::WorkspaceRoot()); }

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
