// SentencePiece BPE behind the Tokenizer interface: training options, loading, encode/decode.
#include "data/tokenizer/sentencepiece_tokenizer.h"

#include <sentencepiece_processor.h>
#include <sentencepiece_trainer.h>

#include <fstream>
#include <sstream>
#include <unordered_map>

#include "data/tokenizer/utf8.h"
#include "tools/io/atomic_file.h"
#include "tools/io/checksum.h"

// Debian's libsentencepiece 0.1.97 exports its log-level switch but its headers do not declare
// it (0.1.99 made it public as sentencepiece::SetMinLogLevel). Used to silence the trainer's
// ~1,000 lines of INFO per model; warnings and errors still print, and errors come back in Status.
namespace sentencepiece::logging {
int GetMinLogLevel();
void SetMinLogLevel(int v);
}  // namespace sentencepiece::logging

namespace datawall::data {
namespace {

// Lines of the files in order; an unreadable file ends the iteration with an error status.
class LinesIterator : public sentencepiece::SentenceIterator {
 public:
  explicit LinesIterator(const std::vector<std::string>& files) : files_(files) { Next(); }
  bool done() const override { return done_; }
  void Next() override {
    while (true) {
      if (in_.is_open() && std::getline(in_, line_)) return;
      if (in_.is_open()) in_.close();
      if (next_file_ >= files_.size()) {
        done_ = true;
        return;
      }
      const std::string& path = files_[next_file_++];
      in_.open(path, std::ios::binary);
      if (!in_) {
        status_ = sentencepiece::util::Status(sentencepiece::util::StatusCode::kNotFound,
                                              path + ": cannot open");
        done_ = true;
        return;
      }
    }
  }
  const std::string& value() const override { return line_; }
  sentencepiece::util::Status status() const override { return status_; }

 private:
  const std::vector<std::string>& files_;
  size_t next_file_ = 0;
  std::ifstream in_;
  std::string line_;
  bool done_ = false;
  sentencepiece::util::Status status_;
};

class SentencePieceTokenizer : public Tokenizer {
 public:
  SentencePieceTokenizer(std::unique_ptr<sentencepiece::SentencePieceProcessor> sp, std::string id)
      : sp_(std::move(sp)), id_(std::move(id)) {}
  std::string id() const override { return id_; }
  uint32_t vocab_size() const override { return static_cast<uint32_t>(sp_->GetPieceSize()); }
  uint32_t end_of_text() const override { return static_cast<uint32_t>(sp_->eos_id()); }
  void Encode(std::string_view text, std::vector<uint32_t>* ids) const override {
    std::vector<int> out;
    // Ill-formed UTF-8 gets the same WHATWG replacement as GPT-2 (SentencePiece alone would put
    // one U+FFFD per bad byte). Encode fails only when no model is loaded.
    if (utf8::IsValid(text)) {
      sp_->Encode(text, &out).IgnoreError();
    } else {
      sp_->Encode(utf8::ReplaceInvalid(text), &out).IgnoreError();
    }
    ids->insert(ids->end(), out.begin(), out.end());
  }
  std::string Decode(const std::vector<uint32_t>& ids) const override {
    std::vector<int> in;
    in.reserve(ids.size());
    for (uint32_t id : ids) {
      if (id < vocab_size()) in.push_back(static_cast<int>(id));
    }
    std::string text;
    sp_->Decode(in, &text).IgnoreError();
    return text;
  }

 private:
  std::unique_ptr<sentencepiece::SentencePieceProcessor> sp_;
  std::string id_;
};

}  // namespace

Result TrainSentencePieceBpe(const std::vector<std::string>& text_files, int vocab_size,
                             const std::string& model_path) {
  if (text_files.empty()) return Result::BadInput("TrainSentencePieceBpe: no text files");
  if (vocab_size < 260 || vocab_size > 1000000) {
    return Result::BadInput(
        "TrainSentencePieceBpe: vocab_size " + std::to_string(vocab_size) +
        " out of range (260..1000000: 256 byte pieces, <unk>, </s>, the characters of the text, merges)");
  }
  for (const std::string& f : text_files) {
    if (!std::ifstream(f)) return Result::BadInput(f + ": cannot open");
  }
  const std::unordered_map<std::string, std::string> args = {
      {"model_type", "bpe"},
      {"vocab_size", std::to_string(vocab_size)},
      {"byte_fallback", "true"},
      {"character_coverage", "0.9995"},
      {"normalization_rule_name", "identity"},
      {"remove_extra_whitespaces", "false"},
      {"add_dummy_prefix", "false"},
      {"allow_whitespace_only_pieces", "true"},
      {"split_digits", "false"},
      {"max_sentence_length", "16384"},
      {"input_sentence_size", "0"},
      {"shuffle_input_sentence", "false"},
      {"num_threads", "1"},
      {"unk_id", "0"},
      {"eos_id", "1"},
      {"bos_id", "-1"},
      {"pad_id", "-1"},
      {"hard_vocab_limit", "true"},
  };
  LinesIterator lines(text_files);
  std::string model;
  const int log_level = sentencepiece::logging::GetMinLogLevel();
  sentencepiece::logging::SetMinLogLevel(1);  // warnings and errors only
  const sentencepiece::util::Status status =
      sentencepiece::SentencePieceTrainer::Train(args, &lines, &model);
  sentencepiece::logging::SetMinLogLevel(log_level);
  if (!status.ok()) {
    return Result::BadInput("SentencePiece training failed: " + status.ToString());
  }
  if (!lines.status().ok()) return Result::BadInput(lines.status().ToString());
  return io::WriteFileAtomically(model_path, model);
}

Result LoadSentencePieceTokenizer(const std::string& model_path,
                                  std::unique_ptr<Tokenizer>* tokenizer) {
  std::ifstream in(model_path, std::ios::binary);
  if (!in) return Result::BadInput(model_path + ": cannot open");
  std::ostringstream buffer;
  buffer << in.rdbuf();
  const std::string model = buffer.str();
  auto sp = std::make_unique<sentencepiece::SentencePieceProcessor>();
  const sentencepiece::util::Status status = sp->LoadFromSerializedProto(model);
  if (!status.ok()) {
    return Result::BadInput(model_path + ": not a SentencePiece model (" +
                                      status.ToString() + ")");
  }
  if (sp->eos_id() < 0) {
    return Result::BadInput(
        model_path + ": the model has no </s> piece (needed as the document separator)");
  }
  const std::string id = "sp_bpe" + std::to_string(sp->GetPieceSize()) + "_" +
                         io::HexChecksum(model);
  *tokenizer = std::make_unique<SentencePieceTokenizer>(std::move(sp), id);
  return Result::Ok();
}

}  // namespace datawall::data
