// tools/provenance: the caller's library versions follow the compiler's, the code version of a
// throwaway git repository (clean, dirty, none), the RFC 3339 time and the host name.
#include "tools/provenance/provenance.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>

#include "tools/process/process.h"

namespace datawall::provenance {
namespace {

namespace fs = std::filesystem;

TEST(LibraryVersions, CompilerAndStandardFirstThenTheCallersInOrder) {
  const Versions v = LibraryVersions({{"ceres", "2.1.0"}, {"libtorch", "1.13.1"}});
  ASSERT_EQ(v.size(), 4u);
  EXPECT_EQ(v[0].first, "compiler");
  EXPECT_NE(v[0].second.find("g++ "), std::string::npos);
  EXPECT_EQ(v[1], (std::pair<std::string, std::string>{"c++", std::to_string(__cplusplus)}));
  EXPECT_EQ(v[2], (std::pair<std::string, std::string>{"ceres", "2.1.0"}));
  EXPECT_EQ(v[3], (std::pair<std::string, std::string>{"libtorch", "1.13.1"}));
  EXPECT_EQ(LibraryVersions({}).size(), 2u);
}

bool Git(const std::string& dir, const std::vector<std::string>& args) {
  std::vector<std::string> argv = {"git", "-C", dir, "-c", "user.name=t", "-c",
                                   "user.email=t@example.com"};
  argv.insert(argv.end(), args.begin(), args.end());
  const process::RunResult r = process::RunAndCapture(argv);
  if (!r.ok()) ADD_FAILURE() << "git " << args[0] << ": " << r.Describe() << "\n" << r.output;
  return r.ok();
}

TEST(GetCodeVersion, CommitAndDirtyFlagOfAGitCheckout) {
  if (!process::RunAndCapture({"git", "--version"}).ok()) GTEST_SKIP() << "no git here";
  const char* tmp = std::getenv("TEST_TMPDIR");
  const std::string dir = std::string(tmp ? tmp : "/tmp") + "/provenance_repo";
  fs::remove_all(dir);
  fs::create_directories(dir);
  EXPECT_EQ(GetCodeVersion(dir).commit, "unknown");  // not a checkout (TEST_TMPDIR is outside one)
  ASSERT_TRUE(Git(dir, {"init", "-q"}));
  std::ofstream(dir + "/a.txt") << "one\n";
  ASSERT_TRUE(Git(dir, {"add", "a.txt"}));
  ASSERT_TRUE(Git(dir, {"commit", "-q", "-m", "first"}));
  const CodeVersion clean = GetCodeVersion(dir);
  EXPECT_TRUE(std::regex_match(clean.commit, std::regex("[0-9a-f]{40}"))) << clean.commit;
  EXPECT_FALSE(clean.dirty);
  std::ofstream(dir + "/untracked.txt") << "ignored\n";
  EXPECT_FALSE(GetCodeVersion(dir).dirty);  // untracked files do not count
  std::ofstream(dir + "/a.txt") << "two\n";
  const CodeVersion dirty = GetCodeVersion(dir);
  EXPECT_EQ(dirty.commit, clean.commit);
  EXPECT_TRUE(dirty.dirty);
}

TEST(GetCodeVersion, OutsideACheckoutTheCopiersCommitFromTheEnvironment) {
  const char* tmp = std::getenv("TEST_TMPDIR");
  const std::string dir = std::string(tmp ? tmp : "/tmp") + "/provenance_copy";
  fs::remove_all(dir);
  fs::create_directories(dir);
  setenv("DATAWALL_GIT_COMMIT", "0123456789abcdef0123456789abcdef01234567", 1);
  setenv("DATAWALL_GIT_DIRTY", "1", 1);
  CodeVersion v = GetCodeVersion(dir);
  EXPECT_EQ(v.commit, "0123456789abcdef0123456789abcdef01234567");
  EXPECT_TRUE(v.dirty);
  setenv("DATAWALL_GIT_DIRTY", "0", 1);
  EXPECT_FALSE(GetCodeVersion(dir).dirty);
  unsetenv("DATAWALL_GIT_COMMIT");
  unsetenv("DATAWALL_GIT_DIRTY");
  v = GetCodeVersion(dir);
  EXPECT_EQ(v.commit, "unknown");
  EXPECT_FALSE(v.dirty);
}

TEST(UtcNow, IsRfc3339InUtc) {
  EXPECT_TRUE(std::regex_match(UtcNow(), std::regex(R"(20\d\d-\d\d-\d\dT\d\d:\d\d:\d\dZ)")))
      << UtcNow();
}

TEST(HostName, IsNotEmpty) { EXPECT_FALSE(HostName().empty()); }

}  // namespace
}  // namespace datawall::provenance
