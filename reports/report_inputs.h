// What every report section shares: the options, the released runs (or why they are missing),
// the law the simulator sections use, our Eq. 14 fit with its bootstrap resamples, and the
// figure helper. Built once by paper_report.cc and passed to each section in turn.
// Not here: any section's own computation (the *_section.cc files).
#ifndef DATAWALL_REPORTS_REPORT_INPUTS_H_
#define DATAWALL_REPORTS_REPORT_INPUTS_H_

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "experiments/analysis/summary.pb.h"
#include "laws/law.h"
#include "laws/run_table.h"
#include "reports/claims.h"
#include "reports/document.h"
#include "reports/figure.h"

namespace datawall::reports {

struct PaperReportOptions {
  // The released runs of the paper. Empty: where laws/released_runs.h finds them.
  std::string runs_csv;
  // Committed experiment results. Empty: <workspace>/experiments/results.
  std::string results_dir;
  // Bootstrap resamples per Table 1 fit (the CIs); 0 turns the bootstrap off.
  int bootstrap_resamples = 200;
  // Threads for fits, bootstrap and figure rendering.
  int threads = 2;
  // Seed of every bootstrap draw.
  uint64_t seed = 1;
  // The gnuplot executable.
  std::string gnuplot = "gnuplot";
  // One line per finished section ("[   3.2s] table1"), for a person waiting; nullptr: none.
  std::ostream* progress = nullptr;

  bool IsValid(std::string* error) const;
};

struct ReportInputs {
  PaperReportOptions options;
  // All released runs (296) and the paper's fit set (182); BuildPaperReport fails without them.
  std::optional<laws::RunTable> runs;
  std::optional<laws::RunTable> fit_set;
  std::string runs_source;   // the path they were read from
  // The paper's law (App. A/B constants): the simulator sections use it so that their numbers
  // are comparable with the paper's.
  laws::Law paper_law = laws::PaperLaw();
  // Our refit of Eq. 14 on the 182 runs (Table 1 section fills these) and its resamples.
  std::optional<laws::Law> fitted_law;
  std::vector<laws::Law> bootstrap_samples;
  // Our measured experiments as the experiments section found, summarised and checked them
  // (results directory, summary, the paper's claims; in its order), for the sections after it
  // (§7's strategies).
  struct MeasuredExperiment {
    std::string dir;
    experiments::ExperimentSummary summary;
    std::vector<ClaimCheck> claims;
  };
  std::vector<MeasuredExperiment> measured;
  // Problems met while building (a figure gnuplot could not render, ...); the CLI prints them
  // and exits 1 if any.
  std::vector<std::string> problems;
};

// Renders `plot` and wraps it as a figure block (file figures/<id>.svg). When gnuplot fails
// the problem is recorded in inputs->problems and a note takes the figure's place.
void AddPlot(ReportInputs* inputs, Document* doc, const std::string& id, const Plot& plot,
             const std::string& caption);

}  // namespace datawall::reports

#endif  // DATAWALL_REPORTS_REPORT_INPUTS_H_
