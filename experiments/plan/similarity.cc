// The similarity card and the regime rules (see similarity.h).
#include "experiments/plan/similarity.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <iterator>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "paper/paper.h"

namespace datawall::plan {
namespace {

using experiments::SimilarityCard;
using experiments::SimilarityRow;

// Per-sequence standard deviation of the validation loss (nats), measured: 0.0078 x sqrt(2048).
constexpr double kSequenceLossStd = 0.353;

constexpr int64_t kMinCpuSteps = 300;
constexpr int64_t kMinGpuSteps = 1000;
constexpr int64_t kMinEvalTokens = 262144;
constexpr double kCpuBudgetSeconds = 90 * 60;  // two workers on this machine
constexpr double kMinReturnTokensPerParam = 10, kMaxReturnTokensPerParam = 30;

bool Near(double a, double b) { return std::fabs(a - b) <= 1e-9 * std::max(1.0, std::fabs(b)); }

const experiments::Scale* ScaleOf(const experiments::ExperimentSpec& spec, const std::string& n) {
  for (const auto& s : spec.scales()) {
    if (s.name() == n) return &s;
  }
  return nullptr;
}

}  // namespace

double ExpectedValidationSe(int64_t eval_tokens, int64_t seq_len) {
  const int64_t sequences = seq_len > 0 ? (eval_tokens - 1) / seq_len : 0;
  return sequences > 0 ? kSequenceLossStd / std::sqrt(static_cast<double>(sequences)) : 0;
}

double Makespan(const experiments::SweepPlan& plan, int workers) {
  std::vector<double> seconds;
  for (const auto& r : plan.runs()) seconds.push_back(r.estimated_seconds());
  std::sort(seconds.begin(), seconds.end(), std::greater<double>());
  std::vector<double> load(std::max(1, workers), 0.0);
  for (double s : seconds) *std::min_element(load.begin(), load.end()) += s;
  return *std::max_element(load.begin(), load.end());
}

SimilarityCard Card(const experiments::ExperimentSpec& spec, const experiments::SweepPlan& plan) {
  SimilarityCard card;
  const experiments::Scale* scale = ScaleOf(spec, plan.scale());
  if (scale != nullptr) card.set_gpu_scale_only(scale->gpu_scale_only());
  bool first = true;
  std::set<double> epochs;
  double one_epoch_tpp_min = 0, one_epoch_tpp_max = 0;
  bool one_epoch = false;
  for (const auto& r : plan.runs()) {
    const auto& s = r.spec();
    const double n = static_cast<double>(r.eq23_params());
    const double u = static_cast<double>(s.unique_tokens());
    const double d = static_cast<double>(s.total_tokens());
    const int64_t per_step = std::max<int64_t>(1, s.optimizer().batch_size()) *
                             std::max<int64_t>(1, s.optimizer().grad_accumulation()) *
                             s.model().seq_len();
    const int64_t steps = (s.total_tokens() + per_step - 1) / per_step;
    const double warmup = s.optimizer().has_warmup_fraction() ? s.optimizer().warmup_fraction() : 0.01;
    SimilarityRow* row = card.add_runs();
    row->set_run(s.name());
    row->set_params_over_unique_params(n / (paper::kEq17ParamsPerUniqueToken * u));
    row->set_epochs(r.epochs());
    row->set_tokens_per_param(d / n);
    row->set_steps(steps);
    row->set_warmup_steps(std::llround(warmup * static_cast<double>(steps)));
    row->set_eval_tokens(s.eval_tokens());
    row->set_expected_val_se(ExpectedValidationSe(s.eval_tokens(), s.model().seq_len()));
    epochs.insert(r.epochs());
    if (first) {
      card.set_min_params_over_unique_params(row->params_over_unique_params());
      card.set_max_params_over_unique_params(row->params_over_unique_params());
      card.set_min_tokens_per_param(row->tokens_per_param());
      card.set_max_tokens_per_param(row->tokens_per_param());
      card.set_min_epochs(row->epochs());
      card.set_max_epochs(row->epochs());
      card.set_min_steps(steps);
      card.set_min_eval_tokens(s.eval_tokens());
      first = false;
    }
    card.set_min_params_over_unique_params(
        std::min(card.min_params_over_unique_params(), row->params_over_unique_params()));
    card.set_max_params_over_unique_params(
        std::max(card.max_params_over_unique_params(), row->params_over_unique_params()));
    card.set_min_tokens_per_param(std::min(card.min_tokens_per_param(), row->tokens_per_param()));
    card.set_max_tokens_per_param(std::max(card.max_tokens_per_param(), row->tokens_per_param()));
    card.set_min_epochs(std::min(card.min_epochs(), row->epochs()));
    card.set_max_epochs(std::max(card.max_epochs(), row->epochs()));
    card.set_min_steps(std::min(card.min_steps(), steps));
    card.set_min_eval_tokens(std::min(card.min_eval_tokens(), s.eval_tokens()));
    card.set_max_expected_val_se(std::max(card.max_expected_val_se(), row->expected_val_se()));
    if (Near(r.epochs(), 1) && spec.kind() != experiments::ALLOCATION) {
      one_epoch_tpp_min = one_epoch ? std::min(one_epoch_tpp_min, row->tokens_per_param())
                                    : row->tokens_per_param();
      one_epoch_tpp_max = one_epoch ? std::max(one_epoch_tpp_max, row->tokens_per_param())
                                    : row->tokens_per_param();
      one_epoch = true;
    }
  }
  // The rules apply to the cpu and gpu scales (smoke is a CI check, paper is the paper's grid).
  const bool cpu = plan.scale() == "cpu", gpu = plan.scale() == "gpu";
  if ((!cpu && !gpu) || plan.runs().empty()) return card;
  auto violate = [&](std::string what) { card.add_violations(std::move(what)); };
  const int64_t min_steps = cpu ? kMinCpuSteps : kMinGpuSteps;
  if (card.min_steps() < min_steps) {
    violate(absl::StrCat("a run has ", card.min_steps(), " optimizer steps (< ", min_steps, ")"));
  }
  if (card.min_eval_tokens() < kMinEvalTokens) {
    violate(absl::StrCat("validation on ", card.min_eval_tokens(), " tokens (< ", kMinEvalTokens,
                         ")"));
  }
  switch (spec.kind()) {
    case experiments::ALLOCATION: {
      // Per unique budget: the smallest model within 2x of U_N, the largest >= 10x.
      if (card.min_params_over_unique_params() < 0.5 ||
          card.min_params_over_unique_params() > 2) {
        violate(absl::StrFormat("smallest model at %.2f x U_N (want 0.5-2)",
                                card.min_params_over_unique_params()));
      }
      if (card.max_params_over_unique_params() < 10) {
        violate(absl::StrFormat("largest model at %.2f x U_N (want >= 10)",
                                card.max_params_over_unique_params()));
      }
      if (!Near(card.min_epochs(), 1) || card.max_epochs() < 32) {
        violate(absl::StrFormat("epochs %g to %g (want 1 to >= 32)", card.min_epochs(),
                                card.max_epochs()));
      }
      break;
    }
    case experiments::RETURN_ISOFLOP:
    case experiments::CODE_MIXING: {
      if (!one_epoch) {
        violate("no one-epoch run");
      } else if (one_epoch_tpp_min < kMinReturnTokensPerParam ||
                 one_epoch_tpp_max > kMaxReturnTokensPerParam) {
        violate(absl::StrFormat("%.1f-%.1f tokens per parameter at one epoch (want 10-30)",
                                one_epoch_tpp_min, one_epoch_tpp_max));
      }
      // The paper's IsoFLOP grids: all eight epoch counts (the ablation has its own three).
      if (spec.kind() == experiments::RETURN_ISOFLOP && spec.name().rfind("return_", 0) == 0) {
        // U = round(D / e), so a run's epochs differ from e by rounding: match within 0.1%.
        bool same = epochs.size() == std::size(paper::kIsoFlopEpochs);
        for (double e : paper::kIsoFlopEpochs) {
          same = same && std::any_of(epochs.begin(), epochs.end(),
                                     [&](double x) { return std::fabs(x / e - 1) < 1e-3; });
        }
        if (!same) violate("not the paper's eight epoch counts (1, 2, 3, 4, 5, 7, 14, 44)");
      }
      break;
    }
    default:
      break;
  }
  if (cpu && card.gpu_scale_only().empty()) {
    const double makespan = Makespan(plan, 2);
    if (makespan > kCpuBudgetSeconds) {
      violate(absl::StrFormat("estimated %.0f minutes with two workers (> 90)", makespan / 60));
    }
  }
  return card;
}

std::string CardText(const SimilarityCard& card) {
  std::string out = "similarity card (the paper's regime in dimensionless terms; U_N = 0.051 U_D, Eq. 17)\n";
  absl::StrAppend(&out, absl::StrFormat("  %-52s %8s %7s %7s %6s %6s %8s %8s\n", "run", "N/U_N",
                                        "epochs", "tok/N", "steps", "warmup", "val_tok",
                                        "val_se"));
  for (const auto& r : card.runs()) {
    absl::StrAppend(&out, absl::StrFormat("  %-52s %8.2f %7.3g %7.1f %6d %6d %8d %8.4f\n",
                                          r.run().substr(0, 52), r.params_over_unique_params(),
                                          r.epochs(), r.tokens_per_param(), r.steps(),
                                          r.warmup_steps(), r.eval_tokens(), r.expected_val_se()));
  }
  absl::StrAppend(&out, absl::StrFormat(
                            "  ranges: N/U_N %.2f-%.2f, epochs %g-%g, tokens/param %.1f-%.1f, "
                            ">= %d steps, >= %d validation tokens, val_se <= %.4f\n",
                            card.min_params_over_unique_params(),
                            card.max_params_over_unique_params(), card.min_epochs(),
                            card.max_epochs(), card.min_tokens_per_param(),
                            card.max_tokens_per_param(), card.min_steps(), card.min_eval_tokens(),
                            card.max_expected_val_se()));
  if (!card.gpu_scale_only().empty()) {
    absl::StrAppend(&out, "  gpu scale only: ", card.gpu_scale_only(), "\n");
  }
  if (card.violations().empty()) {
    absl::StrAppend(&out, "  in regime: every rule holds\n");
  } else {
    for (const auto& v : card.violations()) absl::StrAppend(&out, "  outside the regime: ", v, "\n");
  }
  return out;
}

}  // namespace datawall::plan
