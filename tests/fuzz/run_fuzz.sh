#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Runs one libFuzzer program for a fixed time: new inputs go to WORK/corpus (kept between runs),
# a crashing input to WORK/crash-*, and libFuzzer's final statistics (executions) to the log.
# Usage: run_fuzz.sh FUZZER SEED_DIR WORK_DIR SECONDS [extra libFuzzer flags...]
set -eu
fuzzer=$1 seeds=$2 work=$3 seconds=$4
shift 4
mkdir -p "$work/corpus"
exec "$fuzzer" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$work/" "$@" "$work/corpus" "$seeds"
