// JSONL documents and the hash split: escapes decode exactly, malformed lines are refused with
// their position, the split is a pure function of the text (duplicates stay together, train and
// validation never overlap) and holds about the asked fraction.
#include "data/documents.h"

#include <cstdlib>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace datawall::data {
namespace {

TEST(DocumentsTest, ParsesEscapesAndUnicode) {
  Document d;
  ASSERT_TRUE(ParseDocumentLine(
                R"({"src": "sotu", "id": "1790_x", "text": "a\"b\\c\/d\n\t\u00e9\ud83d\ude00 caf\u00E9 — 日本"})",
                &d).ok());
  EXPECT_EQ(d.src, "sotu");
  EXPECT_EQ(d.id, "1790_x");
  EXPECT_EQ(d.text, "a\"b\\c/d\n\t\xC3\xA9\xF0\x9F\x98\x80 caf\xC3\xA9 — 日本");
}

TEST(DocumentsTest, KeyOrderAndExtraKeysDoNotMatter) {
  Document d;
  ASSERT_TRUE(ParseDocumentLine(R"({"text":"t","extra":[1,2],"id":"i","src":"s"})", &d).ok());
  EXPECT_EQ(d.text, "t");
  EXPECT_EQ(d.src, "s");
}

TEST(DocumentsTest, RefusesMalformedLines) {
  Document d;
  for (const char* bad : {R"({"src": "s", "id": "i"})",                   // no text
                          R"({"src": "s", "id": "i", "text": "abc)",       // open
                          R"({"src": "s", "id": 3, "text": "t"})",         // number
                          R"({"src": "s", "id": "i", "text": "\q"})",      // bad escape
                          R"({"src": "s", "id": "i", "text": "t"} x)",     // trailing
                          R"(["s", "i", "t"])", ""}) {
    const absl::Status s = ParseDocumentLine(bad, &d);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << bad << ": " << s;
  }
  EXPECT_EQ(ParseDocumentLine(R"({"src": "s", "id": 3, "text": "t"})", &d).message(),
            "\"id\": not a string");
}

TEST(DocumentsTest, ReadDocumentsNamesFileAndLine) {
  const char* dir = std::getenv("TEST_TMPDIR");
  const std::string path = std::string(dir ? dir : "/tmp") + "/docs.jsonl";
  {
    std::ofstream out(path);
    out << R"({"src": "a", "id": "1", "text": "x"})" << "\n"
        << R"({"src": "a", "id": "2", "text": "y"})" << "\n"
        << R"({"src": "a", "id": "3", "text": )" << "\n";
  }
  std::vector<Document> docs;
  EXPECT_TRUE(ReadDocuments(path, 2, &docs).ok());  // stops before the bad line
  EXPECT_EQ(docs.size(), 2u);
  docs.clear();
  const absl::Status error = ReadDocuments(path, 0, &docs);
  EXPECT_EQ(error.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(error.message().find(path + ":3:"), std::string::npos) << error;
  const absl::Status missing = ReadDocuments(path + ".missing", 0, &docs);
  EXPECT_EQ(missing.code(), absl::StatusCode::kNotFound);
  EXPECT_NE(missing.message().find("missing"), std::string::npos);
}

TEST(SplitTest, DisjointDeterministicAndNearTheFraction) {
  std::vector<std::string> texts;
  for (int i = 0; i < 20000; ++i) texts.push_back("document number " + std::to_string(i));
  std::set<std::string> train, validation;
  for (const std::string& t : texts) {
    ASSERT_EQ(InValidation(t, 0.05), InValidation(t, 0.05));
    (InValidation(t, 0.05) ? validation : train).insert(t);
  }
  for (const std::string& t : validation) EXPECT_EQ(train.count(t), 0u);
  EXPECT_EQ(train.size() + validation.size(), texts.size());
  // Binomial(20000, 0.05): mean 1000, sd 31; 5 sd either side.
  EXPECT_GT(validation.size(), 845u);
  EXPECT_LT(validation.size(), 1155u);
}

TEST(SplitTest, ValidationSetsAreNestedInTheFraction) {
  // A document held out at 1% is also held out at 10%: growing the fraction only moves
  // documents from train to validation.
  for (int i = 0; i < 5000; ++i) {
    const std::string t = "text " + std::to_string(i);
    if (InValidation(t, 0.01)) {
      EXPECT_TRUE(InValidation(t, 0.10)) << t;
    }
  }
  EXPECT_FALSE(InValidation("anything", 0.0));
  EXPECT_TRUE(InValidation("anything", 1.0));
}

TEST(SplitTest, CorpusHashCoversEveryField) {
  Document a{"s", "1", "text"}, b{"s", "2", "text"}, c{"s", "1", "text!"};
  EXPECT_NE(CorpusHash({&a}), CorpusHash({&b}));
  EXPECT_NE(CorpusHash({&a}), CorpusHash({&c}));
  EXPECT_NE(CorpusHash({&a, &b}), CorpusHash({&b, &a}));
  EXPECT_EQ(CorpusHash({&a, &b}), CorpusHash({&a, &b}));
}

}  // namespace
}  // namespace datawall::data
