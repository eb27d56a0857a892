// Throughput of the project's content checksum (tools/io/checksum.h), which every shard load
// and checkpoint load pays. Run: bazel run -c opt //tools/io/benchmarks:checksum_benchmark
#include <string>

#include "benchmark/benchmark.h"
#include "tools/io/checksum.h"

static void BM_Checksum64(benchmark::State& state) {
  std::string data(static_cast<size_t>(state.range(0)), '\0');
  for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<char>(i * 131 + 7);
  for (auto _ : state) {
    benchmark::DoNotOptimize(datawall::io::Checksum64(data.data(), data.size()));
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * state.range(0));
}
BENCHMARK(BM_Checksum64)->Arg(64)->Arg(4096)->Arg(1 << 20);

BENCHMARK_MAIN();
