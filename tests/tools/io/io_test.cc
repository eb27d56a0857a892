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
  ASSERT_EQ(WriteFileAtomically(path, "first"), "");
  ASSERT_EQ(WriteFileAtomically(path, "second"), "");
  std::string contents, error;
  ASSERT_TRUE(ReadFile(path, &contents, &error)) << error;
  EXPECT_EQ(contents, "second");
  EXPECT_EQ(CountFiles(dir), 1);  // no temporaries left behind
}

TEST(AtomicFile, AbandonedWriterLeavesNothing) {
  const std::string dir = TempDir() + "/abandoned";
  mkdir(dir.c_str(), 0755);
  {
    AtomicFileWriter writer;
    ASSERT_EQ(writer.Open(dir + "/big.bin"), "");
    ASSERT_EQ(writer.Write("partial", 7), "");
  }
  EXPECT_EQ(CountFiles(dir), 0);
}

TEST(AtomicFile, ErrorsNameThePath) {
  EXPECT_NE(WriteFileAtomically("/nonexistent/dir/x", "y").find("/nonexistent/dir/x"),
            std::string::npos);
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
