// The pool builder CLI of the filter experiments (build_pools.h):
//
//   bazel run -c opt //experiments/quality:build_pools -- --experiment=experiments/specs/filter_dedup.textproto
//       --scale=cpu [--train_binary=... --filter_binary=... --dedup_binary=...] [--data_root=DIR] [--format=json]
//
// The experiment targets run it (through the sweep CLI) when a scale's pools.textproto is
// missing. Prints the Table 12 analogue (documents and tokens per arm). Exit 2 for bad input.
#include <cstdio>
#include <iostream>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "experiments/quality/build_pools.h"
#include "experiments/records/message_json.h"
#include "google/protobuf/text_format.h"
#include "tools/cli/flags.h"
#include "tools/cli/logging.h"
#include "tools/io/atomic_file.h"
#include "tools/paths/paths.h"
#include "tools/result/status.h"

ABSL_FLAG(std::string, experiment, "", "ExperimentSpec file (text format), a DATA_FILTERING experiment");
ABSL_FLAG(std::string, scale, "", "the scale whose pools to build");
ABSL_FLAG(std::string, data_root, "", "where the spec's relative paths resolve (default: the workspace)");
ABSL_FLAG(std::string, train_binary, "", "the train CLI (//experiments:train), for the perplexity scorer");
ABSL_FLAG(std::string, filter_binary, "", "//experiments/quality:perplexity_filter, for the perplexity arms");
ABSL_FLAG(std::string, dedup_binary, "", "//data/dedup:dedup_shard, for the dedup arms");
ABSL_FLAG(int, threads, 1, "encoding, training and scoring threads");
ABSL_FLAG(datawall::cli::TextOrJson, format, datawall::cli::TextOrJson::kText, "text or json");

int main(int argc, char** argv) {
  using namespace datawall;
  cli::ParseFlags(argc, argv, "build_pools --experiment=SPEC --scale=NAME [--train_binary=F --filter_binary=F]");
  cli::InitLogging(argv[0], false);
  const std::string spec_path = paths::UserPath(absl::GetFlag(FLAGS_experiment));
  if (spec_path.empty()) cli::UsageError("--experiment: required");
  const std::string scale_name = absl::GetFlag(FLAGS_scale);
  if (scale_name.empty()) cli::UsageError("--scale: required");
  if (absl::GetFlag(FLAGS_threads) < 1) cli::UsageError("--threads: must be at least 1");
  std::string text;
  if (Result r = io::ReadFile(spec_path, &text); !r.ok()) cli::UsageError(r.message());
  experiments::ExperimentSpec spec;
  if (!google::protobuf::TextFormat::ParseFromString(text, &spec)) {
    cli::UsageError(spec_path + ": not an ExperimentSpec in text format");
  }
  if (spec.kind() != experiments::DATA_FILTERING) cli::UsageError(spec_path + ": not a DATA_FILTERING experiment");
  const experiments::Scale* scale = nullptr;
  for (const auto& s : spec.scales()) {
    if (s.name() == scale_name) scale = &s;
  }
  if (scale == nullptr) cli::UsageError(absl::StrCat("--scale=", scale_name, ": not a scale of ", spec.name()));
  if (!scale->has_pools()) cli::UsageError(absl::StrCat("scale ", scale_name, ": no pools (plan only)"));

  quality::BuildPoolsOptions options;
  std::string root = absl::GetFlag(FLAGS_data_root);
  options.data_root = root.empty() ? paths::WorkspaceRoot() : paths::UserPath(root);
  options.train_binary = paths::UserPath(absl::GetFlag(FLAGS_train_binary));
  options.filter_binary = paths::UserPath(absl::GetFlag(FLAGS_filter_binary));
  options.dedup_binary = paths::UserPath(absl::GetFlag(FLAGS_dedup_binary));
  options.threads = absl::GetFlag(FLAGS_threads);
  options.progress = &std::cerr;
  experiments::BuiltPools built;
  if (absl::Status s = quality::BuildPools(spec, *scale, options, &built); !s.ok()) cli::Exit(s);
  if (absl::GetFlag(FLAGS_format) == cli::TextOrJson::kJson) {
    absl::StatusOr<std::string> json = records::MessageJson(built);
    if (!json.ok()) cli::Exit(json.status());
    std::printf("%s\n", json->c_str());
    return 0;
  }
  std::printf("%s/%s pools (%s), %.1f s\n%-16s %10s %12s\n", spec.name().c_str(), scale_name.c_str(),
              quality::PoolsDir(spec, *scale).c_str(), built.seconds(), "arm", "documents", "tokens");
  for (const auto& s : built.stats()) {
    std::printf("%-16s %10lld %12lld\n", s.filter().c_str(), static_cast<long long>(s.documents()),
                static_cast<long long>(s.tokens()));
  }
  return 0;
}
