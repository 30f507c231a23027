// Max pooling and its gradient over NHWC, channels innermost so every loop is contiguous.
#include <algorithm>
#include <cstring>
#include <limits>
#include <vector>

#include "kernels.h"
#include "parallel.h"
#include "simd.h"

namespace lethe {

namespace {

#if defined(LETHE_SIMD)
using namespace simd;

constexpr int kMaxWindow = 64;

// Every window inside the input, and no two windows sharing an input pixel (stride ≥ filter,
// no dilation): the common 2×2 stride-2 'valid' pooling. Then each window is read with whole
// vectors of channels and no bounds checks, and the gradient written without a scatter.
bool disjointInside(const ConvGeom& g) {
  return g.fh <= kMaxWindow && g.fw <= kMaxWindow && g.dy == 1 && g.dx == 1 && g.sy >= g.fh && g.sx >= g.fw && g.top == 0 && g.left == 0 && g.oh > 0 && g.ow > 0 &&
         (g.oh - 1) * g.sy + g.fh <= g.h && (g.ow - 1) * g.sx + g.fw <= g.w;
}

// The offsets (in floats) of a window's taps from its first pixel, in row-major window order.
int windowOffsets(const ConvGeom& g, int64_t* offs) {
  int taps = 0;
  for (int ky = 0; ky < g.fh; ky++)
    for (int kx = 0; kx < g.fw; kx++) offs[taps++] = (int64_t(ky) * g.w + kx) * g.ci;
  return taps;
}

// Calls body(in, out, k, ch) for every window (in: its first pixel in x's layout, out: its
// pixel in the output's) and every vector of channels ch (k: the lanes in use, whole: all of them).
// Windows never share a pixel, so lines of output pixels run on any threads.
template <typename Body>
void forEachDisjointWindow(const ConvGeom& g, Body body) {
  const int c = g.ci, oh = g.oh, ow = g.ow;
  const int64_t rowStep = int64_t(g.sy) * g.w * c, colStep = int64_t(g.sx) * c;
  const int full = c / kLanes * kLanes;
  const Mask all = allLanes(), tail = firstLanes(c - full);
  const int64_t lineFloats = int64_t(g.fh) * g.w * c;
  parallelRange(int64_t(g.n) * oh, std::max<int64_t>(1, kElementGrain / std::max<int64_t>(lineFloats, 1)),
                [&](int64_t begin, int64_t end) {
                  for (int64_t line = begin; line < end; line++) {
                    const int64_t b = line / oh;
                    const int oy = int(line % oh);
                    int64_t in = b * g.h * g.w * c + oy * rowStep;
                    int64_t out = line * ow * c;
                    for (int ox = 0; ox < ow; ox++, in += colStep, out += c) {
                      for (int ch = 0; ch < full; ch += kLanes) body(in + ch, out + ch, all, true);
                      if (full < c) body(in + full, out + full, tail, false);
                    }
                  }
                });
}

// max over each window, per channel: r > o ? r : o in window order (NaN never wins), as below.
void maxPoolDisjoint(const float* x, float* out, const ConvGeom& g) {
  int64_t offs[kMaxWindow * kMaxWindow];
  const int taps = windowOffsets(g, offs);
  const Vec lowest = broadcast(-std::numeric_limits<float>::infinity());
  forEachDisjointWindow(g, [&](int64_t in, int64_t o, Mask k, bool whole) {
    const float* base = x + in;
    Vec best = lowest;
    // max(r, best) is r > best ? r : best, NaN in r included.
    if (whole)
      for (int t = 0; t < taps; t++) best = max(load(base + offs[t]), best);
    else
      for (int t = 0; t < taps; t++) best = max(loadMaskedOr(lowest, k, base + offs[t]), best);
    if (whole) store(out + o, best);
    else storeMasked(out + o, k, best);
  });
}

// dx = dy at the first maximum of each window (strictly greater than all before it, so never
// NaN, and nothing where no value beats -inf), 0 elsewhere in the window; dy + 0 as the
// scatter's 0 + dy gives (-0 becomes +0).
void maxPoolGradDisjoint(const float* dy, const float* x, float* dx, const ConvGeom& g) {
  if (int64_t(g.oh) * g.sy != g.h || int64_t(g.ow) * g.sx != g.w || g.sy != g.fh || g.sx != g.fw)
    std::memset(dx, 0, sizeof(float) * int64_t(g.n) * g.h * g.w * g.ci);  // pixels no window covers
  int64_t offs[kMaxWindow * kMaxWindow];
  const int taps = windowOffsets(g, offs);
  const Vec lowest = broadcast(-std::numeric_limits<float>::infinity());
  const Vec zeros = zero();
  forEachDisjointWindow(g, [&](int64_t in, int64_t o, Mask k, bool whole) {
    const float* base = x + in;
    float* dbase = dx + in;
    Vec best = lowest;
    for (int t = 0; t < taps; t++) best = max(loadMaskedOr(lowest, k, base + offs[t]), best);
    const Vec grad = add(loadMasked(k, dy + o), zeros);
    // Lanes still waiting for their maximum: those where some value beat -inf.
    Mask open = greater(k, best, lowest);
    for (int t = 0; t < taps; t++) {
      const Mask hit = equal(open, loadMasked(k, base + offs[t]), best);
      open = without(open, hit);
      if (whole) store(dbase + offs[t], keep(hit, grad));
      else storeMasked(dbase + offs[t], k, keep(hit, grad));
    }
  });
}
#endif

// Walks the pooling windows of g in output order. For each output pixel, window(o, taps): o is
// the offset of its first channel in the output, and taps(tap) calls tap(i) for each in-bounds
// input pixel of its window in row-major window order, i being that pixel's first channel.
template <typename Window>
void forEachWindow(const ConvGeom& g, Window window) {
  for (int64_t b = 0; b < g.n; b++)
    for (int oy = 0; oy < g.oh; oy++)
      for (int ox = 0; ox < g.ow; ox++)
        window(((b * g.oh + oy) * g.ow + ox) * g.ci, [&](auto tap) {
          for (int ky = 0; ky < g.fh; ky++) {
            const int iy = oy * g.sy + ky * g.dy - g.top;
            if (iy < 0 || iy >= g.h) continue;
            for (int kx = 0; kx < g.fw; kx++) {
              const int ix = ox * g.sx + kx * g.dx - g.left;
              if (ix < 0 || ix >= g.w) continue;
              tap(((b * g.h + iy) * g.w + ix) * g.ci);
            }
          }
        });
}

}  // namespace

void maxPool(const float* x, float* out, const ConvGeom& g) {
#if defined(LETHE_SIMD)
  if (disjointInside(g)) return maxPoolDisjoint(x, out, g);
#endif
  const int c = g.ci;
  const float lowest = -std::numeric_limits<float>::infinity();
  forEachWindow(g, [&](int64_t at, auto taps) {
    float* o = out + at;
    for (int ch = 0; ch < c; ch++) o[ch] = lowest;
    taps([&](int64_t base) {
      const float* r = x + base;
      for (int ch = 0; ch < c; ch++) o[ch] = r[ch] > o[ch] ? r[ch] : o[ch];
    });
  });
}

void maxPoolGrad(const float* dy, const float* x, float* dx, const ConvGeom& g) {
#if defined(LETHE_SIMD)
  if (disjointInside(g)) return maxPoolGradDisjoint(dy, x, dx, g);
#endif
  const int c = g.ci;
  std::memset(dx, 0, sizeof(float) * int64_t(g.n) * g.h * g.w * c);
  thread_local std::vector<float> best;
  thread_local std::vector<int64_t> where;
  best.resize(c);
  where.resize(c);
  const float lowest = -std::numeric_limits<float>::infinity();
  forEachWindow(g, [&](int64_t at, auto taps) {
    for (int ch = 0; ch < c; ch++) {
      best[ch] = lowest;
      where[ch] = -1;
    }
    taps([&](int64_t base) {
      // Strictly greater: the first maximum in window order wins, as in tfjs.
      for (int ch = 0; ch < c; ch++)
        if (x[base + ch] > best[ch]) {
          best[ch] = x[base + ch];
          where[ch] = base + ch;
        }
    });
    const float* d = dy + at;
    for (int ch = 0; ch < c; ch++)
      if (where[ch] >= 0) dx[where[ch]] += d[ch];
  });
}

}  // namespace lethe
