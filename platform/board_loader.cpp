// SPDX-License-Identifier: Apache-2.0
// Board YAML loader: include merging, key/unit/type checks, address-range and IRQ validation.
#include "platform/board.h"

#include <algorithm>
#include <array>
#include <filesystem>
#include <limits>
#include <map>
#include <string_view>

#include "platform/cpu_registry.h"
#include "platform/device.h"
#include "platform/units.h"
#include "rtl-bridge/bridge.h"

namespace presil::platform {
namespace {

namespace fs = std::filesystem;
using FilePtr = std::shared_ptr<const std::string>;

// Keys each part of a board accepts; the first ones listed are required.
constexpr std::array<std::string_view, 9> kTopKeys{"board", "description", "include", "quantum",
                                                   "semihosting", "cpus", "memories", "devices", "rtl"};
constexpr std::array<std::string_view, 1> kTopRequired{"board"};
constexpr std::array<std::string_view, 6> kCpuKeys{"name", "isa", "clock", "model", "timing", "options"};
constexpr std::array<std::string_view, 3> kCpuRequired{"name", "isa", "clock"};
constexpr std::array<std::string_view, 6> kMemoryKeys{"name", "type", "base", "size", "latency", "image"};
constexpr std::array<std::string_view, 4> kMemoryRequired{"name", "type", "base", "size"};
constexpr std::array<std::string_view, 6> kDeviceKeys{"name", "type", "base", "size", "irq", "options"};
constexpr std::array<std::string_view, 4> kDeviceRequired{"name", "type", "base", "size"};
constexpr std::array<std::string_view, 16> kRtlKeys{"name", "model", "plugin", "bus", "base", "size", "clock", "reset",
                                                  "clocking", "sync", "prefix", "ports", "irq", "trace", "check",
                                                  "check_timeout"};
constexpr std::array<std::string_view, 3> kRtlRequired{"name", "base", "size"};
constexpr std::array<std::string_view, 3> kRtlResetKeys{"port", "active", "cycles"};
constexpr std::array<std::string_view, 3> kMemoryTypes{"ram", "rom", "flash"};
// The lists merged by entry name, and what one entry is called in messages.
constexpr std::array<std::pair<std::string_view, std::string_view>, 4> kLists{
    {{"cpus", "CPU"}, {"memories", "memory"}, {"devices", "device"}, {"rtl", "RTL peripheral"}}};

constexpr uint64_t kDefaultQuantumPs = 10'000'000;  // 10us

template <size_t N> std::string join(const std::array<std::string_view, N>& items) {
    std::string out;
    for (std::string_view s : items) out += (out.empty() ? "" : ", ") + std::string(s);
    return out;
}

template <size_t N> bool contains(const std::array<std::string_view, N>& items, std::string_view key) {
    return std::find(items.begin(), items.end(), key) != items.end();
}

SourcePos pos_of(const FilePtr& file, const YAML::Node& node) { return SourcePos{file, node.Mark()}; }

/// One `key: value` of a map with the file it came from.
struct Field {
    std::string key;
    YAML::Node key_node;
    YAML::Node value;
    FilePtr file;
    SourcePos pos() const { return pos_of(file, value); }
    SourcePos key_pos() const { return pos_of(file, key_node); }
};

/// A list entry (`- name: ...`) after merging every file that mentions it.
struct RawEntry {
    std::string name;
    SourcePos pos;
    FilePtr defined_in;  // file of the latest definition (to spot duplicates inside one file)
    std::vector<Field> fields;
    std::vector<OptionReader::Entry> options;
    bool has_options = false;
    SourcePos options_pos;

    const Field* field(std::string_view key) const {
        for (const Field& f : fields)
            if (f.key == key) return &f;
        return nullptr;
    }
};

/// The merged YAML of a board before it is typed.
struct RawBoard {
    std::vector<Field> top;                                // scalar keys, last definition wins
    std::map<std::string, std::vector<RawEntry>> lists;    // cpus, memories, devices, rtl
    std::map<std::string, SourcePos> list_pos;
    SourcePos doc_pos;

