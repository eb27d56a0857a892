// The per-source validation of the filter experiments: a trained run's loss on every document
// of a validation shard, summed by source, over all of it, and over a high-quality subset (the
// stand-in for the paper's downstream tasks, section 7):
//
//   evaluate_sources --run_dir=DIR --shard=VALIDATION [--quality_shard=SUBSET] [--threads=N]
//
// writes DIR/validation_sources.json: {"checkpoint_step", "validation_shard" (+ checksum),
// "all" and "quality": {"documents", "tokens", "loss"}, "sources": {src: {...}}}, loss in nats
// per token over whole documents (document_loss.h), so it is not the trainer's final_val_loss
// (a fixed token sample) but close to it. The sweep runs it on each complete run of a
// DATA_FILTERING experiment before deleting its checkpoints. Exit 2 for bad input.
#include <cstdio>
#include <map>
#include <memory>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "data/shard.h"
#include "experiments/quality/document_loss.h"
#include "experiments/quality/trained_model.h"
#include "experiments/records/filter_files.h"
#include "experiments/records/records.h"
#include "experiments/training/train_step.h"
#include "tools/cli/flags.h"
#include "tools/cli/logging.h"
#include "tools/io/atomic_file.h"
#include "tools/paths/paths.h"

ABSL_FLAG(std::string, run_dir, "", "a complete run directory with its checkpoints");
ABSL_FLAG(std::string, shard, "", "the validation shard (all of its documents are scored)");
ABSL_FLAG(std::string, quality_shard, "", "the high-quality validation subset (optional)");
ABSL_FLAG(int, batch_size, 32, "windows per forward pass");
ABSL_FLAG(int, threads, 1, "intra-op threads");

namespace {

using namespace datawall;

// The losses of every document of `path`, over all of them and by source into *by_source when
// given.
records::DocumentsLoss Score(models::GPT& model, const std::string& path,
                             std::map<std::string, records::DocumentsLoss>* by_source, std::string* checksum) {
  std::unique_ptr<data::Shard> shard;
  if (Result r = data::Shard::Open(path, &shard); !r.ok()) cli::UsageError(r.message());
  if (shard->num_documents() < 1) cli::UsageError(path + ": no documents");
  *checksum = shard->checksum();
  const std::vector<quality::DocumentLoss> losses =
      quality::ScoreDocuments(model, *shard, {}, absl::GetFlag(FLAGS_batch_size));
  struct Sum {
    int64_t documents = 0, tokens = 0;
    double nll = 0;
  };
  Sum all;
  std::map<std::string, Sum> sums;
  for (int64_t d = 0; d < shard->num_documents(); ++d) {
    const std::string src =
        shard->info().sources.empty() ? std::string() : shard->info().sources[shard->document_source(d)];
    for (Sum* s : {&all, by_source ? &sums[src] : nullptr}) {
      if (s == nullptr) continue;
      s->documents += 1;
      s->tokens += losses[d].tokens;
      s->nll += losses[d].nll;
    }
  }
  auto loss = [](const Sum& s) {
    return records::DocumentsLoss{s.documents, s.tokens, s.tokens > 0 ? s.nll / s.tokens : 0.0};
  };
  if (by_source) {
    for (const auto& [src, s] : sums) (*by_source)[src] = loss(s);
  }
  return loss(all);
}

}  // namespace

int main(int argc, char** argv) {
  cli::ParseFlags(argc, argv, "evaluate_sources --run_dir=DIR --shard=FILE [--quality_shard=FILE]");
  cli::InitLogging(argv[0], false);
  const std::string run_dir = paths::UserPath(absl::GetFlag(FLAGS_run_dir));
  const std::string shard_path = paths::UserPath(absl::GetFlag(FLAGS_shard));
  const std::string quality_path = paths::UserPath(absl::GetFlag(FLAGS_quality_shard));
  if (run_dir.empty()) cli::UsageError("--run_dir is required");
  if (shard_path.empty()) cli::UsageError("--shard is required");
  if (absl::GetFlag(FLAGS_batch_size) < 1) cli::UsageError("--batch_size: must be >= 1");
  auto record = records::ReadRecordFile(run_dir + "/" + records::kRecordFile);
  if (!record.ok()) cli::Exit(record.status(), "--run_dir");
  if (!record->complete()) cli::UsageError(run_dir + ": the run is not complete");
  const auto& m = record->spec().model();
  const models::ModelShape shape{m.d_model(), m.ffw_size(), m.kv_size(), m.n_heads(),
                                 m.n_layers(), m.vocab_size(), m.seq_len(), 0.0};
  training::SetThreads(absl::GetFlag(FLAGS_threads));
  models::GPT model(nullptr);
  int64_t step = 0;
  if (Result r = quality::LoadTrainedModel(shape, run_dir, &model, &step); !r.ok()) cli::UsageError(r.message());
  records::SourceValidation v;
  v.run = record->spec().name();
  v.checkpoint_step = step;
  v.validation_shard = shard_path;
  v.all = Score(model, shard_path, &v.sources, &v.validation_shard_checksum);
  if (!quality_path.empty()) {
    v.quality_shard = quality_path;
    v.quality = Score(model, quality_path, nullptr, &v.quality_shard_checksum);
  }
  absl::StatusOr<std::string> text = records::SourceValidationJson(v);
  if (!text.ok()) cli::InternalError(std::string(text.status().message()));
  const std::string path = absl::StrCat(run_dir, "/", records::kValidationSourcesFile);
  if (Result r = io::WriteFileAtomically(path, *text); !r.ok()) cli::InternalError(r.message());
  std::printf("%s: all %.4f (%lld tokens)%s\n", v.run.c_str(), v.all.loss, static_cast<long long>(v.all.tokens),
              v.quality ? absl::StrCat(", quality ", v.quality->loss).c_str() : "");
  return 0;
}
