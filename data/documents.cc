// JSONL document reader, the hash split and the corpus hash (see documents.h).
#include "data/documents.h"

#include <cmath>
#include <fstream>

#include "absl/strings/str_cat.h"
#include "tools/io/checksum.h"
#include "tools/json/json.h"

namespace datawall::data {
namespace {

// Seed of the split's hash: changing it would reshuffle every validation set.
constexpr uint64_t kSplitSeed = 0x73706c6974763031ULL;  // "splitv01"

}  // namespace

absl::Status ParseDocumentLine(std::string_view line, Document* doc) {
  absl::StatusOr<json::Value> parsed = json::Parse(line, "JSON");
  if (!parsed.ok()) return parsed.status();
  if (!parsed->is_object()) return absl::InvalidArgumentError("not a JSON object");
  const std::pair<const char*, std::string*> fields[] = {
      {"src", &doc->src}, {"id", &doc->id}, {"text", &doc->text}};
  for (const auto& [key, field] : fields) {
    const auto it = parsed->find(key);
    if (it == parsed->end()) return absl::InvalidArgumentError("missing \"src\", \"id\" or \"text\"");
    if (!it->is_string()) {
      return absl::InvalidArgumentError(absl::StrCat("\"", key, "\": not a string"));
    }
    *field = it->get<std::string>();
  }
  return absl::OkStatus();
}

absl::Status ReadDocuments(const std::string& path, int64_t max_documents,
                           std::vector<Document>* docs) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(path + ": missing (cannot open)");
  std::string line;
  int64_t line_number = 0, read = 0;
  while (std::getline(in, line)) {
    ++line_number;
    if (line.empty()) continue;
    if (max_documents > 0 && read >= max_documents) break;
    Document doc;
    if (absl::Status s = ParseDocumentLine(line, &doc); !s.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(path, ":", line_number, ": ", s.message()));
    }
    docs->push_back(std::move(doc));
    ++read;
  }
  if (in.bad()) return absl::InternalError(path + ": read error");
  return absl::OkStatus();
}

bool InValidation(std::string_view text, double validation_fraction) {
  if (validation_fraction <= 0) return false;
  if (validation_fraction >= 1) return true;
  const uint64_t h = io::Checksum64(text.data(), text.size(), kSplitSeed);
  // h / 2^64 < fraction, in exact integer arithmetic for the threshold.
  const long double threshold = std::ldexp(static_cast<long double>(validation_fraction), 64);
  return static_cast<long double>(h) < threshold;
}

std::string CorpusHash(const std::vector<const Document*>& docs) {
  io::Checksum sum(0x636f72707573ULL);  // "corpus"
  for (const Document* d : docs) {
    for (const std::string* field : {&d->src, &d->id, &d->text}) {
      const uint64_t size = field->size();
      sum.Update(&size, sizeof(size));
      sum.Update(*field);
    }
  }
  return sum.HexDigest();
}

}  // namespace datawall::data
