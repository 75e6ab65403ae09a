// Event (SAX) parsing of the record document's XML with expat, the parser under Python's
// xml.etree.iterparse (pyperformance's xml_etree iterparse, +14.6% under Kata).
#pragma once

#include <string>

#include "workloads/apps/xml_tree.h"

namespace ocibench::apps {

// Feeds `text` to expat in `chunk`-byte pieces (as iterparse reads a file) and counts from
// the start-element events. Throws std::runtime_error with expat's message and line.
XmlCounts ParseXmlEvents(const std::string& text, std::size_t chunk = 16384);

}  // namespace ocibench::apps
