// Markdown rendering of the report document (see markdown_writer.h).
#include "reports/markdown_writer.h"

#include <algorithm>

namespace datawall::reports {
namespace {

std::string Cell(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '|') {
      out += "\\|";
    } else if (c == '\n') {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out.empty() ? " " : out;
}

std::string Row(const std::vector<std::string>& cells, size_t columns) {
  std::string out = "|";
  for (size_t i = 0; i < columns; ++i) {
    out += ' ';
    out += Cell(i < cells.size() ? cells[i] : "");
    out += " |";
  }
  return out + "\n";
}

}  // namespace

std::string MarkdownTable(const Table& table) {
  size_t columns = table.header.size();
  for (const auto& row : table.rows) columns = std::max(columns, row.size());
  if (columns == 0) return "";
  std::string out;
  if (!table.caption.empty()) out += "**" + table.caption + "**\n\n";
  out += Row(table.header, columns);
  out += "|";
  for (size_t i = 0; i < columns; ++i) {
    const Align a = i < table.align.size() ? table.align[i] : Align::kLeft;
    out += a == Align::kRight ? "---:|" : (a == Align::kCenter ? ":---:|" : "---|");
  }
  out += "\n";
  for (const auto& row : table.rows) out += Row(row, columns);
  if (!table.note.empty()) out += "\n" + table.note + "\n";
  return out;
}

std::string RenderMarkdown(const Document& doc) {
  std::string out = "# " + doc.title + "\n\n";
  if (!doc.subtitle.empty()) out += doc.subtitle + "\n\n";
  for (const Block& b : doc.blocks()) {
    switch (b.kind) {
      case Block::kHeading:
        out += std::string(static_cast<size_t>(b.level), '#') + " " + b.text + "\n\n";
        break;
      case Block::kParagraph:
        out += b.text + "\n\n";
        break;
      case Block::kNote: {
        out += "> ";
        for (char c : b.text) {
          out += c;
          if (c == '\n') out += "> ";
        }
        out += "\n\n";
        break;
      }
      case Block::kList:
        for (const std::string& item : b.items) out += "- " + item + "\n";
        out += "\n";
        break;
      case Block::kCode:
        out += "```\n" + b.text + (b.text.empty() || b.text.back() != '\n' ? "\n" : "") +
               "```\n\n";
        break;
      case Block::kTable:
        out += MarkdownTable(b.table) + "\n";
        break;
      case Block::kFigure:
        out += "![" + b.figure.id + "](" + b.figure.file + ")\n\n*" + b.figure.caption + "*\n\n";
        break;
    }
  }
  return out;
}

}  // namespace datawall::reports
