// expat event parsing of the record document's XML (xml_events.h).
#include "workloads/apps/xml_events.h"

#include <expat.h>

#include <cstdlib>
#include <cstring>
#include <memory>
#include <stdexcept>

namespace ocibench::apps {
namespace {

void XMLCALL Start(void* data, const XML_Char* name, const XML_Char** attrs) {
  auto* c = static_cast<XmlCounts*>(data);
  c->elements++;
  if (std::strcmp(name, "record") == 0) {
    c->records++;
  } else if (std::strcmp(name, "item") == 0) {
    c->items++;
    for (int i = 0; attrs[i]; i += 2)
      if (std::strcmp(attrs[i], "qty") == 0) c->qty_sum += std::strtoll(attrs[i + 1], nullptr, 10);
  }
}

}  // namespace

XmlCounts ParseXmlEvents(const std::string& text, std::size_t chunk) {
  std::unique_ptr<XML_ParserStruct, decltype(&XML_ParserFree)> p(XML_ParserCreate(nullptr),
                                                                 XML_ParserFree);
  if (!p) throw std::runtime_error("XML_ParserCreate: out of memory");
  XmlCounts c;
  XML_SetUserData(p.get(), &c);
  XML_SetStartElementHandler(p.get(), Start);
  if (chunk == 0) chunk = text.size();
  for (std::size_t off = 0;; off += chunk) {
    const std::size_t n = off < text.size() ? std::min(chunk, text.size() - off) : 0;
    const bool last = off + n >= text.size();
    if (XML_Parse(p.get(), text.data() + off, static_cast<int>(n), last) == XML_STATUS_ERROR)
      throw std::runtime_error(std::string("XML not well-formed at line ") +
                               std::to_string(XML_GetCurrentLineNumber(p.get())) + ": " +
                               XML_ErrorString(XML_GetErrorCode(p.get())));
    if (last) break;
  }
  return c;
}

}  // namespace ocibench::apps
