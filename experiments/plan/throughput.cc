// Throughput model (see throughput.h).
#include "experiments/plan/throughput.h"

#include <cmath>
#include <map>
#include <algorithm>
#include <sstream>

#include "absl/strings/str_format.h"
#include "tools/io/atomic_file.h"

namespace datawall::plan {

ThroughputModel::ThroughputModel() {
  Fit({{0.14e6, 22.3e3, "PyTorch CPU baseline, shape b (train_bench.py)"},
       {0.89e6, 3.7e3, "PyTorch CPU baseline, shape a (train_bench.py)"}});
}

bool ThroughputModel::Fit(const std::vector<ThroughputPoint>& points) {
  // Linear least squares: y = overhead + slope * x, x = 6 * params, y = 1 / tokens_per_second.
  double n = 0, sx = 0, sy = 0, sxx = 0, sxy = 0;
  for (const ThroughputPoint& p : points) {
    if (!(p.params > 0) || !(p.tokens_per_second > 0)) continue;
    const double x = 6 * p.params, y = 1 / p.tokens_per_second;
    n += 1;
    sx += x;
    sy += y;
    sxx += x * x;
    sxy += x * y;
  }
  const double det = n * sxx - sx * sx;
  if (n < 2 || det <= 1e-12 * sxx * n) return false;
  double slope = (n * sxy - sx * sy) / det;
  double overhead = (sy - slope * sx) / n;
  if (overhead < 0) {  // keep the model physical: refit through the origin
    overhead = 0;
    slope = sxy / sxx;
  }
  if (!(slope > 0)) return false;
  overhead_ = overhead;
  flops_rate_ = 1 / slope;
  points_ = points;
  return true;
}

double ThroughputModel::SecondsPerToken(double params) const {
  return overhead_ + 6 * params / flops_rate_;
}

std::string ThroughputModel::Describe() const {
  return absl::StrFormat(
      "seconds/run = %.3g + tokens * (%.3g + 6N / %.3g FLOP/s), fitted to %d measured points",
      per_run_seconds_, overhead_, flops_rate_, static_cast<int>(points_.size()));
}

bool LoadThroughputPoints(const std::string& path, std::vector<ThroughputPoint>* points,
                          std::string* error, double* per_run_seconds,
                          std::map<int, double>* concurrency) {
  std::string text;
  if (const Result r = io::ReadFile(path, &text); !r.ok()) {
    *error = r.message();
    return false;
  }
  std::istringstream in(text);
  std::string line;
  int line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    const size_t hash = line.find('#');
    if (hash != std::string::npos) line.resize(hash);
    std::istringstream fields(line);
    if (line.find("per_run_seconds") != std::string::npos) {
      std::string key;
      double value = -1;
      if (!(fields >> key >> value) || key != "per_run_seconds" || !(value >= 0)) {
        *error = absl::StrFormat("%s:%d: expected \"per_run_seconds SECONDS\"", path, line_no);
        return false;
      }
      if (per_run_seconds != nullptr) *per_run_seconds = value;
      continue;
    }
    if (line.find("concurrency") != std::string::npos) {
      std::string key;
      int runs = 0;
      double speedup = 0;
      if (!(fields >> key >> runs >> speedup) || key != "concurrency" || runs < 1 ||
          !(speedup > 0) || !std::isfinite(speedup)) {
        *error = absl::StrFormat(
            "%s:%d: expected \"concurrency RUNS_PER_DEVICE AGGREGATE_SPEEDUP source\"", path, line_no);
        return false;
      }
      if (concurrency != nullptr) {
        auto [it, inserted] = concurrency->emplace(runs, speedup);
        if (!inserted) it->second = std::min(it->second, speedup);  // the least gain of any shape
      }
      continue;
    }
    ThroughputPoint p;
    if (!(fields >> p.params)) continue;  // blank line
    if (!(fields >> p.tokens_per_second) || !(p.params > 0) || !(p.tokens_per_second > 0)) {
      *error = absl::StrFormat("%s:%d: expected \"params tokens_per_second source\"", path, line_no);
      return false;
    }
    std::getline(fields >> std::ws, p.source);
    points->push_back(p);
  }
  return true;
}

std::string FormatDuration(double seconds) {
  if (!(seconds >= 0) || !std::isfinite(seconds)) return "?";
  const int64_t s = std::llround(seconds);
  if (s >= 3600) return absl::StrFormat("%dh%02dm", s / 3600, (s % 3600) / 60);
  if (s >= 60) return absl::StrFormat("%dm%02ds", s / 60, s % 60);
  return absl::StrFormat("%ds", s);
}

}  // namespace datawall::plan
