// SPDX-License-Identifier: Apache-2.0
// main() for fuzz targets in builds without libFuzzer: runs every file named on the command line
// (or found in a named folder) through LLVMFuzzerTestOneInput once, so the targets and their
// seed corpora are exercised by every build.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace {

void run_file(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::printf("%s (%zu bytes)\n", file.string().c_str(), bytes.size());
    std::fflush(stdout);
    LLVMFuzzerTestOneInput(bytes.data(), bytes.size());
}

}  // namespace

int main(int argc, char** argv) {
    size_t runs = 0;
    for (int i = 1; i < argc; ++i) {
        const std::filesystem::path arg = argv[i];
        if (std::filesystem::is_directory(arg)) {
            std::vector<std::filesystem::path> files;
            for (const auto& e : std::filesystem::recursive_directory_iterator(arg))
                if (e.is_regular_file()) files.push_back(e.path());
            std::sort(files.begin(), files.end());
            for (const auto& f : files) {
                run_file(f);
                ++runs;
            }
        } else {
            run_file(arg);
            ++runs;
        }
    }
    std::printf("%zu inputs run\n", runs);
    if (runs == 0) {
        std::fprintf(stderr, "no inputs: give files or folders of a seed corpus\n");
        return 1;
    }
    return 0;
}
