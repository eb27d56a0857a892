#include "laws/law_io.h"

#include <cstdio>
#include <fstream>

#include "gtest/gtest.h"

namespace datawall::laws {
namespace {

std::string WriteTemp(const std::string& name, const std::string& text) {
  const std::string path = std::string(getenv("TEST_TMPDIR")) + "/" + name;
  std::ofstream(path) << text;
  return path;
}

TEST(LawIo, ProtoRoundTripsThroughTextFormat) {
  const Law law = PaperLaw();
  const proto::Law proto = LawToProto(law, "paper");
  const std::string text = LawToText(proto);
  EXPECT_NE(text.find("form: DATA_CONSTRAINED"), std::string::npos);
  EXPECT_NE(text.find("name: \"rd_star\""), std::string::npos);

  auto back = ReadLawFile(WriteTemp("law.textproto", text));
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->form(), law.form());
  EXPECT_EQ(back->coefficients(), law.coefficients());  // exact: text format keeps 17 digits
  EXPECT_EQ(back->Loss(6.34e9, 242e9, 25e9), law.Loss(6.34e9, 242e9, 25e9));
}

TEST(LawIo, ErrorsNameTheFileAndProblem) {
  auto missing = ReadLawFile("/nonexistent/law.textproto");
  EXPECT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("/nonexistent/law.textproto"), std::string::npos);

  auto bad_syntax = ReadLawFile(WriteTemp("bad.textproto", "form: DATA_CONSTRAINED\nbogus: 1\n"));
  ASSERT_FALSE(bad_syntax.ok());
  EXPECT_NE(bad_syntax.status().message().find("line 2"), std::string::npos)
      << bad_syntax.status();

  auto bad_form = ReadLawFile(WriteTemp("form.textproto", "form: QUADRATIC\n"));
  EXPECT_FALSE(bad_form.ok());

  auto missing_coef = ReadLawFile(WriteTemp(
      "coef.textproto", "form: CHINCHILLA\ncoefficient { name: \"a\" value: 1 }\n"));
  ASSERT_FALSE(missing_coef.ok());
  EXPECT_NE(missing_coef.status().message().find("needs coefficient 'b'"), std::string::npos)
      << missing_coef.status();
}

}  // namespace
}  // namespace datawall::laws

namespace datawall::laws {
namespace {

TEST(LawIo, ReadsBootstrapSamples) {
  proto::Law proto = LawToProto(PaperLaw());
  auto* sample = proto.add_bootstrap_sample();
  for (double v : {6.2, 7.3, 0.62, 0.35, 0.35, 14.0, 5.0}) sample->add_value(v);
  auto law = ReadLawFileWithSamples(WriteTemp("samples.textproto", LawToText(proto)));
  ASSERT_TRUE(law.ok()) << law.status();
  ASSERT_EQ(law->samples.size(), 1u);
  EXPECT_EQ(law->samples[0].coefficient("rd_star"), 14.0);

  proto.mutable_bootstrap_sample(0)->add_value(1.0);  // one value too many
  EXPECT_FALSE(ReadLawFileWithSamples(WriteTemp("bad_samples.textproto", LawToText(proto))).ok());
}

}  // namespace
}  // namespace datawall::laws
