// SPDX-License-Identifier: Apache-2.0
// The yardstick for a quantum sync: the host CPU time of one bare SystemC wait(), a thread that
// does nothing but wait for a fixed time again and again (what every quantum-keeping initiator
// pays at least once per quantum). Prints one line of JSON; ci/bench puts it next to presil's
// cost per sync.
#include <systemc>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>

namespace {

struct Waiter : sc_core::sc_module {
  SC_HAS_PROCESS(Waiter);
  explicit Waiter(sc_core::sc_module_name name) : sc_core::sc_module(name) { SC_THREAD(run); }
  void run() {
    for (;;) sc_core::wait(10, sc_core::SC_US);
  }
};

double cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return double(ts.tv_sec) + double(ts.tv_nsec) * 1e-9;
}

}  // namespace

int sc_main(int argc, char** argv) {
  const long waits = argc > 1 ? std::strtol(argv[1], nullptr, 10) : 2000000;
  if (waits <= 0) {
    std::fprintf(stderr, "usage: %s [WAITS]\n", argv[0]);
    return 2;
  }
  Waiter waiter("waiter");
  sc_core::sc_start(sc_core::SC_ZERO_TIME);  // elaboration and the first activation outside the timing
  const double start = cpu_seconds();
  const auto wall_start = std::chrono::steady_clock::now();
  sc_core::sc_start(sc_core::sc_time(10.0 * double(waits), sc_core::SC_US));
  const double seconds = cpu_seconds() - start;
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
  std::printf("{\"waits\": %ld, \"cpu_seconds\": %.6f, \"wall_seconds\": %.6f, \"ns_per_wait\": %.1f, "
              "\"wall_ns_per_wait\": %.1f}\n",
              waits, seconds, wall, seconds * 1e9 / double(waits), wall * 1e9 / double(waits));
  return 0;
}
