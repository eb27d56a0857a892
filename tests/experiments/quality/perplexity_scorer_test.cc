// The perplexity scorer end to end (issue: "top 50% keeps >= 95% of the real prose"): a small
// GPT trained by our trainer on a reference set of real edited prose (the Brown corpus) scores a
// corpus mixing real prose it never saw (Austen's novels, State-of-the-Union addresses) with the same prose's words
// shuffled and with 30% of its characters replaced by noise; the top-50% perplexity filter must
// keep at least 95% of the real prose. Also: per-document losses agree with GPT::Loss, and a
// model loaded back from its run directory scores exactly as the one trained.
// Needs data/work (tools/setup.sh makes it); skips itself when it is absent. Text is encoded by
// the //data:tokenize CLI: SentencePiece and LibTorch each bring a protobuf runtime and cannot
// share one process.
#include <sys/stat.h>

#include <cmath>
#include <filesystem>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "data/documents.h"
#include "data/quality/perplexity_filter.h"
#include "data/random.h"
#include "data/shard.h"
#include "experiments/quality/document_loss.h"
#include "experiments/quality/trained_model.h"
#include "experiments/training/trainer.h"
#include "gtest/gtest.h"
#include "tools/io/atomic_file.h"
#include "tools/paths/paths.h"
#include "tools/process/process.h"

