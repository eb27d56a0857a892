// The small-vocabulary tokenizer for CPU-scale experiments: a SentencePiece BPE model (Debian's
// libsentencepiece) trained with byte fallback, identity normalisation and no whitespace
// rewriting, so every valid UTF-8 input decodes back to itself (except text containing U+2581,
// SentencePiece's own space marker, which decodes as ' '). Ill-formed UTF-8 is replaced as for
// GPT-2 (utf8::ReplaceInvalid). Training is single-threaded, reads all lines of the files in
// order (no sampling, no shuffling) and is deterministic. Not GPT-2.
#ifndef DATAWALL_DATA_TOKENIZER_SENTENCEPIECE_TOKENIZER_H_
#define DATAWALL_DATA_TOKENIZER_SENTENCEPIECE_TOKENIZER_H_

#include <memory>
#include <string>
#include <vector>

#include "data/tokenizer/tokenizer.h"
#include "tools/result/result.h"

namespace datawall::data {

// Trains a BPE model with `vocab_size` pieces on the lines of `text_files` and writes it to
// `model_path` atomically. No files, a vocab_size out of range, a text file that cannot be opened
// or text SentencePiece refuses are BadInput (one line naming the file or the problem);
// failing to write the model is Internal.
//
// Errors are Result (tools/result), not absl::Status: Debian's sentencepiece headers declare their
// own absl::string_view, which clashes with Abseil's, so this file and its .cc cannot include
// Abseil. factory.h maps them to absl::Status (InvalidArgument / Internal) for the project.
Result TrainSentencePieceBpe(const std::vector<std::string>& text_files, int vocab_size,
                             const std::string& model_path);

// Loads a model; id() is "sp_bpe<vocab>_<16 hex digits of the model file's checksum>", so two
// different models never share an id. end_of_text() is the model's </s>. A model file that
// cannot be opened, does not parse or has no </s> is BadInput naming the file (*tokenizer unset).
Result LoadSentencePieceTokenizer(const std::string& model_path,
                                  std::unique_ptr<Tokenizer>* tokenizer);

}  // namespace datawall::data

#endif  // DATAWALL_DATA_TOKENIZER_SENTENCEPIECE_TOKENIZER_H_
