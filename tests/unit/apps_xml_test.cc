// Unit tests of the apps XML workloads: pugixml tree and expat events (workloads/apps).
#include <gtest/gtest.h>

#include "workloads/apps/document.h"
#include "workloads/apps/xml_events.h"
#include "workloads/apps/xml_tree.h"

namespace ocibench::apps {
namespace {

TEST(AppsXml, GeneratedTreeRoundTrips) {
  const Document d = MakeDocument(200);
  const std::string x = GenerateXml(d);
  EXPECT_NE(x.find("<records>"), std::string::npos);
  EXPECT_EQ(DecodeXml(x), d);
}

TEST(AppsXml, TreeWalkAndEventsCountTheSame) {
  const Document d = MakeDocument(250);
  const std::string x = GenerateXml(d);
  const XmlCounts t = ParseXmlTree(x);
  EXPECT_EQ(t.records, d.size());
  EXPECT_EQ(t.items, ItemCount(d));
  EXPECT_EQ(t.qty_sum, QtySum(d));
  std::size_t tags = 0;
  for (const auto& r : d) tags += r.tags.size();
  // records + per record (record, name, email, city, tags, items) + tags + items
  EXPECT_EQ(t.elements, 1 + 6 * d.size() + tags + ItemCount(d));
  for (std::size_t chunk : {std::size_t{0}, std::size_t{1000}, std::size_t{7}}) {
    const XmlCounts e = ParseXmlEvents(x, chunk);
    EXPECT_EQ(e.records, t.records) << chunk;
    EXPECT_EQ(e.items, t.items) << chunk;
    EXPECT_EQ(e.qty_sum, t.qty_sum) << chunk;
    EXPECT_EQ(e.elements, t.elements) << chunk;
  }
}

TEST(AppsXml, MalformedThrowsFromBothParsers) {
  const std::string bad = "<records><record id=\"1\"></records>";
  EXPECT_THROW(ParseXmlTree(bad), std::runtime_error);
  EXPECT_THROW(ParseXmlEvents(bad), std::runtime_error);
}

}  // namespace
}  // namespace ocibench::apps
