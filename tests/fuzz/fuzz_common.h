// SPDX-License-Identifier: Apache-2.0
// Helpers shared by the fuzz targets: a per-process scratch file for loaders that read paths.
#pragma once

#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

namespace presil::fuzz {

/// A file in a per-process scratch folder, rewritten with each input and removed at exit.
class ScratchFile {
public:
    /// `name` is the file name inside the folder (its extension may matter to the loader).
    explicit ScratchFile(const std::string& name) {
        m_dir = std::filesystem::temp_directory_path() / ("presil-fuzz-" + std::to_string(::getpid()));
        std::filesystem::create_directories(m_dir);
        m_path = (m_dir / name).string();
    }
    ~ScratchFile() {
        std::error_code ec;
        std::filesystem::remove_all(m_dir, ec);
    }
    ScratchFile(const ScratchFile&) = delete;
    ScratchFile& operator=(const ScratchFile&) = delete;

    /// Replaces the file's contents; returns its path.
    const std::string& write(const uint8_t* data, size_t size) {
        std::ofstream out(m_path, std::ios::binary | std::ios::trunc);
        out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
        return m_path;
    }
    /// The folder (other files the input refers to may be placed there).
    const std::filesystem::path& dir() const { return m_dir; }

private:
    std::filesystem::path m_dir;
    std::string m_path;
};

}  // namespace presil::fuzz
