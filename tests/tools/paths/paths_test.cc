#include "tools/paths/paths.h"

#include <unistd.h>

#include "gtest/gtest.h"

namespace datawall::paths {
namespace {

TEST(Paths, FindsTheRealWorkspaceAndSharedData) {
  const std::string root = WorkspaceRoot();
  EXPECT_EQ(access((root + "/WORKSPACE").c_str(), R_OK), 0) << root;
  EXPECT_EQ(access((root + "/laws/law.proto").c_str(), R_OK), 0) << root;
  EXPECT_EQ(access(PaperRunsCsv().c_str(), R_OK), 0) << PaperRunsCsv();
}

}  // namespace
}  // namespace datawall::paths
