// Unit tests of the report's document model, Markdown writer and HTML writer.
#include <string>

#include "gtest/gtest.h"
#include "reports/document.h"
#include "reports/html_writer.h"
#include "reports/markdown_writer.h"

namespace datawall::reports {
namespace {

Document Sample() {
  Document doc;
  doc.title = "Report <1>";
  doc.subtitle = "commit `abc`";
  doc.Heading(2, "Table 1: fits");
  doc.Paragraph("R^2 is **0.7722** at `PaperLaw()`; a < b & c");
  Table t;
  t.caption = "Fits";
  t.header = {"form", "R^2"};
  t.align = {Align::kLeft, Align::kRight};
  t.rows = {{"Eq. 14", "0.7722"}, {"a|b", "0.4452"}};
  t.note = "from runs.csv";
  doc.AddTable(t);
  doc.Note("runs.csv not found");
  doc.List({"one", "two"});
  doc.Code("bazel run //reports:paper");
  doc.AddFigure({"fig1", "A caption", "<svg viewBox='0 0 1 1'><path d='M0,0'/></svg>",
                 "figures/fig1.svg"});
  return doc;
}

TEST(SlugTest, LowercasesAndDashes) {
  EXPECT_EQ(Slug("Table 1: fits"), "table-1-fits");
  EXPECT_EQ(Slug("  R^2 (v4)  "), "r-2-v4");
  EXPECT_EQ(Slug(""), "");
}

TEST(MarkdownTest, TableIsAPipeTableWithAlignmentAndEscapes) {
  const std::string md = RenderMarkdown(Sample());
  EXPECT_NE(md.find("# Report <1>\n"), std::string::npos);
  EXPECT_NE(md.find("## Table 1: fits\n"), std::string::npos);
  EXPECT_NE(md.find("| form | R^2 |\n|---|---:|\n| Eq. 14 | 0.7722 |\n| a\\|b | 0.4452 |\n"),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("> runs.csv not found"), std::string::npos);
  EXPECT_NE(md.find("- one\n- two\n"), std::string::npos);
  EXPECT_NE(md.find("```\nbazel run //reports:paper\n```"), std::string::npos);
  EXPECT_NE(md.find("![fig1](figures/fig1.svg)"), std::string::npos);
}

TEST(MarkdownTest, RaggedRowsArePadded) {
  Table t;
  t.header = {"a", "b", "c"};
  t.rows = {{"1"}};
  EXPECT_EQ(MarkdownTable(t), "| a | b | c |\n|---|---|---|\n| 1 |   |   |\n");
}

TEST(HtmlTest, EscapesAndInlineMarks) {
  EXPECT_EQ(HtmlEscape("a<b>&\"'"), "a&lt;b&gt;&amp;&quot;&#39;");
  EXPECT_EQ(InlineHtml("x `a<b` **y**"), "x <code>a&lt;b</code> <strong>y</strong>");
  EXPECT_EQ(InlineHtml("unmatched ` and **"), "unmatched ` and **");
}

TEST(HtmlTest, SelfContainedPageWithTablesFiguresAndNavigation) {
  const std::string html = RenderHtml(Sample());
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_NE(html.find("<title>Report &lt;1&gt;</title>"), std::string::npos);
  EXPECT_NE(html.find("<a href=\"#table-1-fits\">"), std::string::npos);
  EXPECT_NE(html.find("<h2 id=\"table-1-fits\">"), std::string::npos);
  EXPECT_NE(html.find("<td class=\"r\">0.7722</td>"), std::string::npos);
  EXPECT_NE(html.find("<td>a|b</td>"), std::string::npos);
  EXPECT_NE(html.find("<figure id=\"fig1\">\n<svg viewBox='0 0 1 1'><path d='M0,0'/></svg>"),
            std::string::npos);
  EXPECT_NE(html.find("a &lt; b &amp; c"), std::string::npos);
  // Self-contained: nothing is fetched.
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("<link"), std::string::npos);
  EXPECT_EQ(html.find("src="), std::string::npos);
}

}  // namespace
}  // namespace datawall::reports
