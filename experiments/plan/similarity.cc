// The similarity card and the regime rules (see similarity.h).
#include "experiments/plan/similarity.h"

#include <algorithm>
#include <cmath>
#include <iterator>
#include <set>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "experiments/plan/expand.h"
#include "paper/paper.h"
#include "tools/io/atomic_file.h"
#include "tools/result/status.h"

namespace datawall::plan {
namespace {

using experiments::ExperimentSpec;
using experiments::SimilarityCard;
using experiments::SimilarityRow;
using experiments::SweepPlan;

const experiments::Scale* ScaleOf(const ExperimentSpec& spec, const std::string& name) {
  for (const auto& s : spec.scales()) {
    if (s.name() == name) return &s;
  }
  return nullptr;
}

// D / U of a run against e epochs: U = round(D / e) moves it by far less than 0.1%.
bool SameEpochs(double a, double e) { return std::fabs(a / e - 1) < 1e-3; }

// The trainer's step count and warm-up: experiments/run_io.cc fills the defaults (batch 8, no
// accumulation, warm-up 1%), train_options.cc counts steps = ceil(D / tokens per step),
// schedule.h warm-up = round(fraction * steps).
int64_t Steps(const experiments::RunSpec& s) {
  const int64_t batch = s.optimizer().batch_size() != 0 ? s.optimizer().batch_size() : 8;
  const int64_t accumulation =
      s.optimizer().grad_accumulation() != 0 ? s.optimizer().grad_accumulation() : 1;
  const int64_t per_step = batch * accumulation * s.model().seq_len();
  return per_step > 0 ? (s.total_tokens() + per_step - 1) / per_step : 0;
}

int64_t WarmupSteps(const experiments::RunSpec& s, int64_t steps) {
  const double fraction =
      s.optimizer().has_warmup_fraction() ? s.optimizer().warmup_fraction() : 0.01;
  return static_cast<int64_t>(std::llround(fraction * static_cast<double>(steps)));
}

// The scale's budget: U for ALLOCATION (every run shares it), D for the other kinds.
double Budget(const ExperimentSpec& spec, const experiments::Scale& scale) {
  return spec.kind() == experiments::ALLOCATION ? static_cast<double>(scale.unique_tokens())
                                                : static_cast<double>(scale.total_tokens());
}

std::string Minutes(double seconds) { return absl::StrFormat("%.1f minutes", seconds / 60); }

void FillRanges(SimilarityCard* card) {
  bool first = true, first_se = true;
  bool all_calibrated = card->runs_size() > 0;
  for (const SimilarityRow& r : card->runs()) {
    if (first) {
      card->set_min_params_over_unique_params(r.params_over_unique_params());
      card->set_max_params_over_unique_params(r.params_over_unique_params());
      card->set_min_tokens_per_param(r.tokens_per_param());
      card->set_max_tokens_per_param(r.tokens_per_param());
      card->set_min_epochs(r.epochs());
      card->set_max_epochs(r.epochs());
      card->set_min_steps(r.steps());
      card->set_max_steps(r.steps());
      card->set_min_warmup_steps(r.warmup_steps());
      card->set_max_warmup_steps(r.warmup_steps());
      card->set_min_eval_tokens(r.eval_tokens());
      card->set_max_eval_tokens(r.eval_tokens());
      first = false;
    }
    card->set_min_params_over_unique_params(
        std::min(card->min_params_over_unique_params(), r.params_over_unique_params()));
    card->set_max_params_over_unique_params(
        std::max(card->max_params_over_unique_params(), r.params_over_unique_params()));
    card->set_min_tokens_per_param(std::min(card->min_tokens_per_param(), r.tokens_per_param()));
    card->set_max_tokens_per_param(std::max(card->max_tokens_per_param(), r.tokens_per_param()));
    card->set_min_epochs(std::min(card->min_epochs(), r.epochs()));
    card->set_max_epochs(std::max(card->max_epochs(), r.epochs()));
    card->set_min_steps(std::min(card->min_steps(), r.steps()));
    card->set_max_steps(std::max(card->max_steps(), r.steps()));
    card->set_min_warmup_steps(std::min(card->min_warmup_steps(), r.warmup_steps()));
    card->set_max_warmup_steps(std::max(card->max_warmup_steps(), r.warmup_steps()));
    card->set_min_eval_tokens(std::min(card->min_eval_tokens(), r.eval_tokens()));
    card->set_max_eval_tokens(std::max(card->max_eval_tokens(), r.eval_tokens()));
    if (!r.val_se_calibrated()) {
      all_calibrated = false;
      continue;
    }
    if (first_se) {
      card->set_min_expected_val_se(r.expected_val_se());
      card->set_max_expected_val_se(r.expected_val_se());
      first_se = false;
    }
    card->set_min_expected_val_se(std::min(card->min_expected_val_se(), r.expected_val_se()));
    card->set_max_expected_val_se(std::max(card->max_expected_val_se(), r.expected_val_se()));
  }
  card->set_val_se_calibrated(all_calibrated);
}

void CheckRules(const ExperimentSpec& spec, const SweepPlan& plan, const CardOptions& options,
                SimilarityCard* card) {
  const bool cpu = plan.scale() == "cpu", gpu = plan.scale() == "gpu";
  auto violate = [&](std::string what) { card->add_violations(std::move(what)); };
  if (!cpu && !card->gpu_scale_only().empty()) {
    violate("gpu_scale_only is for a cpu scale (a gpu scale over its budget: over_time_budget)");
  }
  if (!gpu && !card->over_time_budget().empty()) {
    violate("over_time_budget is for a gpu scale (a cpu scale over its budget: gpu_scale_only)");
  }
  if ((!cpu && !gpu) || card->runs().empty()) return;
  card->set_rules_applied(true);

  const int64_t min_steps = cpu ? kMinCpuSteps : kMinGpuSteps;
  if (card->min_steps() < min_steps) {
    violate(absl::StrCat("a run has ", card->min_steps(), " optimizer steps (want >= ", min_steps,
                         ")"));
  }
  if (card->min_eval_tokens() < kMinValidationTokens) {
    violate(absl::StrCat("validation on ", card->min_eval_tokens(), " tokens (want >= ",
                         kMinValidationTokens, ")"));
  }
  switch (spec.kind()) {
    case experiments::ALLOCATION:
      if (card->min_params_over_unique_params() < 0.5 ||
          card->min_params_over_unique_params() > 2) {
        violate(absl::StrFormat("smallest model at %.2f U_N (want 0.5-2)",
                                card->min_params_over_unique_params()));
      }
      if (card->max_params_over_unique_params() < 10) {
        violate(absl::StrFormat("largest model at %.2f U_N (want >= 10)",
                                card->max_params_over_unique_params()));
      }
      if (!SameEpochs(card->min_epochs(), 1) || card->max_epochs() < 32) {
        violate(absl::StrFormat("epochs %g to %g (want 1 to >= 32)", card->min_epochs(),
                                card->max_epochs()));
      }
      break;
    case experiments::RETURN_ISOFLOP:
    case experiments::CODE_MIXING:
    case experiments::DATA_FILTERING: {
      bool one_epoch = false;
      double low = 0, high = 0;
      std::set<double> epochs;
      for (const SimilarityRow& r : card->runs()) {
        epochs.insert(r.epochs());
        if (!SameEpochs(r.epochs(), 1)) continue;
        low = one_epoch ? std::min(low, r.tokens_per_param()) : r.tokens_per_param();
        high = one_epoch ? std::max(high, r.tokens_per_param()) : r.tokens_per_param();
        one_epoch = true;
      }
      if (!one_epoch) {
        violate("no one-epoch run");
      } else if (low < kMinTokensPerParam || high > kMaxTokensPerParam) {
        violate(absl::StrFormat("%.1f-%.1f tokens per parameter at one epoch (want %g-%g)", low,
                                high, kMinTokensPerParam, kMaxTokensPerParam));
      }
      // The paper's IsoFLOP grids (section 6): an experiment with a paper scale reproduces one
      // and runs all eight epoch counts; one without (the repetition_vs_shift ablation) has its
      // own.
      if (spec.kind() == experiments::RETURN_ISOFLOP && ScaleOf(spec, "paper") != nullptr) {
        bool same = true;
        for (double e : paper::kIsoFlopEpochs) {
          same = same && std::any_of(epochs.begin(), epochs.end(),
                                     [&](double x) { return SameEpochs(x, e); });
        }
        for (double x : epochs) {
          same = same && std::any_of(std::begin(paper::kIsoFlopEpochs),
                                     std::end(paper::kIsoFlopEpochs),
                                     [&](double e) { return SameEpochs(x, e); });
        }
        if (!same) violate("not the paper's eight epoch counts (1, 2, 3, 4, 5, 7, 14, 44)");
      }
      break;
    }
    default:
      break;
  }

  // Time: only with estimates (the dry run and the tests annotate the plan first).
  bool estimated = false;
  for (const auto& r : plan.runs()) estimated = estimated || r.estimated_seconds() > 0;
  if (!estimated) return;
  card->set_workers(cpu ? kCpuWorkers : std::max(1, options.runs_per_device));
  card->set_budget_seconds(cpu ? kCpuBudgetSeconds : kGpuBudgetSeconds);
  double slowdown = 1;  // of each run when `workers` share one GPU
  if (!cpu) {
    const auto it = options.concurrency_speedup.find(card->workers());
    const double speedup = card->workers() == 1 ? 1.0
                           : it != options.concurrency_speedup.end() ? it->second
                                                                     : 1.0;
    card->set_concurrency_speedup(speedup);
    card->set_concurrency_calibrated(card->workers() == 1 || it != options.concurrency_speedup.end());
    slowdown = card->workers() / speedup;
  }
  card->set_estimated_seconds(Makespan(plan, card->workers()) * slowdown);
  const bool over = card->estimated_seconds() > card->budget_seconds();
  const std::string& mark = cpu ? card->gpu_scale_only() : card->over_time_budget();
  const std::string where =
      cpu ? "with two workers"
          : card->workers() == 1 ? "on one H100"
                                 : absl::StrCat("on one H100, ", card->workers(), " runs at a time");
  if (over && mark.empty()) {
    violate(absl::StrCat("estimated ", Minutes(card->estimated_seconds()), " ", where,
                         " (want <= ", Minutes(card->budget_seconds()), ")"));
  } else if (!over && !mark.empty()) {
    violate(absl::StrCat(cpu ? "gpu_scale_only" : "over_time_budget",
                         " is set but the estimate, ", Minutes(card->estimated_seconds()), " ",
                         where, ", fits the budget of ", Minutes(card->budget_seconds())));
  }
}

}  // namespace

absl::StatusOr<CardOptions> LoadValidationCalibration(const std::string& path) {
  std::string text;
  if (absl::Status s = ToStatus(io::ReadFile(path, &text)); !s.ok()) return s;
  CardOptions options;
  options.calibration_source = path;
  int line_number = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    ++line_number;
    line = absl::StripAsciiWhitespace(line);
    if (line.empty() || line[0] == '#') continue;
    std::vector<absl::string_view> fields =
        absl::StrSplit(line, absl::ByAnyChar(" \t"), absl::SkipEmpty());
    int64_t seq_len = 0;
    double std = 0;
    if (fields.size() < 2 || !absl::SimpleAtoi(fields[0], &seq_len) ||
        !absl::SimpleAtod(fields[1], &std) || seq_len <= 0 || !(std > 0) || !std::isfinite(std)) {
      return absl::InvalidArgumentError(
          absl::StrCat(path, ":", line_number,
                       ": want \"seq_len per_sequence_std source...\", both positive"));
    }
    if (!options.sequence_loss_std.emplace(seq_len, std).second) {
      return absl::InvalidArgumentError(
          absl::StrCat(path, ":", line_number, ": seq_len ", seq_len, " given twice"));
    }
  }
  return options;
}

