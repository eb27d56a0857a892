// kill -9 during sharding: a child process writes shards and is SIGKILLed mid-write; no shard
// that loads may be left under the final name, the partial temporary must not load either, and
// rerunning the write completes it.
#include <dirent.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "data/shard.h"
#include "gtest/gtest.h"

namespace datawall::data {
namespace {

std::string TempDir() {
  const char* dir = std::getenv("TEST_TMPDIR");
  std::string path = std::string(dir ? dir : "/tmp") + "/kill_test";
  ::mkdir(path.c_str(), 0755);
  return path;
}

// About 24 MB of 2-byte tokens: large enough that the write takes many milliseconds.
std::vector<std::vector<uint32_t>> BigDocuments() {
  std::vector<std::vector<uint32_t>> docs(1200);
  uint32_t x = 1;
  for (auto& doc : docs) {
    doc.resize(10000);
    for (auto& t : doc) {
      x = x * 1103515245u + 12345u;
      t = (x >> 8) % 50257;
    }
  }
  return docs;
}

// Paths in `dir` starting with `prefix`, with their sizes.
std::vector<std::pair<std::string, off_t>> Matching(const std::string& dir,
                                                    const std::string& prefix) {
  std::vector<std::pair<std::string, off_t>> out;
  DIR* d = ::opendir(dir.c_str());
  if (d == nullptr) return out;
  while (dirent* e = ::readdir(d)) {
    const std::string name = e->d_name;
    if (name.rfind(prefix, 0) != 0) continue;
    struct stat st;
    if (::stat((dir + "/" + name).c_str(), &st) == 0) out.push_back({dir + "/" + name, st.st_size});
  }
  ::closedir(d);
  return out;
}

TEST(ShardKillTest, SigkillMidWriteLeavesNothingLoadableAndRerunCompletes) {
  const std::string dir = TempDir();
  const std::string first = dir + "/first.shard";
  const std::string big = dir + "/big.shard";
  const ShardInfo info{"gpt2", 50257, "h"};

  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    // The child: one small shard, then a big one that the parent kills mid-write.
    if (!WriteShard(first, info, {{1, 2, 3}}).ok()) ::_exit(3);
    const auto docs = BigDocuments();
    (void)WriteShard(big, info, docs);  // killed before it returns
    ::_exit(0);
  }

  // Wait until the big shard's temporary holds some, but not all, bytes; then SIGKILL.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  bool caught = false;
  while (std::chrono::steady_clock::now() < deadline) {
    for (const auto& [path, size] : Matching(dir, "big.shard.tmp.")) {
      if (size > 0) caught = true;
    }
    if (caught) break;
    int status;
    if (::waitpid(child, &status, WNOHANG) == child) break;  // finished too early
    std::this_thread::sleep_for(std::chrono::microseconds(200));
  }
  ::kill(child, SIGKILL);
  int status = 0;
  ::waitpid(child, &status, 0);
  ASSERT_TRUE(caught) << "the writer finished before it could be killed mid-write";
  ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);

  std::unique_ptr<Shard> shard;
  Result r = Shard::Open(first, &shard);
  EXPECT_TRUE(r.ok()) << r.message();  // completed before the kill
  r = Shard::Open(big, &shard);
  EXPECT_TRUE(r.bad_input()) << r.message();
  EXPECT_NE(r.message().find("missing"), std::string::npos) << r.message();
  const auto temps = Matching(dir, "big.shard.tmp.");
  ASSERT_EQ(temps.size(), 1u);

  // Rerun: the write completes and loads; the stale temporary is the caller's to remove
  // (//data:prepare deletes *.tmp.* files before it writes).
  const auto docs = BigDocuments();
  r = WriteShard(big, info, docs);
  ASSERT_TRUE(r.ok()) << r.message();
  r = Shard::Open(big, &shard);
  ASSERT_TRUE(r.ok()) << r.message();
  EXPECT_EQ(shard->num_tokens(), 1200 * 10000);
  EXPECT_EQ(shard->num_documents(), 1200);
  EXPECT_EQ(shard->token(0), docs[0][0]);

  // The killed writer's temporary is partial (it was caught while growing, not yet complete)
  // and does not load.
  struct stat st;
  ASSERT_EQ(::stat(big.c_str(), &st), 0);
  const auto now = Matching(dir, "big.shard.tmp.");
  ASSERT_EQ(now.size(), 1u);
  if (now[0].second < st.st_size) {
    std::unique_ptr<Shard> partial;
    r = Shard::Open(now[0].first, &partial);
    EXPECT_TRUE(r.bad_input()) << "a partial shard loaded: " << r.message();
    EXPECT_EQ(partial, nullptr);
  }
  RecordProperty("partial_bytes", std::to_string(now[0].second));
}

}  // namespace
}  // namespace datawall::data
