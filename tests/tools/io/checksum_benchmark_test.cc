// Google Benchmark smoke test: the checksum benchmark binary runs and reports a throughput.
// (Asserts that it ran and produced numbers; it does not judge the speed.)
#include <string>

#include "gtest/gtest.h"
#include "tests/testing/run_command.h"

TEST(ChecksumBenchmark, RunsAndReportsThroughput) {
  const datawall::testing::CommandResult run = datawall::testing::RunCommand(
      datawall::testing::Runfile("tools/io/benchmarks/checksum_benchmark") +
      " --benchmark_min_time=0.01 --benchmark_format=json");
  ASSERT_EQ(run.exit_code, 0) << run.output;
  const std::string& out = run.output;
  EXPECT_NE(out.find("\"name\": \"BM_Checksum64/1048576\""), std::string::npos) << out;
  EXPECT_NE(out.find("\"bytes_per_second\""), std::string::npos) << out;
}
