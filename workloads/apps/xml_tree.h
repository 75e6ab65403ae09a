// XML of the record document with pugixml (pyperformance's xml_etree generate, parse and
// process): build a tree and serialise it, parse text into a tree and walk it. pugixml, not
// libxml2: its static libxml2.a pulls ICU, lzma and zlib into the static binary, and pugixml
// is the faster DOM parser of the two.
#pragma once

#include <cstdint>
#include <string>

#include "workloads/apps/document.h"

namespace ocibench::apps {

// <records><record id=".." active=".." score=".."><name>..</name><email>..</email>
// <city>..</city><tags><tag>..</tag>…</tags><items><item sku=".." qty=".." price=".."/>…
// </items></record>…</records>, indented.
std::string GenerateXml(const Document& d);

// What a walk of the parsed tree finds: records, items and the sum of the items' qty.
struct XmlCounts {
  std::size_t records = 0;
  std::size_t items = 0;
  std::int64_t qty_sum = 0;
  std::size_t elements = 0;  // every element, <records> included
};

// Parses `text` into a DOM tree and walks it. Throws std::runtime_error with pugixml's
// description and offset when the text is not well-formed.
XmlCounts ParseXmlTree(const std::string& text);

// Parses the tree back into records (the round trip the unit test checks).
Document DecodeXml(const std::string& text);

}  // namespace ocibench::apps
