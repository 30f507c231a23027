// Lethe's own kernel threads (OpenBLAS keeps its own, see addon.ts). A kernel splits its output
// into parts that never share an element, and parallelFor hands the parts out one at a time to
// whichever thread is free, the calling thread included. Each element is still computed by one
// thread in the kernel's one fixed order, so results do not depend on the thread count or on
// which thread took which part. A thread that another process keeps off its core delays at most
// the part it holds: the others take the rest.
#pragma once
#include <cstdint>
#include <functional>

namespace lethe {

// Threads for the kernels (≥ 1, the calling thread counted); 1 runs every part on the caller.
void setKernelThreads(int n);
int kernelThreads();

// body(part) for part in [0, parts), on up to kernelThreads() threads. Called from inside a body, or
// while another thread's call holds the pool, it runs the parts itself, in order.
void parallelFor(int64_t parts, const std::function<void(int64_t)>& body);

// How many parts to cut `units` of work into: enough for the threads to even out, at least
// `minUnits` units each, never more parts than units.
int64_t partsFor(int64_t units, int64_t minUnits);

// body(begin, end) over contiguous ranges covering [0, size), each at least `grain` long (the
// last may be shorter), in parallel.
template <typename Body>
void parallelRange(int64_t size, int64_t grain, Body body) {
  const int64_t parts = partsFor(size, grain);
  if (parts <= 1) {
    if (size > 0) body(int64_t(0), size);
    return;
  }
  parallelFor(parts, [&](int64_t p) { body(size * p / parts, size * (p + 1) / parts); });
}

// Element-wise kernels below this many elements run on the calling thread alone: waking a thread
// costs more than the pass.
constexpr int64_t kElementGrain = int64_t(1) << 16;

}  // namespace lethe
