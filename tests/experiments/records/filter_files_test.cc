// Tests of the filter experiments' files (experiments/records/filter_files.h): validation_sources
// round trip and its errors, pools.textproto reading, and gathering both for a plan.
#include "experiments/records/filter_files.h"

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "experiments/records/records.h"
#include "gtest/gtest.h"

namespace datawall::records {
namespace {

std::string Tmp(const std::string& name) {
  const std::string d = std::string(std::getenv("TEST_TMPDIR")) + "/" + name;
  std::filesystem::create_directories(d);
  return d;
}

void Write(const std::string& path, const std::string& text) { std::ofstream(path) << text; }

SourceValidation Example() {
  SourceValidation v;
  v.run = "filter_perplexity.smoke.top25.s0";
  v.checkpoint_step = 32;
  v.validation_shard = "/data/en_mix.validation.shard";
  v.validation_shard_checksum = "4fd3f2bd1d87853a";
  v.all = {314, 526313, 4.372317139087441};
  v.quality_shard = "/data/quality_validation.shard";
  v.quality_shard_checksum = "8f245d40a3c43fb0";
  v.quality = DocumentsLoss{13, 116960, 4.395744874359971};
  v.sources["brown"] = {6, 32524, 4.552522595716629};
  v.sources["absguide"] = {2, 32509, 3.816376966985532};
  return v;
}

TEST(FilterFilesTest, ValidationSourcesRoundTripExactly) {
  absl::StatusOr<std::string> text = SourceValidationJson(Example());
  ASSERT_TRUE(text.ok()) << text.status();
  absl::StatusOr<SourceValidation> back = ParseSourceValidation(*text, "x.json");
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->run, "filter_perplexity.smoke.top25.s0");
  EXPECT_EQ(back->checkpoint_step, 32);
  EXPECT_EQ(back->validation_shard_checksum, "4fd3f2bd1d87853a");
  EXPECT_EQ(back->all.tokens, 526313);
  EXPECT_EQ(back->all.loss, 4.372317139087441);  // bit for bit
  ASSERT_TRUE(back->quality.has_value());
  EXPECT_EQ(back->quality->loss, 4.395744874359971);
  EXPECT_EQ(back->quality_shard, "/data/quality_validation.shard");
  ASSERT_EQ(back->sources.size(), 2u);
  EXPECT_EQ(back->sources.at("brown").documents, 6);
  EXPECT_EQ(back->sources.at("absguide").loss, 3.816376966985532);
  // And the text itself is what the writer gives again.
  EXPECT_EQ(*SourceValidationJson(*back), *text);
}

TEST(FilterFilesTest, WithoutAQualitySubsetThereIsNone) {
  SourceValidation v = Example();
  v.quality.reset();
  absl::StatusOr<SourceValidation> back = ParseSourceValidation(*SourceValidationJson(v), "x.json");
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_FALSE(back->quality.has_value());
  EXPECT_EQ(SourceValidationJson(v)->find("quality"), std::string::npos);
}

TEST(FilterFilesTest, MalformedValidationNamesTheFileAndField) {
  struct Case {
    std::string text, expected;
  } cases[] = {
      {"not json", "x.json"},
      {"[1, 2]", "x.json: not a JSON object"},
      {R"({"sources": {}})", "x.json: no \"all\""},
      {R"({"all": {"documents": 3, "tokens": 10}})", "x.json: all.loss: missing or not a number"},
      {R"({"all": {"documents": 0, "tokens": 0, "loss": 0}})", "x.json: all: no documents scored"},
      {R"({"all": {"documents": 1, "tokens": 9, "loss": 4.2}, "quality": {"documents": 1, "tokens": "9", "loss": 1}})",
       "x.json: quality.tokens: missing or not a number"},
      {R"({"all": {"documents": 1, "tokens": 9, "loss": 4.2}, "sources": {"brown": 3}})",
       "x.json: sources.brown: not an object"},
  };
  for (const Case& c : cases) {
    absl::StatusOr<SourceValidation> v = ParseSourceValidation(c.text, "x.json");
    ASSERT_FALSE(v.ok()) << c.text;
    EXPECT_EQ(v.status().code(), absl::StatusCode::kInvalidArgument) << c.text;
    EXPECT_NE(std::string(v.status().message()).find(c.expected), std::string::npos)
        << c.text << " -> " << v.status();
  }
}

TEST(FilterFilesTest, ANonFiniteLossIsRefusedWhenWriting) {
  SourceValidation v = Example();
  v.all.loss = std::nan("");
  EXPECT_FALSE(SourceValidationJson(v).ok());
}

TEST(FilterFilesTest, BuiltPoolsMissingOrMalformed) {
  const std::string d = Tmp("pools");
  EXPECT_TRUE(absl::IsNotFound(ReadBuiltPools(d + "/none.textproto").status()));
  Write(d + "/bad.textproto", "arms { no_such_field: 1 }\n");
  absl::StatusOr<experiments::BuiltPools> bad = ReadBuiltPools(d + "/bad.textproto");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(std::string(bad.status().message()).find("bad.textproto: not a BuiltPools message"), std::string::npos);
  Write(d + "/good.textproto", "experiment: \"e\" scale: \"cpu\" arms { filter: \"top25\" unique_tokens: 7 }\n");
  absl::StatusOr<experiments::BuiltPools> good = ReadBuiltPools(d + "/good.textproto");
  ASSERT_TRUE(good.ok()) << good.status();
  EXPECT_EQ(good->arms(0).unique_tokens(), 7);
}

TEST(FilterFilesTest, EvidenceHasEveryRunWithAValidationFileAndNoOther) {
  const std::string out = Tmp("sweep");
  experiments::SweepPlan plan;
  plan.add_runs()->set_hash("aaaa000000000001");
  plan.add_runs()->set_hash("aaaa000000000002");
  EXPECT_TRUE(absl::IsNotFound(LoadFilterEvidence(plan, out).status())) << "no pools manifest";
  Write(out + "/" + kPoolsFile, "experiment: \"e\" quality_validation_tokens: 99\n");
  std::filesystem::create_directories(RunDir(out, "aaaa000000000001"));
  Write(RunDir(out, "aaaa000000000001") + "/" + kValidationSourcesFile, *SourceValidationJson(Example()));
  absl::StatusOr<FilterEvidence> e = LoadFilterEvidence(plan, out);
  ASSERT_TRUE(e.ok()) << e.status();
  EXPECT_EQ(e->pools.quality_validation_tokens(), 99);
  ASSERT_EQ(e->by_hash.size(), 1u);
  EXPECT_EQ(e->by_hash.count("aaaa000000000001"), 1u);
  // A malformed file is an error naming it, not a silently missing run.
  std::filesystem::create_directories(RunDir(out, "aaaa000000000002"));
  Write(RunDir(out, "aaaa000000000002") + "/" + kValidationSourcesFile, "{");
  absl::StatusOr<FilterEvidence> broken = LoadFilterEvidence(plan, out);
  ASSERT_FALSE(broken.ok());
  EXPECT_NE(std::string(broken.status().message()).find("aaaa000000000002/validation_sources.json"), std::string::npos)
      << broken.status();
}

}  // namespace
}  // namespace datawall::records