    const Field* field(std::string_view key) const {
        for (const Field& f : top)
            if (f.key == key) return &f;
        return nullptr;
    }
};

std::string_view entry_kind(std::string_view list) {
    for (const auto& [name, kind] : kLists)
        if (name == list) return kind;
    return "entry";
}

/// Reads one file (and, first, the files it includes) into `board`.
class Reader {
public:
    void read(const fs::path& path, const SourcePos* included_from, RawBoard& board) {
        fs::path canonical = fs::weakly_canonical(path);
        for (const fs::path& open : m_stack)
            if (open == canonical) {
                std::string chain;
                for (const fs::path& p : m_stack) chain += p.filename().string() + " -> ";
                chain += canonical.filename().string();
                throw config_error(*included_from, "include cycle: " + chain);
            }
        FilePtr file = std::make_shared<const std::string>(path.string());
        YAML::Node root;
        try {
            if (fs::is_directory(path)) throw YAML::BadFile(path.string());
            root = YAML::LoadFile(path.string());
        } catch (const YAML::BadFile&) {
            if (included_from)
                throw config_error(*included_from, "cannot open included board file '" + path.string() + "'");
            throw ConfigError(path.string() + ": cannot open board file");
        } catch (const YAML::ParserException& e) {
            throw config_error(SourcePos{file, e.mark}, "YAML syntax error: " + e.msg);
        } catch (const std::exception& e) {
            std::string why = fs::is_directory(path) ? "it is a directory" : e.what();
            if (included_from)
                throw config_error(*included_from, "cannot read included board file '" + path.string() + "': " + why);
            throw ConfigError(path.string() + ": cannot read board file: " + why);
        }
        if (!root.IsMap())
            throw config_error(SourcePos{file, root.IsDefined() && !root.IsNull() ? root.Mark() : YAML::Mark()},
                               "expected a map with board keys (" + join(kTopKeys) + ")");
        if (!included_from) board.doc_pos = pos_of(file, root);
        m_stack.push_back(canonical);

        if (YAML::Node inc = root["include"]) {
            std::vector<YAML::Node> includes;
            if (inc.IsScalar()) includes.push_back(inc);
            else if (inc.IsSequence())
                for (const YAML::Node& n : inc) includes.push_back(n);
            if (includes.empty() || !std::all_of(includes.begin(), includes.end(), [](const YAML::Node& n) { return n.IsScalar(); }))
                throw config_error(pos_of(file, inc), "expected a board file name (or a list of them) for 'include'");
            for (const YAML::Node& n : includes) {
                SourcePos at = pos_of(file, n);
                read(path.parent_path() / n.Scalar(), &at, board);
            }
        }

        for (auto it = root.begin(); it != root.end(); ++it) {
            Field f{it->first.Scalar(), it->first, it->second, file};
            if (!contains(kTopKeys, f.key))
                throw config_error(f.key_pos(), "unknown key '" + f.key + "' (expected one of: " + join(kTopKeys) + ")");
            if (f.key == "include") continue;
            bool is_list = false;
            for (const auto& [list, kind] : kLists) is_list |= (list == f.key);
            if (is_list) {
                merge_list(f, board);
                continue;
            }
            auto old = std::find_if(board.top.begin(), board.top.end(), [&](const Field& o) { return o.key == f.key; });
            if (old != board.top.end()) *old = f;
            else board.top.push_back(f);
        }
        m_stack.pop_back();
    }

private:
    void merge_list(const Field& f, RawBoard& board) {
        std::string_view kind = entry_kind(f.key);
        if (f.value.IsNull()) return;
        if (!f.value.IsSequence())
            throw config_error(f.pos(), "expected a list of " + std::string(kind) + " entries for '" + f.key + "'");
        board.list_pos[f.key] = f.pos();
        std::vector<RawEntry>& list = board.lists[f.key];
        for (const YAML::Node& e : f.value) {
            if (!e.IsMap())
                throw config_error(pos_of(f.file, e), "expected a " + std::string(kind) + " entry (a map with a 'name' key)");
            YAML::Node name = e["name"];
            if (!name)
                throw config_error(pos_of(f.file, e), "missing required key 'name' in " + std::string(kind) + " entry");
            if (!name.IsScalar() || name.Scalar().empty())
                throw config_error(pos_of(f.file, name), "expected a non-empty name for the " + std::string(kind));
            auto it = std::find_if(list.begin(), list.end(), [&](const RawEntry& r) { return r.name == name.Scalar(); });
            if (it != list.end() && it->defined_in == f.file)
                throw config_error(pos_of(f.file, name), "duplicate " + std::string(kind) + " name '" + name.Scalar() +
                                                             "' (first defined at " + it->pos.str() + ")");
            if (it == list.end()) {
                list.push_back(RawEntry{});
                it = list.end() - 1;
                it->name = name.Scalar();
            }
            it->pos = pos_of(f.file, e);
            it->defined_in = f.file;
            for (auto kv = e.begin(); kv != e.end(); ++kv) {
                Field field{kv->first.Scalar(), kv->first, kv->second, f.file};
                if (field.key == "options") {
                    merge_options(field, *it);
                    continue;
                }
                auto old = std::find_if(it->fields.begin(), it->fields.end(), [&](const Field& o) { return o.key == field.key; });
                if (old != it->fields.end()) *old = field;
                else it->fields.push_back(field);
            }
        }
    }

