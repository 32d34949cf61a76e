// SPDX-License-Identifier: Apache-2.0
// Payload helpers: initialisation and readable names for commands and responses.
#include "tlm/payload.h"

#include <array>
#include <utility>

#include <fmt/format.h>

namespace presil::tlm {

void init_payload(::tlm::tlm_generic_payload& p, ::tlm::tlm_command cmd, uint64_t address,
                  void* data, unsigned length) {
    p.set_command(cmd);
    p.set_address(address);
    p.set_data_ptr(static_cast<unsigned char*>(data));
    p.set_data_length(length);
    p.set_streaming_width(length);
    p.set_byte_enable_ptr(nullptr);
    p.set_byte_enable_length(0);
    p.set_dmi_allowed(false);
    p.set_response_status(::tlm::TLM_INCOMPLETE_RESPONSE);
}

namespace {

constexpr std::array<std::pair<::tlm::tlm_response_status, std::string_view>, 7> kResponseNames{{
    {::tlm::TLM_OK_RESPONSE, "TLM_OK_RESPONSE"},
    {::tlm::TLM_INCOMPLETE_RESPONSE, "TLM_INCOMPLETE_RESPONSE"},
    {::tlm::TLM_GENERIC_ERROR_RESPONSE, "TLM_GENERIC_ERROR_RESPONSE"},
    {::tlm::TLM_ADDRESS_ERROR_RESPONSE, "TLM_ADDRESS_ERROR_RESPONSE"},
    {::tlm::TLM_COMMAND_ERROR_RESPONSE, "TLM_COMMAND_ERROR_RESPONSE"},
    {::tlm::TLM_BURST_ERROR_RESPONSE, "TLM_BURST_ERROR_RESPONSE"},
    {::tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE, "TLM_BYTE_ENABLE_ERROR_RESPONSE"},
}};

constexpr std::array<std::pair<::tlm::tlm_command, std::string_view>, 3> kCommandNames{{
    {::tlm::TLM_READ_COMMAND, "read"},
    {::tlm::TLM_WRITE_COMMAND, "write"},
    {::tlm::TLM_IGNORE_COMMAND, "ignore"},
}};

}  // namespace

std::string_view response_to_string(::tlm::tlm_response_status status) {
    for (const auto& [value, name] : kResponseNames)
        if (value == status) return name;
    return "TLM_<unknown response>";
}

std::string_view command_to_string(::tlm::tlm_command cmd) {
    for (const auto& [value, name] : kCommandNames)
        if (value == cmd) return name;
    return "<unknown command>";
}

std::string describe(const ::tlm::tlm_generic_payload& p) {
    return fmt::format("{} {} byte{} at {:#x}: {}", command_to_string(p.get_command()),
                       p.get_data_length(), p.get_data_length() == 1 ? "" : "s",
                       static_cast<uint64_t>(p.get_address()),
                       response_to_string(p.get_response_status()));
}

}  // namespace presil::tlm
