// `bazel run //data:dedup -- --docs=FILE[,FILE...] [FILE...] [--min_span_chars=100]
// [--mode=document|span] [--out_dir=DIR] [--format=json]`: exact-substring deduplication of
// documents JSONL (data/documents.h) across documents (data/dedup/dedup.h). Prints a report of
// the duplicated spans, what each removal mode takes out (per source too) and, with --out_dir,
// writes the surviving documents as <src>.jsonl files (plus summary.tsv when the inputs' own
// summary.tsv names their corpus) in the extraction's format, for //data:prepare.
// Thin main: it reads, calls FindDuplicateSpans and ApplyRemoval, and prints. It tokenizes nothing.
// Exit 0 ok, 2 bad input (bad flag, missing or malformed file; one line), 1 internal failure.
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "data/dedup/dedup.h"
#include "data/documents.h"
#include "tools/cli/flags.h"
#include "tools/io/atomic_file.h"
#include "tools/json/json.h"
#include "tools/paths/paths.h"
#include "tools/result/status.h"

namespace datawall::data::dedup {

bool AbslParseFlag(absl::string_view text, RemovalMode* mode, std::string* error) {
  if (ParseRemovalMode(std::string_view(text.data(), text.size()), mode)) return true;
  *error = "must be document or span";
  return false;
}

std::string AbslUnparseFlag(RemovalMode mode) { return RemovalModeName(mode); }

}  // namespace datawall::data::dedup

ABSL_FLAG(std::string, docs, "",
          "Documents JSONL file(s), comma-separated; the flag may be repeated and further files "
          "may follow as arguments.");
ABSL_FLAG(int64_t, min_span_chars, 100,
          "Shortest duplicated span, in bytes of UTF-8 (the paper's 100 characters).");
ABSL_FLAG(datawall::data::dedup::RemovalMode, mode, datawall::data::dedup::RemovalMode::kDocument,
          "document (drop every document with a duplicated span, the paper's rule) or span (cut "
          "the spans out).");
ABSL_FLAG(std::string, out_dir, "",
          "If set, write the documents that survive --mode here as <src>.jsonl (+ summary.tsv).");
ABSL_FLAG(datawall::cli::TextOrJson, format, datawall::cli::TextOrJson::kText, "text or json.");

namespace {

using datawall::cli::UsageError;
using datawall::data::Document;
using datawall::data::dedup::RemovalMode;
using datawall::data::dedup::Span;
using datawall::json::Json;
using Clock = std::chrono::steady_clock;

double Since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

// Every value of --docs, repeated or not (Abseil keeps only the last), then the positional files.
std::vector<std::string> DocsFiles(int argc, char** argv, const std::vector<std::string>& args) {
  std::vector<std::string> values;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--") break;
    if (arg.rfind("--docs=", 0) == 0) {
      values.push_back(arg.substr(7));
    } else if (arg == "--docs" && i + 1 < argc) {
      values.push_back(argv[++i]);
    }
  }
  std::vector<std::string> files;
  for (const std::string& v : values) {
    for (absl::string_view part : absl::StrSplit(v, ',', absl::SkipEmpty())) {
      files.emplace_back(part);
    }
  }
  files.insert(files.end(), args.begin(), args.end());
  return files;
}

std::string DirName(const std::string& path) {
  const size_t slash = path.rfind('/');
  return slash == std::string::npos ? "." : path.substr(0, slash);
}

// src -> "corpus\tkind" from the summary.tsv files beside the inputs (extract.py writes one).
std::map<std::string, std::string> SourceKinds(const std::vector<std::string>& files) {
  std::map<std::string, std::string> kinds;
  std::set<std::string> dirs;
  for (const std::string& f : files) dirs.insert(DirName(f));
  for (const std::string& dir : dirs) {
    std::ifstream in(dir + "/summary.tsv");
    std::string line;
    while (std::getline(in, line)) {
      std::vector<std::string> cols = absl::StrSplit(line, '\t');
      if (cols.size() >= 3) kinds.emplace(cols[0], cols[1] + "\t" + cols[2]);
    }
  }
  return kinds;
}

std::string JsonlLine(const Document& d) {
  auto str = [](const std::string& s) {
    return Json(s).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  };
  return "{\"src\": " + str(d.src) + ", \"id\": " + str(d.id) + ", \"text\": " + str(d.text) +
         "}\n";
}

