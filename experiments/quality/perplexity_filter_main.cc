// perplexity_filter: scores every document of a token shard with a trained reference GPT and,
// with --filter, writes the shard of the documents a percentile filter keeps (paper section 7,
// App. N: "top 25%" = perplexity below the 25th percentile; lower = higher quality).
//
//   bazel run -c opt //experiments:train -- --spec=REF.textproto --out=/tmp/ref   # the scorer
//   bazel run -c opt //experiments/quality:perplexity_filter -- --reference_run=/tmp/ref
//       --shard=data/work/shards/small1024_full/en_mix.train.shard --exclude_sources=brown
//       --filter=top50 --out_shard=/tmp/en_mix.top50.shard --scores=/tmp/scores.tsv --format=json
//
// The scorer id is "gpt:<run hash of the reference spec>@step<N>"; it and the reference's
// training data hash (its record's data_hash) go into the scores file's header, the JSON report
// and <out_shard>.filter.json beside the filtered shard, whose corpus hash also covers them (so
// every run record's data hash names the scorer). Documents of --exclude_sources (the reference
// set) are neither ranked nor kept. Not here: training the reference (the train CLI), choosing a
// pool or repeating it (the filter experiments).
#include <chrono>
#include <cmath>
#include <fstream>
#include <algorithm>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "data/quality/perplexity_filter.h"
#include "data/shard.h"
#include "experiments/quality/document_loss.h"
#include "experiments/quality/trained_model.h"
#include "experiments/records/records.h"
#include "experiments/training/train_step.h"
#include "tools/cli/flags.h"
#include "tools/cli/logging.h"
#include "tools/io/atomic_file.h"
#include "tools/io/checksum.h"
#include "tools/json/json.h"
#include "tools/paths/paths.h"

ABSL_FLAG(std::string, reference_run, "",
          "run directory of the trained reference model (record.textproto + checkpoints/)");
ABSL_FLAG(std::string, shard, "", "token shard whose documents are scored");
ABSL_FLAG(std::string, exclude_sources, "",
          "comma-separated sources left out (the reference set: never ranked, never kept)");
ABSL_FLAG(std::string, filter, "",
          "top25, top50, mid25_75 or several, comma-separated: also write --out_shard");
ABSL_FLAG(std::string, out_shard, "",
          "the filtered shard (with --filter); {filter} in it is replaced by the band");
ABSL_FLAG(std::string, scores, "", "if set, write per-document scores here (TSV)");
ABSL_FLAG(int, batch_size, 32, "windows per forward pass");
ABSL_FLAG(int, threads, 1, "intra-op threads");
ABSL_FLAG(datawall::cli::TextOrJson, format, datawall::cli::TextOrJson::kText, "text or json");

