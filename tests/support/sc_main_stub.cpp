// SPDX-License-Identifier: Apache-2.0
// libsystemc.so calls sc_main from its own main(); test binaries that have
// GoogleTest's main still need this symbol to link.
// SystemC declares it extern "C" (sysc/kernel/sc_externs.h).
extern "C" int sc_main(int, char**) { return 0; }
