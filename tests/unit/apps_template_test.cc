// Unit tests of the apps template workload (ctemplate): rows, escaping, nested loops, determinism.
#include <gtest/gtest.h>

#include <stdexcept>

#include "workloads/apps/text_template.h"

namespace ocibench::apps {
namespace {

std::size_t Count(std::string_view hay, std::string_view needle) {
  std::size_t n = 0;
  for (auto at = hay.find(needle); at != std::string_view::npos; at = hay.find(needle, at + 1)) ++n;
  return n;
}

TEST(AppsTemplate, RendersOneRowPerRecordWithItsFields) {
  const Document d = MakeDocument(50);
  const PageTemplate t;
  const std::string html = t.Render(d, "Customers");
  EXPECT_EQ(CountRecordRows(html), 50u);
  EXPECT_EQ(Count(html, "</tr>"), 51u);  // the header row too
  EXPECT_NE(html.find("<p>50 records</p>"), std::string::npos);
  std::size_t tags = 0, active = 0;
  for (const Record& r : d) {
    EXPECT_NE(html.find("<td>" + std::to_string(r.id) + "</td><td>" + r.name + "</td>"),
              std::string::npos)
        << r.id;
    tags += r.tags.size();
    active += r.active;
  }
  EXPECT_EQ(Count(html, "<span class=\"tag\">"), tags);
  EXPECT_EQ(Count(html, "</span>, <span"), tags - d.size());  // separators between tags only
  EXPECT_EQ(Count(html, "<tr class=\"record active\">"), active);
  EXPECT_EQ(CountRecordRows(t.Render({}, "none")), 0u);
}

TEST(AppsTemplate, EscapesHtmlAndUrlQueries) {
  Record r;
  r.id = 7;
  r.name = "<script>alert(\"x\")</script> & 'q'";
  r.email = "a&b@example.org";
  r.city = "New York&Co";
  r.tags = {"<b>"};
  const std::string html = PageTemplate().Render({r}, "A & B <list>");
  EXPECT_EQ(html.find("<script>"), std::string::npos);
  EXPECT_EQ(html.find("<b>"), std::string::npos);
  EXPECT_NE(
      html.find("<td>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39;</td>"),
      std::string::npos)
      << html;
  EXPECT_NE(html.find("mailto:a&amp;b@example.org"), std::string::npos) << html;
  EXPECT_NE(html.find("/city?name=New+York%26Co\">New York&amp;Co</a>"), std::string::npos) << html;
  EXPECT_NE(html.find("<title>A &amp; B &lt;list&gt;</title>"), std::string::npos) << html;
  EXPECT_NE(html.find("<span class=\"tag\">&lt;b&gt;</span>"), std::string::npos) << html;
}

TEST(AppsTemplate, IsDeterministic) {
  const Document d = MakeDocument(200);
  const PageTemplate a, b;
  const std::string x = a.Render(d, "t");
  EXPECT_EQ(x, a.Render(d, "t"));
  EXPECT_EQ(x, b.Render(d, "t"));
  EXPECT_NE(x, a.Render(MakeDocument(200, 43), "t"));
}

TEST(AppsTemplate, AMalformedTemplateThrows) {
  EXPECT_THROW(PageTemplate("{{#ROW}}never closed"), std::runtime_error);
  EXPECT_THROW(PageTemplate("{{#A}}{{/B}}"), std::runtime_error);
}

}  // namespace
}  // namespace ocibench::apps
