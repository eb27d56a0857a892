// The toolchain binary: prints every library version, and Abseil-flag errors exit with 2.
#include <string>

#include "gtest/gtest.h"
#include "tests/testing/run_command.h"
#include "tools/json/json.h"

namespace {

using Result = datawall::testing::CommandResult;

Result RunToolchain(const std::string& args) {
  return datawall::testing::RunCommand(datawall::testing::Runfile("reports/toolchain") + " " + args);
}

TEST(Toolchain, PrintsLibraryVersions) {
  const Result text = RunToolchain("");
  ASSERT_EQ(text.exit_code, 0) << text.output;
  EXPECT_NE(text.output.find("libtorch    1.13"), std::string::npos) << text.output;
  EXPECT_NE(text.output.find("ceres       2."), std::string::npos) << text.output;
  EXPECT_NE(text.output.find("protobuf    3.21"), std::string::npos) << text.output;

  const Result json = RunToolchain("--format=json");
  ASSERT_EQ(json.exit_code, 0) << json.output;
  absl::StatusOr<datawall::json::Value> doc = datawall::json::Parse(json.output, "toolchain");
  ASSERT_TRUE(doc.ok()) << doc.status();
  EXPECT_EQ((*doc)["libraries"]["libtorch"].get<std::string>().rfind("1.13", 0), 0u) << json.output;
  EXPECT_TRUE((*doc)["git_dirty"].is_boolean()) << json.output;
}

TEST(Toolchain, FlagErrorsExitWithTwoAndNameTheFlag) {
  const Result unknown = RunToolchain("--colour=red");
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.output.find("--colour"), std::string::npos) << unknown.output;

  const Result bad_value = RunToolchain("--format=xml");
  EXPECT_EQ(bad_value.exit_code, 2);
  EXPECT_NE(bad_value.output.find("--format"), std::string::npos) << bad_value.output;

  const Result missing_value = RunToolchain("--format");
  EXPECT_EQ(missing_value.exit_code, 2);

  const Result stray = RunToolchain("extra");
  EXPECT_EQ(stray.exit_code, 2);

  EXPECT_EQ(RunToolchain("--help").exit_code, 0);
}

}  // namespace