// Writes kept documents per source (every input source gets a file, possibly empty).
absl::Status WriteOutputs(const std::string& dir, const std::vector<std::string>& sources,
                          const std::vector<Document>& kept,
                          const std::map<std::string, std::string>& kinds) {
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  if (error) return absl::InvalidArgumentError(dir + ": cannot create (" + error.message() + ")");
  std::map<std::string, std::string> lines;
  std::map<std::string, std::pair<int64_t, int64_t>> counts;  // documents, bytes
  for (const Document& d : kept) {
    lines[d.src] += JsonlLine(d);
    counts[d.src].first += 1;
    counts[d.src].second += static_cast<int64_t>(d.text.size());
  }
  std::string summary;
  bool all_known = true;
  for (const std::string& src : sources) {
    if (src.empty() || src.find('/') != std::string::npos || src[0] == '.') {
      return absl::InvalidArgumentError("source name '" + src + "' cannot name a file");
    }
    if (datawall::Result r = datawall::io::WriteFileAtomically(dir + "/" + src + ".jsonl",
                                                                lines[src]);
        !r.ok()) {
      return absl::InvalidArgumentError(r.message());
    }
    const auto it = kinds.find(src);
    if (it == kinds.end()) {
      all_known = false;
    } else {
      summary += absl::StrCat(src, "\t", it->second, "\t", counts[src].first, "\t",
                              counts[src].second, "\n");
    }
  }
  if (all_known) {
    if (datawall::Result r = datawall::io::WriteFileAtomically(dir + "/summary.tsv", summary);
        !r.ok()) {
      return absl::InvalidArgumentError(r.message());
    }
  }
  return absl::OkStatus();
}

struct SourceCounts {
  int64_t documents = 0, bytes = 0;
  int64_t documents_with_spans = 0, spans = 0, duplicate_span_bytes = 0;
  int64_t document_mode_bytes = 0;                   // bytes of the documents dropped
  int64_t span_mode_bytes = 0, span_mode_emptied = 0;  // bytes cut, documents left empty

  void Add(const SourceCounts& o) {
    documents += o.documents;
    bytes += o.bytes;
    documents_with_spans += o.documents_with_spans;
    spans += o.spans;
    duplicate_span_bytes += o.duplicate_span_bytes;
    document_mode_bytes += o.document_mode_bytes;
    span_mode_bytes += o.span_mode_bytes;
    span_mode_emptied += o.span_mode_emptied;
  }
  Json ToJson() const {
    return {{"documents", documents},
            {"bytes", bytes},
            {"documents_with_spans", documents_with_spans},
            {"spans", spans},
            {"duplicate_span_bytes", duplicate_span_bytes},
            {"document_mode", {{"removed_documents", documents_with_spans},
                               {"removed_bytes", document_mode_bytes}}},
            {"span_mode", {{"removed_documents", span_mode_emptied},
                           {"removed_bytes", span_mode_bytes}}}};
  }
};

