// Runs the tokenize and train_small_vocab binaries as a user would: GPT-2 ids as text and JSON,
// explicit file flags, a small-vocabulary model trained by the CLI, and one-line errors with
// exit code 2.
#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include "data/tokenizer/factory.h"
#include "data/tokenizer/gpt2_files.h"
#include "gtest/gtest.h"
#include "tools/paths/paths.h"

namespace {

struct CliRun {
  int exit_code;
  std::string out;  // stdout and stderr together
};

std::string TempDir() {
  const char* dir = std::getenv("TEST_TMPDIR");
  return dir != nullptr ? dir : "/tmp";
}

CliRun RunProgram(const std::string& program, const std::string& input, const std::string& args) {
  const std::string in = TempDir() + "/stdin.txt";
  { std::ofstream(in, std::ios::binary) << input; }
  const std::string binary =
      std::string(std::getenv("TEST_SRCDIR")) + "/datawall/data/tokenizer/" + program;
  FILE* pipe = popen((binary + " " + args + " <" + in + " 2>&1").c_str(), "r");
  std::string out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof(buf), pipe)) > 0) out.append(buf, n);
  const int status = pclose(pipe);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

CliRun Tokenize(const std::string& input, const std::string& args) {
  return RunProgram("tokenize", input, args);
}

TEST(TokenizeCli, Gpt2TextAndJson) {
  CliRun text = Tokenize("Hello, world! It's 2024.", "");
  EXPECT_EQ(text.exit_code, 0) << text.out;
  EXPECT_EQ(text.out, "15496 11 995 0 632 338 48609 13\n");
  CliRun json = Tokenize("Hello world", "--format=json --tokenizer=gpt2");
  EXPECT_EQ(json.exit_code, 0) << json.out;
  EXPECT_EQ(json.out, "[15496,995]\n");
  CliRun empty = Tokenize("", "--format=json");
  EXPECT_EQ(empty.out, "[]\n");
  const std::string root = datawall::paths::WorkspaceRoot();
  CliRun files = Tokenize("Hello world", "--encoder_json=" + datawall::data::Gpt2EncoderJsonPath(root) +
                                             " --vocab_bpe=" + datawall::data::Gpt2VocabBpePath(root));
  EXPECT_EQ(files.out, "15496 995\n");
}

TEST(TokenizeCli, SmallVocabModel) {
  const std::string corpus =
      datawall::paths::WorkspaceRoot() + "/tests/data/tokenizer/testdata/moby_dick_ch1-3.txt";
  const std::string model = TempDir() + "/cli.model";
  ASSERT_EQ(datawall::data::TrainSmallVocabTokenizer({corpus}, 400, model), "");
  std::string error;
  auto t = datawall::data::LoadSmallVocabTokenizer(model, &error);
  ASSERT_NE(t, nullptr) << error;
  std::vector<uint32_t> ids;
  t->Encode("Call me Ishmael.", &ids);
  std::string want = "[";
  for (size_t i = 0; i < ids.size(); ++i) want += (i ? "," : "") + std::to_string(ids[i]);
  CliRun run = Tokenize("Call me Ishmael.", "--tokenizer=sp:" + model + " --format=json");
  EXPECT_EQ(run.exit_code, 0) << run.out;
  EXPECT_EQ(run.out, want + "]\n");
}

TEST(TokenizeCli, UsageErrorsExitTwo) {
  for (const std::string& args :
       {std::string("--format=xml"), std::string("--tokenizer=bpe"), std::string("--bogus"),
        std::string("extra_arg"), std::string("--encoder_json=/nonexistent/encoder.json"),
        std::string("--tokenizer=sp:/nonexistent/m.model")}) {
    CliRun run = Tokenize("x", args);
    EXPECT_EQ(run.exit_code, 2) << args << ": " << run.out;
    EXPECT_EQ(run.out.find('\n'), run.out.size() - 1) << "not one line: " << run.out;
  }
  EXPECT_NE(Tokenize("x", "--encoder_json=/nonexistent/encoder.json").out.find("/nonexistent/encoder.json"),
            std::string::npos);
}

TEST(TrainSmallVocabCli, TrainsAndReportsTheId) {
  const std::string corpus =
      datawall::paths::WorkspaceRoot() + "/tests/data/tokenizer/testdata/moby_dick_ch1-3.txt";
  const std::string model = TempDir() + "/trained.model";
  CliRun run = RunProgram("train_small_vocab", "", "--vocab_size=512 --model=" + model + " " + corpus);
  ASSERT_EQ(run.exit_code, 0) << run.out;
  EXPECT_NE(run.out.find(": id sp_bpe512_"), std::string::npos) << run.out;
  EXPECT_EQ(run.out.find("LOG(INFO)"), std::string::npos) << "trainer chatter leaked: " << run.out;
  CliRun used = Tokenize("Call me Ishmael.", "--tokenizer=sp:" + model);
  EXPECT_EQ(used.exit_code, 0) << used.out;
  for (const std::string& args : {std::string("--vocab_size=512 " + corpus),
                                  std::string("--model=" + model),
                                  std::string("--model=" + model + " /nonexistent/x.txt"),
                                  std::string("--vocab_size=300 --model=" + model + " " + corpus)}) {
    CliRun bad = RunProgram("train_small_vocab", "", args);
    EXPECT_EQ(bad.exit_code, 2) << args << ": " << bad.out;
    EXPECT_EQ(bad.out.find('\n'), bad.out.size() - 1) << "not one line: " << bad.out;
  }
}

}  // namespace
