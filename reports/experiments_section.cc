// Section "Our experiments": our own measured runs (experiments/results/<scale>/<experiment>/
// runs.csv, summarised by experiments/analysis/summary.h) beside the law's predictions, and the
// paper's claims checked one by one (claims.h). When nothing is committed, the section says so.
// Not here: training or running sweeps (experiments/), fitting (laws/).
#include <algorithm>
#include <filesystem>
#include <map>
#include <optional>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "paper/paper.h"
#include "absl/strings/str_join.h"
#include "experiments/analysis/summary.h"
#include "experiments/plan/expand.h"
#include "experiments/plan/similarity.h"
#include "experiments/records/filter_files.h"
#include "experiments/records/records.h"
#include "reports/claims.h"
#include "reports/experiment_specs.h"
#include "reports/format.h"
#include "reports/sections.h"
#include "tools/paths/paths.h"

namespace datawall::reports {
namespace {

using experiments::ExperimentSummary;

std::string Loss(double v, bool known) { return known ? Fixed(v, 4) : "–"; }

// The similarity card of this scale beside the paper scale's (experiments/plan/similarity.h).
void RenderCard(Document* doc, const LoadedSpec& loaded, const std::string& scale,
                const std::string& id) {
  absl::StatusOr<experiments::SweepPlan> ours = plan::Expand(loaded.spec, scale);
  absl::StatusOr<experiments::SweepPlan> paper = plan::Expand(loaded.spec, "paper");
  if (!ours.ok()) return;
  const experiments::SimilarityCard a = plan::Card(loaded.spec, *ours);
  Table t;
  t.id = "card-" + id;
  t.caption = absl::StrFormat(
      "Similarity card: the paper's regime in dimensionless terms (U_N = %g U_D, Eq. 17)",
      paper::kEq17ParamsPerUniqueToken);
  t.header = {"", "N / U_N", "epochs", "tokens / param", "min steps", "validation tokens"};
  t.align = {Align::kLeft, Align::kRight, Align::kRight, Align::kRight, Align::kRight,
             Align::kRight};
  auto row = [](const std::string& name, const experiments::SimilarityCard& c) {
    return std::vector<std::string>{
        name,
        absl::StrFormat("%.2f-%.2f", c.min_params_over_unique_params(),
                        c.max_params_over_unique_params()),
        absl::StrFormat("%.3g-%.3g", c.min_epochs(), c.max_epochs()),
        absl::StrFormat("%.1f-%.1f", c.min_tokens_per_param(), c.max_tokens_per_param()),
        Count(static_cast<double>(c.min_steps())),
        c.min_eval_tokens() > 0 ? Count(static_cast<double>(c.min_eval_tokens())) : "–"};
  };
  t.rows.push_back(row("ours (" + scale + ")", a));
  if (paper.ok() && paper->runs_size() > 0) {
    t.rows.push_back(row("paper", plan::Card(loaded.spec, *paper)));
  }
  t.note = a.violations().empty()
               ? "In regime: every rule of experiments/plan/similarity.h holds at this scale."
               : "Outside the regime: " + absl::StrJoin(a.violations(), "; ") + ".";
  doc->AddTable(t);
}

void RenderSummary(ReportInputs* inputs, Document* doc, const LoadedSpec& loaded,
                   const ExperimentSummary& s, const std::string& dir) {
  const std::string id = Slug(absl::StrCat(s.experiment(), "-", s.scale()));
  doc->Heading(3, absl::StrCat(s.experiment(), " (", s.scale(), " scale): ", s.complete(), " of ",
                               s.planned(), " runs complete"),
               id);
  doc->Paragraph(absl::StrCat(loaded.spec.description(), " Results: `", dir, "`."));
  RenderCard(doc, loaded, s.scale(), id);

  Table runs;
  runs.caption = "Runs: measured final validation loss beside the laws";
  const bool code = s.kind() == "code_mixing";
  const bool filtering = s.kind() == "data_filtering";
  runs.header = {"run", "params", "tokens D", "unique U",
                 code ? "code %" : filtering ? "filter (epochs)" : "epochs", "seed",
                 "measured loss", "paper's law", "law fitted here"};
  runs.align = {Align::kLeft,  Align::kRight, Align::kRight, Align::kRight, Align::kRight,
                Align::kRight, Align::kRight, Align::kRight, Align::kRight};
  const bool fitted = s.fit().status() == "fitted";
  for (const auto& r : s.runs()) {
    runs.rows.push_back({r.name(), Count(static_cast<double>(r.params())),
                         Count(static_cast<double>(r.total_tokens())),
                         Count(static_cast<double>(r.unique_tokens())),
                         code        ? (r.repeat_arm()
                                                ? absl::StrFormat("0 (repeat arm, %.3g ep)", r.epochs())
                                                : Fixed(100 * r.code_fraction(), 0))
                         : filtering ? absl::StrFormat("%s (%.2f)", r.filter(), r.epochs())
                                     : Fixed(r.epochs(), 2),
                         std::to_string(r.seed()), Loss(r.final_val_loss(), r.complete()),
                         Fixed(r.paper_law_loss(), 4), Loss(r.fitted_law_loss(), fitted)});
  }
  runs.note = "The paper's law is a scale reference only: its constants were fitted to runs "
              "thousands of times larger, with another tokenizer and corpus.";
  doc->AddTable(runs);

  if (fitted) {
    Table fit;
    fit.caption = absl::StrFormat("The data-constrained law fitted to these runs (%d runs, R² "
                                  "%.4f, %d bootstrap resamples)",
                                  s.fit().n_runs(), s.fit().r2(), s.fit().bootstrap_resamples());
    fit.header = {"coefficient", "fitted here [95% CI]", "paper", "held fixed?"};
    fit.align = {Align::kLeft, Align::kRight, Align::kRight, Align::kCenter};
    for (const auto& c : s.fit().coefficients()) {
      fit.rows.push_back({c.name(),
                          c.fixed() ? Fixed(c.value(), 4)
                                    : absl::StrFormat("%.4g [%.4g, %.4g]", c.value(), c.lower(),
                                                      c.upper()),
                          Fixed(c.paper_value(), 4), c.fixed() ? "yes" : "no"});
    }
    fit.note = s.fit().method();
    doc->AddTable(fit);
  } else {
    doc->Paragraph(absl::StrCat("No law fitted to these runs: ", s.fit().status(), "."));
  }

  if (!s.code_vs_repeat().empty()) {
    // Figure 6's comparison: the same natural-language budget, filled with code or repeated.
    Table cmp;
    cmp.id = "code-vs-repeat-" + id;
    cmp.caption = "Fill with code vs repeat natural language (paper §7, Figure 6): with the same "
                  "natural-language unique budget U = (1 − f) D, the rest of D is Python code "
                  "(\"fill with code\") or the natural language is repeated to D (\"repeat NL\", "
                  "1 / (1 − f) epochs); natural-language validation loss, mean ± sd over seeds";
    cmp.header = {"code fraction f", "NL unique U", "repeat epochs", "fill with code",
                  "repeat NL", "code vs repeat", "allowed", "verdict"};
    cmp.align = {Align::kRight, Align::kRight, Align::kRight, Align::kRight,
                 Align::kRight, Align::kRight, Align::kRight, Align::kLeft};
    auto cell = [](double loss, double sd, int n) {
      if (n == 0) return std::string("–");
      return n > 1 ? absl::StrFormat("%.4f ± %.4f (n = %d)", loss, sd, n)
                   : absl::StrFormat("%.4f (n = 1)", loss);
    };
    for (const auto& c : s.code_vs_repeat()) {
      const bool both = c.code_n() > 0 && c.repeat_n() > 0;
      cmp.rows.push_back({absl::StrFormat("%g%%", 100 * c.code_fraction()),
                          Count(static_cast<double>(c.unique_nl_tokens())),
                          absl::StrFormat("%.3g", c.repeat_epochs()),
                          cell(c.code_loss(), c.code_std(), c.code_n()),
                          cell(c.repeat_loss(), c.repeat_std(), c.repeat_n()),
                          both ? absl::StrFormat("%+.2f%%", 100 * c.relative_change()) : "–",
                          both ? absl::StrFormat("±%.2f%%", 100 * c.allowed()) : "–",
                          c.verdict()});
    }
    cmp.note = absl::StrCat("Claim check: ", s.code_repeat_claim().statement(), ".");
    doc->AddTable(cmp);
  }

  // Figure: measured loss vs epochs (or code fraction) with the laws at the same points.
  Plot p;
  p.title = absl::StrCat(s.experiment(), " (", s.scale(), ")");
  p.x_label = code ? "code fraction of the training tokens (%)" : "epochs (D / U; log scale)";
  p.y_label = "final validation loss (nats/token)";
  p.log_x = !code;
  p.key = "outside right top vertical";
  p.width = 940;
  std::map<int, Series> measured, law;
  Series repeat;  // CODE_MIXING repeat arm, drawn at the code fraction whose NL budget it repeats
  repeat.style = Series::kPoints;
  repeat.color = Palette()[1 % Palette().size()];
  repeat.title = "repeat NL instead (U = (1 − f) D)";
  for (const auto& r : s.runs()) {
    if (r.repeat_arm()) {
      if (r.complete()) {
        repeat.x.push_back(100 * r.repeat_of_code_fraction());
        repeat.y.push_back(r.final_val_loss());
      }
      continue;
    }
    const double x = code ? 100 * r.code_fraction() : r.epochs();
    const int group = r.shape_index();
    Series& m = measured[group];
    m.style = Series::kPoints;
    m.color = Palette()[group % Palette().size()];
    m.title = absl::StrCat("measured, ", Count(static_cast<double>(r.params())), " params");
    if (r.complete()) {
      m.x.push_back(x);
      m.y.push_back(r.final_val_loss());
    }
    if (fitted) {
      const bool first_group = law.empty();
      const bool created = law.find(group) == law.end();
      Series& l = law[group];
      l.style = Series::kDashed;
      l.color = m.color;
      if (created) l.title = first_group ? "law fitted here (dashed, one per model)" : "";
      l.x.push_back(x);
      l.y.push_back(r.fitted_law_loss());
    }
  }
  for (auto& [group, series] : measured) {
    if (!series.x.empty()) p.series.push_back(series);
    auto it = law.find(group);
    if (it != law.end()) {
      // Sort the law's points by x so the dashed line reads left to right.
      std::vector<std::pair<double, double>> xy;
      for (size_t i = 0; i < it->second.x.size(); ++i) xy.emplace_back(it->second.x[i], it->second.y[i]);
      std::sort(xy.begin(), xy.end());
      it->second.x.clear();
      it->second.y.clear();
      for (const auto& [x, y] : xy) {
        it->second.x.push_back(x);
        it->second.y.push_back(y);
      }
      p.series.push_back(it->second);
    }
  }
  if (!repeat.x.empty()) {
    if (!p.series.empty()) p.series.front().title = "fill with code (measured)";
    p.series.push_back(repeat);
    p.x_label = "code fraction f (%); the repeat arm at the f whose budget U = (1 − f) D it repeats";
  }
  if (filtering && s.complete() > 0) {
    doc->Paragraph("The filter arms against the unfiltered data, and Figure 6's four strategies: "
                   "see the section Beyond repetition (paper §7) below.");
  } else if (s.complete() > 0) {
    AddPlot(inputs, doc, "exp-" + id, p,
            "Our measured final validation losses (points) and, when there are enough runs, the "
            "data-constrained law fitted to them (dashed).");
  }
  if (!s.shift_ablation().at().empty()) {
    const auto& a = s.shift_ablation();
    Table t;
    t.id = "shift-" + id;
    t.caption = absl::StrFormat(
        "Repetition vs distribution shift: cost of e epochs at equal compute, L(e) / L(1) - 1 "
        "paired by seed (%.0f%% Student-t intervals over seeds; share: exact seed bootstrap). "
        "Budget source_tv at 1 epoch: whole documents %.3f, representative %.3f; standard error "
        "of one validation loss %.4f nats",
        100 * a.confidence(), a.documents_source_tv_1(), a.representative_source_tv_1(),
        a.mean_validation_se());
    t.header = {"epochs", "whole-document budgets", "representative budgets", "difference",
                "share removed", "source_tv (docs / repr)"};
    t.align = {Align::kRight, Align::kRight, Align::kRight, Align::kRight, Align::kRight,
               Align::kRight};
    auto cell = [](const experiments::SeedMean& m) {
      return absl::StrFormat("%+.2f%% [%+.2f, %+.2f]", 100 * m.mean(), 100 * m.lower(),
                             100 * m.upper());
    };
    for (const auto& at : a.at()) {
      t.rows.push_back(
          {Fixed(at.epochs(), 0), cell(at.documents_cost()), cell(at.representative_cost()),
           cell(at.difference()),
           at.shift_share_defined()
               ? absl::StrFormat("%.0f%% [%.0f, %.0f]", 100 * at.shift_share(),
                                 100 * at.shift_share_lower(), 100 * at.shift_share_upper())
               : "undefined",
           absl::StrFormat("%.3f / %.3f", at.documents_source_tv(),
                           at.representative_source_tv())});
    }
    doc->AddTable(t);
  }
  if (!s.notes().empty()) {
    doc->List(std::vector<std::string>(s.notes().begin(), s.notes().end()));
  }
}

}  // namespace

void AddExperimentsSection(ReportInputs* inputs, Document* doc) {
  doc->Heading(2, "Our measured experiments", "experiments");
  const std::string root = paths::WorkspaceRoot();
  const std::string dir = inputs->options.results_dir.empty() ? root + "/experiments/results"
                                                              : inputs->options.results_dir;
  const std::vector<LoadedSpec> specs = LoadExperimentSpecs(root + "/experiments/specs");
  std::vector<std::pair<std::string, ClaimCheck>> claims;  // (experiment @ scale, claim)
  int found = 0;
  std::error_code ec;
  for (const char* scale : plan::kScaleNames) {
    for (const LoadedSpec& loaded : specs) {
      const std::string run_dir = absl::StrCat(dir, "/", scale, "/", loaded.spec.name());
      if (!std::filesystem::is_directory(run_dir, ec)) continue;
      // DATA_FILTERING: the arms as the pool builder measured them (the committed manifest).
      LoadedSpec applied = loaded;
      if (loaded.spec.kind() == experiments::DATA_FILTERING) {
        const absl::StatusOr<experiments::BuiltPools> pools =
            records::ReadBuiltPools(absl::StrCat(run_dir, "/", records::kPoolsFile));
        if (!pools.ok() && !absl::IsNotFound(pools.status())) {
          doc->Note(std::string(pools.status().message()));
          continue;
        }
        if (pools.ok()) {
          if (absl::Status st = plan::ApplyBuiltPools(*pools, scale, &applied.spec); !st.ok()) {
            doc->Note(absl::StrCat(run_dir, "/", records::kPoolsFile, ": ", st.message()));
            continue;
          }
        }
      }
      absl::StatusOr<experiments::SweepPlan> plan = plan::Expand(applied.spec, scale);
      if (!plan.ok()) continue;  // the spec has no such scale (or its pools were never built)
      // runs.csv: written by the sweep CLI (experiments/records/records.h); none = no results.
      const absl::StatusOr<std::vector<records::RunRow>> rows =
          records::ReadRunsCsv(absl::StrCat(run_dir, "/", records::kRunsCsvFile));
      if (!rows.ok()) {
        if (!absl::IsNotFound(rows.status())) doc->Note(std::string(rows.status().message()));
        continue;
      }
      int present = 0;
      for (const auto& r : *rows) present += r.started;
      if (present == 0) continue;
      analysis::SummaryOptions so;
      so.bootstrap_resamples = inputs->options.bootstrap_resamples;
      so.bootstrap_seed = inputs->options.seed;
      so.threads = inputs->options.threads;
      std::optional<records::FilterEvidence> evidence;
      if (loaded.spec.kind() == experiments::DATA_FILTERING) {
        absl::StatusOr<records::FilterEvidence> e = records::LoadFilterEvidence(*plan, run_dir);
        if (e.ok()) {
          evidence = *std::move(e);
          so.filter_evidence = &*evidence;
        } else {
          doc->Note(std::string(e.status().message()));
        }
      }
      const ExperimentSummary summary = analysis::Summarize(applied.spec, *plan, *rows, so);
      if (found == 0) {
        doc->Paragraph(absl::StrCat(
            "Runs trained by this project (experiments/, `bazel run //experiments:<name> -- "
            "--scale=...`) and found under `", dir,
            "` (each experiment's runs.csv), summarised by experiments/analysis/summary.h. Our scales are "
            "tiny next to the paper's, so absolute losses are not comparable with the paper's "
            "law; the claims below are about shapes: how loss changes with epochs, parameters "
            "and code at fixed compute."));
      }
      ++found;
      RenderSummary(inputs, doc, applied, summary, run_dir);
      inputs->measured.push_back({run_dir, summary, CheckClaims(summary)});
      for (const ClaimCheck& c : inputs->measured.back().claims) {
        claims.emplace_back(absl::StrCat(summary.experiment(), " (", summary.scale(), ")"), c);
      }
    }
  }
  if (found == 0) {
    doc->Note(absl::StrCat("No experiment results are committed yet (`", dir,
                           "` has no run records of any experiment in experiments/specs), so "
                           "none of the paper's claims is checked against our own runs in this "
                           "report. Every number above comes from the paper's released runs and "
                           "our fits and simulations of them."));
    doc->Paragraph(
        "The claims to check, once results are in (paper §5–7): (1) up to ~4 epochs, repeated "
        "data is almost as good as unique data; (2) by ~40 epochs repetition is close to "
        "worthless, and the law underestimates those losses; (3) extra epochs on the same model "
        "still lower the loss; (4) excess parameters decay faster than excess epochs "
        "(R_N* < R_D*); (5) filling up to half the data with code does not hurt.");
    return;
  }
  doc->Heading(3, "The paper's claims at our scale", "claims");
  doc->AddTable(ClaimsTable("claims", "Each claim, the numbers it rests on, the rule applied, and the verdict",
                            claims));
}

}  // namespace datawall::reports
