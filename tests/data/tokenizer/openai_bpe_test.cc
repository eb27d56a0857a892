// Our merge (tiktoken's rule: lowest rank of the concatenated bytes, leftmost first, with the
// whole-piece shortcut) against a C++ port of OpenAI's original encoder.py bpe() (merge rules of
// vocab.bpe by rank, each round merging every occurrence of the best pair left to right), on every
// vocabulary token as a piece, every pre-token of 52 KB of prose, and random token concatenations.
// Together with reference_test (js-tiktoken) this ties our ids to OpenAI's GPT-2 encoder.
#include <fstream>
#include <iterator>
#include <map>
#include <random>
#include <string>
#include <unordered_map>
#include <vector>

#include "data/tokenizer/bpe.h"
#include "data/tokenizer/gpt2_files.h"
#include "data/tokenizer/pretokenizer.h"
#include "gtest/gtest.h"
#include "tests/data/tokenizer/gpt2_test_util.h"
#include "tools/paths/paths.h"

namespace datawall::data {
namespace {

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// encoder.py's bpe() on byte strings (GPT-2's byte->unicode map is a bijection, so symbols can be
// kept as bytes).
class OpenAiBpe {
 public:
  OpenAiBpe(const std::string& vocab_bpe, const std::vector<std::string>& tokens) {
    std::map<uint32_t, uint8_t> unicode_to_byte;
    for (int b = 0; b < 256; ++b) unicode_to_byte[Gpt2ByteToUnicode(static_cast<uint8_t>(b))] = b;
    auto to_bytes = [&](const std::string& s) {
      std::string out;
      for (size_t i = 0; i < s.size();) {
        const unsigned char c = s[i];
        uint32_t cp = c;
        if (c >= 0x80) {
          cp = ((c & 0x1F) << 6) | (s[i + 1] & 0x3F);
          ++i;
        }
        ++i;
        out.push_back(static_cast<char>(unicode_to_byte.at(cp)));
      }
      return out;
    };
    size_t pos = vocab_bpe.find('\n') + 1;  // skip "#version"
    int rank = 0;
    while (pos < vocab_bpe.size()) {
      size_t eol = vocab_bpe.find('\n', pos);
      if (eol == std::string::npos) eol = vocab_bpe.size();
      const std::string line = vocab_bpe.substr(pos, eol - pos);
      pos = eol + 1;
      if (line.empty()) continue;
      const size_t space = line.find(' ');
      ranks_[to_bytes(line.substr(0, space)) + '\0' + to_bytes(line.substr(space + 1))] = rank++;
    }
    for (size_t id = 0; id < tokens.size(); ++id) encoder_[tokens[id]] = static_cast<uint32_t>(id);
  }

  std::vector<uint32_t> Encode(const std::string& piece) const {
    std::vector<std::string> word;
    for (char c : piece) word.emplace_back(1, c);
    while (word.size() > 1) {
      int best = -1;
      size_t best_i = 0;
      for (size_t i = 0; i + 1 < word.size(); ++i) {
        const auto it = ranks_.find(word[i] + '\0' + word[i + 1]);
        if (it != ranks_.end() && (best < 0 || it->second < best)) {
          best = it->second;
          best_i = i;
        }
      }
      if (best < 0) break;
      const std::string first = word[best_i], second = word[best_i + 1];
      std::vector<std::string> merged;
      for (size_t i = 0; i < word.size();) {
        if (i + 1 < word.size() && word[i] == first && word[i + 1] == second) {
          merged.push_back(first + second);
          i += 2;
        } else {
          merged.push_back(word[i]);
          i += 1;
        }
      }
      word.swap(merged);
    }
    std::vector<uint32_t> ids;
    for (const std::string& w : word) ids.push_back(encoder_.at(w));
    return ids;
  }

 private:
  std::unordered_map<std::string, int> ranks_;
  std::unordered_map<std::string, uint32_t> encoder_;
};

TEST(OpenAiBpe, SameIdsAsEncoderPy) {
  const Gpt2Tokenizer* t = testing::SharedGpt2();
  ASSERT_NE(t, nullptr);
  const std::string root = paths::WorkspaceRoot();
  std::vector<std::string> tokens;
  for (uint32_t id = 0; id < t->vocab_size(); ++id) tokens.emplace_back(t->TokenBytes(id));
  const OpenAiBpe openai(ReadAll(Gpt2VocabBpePath(root)), tokens);

  std::vector<std::string> pieces;
  // Every ordinary token: the whole-piece shortcut must agree with running the merges.
  for (uint32_t id = 0; id < t->vocab_size(); ++id) {
    if (id != t->end_of_text()) pieces.push_back(tokens[id]);
  }
  const std::string prose = ReadAll(root + "/tests/data/tokenizer/testdata/moby_dick_ch1-3.txt");
  ASSERT_GT(prose.size(), 50000u);
  for (const std::string& p : Gpt2PreTokenize(prose)) pieces.push_back(p);
  size_t whole_tokens = pieces.size();
  std::mt19937 rng(5);
  for (int k = 0; k < 20000; ++k) {  // concatenations of 2-3 tokens, merged as one piece
    std::string p;
    for (int j = 0, n = 2 + rng() % 2; j < n; ++j) {
      uint32_t id = rng() % t->vocab_size();
      if (id == t->end_of_text()) id = 0;
      p += tokens[id];
    }
    pieces.push_back(p);
  }
  // Ours, as Gpt2Tokenizer::EncodeValid does it per piece: the whole piece if it is a token, else
  // the merge.
  std::unordered_map<std::string, uint32_t> vocab;
  for (uint32_t id = 0; id < t->vocab_size(); ++id) {
    if (id != t->end_of_text()) vocab[tokens[id]] = id;
  }
  int mismatches = 0;
  for (size_t i = 0; i < pieces.size(); ++i) {
    const std::string& p = pieces[i];
    std::vector<uint32_t> ours;
    if (const auto it = vocab.find(p); it != vocab.end()) {
      ours = {it->second};
    } else {
      BytePairEncode(p, t->pair_table(), t->byte_ids(), &ours);
    }
    const std::vector<uint32_t> want = openai.Encode(p);
    if (ours != want && ++mismatches <= 5) {
      ADD_FAILURE() << "piece " << i << (i < whole_tokens ? " (token/prose)" : " (concatenation)")
                    << " of " << p.size() << " bytes differs from encoder.py";
    }
  }
  EXPECT_EQ(mismatches, 0) << "of " << pieces.size() << " pieces";
  std::printf("compared %zu pieces with encoder.py's bpe()\n", pieces.size());
}

}  // namespace
}  // namespace datawall::data
