// tools/parallel: every index runs exactly once, workers and blocks are what the header says,
// results written per index do not depend on the thread count, and exceptions reach the caller.
#include "tools/parallel/parallel.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>
#include <vector>

namespace datawall::parallel {
namespace {

TEST(ThreadCount, PositiveIsKeptOtherwiseHardware) {
  EXPECT_EQ(ThreadCount(3), 3);
  EXPECT_GE(ThreadCount(0), 1);
  EXPECT_EQ(ThreadCount(0), ThreadCount(-5));
}

TEST(ParallelFor, EveryIndexExactlyOnce) {
  for (int threads : {1, 2, 3, 8, 64}) {
    for (int64_t n : {0, 1, 2, 7, 1000}) {
      std::vector<std::atomic<int>> hits(n);
      ParallelFor(n, threads, [&](int64_t i) { hits[i].fetch_add(1); });
      for (int64_t i = 0; i < n; ++i) EXPECT_EQ(hits[i].load(), 1) << "n=" << n << " i=" << i;
    }
  }
}

TEST(ParallelFor, OneThreadRunsInOrderOnTheCaller) {
  std::vector<int64_t> order;
  const std::thread::id caller = std::this_thread::get_id();
  ParallelFor(5, 1, [&](int64_t i) {
    EXPECT_EQ(std::this_thread::get_id(), caller);
    order.push_back(i);
  });
  EXPECT_EQ(order, (std::vector<int64_t>{0, 1, 2, 3, 4}));
}

TEST(ParallelFor, UsesSeveralThreads) {
  // Each item waits until two distinct threads have arrived: only a real second worker lets the
  // first item finish (a bounded wait, so a broken pool fails instead of hanging).
  std::mutex mu;
  std::set<std::thread::id> seen;
  std::atomic<bool> met{false};
  ParallelFor(2, 2, [&](int64_t) {
    {
      std::lock_guard<std::mutex> lock(mu);
      seen.insert(std::this_thread::get_id());
      if (seen.size() == 2) met = true;
    }
    for (int k = 0; k < 5000 && !met; ++k) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  });
  EXPECT_TRUE(met.load());
}

TEST(ParallelFor, IndexedResultsDoNotDependOnThreads) {
  auto run = [](int threads) {
    std::vector<double> out(5000);
    ParallelFor(static_cast<int64_t>(out.size()), threads, [&](int64_t i) {
      double x = 0;
      for (int k = 1; k <= 50 + i % 17; ++k) x += std::sin(static_cast<double>(i * k));
      out[i] = x;
    });
    return out;
  };
  const std::vector<double> one = run(1);
  EXPECT_EQ(run(2), one);
  EXPECT_EQ(run(7), one);
}

TEST(ParallelForWithWorker, WorkerIdsAreInRangeAndCoverAllIndices) {
  for (int threads : {1, 3, 16}) {
    const int64_t n = 200;
    const int workers = static_cast<int>(std::min<int64_t>(threads, n));
    std::vector<int> worker_of(n, -1);
    std::vector<std::vector<int64_t>> per_worker(workers);  // touched only by its worker
    ParallelForWithWorker(n, threads, [&](int w, int64_t i) {
      ASSERT_GE(w, 0);
      ASSERT_LT(w, workers);
      per_worker[w].push_back(i);
      worker_of[i] = w;
    });
    int64_t total = 0;
    for (int w = 0; w < workers; ++w) {
      total += static_cast<int64_t>(per_worker[w].size());
      for (int64_t i : per_worker[w]) EXPECT_EQ(worker_of[i], w);
    }
    EXPECT_EQ(total, n);
  }
}

TEST(ParallelFor, FirstExceptionIsRethrownAndWorkStops) {
  for (int threads : {1, 4}) {
    std::atomic<int64_t> ran{0};
    EXPECT_THROW(ParallelFor(100000, threads,
                             [&](int64_t i) {
                               ran.fetch_add(1);
                               if (i == 10) throw std::runtime_error("item 10");
                             }),
                 std::runtime_error);
    // Indices after the throw are not started (a few in flight on other workers may finish).
    EXPECT_LT(ran.load(), 100000);
  }
  try {
    ParallelFor(8, 3, [](int64_t i) { throw std::out_of_range("index " + std::to_string(i)); });
    FAIL() << "no exception";
  } catch (const std::out_of_range& e) {
    EXPECT_NE(std::string(e.what()).find("index "), std::string::npos);
  }
}

TEST(ParallelBlocks, ContiguousBlocksAsDocumented) {
  for (int blocks : {1, 2, 3, 7}) {
    for (int64_t n : {0, 1, 5, 10, 1001}) {
      std::vector<std::pair<int64_t, int64_t>> ranges(std::max(blocks, 1), {-1, -1});
      std::vector<std::atomic<int>> hits(n);
      ParallelBlocks(n, blocks, [&](int b, int64_t begin, int64_t end) {
        ranges[b] = {begin, end};
        for (int64_t i = begin; i < end; ++i) hits[i].fetch_add(1);
      });
      for (int b = 0; b < blocks; ++b) {
        EXPECT_EQ(ranges[b].first, blocks == 1 ? 0 : n * b / blocks);
        EXPECT_EQ(ranges[b].second, blocks == 1 ? n : n * (b + 1) / blocks);
      }
      for (int64_t i = 0; i < n; ++i) EXPECT_EQ(hits[i].load(), 1);
    }
  }
}

TEST(ParallelBlocks, ExceptionReachesTheCaller) {
  EXPECT_THROW(ParallelBlocks(10, 3,
                              [](int b, int64_t, int64_t) {
                                if (b == 2) throw std::logic_error("block 2");
                              }),
               std::logic_error);
}

}  // namespace
}  // namespace datawall::parallel
