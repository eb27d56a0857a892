// Section "Law leaderboard": which law form extrapolates best to runs it was not fitted on, from
// the committed leaderboard of the released runs (laws/results/leaderboard/released_runs.json,
// written by //laws:leaderboard; its COMMAND.md). The report never recomputes it (about a
// minute of fitting); it states where the numbers come from. Not here: the fitting
// (laws/leaderboard.h).
#include <cmath>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "reports/format.h"
#include "reports/sections.h"
#include "tools/io/atomic_file.h"
#include "tools/json/json.h"
#include "tools/paths/paths.h"

namespace datawall::reports {

inline constexpr char kLeaderboardJson[] = "laws/results/leaderboard/released_runs.json";

void AddLeaderboardSection(ReportInputs* inputs, Document* doc) {
  doc->Heading(2, "Law leaderboard: which form extrapolates", "leaderboard");
  const std::string path = absl::StrCat(paths::WorkspaceRoot(), "/", kLeaderboardJson);
  std::string text;
  if (!io::ReadFile(path, &text).ok()) {
    doc->Note(absl::StrCat("No committed leaderboard (", kLeaderboardJson,
                           "): run `bazel run -c opt //laws:leaderboard -- --format=json`."));
    return;
  }
  absl::StatusOr<json::Value> board = json::Parse(text, kLeaderboardJson);
  if (!board.ok() || !board->contains("ranking") || !board->contains("splits")) {
    inputs->problems.push_back(absl::StrCat(kLeaderboardJson, ": not a leaderboard"));
    doc->Note(absl::StrCat(kLeaderboardJson, " could not be read as a leaderboard."));
    return;
  }
  const json::Value& b = *board;
  doc->Paragraph(absl::StrFormat(
      "The paper ranks its law forms by in-sample R^2 (Table 1). Here every form is fitted "
      "under one recipe on the training side of four splits of the %d fit-set runs, and scored "
      "on the held-out side. The recipe fits Chinchilla's five coefficients, then the form's "
      "whole vector jointly, then runs a bootstrap. The splits go from small to large N, few to "
      "many epochs, low to high compute, and leave one unique budget out. The score is the "
      "RMSE of log loss, and the coverage of %g%% bootstrap prediction intervals (the law-only "
      "interval's coverage in parentheses). Forms are ranked by the geometric mean of the "
      "splits' RMSE.",
      b.value("runs", 0), 100 * b.value("confidence", 0.95)));
  Table t;
  t.id = "leaderboard";
  t.caption = "Law forms by held-out extrapolation (released runs)";
  t.header = {"rank", "form", "coefficients", "geo-mean RMSE"};
  t.align = {Align::kRight, Align::kLeft, Align::kRight, Align::kRight};
  std::vector<std::string> split_names;
  for (const auto& s : b["splits"]) {
    split_names.push_back(s.value("name", ""));
    t.header.push_back(s.value("name", "") + ": RMSE / coverage");
    t.align.push_back(Align::kRight);
  }
  for (const auto& row : b["ranking"]) {
    std::vector<std::string> cells = {
        std::to_string(row.value("rank", 0)), absl::StrCat("`", row.value("form", ""), "`"),
        std::to_string(row.value("coefficients", 0)),
        row["geomean_rmse_log"].is_number() ? Fixed(row["geomean_rmse_log"].get<double>(), 4)
                                            : "failed"};
    for (const std::string& name : split_names) {
      const json::Value& s = row["splits"][name];
      cells.push_back(s.value("test_runs", 0) == 0
                          ? "failed"
                          : absl::StrCat(Fixed(s.value("rmse_log", 0.0), 3), " / ",
                                         Percent(s.value("coverage", 0.0), 0), " (",
                                         Percent(s.value("coverage_law_only", 0.0), 0), ")"));
    }
    t.rows.push_back(std::move(cells));
  }
  const json::Value& p = b.contains("provenance") ? b["provenance"] : json::Value::object();
  t.note = absl::StrCat("From `", kLeaderboardJson, "`: commit ",
                        p.value("commit", std::string("unknown")).substr(0, 7), ", runs checksum ",
                        p.value("runs_checksum", std::string("?")), ", ",
                        p.value("bootstrap", 0), " resamples, seed ", p.value("seed", 0),
                        ". Command in laws/results/leaderboard/COMMAND.md; discussion in "
                        "docs/laws.md §4b.");
  doc->AddTable(std::move(t));
  doc->Paragraph(
      "What it shows: when the base coefficients and the decay terms are fitted together on "
      "these runs, no decay form extrapolates better than Chinchilla. The seven best forms lie "
      "within a few percent of each other. Going from <= 4 epochs to more is the hardest "
      "split, where the penalty and exponent-decay forms fail outright. The prediction "
      "intervals are not calibrated out of the fitted range.");
}

}  // namespace datawall::reports
