// SPDX-License-Identifier: Apache-2.0
// Tests for the payload helpers.
#include "tlm/payload.h"

#include <gtest/gtest.h>

namespace presil::tlm {
namespace {

TEST(Payload, MakeWriteSetsEveryField) {
    ::tlm::tlm_generic_payload p;
    uint8_t be[2] = {0xff, 0};
    p.set_byte_enable_ptr(be);
    p.set_byte_enable_length(2);
    p.set_response_status(::tlm::TLM_OK_RESPONSE);
    uint32_t v = 0x1234;
    make_write(p, 0x40004000, &v, 4);
    EXPECT_EQ(p.get_command(), ::tlm::TLM_WRITE_COMMAND);
    EXPECT_EQ(p.get_address(), 0x40004000u);
    EXPECT_EQ(p.get_data_ptr(), reinterpret_cast<unsigned char*>(&v));
    EXPECT_EQ(p.get_data_length(), 4u);
    EXPECT_EQ(p.get_streaming_width(), 4u);
    EXPECT_EQ(p.get_byte_enable_ptr(), nullptr);
    EXPECT_EQ(p.get_response_status(), ::tlm::TLM_INCOMPLETE_RESPONSE);
    make_read(p, 8, &v, 2);
    EXPECT_EQ(p.get_command(), ::tlm::TLM_READ_COMMAND);
    EXPECT_EQ(p.get_data_length(), 2u);
}

TEST(Payload, ByteEnablePatternRepeats) {
    ::tlm::tlm_generic_payload p;
    uint8_t data[4] = {};
    make_read(p, 0, data, 4);
    EXPECT_TRUE(byte_enabled(p, 3));
    uint8_t be[2] = {0xff, 0x00};
    p.set_byte_enable_ptr(be);
    p.set_byte_enable_length(2);
    EXPECT_TRUE(byte_enabled(p, 0));
    EXPECT_FALSE(byte_enabled(p, 1));
    EXPECT_TRUE(byte_enabled(p, 2));
    EXPECT_FALSE(byte_enabled(p, 3));
}

TEST(Payload, NamesAndDescription) {
    EXPECT_EQ(response_to_string(::tlm::TLM_ADDRESS_ERROR_RESPONSE), "TLM_ADDRESS_ERROR_RESPONSE");
    EXPECT_EQ(response_to_string(::tlm::TLM_OK_RESPONSE), "TLM_OK_RESPONSE");
    EXPECT_EQ(command_to_string(::tlm::TLM_READ_COMMAND), "read");
    ::tlm::tlm_generic_payload p;
    uint32_t v = 0;
    make_write(p, 0x40004000, &v, 4);
    p.set_response_status(::tlm::TLM_COMMAND_ERROR_RESPONSE);
    EXPECT_EQ(describe(p), "write 4 bytes at 0x40004000: TLM_COMMAND_ERROR_RESPONSE");
    make_read(p, 0x10, &v, 1);
    EXPECT_EQ(describe(p), "read 1 byte at 0x10: TLM_INCOMPLETE_RESPONSE");
}

}  // namespace
}  // namespace presil::tlm
