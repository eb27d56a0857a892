// The report's document model: an ordered list of blocks (headings, paragraphs, tables, figures,
// lists, code) that the Markdown and HTML writers render.
//
// Text in paragraphs, list items and table cells may use two inline marks, which both writers
// understand: `code` and **bold**. Everything else is literal text (the writers escape it).
// This file is only the data structure: no rendering (markdown_writer.h, html_writer.h), no
// plotting (figure.h), no numbers (the section files compute those).
#ifndef DATAWALL_REPORTS_DOCUMENT_H_
#define DATAWALL_REPORTS_DOCUMENT_H_

#include <string>
#include <vector>

namespace datawall::reports {

enum class Align { kLeft, kRight, kCenter };

struct Table {
  std::string id;       // anchor (HTML id), may be empty
  std::string caption;  // shown above the table
  std::vector<std::string> header;
  std::vector<Align> align;  // per column; missing entries are left-aligned
  std::vector<std::vector<std::string>> rows;
  std::string note;  // shown below the table (sources, commands), may be empty
};

// One rendered figure. `svg` is a complete <svg> element (figure.h makes one); Markdown links to
// `file` (relative to the report directory), HTML inlines `svg`.
struct FigureBlock {
  std::string id;       // anchor and file stem, e.g. "fig1-left"
  std::string caption;  // one or two sentences: what is plotted, which data, which law
  std::string svg;
  std::string file;     // e.g. "figures/fig1-left.svg"
};

struct Block {
  enum Kind { kHeading, kParagraph, kTable, kFigure, kList, kCode, kNote } kind = kParagraph;
  int level = 2;                    // kHeading: 1..4
  std::string text;                 // kHeading, kParagraph, kCode, kNote
  std::string id;                   // kHeading anchor
  std::vector<std::string> items;   // kList
  Table table;                      // kTable
  FigureBlock figure;               // kFigure
};

class Document {
 public:
  std::string title;
  std::string subtitle;  // one line under the title (provenance)

  void Heading(int level, const std::string& text, const std::string& id = "");
  void Paragraph(const std::string& text);
  // A highlighted remark (e.g. "runs.csv not found"): blockquote in Markdown, a box in HTML.
  void Note(const std::string& text);
  void List(const std::vector<std::string>& items);
  void Code(const std::string& text);
  void AddTable(Table table);
  void AddFigure(FigureBlock figure);

  const std::vector<Block>& blocks() const { return blocks_; }
  // Headings of level 2, for a table of contents: (id, text).
  std::vector<std::pair<std::string, std::string>> Sections() const;

 private:
  std::vector<Block> blocks_;
};

// A lower-case anchor from text: letters and digits kept, runs of anything else become '-'.
std::string Slug(const std::string& text);

}  // namespace datawall::reports

#endif  // DATAWALL_REPORTS_DOCUMENT_H_
