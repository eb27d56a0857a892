// Control for compare.sh's multi-thread figures: the wall-clock speedup that perfectly parallel
// code (independent floating-point spin loops, no memory traffic, no shared state) gets on this
// machine right now, with 1 and with T threads. If it is far below T, the machine (load, CPU
// quota, shared cores) and not the tokenizer limits EncodeParallel's speedup. Not a test.
// Run: cpu_scaling_control [T]   (default 2)
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <thread>
#include <vector>

namespace {

struct Timing {
  double wall, cpu;
};

// `threads` threads each run the same fixed amount of work.
Timing Spin(int threads) {
  const auto w0 = std::chrono::steady_clock::now();
  const std::clock_t c0 = std::clock();
  std::vector<double> sinks(threads * 8, 0.0);
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&sinks, t] {
      double x = 0;
      for (long i = 0; i < 200000000; ++i) x += static_cast<double>(i) * 1e-9;
      sinks[t * 8] = x;  // separate cache lines
    });
  }
  for (std::thread& th : pool) th.join();
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - w0).count();
  const double cpu = static_cast<double>(std::clock() - c0) / CLOCKS_PER_SEC;
  if (sinks[0] == -1) std::printf("\n");  // keep the loops
  return {wall, cpu};
}

}  // namespace

int main(int argc, char** argv) {
  const int threads = argc > 1 ? std::atoi(argv[1]) : 2;
  if (threads < 2) {
    std::fprintf(stderr, "cpu_scaling_control: need T >= 2\n");
    return 2;
  }
  const Timing one = Spin(1), many = Spin(threads);
  // Work done is threads x larger in the second run: speedup = threads * t1 / tT.
  std::printf(
      "{\"benchmark\":\"cpu_scaling_control\",\"threads\":%d,\"one_thread_wall_seconds\":%.3f,"
      "\"one_thread_cpus_busy\":%.2f,\"many_threads_wall_seconds\":%.3f,"
      "\"many_threads_cpus_busy\":%.2f,\"ideal_code_speedup\":%.3f}\n",
      threads, one.wall, one.cpu / one.wall, many.wall, many.cpu / many.wall,
      threads * one.wall / many.wall);
  return 0;
}
