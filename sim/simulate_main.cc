// simulate: the command-line face of sim/ — predict, allocate, returns, frontier, sweep.
//
//   bazel run //sim:simulate -- allocate --flops=1e22 --unique_tokens=25e9
//
// A thin main: parses flags, calls the library, formats the result (sim/README.md has usage).
// Invalid input exits 2 with one line naming the flag; internal failures exit 1. It computes
// nothing itself.
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "laws/law.h"
#include "laws/law_io.h"
#include "sim/allocate.h"
#include "sim/authors_grid.h"
#include "sim/format.h"
#include "sim/frontier.h"
#include "sim/predict.h"
#include "sim/returns.h"
#include "sim/sweep.h"
#include "tools/cli/flags.h"
#include "tools/cli/logging.h"
#include "tools/io/atomic_file.h"
#include "tools/json/json.h"
#include "tools/paths/paths.h"

ABSL_FLAG(std::optional<double>, parameters, std::nullopt,
          "model parameters N (predict; returns: fix N)");
ABSL_FLAG(std::optional<double>, tokens, std::nullopt, "total training tokens D (predict)");
ABSL_FLAG(std::optional<double>, unique_tokens, std::nullopt, "unique tokens U (the data budget)");
ABSL_FLAG(std::optional<double>, flops, std::nullopt, "compute budget C in FLOPs (C = 6 N D)");
ABSL_FLAG(std::optional<double>, target_loss, std::nullopt,
          "allocate: instead of --flops, find the smallest C reaching this loss");
ABSL_FLAG(bool, authors_grid, false,
          "allocate: also run the authors' 500-point grid search and show its answer beside ours");
ABSL_FLAG(std::optional<double>, grid_center_parameters, std::nullopt,
          "allocate --authors_grid: centre the grid on this N (galactica.ipynb: 120e9); default "
          "Chinchilla's N_opt(C) as in the README");
ABSL_FLAG(std::string, law, "",
          "law file (text proto from laws/); default: the paper's published law");
ABSL_FLAG(datawall::sim::OutputFormat, format, datawall::sim::OutputFormat::kText,
          "output format: text, json or csv");
ABSL_FLAG(double, confidence, 0.95, "coverage of bootstrap intervals (law files with samples)");
ABSL_FLAG(double, max_epochs, 1000, "returns/frontier: largest epoch count");
ABSL_FLAG(double, min_epochs, 1, "frontier: smallest epoch count");
ABSL_FLAG(std::optional<double>, min_params, std::nullopt, "frontier: smallest model (default U_N/2)");
ABSL_FLAG(std::optional<double>, max_params, std::nullopt,
          "frontier: largest model (default 300 U_N)");
ABSL_FLAG(int, points, 25, "frontier: points per contour and along the paths");
ABSL_FLAG(int, points_per_decade, 4, "returns: rows per decade");
ABSL_FLAG(datawall::cli::NumberList, levels, {},
          "frontier: comma-separated loss levels (default: 8 automatic)");
ABSL_FLAG(std::string, table, "",
          "which table to print: returns: curve|value|half_life; frontier: contours|path "
          "(default: all for text/json, the first for csv)");
ABSL_FLAG(double, flops_min, 1e18, "sweep: smallest budget");
ABSL_FLAG(double, flops_max, 1e26, "sweep: largest budget");
ABSL_FLAG(int, flops_steps, 100, "sweep: budgets (log-spaced)");
ABSL_FLAG(double, unique_min, 1e8, "sweep: smallest unique-data budget");
ABSL_FLAG(double, unique_max, 1e13, "sweep: largest unique-data budget");
ABSL_FLAG(int, unique_steps, 100, "sweep: unique-data budgets (log-spaced)");
ABSL_FLAG(int, threads, 0, "sweep: worker threads (0: all cores)");
ABSL_FLAG(std::string, output, "", "sweep: write to this file (atomically) instead of stdout");

