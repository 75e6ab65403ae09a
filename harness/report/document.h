// What a report or comparison says, independent of its format: sections of paragraphs, tables
// and plots. Renderers (render.h) turn it into Markdown, HTML, CSV or JSON.
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace ocibench::report {

// A table cell: the text shown, and the value machine-readable outputs (CSV, JSON) get
// (a number, a string, or null = not available). Text-only cells have value = text.
struct TableCell {
  std::string text;
  nlohmann::json value;
  TableCell() = default;
  TableCell(const char* s) : text(s), value(s) {}             // NOLINT: implicit by design
  TableCell(std::string s) : text(s), value(std::move(s)) {}  // NOLINT
  TableCell(std::string t, nlohmann::json v) : text(std::move(t)), value(std::move(v)) {}
};

// A number shown with `digits` significant digits; NaN = empty / null.
TableCell Num(double v, int digits = 4);
TableCell Percent(double fraction, int decimals = 1);  // 0.053 → "5.3%"
TableCell Empty();                                     // "–", null

// Built with designated initializers ({.id = …, .title = …, .columns = …}); the `{}`
// initializers keep -Wmissing-field-initializers quiet for the members left out.
struct Table {
  std::string id{};  // file name stem for CSV ("ratios" → report_ratios.csv)
  std::string title{};
  std::vector<std::string> columns{};
  std::vector<std::vector<TableCell>> rows{};
  std::vector<std::string> notes{};  // shown under the table
};

struct Plot {
  std::string id;  // file name stem ("redis_rps" → redis_rps.svg)
  std::string title;
  std::filesystem::path svg;  // rendered file ("" = not rendered; see `missing`)
  std::string missing;        // why there is no plot (shown instead)
};

struct Section {
  std::string title;
  std::vector<std::string> paragraphs;
  std::vector<Table> tables;
  std::vector<Plot> plots;
};

struct Document {
  std::string title;
  std::vector<std::string> intro;
  std::vector<Section> sections;
};

std::string RenderMarkdown(const Document& doc);
// A standalone HTML page: styles inline, every plot's SVG embedded inline (no network).
std::string RenderHtml(const Document& doc);
nlohmann::json RenderJson(const Document& doc);
std::string RenderCsv(const Table& table);
// What `--format` prints: md, json (with `extra` keys added to the object) or csv (every table
// whose id is `csv_table`; the first table of the first section when `csv_table` is "").
std::string RenderAs(const Document& doc, const std::string& format,
                     const std::string& csv_table = "",
                     const nlohmann::json& extra = nlohmann::json::object());
// Every table of the document as <dir>/report_<table id>.csv (the prefix keeps the run's own
// memory.csv and lifecycle.csv safe); returns the files written.
std::vector<std::filesystem::path> WriteCsvFiles(const Document& doc,
                                                 const std::filesystem::path& dir);

// The whole document into `dir`: report.md, report.html, report.json and WriteCsvFiles' CSVs,
// each atomically; returns the files written, in that order.
std::vector<std::filesystem::path> WriteDocument(const Document& doc,
                                                 const std::filesystem::path& dir);

}  // namespace ocibench::report
