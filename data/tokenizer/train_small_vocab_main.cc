// train_small_vocab: trains the small-vocabulary tokenizer (SentencePiece BPE, factory.h) on text
// files and prints the model's id, vocabulary size and the training time. A thin main; the data
// pipeline (//data:prepare) trains its own models and does not need this.
//   train_small_vocab --vocab_size=1024 --model=OUT.model FILE...
// Exit 2 on bad flags, unreadable files or a vocabulary SentencePiece rejects.
#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "data/tokenizer/factory.h"
#include "tools/cli/flags.h"

ABSL_FLAG(int, vocab_size, 1024, "vocabulary size (>= 260: 256 byte pieces, <unk>, </s>, ...)");
ABSL_FLAG(std::string, model, "", "where to write the model (atomically); required");

int main(int argc, char** argv) {
  using namespace datawall;
  const std::vector<std::string> files = cli::ParseFlags(
      argc, argv, "train_small_vocab --vocab_size=V --model=OUT.model FILE...");
  const std::string model = absl::GetFlag(FLAGS_model);
  if (model.empty()) cli::UsageError("--model: required");
  if (files.empty()) cli::UsageError("no input files");
  const auto t0 = std::chrono::steady_clock::now();
  const absl::Status trained =
      data::TrainSmallVocabTokenizer(files, absl::GetFlag(FLAGS_vocab_size), model);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  // Every path here is the user's (including --model), so any training failure is exit 2.
  if (!trained.ok()) cli::UsageError(std::string(trained.message()));
  absl::StatusOr<std::unique_ptr<data::Tokenizer>> tokenizer = data::LoadSmallVocabTokenizer(model);
  if (!tokenizer.ok()) cli::InternalError(std::string(tokenizer.status().message()));  // we just wrote it
  std::printf("%s: id %s, vocab_size %u, trained in %.2f s\n", model.c_str(),
              (*tokenizer)->id().c_str(), (*tokenizer)->vocab_size(), seconds);
  return 0;
}
