// train_small_vocab: trains the small-vocabulary tokenizer (SentencePiece BPE, factory.h) on text
// files and prints the model's id, vocabulary size and the training time. A thin main; the data
// pipeline (//data:prepare) trains its own models and does not need this.
//   train_small_vocab --vocab_size=1024 --model=OUT.model FILE...
// Exit 2 on bad flags, unreadable files or a vocabulary SentencePiece rejects.
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
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
  const std::string error =
      data::TrainSmallVocabTokenizer(files, absl::GetFlag(FLAGS_vocab_size), model);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (!error.empty()) cli::UsageError(error);
  std::string load_error;
  auto tokenizer = data::LoadSmallVocabTokenizer(model, &load_error);
  if (tokenizer == nullptr) cli::InternalError(load_error);
  std::printf("%s: id %s, vocab_size %u, trained in %.2f s\n", model.c_str(),
              tokenizer->id().c_str(), tokenizer->vocab_size(), seconds);
  return 0;
}
