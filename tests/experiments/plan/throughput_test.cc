// The time model: an exact fit through two measured points, the per-run cost, calibration files
// (points, per_run_seconds, errors naming file:line), and refusal of degenerate inputs.
#include "experiments/plan/throughput.h"

#include <cstdlib>

#include "gtest/gtest.h"
#include "tools/io/atomic_file.h"

namespace datawall::plan {
namespace {

std::string Tmp(const std::string& name) {
  return std::string(getenv("TEST_TMPDIR") ? getenv("TEST_TMPDIR") : "/tmp") + "/" + name;
}

TEST(ThroughputTest, FitsTwoPointsExactly) {
  ThroughputModel model;
  // 1/tps = c0 + 6N / R with c0 = 1e-5, R = 1e10: N = 1e5 -> 7e-5 s/token, N = 1e6 -> 6.1e-4.
  ASSERT_TRUE(model.Fit({{1e5, 1 / 7e-5, "a"}, {1e6, 1 / 6.1e-4, "b"}}));
  EXPECT_NEAR(model.overhead_seconds_per_token(), 1e-5, 1e-12);
  EXPECT_NEAR(model.effective_flops_per_second(), 1e10, 1e3);
  model.set_per_run_seconds(3);
  EXPECT_NEAR(model.Seconds(1e5, 1e6), 3 + 70, 1e-6);
  EXPECT_FALSE(model.Fit({{1e5, 1000, "only one"}}));
  EXPECT_FALSE(model.Fit({{1e5, 1000, "a"}, {1e5, 2000, "same params"}}));
  EXPECT_NEAR(model.effective_flops_per_second(), 1e10, 1e3) << "a failed fit keeps the model";
}

TEST(ThroughputTest, LoadsCalibrationFiles) {
  const std::string path = Tmp("calibration.txt");
  ASSERT_TRUE(io::WriteFileAtomically(path, "# comment\nper_run_seconds 1.5\n\n100000 14285.7 first run\n"
                                             "1000000 1639.3 second  # trailing comment\n").ok());
  std::vector<ThroughputPoint> points;
  std::string error;
  double per_run = 0;
  ASSERT_TRUE(LoadThroughputPoints(path, &points, &error, &per_run)) << error;
  ASSERT_EQ(points.size(), 2u);
  EXPECT_EQ(points[0].source, "first run");
  EXPECT_DOUBLE_EQ(points[1].params, 1e6);
  EXPECT_DOUBLE_EQ(per_run, 1.5);

  ASSERT_TRUE(io::WriteFileAtomically(path, "100000 14285.7\n100000 fast\n").ok());
  points.clear();
  EXPECT_FALSE(LoadThroughputPoints(path, &points, &error));
  EXPECT_NE(error.find(path + ":2:"), std::string::npos) << error;
  ASSERT_TRUE(io::WriteFileAtomically(path, "per_run_seconds -1\n").ok());
  EXPECT_FALSE(LoadThroughputPoints(path, &points, &error));
  EXPECT_NE(error.find(":1: expected \"per_run_seconds"), std::string::npos) << error;
  EXPECT_FALSE(LoadThroughputPoints(Tmp("missing.txt"), &points, &error));
}

TEST(ThroughputTest, LoadsConcurrencyKeepingEachKsLeastGain) {
  const std::string path = Tmp("concurrency.txt");
  ASSERT_TRUE(io::WriteFileAtomically(path, "100000 14285.7 run\nconcurrency 2 1.9 d128l4\n"
                                             "concurrency 4 3.5 d128l4\nconcurrency 4 2.1 d512l8\n")
                  .ok());
  std::vector<ThroughputPoint> points;
  std::string error;
  std::map<int, double> concurrency;
  ASSERT_TRUE(LoadThroughputPoints(path, &points, &error, nullptr, &concurrency)) << error;
  EXPECT_EQ(points.size(), 1u);
  ASSERT_EQ(concurrency.size(), 2u);
  EXPECT_DOUBLE_EQ(concurrency.at(2), 1.9);
  EXPECT_DOUBLE_EQ(concurrency.at(4), 2.1);
  for (const char* bad : {"concurrency 0 1.0 x\n", "concurrency 2 -1 x\n", "concurrency 2\n",
                          "concurrency 2 nan x\n"}) {
    ASSERT_TRUE(io::WriteFileAtomically(path, bad).ok());
    EXPECT_FALSE(LoadThroughputPoints(path, &points, &error, nullptr, &concurrency)) << bad;
    EXPECT_NE(error.find(":1: expected \"concurrency RUNS_PER_DEVICE"), std::string::npos) << error;
  }
}

}  // namespace
}  // namespace datawall::plan
