// Section "Beyond repetition" (paper §7): what to do instead of repeating when unique data runs
// out — fill with code, filter by perplexity, deduplicate — at our scales, from the summaries the
// experiments section made (inputs->measured): Table 12's analogue (the filtered pools' sizes),
// Tables 13 and 14's (each filter arm's losses against the unfiltered data, seed noise beside),
// each filter's loss per validation source, Figure 6's (the four strategies at the same model and
// compute), and §7's claims checked.
// The paper's numbers (downstream averages) stand beside ours (losses): the comparison is of
// direction and size, not of values. Not here: summarising runs (experiments/analysis).
#include <algorithm>
#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "experiments/analysis/shift_ablation.h"
#include "paper/paper.h"
#include "reports/claims.h"
#include "reports/format.h"
#include "reports/sections.h"

namespace datawall::reports {
namespace {

using experiments::ExperimentSummary;
using experiments::FilterArmResult;
using experiments::FilterComparison;
using experiments::SeedMean;
using Measured = ReportInputs::MeasuredExperiment;

bool IsPerplexityArm(const std::string& f) { return absl::StartsWith(f, "top") || absl::StartsWith(f, "mid"); }
bool IsDedupArm(const std::string& f) { return absl::StartsWith(f, "dedup"); }
constexpr char kPerplexitySeries[] = "perplexity filter (top 25%, top 50%, 25-75%)";
constexpr char kDedupSeries[] = "deduplicate (documents, spans)";

// The sample sd over seeds (0 for one seed).
double Sd(const SeedMean& m) { return m.standard_error() * std::sqrt(static_cast<double>(m.n())); }

std::string Loss(const SeedMean& m) {
  if (m.n() == 0) return "–";
  if (m.n() == 1) return Fixed(m.mean(), 4);
  return absl::StrFormat("%.4f ± %.4f (n = %d)", m.mean(), Sd(m), m.n());
}

// "−6.67% ±0.26%", or "–" when not measured; "(ref)" for the unfiltered arm.
std::string Change(const FilterArmResult& a, const SeedMean& m, double change, double allowed) {
  if (m.n() == 0) return "–";
  if (a.filter() == "all") return "(reference)";
  std::string s = absl::StrFormat("%+.2f%% (noise ±%.2f%%)", 100 * change, 100 * allowed);
  if (allowed > 0 && std::fabs(change) > allowed) s = "**" + s + "**";
  return s;
}

// The paper's row for our filter `ours` in Table 13 or 14 (C4), as "avg (Δ vs All)" at 4.2B and
// 2.8B; "–" where the paper has none.
std::string PaperCell(const paper::FilterResultRow* rows, size_t n, const std::string& ours,
                      const char* params) {
  double all = paper::kNaN;
  for (size_t i = 0; i < n; ++i) {
    if (std::string(rows[i].base) == "C4" && std::string(rows[i].params) == params &&
        std::string(rows[i].ours) == "all") {
      all = rows[i].average;
    }
  }
  for (size_t i = 0; i < n; ++i) {
    const paper::FilterResultRow& r = rows[i];
    if (std::string(r.base) != "C4" || std::string(r.params) != params || ours != r.ours) continue;
    if (ours == "all") return absl::StrFormat("%.1f ± %.1f", r.average, r.average_std);
    return absl::StrFormat("%.1f (%+.1f)", r.average, r.average - all);
  }
  return "–";
}

void Table12(Document* doc, const std::vector<const Measured*>& filters, const std::string& scale) {
  Table t;
  t.id = "table12-" + scale;
  t.caption = absl::StrFormat(
      "Table 12 analogue: the filtered pools (whole documents; tokens of our %s-scale tokenizer) "
      "beside the paper's C4 sets, whose filtering starts from ~%s tokens",
      scale, Count(paper::kSection7C4Tokens));
  t.header = {"experiment", "filter", "documents", "tokens", "share of the pool", "paper: C4 tokens",
              "paper: share"};
  t.align = {Align::kLeft, Align::kLeft, Align::kRight, Align::kRight, Align::kRight, Align::kRight,
             Align::kRight};
  for (const Measured* m : filters) {
    for (const FilterArmResult& a : m->summary.filters().arms()) {
      std::string paper_tokens = "–", paper_share = "–";
      if (a.filter() == "all") {
        paper_tokens = Count(paper::kSection7C4Tokens);
        paper_share = "100%";
      }
      for (const paper::Table12Row& r : paper::kTable12) {
        if (std::string(r.base) == "C4" && a.filter() == r.ours) {
          paper_tokens = Count(r.tokens);
          paper_share = Percent(r.tokens / paper::kSection7C4Tokens, 0);
        }
      }
      t.rows.push_back({m->summary.experiment(), a.filter(), absl::StrCat(a.documents()),
                        Count(static_cast<double>(a.pool_tokens())), Percent(a.pool_share(), 1), paper_tokens,
                        paper_share});
    }
  }
  t.note = "Pools and their provenance: pools.textproto in each results directory (written by "
           "//experiments/quality:build_pools). dedup_span (duplicated spans cut out, the rest kept) "
           "has no row in the paper, which removed whole documents.";
  doc->AddTable(t);
}

void ArmsTable(Document* doc, const Measured& m) {
  const FilterComparison& f = m.summary.filters();
  bool perplexity = false;
  for (const auto& a : f.arms()) perplexity |= IsPerplexityArm(a.filter());
  const paper::FilterResultRow* rows = perplexity ? paper::kTable13 : paper::kTable14;
  const size_t n = perplexity ? std::size(paper::kTable13) : std::size(paper::kTable14);
  Table t;
  t.id = absl::StrCat(perplexity ? "table13-" : "table14-", m.summary.scale());
  t.caption = absl::StrCat(
      perplexity ? "Table 13 analogue (perplexity filtering)" : "Table 14 analogue (deduplication)",
      ": the same model and D on each filtered pool, repeated to D; loss in nats per token over "
      "whole validation documents and over the high-quality subset (lower is better), against the "
      "unfiltered arm; the paper's 19-task downstream average (higher is better) beside");
  t.header = {"filter", "unique U", "epochs", "whole validation", "change",
              "high-quality subset", "change", "paper C4 4.2B (Δ)", "paper C4 2.8B (Δ)"};
  t.align = {Align::kLeft,  Align::kRight, Align::kRight, Align::kRight, Align::kRight,
             Align::kRight, Align::kRight, Align::kRight, Align::kRight};
  for (const FilterArmResult& a : f.arms()) {
    t.rows.push_back({a.filter(), Count(static_cast<double>(a.unique_tokens())), Fixed(a.epochs(), 2),
                      Loss(a.full_loss()), Change(a, a.full_loss(), a.full_change(), a.full_allowed()),
                      Loss(a.quality_loss()),
                      Change(a, a.quality_loss(), a.quality_change(), a.quality_allowed()),
                      PaperCell(rows, n, a.filter(), "4.2B"), PaperCell(rows, n, a.filter(), "2.8B")});
  }
  t.note = absl::StrFormat(
      "Results: `%s`. Percentiles are of documents. Validation: %s tokens of whole documents; high-quality subset: %s tokens (%s), the "
      "stand-in for the paper's downstream tasks. Seed sd of one run: %.4f (whole), %.4f "
      "(high-quality); noise = 2 sd sqrt(1/n + 1/n_all), relative; bold: beyond it.%s",
      m.dir, Count(static_cast<double>(f.validation_tokens())),
      Count(static_cast<double>(f.quality_validation_tokens())), absl::StrJoin(f.quality_sources(), ", "),
      f.full_seed_sd(), f.quality_seed_sd(),
      f.reference_run().empty()
          ? ""
          : absl::StrCat(" Perplexity scorer: a GPT trained on ",
                         Count(static_cast<double>(f.reference_tokens())),
                         " tokens held out of the pool (", f.reference_run(), ")."));
  doc->AddTable(t);
}

// Which validation sources a filter helps and hurts: per source, the unfiltered arm's loss and
// each filtered arm's change against it.
void SourcesTable(Document* doc, const Measured& m) {
  const FilterComparison& f = m.summary.filters();
  if (f.arms().empty() || f.arms(0).filter() != "all" || f.arms(0).sources().empty()) return;
  const FilterArmResult& all = f.arms(0);
  std::vector<const experiments::FilterSourceLoss*> sources;
  for (const auto& src : all.sources()) sources.push_back(&src);
  std::stable_sort(sources.begin(), sources.end(),
                   [](const auto* a, const auto* b) { return a->tokens() > b->tokens(); });
  Table t;
  t.id = absl::StrCat("sources-", m.summary.experiment(), "-", m.summary.scale());
  t.caption = absl::StrCat(m.summary.experiment(),
                           ": loss per validation source (whole documents), each filtered arm "
                           "against the unfiltered one; * marks the high-quality subset's sources");
  t.header = {"source", "documents", "tokens", "all"};
  t.align = {Align::kLeft, Align::kRight, Align::kRight, Align::kRight};
  for (int i = 1; i < f.arms_size(); ++i) {
    t.header.push_back(f.arms(i).filter());
    t.align.push_back(Align::kRight);
  }
  for (const auto* src : sources) {
    const bool quality = std::find(f.quality_sources().begin(), f.quality_sources().end(), src->src()) !=
                         f.quality_sources().end();
    std::vector<std::string> row = {quality ? src->src() + " *" : src->src(), absl::StrCat(src->documents()),
                                    Count(static_cast<double>(src->tokens())), Loss(src->loss())};
    for (int i = 1; i < f.arms_size(); ++i) {
      std::string cell = "–";
      for (const auto& s : f.arms(i).sources()) {
        if (s.src() != src->src() || s.loss().n() == 0) continue;
        cell = absl::StrFormat("%+.1f%%", 100 * s.change());
        if (s.allowed() > 0 && std::fabs(s.change()) > s.allowed()) cell = "**" + cell + "**";
      }
      row.push_back(cell);
    }
    t.rows.push_back(row);
  }
  t.note = "Change: the arm's loss on the source over the unfiltered arm's, minus 1 (mean over seeds); bold: "
           "beyond 2 x that source's seed noise. Sources with few validation tokens are noisy.";
  doc->AddTable(t);
}

struct Point {
  double budget;  // unique natural-language tokens / D, in %
  double change;  // final_val_loss / the strategy's 100% baseline - 1, in %
};

// Figure 6 analogue: the four strategies at one model and D.
void Figure6(ReportInputs* inputs, Document* doc, const Measured* code, const std::vector<const Measured*>& filters,
             const std::string& scale) {
  std::map<std::string, std::vector<Point>> series;  // strategy -> points
  std::vector<std::string> notes;
  int64_t d = 0, params = 0;
  for (const Measured* m : filters) {
    const FilterComparison& f = m->summary.filters();
    if (m->summary.runs_size() > 0) {
      d = m->summary.runs(0).total_tokens();
      params = m->summary.runs(0).params();
    }
    for (const FilterArmResult& a : f.arms()) {
      if (a.final_loss().n() == 0) continue;
      const double budget = 100.0 * std::min<double>(a.unique_tokens(), static_cast<double>(d)) / d;
      if (a.filter() == "all") {  // each filter's own 100% point
        bool perplexity = false, dedup = false;
        for (const FilterArmResult& b : f.arms()) {
          perplexity |= IsPerplexityArm(b.filter());
          dedup |= IsDedupArm(b.filter());
        }
        if (perplexity) series[kPerplexitySeries].push_back({100, 0});
        if (dedup) series[kDedupSeries].push_back({100, 0});
        continue;
      }
      const std::string name = IsPerplexityArm(a.filter()) ? kPerplexitySeries
                               : IsDedupArm(a.filter())      ? kDedupSeries
                                                             : a.filter();
      series[name].push_back({budget, 100 * a.final_change()});
    }
    if (f.final_seed_sd() > 0 && !f.arms().empty() && f.arms(0).final_loss().mean() > 0) {
      notes.push_back(absl::StrFormat("%s: seed sd %.2f%%", m->summary.experiment(),
                                      100 * f.final_seed_sd() / f.arms(0).final_loss().mean()));
    }
  }
  bool code_comparable = false;
  if (code != nullptr) {
    std::vector<double> base;
    for (const auto& r : code->summary.runs()) {
      if (r.complete() && !r.repeat_arm() && r.code_fraction() == 0) base.push_back(r.final_val_loss());
    }
    code_comparable = !base.empty() && code->summary.runs_size() > 0 &&
                      (d == 0 || (code->summary.runs(0).total_tokens() == d && code->summary.runs(0).params() == params));
    if (code_comparable) {
      const SeedMean baseline = analysis::MeanOverSeeds(base);
      const double b = baseline.mean();
      if (baseline.n() > 1) {
        notes.push_back(absl::StrFormat("%s at 0%% code: seed sd %.2f%%", code->summary.experiment(),
                                        100 * Sd(baseline) / b));
      }
      std::map<double, std::vector<double>> by_code, by_repeat;  // budget % -> losses
      for (const auto& r : code->summary.runs()) {
        if (!r.complete()) continue;
        if (r.repeat_arm()) {
          by_repeat[100.0 * r.unique_tokens() / r.total_tokens()].push_back(r.final_val_loss());
        } else {
          by_code[100 * (1 - r.code_fraction())].push_back(r.final_val_loss());
        }
      }
      by_repeat[100].push_back(b);
      for (auto& [name, by] : {std::pair{"fill with code (natural language = budget)", &by_code},
                               std::pair{"repeat the natural language", &by_repeat}}) {
        for (const auto& [budget, losses] : *by) {
          series[name].push_back({budget, 100 * (analysis::MeanOverSeeds(losses).mean() / b - 1)});
        }
      }
    }
  }
  if (series.empty()) return;
  Plot p;
  p.title = absl::StrCat("Figure 6 analogue (", scale, " scale)");
  p.x_label = "unique natural-language data, % of the training tokens D";
  p.y_label = "final validation loss vs 100% unique (%)";
  p.key = "outside right top vertical";
  p.width = 940;
  int color = 0;
  for (auto& [name, points] : series) {
    std::sort(points.begin(), points.end(), [](const Point& a, const Point& b) { return a.budget > b.budget; });
    Series s;
    s.title = name;
    s.style = Series::kLinesPoints;
    s.color = Palette()[color++ % Palette().size()];
    for (const Point& pt : points) {
      s.x.push_back(pt.budget);
      s.y.push_back(pt.change);
    }
    p.series.push_back(s);
  }
  AddPlot(inputs, doc, "figure6-" + scale, p,
          absl::StrCat(
              "Paper Figure 6 at our scale: one model (", Count(static_cast<double>(params)), " params) and D = ",
              Count(static_cast<double>(d)),
              " tokens; each strategy's final validation loss (the trainer's, on the same validation tokens) "
              "relative to its own run on 100% unique data. Repeat: U = budget x D repeated to D; fill with "
              "code: the rest of D is Python; filters: the filtered pool repeated to D (a pool larger than D "
              "is drawn once, at 100%). ",
              code_comparable ? "" : "No complementary_code results at this model and D: code and repeat not drawn. ",
              notes.empty() ? "" : "Noise: " + absl::StrJoin(notes, "; ") + ". ",
              "The paper (4.2B params, 84B tokens, 19-task average): repeating and filling with up to 50% code "
              "are about as good as unique data, perplexity filtering beats it, deduplication does not."));
}

}  // namespace

void AddBeyondSection(ReportInputs* inputs, Document* doc) {
  doc->Heading(2, "Beyond repetition: code, perplexity filtering, deduplication (paper §7)", "section7");
  doc->Paragraph(
      "When unique data runs out, the paper compares four ways to fill a fixed compute budget (4.2B "
      "parameters, 84B tokens): repeat the data, fill the rest with Python code, or train on a "
      "filtered subset — perplexity-filtered (a KenLM model of Wikipedia keeps the documents it finds "
      "most likely) or deduplicated (no document sharing a 100-character span with another) — "
      "repeated to the budget. Its measure is the average over 19 downstream tasks; ours is the loss on "
      "whole validation documents, over all of them and over a high-quality subset of edited prose "
      "(the stand-in for those tasks, fixed in the spec before any run). Our filters: a small GPT "
      "trained on held-out Brown documents scores perplexity; deduplication uses a suffix array over "
      "the whole corpus.");
  std::map<std::string, std::pair<const Measured*, std::vector<const Measured*>>> by_scale;
  for (const Measured& m : inputs->measured) {
    if (m.summary.kind() == "code_mixing") by_scale[m.summary.scale()].first = &m;
    if (m.summary.kind() == "data_filtering" && !m.summary.filters().arms().empty()) {
      by_scale[m.summary.scale()].second.push_back(&m);
    }
  }
  bool any = false;
  for (const auto& [scale, parts] : by_scale) any |= !parts.second.empty();
  if (!any) {
    doc->Note("No filter experiment results are committed (experiments/results/<scale>/filter_perplexity, "
              "filter_dedup, with their pools.textproto and per-run validation_sources.json): run "
              "`bazel run -c opt //experiments:filter_perplexity -- --scale=cpu` (and filter_dedup).");
    return;
  }
  for (const auto& [scale, parts] : by_scale) {
    const auto& [code, filters] = parts;
    if (filters.empty()) continue;
    doc->Heading(3, absl::StrCat("At ", scale, " scale"), "section7-" + scale);
    Table12(doc, filters, scale);
    for (const Measured* m : filters) {
      ArmsTable(doc, *m);
      SourcesTable(doc, *m);
    }
    Figure6(inputs, doc, code, filters, scale);
    std::vector<const Measured*> all = filters;
    if (code != nullptr) all.insert(all.begin(), code);
    std::vector<std::pair<std::string, ClaimCheck>> claims;
    for (const Measured* m : all) {
      for (const ClaimCheck& c : m->claims) {
        if (absl::StartsWith(c.claim, "§7")) claims.emplace_back(m->summary.experiment(), c);
      }
    }
    if (!claims.empty()) {
      doc->AddTable(ClaimsTable("section7-claims-" + scale,
                                "§7's claims at this scale (also in the claims table of the experiments section)",
                                claims));
    }
  }
}

}  // namespace datawall::reports
