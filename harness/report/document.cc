#include "harness/report/document.h"

#include <fmt/format.h>

#include <cmath>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "harness/process/atomic_file.h"

namespace ocibench::report {

namespace fs = std::filesystem;
using nlohmann::json;

TableCell Num(double v, int digits) {
  if (std::isnan(v)) return Empty();
  std::string t = fmt::format("{:.{}g}", v, digits);
  // Large numbers in fixed notation (12345.6 rather than 1.235e+04).
  if (std::fabs(v) >= 1e4 && std::fabs(v) < 1e15) t = fmt::format("{:.0f}", v);
  // Whole numbers (counts) stay integers in JSON and CSV.
  if (v == std::floor(v) && std::fabs(v) < 1e15) return TableCell(t, static_cast<long long>(v));
  return TableCell(t, v);
}

TableCell Percent(double fraction, int decimals) {
  if (std::isnan(fraction)) return Empty();
  return TableCell(fmt::format("{:.{}f}%", fraction * 100, decimals), fraction);
}

TableCell Empty() { return TableCell("–", nullptr); }

namespace {

std::string MdEscape(const std::string& s) {
  std::string o;
  for (char c : s) {
    if (c == '|')
      o += "\\|";
    else if (c == '\n')
      o += ' ';
    else
      o += c;
  }
  return o;
}

std::string HtmlEscape(const std::string& s) {
  std::string o;
  for (char c : s) {
    switch (c) {
      case '&':
        o += "&amp;";
        break;
      case '<':
        o += "&lt;";
        break;
      case '>':
        o += "&gt;";
        break;
      case '"':
        o += "&quot;";
        break;
      default:
        o += c;
    }
  }
  return o;
}

std::string ReadText(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::ostringstream s;
  s << f.rdbuf();
  return s.str();
}

// The <svg>…</svg> element of an SVG file (without the XML prolog and DOCTYPE).
std::string InlineSvg(const fs::path& p) {
  const std::string text = ReadText(p);
  const auto start = text.find("<svg");
  if (start == std::string::npos) return "";
  return text.substr(start);
}

// The SVG's path as the report files refer to it: relative to the report (plots/NAME.svg).
std::string RelativeSvg(const Plot& p) {
  return (p.svg.parent_path().filename() / p.svg.filename()).string();
}

std::string CsvField(const TableCell& c) {
  std::string s;
  if (c.value.is_null()) return "";
  if (c.value.is_number()) return c.value.dump();
  s = c.value.is_string() ? c.value.get<std::string>() : c.value.dump();
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string q = "\"";
  for (char ch : s) q += ch == '"' ? std::string("\"\"") : std::string(1, ch);
  return q + "\"";
}

}  // namespace

std::string RenderMarkdown(const Document& doc) {
  std::string o = "# " + doc.title + "\n\n";
  for (const auto& p : doc.intro) o += p + "\n\n";
  for (const auto& s : doc.sections) {
    o += "## " + s.title + "\n\n";
    for (const auto& p : s.paragraphs) o += p + "\n\n";
    for (const auto& t : s.tables) {
      if (!t.title.empty()) o += "### " + t.title + "\n\n";
      if (t.rows.empty()) {
        o += "_(no data)_\n\n";
      } else {
        o += "|";
        for (const auto& c : t.columns) o.append(" ").append(MdEscape(c)).append(" |");
        o += "\n|";
        for (std::size_t i = 0; i < t.columns.size(); i++) o += " --- |";
        o += "\n";
        for (const auto& row : t.rows) {
          o += "|";
          for (const auto& c : row) o.append(" ").append(MdEscape(c.text)).append(" |");
          o += "\n";
        }
        o += "\n";
      }
      for (const auto& n : t.notes) o += "- " + n + "\n";
      if (!t.notes.empty()) o += "\n";
    }
    for (const auto& p : s.plots) {
      if (p.svg.empty())
        o += "_" + p.title + ": " + p.missing + "_\n\n";
      else
        o += "![" + p.title + "](" + RelativeSvg(p) + ")\n\n";
    }
  }
  return o;
}

std::string RenderHtml(const Document& doc) {
  std::string o =
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>" +
      HtmlEscape(doc.title) +
      "</title>\n<style>\n"
      "body{font-family:sans-serif;margin:2em;max-width:1200px;color:#222}\n"
      "table{border-collapse:collapse;margin:0.5em 0 1em}\n"
      "th,td{border:1px solid #bbb;padding:2px 6px;font-size:13px}\n"
      "th{background:#eee}td.num{text-align:right;font-variant-numeric:tabular-nums}\n"
      "figure{margin:1em 0}figure svg{max-width:100%;height:auto;border:1px solid #ddd}\n"
      ".note{color:#555;font-size:13px}\n"
      "</style></head><body>\n<h1>" +
      HtmlEscape(doc.title) + "</h1>\n";
  for (const auto& p : doc.intro) o += "<p>" + HtmlEscape(p) + "</p>\n";
  for (const auto& s : doc.sections) {
    o += "<section><h2>" + HtmlEscape(s.title) + "</h2>\n";
    for (const auto& p : s.paragraphs) o += "<p>" + HtmlEscape(p) + "</p>\n";
    for (const auto& t : s.tables) {
      if (!t.title.empty()) o += "<h3>" + HtmlEscape(t.title) + "</h3>\n";
      if (t.rows.empty()) {
        o += "<p class=\"note\">(no data)</p>\n";
      } else {
        o += "<table data-table=\"" + HtmlEscape(t.id) + "\"><thead><tr>";
        for (const auto& c : t.columns) o += "<th>" + HtmlEscape(c) + "</th>";
        o += "</tr></thead><tbody>\n";
        for (const auto& row : t.rows) {
          o += "<tr>";
          for (const auto& c : row)
            o += (c.value.is_number() ? "<td class=\"num\">" : "<td>") + HtmlEscape(c.text) +
                 "</td>";
          o += "</tr>\n";
        }
        o += "</tbody></table>\n";
      }
      if (!t.notes.empty()) {
        o += "<ul class=\"note\">";
        for (const auto& n : t.notes) o += "<li>" + HtmlEscape(n) + "</li>";
        o += "</ul>\n";
      }
    }
    for (const auto& p : s.plots) {
      if (p.svg.empty()) {
        o += "<p class=\"note\">" + HtmlEscape(p.title + ": " + p.missing) + "</p>\n";
      } else {
        o += "<figure data-plot=\"" + HtmlEscape(p.id) + "\">" + InlineSvg(p.svg) + "<figcaption>" +
             HtmlEscape(p.title) + "</figcaption></figure>\n";
      }
    }
    o += "</section>\n";
  }
  o += "</body></html>\n";
  return o;
}

json RenderJson(const Document& doc) {
  json j;
  j["title"] = doc.title;
  j["intro"] = doc.intro;
  j["sections"] = json::array();
  for (const auto& s : doc.sections) {
    json js;
    js["title"] = s.title;
    js["paragraphs"] = s.paragraphs;
    js["tables"] = json::array();
    for (const auto& t : s.tables) {
      json jt;
      jt["id"] = t.id;
      jt["title"] = t.title;
      jt["columns"] = t.columns;
      jt["rows"] = json::array();
      for (const auto& row : t.rows) {
        json r = json::object();
        for (std::size_t i = 0; i < row.size() && i < t.columns.size(); i++)
          r[t.columns[i]] = row[i].value;
        jt["rows"].push_back(r);
      }
      jt["notes"] = t.notes;
      js["tables"].push_back(jt);
    }
    js["plots"] = json::array();
    for (const auto& p : s.plots)
      js["plots"].push_back({{"id", p.id},
                             {"title", p.title},
                             {"svg", p.svg.empty() ? json(nullptr) : json(RelativeSvg(p))},
                             {"missing", p.missing}});
    j["sections"].push_back(js);
  }
  return j;
}

std::string RenderCsv(const Table& t) {
  std::string o;
  for (std::size_t i = 0; i < t.columns.size(); i++)
    o.append(i ? "," : "").append(CsvField(TableCell(t.columns[i])));
  o += "\n";
  for (const auto& row : t.rows) {
    for (std::size_t i = 0; i < row.size(); i++) o.append(i ? "," : "").append(CsvField(row[i]));
    o += "\n";
  }
  return o;
}

std::string RenderAs(const Document& doc, const std::string& format, const std::string& csv_table,
                     const nlohmann::json& extra) {
  if (format == "md") return RenderMarkdown(doc);
  if (format == "json") {
    nlohmann::json j = RenderJson(doc);
    for (const auto& [k, v] : extra.items()) j[k] = v;
    return j.dump(2) + "\n";
  }
  if (format != "csv") return "";
  if (csv_table.empty()) return RenderCsv(doc.sections.at(0).tables.at(0));
  std::string text;
  for (const auto& s : doc.sections)
    for (const auto& t : s.tables)
      if (t.id == csv_table) text += RenderCsv(t);
  return text;
}

std::vector<fs::path> WriteDocument(const Document& doc, const fs::path& dir) {
  std::vector<fs::path> written;
  process::WriteFileAtomic(dir / "report.md", RenderMarkdown(doc));
  written.push_back(dir / "report.md");
  process::WriteFileAtomic(dir / "report.html", RenderHtml(doc));
  written.push_back(dir / "report.html");
  process::WriteFileAtomic(dir / "report.json", RenderJson(doc).dump(2) + "\n");
  written.push_back(dir / "report.json");
  for (const auto& p : WriteCsvFiles(doc, dir)) written.push_back(p);
  return written;
}

std::vector<fs::path> WriteCsvFiles(const Document& doc, const fs::path& dir) {
  std::vector<fs::path> out;
  for (const auto& s : doc.sections)
    for (const auto& t : s.tables) {
      if (t.id.empty()) continue;
      const fs::path p = dir / ("report_" + t.id + ".csv");  // never clobber memory.csv etc.
      process::WriteFileAtomic(p, RenderCsv(t));
      out.push_back(p);
    }
  return out;
}

}  // namespace ocibench::report
