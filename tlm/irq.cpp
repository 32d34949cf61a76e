// SPDX-License-Identifier: Apache-2.0
// Interrupt lines: change-only notification to every connected input, and the OR gate.
#include "tlm/irq.h"

namespace presil::tlm {

void IrqOut::connect(IrqTarget& target, unsigned line) {
    m_sinks.push_back({&target, line});
    if (m_level) target.irq_changed(line, true);
}

void IrqOut::set(bool level) {
    if (level == m_level) return;
    m_level = level;
    for (const Sink& s : m_sinks) s.target->irq_changed(s.line, level);
}

unsigned IrqOrGate::connect_input(IrqOut& source) {
    const auto line = static_cast<unsigned>(m_levels.size());
    m_levels.push_back(0);
    source.connect(*this, line);
    return line;
}

void IrqOrGate::irq_changed(unsigned line, bool level) {
    if (line >= m_levels.size()) m_levels.resize(line + 1, 0);
    if (static_cast<bool>(m_levels[line]) == level) return;
    m_levels[line] = level ? 1 : 0;
    m_active = level ? m_active + 1 : m_active - 1;
    out.set(m_active != 0);
}

}  // namespace presil::tlm