int64_t ValidationSequences(int64_t eval_tokens, int64_t seq_len) {
  return seq_len > 0 && eval_tokens > 0 ? (eval_tokens - 1) / seq_len : 0;
}

std::optional<double> ExpectedValidationSe(const CardOptions& options, int64_t eval_tokens,
                                           int64_t seq_len) {
  const auto it = options.sequence_loss_std.find(seq_len);
  const int64_t sequences = ValidationSequences(eval_tokens, seq_len);
  if (it == options.sequence_loss_std.end() || sequences <= 0) return std::nullopt;
  return it->second / std::sqrt(static_cast<double>(sequences));
}

double Makespan(const SweepPlan& plan, int workers) {
  std::vector<double> free_at(std::max(1, workers), 0.0);
  for (const auto& r : plan.runs()) {
    *std::min_element(free_at.begin(), free_at.end()) += r.estimated_seconds();
  }
  return *std::max_element(free_at.begin(), free_at.end());
}

SimilarityCard Card(const ExperimentSpec& spec, const SweepPlan& plan,
                    const CardOptions& options) {
  SimilarityCard card;
  const experiments::Scale* scale = ScaleOf(spec, plan.scale());
  const experiments::Scale* paper_scale = ScaleOf(spec, "paper");
  if (scale != nullptr) {
    card.set_gpu_scale_only(scale->gpu_scale_only());
    card.set_over_time_budget(scale->over_time_budget());
    if (paper_scale != nullptr && Budget(spec, *paper_scale) > 0) {
      card.set_budget_over_paper(Budget(spec, *scale) / Budget(spec, *paper_scale));
    }
  }
  card.set_val_se_calibration(options.calibration_source.empty() ? "none"
                                                                 : options.calibration_source);
  for (const auto& r : plan.runs()) {
    const experiments::RunSpec& s = r.spec();
    const double n = static_cast<double>(r.eq23_params());
    const double u = static_cast<double>(s.unique_tokens());
    const double d = static_cast<double>(s.total_tokens());
    const int64_t seq_len = s.model().seq_len();
    const int64_t steps = Steps(s);
    SimilarityRow* row = card.add_runs();
    row->set_run(s.name());
    row->set_params_over_unique_params(n / (paper::kEq17ParamsPerUniqueToken * u));
    row->set_epochs(r.epochs());
    row->set_tokens_per_param(d / n);
    row->set_steps(steps);
    row->set_warmup_steps(WarmupSteps(s, steps));
    row->set_validation_sequences(ValidationSequences(s.eval_tokens(), seq_len));
    row->set_eval_tokens(row->validation_sequences() * seq_len);
    if (std::optional<double> se = ExpectedValidationSe(options, s.eval_tokens(), seq_len)) {
      row->set_expected_val_se(*se);
      row->set_val_se_calibrated(true);
    }
  }
  FillRanges(&card);
  CheckRules(spec, plan, options, &card);
  return card;
}