namespace datawall::sim {
namespace {

constexpr char kUsage[] =
    "simulate <command> [flags]: what the data-constrained scaling law predicts.\n"
    "  predict   --parameters=N --tokens=D [--unique_tokens=U]   loss and its decomposition\n"
    "  allocate  --flops=C --unique_tokens=U                     exact compute-optimal N, D\n"
    "  allocate  --target_loss=L --unique_tokens=U               smallest C reaching L\n"
    "            [--authors_grid [--grid_center_parameters=N0]]  the authors' grid beside it\n"
    "  returns   --unique_tokens=U [--parameters=N]              returns on repetition\n"
    "  frontier  --unique_tokens=U                               iso-loss contours and paths\n"
    "  sweep     [--flops_min ... --unique_steps]                optimal allocation per budget\n"
    "Common: --law=FILE (default: the paper's law), --format=text|json|csv.";

// Library errors start with the input's name; the CLI spells it as a flag.
[[noreturn]] void Fail(const absl::Status& status) {
  const std::string message(status.message());
  if (status.code() == absl::StatusCode::kInvalidArgument) cli::UsageError("--" + message);
  cli::InternalError(message);
}

void Print(const std::string& text) { std::fwrite(text.data(), 1, text.size(), stdout); }

// A result that is not finite is never printed (tools/json's policy): an internal error.
[[noreturn]] void RefuseNonFinite(const absl::Status& status) {
  cli::InternalError(absl::StrCat("result field ", std::string(status.message()),
                                  "; refusing to print it"));
}

void Emit(const Record& record, OutputFormat format) {
  absl::StatusOr<std::string> out = FormatRecord(record, format);
  if (!out.ok()) RefuseNonFinite(out.status());
  Print(*out);
}

struct LoadedLaw {
  laws::Law law;
  std::vector<laws::Law> samples;
};

LoadedLaw LoadLaw() {
  const std::string path = absl::GetFlag(FLAGS_law);
  if (path.empty()) return {laws::PaperLaw(), {}};
  absl::StatusOr<laws::LawWithSamples> law = laws::ReadLawFileWithSamples(paths::UserPath(path));
  if (!law.ok()) cli::UsageError(absl::StrCat("--law: ", std::string(law.status().message())));
  return {law->law, law->samples};
}

double Confidence() {
  const double c = cli::Positive(FLAGS_confidence);
  if (!(c < 1)) cli::UsageError("--confidence: must be in (0, 1)");
  return c;
}

int Predict(OutputFormat format) {
  const LoadedLaw law = LoadLaw();
  const double n = cli::RequiredPositive(FLAGS_parameters, "predict");
  std::optional<double> d = cli::Positive(FLAGS_tokens);
  const std::optional<double> c = cli::Positive(FLAGS_flops);
  if (d && c) cli::UsageError("--flops: give --tokens or --flops (D = C / 6N), not both");
  if (!d && !c) cli::UsageError("--tokens: required by predict (or --flops)");
  if (!d) d = *c / (6 * n);
  const double u = cli::Positive(FLAGS_unique_tokens).value_or(*d);
  PredictOptions options;
  options.confidence = Confidence();
  absl::StatusOr<Prediction> p = sim::Predict(law.law, n, *d, u, law.samples, options);
  if (!p.ok()) Fail(p.status());
  const Decomposition& x = p->decomposition;
  Record r = {Num("parameters", p->params, Unit::kParams),
              Num("tokens", p->tokens, Unit::kTokens),
              Num("unique_tokens", p->unique_tokens, Unit::kTokens),
              Num("epochs", p->epochs, Unit::kEpochs),
              Num("flops", p->flops, Unit::kFlops),
              Num("loss", p->loss, Unit::kLoss),
              Bool("data_constrained", p->data_constrained),
              Num("unique_tokens_used", x.unique_tokens_used, Unit::kTokens),
              Num("r_d", x.r_d, Unit::kRatio),
              Num("unique_parameters", x.unique_params, Unit::kParams),
              Num("r_n", x.r_n, Unit::kRatio),
              Num("effective_tokens", x.effective_tokens, Unit::kTokens),
              Num("effective_parameters", x.effective_params, Unit::kParams),
              Num("parameter_term", x.params_term, Unit::kLoss),
              Num("data_term", x.data_term, Unit::kLoss),
              Num("irreducible_loss", x.irreducible_loss, Unit::kLoss)};
  if (law.law.form() == laws::Form::kOverfittingPenalty) {
    r.push_back(Num("penalty_term", x.penalty_term, Unit::kLoss));
  }
  if (p->bootstrap_samples > 0) {
    r.push_back(Num("bootstrap_samples", p->bootstrap_samples));
    r.push_back(Num("confidence", p->confidence, Unit::kRatio));
    r.push_back(Num("loss_low", p->loss_low, Unit::kLoss));
    r.push_back(Num("loss_high", p->loss_high, Unit::kLoss));
  }
  Emit(r, format);
  return 0;
}

Record AllocationRecord(const Allocation& a) {
  return {Num("flops", a.flops, Unit::kFlops),
          Num("unique_tokens", a.unique_tokens, Unit::kTokens),
          Num("parameters", a.params, Unit::kParams),
          Num("tokens", a.tokens, Unit::kTokens),
          Num("epochs", a.epochs, Unit::kEpochs),
          Num("loss", a.loss, Unit::kLoss),
          Bool("data_constrained", a.data_constrained),
          Text("method", MethodName(a.method)),
          Num("iterations", a.iterations),
          Num("d_loss_d_log_params", a.d_loss_d_log_params),
          Num("d2_loss_d_log_params2", a.d2_loss_d_log_params2),
          Num("d_loss_d_log_flops", a.d_loss_d_log_flops),
          Num("chinchilla_parameters", a.chinchilla_params, Unit::kParams),
          Num("chinchilla_tokens", a.chinchilla_tokens, Unit::kTokens),
          Num("chinchilla_epochs", a.chinchilla_epochs, Unit::kEpochs),
          Num("chinchilla_loss", a.chinchilla_loss, Unit::kLoss),
          Num("loss_saved_vs_chinchilla", a.chinchilla_loss - a.loss, Unit::kPlain)};
}

int AllocateCommand(OutputFormat format) {
  const LoadedLaw law = LoadLaw();
  const double u = cli::RequiredPositive(FLAGS_unique_tokens, "allocate");
  const std::optional<double> c = cli::Positive(FLAGS_flops);
  const std::optional<double> target = cli::Positive(FLAGS_target_loss);
  if (c && target) cli::UsageError("--target_loss: give --flops or --target_loss, not both");
  if (!c && !target) cli::UsageError("--flops: required by allocate (or --target_loss)");
  absl::StatusOr<Allocation> a = c ? Allocate(law.law, *c, u) : MinimumFlopsForLoss(law.law, *target, u);
  if (!a.ok()) Fail(a.status());
  Record r = AllocationRecord(*a);
  if (target) r.insert(r.begin(), Num("target_loss", *target, Unit::kLoss));
  const std::optional<double> center = cli::Positive(FLAGS_grid_center_parameters);
  if (center && !absl::GetFlag(FLAGS_authors_grid)) {
    cli::UsageError("--grid_center_parameters: only with --authors_grid");
  }
  if (absl::GetFlag(FLAGS_authors_grid)) {
    if (center && *center >= a->flops / 6) {
      cli::UsageError("--grid_center_parameters: leaves less than one token for this budget");
    }
    const GridAllocation g =
        AuthorsGridAllocationForBudget(law.law, a->flops, u, center.value_or(0));
    r.push_back(Num("grid_parameters", g.params, Unit::kParams));
    r.push_back(Num("grid_tokens", g.tokens, Unit::kTokens));
    r.push_back(Num("grid_epochs", g.tokens / u, Unit::kEpochs));
    r.push_back(Num("grid_loss", g.loss, Unit::kLoss));
    r.push_back(Bool("grid_on_boundary", g.on_grid_edge));
    r.push_back(Num("loss_saved_vs_grid", g.loss - a->loss, Unit::kPlain));
  }
  if (!law.samples.empty()) {
    // Uncertainty of the optimum itself: allocate the same budget under every resample.
    std::vector<double> params, tokens, losses;
    for (const laws::Law& s : law.samples) {
      absl::StatusOr<Allocation> b = Allocate(s, a->flops, u);
      if (!b.ok()) continue;
      params.push_back(b->params), tokens.push_back(b->tokens), losses.push_back(b->loss);
    }
    if (!params.empty()) {
      const double conf = Confidence(), lo = 0.5 * (1 - conf), hi = 0.5 * (1 + conf);
      r.push_back(Num("bootstrap_samples", static_cast<double>(params.size())));
      r.push_back(Num("confidence", conf, Unit::kRatio));
      r.push_back(Num("parameters_low", Quantile(params, lo), Unit::kParams));
      r.push_back(Num("parameters_high", Quantile(params, hi), Unit::kParams));
      r.push_back(Num("tokens_low", Quantile(tokens, lo), Unit::kTokens));
      r.push_back(Num("tokens_high", Quantile(tokens, hi), Unit::kTokens));
      r.push_back(Num("loss_low", Quantile(losses, lo), Unit::kLoss));
      r.push_back(Num("loss_high", Quantile(losses, hi), Unit::kLoss));
    }
  }
  Emit(r, format);
  return 0;
}

// Prints named sections: text as titled tables, json as one object of arrays, csv the one
// selected (or the first).
void EmitSections(const std::vector<std::pair<std::string, std::vector<Record>>>& sections,
                  OutputFormat format, const std::string& table) {
  std::vector<const std::pair<std::string, std::vector<Record>>*> chosen;
  for (const auto& s : sections) {
    if (table.empty() || table == s.first) chosen.push_back(&s);
  }
  if (chosen.empty()) {
    std::string names;
    for (const auto& s : sections) absl::StrAppend(&names, names.empty() ? "" : "|", s.first);
    cli::UsageError(absl::StrCat("--table: unknown table '", table, "' (", names, ")"));
  }
  if (format == OutputFormat::kCsv) chosen.resize(1);
  if (format == OutputFormat::kJson) {
    json::Json doc = json::Json::object();
    for (const auto* s : chosen) doc[s->first] = TableJson(s->second);
    absl::StatusOr<std::string> out = json::Dump(doc);
    if (!out.ok()) RefuseNonFinite(out.status());
    Print(*out + "\n");
    return;
  }
  std::string out;
  for (size_t i = 0; i < chosen.size(); ++i) {
    if (format == OutputFormat::kText) {
      out.append(i ? "\n" : "").append("# ").append(chosen[i]->first).append("\n");
    }
    absl::StatusOr<std::string> part = FormatTable(chosen[i]->second, format);
    if (!part.ok()) RefuseNonFinite(part.status());
    out.append(*part);
  }
  Print(out);
}

int ReturnsCommand(OutputFormat format) {
  const LoadedLaw law = LoadLaw();
  const double u = cli::RequiredPositive(FLAGS_unique_tokens, "returns");
  const std::optional<double> n = cli::Positive(FLAGS_parameters);
  ReturnsOptions options;
  options.max_epochs = cli::Positive(FLAGS_max_epochs);
  if (options.max_epochs < 1) cli::UsageError("--max_epochs: must be >= 1");
  options.points_per_decade = cli::InRange(FLAGS_points_per_decade, 1, 1000);
  absl::StatusOr<std::vector<ReturnsRow>> curve = ReturnsCurve(law.law, u, n, options);
  if (!curve.ok()) Fail(curve.status());
  std::vector<Record> curve_rows;
  for (const ReturnsRow& r : *curve) {
    curve_rows.push_back({Num("epochs", r.epochs, Unit::kEpochs),
                          Num("tokens", r.tokens, Unit::kTokens),
                          Num("parameters", r.params, Unit::kParams),
                          Num("flops", r.flops, Unit::kFlops),
                          Num("loss", r.loss, Unit::kLoss),
                          Num("loss_fresh_data", r.loss_fresh_data, Unit::kLoss),
                          Num("effective_tokens", r.effective_tokens, Unit::kTokens),
                          Num("marginal_token_worth", r.marginal_token_worth, Unit::kRatio),
                          Num("d_loss_d_log_flops", r.d_loss_d_log_flops),
                          Num("d_loss_d_log_flops_fresh_data", r.d_loss_d_log_flops_fresh_data)});
  }
  std::vector<std::pair<std::string, std::vector<Record>>> sections = {{"curve", curve_rows}};
  absl::StatusOr<std::vector<RepetitionValueRow>> value = RepetitionValueTable(law.law);
  absl::StatusOr<HalfLives> half = ComputeHalfLives(law.law);
  if (value.ok() && half.ok()) {
    std::vector<Record> value_rows;
    for (const RepetitionValueRow& v : *value) {
      value_rows.push_back({Num("epochs", v.epochs, Unit::kEpochs),
                            Num("effective_data_ratio", v.effective_data_ratio, Unit::kRatio),
                            Num("average_token_worth", v.average_token_worth, Unit::kRatio),
                            Num("marginal_token_worth", v.marginal_token_worth, Unit::kRatio),
                            Num("effective_params_ratio", v.effective_params_ratio, Unit::kRatio),
                            Num("marginal_param_worth", v.marginal_param_worth, Unit::kRatio)});
    }
    sections.push_back({"value", value_rows});
    sections.push_back(
        {"half_life",
         {{Num("rd_star", half->rd_star, Unit::kRatio),
           Num("token_half_life_repetitions", half->token_half_life_repetitions, Unit::kRatio),
           Num("token_half_life_epochs", half->token_half_life_epochs, Unit::kEpochs),
           Num("plateau_effective_data_ratio", half->plateau_effective_data_ratio, Unit::kRatio),
           Num("rn_star", half->rn_star, Unit::kRatio),
           Num("param_half_life_excess", half->param_half_life_excess, Unit::kRatio),
           Num("plateau_effective_params_ratio", half->plateau_effective_params_ratio,
               Unit::kRatio)}}});
  }
  EmitSections(sections, format, absl::GetFlag(FLAGS_table));
  return 0;
}

int FrontierCommand(OutputFormat format) {
  const LoadedLaw law = LoadLaw();
  const double u = cli::RequiredPositive(FLAGS_unique_tokens, "frontier");
  FrontierOptions options;
  options.min_params = cli::Positive(FLAGS_min_params).value_or(0);
  options.max_params = cli::Positive(FLAGS_max_params).value_or(0);
  options.min_epochs = cli::Positive(FLAGS_min_epochs);
  options.max_epochs = cli::Positive(FLAGS_max_epochs);
  options.contour_points = options.path_points = cli::InRange(FLAGS_points, 2, 10000);
  for (double level : absl::GetFlag(FLAGS_levels).values) {
    if (!(level > 0)) cli::UsageError(absl::StrCat("--levels: must be positive, got ", level));
    options.loss_levels.push_back(level);
  }
  absl::StatusOr<Frontier> f = ComputeFrontier(law.law, u, options);
  if (!f.ok()) Fail(f.status());
  std::vector<Record> contours, path;
  for (const ContourPoint& c : f->contours) {
    contours.push_back({Num("loss_level", c.loss_level, Unit::kLoss),
                        Num("epochs", c.epochs, Unit::kEpochs),
                        Num("tokens", c.tokens, Unit::kTokens),
                        Num("parameters", c.params, Unit::kParams),
                        Num("flops", c.flops, Unit::kFlops)});
  }
  for (const PathPoint& p : f->path) {
    path.push_back({Num("flops", p.flops, Unit::kFlops),
                    Num("parameters", p.params, Unit::kParams),
                    Num("tokens", p.tokens, Unit::kTokens),
                    Num("epochs", p.epochs, Unit::kEpochs),
                    Num("loss", p.loss, Unit::kLoss),
                    Num("params_over_unique_params", p.params_over_unique_params, Unit::kRatio),
                    Num("chinchilla_parameters", p.chinchilla_params, Unit::kParams),
                    Num("chinchilla_epochs", p.chinchilla_epochs, Unit::kEpochs),
                    Num("chinchilla_loss", p.chinchilla_loss, Unit::kLoss),
                    Num("chinchilla_params_over_unique_params",
                        p.chinchilla_params_over_unique_params, Unit::kRatio)});
  }
  EmitSections({{"contours", contours}, {"path", path}}, format, absl::GetFlag(FLAGS_table));
  return 0;
}

int SweepCommand(OutputFormat format) {
  const LoadedLaw law = LoadLaw();
  SweepOptions o;
  o.flops_min = cli::Positive(FLAGS_flops_min);
  o.flops_max = cli::Positive(FLAGS_flops_max);
  o.flops_steps = cli::InRange(FLAGS_flops_steps, 1, 100000);
  o.unique_min = cli::Positive(FLAGS_unique_min);
  o.unique_max = cli::Positive(FLAGS_unique_max);
  o.unique_steps = cli::InRange(FLAGS_unique_steps, 1, 100000);
  o.threads = cli::InRange(FLAGS_threads, 0, 1024);
  absl::StatusOr<std::vector<SweepRow>> rows = Sweep(law.law, o);
  if (!rows.ok()) Fail(rows.status());
  const std::string output = absl::GetFlag(FLAGS_output);
  if (output.empty()) {
    const absl::Status s = WriteSweep(*rows, format, o.threads, [](std::string_view text) {
      return std::fwrite(text.data(), 1, text.size(), stdout) == text.size();
    });
    if (!s.ok()) Fail(s);
    return 0;
  }
  io::AtomicFileWriter writer;
  if (const Result r = writer.Open(paths::UserPath(output)); !r.ok()) {
    cli::UsageError("--output: " + r.message());
  }
  Result written;
  const absl::Status s = WriteSweep(*rows, format, o.threads, [&](std::string_view text) {
    written = writer.Write(text.data(), text.size());
    return written.ok();
  });
  if (!s.ok()) cli::InternalError(written.ok() ? std::string(s.message()) : written.message());
  if (const Result r = writer.Commit(); !r.ok()) cli::InternalError(r.message());
  return 0;
}

int Main(int argc, char** argv) {
  const std::vector<std::string> args = cli::ParseFlags(argc, argv, kUsage);
  cli::InitLogging(argv[0]);  // glog (Ceres) quiet unless --verbose
  if (args.empty()) cli::UsageError("missing command (predict, allocate, returns, frontier, sweep)");
  if (args.size() > 1) cli::UsageError(absl::StrCat("unexpected argument '", args[1], "'"));
  const OutputFormat format = absl::GetFlag(FLAGS_format);
  const std::string& command = args[0];
  if (command == "predict") return Predict(format);
  if (command == "allocate") return AllocateCommand(format);
  if (command == "returns") return ReturnsCommand(format);
  if (command == "frontier") return FrontierCommand(format);
  if (command == "sweep") return SweepCommand(format);
  cli::UsageError(absl::StrCat("unknown command '", command,
                               "' (predict, allocate, returns, frontier, sweep)"));
}

}  // namespace
}  // namespace datawall::sim

int main(int argc, char** argv) { return datawall::sim::Main(argc, argv); }
