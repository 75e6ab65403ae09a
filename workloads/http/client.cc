#include "workloads/http/client.h"

#include <curl/curl.h>

#include <mutex>

namespace ocibench::http {
namespace {

void GlobalInit() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_NOTHING); });
}

CURL* Handle(void* p) { return static_cast<CURL*>(p); }

}  // namespace

Client::Client(ClientOptions options) {
  GlobalInit();
  curl_ = curl_easy_init();
  if (!curl_) throw HttpError("curl_easy_init failed");
  CURL* c = Handle(curl_);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_PROXY, "");  // never a proxy from http_proxy: loopback only
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(options.timeout_s * 1000));
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(options.connect_timeout_s * 1000));
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error_);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, &Client::OnData);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, this);
  if (options.buffer_size > 0) curl_easy_setopt(c, CURLOPT_BUFFERSIZE, options.buffer_size);
}

Client::~Client() {
  if (curl_) curl_easy_cleanup(Handle(curl_));
}

std::size_t Client::OnData(char*, std::size_t size, std::size_t n, void* self) {
  static_cast<Client*>(self)->received_ += size * n;
  return size * n;
}

std::uint64_t Client::Get(const std::string& url, std::uint64_t expected_size,
                          bool new_connection) {
  CURL* c = Handle(curl_);
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_FRESH_CONNECT, new_connection ? 1L : 0L);
  curl_easy_setopt(c, CURLOPT_FORBID_REUSE, new_connection ? 1L : 0L);
  received_ = 0;
  error_[0] = '\0';
  const CURLcode rc = curl_easy_perform(c);
  long connects = 0;
  curl_easy_getinfo(c, CURLINFO_NUM_CONNECTS, &connects);
  connects_ += connects;
  if (rc != CURLE_OK)
    throw HttpError("GET " + url + " failed: " + (error_[0] ? error_ : curl_easy_strerror(rc)));
  long status = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
  if (status != 200)
    throw HttpError("GET " + url + " answered HTTP " + std::to_string(status) + ", not 200");
  curl_off_t seen = 0;
  curl_easy_getinfo(c, CURLINFO_SIZE_DOWNLOAD_T, &seen);
  if (static_cast<std::uint64_t>(seen) != expected_size || received_ != expected_size)
    throw HttpError("GET " + url + " gave " + std::to_string(seen) + " bytes (delivered " +
                    std::to_string(received_) + "), expected " + std::to_string(expected_size));
  return received_;
}

std::string CurlVersion() {
  const curl_version_info_data* v = curl_version_info(CURLVERSION_NOW);
  return std::string("libcurl/") + v->version;
}

}  // namespace ocibench::http
