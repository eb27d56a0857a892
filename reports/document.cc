// The document model's builders (see document.h).
#include "reports/document.h"

#include <cctype>
#include <utility>

namespace datawall::reports {

std::string Slug(const std::string& text) {
  std::string out;
  bool dash = false;
  for (unsigned char c : text) {
    if (std::isalnum(c)) {
      if (dash && !out.empty()) out += '-';
      out += static_cast<char>(std::tolower(c));
      dash = false;
    } else {
      dash = true;
    }
  }
  return out;
}

void Document::Heading(int level, const std::string& text, const std::string& id) {
  Block b;
  b.kind = Block::kHeading;
  b.level = level < 1 ? 1 : (level > 4 ? 4 : level);
  b.text = text;
  b.id = id.empty() ? Slug(text) : id;
  blocks_.push_back(std::move(b));
}

void Document::Paragraph(const std::string& text) {
  Block b;
  b.kind = Block::kParagraph;
  b.text = text;
  blocks_.push_back(std::move(b));
}

void Document::Note(const std::string& text) {
  Block b;
  b.kind = Block::kNote;
  b.text = text;
  blocks_.push_back(std::move(b));
}

void Document::List(const std::vector<std::string>& items) {
  Block b;
  b.kind = Block::kList;
  b.items = items;
  blocks_.push_back(std::move(b));
}

void Document::Code(const std::string& text) {
  Block b;
  b.kind = Block::kCode;
  b.text = text;
  blocks_.push_back(std::move(b));
}

void Document::AddTable(Table table) {
  Block b;
  b.kind = Block::kTable;
  b.table = std::move(table);
  blocks_.push_back(std::move(b));
}

void Document::AddFigure(FigureBlock figure) {
  Block b;
  b.kind = Block::kFigure;
  b.figure = std::move(figure);
  blocks_.push_back(std::move(b));
}

std::vector<std::pair<std::string, std::string>> Document::Sections() const {
  std::vector<std::pair<std::string, std::string>> out;
  for (const Block& b : blocks_) {
    if (b.kind == Block::kHeading && b.level == 2) out.emplace_back(b.id, b.text);
  }
  return out;
}

}  // namespace datawall::reports
