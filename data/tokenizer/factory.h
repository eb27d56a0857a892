// Constructors for the concrete tokenizers behind data/tokenizer/tokenizer.h; errors are
// absl::Status (outside the training core). Not the tokenizers themselves.
#ifndef DATAWALL_DATA_TOKENIZER_FACTORY_H_
#define DATAWALL_DATA_TOKENIZER_FACTORY_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "data/tokenizer/tokenizer.h"

namespace datawall::data {

// GPT-2 byte-level BPE from OpenAI's encoder.json + vocab.bpe (id "gpt2"). A missing file or
// one that does not parse is InvalidArgument naming the file (and the line); a read failing part
// way is Internal.
absl::StatusOr<std::unique_ptr<Tokenizer>> LoadGpt2Tokenizer(const std::string& encoder_json,
                                                             const std::string& vocab_bpe);

// Small-vocabulary tokenizer for CPU-scale runs: trains a model with `vocab_size` entries on the
// given UTF-8 text files and writes it to `model_path` (atomically). Deterministic for the same
// inputs. Bad inputs (no files, vocab_size out of range, a text file that cannot be opened) are
// InvalidArgument; failing to write the model is Internal.
absl::Status TrainSmallVocabTokenizer(const std::vector<std::string>& text_files, int vocab_size,
                                      const std::string& model_path);
// Loads a model written by TrainSmallVocabTokenizer. A model file that cannot be opened or is not
// a usable model is InvalidArgument naming the file.
absl::StatusOr<std::unique_ptr<Tokenizer>> LoadSmallVocabTokenizer(const std::string& model_path);

}  // namespace datawall::data

#endif  // DATAWALL_DATA_TOKENIZER_FACTORY_H_