absl::StatusOr<SimilarityCard> ScaleCard(const ExperimentSpec& spec, const std::string& scale,
                                         const CardOptions& options) {
  absl::StatusOr<SweepPlan> plan = Expand(spec, scale);
  if (!plan.ok()) return plan.status();
  return Card(spec, *plan, options);
}

absl::StatusOr<std::vector<std::string>> FamilyViolations(
    const std::vector<ExperimentSpec>& family, const std::string& scale) {
  std::vector<std::string> out;
  if (family.empty()) return out;
  const experiments::ExperimentKind kind = family[0].kind();
  struct Member {
    std::string name;
    double budget_over_paper = 0;
    double params = 0, paper_params = 0;  // RETURN_ISOFLOP: the one model's Eq. 23 N
  };
  std::vector<Member> members;
  for (const ExperimentSpec& spec : family) {
    if (spec.kind() != kind) {
      return absl::InvalidArgumentError(absl::StrCat(spec.name(), ": not the family's kind"));
    }
    if (ScaleOf(spec, "paper") == nullptr) {
      return absl::InvalidArgumentError(absl::StrCat(spec.name(), ": no paper scale"));
    }
    absl::StatusOr<SweepPlan> at = Expand(spec, scale);
    if (!at.ok()) return at.status();
    absl::StatusOr<SweepPlan> paper = Expand(spec, "paper");
    if (!paper.ok()) return paper.status();
    if (at->runs().empty() || paper->runs().empty()) {
      return absl::InvalidArgumentError(absl::StrCat(spec.name(), ": a scale without runs"));
    }
    Member m;
    m.name = spec.name();
    m.budget_over_paper = Card(spec, *at).budget_over_paper();
    m.params = static_cast<double>(at->runs(0).eq23_params());
    m.paper_params = static_cast<double>(paper->runs(0).eq23_params());
    members.push_back(m);
  }
  if (kind == experiments::ALLOCATION) {
    // U_scale / U_paper equal for all: the paper's ratio of budgets (100M : 400M : 1.5B).
    for (const Member& m : members) {
      if (std::fabs(m.budget_over_paper / members[0].budget_over_paper - 1) > 1e-3) {
        out.push_back(absl::StrFormat(
            "%s: unique budget %.6g of the paper's, %s: %.6g (the paper's 1 : 4 : 15 needs them "
            "equal)",
            m.name, m.budget_over_paper, members[0].name, members[0].budget_over_paper));
      }
    }
  } else if (kind == experiments::RETURN_ISOFLOP) {
    for (const Member& a : members) {
      for (const Member& b : members) {
        if (a.paper_params < b.paper_params && !(a.params < b.params)) {
          out.push_back(absl::StrFormat(
              "%s's model (N = %.0f) is not smaller than %s's (N = %.0f), as in the paper",
              a.name, a.params, b.name, b.params));
        }
      }
    }
  }
  return out;
}

