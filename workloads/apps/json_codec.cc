// RapidJSON encoding and decoding of the record document (json_codec.h).
#include "workloads/apps/json_codec.h"

#include <stdexcept>

// A field of the wrong type is bad input, not a programming error: throw instead of assert().
#define RAPIDJSON_ASSERT(x) \
  if (!(x)) throw std::runtime_error("JSON value of the wrong type (" #x ")")
#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace ocibench::apps {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void Str(Writer& w, const char* key, const std::string& v) {
  w.Key(key);
  w.String(v.data(), static_cast<rapidjson::SizeType>(v.size()));
}

const rapidjson::Value& Field(const rapidjson::Value& o, const char* key) {
  auto it = o.FindMember(key);
  if (it == o.MemberEnd())
    throw std::runtime_error(std::string("JSON record lacks \"") + key + "\"");
  return it->value;
}

std::string AsString(const rapidjson::Value& v) {
  if (!v.IsString()) throw std::runtime_error("JSON field is not a string");
  return {v.GetString(), v.GetStringLength()};
}

}  // namespace

std::string EncodeJson(const Document& d) {
  rapidjson::StringBuffer buf;
  Writer w(buf);
  w.StartArray();
  for (const auto& r : d) {
    w.StartObject();
    w.Key("id");
    w.Int64(r.id);
    Str(w, "name", r.name);
    Str(w, "email", r.email);
    Str(w, "city", r.city);
    w.Key("active");
    w.Bool(r.active);
    w.Key("score");
    w.Double(r.score);
    w.Key("tags");
    w.StartArray();
    for (const auto& t : r.tags) w.String(t.data(), static_cast<rapidjson::SizeType>(t.size()));
    w.EndArray();
    w.Key("items");
    w.StartArray();
    for (const auto& it : r.items) {
      w.StartObject();
      Str(w, "sku", it.sku);
      w.Key("qty");
      w.Int64(it.qty);
      w.Key("price");
      w.Double(it.price);
      w.EndObject();
    }
    w.EndArray();
    w.EndObject();
  }
  w.EndArray();
  return {buf.GetString(), buf.GetSize()};
}

Document DecodeJson(const std::string& text) {
  rapidjson::Document j;
  j.Parse<rapidjson::kParseFullPrecisionFlag>(text.data(), text.size());
  if (j.HasParseError())
    throw std::runtime_error("JSON parse error at offset " + std::to_string(j.GetErrorOffset()) +
                             ": " + rapidjson::GetParseError_En(j.GetParseError()));
  if (!j.IsArray()) throw std::runtime_error("JSON document is not an array");
  Document d;
  d.reserve(j.Size());
  for (const auto& o : j.GetArray()) {
    if (!o.IsObject()) throw std::runtime_error("JSON record is not an object");
    Record r;
    r.id = Field(o, "id").GetInt64();
    r.name = AsString(Field(o, "name"));
    r.email = AsString(Field(o, "email"));
    r.city = AsString(Field(o, "city"));
    r.active = Field(o, "active").GetBool();
    r.score = Field(o, "score").GetDouble();
    for (const auto& t : Field(o, "tags").GetArray()) r.tags.push_back(AsString(t));
    for (const auto& i : Field(o, "items").GetArray()) {
      Item it;
      it.sku = AsString(Field(i, "sku"));
      it.qty = Field(i, "qty").GetInt64();
      it.price = Field(i, "price").GetDouble();
      r.items.push_back(std::move(it));
    }
    d.push_back(std::move(r));
  }
  return d;
}

}  // namespace ocibench::apps
