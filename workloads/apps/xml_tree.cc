// pugixml generation and parsing of the record document (xml_tree.h).
#include "workloads/apps/xml_tree.h"

#include <pugixml.hpp>
#include <sstream>
#include <stdexcept>

namespace ocibench::apps {
namespace {

pugi::xml_document Load(const std::string& text) {
  pugi::xml_document doc;
  const pugi::xml_parse_result r = doc.load_buffer(text.data(), text.size());
  if (!r)
    throw std::runtime_error(std::string("XML not well-formed at offset ") +
                             std::to_string(r.offset) + ": " + r.description());
  return doc;
}

}  // namespace

std::string GenerateXml(const Document& d) {
  pugi::xml_document doc;
  pugi::xml_node root = doc.append_child("records");
  for (const auto& r : d) {
    pugi::xml_node x = root.append_child("record");
    x.append_attribute("id") = static_cast<long long>(r.id);
    x.append_attribute("active") = r.active;
    x.append_attribute("score") = r.score;
    x.append_child("name").text() = r.name.c_str();
    x.append_child("email").text() = r.email.c_str();
    x.append_child("city").text() = r.city.c_str();
    pugi::xml_node tags = x.append_child("tags");
    for (const auto& t : r.tags) tags.append_child("tag").text() = t.c_str();
    pugi::xml_node items = x.append_child("items");
    for (const auto& it : r.items) {
      pugi::xml_node i = items.append_child("item");
      i.append_attribute("sku") = it.sku.c_str();
      i.append_attribute("qty") = static_cast<long long>(it.qty);
      i.append_attribute("price") = it.price;
    }
  }
  std::ostringstream out;
  doc.save(out, "  ");
  return out.str();
}

XmlCounts ParseXmlTree(const std::string& text) {
  const pugi::xml_document doc = Load(text);
  XmlCounts c;
  const pugi::xml_node root = doc.child("records");
  if (root) c.elements = 1;
  for (pugi::xml_node r : root.children("record")) {
    c.records++;
    c.elements++;
    for (pugi::xml_node child : r.children()) {
      if (child.type() != pugi::node_element) continue;
      c.elements++;
      for (pugi::xml_node g : child.children()) {
        if (g.type() != pugi::node_element) continue;
        c.elements++;
        if (std::string_view(g.name()) == "item") {
          c.items++;
          c.qty_sum += g.attribute("qty").as_llong();
        }
      }
    }
  }
  return c;
}

Document DecodeXml(const std::string& text) {
  const pugi::xml_document doc = Load(text);
  Document d;
  for (pugi::xml_node x : doc.child("records").children("record")) {
    Record r;
    r.id = x.attribute("id").as_llong();
    r.active = x.attribute("active").as_bool();
    r.score = x.attribute("score").as_double();
    r.name = x.child_value("name");
    r.email = x.child_value("email");
    r.city = x.child_value("city");
    for (pugi::xml_node t : x.child("tags").children("tag")) r.tags.emplace_back(t.child_value());
    for (pugi::xml_node i : x.child("items").children("item"))
      r.items.push_back({i.attribute("sku").value(), i.attribute("qty").as_llong(),
                         i.attribute("price").as_double()});
    d.push_back(std::move(r));
  }
  return d;
}

}  // namespace ocibench::apps
