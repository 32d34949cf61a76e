// SPDX-License-Identifier: Apache-2.0
// Interrupt lines: level-sensitive outputs (IrqOut) that notify targets (IrqTarget) on change.
#pragma once

#include <cstdint>
#include <vector>

namespace presil::tlm {

/// Something that receives interrupt lines (an interrupt controller, a CPU, a gate).
class IrqTarget {
public:
    virtual ~IrqTarget() = default;
    /// Input `line` changed to `level`; called synchronously by the driving IrqOut.
    virtual void irq_changed(unsigned line, bool level) = 0;
};

/// A level-sensitive interrupt output; may fan out to several (target, line) inputs.
class IrqOut {
public:
    /// Adds input `line` of `target` to the lines this output drives; it sees the current level
    /// right away if that level is high.
    void connect(IrqTarget& target, unsigned line);
    /// Drives the output; connected inputs are notified only when the level changes.
    void set(bool level);
    /// Raises the output (set(true)).
    void raise() { set(true); }
    /// Lowers the output (set(false)).
    void lower() { set(false); }
    /// The current level.
    bool level() const { return m_level; }
    /// True when at least one input is connected.
    bool connected() const { return !m_sinks.empty(); }

private:
    struct Sink {
        IrqTarget* target;
        unsigned line;
    };
    std::vector<Sink> m_sinks;
    bool m_level = false;
};

/// Shared interrupt line: the output is high while any input is high.
class IrqOrGate : public IrqTarget {
public:
    /// The OR of all inputs.
    IrqOut out;

    /// Connects `source` to a fresh input of this gate; returns the input's line number.
    unsigned connect_input(IrqOut& source);
    /// Input `line` changed (inputs are numbered by the caller or by connect_input).
    void irq_changed(unsigned line, bool level) override;
    /// Number of inputs currently high.
    unsigned active() const { return m_active; }

private:
    std::vector<uint8_t> m_levels;
    unsigned m_active = 0;
};

}  // namespace presil::tlm
