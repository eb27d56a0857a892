// reproduce: retrains a committed run from its record's spec and compares the final validation
// loss with the recorded one (issue: committed results must be reproducible).
//
//   bazel run -c opt //experiments:reproduce -- --record=experiments/results/cpu/<exp>/runs/<hash>/record.textproto
//   bazel run -c opt //experiments:reproduce -- --results=experiments/results/cpu   # the cheapest complete run
//
// Verdict: "bit for bit" when the loss is identical; when this machine's BLAS (the record's
// "blas" library entry: OpenBLAS build and kernel) is the recorded one, anything else is a
// mismatch; on another kernel, a relative difference up to --tolerance (1e-6) is "within
// tolerance" (kernels sum in different orders). --format=json prints the same as JSON.
// Exit 0 reproduced, 1 mismatch or training failure, 2 bad input (no such record, missing shard).
// Not a sweep: one run, trained in a temporary directory that is deleted afterwards.
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include <unistd.h>

#include "absl/flags/flag.h"
#include "absl/strings/str_format.h"
#include "experiments/records/records.h"
#include "experiments/run_io.h"
#include "experiments/training/trainer.h"
#include "tools/cli/flags.h"
#include "tools/cli/logging.h"
#include "tools/json/json.h"
#include "tools/paths/paths.h"

ABSL_FLAG(std::string, record, "", "a committed record.textproto to retrain");
ABSL_FLAG(std::string, results, "",
          "or: a results directory; retrains its complete record with the fewest FLOPs");
ABSL_FLAG(std::string, data_root, "", "where the spec's relative shard paths resolve (workspace)");
ABSL_FLAG(double, tolerance, 1e-6, "relative difference allowed on a different BLAS kernel");
ABSL_FLAG(int32_t, threads, 1, "intra-op and OpenBLAS threads (the committed runs used 1)");
ABSL_FLAG(std::string, format, "text", "text or json");

namespace {

using namespace datawall;

std::string BlasOf(const experiments::RunRecord& r) {
  for (const auto& lib : r.provenance().library()) {
    if (lib.name() == "blas") return lib.version();
  }
  return "";
}

// The complete record under `dir` (recursively) with the fewest FLOPs; "" if none.
std::string CheapestRecord(const std::string& dir) {
  std::string best;
  double best_flops = 0;
  std::error_code ec;
  for (auto it = std::filesystem::recursive_directory_iterator(dir, ec);
       it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
    if (ec) break;
    if (it->path().filename() != records::kRecordFile) continue;
    absl::StatusOr<experiments::RunRecord> r = records::ReadRecordFile(it->path().string());
    if (!r.ok() || !r->complete()) continue;
    if (best.empty() || r->flops() < best_flops ||
        (r->flops() == best_flops && it->path().string() < best)) {
      best = it->path().string();
      best_flops = r->flops();
    }
  }
  return best;
}

}  // namespace

int main(int argc, char** argv) {
  cli::ParseFlags(argc, argv,
                  "reproduce --record=FILE | --results=DIR: retrain a committed run and compare "
                  "its final validation loss");
  cli::InitLogging(argv[0]);
  const std::string format = absl::GetFlag(FLAGS_format);
  if (format != "text" && format != "json") cli::UsageError("--format must be text or json");
  std::string record_path = paths::UserPath(absl::GetFlag(FLAGS_record));
  const std::string results = paths::UserPath(absl::GetFlag(FLAGS_results));
  if (record_path.empty() == results.empty()) {
    cli::UsageError("give exactly one of --record and --results");
  }
  if (!results.empty()) {
    record_path = CheapestRecord(results);
    if (record_path.empty()) cli::UsageError("--results: no complete record under " + results);
  }
  absl::StatusOr<experiments::RunRecord> recorded = records::ReadRecordFile(record_path);
  if (!recorded.ok()) cli::UsageError("--record: " + std::string(recorded.status().message()));
  if (!recorded->complete()) cli::UsageError("--record: " + record_path + " is not complete");
  const double tolerance = absl::GetFlag(FLAGS_tolerance);
  if (!(tolerance >= 0)) cli::UsageError("--tolerance must be >= 0");

  std::string data_root = paths::UserPath(absl::GetFlag(FLAGS_data_root));
  if (data_root.empty()) data_root = paths::WorkspaceRoot();
  training::TrainOptions options;
  std::string error;
  if (!training::SpecToOptions(recorded->spec(), data_root, &options, &error)) {
    cli::UsageError("--record: " + record_path + ": " + error);
  }
  std::error_code ec;
  const std::filesystem::path tmp = std::filesystem::temp_directory_path() /
                                    ("datawall-reproduce-" + std::to_string(::getpid()));
  std::filesystem::create_directories(tmp, ec);
  options.out_dir = tmp.string();
  options.tensorboard = false;
  options.threads = absl::GetFlag(FLAGS_threads);
  options.progress_every_seconds = 0;
  training::TrainSummary summary;
  const Result status = training::Train(options, &summary);
  std::filesystem::remove_all(tmp, ec);
  if (status.bad_input()) cli::UsageError(record_path + ": " + status.message());
  if (!status.ok()) cli::InternalError(record_path + ": " + status.message());

  const experiments::RunRecord now =
      training::MakeRunRecord(recorded->spec(), summary, options.threads, "", "");
  const std::string blas_then = BlasOf(*recorded), blas_now = BlasOf(now);
  const bool same_blas = !blas_then.empty() && blas_then == blas_now;
  const double then = recorded->final_val_loss(), got = summary.final_val_loss;
  const double relative = std::fabs(got - then) / std::fabs(then);
  std::string verdict;
  bool ok = false;
  if (got == then) {
    verdict = "bit for bit";
    ok = true;
  } else if (!same_blas && relative <= tolerance) {
    verdict = absl::StrFormat("within tolerance (%.1e relative, another BLAS kernel)", tolerance);
    ok = true;
  } else {
    verdict = same_blas ? "MISMATCH (same BLAS kernel, so the loss must be identical)"
                        : absl::StrFormat("MISMATCH (more than %.1e relative)", tolerance);
  }
  if (format == "json") {
    json::Json out = {{"record", record_path}, {"run", recorded->spec().name()},
                      {"recorded_final_val_loss", then}, {"final_val_loss", got},
                      {"relative_difference", relative}, {"recorded_blas", blas_then},
                      {"blas", blas_now}, {"same_blas", same_blas}, {"reproduced", ok},
                      {"verdict", verdict}};
    absl::StatusOr<std::string> text = json::Dump(out, 2);
    if (!text.ok()) cli::InternalError(std::string(text.status().message()));
    std::cout << *text << "\n";
  } else {
    std::cout << absl::StrFormat(
        "record:    %s\nrun:       %s\nrecorded:  %.10f (%s)\nretrained: %.10f (%s)\n"
        "relative difference %.3g: %s\n",
        record_path, recorded->spec().name(), then, blas_then, got, blas_now, relative, verdict);
  }
  return ok ? 0 : 1;
}
