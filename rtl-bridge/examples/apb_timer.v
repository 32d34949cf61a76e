// SPDX-License-Identifier: Apache-2.0
// Example RTL peripheral: APB4 down-counting timer with an interrupt and programmable wait states.
//
// Register map (32-bit registers, byte address offsets):
//   0x00 CTRL      [0] enable  [1] interrupt enable
//   0x04 LOAD      reload value; a write also sets VALUE
//   0x08 VALUE     current counter value (writable)
//   0x0C INTSTATUS [0] interrupt pending (read only; a write is an error)
//   0x10 INTCLEAR  write 1 to bit 0 to clear the pending interrupt
//   0x14 WAIT      wait states inserted into every access phase (PREADY low)
//   0x18 ID        0x41505430 ("APT0"), read only
// Any other offset, or a write to a read-only register, answers PSLVERR.
// When enabled, VALUE decrements on every clock; the edge where it goes from
// 1 to 0 sets INTSTATUS and reloads VALUE from LOAD. irq = INTSTATUS & CTRL[1].
module apb_timer #(
    parameter [7:0] WAIT_STATES = 8'd0
) (
    input  wire        PCLK,
    input  wire        PRESETn,
    input  wire        PSEL,
    input  wire        PENABLE,
    input  wire        PWRITE,
    input  wire [11:0] PADDR,
    input  wire [31:0] PWDATA,
    input  wire [3:0]  PSTRB,
    input  wire [2:0]  PPROT,
    output reg  [31:0] PRDATA,
    output wire        PREADY,
    output wire        PSLVERR,
    output wire        irq
);
    reg [1:0]  ctrl;
    reg [31:0] load;
    reg [31:0] value;
    reg        intstatus;
    reg [7:0]  wait_states;
    reg [7:0]  wait_count;

    wire access = PSEL & PENABLE;
    assign PREADY = (wait_count >= wait_states);
    wire done = access & PREADY;

    wire [9:0] word = PADDR[11:2];
    wire known = (word <= 10'd6);
    wire read_only = (word == 10'd3) || (word == 10'd6);
    assign PSLVERR = done & (~known | (PWRITE & read_only));
    wire do_write = done & PWRITE & known & ~read_only;

    function [31:0] merge(input [31:0] old, input [31:0] data, input [3:0] strb);
        integer i;
        begin
            for (i = 0; i < 4; i = i + 1)
                merge[i*8 +: 8] = strb[i] ? data[i*8 +: 8] : old[i*8 +: 8];
        end
    endfunction

    always @(*) begin
        case (word)
            10'd0: PRDATA = {30'd0, ctrl};
            10'd1: PRDATA = load;
            10'd2: PRDATA = value;
            10'd3: PRDATA = {31'd0, intstatus};
            10'd5: PRDATA = {24'd0, wait_states};
            10'd6: PRDATA = 32'h41505430;
            default: PRDATA = 32'd0;
        endcase
    end

    assign irq = intstatus & ctrl[1];

    always @(posedge PCLK or negedge PRESETn) begin
        if (!PRESETn) begin
            ctrl <= 2'd0;
            load <= 32'd0;
            value <= 32'd0;
            intstatus <= 1'b0;
            wait_states <= WAIT_STATES;
            wait_count <= 8'd0;
        end else begin
            wait_count <= (access & ~PREADY) ? wait_count + 8'd1 : 8'd0;
            if (ctrl[0] && value != 32'd0) begin
                if (value == 32'd1) begin
                    value <= load;
                    intstatus <= 1'b1;
                end else begin
                    value <= value - 32'd1;
                end
            end
            if (do_write) begin
                case (word)
                    10'd0: if (PSTRB[0]) ctrl <= PWDATA[1:0];
                    10'd1: begin
                        load <= merge(load, PWDATA, PSTRB);
                        value <= merge(load, PWDATA, PSTRB);
                    end
                    10'd2: value <= merge(value, PWDATA, PSTRB);
                    10'd4: if (PSTRB[0] && PWDATA[0]) intstatus <= 1'b0;
                    10'd5: if (PSTRB[0]) wait_states <= PWDATA[7:0];
                    default: ;
                endcase
            end
        end
    end

    wire unused = &{1'b0, PPROT, PADDR[1:0]};
endmodule
