// SPDX-License-Identifier: Apache-2.0
// Configuration errors with source positions and the typed reader of `options:` maps.
#include "platform/options.h"

#include "platform/units.h"

namespace presil::platform {

std::string SourcePos::str() const {
    std::string f = file ? *file : std::string("<board>");
    if (mark.is_null()) return f;
    return f + ":" + std::to_string(mark.line + 1) + ":" + std::to_string(mark.column + 1);
}

ConfigError config_error(const SourcePos& pos, std::string_view message) {
    return ConfigError(pos.str() + ": " + std::string(message));
}

OptionReader::OptionReader(SourcePos owner) : m_owner(std::move(owner)) {}

OptionReader::OptionReader(const YAML::Node& node, std::shared_ptr<const std::string> file)
    : m_owner{file, node.IsDefined() ? node.Mark() : YAML::Mark::null_mark()} {
    if (!node.IsDefined() || node.IsNull()) return;
    if (!node.IsMap()) throw config_error(m_owner, "expected a map of options (key: value)");
    for (auto it = node.begin(); it != node.end(); ++it)
        m_entries.push_back(Entry{it->first.Scalar(), it->second, file, it->first.Mark()});
}

OptionReader::OptionReader(std::vector<Entry> entries, SourcePos owner)
    : m_entries(std::move(entries)), m_owner(std::move(owner)) {}

const OptionReader::Entry* OptionReader::find(std::string_view key) const {
    for (const Entry& e : m_entries)
        if (e.key == key) return &e;
    return nullptr;
}

const OptionReader::Entry* OptionReader::find(std::string_view key) {
    const Entry* e = static_cast<const OptionReader*>(this)->find(key);
    m_used.emplace(key);
    return e;
}

bool OptionReader::has(std::string_view key) const { return find(key) != nullptr; }

SourcePos OptionReader::position(std::string_view key) const {
    const Entry* e = find(key);
    if (!e) return m_owner;
    return SourcePos{e->file, e->value.Mark()};
}

void OptionReader::fail(std::string_view key, std::string_view message) const {
    throw config_error(position(key), message);
}

std::string OptionReader::scalar(const Entry& e, std::string_view what) const {
    if (!e.value.IsScalar())
        fail(e.key, "expected " + std::string(what) + " for option '" + e.key + "'");
    return e.value.Scalar();
}

uint64_t OptionReader::size(std::string_view key, uint64_t def) {
    const Entry* e = find(key);
    if (!e) return def;
    try {
        return parse_size(scalar(*e, "a size"));
    } catch (const UnitError& err) {
        fail(key, "option '" + std::string(key) + "': " + err.what());
    }
}

uint64_t OptionReader::frequency_hz(std::string_view key, uint64_t def) {
    const Entry* e = find(key);
    if (!e) return def;
    try {
        return parse_frequency_hz(scalar(*e, "a frequency"));
    } catch (const UnitError& err) {
        fail(key, "option '" + std::string(key) + "': " + err.what());
    }
}

sc_core::sc_time OptionReader::time(std::string_view key, sc_core::sc_time def) {
    const Entry* e = find(key);
    if (!e) return def;
    try {
        return parse_time(scalar(*e, "a time"));
    } catch (const UnitError& err) {
        fail(key, "option '" + std::string(key) + "': " + err.what());
    }
}

std::string OptionReader::string(std::string_view key, std::string def) {
    const Entry* e = find(key);
    if (!e) return def;
    return scalar(*e, "a string");
}

void OptionReader::finish() const {
    for (const Entry& e : m_entries) {
        if (m_used.count(e.key)) continue;
        std::string known;
        for (const std::string& k : m_used) known += (known.empty() ? "" : ", ") + k;
        throw config_error(SourcePos{e.file, e.key_mark},
                           "unknown option '" + e.key + "'" +
                               (known.empty() ? " (this entry takes no options)" : " (expected one of: " + known + ")"));
    }
}

std::vector<std::string> OptionReader::keys() const {
    std::vector<std::string> out;
    for (const Entry& e : m_entries) out.push_back(e.key);
    return out;
}

}  // namespace presil::platform
