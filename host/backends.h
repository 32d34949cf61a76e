// SPDX-License-Identifier: Apache-2.0
// The back-end registry: host back-ends by name ("interp", "x86_64").
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "tcg/backend.h"

namespace presil::host {

/// Names of the back-ends built into this binary, the default first.
std::vector<std::string> backend_names();
/// Creates a back-end by name; throws std::invalid_argument naming the known ones.
std::unique_ptr<tcg::Backend> make_backend(std::string_view name);

}  // namespace presil::host
