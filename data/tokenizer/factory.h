// Constructors for the concrete tokenizers behind data/tokenizer/tokenizer.h.
#ifndef DATAWALL_DATA_TOKENIZER_FACTORY_H_
#define DATAWALL_DATA_TOKENIZER_FACTORY_H_

#include <memory>
#include <string>
#include <vector>

#include "data/tokenizer/tokenizer.h"

namespace datawall::data {

// GPT-2 byte-level BPE from OpenAI's encoder.json + vocab.bpe (id "gpt2"). Returns nullptr and
// sets *error (naming the file and what does not parse) on failure.
std::unique_ptr<Tokenizer> LoadGpt2Tokenizer(const std::string& encoder_json,
                                             const std::string& vocab_bpe, std::string* error);

// Small-vocabulary tokenizer for CPU-scale runs: trains a model with `vocab_size` entries on the
// given UTF-8 text files and writes it to `model_path` (atomically). Deterministic for the same
// inputs. Returns "" or an error.
std::string TrainSmallVocabTokenizer(const std::vector<std::string>& text_files, int vocab_size,
                                     const std::string& model_path);
std::unique_ptr<Tokenizer> LoadSmallVocabTokenizer(const std::string& model_path,
                                                   std::string* error);

}  // namespace datawall::data

#endif  // DATAWALL_DATA_TOKENIZER_FACTORY_H_
