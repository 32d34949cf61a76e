// SPDX-License-Identifier: Apache-2.0
// libsystemc.so calls sc_main from its own main(); test binaries that have
// GoogleTest's main still need this symbol to link.
int sc_main(int, char**) { return 0; }