    static void merge_options(const Field& f, RawEntry& entry) {
        entry.has_options = true;
        entry.options_pos = f.pos();
        if (f.value.IsNull()) return;
        if (!f.value.IsMap()) throw config_error(f.pos(), "expected a map of options (key: value) for 'options'");
        for (auto kv = f.value.begin(); kv != f.value.end(); ++kv) {
            OptionReader::Entry o{kv->first.Scalar(), kv->second, f.file, kv->first.Mark()};
            auto old = std::find_if(entry.options.begin(), entry.options.end(),
                                    [&](const OptionReader::Entry& e) { return e.key == o.key; });
            if (old != entry.options.end()) *old = o;
            else entry.options.push_back(o);
        }
    }

    std::vector<fs::path> m_stack;
};

// ---- typed values ----

std::string scalar(const Field& f, std::string_view what) {
    if (!f.value.IsScalar()) throw config_error(f.pos(), "expected " + std::string(what) + " for '" + f.key + "'");
    return f.value.Scalar();
}

uint64_t size_value(const Field& f, std::string_view what) {
    try {
        return parse_size(scalar(f, what));
    } catch (const UnitError& e) {
        throw config_error(f.pos(), "'" + f.key + "': " + e.what());
    }
}

uint64_t frequency_value(const Field& f) {
    try {
        return parse_frequency_hz(scalar(f, "a frequency"));
    } catch (const UnitError& e) {
        throw config_error(f.pos(), "'" + f.key + "': " + e.what());
    }
}

sc_core::sc_time time_value(const Field& f) {
    try {
        return parse_time(scalar(f, "a time"));
    } catch (const UnitError& e) {
        throw config_error(f.pos(), "'" + f.key + "': " + e.what());
    }
}

bool bool_value(const Field& f) {
    bool out = false;
    if (!f.value.IsScalar() || !YAML::convert<bool>::decode(f.value, out))
        throw config_error(f.pos(), "expected true or false for '" + f.key + "'");
    return out;
}

unsigned unsigned_value(const YAML::Node& n, const SourcePos& pos, std::string_view key, unsigned max) {
    unsigned long long v = 0;
    if (!n.IsScalar() || !YAML::convert<unsigned long long>::decode(n, v) || n.Scalar().front() == '-' || v > max)
        throw config_error(pos, "expected an integer from 0 to " + std::to_string(max) + " for '" + std::string(key) + "'");
    return static_cast<unsigned>(v);
}

std::string builtin_rtl_models() {
    std::string out;
    for (const presil::rtl::BuiltinModel& m : presil::rtl::builtin_models()) out += (out.empty() ? "" : ", ") + std::string(m.name);
    return out.empty() ? "none" : out;
}

/// Checks an entry's keys against the table and that the required ones are there.
template <size_t N, size_t M>
void check_keys(const RawEntry& e, std::string_view kind, const std::array<std::string_view, N>& keys,
                const std::array<std::string_view, M>& required) {
    for (const Field& f : e.fields)
        if (!contains(keys, f.key))
            throw config_error(f.key_pos(), "unknown key '" + f.key + "' in " + std::string(kind) + " '" + e.name +
                                                "' (expected one of: " + join(keys) + ")");
    if (e.has_options && !contains(keys, "options"))
        throw config_error(e.options_pos, "unknown key 'options' in " + std::string(kind) + " '" + e.name +
                                              "' (expected one of: " + join(keys) + ")");
    for (std::string_view key : required)
        if (!e.field(key))
            throw config_error(e.pos, "missing required key '" + std::string(key) + "' in " + std::string(kind) +
                                          " '" + e.name + "'");
}

std::string registered_devices() {
    std::string out;
    for (const DeviceType* t : device_types()) out += (out.empty() ? "" : ", ") + t->type;
    return out.empty() ? "none" : out;
}

std::string registered_cpus() {
    std::string out;
    for (const CpuType* t : cpu_types()) out += (out.empty() ? "" : ", ") + t->isa;
    return out.empty() ? "none" : out;
}

std::string hex(uint64_t v) {
    char buf[24];
    std::snprintf(buf, sizeof buf, "0x%08llx", static_cast<unsigned long long>(v));
    return buf;
}

std::vector<IrqBinding> irq_bindings(const Field& f) {
    constexpr const char* kExpected = "expected an interrupt number (non-negative integer) or a map of output name to number";
    auto line = [&](const YAML::Node& n) -> unsigned {
        unsigned long long v = 0;
        if (!n.IsScalar() || !YAML::convert<unsigned long long>::decode(n, v) || n.Scalar().front() == '-' || v > 0xffff)
            throw config_error(pos_of(f.file, n), kExpected);
        return static_cast<unsigned>(v);
    };
    std::vector<IrqBinding> out;
    if (f.value.IsScalar()) {
        out.push_back(IrqBinding{"", line(f.value), f.pos()});
    } else if (f.value.IsMap()) {
        for (auto kv = f.value.begin(); kv != f.value.end(); ++kv)
            out.push_back(IrqBinding{kv->first.Scalar(), line(kv->second), pos_of(f.file, kv->second)});
    } else {
        throw config_error(f.pos(), kExpected);
    }
    return out;
}

/// An address range of the board for the overlap and address-space checks.
struct Region {
    std::string what;  // "memory 'ram'"
    uint64_t base, size;
    SourcePos base_pos, size_pos;
};

/// Types and checks one `rtl:` entry (model or plugin, bus, clock, reset, ports, IRQs, tracing).
RtlDesc rtl_entry(const RawEntry& e, const BoardDesc& b) {
    check_keys(e, "RTL peripheral", kRtlKeys, kRtlRequired);
    RtlDesc r;
    r.name = e.name;
    r.pos = e.pos;
    const std::string who = "RTL peripheral '" + e.name + "'";
    // `model: ~` / `plugin: ~` unset a value inherited from an included board.
    const Field* model = e.field("model");
    const Field* plugin = e.field("plugin");
    if (model && model->value.IsNull()) model = nullptr;
    if (plugin && plugin->value.IsNull()) plugin = nullptr;
    if (model && plugin)
        throw config_error(plugin->key_pos(), who + ": expected either 'model' (built in) or 'plugin' (a library), not both");
    if (!model && !plugin)
        throw config_error(e.pos, who + ": missing 'model' (a built-in RTL model: " + builtin_rtl_models() +
                                      ") or 'plugin' (a library built with `presil rtl build`)");
    if (model) {
        r.model = scalar(*model, "a built-in RTL model name");
        r.model_pos = model->pos();
        if (!presil::rtl::find_builtin(r.model))
            throw config_error(r.model_pos, "unknown built-in RTL model '" + r.model + "' (built in: " + builtin_rtl_models() +
                                                "; use 'plugin:' for a library built with `presil rtl build`)");
    } else {
        fs::path lib = scalar(*plugin, "a plugin library file name");
        r.plugin = (fs::path(*plugin->file).parent_path() / lib).string();
        r.model_pos = plugin->pos();
        std::error_code ec;
        if (!fs::is_regular_file(r.plugin, ec))
            throw config_error(r.model_pos, "RTL plugin '" + r.plugin + "' not found (build it with `presil rtl build --top TOP " +
                                                "--bus apb|axi-lite -o " + lib.filename().string() + " FILES.v`)");
    }
    if (const Field* f = e.field("bus")) {
        r.bus_pos = f->pos();
        try {
            r.bus = std::string(presil::rtl::bus_name(presil::rtl::parse_bus(scalar(*f, "a bus protocol"))));
        } catch (const presil::rtl::RtlError&) {
            throw config_error(f->pos(), "unknown bus '" + f->value.Scalar() + "' (expected apb or axi-lite)");
        }
    }
    r.base = size_value(*e.field("base"), "an address");
    r.base_pos = e.field("base")->pos();
    r.size = size_value(*e.field("size"), "a size");
    r.size_pos = e.field("size")->pos();
    if (const Field* f = e.field("clock")) {
        r.clock_hz = frequency_value(*f);
        if (r.clock_hz == 0) throw config_error(f->pos(), "expected a clock greater than zero");
    } else if (!b.cpus.empty()) {
        r.clock_hz = b.cpus.front().clock_hz;
    } else {
        throw config_error(e.pos, "missing required key 'clock' in " + who + " (a board without CPUs has no default clock)");
    }
    if (const Field* f = e.field("reset")) {
        if (!f->value.IsMap())
            throw config_error(f->pos(), "expected a map { port: NAME, active: low|high, cycles: N } for 'reset'");
        for (auto kv = f->value.begin(); kv != f->value.end(); ++kv) {
            const std::string key = kv->first.Scalar();
            const SourcePos at = pos_of(f->file, kv->second);
            if (!contains(kRtlResetKeys, key))
                throw config_error(pos_of(f->file, kv->first), "unknown key '" + key + "' in 'reset' (expected one of: " +
                                                                   join(kRtlResetKeys) + ")");
            if (key == "port") {
                if (!kv->second.IsScalar() || kv->second.Scalar().empty())
                    throw config_error(at, "expected a port name for 'port'");
                r.reset_port = kv->second.Scalar();
            } else if (key == "active") {
                const std::string v = kv->second.IsScalar() ? kv->second.Scalar() : "";
                if (v != "low" && v != "high") throw config_error(at, "expected low or high for 'active'");
                r.reset_active_low = v == "low";
            } else {
                r.reset_cycles = unsigned_value(kv->second, at, "cycles", 1'000'000);
            }
        }
    }
    if (const Field* f = e.field("clocking")) {
        try {
            r.per_edge = presil::rtl::parse_clocking(scalar(*f, "lazy or per-edge")) == presil::rtl::Clocking::PerEdge;
        } catch (const presil::rtl::RtlError&) {
            throw config_error(f->pos(), "unknown clocking '" + f->value.Scalar() + "' (expected lazy or per-edge)");
        }
    }
    if (const Field* f = e.field("sync")) {
        r.sync = time_value(*f);
        if (r.sync == sc_core::SC_ZERO_TIME) throw config_error(f->pos(), "expected a sync period greater than zero");
    }
    if (const Field* f = e.field("prefix")) r.prefix = f->value.IsNull() ? "" : scalar(*f, "a port name prefix");
    if (const Field* f = e.field("ports")) {
        if (!f->value.IsMap())
            throw config_error(f->pos(), "expected a map of conventional port name to the RTL's port name for 'ports'");
        for (auto kv = f->value.begin(); kv != f->value.end(); ++kv) {
            if (!kv->second.IsScalar() || kv->second.Scalar().empty())
                throw config_error(pos_of(f->file, kv->second), "expected a port name for '" + kv->first.Scalar() + "'");
            r.ports.emplace_back(kv->first.Scalar(), kv->second.Scalar());
        }
    }
    if (const Field* f = e.field("irq")) r.irqs = irq_bindings(*f);
    if (const Field* f = e.field("trace")) r.trace = scalar(*f, "a VCD file name");
    if (const Field* f = e.field("check")) r.check = bool_value(*f);
    if (const Field* f = e.field("check_timeout")) r.check_timeout = unsigned_value(f->value, f->pos(), "check_timeout", 1'000'000);
    return r;
}

}  // namespace

std::string RtlDesc::what() const {
    return model.empty() ? "plugin " + fs::path(plugin).filename().string() : "model " + model;
}

BoardDesc load_board(const std::string& path) {
    RawBoard raw;
    Reader{}.read(path, nullptr, raw);

    BoardDesc b;
    b.file = path;
    b.pos = raw.doc_pos;
    for (std::string_view key : kTopRequired)
        if (!raw.field(key)) throw config_error(raw.doc_pos, "missing required key '" + std::string(key) + "'");
    b.name = scalar(*raw.field("board"), "a board name");
    if (const Field* f = raw.field("description")) b.description = scalar(*f, "a one-line description");
    b.quantum = sc_core::sc_time(static_cast<double>(kDefaultQuantumPs), sc_core::SC_PS);
    if (const Field* f = raw.field("quantum")) {
        b.quantum = time_value(*f);
        if (b.quantum == sc_core::SC_ZERO_TIME) throw config_error(f->pos(), "expected a quantum greater than zero");
    }
    if (const Field* f = raw.field("semihosting")) b.semihosting = bool_value(*f);

    for (const RawEntry& e : raw.lists["cpus"]) {
        check_keys(e, "CPU", kCpuKeys, kCpuRequired);
        CpuDesc c;
        c.name = e.name;
        c.pos = e.pos;
        c.isa = scalar(*e.field("isa"), "an isa name");
        c.isa_pos = e.field("isa")->pos();
        if (!find_cpu_type(c.isa))
            throw config_error(c.isa_pos, "unknown CPU isa '" + c.isa + "' (registered: " + registered_cpus() + ")");
        c.model = e.field("model") ? scalar(*e.field("model"), "a core model name") : c.isa;
        c.timing = e.field("timing") ? scalar(*e.field("timing"), "a timing table name") : c.model;
        c.clock_hz = frequency_value(*e.field("clock"));
        c.options = e.options;
        b.cpus.push_back(std::move(c));
    }

    for (const RawEntry& e : raw.lists["memories"]) {
        check_keys(e, "memory", kMemoryKeys, kMemoryRequired);
        MemoryDesc m;
        m.name = e.name;
        m.pos = e.pos;
        const Field& type = *e.field("type");
        m.type = scalar(type, "a memory type");
        if (!contains(kMemoryTypes, m.type))
            throw config_error(type.pos(), "unknown memory type '" + m.type + "' (expected one of: " + join(kMemoryTypes) + ")");
        m.base = size_value(*e.field("base"), "an address");
        m.base_pos = e.field("base")->pos();
        m.size = size_value(*e.field("size"), "a size");
        m.size_pos = e.field("size")->pos();
        if (const Field* f = e.field("latency")) m.latency = time_value(*f);
        if (const Field* f = e.field("image")) {
            fs::path image = scalar(*f, "an image file name");
            m.image = (fs::path(*f->file).parent_path() / image).string();
            m.image_pos = f->pos();
        }
        b.memories.push_back(std::move(m));
    }

    for (const RawEntry& e : raw.lists["devices"]) {
        check_keys(e, "device", kDeviceKeys, kDeviceRequired);
        DeviceDesc d;
        d.name = e.name;
        d.pos = e.pos;
        const Field& type = *e.field("type");
        d.type = scalar(type, "a device type");
        d.type_pos = type.pos();
        if (!find_device_type(d.type))
            throw config_error(d.type_pos, "unknown device type '" + d.type + "' (registered: " + registered_devices() + ")");
        d.base = size_value(*e.field("base"), "an address");
        d.base_pos = e.field("base")->pos();
        d.size = size_value(*e.field("size"), "a size");
        d.size_pos = e.field("size")->pos();
        if (const Field* f = e.field("irq")) d.irqs = irq_bindings(*f);
        d.options = e.options;
        b.devices.push_back(std::move(d));
    }

    for (const RawEntry& e : raw.lists["rtl"]) b.rtl.push_back(rtl_entry(e, b));

    // Names are SystemC module names: unique across the board.
    std::map<std::string, SourcePos> names;
    auto claim = [&](const std::string& name, const SourcePos& pos) {
        auto [it, added] = names.emplace(name, pos);
        if (!added)
            throw config_error(pos, "name '" + name + "' is already used (at " + it->second.str() + ")");
    };
    for (const CpuDesc& c : b.cpus) claim(c.name, c.pos);
    for (const MemoryDesc& m : b.memories) claim(m.name, m.pos);
    for (const DeviceDesc& d : b.devices) claim(d.name, d.pos);
    for (const RtlDesc& r : b.rtl) claim(r.name, r.pos);

    // Address ranges: non-empty, inside the first CPU's address space, no overlaps.
    unsigned address_bits = 32;
    std::string space_owner = "a 32-bit bus";
    if (!b.cpus.empty()) {
        address_bits = find_cpu_type(b.cpus.front().isa)->traits.address_bits;
        space_owner = "CPU '" + b.cpus.front().name + "' (" + b.cpus.front().isa + ")";
    }
    std::vector<Region> regions;
    for (const MemoryDesc& m : b.memories) regions.push_back({"memory '" + m.name + "'", m.base, m.size, m.base_pos, m.size_pos});
    for (const DeviceDesc& d : b.devices) regions.push_back({"device '" + d.name + "'", d.base, d.size, d.base_pos, d.size_pos});
    for (const RtlDesc& r : b.rtl) regions.push_back({"RTL peripheral '" + r.name + "'", r.base, r.size, r.base_pos, r.size_pos});
    const uint64_t space_end = address_bits >= 64 ? std::numeric_limits<uint64_t>::max() : (uint64_t{1} << address_bits);
    for (size_t j = 0; j < regions.size(); ++j) {
        const Region& r = regions[j];
        if (r.size == 0) throw config_error(r.size_pos, "expected a size greater than zero for " + r.what);
        if (r.base >= space_end || r.size > space_end - r.base)
            throw config_error(r.size_pos, r.what + " at " + hex(r.base) + " with size " + format_size(r.size) +
                                               " does not fit in the " + std::to_string(address_bits) +
                                               "-bit address space of " + space_owner);
        for (size_t i = 0; i < j; ++i) {
            const Region& o = regions[i];
            if (r.base < o.base + o.size && o.base < r.base + r.size)
                throw config_error(r.base_pos, r.what + " [" + hex(r.base) + ", " + hex(r.base + r.size - 1) + "] overlaps " +
                                                   o.what + " [" + hex(o.base) + ", " + hex(o.base + o.size - 1) +
                                                   "] defined at " + o.base_pos.str());
        }
    }

    // Each interrupt-controller input is driven by one output only.
    std::map<unsigned, std::pair<std::string, SourcePos>> lines;
    for (const DeviceDesc& d : b.devices)
        for (const IrqBinding& irq : d.irqs) {
            std::string who = irq.output.empty() ? "device '" + d.name + "'" : "output '" + irq.output + "' of device '" + d.name + "'";
            auto [it, added] = lines.emplace(irq.line, std::make_pair(who, irq.pos));
            if (!added)
                throw config_error(irq.pos, "IRQ " + std::to_string(irq.line) + " (" + who + ") is already bound to " +
                                                it->second.first + " at " + it->second.second.str());
        }
    for (const RtlDesc& r : b.rtl)
        for (const IrqBinding& irq : r.irqs) {
            std::string who = irq.output.empty() ? "RTL peripheral '" + r.name + "'"
                                                 : "port '" + irq.output + "' of RTL peripheral '" + r.name + "'";
            auto [it, added] = lines.emplace(irq.line, std::make_pair(who, irq.pos));
            if (!added)
                throw config_error(irq.pos, "IRQ " + std::to_string(irq.line) + " (" + who + ") is already bound to " +
                                                it->second.first + " at " + it->second.second.str());
        }
    if (b.memories.empty() && b.devices.empty() && b.rtl.empty())
        throw config_error(b.pos, "the board has no memories or devices (expected at least one entry in 'memories' or 'devices')");
    if (!lines.empty() && b.cpus.empty())
        throw config_error(b.devices.empty() ? b.rtl.front().pos : b.devices.front().pos,
                           "interrupts are routed but the board has no CPU to receive them");
    return b;
}

}  // namespace presil::platform
