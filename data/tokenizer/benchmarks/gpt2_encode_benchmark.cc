// Google Benchmark for the GPT-2 encoder: prose and code texts (data/work/tokbench, built by
// build_texts.sh), a 1 MB single word (the heap merge), and EncodeDocuments with 1 and 2 threads.
// Run: bazel run -c opt //data/tokenizer/benchmarks:gpt2_encode_benchmark. Not a test.
#include <benchmark/benchmark.h>

#include <fstream>
#include <memory>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "data/tokenizer/gpt2_files.h"
#include "data/tokenizer/gpt2_tokenizer.h"
#include "data/tokenizer/parallel.h"
#include "tools/paths/paths.h"

namespace datawall::data {
namespace {

const Gpt2Tokenizer* Tok() {
  static const std::unique_ptr<Gpt2Tokenizer> t = [] {
    const std::string root = paths::WorkspaceRoot();
    absl::StatusOr<std::unique_ptr<Gpt2Tokenizer>> t =
        LoadGpt2TokenizerFiles(Gpt2EncoderJsonPath(root), Gpt2VocabBpePath(root));
    if (!t.ok()) {
      std::fprintf(stderr, "%s\n", std::string(t.status().message()).c_str());
      return std::unique_ptr<Gpt2Tokenizer>();
    }
    return std::move(*t);
  }();
  return t.get();
}

std::string Text(const std::string& name) {
  std::ifstream in(paths::WorkspaceRoot() + "/data/work/tokbench/" + name, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void EncodeText(benchmark::State& state, const std::string& name) {
  const std::string text = Text(name);
  if (Tok() == nullptr || text.empty()) {
    state.SkipWithError("missing GPT-2 files or data/work/tokbench (run build_texts.sh)");
    return;
  }
  std::vector<uint32_t> ids;
  for (auto _ : state) {
    ids.clear();
    Tok()->Encode(text, &ids);
    benchmark::DoNotOptimize(ids.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * text.size());
  state.counters["tokens"] = ids.size();
}
void BM_EncodeProse(benchmark::State& state) { EncodeText(state, "prose.txt"); }
void BM_EncodeCode(benchmark::State& state) { EncodeText(state, "code.txt"); }
BENCHMARK(BM_EncodeProse)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_EncodeCode)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_EncodeSingleWord1MB(benchmark::State& state) {
  if (Tok() == nullptr) {
    state.SkipWithError("missing GPT-2 files");
    return;
  }
  std::mt19937 rng(1);
  std::string word;
  for (int i = 0; i < (1 << 20); ++i) word.push_back(static_cast<char>('a' + rng() % 26));
  std::vector<uint32_t> ids;
  for (auto _ : state) {
    ids.clear();
    Tok()->Encode(word, &ids);
    benchmark::DoNotOptimize(ids.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * word.size());
}
BENCHMARK(BM_EncodeSingleWord1MB)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_EncodeDocuments(benchmark::State& state) {
  const std::string text = Text("prose.txt");
  if (Tok() == nullptr || text.empty()) {
    state.SkipWithError("missing GPT-2 files or data/work/tokbench (run build_texts.sh)");
    return;
  }
  std::vector<std::string_view> docs;  // ~16 KB documents cut at line ends
  for (size_t pos = 0; pos < text.size();) {
    size_t end = text.find('\n', std::min(text.size(), pos + 16384));
    end = end == std::string::npos ? text.size() : end + 1;
    docs.push_back(std::string_view(text).substr(pos, end - pos));
    pos = end;
  }
  for (auto _ : state) {
    auto ids = EncodeDocuments(*Tok(), docs, static_cast<int>(state.range(0)));
    benchmark::DoNotOptimize(ids.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * text.size());
}
BENCHMARK(BM_EncodeDocuments)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace datawall::data
