#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
# Checks that a guest ELF file has the expected class and machine (proves a toolchain works).
"""Usage: check_elf.py FILE CLASS MACHINE   (CLASS 32 or 64; MACHINE the e_machine number)"""

import struct
import sys


def main():
    if len(sys.argv) != 4:
        print(__doc__)
        return 2
    path, want_class, want_machine = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    with open(path, "rb") as f:
        header = f.read(64)
    if header[:4] != b"\x7fELF":
        print(f"FAIL: {path} is not an ELF file")
        return 1
    elf_class = {1: 32, 2: 64}.get(header[4])
    e_type, e_machine = struct.unpack_from("<HH", header, 16)
    entry = struct.unpack_from("<I" if elf_class == 32 else "<Q", header, 24)[0]
    errors = []
    if elf_class != want_class:
        errors.append(f"class ELF{elf_class}, expected ELF{want_class}")
    if e_machine != want_machine:
        errors.append(f"machine {e_machine}, expected {want_machine}")
    if e_type != 2:
        errors.append(f"type {e_type}, expected 2 (executable)")
    if entry == 0:
        errors.append("entry point is 0")
    if errors:
        print(f"FAIL: {path}: " + "; ".join(errors))
        return 1
    print(f"PASS: {path}: ELF{elf_class}, machine {e_machine}, entry {entry:#x}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
