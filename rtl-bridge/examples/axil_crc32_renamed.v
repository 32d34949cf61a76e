// SPDX-License-Identifier: Apache-2.0
// The CRC-32 accelerator behind unconventional port names (lower-case s_axi_ prefix, clk, active-high
// rst, done_irq, RRESP renamed): used to test prefixes, rename maps and reset polarity.
module axil_crc32_renamed (
    input  wire        clk,
    input  wire        rst,
    input  wire        s_axi_awvalid,
    output wire        s_axi_awready,
    input  wire [11:0] s_axi_awaddr,
    input  wire        s_axi_wvalid,
    output wire        s_axi_wready,
    input  wire [31:0] s_axi_wdata,
    input  wire [3:0]  s_axi_wstrb,
    output wire        s_axi_bvalid,
    input  wire        s_axi_bready,
    output wire [1:0]  s_axi_bresp,
    input  wire        s_axi_arvalid,
    output wire        s_axi_arready,
    input  wire [11:0] s_axi_araddr,
    output wire        s_axi_rvalid,
    input  wire        s_axi_rready,
    output wire [31:0] s_axi_rdata,
    output wire [1:0]  s_axi_read_resp,
    output wire        done_irq
);
    axil_crc32 core (
        .ACLK(clk), .ARESETn(~rst),
        .AWVALID(s_axi_awvalid), .AWREADY(s_axi_awready), .AWADDR(s_axi_awaddr), .AWPROT(3'b000),
        .WVALID(s_axi_wvalid), .WREADY(s_axi_wready), .WDATA(s_axi_wdata), .WSTRB(s_axi_wstrb),
        .BVALID(s_axi_bvalid), .BREADY(s_axi_bready), .BRESP(s_axi_bresp),
        .ARVALID(s_axi_arvalid), .ARREADY(s_axi_arready), .ARADDR(s_axi_araddr), .ARPROT(3'b000),
        .RVALID(s_axi_rvalid), .RREADY(s_axi_rready), .RDATA(s_axi_rdata), .RRESP(s_axi_read_resp),
        .irq(done_irq)
    );
endmodule
