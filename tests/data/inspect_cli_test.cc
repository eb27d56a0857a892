// //data:inspect: a budget larger than the shard, a damaged shard, a missing shard, a bad
// --budget_order and a bad --format each exit with status 2 and one stderr line; a budget that
// fits prints the epochs plan and the budget's source_tv (the value data/budget.h measures, for
// the order asked for), as text or as one JSON object (--format=json).
#include <sys/wait.h>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <regex>
#include <iterator>
#include <string>
#include <vector>

#include "data/budget.h"
#include "data/shard.h"
#include "gtest/gtest.h"
#include "tools/json/json.h"

namespace datawall::data {
namespace {

std::string Tmp() {
  const char* dir = std::getenv("TEST_TMPDIR");
  return dir ? dir : "/tmp";
}

struct CliResult {
  int status;
  std::string out, err;
};

CliResult Inspect(const std::string& flags) {
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
    const Result r = WriteShard(path_, {"gpt2", 50257, "h"}, docs);  // 1,000 tokens
    ASSERT_TRUE(r.ok()) << r.message();
  }
  std::string path_;
};

TEST_F(InspectCliTest, BudgetThatFitsPrintsThePlan) {
  const CliResult r = Inspect("--shard=" + path_ + " --unique_tokens=500 --total_tokens=2000 "
                           "--seq_len=10");
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("epochs = 4.0000, R_D = 3.0000"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("49 per epoch"), std::string::npos) << r.out;  // (500 - 1) / 10
}

TEST_F(InspectCliTest, BudgetLargerThanTheShardExitsTwo) {
  const CliResult r = Inspect("--shard=" + path_ + " --unique_tokens=1001");
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
  CliResult r = Inspect("--shard=" + Tmp() + "/damaged.shard");
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("checksum mismatch"), std::string::npos) << r.err;
  r = Inspect("--shard=" + Tmp() + "/absent.shard");
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("missing"), std::string::npos) << r.err;
}

// Two sources: "long" (3 documents of 400 tokens, token value = source) and "short"
// (60 documents of 10 tokens), so a small documents-order budget is lopsided.
class InspectSourcesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = Tmp() + "/sources.shard";
    std::vector<std::vector<uint32_t>> docs;
    std::vector<uint16_t> sources;
    for (int d = 0; d < 60; ++d) {
      docs.push_back(std::vector<uint32_t>(10, 1));
      sources.push_back(1);
      if (d % 20 == 10) {
        docs.push_back(std::vector<uint32_t>(400, 0));
        sources.push_back(0);
      }
    }
    Result r = WriteShard(path_, {"t", 100, "h", {"long", "short"}}, docs, sources);
    ASSERT_TRUE(r.ok()) << r.message();
    r = Shard::Open(path_, &shard_);
    ASSERT_TRUE(r.ok()) << r.message();
  }
  double SourceTv(BudgetOrder order, int64_t unique, int64_t chunk, uint64_t seed) {
    BudgetOptions o;
    o.unique_tokens = unique;
    o.order = order;
    o.chunk_tokens = chunk;
    o.order_seed = seed;
    SourceMix mix;
    const Result r = MeasureBudget(*shard_, o, &mix);
    EXPECT_TRUE(r.ok()) << r.message();
    return mix.source_tv;
  }
  std::string path_;
  std::unique_ptr<Shard> shard_;
};

// The number after "source_tv:" in the text output (NaN when there is none).
double PrintedSourceTv(const std::string& out) {
  std::smatch m;
  if (!std::regex_search(out, m, std::regex("(^|\n)source_tv: +([0-9]+\\.[0-9]+)\n"))) {
    return std::nan("");
  }
  return std::stod(m[2].str());
}

