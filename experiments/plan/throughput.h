// Throughput model: how long a run takes on a given machine, for plans, dry runs and ETAs.
//
// seconds of a run = per_run + tokens * (overhead + flops_per_token / effective_flops_per_second),
// with flops_per_token = 6 * params. Fitted by least squares (in seconds per token) to measured
// (params, tokens/s) points: the calibration file committed with the runner
// (experiments/plan/cpu_throughput.txt, measured with the train CLI on this machine) and,
// when a sweep directory already holds complete records, their own timings. Not a simulator
// of anything else (evaluation and checkpoint time are folded into the measured rates).
#ifndef DATAWALL_EXPERIMENTS_PLAN_THROUGHPUT_H_
#define DATAWALL_EXPERIMENTS_PLAN_THROUGHPUT_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace datawall::plan {

struct ThroughputPoint {
  double params = 0;             // trainable parameters of the model measured
  double tokens_per_second = 0;  // measured training throughput
  std::string source;            // where the number comes from (a record, a benchmark)
};

class ThroughputModel {
 public:
  // The default: the PyTorch-CPU baseline's measurements of shapes b and a of
  // experiments/training/benchmarks/train_bench.py (0.14M params: 22.3k tokens/s, 0.89M: 3.7k
  // tokens/s), used until a calibration is loaded.
  ThroughputModel();
  // Least-squares fit of (overhead, 1/flops_rate) to the points; needs >= 2 points with
  // distinct params, else keeps the current model and returns false.
  bool Fit(const std::vector<ThroughputPoint>& points);
  double SecondsPerToken(double params) const;
  // One run: start-up (process, LibTorch, data, final evaluation) plus its tokens.
  double Seconds(double params, double tokens) const {
    return per_run_seconds_ + SecondsPerToken(params) * tokens;
  }
  double per_run_seconds() const { return per_run_seconds_; }
  void set_per_run_seconds(double s) { per_run_seconds_ = s; }
  double overhead_seconds_per_token() const { return overhead_; }
  double effective_flops_per_second() const { return flops_rate_; }
  const std::vector<ThroughputPoint>& points() const { return points_; }
  std::string Describe() const;  // one line: the formula and where its points came from

 private:
  double overhead_ = 0;
  double flops_rate_ = 0;
  // Measured: smoke runs of the train CLI (a few thousand tokens) take 2-4 s, about 2 s of it
  // start-up (see docs/experiments.md).
  double per_run_seconds_ = 2.0;
  std::vector<ThroughputPoint> points_;
};

// Reads "params tokens_per_second source..." lines ('#' comments) from a calibration file, an
// optional "per_run_seconds X" line (the fixed cost of one run) into *per_run_seconds, and
// "concurrency K S source..." lines into *concurrency: K runs sharing one device train S times as
// many tokens per second in all as one run alone (measured per shape; the map keeps each K's
// smallest S, the shape that gains least).
bool LoadThroughputPoints(const std::string& path, std::vector<ThroughputPoint>* points,
                          std::string* error, double* per_run_seconds = nullptr,
                          std::map<int, double>* concurrency = nullptr);

// A duration as plans and progress lines print it: "1h02m", "3m05s", "12s" ("?" if not finite).
std::string FormatDuration(double seconds);

}  // namespace datawall::plan

#endif  // DATAWALL_EXPERIMENTS_PLAN_THROUGHPUT_H_
