// SPDX-License-Identifier: Apache-2.0
// Fuzz target: YAML board files. Whatever the bytes, load_board() returns a board or throws
// ConfigError (with a FILE:LINE:COLUMN message); any other exception, crash or sanitizer report
// is a finding.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>

#include "platform/board.h"
#include "tests/fuzz/fuzz_common.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    static presil::fuzz::ScratchFile file("board.yaml");
    const std::string& path = file.write(data, size);
    try {
        presil::platform::BoardDesc desc = presil::platform::load_board(path);
        (void)desc;
    } catch (const presil::platform::ConfigError& e) {
        // The documented answer to a bad board; its message names the file.
        if (std::string_view(e.what()).find("board.yaml") == std::string_view::npos) {
            std::fprintf(stderr, "ConfigError without the file name: %s\n", e.what());
            std::abort();
        }
    }
    return 0;
}
