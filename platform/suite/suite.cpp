// SPDX-License-Identifier: Apache-2.0
// Loads and validates `presil test` suite files (YAML) with FILE:LINE:COLUMN errors.
#include "platform/suite/suite.h"

#include <cstdlib>
#include <filesystem>
#include <cerrno>
#include <regex>
#include <set>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "platform/units.h"

namespace fs = std::filesystem;

namespace presil::platform::suite {

namespace {

/// Reads one suite file, remembering where nodes came from for error messages.
class Reader {
public:
    Reader(std::string file, const std::map<std::string, std::string>& defines)
        : m_file(std::move(file)), m_defines(defines), m_dir(fs::path(m_file).parent_path()) {}

    /// An error at `node`'s position.
    [[noreturn]] void fail(const YAML::Node& node, const std::string& message) const {
        const YAML::Mark m = node.Mark();
        if (m.is_null()) throw SuiteError(fmt::format("{}: {}", m_file, message));
        throw SuiteError(fmt::format("{}:{}:{}: {}", m_file, m.line + 1, m.column + 1, message));
    }

    /// Rejects keys of map `node` not in `allowed`.
    void check_keys(const YAML::Node& node, const std::set<std::string>& allowed, const char* what) const {
        if (!node.IsMap()) fail(node, fmt::format("{}: expected a map", what));
        for (const auto& kv : node) {
            const std::string key = kv.first.as<std::string>();
            if (!allowed.count(key)) {
                std::string list;
                for (const std::string& a : allowed) list += (list.empty() ? "" : ", ") + a;
                fail(kv.first, fmt::format("unknown key '{}' in {} (expected one of: {})", key, what, list));
            }
        }
    }

    /// A scalar as a string.
    std::string scalar(const YAML::Node& node, const char* key) const {
        if (!node.IsScalar()) fail(node, fmt::format("'{}': expected a scalar", key));
        return node.Scalar();
    }

    /// A time with a unit (validated, returned as written).
    std::string time(const YAML::Node& node, const char* key) const {
        std::string s = scalar(node, key);
        try {
            if (parse_time_ps(s) == 0) fail(node, fmt::format("'{}': expected a time greater than zero", key));
        } catch (const UnitError& e) {
            fail(node, fmt::format("'{}': {}", key, e.what()));
        }
        return s;
    }

    /// A non-negative integer no larger than `max`.
    uint64_t integer(const YAML::Node& node, const char* key, uint64_t max) const {
        std::string s = scalar(node, key);
        char* end = nullptr;
        errno = 0;
        unsigned long long v = std::strtoull(s.c_str(), &end, 0);
        if (s.empty() || *end || errno || s[0] == '-' || v > max)
            fail(node, fmt::format("'{}': expected an integer from 0 to {}, not '{}'", key, max, s));
        return v;
    }

    /// Expands ${VAR} from the defines, then the environment; an unknown variable is an error.
    std::string expand(const YAML::Node& node, const std::string& text) const {
        std::string out;
        for (size_t i = 0; i < text.size();) {
            if (text.compare(i, 2, "${") == 0) {
                size_t close = text.find('}', i + 2);
                if (close == std::string::npos) fail(node, fmt::format("unterminated '${{' in '{}'", text));
                std::string var = text.substr(i + 2, close - i - 2);
                if (auto it = m_defines.find(var); it != m_defines.end()) {
                    out += it->second;
                } else if (const char* env = std::getenv(var.c_str())) {
                    out += env;
                } else {
                    fail(node, fmt::format("variable '{}' is not defined (use --define {}=VALUE or the environment)", var, var));
                }
                i = close + 1;
            } else {
                out += text[i++];
            }
        }
        return out;
    }

    /// A path, expanded and made relative to the suite file's folder.
    std::string path(const YAML::Node& node, const char* key) const {
        fs::path p = expand(node, scalar(node, key));
        if (p.is_relative()) p = m_dir / p;
        return p.lexically_normal().string();
    }

    /// A list of strings (or one string), expanded.
    std::vector<std::string> args(const YAML::Node& node) const {
        std::vector<std::string> out;
        if (node.IsScalar()) {
            out.push_back(expand(node, node.Scalar()));
        } else if (node.IsSequence()) {
            for (const YAML::Node& a : node) out.push_back(expand(a, scalar(a, "args")));
        } else {
            fail(node, "'args': expected a list of strings");
        }
        return out;
    }

