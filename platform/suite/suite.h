// SPDX-License-Identifier: Apache-2.0
// `presil test`: regression suites of firmware runs (YAML suite files, parallel runner, reports).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace presil::platform::suite {

/// A suite file that cannot be used; the message reads "FILE:LINE:COLUMN: message".
class SuiteError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// How a case's console output is checked.
enum class OutputCheck { None, Exact, Regex, Golden };

/// One test case of a suite, with the suite's defaults applied and paths resolved.
struct SuiteCase {
    std::string name;                  ///< unique within the suite
    std::string board;                 ///< board YAML (absolute or relative to the working folder)
    std::string firmware;              ///< ELF file ("" = none)
    std::vector<std::string> args;     ///< extra `presil run` arguments
    std::string quantum;               ///< "" = the board's
    std::string max_time;              ///< simulated-time limit ("" = none)
    std::string max_wall;              ///< wall-time limit ("" = none)
    uint64_t max_wall_ns = 0;          ///< max_wall in nanoseconds (0 = none)
    unsigned repeat = 1;               ///< how many times the case runs
    int expect_exit = 0;               ///< expected exit status
    OutputCheck check = OutputCheck::None;  ///< how the console output is checked
    std::string expect_text;           ///< exact text, regex or golden file path
};

/// A loaded suite file.
struct Suite {
    std::string name;              ///< `suite:` name
    std::string file;              ///< the suite file
    std::vector<SuiteCase> cases;  ///< in file order
};

/// Loads and validates a suite; `${VAR}` in paths and args expands from `defines`, then the environment.
Suite load_suite(const std::string& file, const std::map<std::string, std::string>& defines);

/// What `presil test` was asked to do.
struct TestOptions {
    std::string suite_file;                    ///< the suite
    std::vector<std::string> defines;          ///< VAR=VALUE for ${VAR}
    unsigned jobs = 1;                         ///< parallel cases
    std::string junit;                         ///< JUnit XML report ("" = none)
    std::string json;                          ///< JSON summary ("" = none)
    std::string artifacts;                     ///< folder for failed cases' logs ("" = none)
    std::string shard;                         ///< "K/N" ("" = every case)
    std::vector<std::string> quanta;           ///< rerun every case with each quantum
    std::string filter;                        ///< only cases whose name contains this
    bool list = false;                         ///< list the (sharded) cases and exit
    std::string presil;                        ///< the presil binary ("" = this process's)
};

/// Runs `presil test`; returns 0 when every case passed, 1 when one failed or was flaky, 2 for a bad suite.
int run_tests(const TestOptions& opts);

/// True when `output` equals `golden` line by line, lines starting with "[time] " matching any such line.
bool golden_match(const std::string& output, const std::string& golden);

/// Escapes text for XML character data and attribute values.
std::string xml_escape(const std::string& text);

/// Escapes text for a JSON string (without the quotes).
std::string json_escape(const std::string& text);

}  // namespace presil::platform::suite
