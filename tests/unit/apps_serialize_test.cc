// Unit tests of the apps serialisers and the document generator (workloads/apps).
#include <gtest/gtest.h>

#include "workloads/apps/document.h"
#include "workloads/apps/json_codec.h"
#include "workloads/apps/msgpack_codec.h"

namespace ocibench::apps {
namespace {

TEST(AppsDocument, IsDeterministicAndSeeded) {
  EXPECT_EQ(MakeDocument(50, 1), MakeDocument(50, 1));
  EXPECT_NE(MakeDocument(50, 1), MakeDocument(50, 2));
  const Document d = MakeDocument(200);
  ASSERT_EQ(d.size(), 200u);
  EXPECT_EQ(d.front().id, 1);
  EXPECT_EQ(d.back().id, 200);
  for (const auto& r : d) {
    EXPECT_GE(r.tags.size(), 1u);
    EXPECT_LE(r.items.size(), 6u);
  }
  // The first draws are fixed: the same input on every architecture and standard library.
  EXPECT_EQ(Rng(42).Next(), 0xbdd732262feb6e95ULL);
}

TEST(AppsJson, RoundTripsTheDocument) {
  const Document d = MakeDocument(300);
  const std::string j = EncodeJson(d);
  EXPECT_EQ(j.front(), '[');
  EXPECT_NE(j.find("\"email\":\""), std::string::npos);
  EXPECT_EQ(DecodeJson(j), d);
  EXPECT_EQ(EncodeJson({}), "[]");
}

TEST(AppsJson, MalformedOrWrongTypesThrow) {
  EXPECT_THROW(DecodeJson("[{\"id\":1,"), std::runtime_error);
  EXPECT_THROW(DecodeJson("{}"), std::runtime_error);
  EXPECT_THROW(DecodeJson("[{\"id\":1}]"), std::runtime_error);  // fields missing
  std::string j = EncodeJson(MakeDocument(1));
  j.replace(j.find("\"id\":1"), 6, "\"id\":\"x\"");
  EXPECT_THROW(DecodeJson(j), std::runtime_error);
}

TEST(AppsMsgpack, RoundTripsTheDocumentAndIsSmallerThanJson) {
  const Document d = MakeDocument(300);
  const std::string m = EncodeMsgpack(d);
  EXPECT_EQ(DecodeMsgpack(m), d);
  EXPECT_LT(m.size(), EncodeJson(d).size());
}

TEST(AppsMsgpack, TruncatedOrWrongShapeThrows) {
  const std::string m = EncodeMsgpack(MakeDocument(10));
  EXPECT_THROW(DecodeMsgpack(m.substr(0, m.size() / 2)), std::runtime_error);
  EXPECT_THROW(DecodeMsgpack(std::string("\x01", 1)), std::runtime_error);  // not an array
}

}  // namespace
}  // namespace ocibench::apps
