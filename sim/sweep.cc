#include "sim/sweep.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>

#include "absl/strings/str_cat.h"
#include "tools/json/json.h"
#include "tools/parallel/parallel.h"

namespace datawall::sim {
namespace {

bool PositiveFinite(double v) { return std::isfinite(v) && v > 0; }

// Threads for `work` rows: the request (0: all cores), at most one per 1000 rows.
int ThreadCount(int requested, size_t work) {
  return static_cast<int>(
      std::min<size_t>(parallel::ThreadCount(requested), std::max<size_t>(1, work / 1000)));
}

double LogSpaced(double lo, double hi, int steps, int i) {
  if (steps == 1) return lo;
  return lo * std::pow(hi / lo, static_cast<double>(i) / (steps - 1));
}

void AppendRow(const SweepRow& r, OutputFormat format, bool first, std::string* out) {
  switch (format) {
    case OutputFormat::kCsv:
      AppendNumber(out, r.flops), out->push_back(',');
      AppendNumber(out, r.unique_tokens), out->push_back(',');
      AppendNumber(out, r.params), out->push_back(',');
      AppendNumber(out, r.tokens), out->push_back(',');
      AppendNumber(out, r.epochs), out->push_back(',');
      AppendNumber(out, r.loss), out->push_back(',');
      out->append(r.data_constrained ? "true," : "false,");
      AppendNumber(out, r.chinchilla_loss), out->push_back('\n');
      break;
    case OutputFormat::kJson: {
      // One object per line through tools/json; WriteSweep has refused non-finite rows before
      // formatting any, so Dump cannot fail here (value() would throw if it did).
      const json::Json row = {{"flops", r.flops},
                              {"unique_tokens", r.unique_tokens},
                              {"parameters", r.params},
                              {"tokens", r.tokens},
                              {"epochs", r.epochs},
                              {"loss", r.loss},
                              {"data_constrained", r.data_constrained},
                              {"chinchilla_loss", r.chinchilla_loss}};
      out->append(first ? "" : ",\n ").append(json::Dump(row).value());
      break;
    }
    case OutputFormat::kText: {
      char buf[256];
      std::snprintf(buf, sizeof(buf), "%12.3g %10s %10s %10s %10.3g %10.6f %5s %15.6f\n", r.flops,
                    HumanCount(r.unique_tokens).c_str(), HumanCount(r.params).c_str(),
                    HumanCount(r.tokens).c_str(), r.epochs, r.loss,
                    r.data_constrained ? "yes" : "no", r.chinchilla_loss);
      out->append(buf);
      break;
    }
  }
}

}  // namespace

absl::StatusOr<std::vector<SweepRow>> Sweep(const laws::Law& law, const SweepOptions& o) {
  if (!PositiveFinite(o.flops_min) || !PositiveFinite(o.flops_max) || o.flops_max < o.flops_min) {
    return absl::InvalidArgumentError("flops_max: need 0 < flops_min <= flops_max, finite");
  }
  if (!PositiveFinite(o.unique_min) || !PositiveFinite(o.unique_max) || o.unique_max < o.unique_min) {
    return absl::InvalidArgumentError("unique_max: need 0 < unique_min <= unique_max, finite");
  }
  if (o.flops_steps < 1 || o.flops_steps > 100000) {
    return absl::InvalidArgumentError("flops_steps: must be in [1, 100000]");
  }
  if (o.unique_steps < 1 || o.unique_steps > 100000) {
    return absl::InvalidArgumentError("unique_steps: must be in [1, 100000]");
  }
  if (o.threads < 0 || o.threads > 1024) return absl::InvalidArgumentError("threads: must be in [0, 1024]");
  absl::StatusOr<Allocator> allocator = Allocator::Create(law, o.allocate);
  if (!allocator.ok()) return allocator.status();
  // The smallest budget must fit a model (the same check Allocate makes, reported once).
  {
    Allocation a;
    std::string error;
    if (!allocator->AllocateInto(o.flops_min, o.unique_min, &a, &error)) {
      return absl::InvalidArgumentError(error);
    }
  }
  const size_t count = static_cast<size_t>(o.flops_steps) * o.unique_steps;
  std::vector<SweepRow> rows(count);
  std::vector<double> unique(o.unique_steps);
  for (int j = 0; j < o.unique_steps; ++j) unique[j] = LogSpaced(o.unique_min, o.unique_max, o.unique_steps, j);
  std::atomic<bool> failed{false};
  parallel::ParallelBlocks(static_cast<int64_t>(count), ThreadCount(o.threads, count),
                           [&](int, int64_t begin, int64_t end) {
    Allocation a;
    for (size_t k = begin; k < static_cast<size_t>(end); ++k) {
      const int i = static_cast<int>(k / o.unique_steps), j = static_cast<int>(k % o.unique_steps);
      SweepRow& r = rows[k];
      r.flops = LogSpaced(o.flops_min, o.flops_max, o.flops_steps, i);
      r.unique_tokens = unique[j];
      if (!allocator->AllocateInto(r.flops, r.unique_tokens, &a)) {
        failed = true;
        continue;
      }
      r.params = a.params;
      r.tokens = a.tokens;
      r.epochs = a.epochs;
      r.loss = a.loss;
      r.chinchilla_loss = a.chinchilla_loss;
      r.data_constrained = a.data_constrained;
    }
  });
  if (failed) return absl::InternalError("an allocation of the sweep failed");
  return rows;
}

absl::Status WriteSweep(const std::vector<SweepRow>& rows, OutputFormat format, int threads,
                        const std::function<bool(std::string_view)>& sink) {
  for (const SweepRow& r : rows) {
    if (!std::isfinite(r.flops) || !std::isfinite(r.params) || !std::isfinite(r.tokens) ||
        !std::isfinite(r.loss) || !std::isfinite(r.chinchilla_loss) || !std::isfinite(r.epochs)) {
      return absl::InternalError(absl::StrCat("sweep: non-finite result at flops=", r.flops,
                                              " unique_tokens=", r.unique_tokens));
    }
  }
  std::string head;
  switch (format) {
    case OutputFormat::kCsv:
      head = "flops,unique_tokens,parameters,tokens,epochs,loss,data_constrained,chinchilla_loss\n";
      break;
    case OutputFormat::kJson: head = "["; break;
    case OutputFormat::kText: {
      char buf[256];
      std::snprintf(buf, sizeof(buf), "%12s %10s %10s %10s %10s %10s %5s %15s\n", "flops",
                    "unique", "params", "tokens", "epochs", "loss", "dc", "chinchilla_loss");
      head = buf;
      break;
    }
  }
  const int n = ThreadCount(threads, rows.size());
  std::vector<std::string> chunks(n);
  parallel::ParallelBlocks(static_cast<int64_t>(rows.size()), n,
                           [&](int t, int64_t begin, int64_t end) {
    std::string& out = chunks[t];
    out.reserve((end - begin) * 140);
    for (size_t k = begin; k < static_cast<size_t>(end); ++k) AppendRow(rows[k], format, k == 0, &out);
  });
  if (!sink(head)) return absl::InternalError("sweep: write failed");
  for (const std::string& c : chunks) {
    if (!sink(c)) return absl::InternalError("sweep: write failed");
  }
  if (format == OutputFormat::kJson && !sink("]\n")) {
    return absl::InternalError("sweep: write failed");
  }
  return absl::OkStatus();
}

}  // namespace datawall::sim