TEST_F(InspectSourcesTest, TextPrintsSourceTvOfTheOrderAskedFor) {
  const std::string flags = "--shard=" + path_ + " --unique_tokens=200 --seq_len=16 --order_seed=3";
  CliResult r = Inspect(flags);
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("\nsources:      2\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("representative order, seed 3, pieces of <= 16 tokens"),
            std::string::npos)
      << r.out;
  double printed = PrintedSourceTv(r.out);
  ASSERT_FALSE(std::isnan(printed)) << r.out;
  // Printed with 6 decimals.
  EXPECT_NEAR(printed, SourceTv(BudgetOrder::kRepresentative, 200, 16, 3), 5e-7) << r.out;
  EXPECT_NE(r.out.find("  long "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("  short "), std::string::npos) << r.out;

  r = Inspect(flags + " --budget_order=documents");
  ASSERT_EQ(r.status, 0) << r.err;
  printed = PrintedSourceTv(r.out);
  ASSERT_FALSE(std::isnan(printed)) << r.out;
  EXPECT_NEAR(printed, SourceTv(BudgetOrder::kDocuments, 200, 16, 3), 5e-7) << r.out;

  r = Inspect(flags + " --budget_order=shard_prefix --chunk_tokens=5");
  ASSERT_EQ(r.status, 0) << r.err;
  printed = PrintedSourceTv(r.out);
  EXPECT_NEAR(printed, SourceTv(BudgetOrder::kShardPrefix, 200, 5, 3), 5e-7) << r.out;
  EXPECT_NE(r.out.find("shard_prefix order, seed 3, pieces of <= 5 tokens"), std::string::npos)
      << r.out;
}

TEST_F(InspectSourcesTest, JsonIsOneObjectWithSourceTvAndTheMix) {
  const CliResult r = Inspect("--shard=" + path_ +
                              " --unique_tokens=300 --seq_len=20 --order_seed=1 --format=json");
  ASSERT_EQ(r.status, 0) << r.err;
  absl::StatusOr<json::Value> parsed = json::Parse(r.out, "inspect stdout");
  ASSERT_TRUE(parsed.ok()) << parsed.status() << "\n" << r.out;
  const json::Value& v = *parsed;
  ASSERT_TRUE(v.is_object()) << r.out;
  ASSERT_TRUE(v.contains("source_tv") && v["source_tv"].is_number()) << r.out;
  EXPECT_DOUBLE_EQ(v["source_tv"].get<double>(),
                   SourceTv(BudgetOrder::kRepresentative, 300, 20, 1));
  EXPECT_EQ(v["budget_order"], "representative");
  EXPECT_EQ(v["unique_tokens"], 300);
  EXPECT_EQ(v["chunk_tokens"], 20);
  EXPECT_EQ(v["tokens"], shard_->num_tokens());
  EXPECT_EQ(v["documents"], shard_->num_documents());
  EXPECT_EQ(v["sources"], 2);
  ASSERT_TRUE(v["source_mix"].is_array()) << r.out;
  ASSERT_EQ(v["source_mix"].size(), 2u) << r.out;
  EXPECT_EQ(v["source_mix"][0]["source"], "long");
  EXPECT_EQ(v["source_mix"][1]["source"], "short");
  EXPECT_EQ(v["source_mix"][0]["budget_tokens"].get<int64_t>() +
                v["source_mix"][1]["budget_tokens"].get<int64_t>(),
            300);
  EXPECT_EQ(v["source_mix"][0]["shard_tokens"], 1200);
  EXPECT_EQ(v["source_mix"][1]["shard_tokens"], 600);
}

TEST_F(InspectSourcesTest, JsonWithoutABudgetDescribesTheShard) {
  const CliResult r = Inspect("--shard=" + path_ + " --format=json");
  ASSERT_EQ(r.status, 0) << r.err;
  absl::StatusOr<json::Value> parsed = json::Parse(r.out, "inspect stdout");
  ASSERT_TRUE(parsed.ok()) << parsed.status() << "\n" << r.out;
  EXPECT_EQ((*parsed)["tokens"], shard_->num_tokens());
  EXPECT_EQ((*parsed)["checksum"], shard_->checksum());
  EXPECT_FALSE(parsed->contains("source_tv")) << r.out;
}

TEST_F(InspectSourcesTest, BadBudgetOrderOrFormatExitsTwoWithOneLine) {
  CliResult r = Inspect("--shard=" + path_ + " --unique_tokens=200 --seq_len=16 "
                        "--budget_order=random");
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("--budget_order=random: 'random' is not representative"), std::string::npos)
      << r.err;
  EXPECT_EQ(r.err.find('\n'), r.err.size() - 1) << r.err;
  EXPECT_EQ(r.out, "");
  // Typed flags: checked without a budget too; a negative piece length is not quietly seq_len.
  r = Inspect("--shard=" + path_ + " --budget_order=random");
  EXPECT_EQ(r.status, 2) << r.out;
  r = Inspect("--shard=" + path_ + " --unique_tokens=200 --seq_len=16 --chunk_tokens=-5");
  EXPECT_EQ(r.status, 2) << r.out;
  EXPECT_NE(r.err.find("--chunk_tokens must be >= 0"), std::string::npos) << r.err;
  r = Inspect("--shard=" + path_ + " --format=xml");
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("--format"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find('\n'), r.err.size() - 1) << r.err;
}

}  // namespace
}  // namespace datawall::data
