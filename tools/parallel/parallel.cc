// ParallelFor / ParallelBlocks on std::thread (see parallel.h).
#include "tools/parallel/parallel.h"

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace datawall::parallel {
namespace {

// Runs body(worker) on `workers` threads (worker 0 on the calling thread), catching the first
// exception; `stop` is raised when one is caught so bodies can stop taking work. Rethrows after
// every thread has joined (also when starting a thread fails).
void RunWorkers(int workers, std::atomic<bool>* stop, const std::function<void(int)>& body) {
  std::exception_ptr first;
  std::mutex mu;
  auto guarded = [&](int worker) {
    try {
      body(worker);
    } catch (...) {
      stop->store(true);
      std::lock_guard<std::mutex> lock(mu);
      if (!first) first = std::current_exception();
    }
  };
  std::vector<std::thread> pool;
  pool.reserve(workers > 0 ? workers - 1 : 0);
  try {
    for (int w = 1; w < workers; ++w) pool.emplace_back(guarded, w);
  } catch (...) {
    stop->store(true);
    std::lock_guard<std::mutex> lock(mu);
    if (!first) first = std::current_exception();
  }
  guarded(0);
  for (std::thread& t : pool) t.join();
  if (first) std::rethrow_exception(first);
}

}  // namespace

int ThreadCount(int requested) {
  if (requested > 0) return requested;
  return std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
}

void ParallelForWithWorker(int64_t n, int threads,
                           const std::function<void(int worker, int64_t i)>& fn) {
  if (n <= 0) return;
  const int workers = static_cast<int>(std::min<int64_t>(std::max(threads, 1), n));
  if (workers == 1) {
    for (int64_t i = 0; i < n; ++i) fn(0, i);
    return;
  }
  std::atomic<int64_t> next{0};
  std::atomic<bool> stop{false};
  RunWorkers(workers, &stop, [&](int worker) {
    for (int64_t i; !stop.load(std::memory_order_relaxed) &&
                    (i = next.fetch_add(1, std::memory_order_relaxed)) < n;) {
      fn(worker, i);
    }
  });
}

void ParallelFor(int64_t n, int threads, const std::function<void(int64_t i)>& fn) {
  ParallelForWithWorker(n, threads, [&fn](int, int64_t i) { fn(i); });
}

void ParallelBlocks(int64_t n, int blocks,
                    const std::function<void(int block, int64_t begin, int64_t end)>& fn) {
  if (blocks <= 1) {
    fn(0, 0, std::max<int64_t>(n, 0));
    return;
  }
  std::atomic<bool> stop{false};
  RunWorkers(blocks, &stop, [&](int b) { fn(b, n * b / blocks, n * (b + 1) / blocks); });
}

}  // namespace datawall::parallel
