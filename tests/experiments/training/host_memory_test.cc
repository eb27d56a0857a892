// ReuseFreedHostMemory: a large block freed and allocated again must come back without page
// faults, where glibc's default policy faults every page in again (checked in a child process
// that keeps the default, so the test shows the difference it asserts on).
#include "experiments/training/host_memory.h"

#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>

namespace datawall::training {
namespace {

constexpr size_t kBlockBytes = size_t{256} << 20;  // above glibc's largest mmap threshold (32 MB)
constexpr long kPages = static_cast<long>(kBlockBytes / 4096);

long MinorFaults() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_minflt;
}

// Page faults of one malloc + touch-every-page + free of a large block, after a first one.
long FaultsOfSecondAllocation() {
  for (int round = 0; round < 2; ++round) {
    const long before = MinorFaults();
    char* block = static_cast<char*>(std::malloc(kBlockBytes));
    if (block == nullptr) return -1;
    std::memset(block, round + 1, kBlockBytes);
    asm volatile("" : : "r"(block) : "memory");  // keep the allocation and the writes
    std::free(block);
    if (round == 1) return MinorFaults() - before;
  }
  return -1;
}

TEST(HostMemoryTest, DefaultPolicyFaultsEveryPageAgain) {
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {  // glibc's default policy
    const long faults = FaultsOfSecondAllocation();
    (void)!write(fds[1], &faults, sizeof(faults));
    _exit(0);
  }
  long faults = -1;
  ASSERT_EQ(read(fds[0], &faults, sizeof(faults)), static_cast<ssize_t>(sizeof(faults)));
  waitpid(child, nullptr, 0);
  EXPECT_GT(faults, kPages / 2) << "the control no longer shows the cost the policy removes";
}

TEST(HostMemoryTest, ReusePolicyServesTheSecondAllocationFromFreedPages) {
  const std::string what = ReuseFreedHostMemory();
  EXPECT_NE(what.find("M_MMAP_MAX=0"), std::string::npos) << what;
  const long faults = FaultsOfSecondAllocation();
  ASSERT_GE(faults, 0);
  EXPECT_LT(faults, kPages / 100) << "the second allocation faulted its pages in again";
}

}  // namespace
}  // namespace datawall::training