    /// Applies the keys shared by `defaults:` and cases to `c`.
    void common(const YAML::Node& node, SuiteCase& c) const {
        if (node["board"]) c.board = path(node["board"], "board");
        if (node["quantum"]) c.quantum = time(node["quantum"], "quantum");
        if (node["max-time"]) c.max_time = time(node["max-time"], "max-time");
        if (node["max-wall"]) {
            c.max_wall = time(node["max-wall"], "max-wall");
            c.max_wall_ns = parse_time_ps(c.max_wall) / 1000;
            if (c.max_wall_ns == 0) fail(node["max-wall"], "'max-wall': expected at least 1ns");
        }
        if (node["repeat"]) {
            c.repeat = static_cast<unsigned>(integer(node["repeat"], "repeat", 1000));
            if (c.repeat == 0) fail(node["repeat"], "'repeat': expected at least 1");
        }
        if (node["args"]) c.args = args(node["args"]);
    }

    /// The whole file.
    Suite load() {
        YAML::Node root;
        try {
            root = YAML::LoadFile(m_file);
        } catch (const YAML::BadFile&) {
            throw SuiteError(fmt::format("{}: cannot open the suite file", m_file));
        } catch (const YAML::ParserException& e) {
            throw SuiteError(fmt::format("{}:{}:{}: {}", m_file, e.mark.line + 1, e.mark.column + 1, e.msg));
        }
        if (!root.IsMap()) throw SuiteError(fmt::format("{}: expected a map with 'suite:' and 'cases:'", m_file));
        check_keys(root, {"suite", "description", "defaults", "cases"}, "the suite");
        Suite s;
        s.file = m_file;
        s.name = root["suite"] ? scalar(root["suite"], "suite") : fs::path(m_file).stem().string();
        SuiteCase defaults;
        if (YAML::Node d = root["defaults"]) {
            check_keys(d, {"board", "quantum", "max-time", "max-wall", "repeat", "args"}, "'defaults'");
            common(d, defaults);
        }
        YAML::Node cases = root["cases"];
        if (!cases) fail(root, "missing 'cases:' (the list of test cases)");
        if (!cases.IsSequence()) fail(cases, "'cases': expected a list");
        std::set<std::string> names;
        for (const YAML::Node& n : cases) {
            check_keys(n, {"name", "board", "firmware", "args", "expect", "quantum", "max-time", "max-wall", "repeat"},
                       "a case");
            SuiteCase c = defaults;
            if (!n["name"]) fail(n, "case without 'name'");
            c.name = scalar(n["name"], "name");
            if (c.name.empty() || c.name.find_first_of(" \t/\\") != std::string::npos)
                fail(n["name"], fmt::format("case name '{}': expected a non-empty name without spaces or slashes", c.name));
            if (!names.insert(c.name).second) fail(n["name"], fmt::format("duplicate case name '{}'", c.name));
            common(n, c);
            if (c.board.empty()) fail(n, fmt::format("case '{}' has no 'board' (and 'defaults' names none)", c.name));
            if (n["firmware"]) c.firmware = path(n["firmware"], "firmware");
            if (YAML::Node e = n["expect"]) {
                check_keys(e, {"exit", "output", "regex", "golden"}, "'expect'");
                if (e["exit"]) c.expect_exit = static_cast<int>(integer(e["exit"], "exit", 255));
                int checks = 0;
                if (e["output"]) c.check = OutputCheck::Exact, c.expect_text = scalar(e["output"], "output"), ++checks;
                if (e["regex"]) {
                    c.check = OutputCheck::Regex, c.expect_text = scalar(e["regex"], "regex"), ++checks;
                    try {
                        std::regex check(c.expect_text, std::regex::ECMAScript);
                    } catch (const std::regex_error& err) {
                        fail(e["regex"], fmt::format("'regex': invalid regular expression: {}", err.what()));
                    }
                }
                if (e["golden"]) c.check = OutputCheck::Golden, c.expect_text = path(e["golden"], "golden"), ++checks;
                if (checks > 1) fail(e, "'expect': give at most one of 'output', 'regex' and 'golden'");
                if (c.check == OutputCheck::Golden && !fs::is_regular_file(c.expect_text))
                    fail(e["golden"], fmt::format("golden file '{}' does not exist", c.expect_text));
            }
            s.cases.push_back(std::move(c));
        }
        return s;
    }

private:
    std::string m_file;
    const std::map<std::string, std::string>& m_defines;
    fs::path m_dir;
};

}  // namespace

Suite load_suite(const std::string& file, const std::map<std::string, std::string>& defines) {
    return Reader(file, defines).load();
}

}  // namespace presil::platform::suite
