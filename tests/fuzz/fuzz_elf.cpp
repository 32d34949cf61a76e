// SPDX-License-Identifier: Apache-2.0
// Fuzz target: ELF programs. Whatever the bytes, ElfImage::read() returns an image (whose
// symbol lookups then work) or throws ElfError; any other exception, crash or sanitizer report
// is a finding. Read as an ARMv7-M program (EM_ARM, 32-bit) and as a 64-bit x86 one.
#include <cstddef>
#include <cstdint>

#include "platform/elf_loader.h"
#include "tests/fuzz/fuzz_common.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    static presil::fuzz::ScratchFile file("program.elf");
    const std::string& path = file.write(data, size);
    static const presil::platform::CpuTraits kTraits[] = {{32, 40, 32}, {64, 62, 64}, {32, 0, 32}};
    for (const auto& traits : kTraits) {
        try {
            const auto image = presil::platform::ElfImage::read(path, traits);
            uint64_t total = 0;
            for (const auto& seg : image.segments()) total += seg.data.size();
            (void)total;
            for (const auto& sym : image.symbols()) {
                (void)image.address_of(sym.name);
                (void)image.describe(sym.address + sym.size / 2);
            }
            (void)image.describe(image.entry());
            (void)image.symbol_at(0);
        } catch (const presil::platform::ElfError&) {
            // The documented answer to a bad program.
        }
    }
    return 0;
}
