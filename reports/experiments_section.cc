// Section "Our experiments": our own measured runs (experiments/results/) beside the law's
// predictions, with the paper's qualitative claims checked one by one. Until the runner's
// summary library lands this section reports what is committed and says plainly that nothing
// can be compared yet. Not here: training (experiments/), fitting (laws/).
#include <filesystem>

#include "absl/strings/str_cat.h"
#include "reports/sections.h"
#include "tools/paths/paths.h"

namespace datawall::reports {

void AddExperimentsSection(ReportInputs* inputs, Document* doc) {
  doc->Heading(2, "Our measured experiments", "experiments");
  const std::string dir = inputs->options.results_dir.empty()
                              ? paths::WorkspaceRoot() + "/experiments/results"
                              : inputs->options.results_dir;
  std::error_code ec;
  int files = 0;
  if (std::filesystem::is_directory(dir, ec)) {
    for (auto it = std::filesystem::recursive_directory_iterator(dir, ec);
         !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
      if (it->is_regular_file(ec)) ++files;
    }
  }
  if (files == 0) {
    doc->Note(absl::StrCat("No experiment results are committed yet (`", dir,
                           "` is missing or empty), so none of the paper's claims is checked "
                           "against our own runs in this report. Every number above comes from "
                           "the paper's released runs and our fits and simulations of them."));
  } else {
    doc->Note(absl::StrCat(files, " result files are committed under `", dir,
                           "`, but this build of the report has no reader for them yet (the "
                           "runner's experiment-summary library had not landed when it was "
                           "written), so they are not compared with the law here."));
  }
  doc->Paragraph(
      "The claims to check, once results are in (paper §5–7): (1) up to ~4 epochs, repeated "
      "data is almost as good as unique data; (2) returns from repetition fade by ~16 epochs and "
      "vanish by ~40; (3) with repeated data, the compute-optimal model is smaller and trained "
      "for more epochs than Chinchilla's; (4) excess parameters decay faster than excess epochs "
      "(R_N* < R_D*); (5) filling up to half the data with code does not hurt natural-language "
      "loss.");
}

}  // namespace datawall::reports
