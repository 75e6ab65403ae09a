// msgpack-c encoding and decoding of the record document (msgpack_codec.h).
#include "workloads/apps/msgpack_codec.h"

#include <stdexcept>

// msgpack-cxx 4 uses Boost only for its optional adaptors and the visitor parser's
// fallbacks; without this it requires Boost headers, which we do not need.
#define MSGPACK_NO_BOOST
#include <msgpack.hpp>

namespace ocibench::apps {
namespace {

// The wire layout: Item = [sku, qty, price]; Record = [id, name, email, city, active, score,
// tags, items]. Records are packed field by field; only the item has a wire struct, so
// document.h stays free of msgpack.
struct WireItem {
  std::string sku;
  std::int64_t qty;
  double price;
  MSGPACK_DEFINE(sku, qty, price);
};

}  // namespace

std::string EncodeMsgpack(const Document& d) {
  msgpack::sbuffer buf;
  msgpack::packer<msgpack::sbuffer> pk(buf);
  pk.pack_array(static_cast<std::uint32_t>(d.size()));
  for (const auto& r : d) {
    pk.pack_array(8);
    pk.pack(r.id);
    pk.pack(r.name);
    pk.pack(r.email);
    pk.pack(r.city);
    pk.pack(r.active);
    pk.pack(r.score);
    pk.pack(r.tags);
    pk.pack_array(static_cast<std::uint32_t>(r.items.size()));
    for (const auto& it : r.items) pk.pack(WireItem{it.sku, it.qty, it.price});
  }
  return {buf.data(), buf.size()};
}

Document DecodeMsgpack(const std::string& bytes) {
  try {
    msgpack::object_handle h = msgpack::unpack(bytes.data(), bytes.size());
    const msgpack::object& o = h.get();
    if (o.type != msgpack::type::ARRAY) throw std::runtime_error("not an array of records");
    Document d;
    d.reserve(o.via.array.size);
    for (std::uint32_t i = 0; i < o.via.array.size; i++) {
      const msgpack::object& f = o.via.array.ptr[i];
      if (f.type != msgpack::type::ARRAY || f.via.array.size != 8)
        throw std::runtime_error("record " + std::to_string(i) + " is not an array of 8 fields");
      const msgpack::object* v = f.via.array.ptr;
      Record r;
      v[0].convert(r.id);
      v[1].convert(r.name);
      v[2].convert(r.email);
      v[3].convert(r.city);
      v[4].convert(r.active);
      v[5].convert(r.score);
      v[6].convert(r.tags);
      std::vector<WireItem> items;
      v[7].convert(items);
      for (auto& it : items) r.items.push_back({std::move(it.sku), it.qty, it.price});
      d.push_back(std::move(r));
    }
    return d;
  } catch (const msgpack::type_error& e) {
    throw std::runtime_error(std::string("MessagePack type mismatch: ") + e.what());
  } catch (const msgpack::unpack_error& e) {
    throw std::runtime_error(std::string("MessagePack malformed: ") + e.what());
  }
}

}  // namespace ocibench::apps
