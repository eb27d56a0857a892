// The filter experiments' files in a sweep directory (see filter_files.h).
#include "experiments/records/filter_files.h"

#include "absl/strings/str_cat.h"
#include "experiments/records/records.h"
#include "tools/json/json.h"
#include "tools/proto/text_format.h"

namespace datawall::records {
namespace {

json::Json ToJson(const DocumentsLoss& l) {
  return {{"documents", l.documents}, {"tokens", l.tokens}, {"loss", l.loss}};
}

absl::Status FromJson(const json::Value& v, const std::string& where, DocumentsLoss* out) {
  if (!v.is_object()) return absl::InvalidArgumentError(absl::StrCat(where, ": not an object"));
  for (const char* key : {"documents", "tokens", "loss"}) {
    if (!v.contains(key) || !v[key].is_number()) {
      return absl::InvalidArgumentError(absl::StrCat(where, ".", key, ": missing or not a number"));
    }
  }
  out->documents = v["documents"].get<int64_t>();
  out->tokens = v["tokens"].get<int64_t>();
  out->loss = v["loss"].get<double>();
  if (out->documents < 1 || out->tokens < 1) {
    return absl::InvalidArgumentError(absl::StrCat(where, ": no documents scored"));
  }
  return absl::OkStatus();
}

std::string String(const json::Value& v, const char* key) {
  return v.contains(key) && v[key].is_string() ? v[key].get<std::string>() : std::string();
}

}  // namespace

absl::StatusOr<experiments::BuiltPools> ReadBuiltPools(const std::string& path) {
  absl::StatusOr<std::string> text = ReadText(path);
  if (!text.ok()) return text.status();
  experiments::BuiltPools built;
  if (std::string error; !proto::ParseTextFormat(*text, &built, &error)) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": not a BuiltPools message (", error, ")"));
  }
  return built;
}

absl::StatusOr<std::string> SourceValidationJson(const SourceValidation& v) {
  json::Json out = {{"run", v.run},
                    {"checkpoint_step", v.checkpoint_step},
                    {"validation_shard", v.validation_shard},
                    {"validation_shard_checksum", v.validation_shard_checksum},
                    {"all", ToJson(v.all)}};
  if (v.quality) {
    out["quality_shard"] = v.quality_shard;
    out["quality"] = ToJson(*v.quality);
    out["quality_shard_checksum"] = v.quality_shard_checksum;
  }
  json::Json sources = json::Json::object();
  for (const auto& [src, l] : v.sources) sources[src] = ToJson(l);
  out["sources"] = sources;
  absl::StatusOr<std::string> text = json::Dump(out, 2);
  if (!text.ok()) return text.status();
  return *text + "\n";
}

absl::StatusOr<SourceValidation> ParseSourceValidation(const std::string& text, const std::string& where) {
  absl::StatusOr<json::Value> doc = json::Parse(text, where);
  if (!doc.ok()) return doc.status();
  if (!doc->is_object()) return absl::InvalidArgumentError(absl::StrCat(where, ": not a JSON object"));
  SourceValidation v;
  v.run = String(*doc, "run");
  if (doc->contains("checkpoint_step") && (*doc)["checkpoint_step"].is_number_integer()) {
    v.checkpoint_step = (*doc)["checkpoint_step"].get<int64_t>();
  }
  v.validation_shard = String(*doc, "validation_shard");
  v.validation_shard_checksum = String(*doc, "validation_shard_checksum");
  if (!doc->contains("all")) return absl::InvalidArgumentError(absl::StrCat(where, ": no \"all\""));
  if (absl::Status s = FromJson((*doc)["all"], where + ": all", &v.all); !s.ok()) return s;
  if (doc->contains("quality")) {
    v.quality.emplace();
    if (absl::Status s = FromJson((*doc)["quality"], where + ": quality", &*v.quality); !s.ok()) return s;
    v.quality_shard = String(*doc, "quality_shard");
    v.quality_shard_checksum = String(*doc, "quality_shard_checksum");
  }
  if (doc->contains("sources")) {
    if (!(*doc)["sources"].is_object()) {
      return absl::InvalidArgumentError(absl::StrCat(where, ": sources: not an object"));
    }
    for (const auto& [src, l] : (*doc)["sources"].items()) {
      if (absl::Status s = FromJson(l, absl::StrCat(where, ": sources.", src), &v.sources[src]); !s.ok()) return s;
    }
  }
  return v;
}

absl::StatusOr<SourceValidation> ReadSourceValidation(const std::string& run_dir) {
  const std::string path = absl::StrCat(run_dir, "/", kValidationSourcesFile);
  absl::StatusOr<std::string> text = ReadText(path);
  if (!text.ok()) return text.status();
  return ParseSourceValidation(*text, path);
}

absl::StatusOr<FilterEvidence> LoadFilterEvidence(const experiments::SweepPlan& plan, const std::string& out_dir) {
  FilterEvidence e;
  absl::StatusOr<experiments::BuiltPools> pools = ReadBuiltPools(absl::StrCat(out_dir, "/", kPoolsFile));
  if (!pools.ok()) return pools.status();
  e.pools = *std::move(pools);
  for (const auto& run : plan.runs()) {
    absl::StatusOr<SourceValidation> v = ReadSourceValidation(RunDir(out_dir, run.hash()));
    if (absl::IsNotFound(v.status())) continue;
    if (!v.ok()) return v.status();
    e.by_hash[run.hash()] = *std::move(v);
  }
  return e;
}

}  // namespace datawall::records
