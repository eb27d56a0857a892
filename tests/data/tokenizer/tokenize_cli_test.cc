// Runs the tokenize and train_small_vocab binaries as a user would: GPT-2 ids as text and JSON,
// explicit file flags, a small-vocabulary model trained by the CLI, and one-line errors with
// exit code 2.
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "data/tokenizer/factory.h"
#include "data/tokenizer/gpt2_files.h"
#include "gtest/gtest.h"
#include "tests/testing/run_command.h"
#include "tools/paths/paths.h"

namespace {

using CliRun = datawall::testing::CommandResult;

std::string TempDir() {
  const char* dir = std::getenv("TEST_TMPDIR");
  return dir != nullptr ? dir : "/tmp";
}

CliRun RunProgram(const std::string& program, const std::string& input, const std::string& args) {
  const std::string in = TempDir() + "/stdin.txt";
  { std::ofstream(in, std::ios::binary) << input; }
  return datawall::testing::RunCommand(
      datawall::testing::Runfile("data/tokenizer/" + program) + " " + args + " <" + in);
}

CliRun Tokenize(const std::string& input, const std::string& args) {
  return RunProgram("tokenize", input, args);
}

TEST(TokenizeCli, Gpt2TextAndJson) {
  CliRun text = Tokenize("Hello, world! It's 2024.", "");
  EXPECT_EQ(text.exit_code, 0) << text.output;
  EXPECT_EQ(text.output, "15496 11 995 0 632 338 48609 13\n");
  CliRun json = Tokenize("Hello world", "--format=json --tokenizer=gpt2");
  EXPECT_EQ(json.exit_code, 0) << json.output;
  EXPECT_EQ(json.output, "[15496,995]\n");
  CliRun empty = Tokenize("", "--format=json");
  EXPECT_EQ(empty.output, "[]\n");
  const std::string root = datawall::paths::WorkspaceRoot();
  CliRun files = Tokenize("Hello world", "--encoder_json=" + datawall::data::Gpt2EncoderJsonPath(root) +
                                             " --vocab_bpe=" + datawall::data::Gpt2VocabBpePath(root));
  EXPECT_EQ(files.output, "15496 995\n");
}

TEST(TokenizeCli, SmallVocabModel) {
  const std::string corpus =
      datawall::paths::WorkspaceRoot() + "/tests/data/tokenizer/testdata/moby_dick_ch1-3.txt";
  const std::string model = TempDir() + "/cli.model";
  const absl::Status trained = datawall::data::TrainSmallVocabTokenizer({corpus}, 400, model);
  ASSERT_TRUE(trained.ok()) << trained;
  absl::StatusOr<std::unique_ptr<datawall::data::Tokenizer>> t =
      datawall::data::LoadSmallVocabTokenizer(model);
  ASSERT_TRUE(t.ok()) << t.status();
  std::vector<uint32_t> ids;
  (*t)->Encode("Call me Ishmael.", &ids);
  std::string want = "[";
  for (size_t i = 0; i < ids.size(); ++i) want += (i ? "," : "") + std::to_string(ids[i]);
  CliRun run = Tokenize("Call me Ishmael.", "--tokenizer=sp:" + model + " --format=json");
  EXPECT_EQ(run.exit_code, 0) << run.output;
  EXPECT_EQ(run.output, want + "]\n");
}

TEST(TokenizeCli, UsageErrorsExitTwo) {
  for (const std::string& args :
       {std::string("--format=xml"), std::string("--tokenizer=bpe"), std::string("--bogus"),
        std::string("extra_arg"), std::string("--encoder_json=/nonexistent/encoder.json"),
        std::string("--tokenizer=sp:/nonexistent/m.model")}) {
    CliRun run = Tokenize("x", args);
    EXPECT_EQ(run.exit_code, 2) << args << ": " << run.output;
    EXPECT_EQ(run.output.find('\n'), run.output.size() - 1) << "not one line: " << run.output;
  }
  EXPECT_NE(Tokenize("x", "--encoder_json=/nonexistent/encoder.json").output.find("/nonexistent/encoder.json"),
            std::string::npos);
  EXPECT_NE(Tokenize("x", "--format=xml").output.find("--format=xml: must be text or json"),
            std::string::npos);
}

TEST(TrainSmallVocabCli, TrainsAndReportsTheId) {
  const std::string corpus =
      datawall::paths::WorkspaceRoot() + "/tests/data/tokenizer/testdata/moby_dick_ch1-3.txt";
  const std::string model = TempDir() + "/trained.model";
  CliRun run = RunProgram("train_small_vocab", "", "--vocab_size=512 --model=" + model + " " + corpus);
  ASSERT_EQ(run.exit_code, 0) << run.output;
  EXPECT_NE(run.output.find(": id sp_bpe512_"), std::string::npos) << run.output;
  EXPECT_EQ(run.output.find("LOG(INFO)"), std::string::npos) << "trainer chatter leaked: " << run.output;
  CliRun used = Tokenize("Call me Ishmael.", "--tokenizer=sp:" + model);
  EXPECT_EQ(used.exit_code, 0) << used.output;
  for (const std::string& args : {std::string("--vocab_size=512 " + corpus),
                                  std::string("--model=" + model),
                                  std::string("--model=" + model + " /nonexistent/x.txt"),
                                  std::string("--vocab_size=300 --model=" + model + " " + corpus)}) {
    CliRun bad = RunProgram("train_small_vocab", "", args);
    EXPECT_EQ(bad.exit_code, 2) << args << ": " << bad.output;
    EXPECT_EQ(bad.output.find('\n'), bad.output.size() - 1) << "not one line: " << bad.output;
  }
}

}  // namespace
