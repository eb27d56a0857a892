#include "tools/paths/paths.h"

#include <unistd.h>

#include <cstdlib>

#include "gtest/gtest.h"

namespace datawall::paths {
namespace {

TEST(Paths, FindsTheRealWorkspace) {
  const std::string root = WorkspaceRoot();
  EXPECT_EQ(access((root + "/WORKSPACE").c_str(), R_OK), 0) << root;
  EXPECT_EQ(access((root + "/laws/law.proto").c_str(), R_OK), 0) << root;
}

TEST(UserPath, RelativeToWhereBazelRunWasTyped) {
  ::setenv("BUILD_WORKING_DIRECTORY", "/home/user/checkout", 1);
  EXPECT_EQ(UserPath("out/report"), "/home/user/checkout/out/report");
  EXPECT_EQ(UserPath("../law.textproto"), "/home/user/checkout/../law.textproto");
  EXPECT_EQ(UserPath("/abs/file"), "/abs/file");
  EXPECT_EQ(UserPath(""), "");
  ::unsetenv("BUILD_WORKING_DIRECTORY");
  EXPECT_EQ(UserPath("out/report"), "out/report");  // not under bazel run: the cwd's
  ::setenv("BUILD_WORKING_DIRECTORY", "", 1);
  EXPECT_EQ(UserPath("out/report"), "out/report");
  ::unsetenv("BUILD_WORKING_DIRECTORY");
}

}  // namespace
}  // namespace datawall::paths
