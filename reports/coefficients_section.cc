// Section "Coefficients": the law's constants (App. A, App. B) beside our refit, the derived
// constants (A, B, E, G, U_N / U_D), and what the decay constants mean for the value of a
// repeated token or an excess parameter (sim/returns.h). Not here: fitting (Table 1 section).
#include <cmath>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "laws/allocation.h"
#include "laws/bootstrap.h"
#include "paper/paper.h"
#include "reports/format.h"
#include "reports/sections.h"
#include "sim/returns.h"

namespace datawall::reports {
namespace {

// "value [lo, hi]" from the bootstrap samples of a derived quantity.
std::string WithCi(double estimate, const std::vector<laws::Law>& samples,
                   double (*of)(const laws::Law&), int decimals) {
  if (!std::isfinite(estimate)) return "–";
  std::string s = Fixed(estimate, decimals);
  if (samples.size() >= 10) {
    std::vector<double> v;
    for (const laws::Law& l : samples) v.push_back(of(l));
    s += " [" + Fixed(laws::Percentile(v, 0.025), decimals) + ", " +
         Fixed(laws::Percentile(v, 0.975), decimals) + "]";
  }
  return s;
}

double RdStar(const laws::Law& l) { return l.coefficient("rd_star"); }
double RnStar(const laws::Law& l) { return l.coefficient("rn_star"); }
double HalfLifeEpochs(const laws::Law& l) { return 1 + l.coefficient("rd_star") * std::log(2.0); }
double PlateauData(const laws::Law& l) { return 1 + l.coefficient("rd_star"); }
double PlateauParams(const laws::Law& l) { return 1 + l.coefficient("rn_star"); }

}  // namespace

void AddCoefficientsSection(ReportInputs* inputs, Document* doc) {
  doc->Heading(2, "Coefficients", "coefficients");
  const laws::Law& paper_law = inputs->paper_law;
  const std::optional<laws::Law>& ours = inputs->fitted_law;
  const std::vector<laws::Law>& samples = inputs->bootstrap_samples;
  doc->Paragraph(
      "a, b, e and alpha = beta come from the paper's App. B fit on Chinchilla's digitised C4 "
      "IsoFLOP points, which were never released: they cannot be refitted from runs.csv, so our "
      "Eq. 14 fit holds them at the published values exactly as the paper's App. A fit did. The "
      "decay constants and everything derived from them are refitted (95% bootstrap intervals).");
  Table t;
  t.id = "coefficients";
  t.caption = "The data-constrained law (Eq. 14 / 17): published vs recomputed";
  t.header = {"symbol", "paper", "ours (computed here)", "what it is"};
  t.align = {Align::kLeft, Align::kRight, Align::kRight, Align::kLeft};
  const double g = laws::AllocationG(paper_law);
  auto row = [&](std::string sym, std::string paper_value, std::string our_value,
                 std::string what) {
    t.rows.push_back({std::move(sym), std::move(paper_value), std::move(our_value),
                      std::move(what)});
  };
  // The published values, printed exactly as the paper gives them (%.8g keeps every digit).
  auto published = [](double v) { return absl::StrFormat("%.8g", v); };
  row("a = ln A", published(paper::kLogA),
      absl::StrFormat("%.7g (held)", paper_law.coefficient("a")), "App. B");
  row("b = ln B", published(paper::kLogB),
      absl::StrFormat("%.8g (held)", paper_law.coefficient("b")), "App. B");
  row("e = ln E", published(paper::kLogE),
      absl::StrFormat("%.7g (held)", paper_law.coefficient("e")), "App. B");
  row("alpha = beta", published(paper::kAlpha),
      absl::StrFormat("%.7g (held)", paper_law.coefficient("alpha")), "App. B (tied)");
  row("A = e^a", published(paper::kEq20A), Fixed(paper_law.A(), 4), "Eq. 20");
  row("B = e^b", published(paper::kEq20B), Fixed(paper_law.B(), 4), "Eq. 20");
  row("E = e^e", published(paper::kEq20E), Fixed(paper_law.E(), 6),
      "irreducible loss (nats/token)");
  row("G", "–", Fixed(g, 8), "Eq. 3: N_opt = G (C/6)^a");
  row("U_N / U_D = G²", published(paper::kEq17ParamsPerUniqueToken), Fixed(g * g, 8),
      "Eq. 17: compute-optimal params per unique token");
  row("R_D*", published(paper::kRdStar),
      ours ? WithCi(RdStar(*ours), samples, &RdStar, 3) : "– (runs.csv missing)",
      "Eq. 5: repetitions after which a repeated token is worth 1/e");
  row("R_N*", published(paper::kRnStar),
      ours ? WithCi(RnStar(*ours), samples, &RnStar, 3) : "– (runs.csv missing)",
      "Eq. 6: the same for excess parameters");
  row("half-life of repeated data (epochs)", "≈ 16 (§6)",
      ours ? WithCi(HalfLifeEpochs(*ours), samples, &HalfLifeEpochs, 2) : "–",
      "1 + R_D* ln 2: a repeated token worth one half");
  row("D' / U_D as epochs → ∞", "16.39 (1 + R_D*)",
      ours ? WithCi(PlateauData(*ours), samples, &PlateauData, 2) : "–",
      "the most a unique-data budget can ever be worth");
  row("N' / U_N as N → ∞", "6.31 (1 + R_N*)",
      ours ? WithCi(PlateauParams(*ours), samples, &PlateauParams, 2) : "–",
      "the most excess parameters can ever be worth");
  t.note =
      "Paper: App. A, App. B, Eq. 17, 20. \"held\": fixed at the App. B value in our fit, as in "
      "the paper's.";
  doc->AddTable(t);

  // The value of repetition under the paper's law (sim/returns.h).
  absl::StatusOr<std::vector<sim::RepetitionValueRow>> value =
      sim::RepetitionValueTable(paper_law, {1, 2, 4, 8, 16, 40, 64, 100});
  if (!value.ok()) {
    inputs->problems.push_back(absl::StrCat("repetition value table: ",
                                            std::string(value.status().message())));
    return;
  }
  Table v;
  v.id = "repetition-value";
  v.caption = "What a repeated token and an excess parameter are worth (paper's constants, sim)";
  v.header = {"epochs (= N / U_N)", "D' / U_D", "average worth D' / D", "marginal token worth",
              "N' / U_N", "marginal parameter worth"};
  v.align = std::vector<Align>(6, Align::kRight);
  for (const sim::RepetitionValueRow& r : *value) {
    v.rows.push_back({absl::StrFormat("%g", r.epochs), Fixed(r.effective_data_ratio, 3),
                      Fixed(r.average_token_worth, 3), Fixed(r.marginal_token_worth, 3),
                      Fixed(r.effective_params_ratio, 3), Fixed(r.marginal_param_worth, 3)});
  }
  v.note = absl::StrFormat(
      "Eq. 5/6 with R_D* = %.8g, R_N* = %.8g, computed by sim::RepetitionValueTable. "
      "The paper's reading (§6): up to ~4 epochs a repeated token is worth almost a fresh one; "
      "past ~16 epochs returns vanish fast.",
      paper::kRdStar, paper::kRnStar);
  doc->AddTable(v);
}

}  // namespace datawall::reports
