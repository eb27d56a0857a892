// Documents as extraction writes them: JSONL, one {"src","id","text"} object per line
// (data/extract/extract.py), and the document-hash train/validation split.
//
// Each line is parsed with tools/json (nlohmann); "src", "id" and "text" must be strings, other
// keys are ignored.
// The split puts a document in validation when the checksum of its text falls below
// `validation_fraction` of the 64-bit range: a pure function of the text, so exact duplicates
// always land on the same side and validation never overlaps training.
#ifndef DATAWALL_DATA_DOCUMENTS_H_
#define DATAWALL_DATA_DOCUMENTS_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"

namespace datawall::data {

struct Document {
  std::string src;   // source tag, e.g. "sotu", "linuxdoc", "python_stdlib"
  std::string id;    // unique within the source
  std::string text;  // UTF-8
};

// Parses one JSONL line. InvalidArgument describing the problem.
absl::Status ParseDocumentLine(std::string_view line, Document* doc);

// Appends the documents of a JSONL file (at most max_documents when > 0). NotFound when the file
// cannot be opened, InvalidArgument naming the path and line of a malformed one.
absl::Status ReadDocuments(const std::string& path, int64_t max_documents,
                           std::vector<Document>* docs);

// True when the document with this text belongs to the validation split.
bool InValidation(std::string_view text, double validation_fraction);

// Checksum (16 hex digits) over the documents' src, id and text: the shard's corpus hash.
std::string CorpusHash(const std::vector<const Document*>& docs);

}  // namespace datawall::data

#endif  // DATAWALL_DATA_DOCUMENTS_H_
