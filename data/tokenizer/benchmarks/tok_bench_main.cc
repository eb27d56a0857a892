// The C++ side of the side-by-side throughput comparison with js-tiktoken (tok_bench.js): encodes
// one file as ONE string, pass 1 timed alone (cold word cache), passes 2..R warm; median warm MB/s
// is the headline. With --threads=T > 1 it also times EncodeParallel (same ids, checked). Prints
// one JSON line with the same fields as tok_bench.js (fnv1a32_ids over the ids, --dump as u16).
// Not a unit test: run by compare.sh.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "data/tokenizer/gpt2_files.h"
#include "data/tokenizer/gpt2_tokenizer.h"
#include "tools/cli/flags.h"
#include "tools/json/json.h"
#include "tools/paths/paths.h"

ABSL_FLAG(int, reps, 5, "passes over the file (pass 1 cold, the rest warm)");
ABSL_FLAG(int, threads, 1, "also time EncodeParallel with this many threads (> 1)");
ABSL_FLAG(std::string, dump, "", "write the ids of pass 1 as little-endian uint16 to this file");
ABSL_FLAG(std::string, encoder_json, "", "GPT-2 encoder.json (default: the fetched copy)");
ABSL_FLAG(std::string, vocab_bpe, "", "GPT-2 vocab.bpe (default: the fetched copy)");

namespace {

using Clock = std::chrono::steady_clock;
double Seconds(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}
double Median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v.size() % 2 ? v[v.size() / 2] : 0.5 * (v[v.size() / 2 - 1] + v[v.size() / 2]);
}
uint32_t Fnv1a(const std::vector<uint32_t>& ids) {
  uint32_t h = 0x811c9dc5u;
  for (uint32_t id : ids) {
    h ^= id;
    h *= 0x01000193u;
  }
  return h;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace datawall;
  const std::vector<std::string> args = cli::ParseFlags(
      argc, argv, "tok_bench FILE [--reps=R] [--threads=T] [--dump=OUT.u16]: GPT-2 encode MB/s");
  if (args.size() != 1) cli::UsageError("expected exactly one FILE argument");
  const int reps = absl::GetFlag(FLAGS_reps), threads = absl::GetFlag(FLAGS_threads);
  if (reps < 2) cli::UsageError("--reps: need at least 2 (one cold, one warm)");
  if (threads < 1) cli::UsageError("--threads: need at least 1");
  const std::string root = paths::WorkspaceRoot();
  std::string enc = absl::GetFlag(FLAGS_encoder_json), bpe = absl::GetFlag(FLAGS_vocab_bpe);
  if (enc.empty()) enc = data::Gpt2EncoderJsonPath(root);
  if (bpe.empty()) bpe = data::Gpt2VocabBpePath(root);

  const auto t_init0 = Clock::now();
  absl::StatusOr<std::unique_ptr<data::Gpt2Tokenizer>> loaded =
      data::LoadGpt2TokenizerFiles(enc, bpe);
  if (!loaded.ok()) cli::Exit(loaded.status());  // a missing or malformed file: exit 2
  const std::unique_ptr<data::Gpt2Tokenizer> tokenizer = std::move(*loaded);
  const auto t_init1 = Clock::now();
  std::ifstream in(args[0], std::ios::binary);
  if (!in) cli::UsageError(args[0] + ": cannot open");
  std::ostringstream buffer;
  buffer << in.rdbuf();
  const std::string text = buffer.str();
  const double mb = text.size() / 1e6;

  std::vector<double> times;
  std::vector<uint32_t> first;
  double warm_wall = 0, warm_cpu = 0;
  for (int r = 0; r < reps; ++r) {
    std::vector<uint32_t> ids;
    ids.reserve(text.size() / 3);
    const auto t0 = Clock::now();
    const std::clock_t c0 = std::clock();
    tokenizer->Encode(text, &ids);
    const std::clock_t c1 = std::clock();
    times.push_back(Seconds(t0, Clock::now()));
    if (r > 0) {
      warm_wall += times.back();
      warm_cpu += static_cast<double>(c1 - c0) / CLOCKS_PER_SEC;
    }
    if (r == 0) first = std::move(ids);
  }
  const std::vector<double> warm(times.begin() + 1, times.end());
  const double median = Median(warm);

  double par_median = 0, par_cpu_per_wall = 0;
  bool par_same = true;
  if (threads > 1) {
    std::vector<double> par;
    double wall = 0, cpu = 0;
    for (int r = 0; r < reps; ++r) {
      std::vector<uint32_t> ids;
      const auto t0 = Clock::now();
      const std::clock_t c0 = std::clock();  // process CPU time, all threads
      tokenizer->EncodeParallel(text, threads, &ids);
      const std::clock_t c1 = std::clock();
      par.push_back(Seconds(t0, Clock::now()));
      if (r > 0) {
        wall += par.back();
        cpu += static_cast<double>(c1 - c0) / CLOCKS_PER_SEC;
      }
      par_same = par_same && ids == first;
    }
    par_cpu_per_wall = wall > 0 ? cpu / wall : 0;
    par_median = Median(std::vector<double>(par.begin() + 1, par.end()));
  }
  if (const std::string dump = absl::GetFlag(FLAGS_dump); !dump.empty()) {
    std::vector<uint16_t> u(first.begin(), first.end());
    std::ofstream out(dump, std::ios::binary);
    out.write(reinterpret_cast<const char*>(u.data()), u.size() * 2);
  }
  char ids_hash[16];
  std::snprintf(ids_hash, sizeof(ids_hash), "%x", Fnv1a(first));
  const json::Json result = {
      {"benchmark", "tok_bench_datawall_gpt2"},
      {"bytes", text.size()},
      {"tokens", first.size()},
      {"fnv1a32_ids", ids_hash},
      {"reps", reps},
      {"pass_seconds", times},
      {"cold_MBps", mb / times[0]},
      {"warm_median_seconds", median},
      {"warm_MBps", mb / median},
      {"warm_tokens_per_s", first.size() / median},
      {"warm_cpus_busy", warm_cpu / warm_wall},
      {"init_seconds", Seconds(t_init0, t_init1)},
      {"pair_table_entries", tokenizer->pair_table().size()},
      {"threads", threads},
      {"parallel_warm_median_seconds", par_median},
      {"parallel_MBps", par_median > 0 ? mb / par_median : 0.0},
      {"parallel_speedup", par_median > 0 ? median / par_median : 0.0},
      {"parallel_cpus_busy", par_cpu_per_wall},
      {"parallel_ids_identical", par_same}};
  absl::StatusOr<std::string> line = json::Dump(result);
  if (!line.ok()) {
    std::fprintf(stderr, "tok_bench: %s\n", std::string(line.status().message()).c_str());
    return 1;
  }
  std::printf("%s\n", line->c_str());
  return par_same ? 0 : 1;
}
