// factory.h's constructors: thin forwards to the GPT-2 and SentencePiece implementations.
#include "data/tokenizer/factory.h"

#include "data/tokenizer/gpt2_tokenizer.h"
#include "data/tokenizer/sentencepiece_tokenizer.h"

namespace datawall::data {

std::unique_ptr<Tokenizer> LoadGpt2Tokenizer(const std::string& encoder_json,
                                             const std::string& vocab_bpe, std::string* error) {
  return LoadGpt2TokenizerFiles(encoder_json, vocab_bpe, error);
}

std::string TrainSmallVocabTokenizer(const std::vector<std::string>& text_files, int vocab_size,
                                     const std::string& model_path) {
  return TrainSentencePieceBpe(text_files, vocab_size, model_path);
}

std::unique_ptr<Tokenizer> LoadSmallVocabTokenizer(const std::string& model_path,
                                                   std::string* error) {
  return LoadSentencePieceTokenizer(model_path, error);
}

}  // namespace datawall::data
