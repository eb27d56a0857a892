// Google Benchmark smoke test: the checksum benchmark binary runs and reports a throughput.
// (Asserts that it ran and produced numbers; it does not judge the speed.)
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <string>

#include "gtest/gtest.h"

TEST(ChecksumBenchmark, RunsAndReportsThroughput) {
  const std::string binary =
      std::string(getenv("TEST_SRCDIR")) + "/datawall/tools/io/benchmarks/checksum_benchmark";
  std::FILE* pipe = popen(
      (binary + " --benchmark_min_time=0.01 --benchmark_format=json 2>/dev/null").c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  std::string out;
  std::array<char, 4096> buffer;
  size_t n;
  while ((n = fread(buffer.data(), 1, buffer.size(), pipe)) > 0) out.append(buffer.data(), n);
  const int status = pclose(pipe);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << out;
  EXPECT_NE(out.find("\"name\": \"BM_Checksum64/1048576\""), std::string::npos) << out;
  EXPECT_NE(out.find("\"bytes_per_second\""), std::string::npos) << out;
}
