// //data:inspect: a budget larger than the shard, a damaged shard and a missing shard each exit
// with status 2 and one stderr line; a budget that fits prints the epochs plan.
#include <sys/wait.h>

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "data/shard.h"
#include "gtest/gtest.h"

namespace datawall::data {
namespace {

std::string Tmp() {
  const char* dir = std::getenv("TEST_TMPDIR");
  return dir ? dir : "/tmp";
}

struct Result {
  int status;
  std::string out, err;
};

Result Inspect(const std::string& flags) {
  const std::string binary = std::string(std::getenv("TEST_SRCDIR")) + "/datawall/data/inspect";
  const int raw = std::system((binary + " " + flags + " >" + Tmp() + "/out.txt 2>" + Tmp() +
                               "/err.txt").c_str());
  std::ifstream out(Tmp() + "/out.txt"), err(Tmp() + "/err.txt");
  return {WIFEXITED(raw) ? WEXITSTATUS(raw) : -1,
          std::string(std::istreambuf_iterator<char>(out), {}),
          std::string(std::istreambuf_iterator<char>(err), {})};
}

class InspectCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = Tmp() + "/small.shard";
    std::vector<std::vector<uint32_t>> docs(10, std::vector<uint32_t>(100, 7));
    ASSERT_EQ(WriteShard(path_, {"gpt2", 50257, "h"}, docs), "");  // 1,000 tokens
  }
  std::string path_;
};

TEST_F(InspectCliTest, BudgetThatFitsPrintsThePlan) {
  const Result r = Inspect("--shard=" + path_ + " --unique_tokens=500 --total_tokens=2000 "
                           "--seq_len=10");
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("epochs = 4.0000, R_D = 3.0000"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("49 per epoch"), std::string::npos) << r.out;  // (500 - 1) / 10
}

TEST_F(InspectCliTest, BudgetLargerThanTheShardExitsTwo) {
  const Result r = Inspect("--shard=" + path_ + " --unique_tokens=1001");
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("unique token budget 1001 exceeds the 1000 tokens"), std::string::npos)
      << r.err;
  EXPECT_EQ(r.err.find('\n'), r.err.size() - 1) << r.err;
}

TEST_F(InspectCliTest, DamagedOrMissingShardExitsTwo) {
  std::string bytes;
  {
    std::ifstream in(path_, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), {});
  }
  bytes[bytes.size() / 2] ^= 0x40;
  std::ofstream(Tmp() + "/damaged.shard", std::ios::binary) << bytes;
  Result r = Inspect("--shard=" + Tmp() + "/damaged.shard");
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("checksum mismatch"), std::string::npos) << r.err;
  r = Inspect("--shard=" + Tmp() + "/absent.shard");
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("missing"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace datawall::data
