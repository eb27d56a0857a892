// tools/io: atomic writes replace whole files and leave no temporaries, errors are Results naming
// the path (write failures internal, a missing file to read bad input), checksums stream.
#include <dirent.h>
#include <sys/stat.h>

#include <string>

#include "gtest/gtest.h"
#include "tools/io/atomic_file.h"
#include "tools/io/checksum.h"

namespace datawall::io {
namespace {

std::string TempDir() { return getenv("TEST_TMPDIR"); }

int CountFiles(const std::string& dir) {
  int n = 0;
  DIR* d = opendir(dir.c_str());
  while (dirent* e = readdir(d)) n += e->d_name[0] != '.';
  closedir(d);
  return n;
}

TEST(AtomicFile, WritesAndReplaces) {
  const std::string dir = TempDir() + "/atomic";
  mkdir(dir.c_str(), 0755);
  const std::string path = dir + "/out.txt";
  ASSERT_TRUE(WriteFileAtomically(path, "first").ok());
  const Result second = WriteFileAtomically(path, "second");
  ASSERT_TRUE(second.ok()) << second.message();
  std::string contents;
  const Result read = ReadFile(path, &contents);
  ASSERT_TRUE(read.ok()) << read.message();
  EXPECT_EQ(contents, "second");
  EXPECT_EQ(CountFiles(dir), 1);  // no temporaries left behind
}

TEST(AtomicFile, AbandonedWriterLeavesNothing) {
  const std::string dir = TempDir() + "/abandoned";
  mkdir(dir.c_str(), 0755);
  {
    AtomicFileWriter writer;
    ASSERT_TRUE(writer.Open(dir + "/big.bin").ok());
    ASSERT_TRUE(writer.Write("partial", 7).ok());
  }
  EXPECT_EQ(CountFiles(dir), 0);
}

TEST(AtomicFile, WriteErrorsAreInternalAndNameThePath) {
  const Result r = WriteFileAtomically("/nonexistent/dir/x", "y");
  EXPECT_EQ(r.kind(), Result::Kind::kInternal);
  EXPECT_NE(r.message().find("/nonexistent/dir/x"), std::string::npos) << r.message();

  AtomicFileWriter writer;  // never opened
  EXPECT_EQ(writer.Write("x", 1).kind(), Result::Kind::kInternal);
  EXPECT_EQ(writer.Commit().kind(), Result::Kind::kInternal);
}

TEST(ReadFile, MissingFileIsBadInputAndLeavesContents) {
  std::string contents = "unchanged";
  const Result r = ReadFile(TempDir() + "/no_such_file", &contents);
  EXPECT_TRUE(r.bad_input());
  EXPECT_NE(r.message().find("no_such_file: cannot open"), std::string::npos) << r.message();
  EXPECT_EQ(contents, "unchanged");
}

TEST(Checksum, StreamingEqualsOneShotAndDetectsChanges) {
  std::string data(1000, '\0');
  for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<char>(i * 7 + 3);
  const uint64_t whole = Checksum64(data.data(), data.size());
  for (size_t split : {0, 1, 7, 8, 9, 500, 999}) {
    Checksum sum;
    sum.Update(data.data(), split);
    sum.Update(data.data() + split, data.size() - split);
    EXPECT_EQ(sum.Digest(), whole) << split;
  }
  std::string flipped = data;
  flipped[500] ^= 1;
  EXPECT_NE(Checksum64(flipped.data(), flipped.size()), whole);
  EXPECT_NE(Checksum64(data.data(), 999), whole);  // length matters
  EXPECT_EQ(HexChecksum("abc").size(), 16u);
}

}  // namespace
}  // namespace datawall::io
