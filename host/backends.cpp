// SPDX-License-Identifier: Apache-2.0
// The back-end registry: one row per back-end built into this binary.
#include "host/backends.h"

#include <functional>
#include <stdexcept>

#include "host/interp/interp.h"
#if PRESIL_HAVE_X86_64
#include "host/x86_64/x64_backend.h"
#endif

namespace presil::host {

namespace {

/// One registered back-end.
struct Entry {
  const char* name;
  std::unique_ptr<tcg::Backend> (*make)();
};

/// Every back-end, preferred first.
const std::vector<Entry>& entries() {
  static const std::vector<Entry> table = {
#if PRESIL_HAVE_X86_64
      {"x86_64", [] { return std::unique_ptr<tcg::Backend>(std::make_unique<x86_64::X64Backend>()); }},
#endif
      {"interp", &interp::make_interpreter},
  };
  return table;
}

}  // namespace

std::vector<std::string> backend_names() {
  std::vector<std::string> names;
  for (const Entry& e : entries()) names.emplace_back(e.name);
  return names;
}

std::unique_ptr<tcg::Backend> make_backend(std::string_view name) {
  std::string known;
  for (const Entry& e : entries()) {
    if (name == e.name) return e.make();
    known += known.empty() ? e.name : std::string(", ") + e.name;
  }
  throw std::invalid_argument("unknown back-end '" + std::string(name) + "' (known: " + known + ")");
}

}  // namespace presil::host
