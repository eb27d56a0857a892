// laws/released_runs.h: the order of the three places (--runs_csv, $DATAWALL_RUNS_CSV, the
// installed copy), relative paths under `bazel run`, and the one-line NotFound message that
// names all three ways to provide the file. Uses temporary files, not the real runs.
#include "laws/released_runs.h"

#include <stdlib.h>

#include <fstream>
#include <optional>
#include <string>

#include "absl/flags/flag.h"
#include "gtest/gtest.h"
#include "tools/paths/paths.h"

namespace datawall::laws {
namespace {

class ReleasedRunsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* name : {kRunsCsvEnv, "BUILD_WORKING_DIRECTORY"}) {
      const char* v = std::getenv(name);
      saved_.emplace_back(name, v == nullptr ? std::nullopt : std::optional<std::string>(v));
      unsetenv(name);
    }
    dir_ = ::testing::TempDir();
    a_ = dir_ + "/a.csv";
    b_ = dir_ + "/b.csv";
    std::ofstream(a_) << "key,params,tokens,unique_tokens,val_loss\nr,1,2,2,3\n";
    std::ofstream(b_) << "key,params,tokens,unique_tokens,val_loss\nr,1,2,2,3\ns,1,2,1,3\n";
  }
  void TearDown() override {
    absl::SetFlag(&FLAGS_runs_csv, "");
    for (const auto& [name, value] : saved_) {
      if (value) setenv(name.c_str(), value->c_str(), 1); else unsetenv(name.c_str());
    }
  }
  static void ExpectOneLineNamingAllWays(const absl::Status& status, const std::string& path) {
    EXPECT_TRUE(absl::IsNotFound(status)) << status;
    const std::string message(status.message());
    for (const std::string& part : {std::string("--runs_csv"), std::string(kRunsCsvEnv),
                                    std::string(kRunsSetupHook), path}) {
      EXPECT_NE(message.find(part), std::string::npos) << "no '" << part << "' in: " << message;
    }
    EXPECT_EQ(message.find('\n'), std::string::npos) << message;
  }

  std::vector<std::pair<std::string, std::optional<std::string>>> saved_;
  std::string dir_, a_, b_;
};

TEST_F(ReleasedRunsTest, TheFlagComesFirst) {
  absl::SetFlag(&FLAGS_runs_csv, a_);
  setenv(kRunsCsvEnv, b_.c_str(), 1);
  EXPECT_EQ(ReleasedRunsCsv().value_or("?"), a_);
  absl::StatusOr<RunTable> table = ReadReleasedRuns();
  ASSERT_TRUE(table.ok()) << table.status();
  EXPECT_EQ(table->size(), 1);
}

TEST_F(ReleasedRunsTest, ThenTheEnvironment) {
  setenv(kRunsCsvEnv, b_.c_str(), 1);
  EXPECT_EQ(ReleasedRunsCsv().value_or("?"), b_);
  absl::StatusOr<RunTable> table = ReadReleasedRuns();
  ASSERT_TRUE(table.ok()) << table.status();
  EXPECT_EQ(table->size(), 2);
}

TEST_F(ReleasedRunsTest, ThenTheInstalledCopy) {
  const std::string installed = paths::WorkspaceRoot() + "/" + kInstalledRunsCsv;
  absl::StatusOr<std::string> path = ReleasedRunsCsv();
  if (path.ok()) {
    EXPECT_EQ(*path, installed);
  } else {
    ExpectOneLineNamingAllWays(path.status(), installed);
  }
}

TEST_F(ReleasedRunsTest, AnUnreadableFlagOrVariableIsOneLineNamingEveryWay) {
  absl::SetFlag(&FLAGS_runs_csv, dir_ + "/missing.csv");
  setenv(kRunsCsvEnv, b_.c_str(), 1);  // not a fallback: the flag names the file
  ExpectOneLineNamingAllWays(ReleasedRunsCsv().status(), dir_ + "/missing.csv");
  ExpectOneLineNamingAllWays(ReadReleasedRuns().status(), dir_ + "/missing.csv");
  absl::SetFlag(&FLAGS_runs_csv, "");
  setenv(kRunsCsvEnv, (dir_ + "/gone.csv").c_str(), 1);
  ExpectOneLineNamingAllWays(ReleasedRunsCsv().status(), dir_ + "/gone.csv");
}

TEST_F(ReleasedRunsTest, RelativePathsAreWhereBazelRunWasTyped) {
  setenv("BUILD_WORKING_DIRECTORY", dir_.c_str(), 1);
  absl::SetFlag(&FLAGS_runs_csv, "a.csv");
  EXPECT_EQ(ReleasedRunsCsv().value_or("?"), a_);
  absl::SetFlag(&FLAGS_runs_csv, "");
  setenv(kRunsCsvEnv, "b.csv", 1);
  EXPECT_EQ(ReleasedRunsCsv().value_or("?"), b_);
}

TEST_F(ReleasedRunsTest, ASubsetSelectsRows) {
  std::ofstream(a_) << "key,params,tokens,unique_tokens,val_loss,in_fit_set\nr,1,2,2,3,1\n"
                       "s,1,2,1,3,0\n";
  absl::SetFlag(&FLAGS_runs_csv, a_);
  absl::StatusOr<RunTable> fit = ReadReleasedRuns("in_fit_set");
  ASSERT_TRUE(fit.ok()) << fit.status();
  EXPECT_EQ(fit->size(), 1);
}

}  // namespace
}  // namespace datawall::laws
