// factory.h's constructors: thin forwards to the GPT-2 and SentencePiece implementations.
#include "data/tokenizer/factory.h"

#include "data/tokenizer/gpt2_tokenizer.h"
#include "data/tokenizer/sentencepiece_tokenizer.h"
#include "tools/result/status.h"

namespace datawall::data {

absl::StatusOr<std::unique_ptr<Tokenizer>> LoadGpt2Tokenizer(const std::string& encoder_json,
                                                             const std::string& vocab_bpe) {
  absl::StatusOr<std::unique_ptr<Gpt2Tokenizer>> t = LoadGpt2TokenizerFiles(encoder_json, vocab_bpe);
  if (!t.ok()) return t.status();
  return std::unique_ptr<Tokenizer>(std::move(*t));
}

absl::Status TrainSmallVocabTokenizer(const std::vector<std::string>& text_files, int vocab_size,
                                      const std::string& model_path) {
  return ToStatus(TrainSentencePieceBpe(text_files, vocab_size, model_path));
}

absl::StatusOr<std::unique_ptr<Tokenizer>> LoadSmallVocabTokenizer(const std::string& model_path) {
  std::unique_ptr<Tokenizer> tokenizer;
  if (const Result r = LoadSentencePieceTokenizer(model_path, &tokenizer); !r.ok()) {
    return ToStatus(r);
  }
  return tokenizer;
}

}  // namespace datawall::data
