// The project's one parallel-for: run a function over the indices [0, n) on a few threads.
//
// Work is indexed: each call writes only its own index's slot, so results never depend on which
// thread ran what or in which order (no reductions here; callers combine slots in index order
// afterwards). The calling thread is one of the workers. If a call throws, no further indices
// are started, every thread is joined, and the first exception is rethrown to the caller.
// C++ standard library only. Not a task scheduler: no nesting-aware pool, no futures, threads
// live for one call.
#ifndef DATAWALL_TOOLS_PARALLEL_PARALLEL_H_
#define DATAWALL_TOOLS_PARALLEL_PARALLEL_H_

#include <cstdint>
#include <functional>

namespace datawall::parallel {

// `requested` if positive, else std::thread::hardware_concurrency() (at least 1).
int ThreadCount(int requested);

// Dynamic schedule: indices are handed out one at a time to min(threads, n) workers, so uneven
// items balance well. threads <= 1 (or n <= 1) runs everything on the calling thread, in order.
void ParallelFor(int64_t n, int threads, const std::function<void(int64_t i)>& fn);

// The same, also telling fn which worker (0 .. min(threads, n) - 1) runs index i, for per-worker
// scratch state (a cache, a buffer) that the caller allocates per worker.
void ParallelForWithWorker(int64_t n, int threads,
                           const std::function<void(int worker, int64_t i)>& fn);

// Static schedule: [0, n) cut into `blocks` contiguous ranges, block b being
// [n * b / blocks, n * (b + 1) / blocks), each run on its own thread (block 0 on the caller's).
// For cheap items where per-index calls would cost more than the work, and for outputs kept per
// block and concatenated in block order. blocks <= 1 runs fn(0, 0, n) on the calling thread.
void ParallelBlocks(int64_t n, int blocks,
                    const std::function<void(int block, int64_t begin, int64_t end)>& fn);

}  // namespace datawall::parallel

#endif  // DATAWALL_TOOLS_PARALLEL_PARALLEL_H_
