// SPDX-License-Identifier: Apache-2.0
// Configuration errors with FILE:LINE:COLUMN and the reader of a board entry's `options:` map.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include <systemc>
#include <yaml-cpp/yaml.h>

namespace presil::platform {

/// A board description error; what() is "FILE:LINE:COLUMN: what was expected".
class ConfigError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// Where a YAML node came from: its file and its (0-based) yaml-cpp mark.
struct SourcePos {
    std::shared_ptr<const std::string> file;  ///< path of the YAML file (shared by all its nodes)
    YAML::Mark mark;                          ///< 0-based line/column as yaml-cpp reports it

    /// "FILE:LINE:COLUMN" with 1-based line and column.
    std::string str() const;
};

/// Builds a ConfigError "FILE:LINE:COLUMN: message".
ConfigError config_error(const SourcePos& pos, std::string_view message);

/// Reads typed values from an `options:` map; every key read is remembered so
/// finish() can refuse the keys nobody asked for.
class OptionReader {
public:
    /// One `key: value` of the map, with the file the value was written in.
    struct Entry {
        std::string key;                         ///< option name
        YAML::Node value;                        ///< its YAML value
        std::shared_ptr<const std::string> file; ///< file holding the value
        YAML::Mark key_mark;                     ///< position of the key
    };

    /// An empty reader (no options); errors point at `owner`.
    explicit OptionReader(SourcePos owner = {});
    /// Reads the map `node` (null or undefined = no options) written in `file`.
    OptionReader(const YAML::Node& node, std::shared_ptr<const std::string> file);
    /// A reader over already-merged entries; errors about the whole map point at `owner`.
    OptionReader(std::vector<Entry> entries, SourcePos owner);

    /// True when `key` was given.
    bool has(std::string_view key) const;
    /// The value of `key` converted to T (bool, integers, double, std::string), or `def`.
    template <class T> T get(std::string_view key, T def);
    /// A size: integer (decimal/0x..) or with KiB/MiB/GiB (K/M/G) suffix.
    uint64_t size(std::string_view key, uint64_t def);
    /// A frequency in Hz: `25MHz`, `32768Hz`, `1GHz`, or a plain integer in Hz.
    uint64_t frequency_hz(std::string_view key, uint64_t def);
    /// A time with its unit: `10us`, `1ms`, `100ns`, `1s`, `5ps`.
    sc_core::sc_time time(std::string_view key, sc_core::sc_time def);
    /// A string value.
    std::string string(std::string_view key, std::string def);
    /// Throws ConfigError for the first key that was never read ("unknown option").
    void finish() const;
    /// Throws ConfigError pointing at the value of `key` (or the map if absent).
    [[noreturn]] void fail(std::string_view key, std::string_view message) const;
    /// The position of the value of `key` (or of the map if absent).
    SourcePos position(std::string_view key) const;
    /// Keys in the order they were written.
    std::vector<std::string> keys() const;

private:
    const Entry* find(std::string_view key);
    const Entry* find(std::string_view key) const;
    std::string scalar(const Entry& e, std::string_view what) const;

    std::vector<Entry> m_entries;
    SourcePos m_owner;
    std::set<std::string, std::less<>> m_used;
};

namespace detail {
/// A readable type name for conversion errors.
template <class T> constexpr const char* option_type_name() {
    if constexpr (std::is_same_v<T, bool>) return "a boolean (true/false)";
    else if constexpr (std::is_integral_v<T> && std::is_unsigned_v<T>) return "a non-negative integer";
    else if constexpr (std::is_integral_v<T>) return "an integer";
    else if constexpr (std::is_floating_point_v<T>) return "a number";
    else return "a string";
}
}  // namespace detail

template <class T> T OptionReader::get(std::string_view key, T def) {
    const Entry* e = find(key);
    if (!e) return def;
    if (!e->value.IsScalar()) fail(key, std::string("expected ") + detail::option_type_name<T>() + " for option '" + std::string(key) + "'");
    if constexpr (std::is_same_v<T, std::string>) {
        return e->value.Scalar();
    } else {
        T out{};
        if (!YAML::convert<T>::decode(e->value, out))
            fail(key, std::string("expected ") + detail::option_type_name<T>() + " for option '" + std::string(key) + "', got '" + e->value.Scalar() + "'");
        return out;
    }
}

}  // namespace presil::platform