std::string Percent(int64_t part, int64_t whole) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.2f%%", whole > 0 ? 100.0 * part / whole : 0.0);
  return buf;
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string> args = datawall::cli::ParseFlags(
      argc, argv,
      "Usage: bazel run //data:dedup -- --docs=FILE[,FILE...] [FILE...] [--min_span_chars=100] "
      "[--mode=document|span] [--out_dir=DIR] [--format=json]");
  const bool json = absl::GetFlag(FLAGS_format) == datawall::cli::TextOrJson::kJson;
  const int64_t k = absl::GetFlag(FLAGS_min_span_chars);
  if (k < 1) UsageError("--min_span_chars: must be >= 1, got " + std::to_string(k));
  const RemovalMode mode = absl::GetFlag(FLAGS_mode);
  std::vector<std::string> files = DocsFiles(argc, argv, args);
  if (files.empty()) UsageError("--docs is required (one or more documents JSONL files)");
  for (std::string& f : files) f = datawall::paths::UserPath(f);
  const std::string out_dir = datawall::paths::UserPath(absl::GetFlag(FLAGS_out_dir));

  Clock::time_point stage = Clock::now();
  std::vector<Document> docs;
  for (const std::string& f : files) {
    if (absl::Status s = datawall::data::ReadDocuments(f, 0, &docs); !s.ok()) {
      datawall::cli::Exit(s);
    }
  }
  const double read_seconds = Since(stage);

  stage = Clock::now();
  std::vector<std::string_view> texts;
  texts.reserve(docs.size());
  for (const Document& d : docs) texts.push_back(d.text);
  std::vector<std::vector<Span>> spans;
  if (absl::Status s = datawall::data::dedup::FindDuplicateSpans(texts, k, &spans); !s.ok()) {
    datawall::cli::Exit(s);
  }
  texts.clear();
  texts.shrink_to_fit();
  const double find_seconds = Since(stage);

  // Counts per source (in order of first appearance) and the per-document listing.
  stage = Clock::now();
  std::vector<std::string> sources;
  std::map<std::string, SourceCounts> by_source;
  Json duplicated = Json::array(), removed = Json::array();
  for (size_t d = 0; d < docs.size(); ++d) {
    if (!by_source.count(docs[d].src)) sources.push_back(docs[d].src);
    SourceCounts& c = by_source[docs[d].src];
    const int64_t size = static_cast<int64_t>(docs[d].text.size());
    c.documents += 1;
    c.bytes += size;
    if (spans[d].empty()) continue;
    const int64_t dup = datawall::data::dedup::SpanBytes(spans[d]);
    const int64_t left =
        static_cast<int64_t>(datawall::data::dedup::RemoveSpans(docs[d].text, spans[d]).size());
    c.documents_with_spans += 1;
    c.spans += static_cast<int64_t>(spans[d].size());
    c.duplicate_span_bytes += dup;
    c.document_mode_bytes += size;
    c.span_mode_bytes += size - left;
    c.span_mode_emptied += left == 0 ? 1 : 0;
    Json list = Json::array();
    for (const Span& s : spans[d]) list.push_back({s.begin, s.end});
    duplicated.push_back({{"src", docs[d].src},
                          {"id", docs[d].id},
                          {"bytes", size},
                          {"duplicate_bytes", dup},
                          {"spans", std::move(list)}});
    if (mode == RemovalMode::kDocument || left == 0) {
      removed.push_back({{"src", docs[d].src}, {"id", docs[d].id}});
    }
  }
  SourceCounts total;
  Json per_source = Json::array();
  for (const std::string& src : sources) {
    total.Add(by_source[src]);
    Json row = {{"src", src}};
    row.update(by_source[src].ToJson());
    per_source.push_back(std::move(row));
  }

  if (!out_dir.empty()) {
    const std::vector<Document> kept = datawall::data::dedup::ApplyRemoval(docs, spans, mode);
    if (absl::Status s = WriteOutputs(out_dir, sources, kept, SourceKinds(files)); !s.ok()) {
      datawall::cli::Exit(s);
    }
  }
  const double report_seconds = Since(stage);

  const bool doc_mode = mode == RemovalMode::kDocument;
  const int64_t removed_docs = doc_mode ? total.documents_with_spans : total.span_mode_emptied;
  const int64_t removed_bytes = doc_mode ? total.document_mode_bytes : total.span_mode_bytes;
  if (json) {
    Json files_json = Json::array();
    for (const std::string& f : files) files_json.push_back(f);
    Json out = {{"format", "datawall.data.dedup/1"},
                {"inputs", std::move(files_json)},
                {"min_span_chars", k},
                {"mode", datawall::data::dedup::RemovalModeName(mode)},
                {"documents", total.documents},
                {"bytes", total.bytes},
                {"documents_with_spans", total.documents_with_spans},
                {"spans", total.spans},
                {"duplicate_span_bytes", total.duplicate_span_bytes},
                {"removed_document_count", removed_docs},
                {"removed_bytes", removed_bytes},
                {"removed_documents", std::move(removed)}};
    const Json modes = total.ToJson();
    out["document_mode"] = modes["document_mode"];
    out["span_mode"] = modes["span_mode"];
    out["per_source"] = std::move(per_source);
    out["duplicated"] = std::move(duplicated);
    out["out_dir"] = out_dir;
    out["seconds"] = {{"read", read_seconds}, {"find", find_seconds}, {"report", report_seconds}};
    absl::StatusOr<std::string> text = datawall::json::Dump(out);
    if (!text.ok()) datawall::cli::Exit(text.status());
    std::cout << *text << "\n";
    return 0;
  }
  std::ostringstream o;
  o << "documents:              " << total.documents << " (" << total.bytes << " bytes, "
    << files.size() << " files)\n"
    << "min span:               " << k << " bytes\n"
    << "with duplicated spans:  " << total.documents_with_spans << " documents ("
    << Percent(total.documents_with_spans, total.documents) << "), " << total.spans
    << " spans, " << total.duplicate_span_bytes << " bytes ("
    << Percent(total.duplicate_span_bytes, total.bytes) << ")\n"
    << "document mode removes:  " << total.documents_with_spans << " documents, "
    << total.document_mode_bytes << " bytes (" << Percent(total.document_mode_bytes, total.bytes)
    << ")\n"
    << "span mode removes:      " << total.span_mode_bytes << " bytes ("
    << Percent(total.span_mode_bytes, total.bytes) << "), " << total.span_mode_emptied
    << " documents left empty\n"
    << "mode:                   " << datawall::data::dedup::RemovalModeName(mode)
    << (out_dir.empty() ? std::string() : " -> " + out_dir) << "\n"
    << "time:                   read " << read_seconds << " s, find " << find_seconds
    << " s, report/write " << report_seconds << " s\n\n";
  char line[256];
  std::snprintf(line, sizeof(line), "%-16s %8s %12s %8s %12s %8s %8s\n", "source", "docs",
                "bytes", "dup_docs", "dup_bytes", "doc_rm%", "span_rm%");
  o << line;
  for (const std::string& src : sources) {
    const SourceCounts& c = by_source[src];
    std::snprintf(line, sizeof(line), "%-16s %8lld %12lld %8lld %12lld %8s %8s\n", src.c_str(),
                  static_cast<long long>(c.documents), static_cast<long long>(c.bytes),
                  static_cast<long long>(c.documents_with_spans),
                  static_cast<long long>(c.duplicate_span_bytes),
                  Percent(c.document_mode_bytes, c.bytes).c_str(),
                  Percent(c.span_mode_bytes, c.bytes).c_str());
    o << line;
  }
  std::cout << o.str();
  return 0;
}
