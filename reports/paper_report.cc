// Builds and writes the paper report (see paper_report.h).
#include "reports/paper_report.h"

#include <chrono>
#include <filesystem>
#include <ostream>
#include <utility>

#include "absl/base/config.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "ceres/version.h"
#include "google/protobuf/stubs/common.h"
#include "laws/released_runs.h"
#include "laws/run_table.h"
#include "reports/html_writer.h"
#include "reports/markdown_writer.h"
#include "reports/sections.h"
#include "tools/io/atomic_file.h"
#include "tools/provenance/provenance.h"
#include "tools/result/status.h"

namespace datawall::reports {
namespace {

// The libraries the report links whose versions it can name: Ceres (the fits), Abseil, protobuf.
provenance::Versions LinkedLibraries() {
  return {{"ceres", CERES_VERSION_STRING},
          {"abseil", absl::StrCat(ABSL_LTS_RELEASE_VERSION, ".", ABSL_LTS_RELEASE_PATCH_LEVEL)},
          {"protobuf", google::protobuf::internal::VersionString(GOOGLE_PROTOBUF_VERSION)}};
}

// The released runs (all 296 and the 182-run fit set). Bad input when they cannot be found
// or read: the report has no meaning without them.
absl::Status ReadRuns(ReportInputs* inputs) {
  inputs->runs_source = inputs->options.runs_csv;
  if (inputs->runs_source.empty()) {  // laws/released_runs.h: --runs_csv, the env, the install
    absl::StatusOr<std::string> found = laws::ReleasedRunsCsv();
    if (!found.ok()) return absl::InvalidArgumentError(found.status().message());
    inputs->runs_source = *found;
  }
  const std::filesystem::path normal =
      std::filesystem::path(inputs->runs_source).lexically_normal();
  if (!normal.empty()) inputs->runs_source = normal.string();
  auto bad = [](absl::string_view why) {
    return absl::InvalidArgumentError(absl::StrCat("--runs_csv: released runs: ", why));
  };
  std::error_code ec;
  if (!std::filesystem::exists(inputs->runs_source, ec)) {
    return bad(absl::StrCat(inputs->runs_source, " does not exist"));
  }
  absl::StatusOr<laws::RunTable> runs = laws::ReadRunTableCsv(inputs->runs_source);
  if (!runs.ok()) return bad(runs.status().message());
  absl::StatusOr<laws::RunTable> fit_set = runs->Subset("in_fit_set");
  if (!fit_set.ok()) return bad(fit_set.status().message());
  inputs->runs = *std::move(runs);
  inputs->fit_set = *std::move(fit_set);
  return absl::OkStatus();
}

void AddIntroduction(const ReportInputs& inputs, Document* doc) {
  doc->Heading(2, "About this report", "about");
  doc->Paragraph(
      "This page regenerates the quantitative core of \"Scaling Data-Constrained Language "
      "Models\" (Muennighoff et al., NeurIPS 2023) from the authors' released run losses, with "
      "datawall's own fitter (laws/) and simulator (sim/), and sets our own measured experiments "
      "beside the law. Columns labelled **paper** are transcribed from the paper "
      "(its tables, figures and appendices); every other number is computed by this program on "
      "this run. Nothing is trained here: the report only reads the released runs and the run "
      "records present under experiments/results.");
  doc->Code(absl::StrCat(
      "bash tools/setup.sh && bazel run -c opt //reports:paper -- --out=DIR\n"
      "# this run: --bootstrap_resamples=", inputs.options.bootstrap_resamples,
      " --threads=", inputs.options.threads, " --seed=", inputs.options.seed));
}

}  // namespace

absl::StatusOr<Document> BuildPaperReport(const PaperReportOptions& options,
                                          ReportInputs* inputs) {
  std::string error;
  if (!options.IsValid(&error)) return absl::InvalidArgumentError(error);
  const auto t0 = std::chrono::steady_clock::now();
  inputs->options = options;
  if (absl::Status read = ReadRuns(inputs); !read.ok()) return read;

  Document doc;
  doc.title = "Scaling Data-Constrained Language Models — regenerated";
  const provenance::CodeVersion code = provenance::GetCodeVersion();
  doc.subtitle = absl::StrCat("datawall ", code.commit.substr(0, 12), code.dirty ? " (dirty)" : "",
                              " · generated ", provenance::UtcNow(), " on ",
                              provenance::HostName(), " · runs: ",
                              inputs->runs ? absl::StrCat(inputs->runs->size(), " released runs")
                                           : "runs.csv missing");
  AddIntroduction(*inputs, &doc);
  using Section = void (*)(ReportInputs*, Document*);
  const std::pair<const char*, Section> sections[] = {
      {"headline", AddHeadlineSection},       {"table1", AddTable1Section},
      {"coefficients", AddCoefficientsSection}, {"leaderboard", AddLeaderboardSection},
      {"allocation", AddAllocationSection},
      {"returns", AddReturnsSection},         {"contours", AddContoursSection},
      {"experiments", AddExperimentsSection}, {"beyond", AddBeyondSection},
      {"plans", AddPlansSection}};
  for (const auto& [name, add] : sections) {
    add(inputs, &doc);
    if (options.progress != nullptr) {
      *options.progress << absl::StrFormat(
                               "[%7.1fs] %s",
                               std::chrono::duration<double>(std::chrono::steady_clock::now() - t0)
                                   .count(),
                               name)
                        << std::endl;
    }
  }

  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  doc.Heading(2, "Provenance", "provenance");
  std::vector<std::string> items = {
      absl::StrCat("code: `", code.commit, "`", code.dirty ? " with uncommitted changes" : ""),
      absl::StrCat("runs: `", inputs->runs_source, "`"),
      absl::StrFormat("built in %.1f s", seconds)};
  for (const auto& [name, version] : provenance::LibraryVersions(LinkedLibraries())) {
    items.push_back(absl::StrCat(name, " ", version));
  }
  doc.List(items);
  if (!inputs->problems.empty()) {
    doc.Heading(3, "Problems met while building this report", "problems");
    doc.List(inputs->problems);
  }
  return doc;
}

absl::Status WritePaperReport(const Document& doc, const std::string& out_dir) {
  std::error_code ec;
  std::filesystem::create_directories(out_dir + "/figures", ec);
  if (ec) {
    return absl::InvalidArgumentError(
        absl::StrCat("--out: cannot create ", out_dir, "/figures: ", ec.message()));
  }
  for (const Block& b : doc.blocks()) {
    if (b.kind != Block::kFigure) continue;
    const std::string svg =
        "<?xml version=\"1.0\" encoding=\"utf-8\" standalone=\"no\"?>\n" + b.figure.svg + "\n";
    if (absl::Status s = ToStatus(io::WriteFileAtomically(out_dir + "/" + b.figure.file, svg));
        !s.ok()) {
      return s;
    }
  }
  if (absl::Status s = ToStatus(io::WriteFileAtomically(out_dir + "/REPORT.md", RenderMarkdown(doc)));
      !s.ok()) {
    return s;
  }
  return ToStatus(io::WriteFileAtomically(out_dir + "/index.html", RenderHtml(doc)));
}

}  // namespace datawall::reports
