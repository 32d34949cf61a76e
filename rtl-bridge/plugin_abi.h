/* SPDX-License-Identifier: Apache-2.0 */
/* The versioned C ABI between presil and a Verilated RTL model (built in or loaded from a plugin). */
#ifndef PRESIL_RTL_BRIDGE_PLUGIN_ABI_H
#define PRESIL_RTL_BRIDGE_PLUGIN_ABI_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** ABI version; a plugin whose descriptor carries another value is refused. */
#define PRESIL_RTL_ABI_VERSION 1u

/** Name of the function a plugin shared library exports (type presil_rtl_entry_fn). */
#define PRESIL_RTL_ENTRY_SYMBOL "presil_rtl_plugin_entry"

/** Bus protocol spoken by the model's bus ports. */
enum presil_rtl_bus { PRESIL_RTL_BUS_APB = 1, PRESIL_RTL_BUS_AXI_LITE = 2 };

/** Direction of a top-level port. */
enum presil_rtl_dir { PRESIL_RTL_IN = 0, PRESIL_RTL_OUT = 1, PRESIL_RTL_INOUT = 2 };

/** One top-level port of the Verilated model. */
typedef struct presil_rtl_port {
    const char* name;   /**< port name as written in the Verilog top */
    uint32_t dir;       /**< enum presil_rtl_dir */
    uint32_t width;     /**< width in bits */
    uint32_t bytes;     /**< storage size: 1, 2, 4, 8, or 4 * words for wide ports */
} presil_rtl_port;

/** Descriptor of one model type; every pointer is required. */
typedef struct presil_rtl_plugin {
    uint32_t abi_version;             /**< PRESIL_RTL_ABI_VERSION at build time */
    uint32_t struct_size;             /**< sizeof(presil_rtl_plugin) at build time */
    const char* top;                  /**< Verilog top module name */
    uint32_t bus;                     /**< enum presil_rtl_bus */
    uint32_t port_count;              /**< entries in ports */
    const presil_rtl_port* ports;     /**< the top's ports */
    /** Creates a model instance named instance_name; returns an opaque handle. */
    void* (*create)(const char* instance_name);
    /** Destroys an instance (runs final blocks, closes its trace). */
    void (*destroy)(void* model);
    /** Evaluates the model once (settles combinational logic, runs triggered processes). */
    void (*eval)(void* model);
    /** Address of port index's storage inside the instance (fast path). */
    void* (*port_data)(void* model, uint32_t index);
    /** Sets an input port by name; returns 0, or -1 if no such input. */
    int (*set_input)(void* model, const char* name, uint64_t value);
    /** Reads a port by name into *value; returns 0, or -1 if no such port. */
    int (*get_output)(void* model, const char* name, uint64_t* value);
    /** Opens a VCD file for the instance (timestamps in ps); returns 0 or -1. */
    int (*trace_open)(void* model, const char* path);
    /** Dumps the current signal values at time_ps. */
    void (*trace_dump)(void* model, uint64_t time_ps);
    /** Flushes and closes the instance's VCD file. */
    void (*trace_close)(void* model);
} presil_rtl_plugin;

/** Type of the exported entry point named PRESIL_RTL_ENTRY_SYMBOL. */
typedef const presil_rtl_plugin* (*presil_rtl_entry_fn)(void);

#ifdef __cplusplus
}
#endif

#endif /* PRESIL_RTL_BRIDGE_PLUGIN_ABI_H */
