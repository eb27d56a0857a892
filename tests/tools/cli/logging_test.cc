// tools/cli/logging: quiet by default (glog warnings such as Ceres' are dropped, errors kept),
// everything with verbose, and nothing written to log files.
#include "tools/cli/logging.h"

#include <gtest/gtest.h>

#include "glog/logging.h"

namespace datawall::cli {
namespace {

std::string Logged(bool verbose) {
  InitLogging("logging_test", verbose);
  ::testing::internal::CaptureStderr();
  LOG(INFO) << "an info line";
  LOG(WARNING) << "Trying to extract roots from a constant polynomial";
  LOG(ERROR) << "an error line";
  return ::testing::internal::GetCapturedStderr();
}

TEST(InitLogging, QuietKeepsOnlyErrors) {
  const std::string err = Logged(false);
  EXPECT_EQ(err.find("an info line"), std::string::npos) << err;
  EXPECT_EQ(err.find("Trying to extract roots"), std::string::npos) << err;
  EXPECT_NE(err.find("an error line"), std::string::npos) << err;
  EXPECT_TRUE(FLAGS_logtostderr);  // never log files under /tmp
}

TEST(InitLogging, VerboseBringsEverythingBack) {
  const std::string err = Logged(true);
  EXPECT_NE(err.find("an info line"), std::string::npos) << err;
  EXPECT_NE(err.find("Trying to extract roots"), std::string::npos) << err;
  EXPECT_NE(err.find("an error line"), std::string::npos) << err;
  Logged(false);  // and back to quiet
  ::testing::internal::CaptureStderr();
  LOG(WARNING) << "quiet again";
  EXPECT_EQ(::testing::internal::GetCapturedStderr(), "");
}

}  // namespace
}  // namespace datawall::cli
