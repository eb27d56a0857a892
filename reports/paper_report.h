// The paper report as a whole: reads the inputs, runs every section in order, and writes
// DIR/index.html, DIR/REPORT.md and DIR/figures/*.svg (each atomically).
//
//   PaperReportOptions options;              // defaults: laws/released_runs.h, 200 resamples
//   ReportInputs inputs;
//   absl::StatusOr<Document> doc = BuildPaperReport(options, &inputs);
//   absl::Status written = WritePaperReport(*doc, "/tmp/report");
//
// A missing runs.csv is not an error: the report says so where the numbers would be.
// Not here: flag parsing (paper_main.cc), the sections' numbers (*_section.cc).
#ifndef DATAWALL_REPORTS_PAPER_REPORT_H_
#define DATAWALL_REPORTS_PAPER_REPORT_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "reports/document.h"
#include "reports/report_inputs.h"

namespace datawall::reports {

// Errors: invalid options (InvalidArgument naming the option). Problems inside sections (a
// figure that failed) are listed in inputs->problems, not returned.
absl::StatusOr<Document> BuildPaperReport(const PaperReportOptions& options,
                                          ReportInputs* inputs);

// Creates out_dir (and out_dir/figures) if needed. Errors name the path.
absl::Status WritePaperReport(const Document& doc, const std::string& out_dir);

}  // namespace datawall::reports

#endif  // DATAWALL_REPORTS_PAPER_REPORT_H_