namespace datawall::quality {
namespace {

namespace fs = std::filesystem;

std::string TempDir(const std::string& name) {
  const char* tmp = std::getenv("TEST_TMPDIR");
  const std::string dir = std::string(tmp ? tmp : "/tmp") + "/" + name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

std::string FindTokenizerModel(const std::string& work) {
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(work + "/tokenizers", ec)) {
    if (e.path().extension() == ".model" && e.path().filename().string().rfind("small1024", 0) == 0) {
      return e.path().string();
    }
  }
  return "";
}

std::vector<data::Document> Read(const std::string& path, int64_t max_docs, bool train_split) {
  std::vector<data::Document> all, out;
  EXPECT_TRUE(data::ReadDocuments(path, 0, &all).ok()) << path;
  for (auto& d : all) {
    if (data::InValidation(d.text, 0.01) == train_split) continue;
    if (d.text.size() < 400) continue;
    if (d.text.size() > 3000) d.text.resize(3000);
    out.push_back(std::move(d));
    if (max_docs > 0 && static_cast<int64_t>(out.size()) >= max_docs) break;
  }
  return out;
}

// The words of `text` in a seeded random order.
std::string ShuffleWords(const std::string& text, uint64_t seed) {
  std::vector<std::string> words;
  std::string w;
  for (char c : text) {
    if (c == ' ' || c == '\n' || c == '\t') { if (!w.empty()) words.push_back(w); w.clear(); }
    else w += c;
  }
  if (!w.empty()) words.push_back(w);
  const auto order = data::random::Permutation(static_cast<int64_t>(words.size()), seed, 1, 0);
  std::string out;
  for (int64_t i : order) out += words[i] + " ";
  return out;
}

// 30% of the characters replaced by seeded random printable ASCII.
std::string CharacterNoise(const std::string& text, uint64_t seed) {
  std::string out = text;
  uint64_t state = data::random::StreamKey(seed, 2, 0);
  for (char& c : out) {
    if (data::random::Bounded(&state, 10) < 3) c = static_cast<char>(33 + data::random::Bounded(&state, 94));
  }
  return out;
}

// Token ids of `text` under the small tokenizer `model`, through the tokenize CLI.
std::vector<uint32_t> Encode(const std::string& model, const std::string& text,
                             const std::string& dir) {
  const std::string path = dir + "/text.txt";
  EXPECT_TRUE(io::WriteFileAtomically(path, text).ok());
  const char* srcdir = std::getenv("TEST_SRCDIR");
  const std::string binary = std::string(srcdir ? srcdir : ".") + "/datawall/data/tokenizer/tokenize";
  process::RunOptions options;
  options.capture_stderr = false;
  const auto r = process::RunAndCapture(
      {"/bin/sh", "-c", binary + " --tokenizer=sp:" + model + " < " + path}, options);
  EXPECT_TRUE(r.ok()) << r.Describe() << r.output;
  std::vector<uint32_t> ids;
  std::istringstream in(r.output);
  for (uint32_t id; in >> id;) ids.push_back(id);
  return ids;
}

TEST(PerplexityScorerTest, TopHalfKeepsRealProse) {
  const std::string work = paths::WorkspaceRoot() + "/data/work";
  const std::string model_path = FindTokenizerModel(work);
  struct stat st;
  if (model_path.empty() || ::stat((work + "/docs/austen.jsonl").c_str(), &st) != 0 ||
      ::stat((work + "/shards/small1024_full/en_mix.train.shard").c_str(), &st) != 0) {
    GTEST_SKIP() << "data/work missing: run tools/setup.sh";
  }
  const std::string dir = TempDir("scorer");
  const std::string shard_path = work + "/shards/small1024_full/en_mix.train.shard";
  std::unique_ptr<data::Shard> full;
  ASSERT_TRUE(data::Shard::Open(shard_path, &full).ok());

  // The reference set: Brown's training documents, as the shard holds them.
  std::vector<std::vector<uint32_t>> reference;
  uint32_t separator = 0;
  for (int64_t d = 0; d < full->num_documents(); ++d) {
    if (full->info().sources[full->document_source(d)] != "brown") continue;
    const int64_t begin = full->document_start(d), end = full->document_start(d + 1);
    reference.emplace_back(end - begin);
    for (int64_t i = begin; i < end; ++i) reference.back()[i - begin] = full->token(i);
    separator = reference.back().back();
  }
  ASSERT_GT(reference.size(), 300u);
  data::ShardInfo info{full->info().tokenizer_id, full->info().vocab_size, "", {}};
  ASSERT_TRUE(data::WriteShard(dir + "/reference.shard", info, reference).ok());

  training::TrainOptions o;
  o.name = "reference";
  o.model = {64, 256, 16, 4, 3, 1024, 128, 0.0};
  o.total_tokens = 2'000'000;
  o.unique_tokens = 2'000'000;
  o.max_lr = 3e-3;
  o.min_lr = 3e-4;
  o.batch_size = 16;
  o.data.push_back({"brown", dir + "/reference.shard", 1.0, 0});
  o.validation_shard = dir + "/reference.shard";
  o.eval_tokens = 4097;
  o.out_dir = dir + "/run";
  o.progress_every_seconds = 0;
  o.tensorboard = false;
  training::TrainSummary summary;
  ASSERT_TRUE(training::Train(o, &summary).ok());

  // The mixed corpus: 80 unseen prose documents, then 40 shuffled-word and 40 noisy copies.
  std::vector<std::string> texts;
  for (const auto& d : Read(work + "/docs/austen.jsonl", 40, true)) texts.push_back(d.text);
  for (const auto& d : Read(work + "/docs/sotu.jsonl", 40, true)) texts.push_back(d.text);
  const size_t prose = texts.size();
  ASSERT_EQ(prose, 80u);
  for (size_t i = 0; i < 40; ++i) texts.push_back(ShuffleWords(texts[i * 2], i));
  for (size_t i = 0; i < 40; ++i) texts.push_back(CharacterNoise(texts[i * 2 + 1], i));
  std::vector<std::vector<uint32_t>> encoded;
  for (const std::string& t : texts) {
    encoded.push_back(Encode(model_path, t, dir));
    encoded.back().push_back(separator);
  }
  ASSERT_TRUE(data::WriteShard(dir + "/mixed.shard", info, encoded).ok());
  std::unique_ptr<data::Shard> mixed;
  ASSERT_TRUE(data::Shard::Open(dir + "/mixed.shard", &mixed).ok());

  models::GPT model(nullptr);
  int64_t step = 0;
  ASSERT_TRUE(LoadTrainedModel(o.model, o.out_dir, &model, &step).ok());
  EXPECT_EQ(step, summary.total_steps);
  const std::vector<DocumentLoss> losses = ScoreDocuments(model, *mixed, {}, 32);
  ASSERT_EQ(losses.size(), texts.size());
  std::vector<double> ppl;
  for (const auto& l : losses) {
    EXPECT_EQ(l.tokens, mixed->document_start(ppl.size() + 1) - mixed->document_start(ppl.size()));
    ppl.push_back(std::exp(l.mean()));
  }
  std::vector<bool> keep;
  ASSERT_TRUE(data::quality::SelectByPerplexity(ppl, data::quality::PerplexityBand::kTop50, &keep).ok());
  int kept_prose = 0;
  for (size_t i = 0; i < prose; ++i) kept_prose += keep[i];
  EXPECT_GE(kept_prose, 76) << "top50 kept " << kept_prose << " of 80 prose documents";
  double prose_ppl = 0, noise_ppl = 0;
  for (size_t i = 0; i < texts.size(); ++i) (i < prose ? prose_ppl : noise_ppl) += std::log(ppl[i]);
  int kept_by[4] = {0, 0, 0, 0};
  for (size_t i = 0; i < texts.size(); ++i) kept_by[i / 40] += keep[i];
  std::printf("kept: austen %d/40, sotu %d/40, shuffled %d/40, noise %d/40\n", kept_by[0],
              kept_by[1], kept_by[2], kept_by[3]);
  std::printf("kept %d/80 prose; geometric-mean perplexity prose %.1f, corrupted %.1f\n",
              kept_prose, std::exp(prose_ppl / prose), std::exp(noise_ppl / (texts.size() - prose)));
}

// Per-document losses are the model's own cross-entropy: a document shorter than one window
// gives GPT::Loss over [separator, tokens...] times its length.
TEST(DocumentLossTest, MatchesModelLoss) {
  const std::string dir = TempDir("docloss");
  std::vector<std::vector<uint32_t>> docs = {{5, 9, 2, 7, 0}, {3, 3, 8, 1, 4, 6, 2, 0}, {1, 0}};
  data::ShardInfo info{"test", 16, "", {}};
  ASSERT_TRUE(data::WriteShard(dir + "/s.shard", info, docs).ok());
  std::unique_ptr<data::Shard> shard;
  ASSERT_TRUE(data::Shard::Open(dir + "/s.shard", &shard).ok());
  torch::manual_seed(3);
  models::GPT model(models::ModelShape{16, 32, 8, 2, 1, 16, 4, 0.0});  // seq_len 4: 2 windows for doc 1
  model->eval();
  const auto losses = ScoreDocuments(model, *shard, {1, 0, 2}, 3);
  ASSERT_EQ(losses.size(), 3u);
  auto expected = [&](const std::vector<uint32_t>& d) {
    std::vector<int64_t> seq = {0};
    for (uint32_t t : d) seq.push_back(t);
    double total = 0;
    for (size_t pos = 0; pos + 1 < seq.size(); pos += 4) {
      const size_t n = std::min<size_t>(4, seq.size() - 1 - pos);
      auto x = torch::tensor(std::vector<int64_t>(seq.begin() + pos, seq.begin() + pos + n)).unsqueeze(0);
      auto y = torch::tensor(std::vector<int64_t>(seq.begin() + pos + 1, seq.begin() + pos + n + 1)).unsqueeze(0);
      torch::NoGradGuard g;
      total += model->Loss(x, y).item<double>() * n;
    }
    return total;
  };
  EXPECT_EQ(losses[0].tokens, 8);
  EXPECT_NEAR(losses[0].nll, expected(docs[1]), 1e-4);
  EXPECT_NEAR(losses[1].nll, expected(docs[0]), 1e-4);
  EXPECT_NEAR(losses[2].nll, expected(docs[2]), 1e-4);
}

}  // namespace
}  // namespace datawall::quality
