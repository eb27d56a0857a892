// Unit tests of the gnuplot figure module: data/script generation, SVG post-processing, and one
// real gnuplot run.
#include <cmath>
#include <string>

#include "gtest/gtest.h"
#include "reports/figure.h"

namespace datawall::reports {
namespace {

Plot TwoSeries() {
  Plot p;
  p.title = "Loss vs tokens";
  p.x_label = "total tokens D (tokens)";
  p.y_label = "validation loss (nats/token)";
  p.log_x = true;
  Series a;
  a.title = "law \"Eq. 14\"";
  a.x = {1e9, 1e10, -1.0, 1e11, NAN};
  a.y = {3.0, 2.5, 2.4, 2.3, 2.2};
  Series b;
  b.title = "measured";
  b.style = Series::kPoints;
  b.x = {1e9};
  b.y = {3.1};
  p.series = {a, b};
  p.labels = {{1e10, 2.9, "R_D* = 15"}};
  return p;
}

TEST(FigureTest, DataDropsUnplottablePointsAndBreaksTheLine) {
  const std::string data = GnuplotData(TwoSeries());
  EXPECT_NE(data.find("1000000000 3\n10000000000 2.5\n\n100000000000 2.2999999999999998\n"),
            std::string::npos)
      << data;
  EXPECT_EQ(data.find("-1 "), std::string::npos);
  EXPECT_EQ(data.find("nan"), std::string::npos);
  // Two index blocks.
  EXPECT_NE(data.find("\n\n\n# measured\n1000000000 3.1000000000000001\n"), std::string::npos)
      << data;
}

TEST(FigureTest, ScriptHasLabelsLogScaleAndEscapedTitles) {
  const std::string s = TwoSeries().series.empty() ? "" : GnuplotScript(TwoSeries(), "d", "o");
  EXPECT_NE(s.find("set terminal svg"), std::string::npos);
  EXPECT_NE(s.find("set xlabel \"total tokens D (tokens)\" noenhanced"), std::string::npos);
  EXPECT_NE(s.find("set logscale x"), std::string::npos);
  EXPECT_EQ(s.find("set logscale y"), std::string::npos);
  EXPECT_NE(s.find("title \"law \\\"Eq. 14\\\"\" noenhanced"), std::string::npos) << s;
  EXPECT_NE(s.find("\"d\" index 1 using 1:2 with points"), std::string::npos) << s;
  EXPECT_NE(s.find("set label 1 \"R_D* = 15\""), std::string::npos);
}

TEST(FigureTest, PrefixSvgIdsRewritesDefinitionsAndReferences) {
  const std::string svg =
      "<svg><defs><path id='gpPt0' d='M0'/><g id=\"box\"/></defs>"
      "<use xlink:href='#gpPt0'/><rect fill='url(#box)'/><a href='#other'/>"
      "<g grid='x'/></svg>";
  EXPECT_EQ(PrefixSvgIds(svg, "f1-"),
            "<svg><defs><path id='f1-gpPt0' d='M0'/><g id=\"f1-box\"/></defs>"
            "<use xlink:href='#f1-gpPt0'/><rect fill='url(#f1-box)'/><a href='#other'/>"
            "<g grid='x'/></svg>");
}

TEST(FigureTest, StripXmlProlog) {
  EXPECT_EQ(StripXmlProlog("<?xml version='1.0'?>\n<!DOCTYPE svg>\n<svg a='1'/>"),
            "<svg a='1'/>");
}

TEST(FigureTest, RejectsMismatchedAndEmptySeries) {
  Plot p;
  p.series.push_back({.title = "bad", .x = {1, 2}, .y = {1}});
  EXPECT_FALSE(RenderSvg(p).ok());
  Plot empty;
  empty.log_y = true;
  empty.series.push_back({.title = "nonpositive", .x = {1, 2}, .y = {0, -1}});
  const auto status = RenderSvg(empty);
  ASSERT_FALSE(status.ok());
  EXPECT_NE(std::string(status.status().message()).find("no plottable point"), std::string::npos);
}

TEST(FigureTest, GnuplotRendersAnInlineableSvg) {
  auto svg = RenderSvg(TwoSeries(), {.id_prefix = "t1"});
  ASSERT_TRUE(svg.ok()) << svg.status();
  EXPECT_EQ(svg->rfind("<svg", 0), 0u);
  EXPECT_NE(svg->find("viewBox"), std::string::npos);
  EXPECT_NE(svg->find("<path"), std::string::npos);
  EXPECT_NE(svg->find("total tokens D (tokens)"), std::string::npos);
  EXPECT_NE(svg->find("measured"), std::string::npos);
  EXPECT_NE(svg->find("id='t1gpPt0'"), std::string::npos);
  EXPECT_EQ(svg->find("id='gpPt0'"), std::string::npos);
}

TEST(FigureTest, MissingGnuplotIsAnError) {
  auto svg = RenderSvg(TwoSeries(), {.gnuplot = "/nonexistent/gnuplot"});
  ASSERT_FALSE(svg.ok());
  EXPECT_NE(std::string(svg.status().message()).find("gnuplot failed"), std::string::npos);
}

}  // namespace
}  // namespace datawall::reports
