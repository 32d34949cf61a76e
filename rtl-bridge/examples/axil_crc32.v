// SPDX-License-Identifier: Apache-2.0
// Example RTL peripheral: AXI4-Lite CRC-32 (IEEE 802.3, reflected) accelerator with a done interrupt.
//
// Register map (32-bit registers, byte address offsets):
//   0x00 CTRL     [0] write 1: restart the CRC (self-clearing)  [1] interrupt enable
//   0x04 DATA     write: the bytes enabled by WSTRB enter the CRC, lane 0 first
//   0x08 RESULT   CRC-32 of the bytes so far (final XOR applied), read only
//   0x0C LATENCY  cycles AWREADY/WREADY/ARREADY stay low once VALID is seen (late READY)
//   0x10 ID       0x43524333 ("CRC3"), read only
//   0x14 COUNT    bytes processed since the last restart, read only
//   0x18 STATUS   [0] done (set PROC cycles after a DATA write); write 1 to clear
//   0x1C PROC     processing cycles after each DATA write before STATUS.done
// Offsets 0x20-0xFF and writes to read-only registers answer SLVERR;
// offsets from 0x100 answer DECERR. irq = STATUS.done & CTRL[1].
module axil_crc32 #(
    parameter [7:0] LATENCY = 8'd0
) (
    input  wire        ACLK,
    input  wire        ARESETn,
    input  wire        AWVALID,
    output wire        AWREADY,
    input  wire [11:0] AWADDR,
    input  wire [2:0]  AWPROT,
    input  wire        WVALID,
    output wire        WREADY,
    input  wire [31:0] WDATA,
    input  wire [3:0]  WSTRB,
    output reg         BVALID,
    input  wire        BREADY,
    output reg  [1:0]  BRESP,
    input  wire        ARVALID,
    output wire        ARREADY,
    input  wire [11:0] ARADDR,
    input  wire [2:0]  ARPROT,
    output reg         RVALID,
    input  wire        RREADY,
    output reg  [31:0] RDATA,
    output reg  [1:0]  RRESP,
    output wire        irq
);
    localparam [1:0] OKAY = 2'b00, SLVERR = 2'b10, DECERR = 2'b11;

    reg [31:0] crc;
    reg [31:0] count;
    reg        irq_enable;
    reg [7:0]  latency;
    reg        done;
    reg [31:0] proc;
    reg [31:0] busy;
    reg [7:0]  wcount;
    reg [7:0]  rcount;

    function [31:0] crc_byte(input [31:0] c, input [7:0] b);
        integer i;
        reg [31:0] x;
        begin
            x = c ^ {24'd0, b};
            for (i = 0; i < 8; i = i + 1)
                x = x[0] ? ((x >> 1) ^ 32'hEDB88320) : (x >> 1);
            crc_byte = x;
        end
    endfunction

    function [31:0] crc_word(input [31:0] c, input [31:0] d, input [3:0] strb);
        integer i;
        reg [31:0] x;
        begin
            x = c;
            for (i = 0; i < 4; i = i + 1)
                if (strb[i]) x = crc_byte(x, d[i*8 +: 8]);
            crc_word = x;
        end
    endfunction

    function [2:0] lanes(input [3:0] strb);
        lanes = {2'd0, strb[0]} + {2'd0, strb[1]} + {2'd0, strb[2]} + {2'd0, strb[3]};
    endfunction

    /* verilator lint_off UNUSEDSIGNAL */
    // Response code of an access: DECERR outside the 256-byte window,
    // SLVERR on a hole or a write to a read-only register.
    function [1:0] resp_of(input [11:0] addr, input is_write);
        reg [9:0] word;
        begin
            word = addr[11:2];
            if (addr[11:8] != 4'd0) resp_of = DECERR;
            else if (word > 10'd7) resp_of = SLVERR;
            else if (is_write && (word == 10'd2 || word == 10'd4 || word == 10'd5)) resp_of = SLVERR;
            else resp_of = OKAY;
        end
    endfunction
    /* verilator lint_on UNUSEDSIGNAL */

    assign AWREADY = AWVALID & WVALID & ~BVALID & (wcount >= latency);
    assign WREADY = AWREADY;
    assign ARREADY = ARVALID & ~RVALID & (rcount >= latency);
    assign irq = done & irq_enable;

    wire       wr = AWREADY;
    wire [1:0] wresp = resp_of(AWADDR, 1'b1);
    wire [9:0] wword = AWADDR[11:2];
    wire       wr_ok = wr & (wresp == OKAY);
    wire [9:0] rword = ARADDR[11:2];

    always @(posedge ACLK or negedge ARESETn) begin
        if (!ARESETn) begin
            crc <= 32'hFFFFFFFF;
            count <= 32'd0;
            irq_enable <= 1'b0;
            latency <= LATENCY;
            done <= 1'b0;
            proc <= 32'd0;
            busy <= 32'd0;
            wcount <= 8'd0;
            rcount <= 8'd0;
            BVALID <= 1'b0;
            BRESP <= OKAY;
            RVALID <= 1'b0;
            RDATA <= 32'd0;
            RRESP <= OKAY;
        end else begin
            wcount <= (AWVALID & WVALID & ~BVALID & ~AWREADY) ? wcount + 8'd1 : 8'd0;
            rcount <= (ARVALID & ~RVALID & ~ARREADY) ? rcount + 8'd1 : 8'd0;
            if (busy != 32'd0) begin
                busy <= busy - 32'd1;
                if (busy == 32'd1) done <= 1'b1;
            end
            if (BVALID & BREADY) BVALID <= 1'b0;
            if (RVALID & RREADY) RVALID <= 1'b0;
            if (wr) begin
                BVALID <= 1'b1;
                BRESP <= wresp;
            end
            if (wr_ok) begin
                case (wword)
                    10'd0: begin
                        if (WSTRB[0] && WDATA[0]) begin
                            crc <= 32'hFFFFFFFF;
                            count <= 32'd0;
                        end
                        if (WSTRB[0]) irq_enable <= WDATA[1];
                    end
                    10'd1: begin
                        crc <= crc_word(crc, WDATA, WSTRB);
                        count <= count + {29'd0, lanes(WSTRB)};
                        if (proc == 32'd0) done <= 1'b1;
                        else busy <= proc;
                    end
                    10'd3: if (WSTRB[0]) latency <= WDATA[7:0];
                    10'd6: if (WSTRB[0] && WDATA[0]) done <= 1'b0;
                    10'd7: proc <= WDATA;
                    default: ;
                endcase
            end
            if (ARREADY) begin
                RVALID <= 1'b1;
                RRESP <= resp_of(ARADDR, 1'b0);
                case (rword)
                    10'd0: RDATA <= {30'd0, irq_enable, 1'b0};
                    10'd2: RDATA <= ~crc;
                    10'd3: RDATA <= {24'd0, latency};
                    10'd4: RDATA <= 32'h43524333;
                    10'd5: RDATA <= count;
                    10'd6: RDATA <= {31'd0, done};
                    10'd7: RDATA <= proc;
                    default: RDATA <= 32'd0;
                endcase
            end
        end
    end

    wire unused = &{1'b0, AWPROT, ARPROT, AWADDR[1:0], ARADDR[1:0]};
endmodule