std::string CardBrief(const SimilarityCard& card) {
  const std::string se = card.val_se_calibrated()
                             ? absl::StrFormat("val_se %.4f-%.4f", card.min_expected_val_se(),
                                               card.max_expected_val_se())
                             : std::string("val_se unknown (not calibrated)");
  return absl::StrFormat(
      "N/U_N %.2f-%.2f, epochs %.3g-%.3g, tokens/param %.1f-%.1f, steps %d-%d, warm-up %d-%d, "
      "validation tokens %d-%d, %s",
      card.min_params_over_unique_params(), card.max_params_over_unique_params(),
      card.min_epochs(), card.max_epochs(), card.min_tokens_per_param(),
      card.max_tokens_per_param(), card.min_steps(), card.max_steps(), card.min_warmup_steps(),
      card.max_warmup_steps(), card.min_eval_tokens(), card.max_eval_tokens(), se);
}

std::string CardText(const SimilarityCard& card) {
  std::string out = absl::StrFormat(
      "similarity card (the paper's regime in dimensionless terms; U_N = %g U_D, Eq. 17; "
      "N = Eq. 23)\n",
      paper::kEq17ParamsPerUniqueToken);
  absl::StrAppend(&out, absl::StrFormat("  %-64s %8s %7s %7s %6s %6s %8s %8s\n", "run", "N/U_N",
                                        "epochs", "tok/N", "steps", "warmup", "val_tok",
                                        "val_se"));
  for (const auto& r : card.runs()) {
    const std::string se = r.val_se_calibrated() ? absl::StrFormat("%.4f", r.expected_val_se())
                                                 : std::string("unknown");
    absl::StrAppend(&out, absl::StrFormat("  %-64s %8.2f %7.3g %7.1f %6d %6d %8d %8s\n",
                                          r.run(), r.params_over_unique_params(),
                                          r.epochs(), r.tokens_per_param(), r.steps(),
                                          r.warmup_steps(), r.eval_tokens(), se));
  }
  absl::StrAppend(&out, "  ranges: ", CardBrief(card), "\n");
  if (!card.val_se_calibrated()) {
    absl::StrAppend(&out,
                    "  val_se: unknown (not calibrated) where no per-sequence standard deviation "
                    "is measured at the run's seq_len (calibration: ",
                    card.val_se_calibration(), ")\n");
  }
  if (card.budget_over_paper() > 0) {
    absl::StrAppend(&out, absl::StrFormat("  budget: %.6g of the paper scale's\n",
                                          card.budget_over_paper()));
  }
  if (card.budget_seconds() > 0) {
    std::string workers =
        card.workers() == 1 ? "on one worker" : absl::StrCat("with ", card.workers(), " workers");
    if (card.concurrency_speedup() > 0 && card.workers() > 1) {
      workers = absl::StrCat(
          card.workers(), " runs sharing one GPU (",
          card.concurrency_calibrated()
              ? absl::StrFormat("measured aggregate speedup %.2fx", card.concurrency_speedup())
              : std::string("no concurrency calibration for this many: assumes no gain"),
          ")");
    }
    absl::StrAppend(&out, "  time: estimated ", Minutes(card.estimated_seconds()), " ", workers,
                    " (budget ", Minutes(card.budget_seconds()), ")\n");
  }
  if (!card.gpu_scale_only().empty()) {
    absl::StrAppend(&out, "  gpu scale only: ", card.gpu_scale_only(), "\n");
  }
  if (!card.over_time_budget().empty()) {
    absl::StrAppend(&out, "  over the time budget: ", card.over_time_budget(), "\n");
  }
  if (!card.rules_applied() && card.violations().empty()) {
    absl::StrAppend(&out,
                    "  rules: not applied at this scale (only cpu and gpu scales are held to "
                    "them)\n");
  } else if (card.violations().empty() &&
             (!card.gpu_scale_only().empty() || !card.over_time_budget().empty())) {
    absl::StrAppend(&out, "  in regime: every rule holds but the time budget (marked above)\n");
  } else if (card.violations().empty()) {
    absl::StrAppend(&out, "  in regime: every rule holds\n");
  } else {
    for (const auto& v : card.violations()) {
      absl::StrAppend(&out, "  outside the regime: ", v, "\n");
    }
  }
  return out;
}

}  // namespace datawall::plan