namespace {

using datawall::cli::UsageError;
using datawall::json::Json;

std::string Docs(const std::string& shard_path, std::vector<std::string>* ids) {
  // <corpus>.<split>.shard -> <corpus>.<split>.docs.tsv (prepare's index), if present.
  std::string index = shard_path;
  if (index.size() > 6 && index.substr(index.size() - 6) == ".shard") index.resize(index.size() - 6);
  index += ".docs.tsv";
  std::ifstream in(index);
  std::string line;
  if (!std::getline(in, line)) return "";
  while (std::getline(in, line)) {
    std::vector<std::string> cols = absl::StrSplit(line, '\t');
    ids->push_back(cols.size() >= 3 ? cols[2] : "");
  }
  return index;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace datawall;
  cli::ParseFlags(argc, argv,
                  "perplexity_filter --reference_run=DIR --shard=FILE [--exclude_sources=a,b] "
                  "[--filter=top25,top50,mid25_75 --out_shard=DIR/x.{filter}.shard] [--scores=FILE] "
                  "[--format=json]");
  cli::InitLogging(argv[0], false);
  const bool json = absl::GetFlag(FLAGS_format) == cli::TextOrJson::kJson;
  const std::string run_dir = paths::UserPath(absl::GetFlag(FLAGS_reference_run));
  const std::string shard_path = paths::UserPath(absl::GetFlag(FLAGS_shard));
  if (run_dir.empty()) UsageError("--reference_run is required");
  if (shard_path.empty()) UsageError("--shard is required");
  // --filter: one band or several, comma-separated; --out_shard names the shard of each
  // ("{filter}" in it is replaced by the band's name; needed with more than one band).
  std::vector<data::quality::PerplexityBand> bands;
  const std::string filters = absl::GetFlag(FLAGS_filter);
  const std::string out_pattern = paths::UserPath(absl::GetFlag(FLAGS_out_shard));
  for (absl::string_view f : absl::StrSplit(filters, ',', absl::SkipEmpty())) {
    data::quality::PerplexityBand band;
    if (!data::quality::ParsePerplexityBand(std::string(f), &band)) {
      UsageError("--filter=" + std::string(f) + ": must be top25, top50 or mid25_75");
    }
    bands.push_back(band);
  }
  if (bands.empty() != out_pattern.empty()) UsageError("--filter and --out_shard go together");
  if (bands.size() > 1 && out_pattern.find("{filter}") == std::string::npos) {
    UsageError("--out_shard must contain {filter} when --filter names several bands");
  }
  if (absl::GetFlag(FLAGS_batch_size) < 1) UsageError("--batch_size: must be >= 1");

  auto record = records::ReadRecordFile(run_dir + "/record.textproto");
  if (!record.ok()) cli::Exit(record.status(), "--reference_run");
  if (!record->complete()) UsageError(run_dir + ": the reference run is not complete");
  const experiments::RunSpec& spec = record->spec();
  const models::ModelShape shape{spec.model().d_model(), spec.model().ffw_size(),
                                 spec.model().kv_size(), spec.model().n_heads(),
                                 spec.model().n_layers(), spec.model().vocab_size(),
                                 spec.model().seq_len(), 0.0};
  std::unique_ptr<data::Shard> shard;
  if (Result r = data::Shard::Open(shard_path, &shard); !r.ok()) UsageError(r.message());
  if (shard->info().vocab_size > static_cast<uint32_t>(shape.vocab_size)) {
    UsageError(absl::StrCat(shard_path, ": vocabulary ", shard->info().vocab_size,
                            " is larger than the reference model's ", shape.vocab_size));
  }
  if (shard->num_documents() < 2) UsageError(shard_path + ": fewer than two documents");
  training::SetThreads(absl::GetFlag(FLAGS_threads));
  models::GPT model(nullptr);
  int64_t step = 0;
  if (Result r = quality::LoadTrainedModel(shape, run_dir, &model, &step); !r.ok()) {
    UsageError(r.message());
  }
  const std::string scorer_id =
      absl::StrCat("gpt:", records::RunHash(spec), "@step", step);
  const std::string reference_data = record->provenance().data_hash();

  std::set<std::string> excluded;
  for (absl::string_view s : absl::StrSplit(absl::GetFlag(FLAGS_exclude_sources), ',',
                                            absl::SkipEmpty())) {
    excluded.emplace(s);
  }
  std::vector<int64_t> docs;
  for (int64_t d = 0; d < shard->num_documents(); ++d) {
    const auto& sources = shard->info().sources;
    const std::string src = sources.empty() ? "" : sources[shard->document_source(d)];
    if (!excluded.count(src)) docs.push_back(d);
  }
  if (docs.empty()) UsageError("--exclude_sources leaves no document to score");

  const auto start = std::chrono::steady_clock::now();
  const std::vector<quality::DocumentLoss> losses =
      quality::ScoreDocuments(model, *shard, docs, absl::GetFlag(FLAGS_batch_size));
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::vector<double> ppl;
  int64_t scored_tokens = 0;
  for (const auto& l : losses) {
    ppl.push_back(std::exp(l.mean()));
    scored_tokens += l.tokens;
  }
  std::vector<std::string> ids;
  Docs(shard_path, &ids);
  const auto& sources = shard->info().sources;
  auto source_of = [&](int64_t d) { return sources.empty() ? std::string() : sources[shard->document_source(d)]; };
  // keep[b][i]: band b keeps document docs[i].
  std::vector<std::vector<bool>> keep(bands.size());
  for (size_t b = 0; b < bands.size(); ++b) {
    if (absl::Status st = data::quality::SelectByPerplexity(ppl, bands[b], &keep[b]); !st.ok()) {
      cli::InternalError(std::string(st.message()));  // a non-finite score is the scorer's bug
    }
  }

  const std::string scores_path = paths::UserPath(absl::GetFlag(FLAGS_scores));
  if (!scores_path.empty()) {
    std::string tsv = absl::StrCat("# scorer ", scorer_id, " reference_data_hash ",
                                   reference_data, " shard ", shard->checksum(), "\n",
                                   "doc\tsrc\tid\ttokens\tnll\tperplexity");
    for (auto band : bands) absl::StrAppend(&tsv, "\t", data::quality::PerplexityBandName(band));
    tsv += "\n";
    for (size_t i = 0; i < docs.size(); ++i) {
      absl::StrAppendFormat(&tsv, "%d\t%s\t%s\t%d\t%.6f\t%.4f", docs[i], source_of(docs[i]),
                            docs[i] < static_cast<int64_t>(ids.size()) ? ids[docs[i]] : "",
                            losses[i].tokens, losses[i].nll, ppl[i]);
      for (size_t b = 0; b < bands.size(); ++b) absl::StrAppend(&tsv, "\t", keep[b][i] ? 1 : 0);
      tsv += "\n";
    }
    if (Result r = io::WriteFileAtomically(scores_path, tsv); !r.ok()) cli::InternalError(r.message());
  }

  const Json base = {{"scorer_id", scorer_id},
                     {"reference_data_hash", reference_data},
                     {"reference_run", run_dir},
                     {"source_shard", shard_path},
                     {"source_shard_checksum", shard->checksum()},
                     {"excluded_sources", Json(std::vector<std::string>(excluded.begin(), excluded.end()))}};
  // Documents and tokens per source, of everything scored and of what each band keeps.
  auto per_source = [&](const std::vector<bool>* kept) {
    std::map<std::string, std::pair<int64_t, int64_t>> counts;
    for (size_t i = 0; i < docs.size(); ++i) {
      if (kept != nullptr && !(*kept)[i]) continue;
      auto& c = counts[source_of(docs[i])];
      c.first += 1;
      c.second += losses[i].tokens;
    }
    Json out = Json::object();
    for (const auto& [src, c] : counts) out[src] = {{"documents", c.first}, {"tokens", c.second}};
    return out;
  };
  Json report = base;
  report["scored_documents"] = static_cast<int64_t>(docs.size());
  report["scored_tokens"] = scored_tokens;
  report["seconds"] = seconds;
  report["tokens_per_second"] = seconds > 0 ? scored_tokens / seconds : 0.0;
  report["reference_params"] = record->params();
  report["per_source"] = per_source(nullptr);
  report["filters"] = Json::array();
  if (!json) {
    std::printf("scored %ld documents (%ld tokens) in %.1f s (%.0f tokens/s) with %s\n",
                static_cast<long>(docs.size()), static_cast<long>(scored_tokens), seconds,
                seconds > 0 ? scored_tokens / seconds : 0.0, scorer_id.c_str());
  }
  for (size_t b = 0; b < bands.size(); ++b) {
    const std::string name = data::quality::PerplexityBandName(bands[b]);
    std::string out_shard = out_pattern;
    if (const size_t at = out_shard.find("{filter}"); at != std::string::npos) {
      out_shard.replace(at, 8, name);
    }
    std::vector<std::vector<uint32_t>> out_docs;
    std::vector<uint16_t> out_sources;
    int64_t kept_docs = 0, kept_tokens = 0;
    for (size_t i = 0; i < docs.size(); ++i) {
      if (!keep[b][i]) continue;
      const int64_t begin = shard->document_start(docs[i]), end = shard->document_start(docs[i] + 1);
      out_docs.emplace_back(end - begin);
      for (int64_t t = begin; t < end; ++t) out_docs.back()[t - begin] = shard->token(t);
      if (!sources.empty()) out_sources.push_back(shard->document_source(docs[i]));
      ++kept_docs;
      kept_tokens += end - begin;
    }
    data::ShardInfo info = shard->info();
    io::Checksum corpus;
    corpus.Update(shard->info().corpus_hash + "/" + name + "/" + scorer_id + "/" + reference_data);
    info.corpus_hash = corpus.HexDigest();
    if (Result r = data::WriteShard(out_shard, info, out_docs, out_sources); !r.ok()) {
      cli::InternalError(r.message());
    }
    Json provenance = base;
    provenance["filter"] = name;
    provenance["documents"] = kept_docs;
    provenance["tokens"] = kept_tokens;
    provenance["per_source"] = per_source(&keep[b]);
    if (Result r = io::WriteFileAtomically(out_shard + ".filter.json", provenance.dump(2) + "\n");
        !r.ok()) {
      cli::InternalError(r.message());
    }
    Json entry = {{"filter", name}, {"out_shard", out_shard}, {"kept_documents", kept_docs},
                  {"kept_tokens", kept_tokens}, {"per_source", provenance["per_source"]}};
    report["filters"].push_back(entry);
    if (!json) {
      std::printf("%s kept %ld documents, %ld tokens (%.1f%%) -> %s\n", name.c_str(),
                  static_cast<long>(kept_docs), static_cast<long>(kept_tokens),
                  100.0 * kept_tokens / std::max<int64_t>(1, scored_tokens), out_shard.c_str());
    }
  }
  if (json) std::printf("%s\n", report.dump(2).c_str());
  return 0;
}
