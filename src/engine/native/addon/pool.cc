// Max pooling and its gradient over NHWC, channels innermost so every loop is contiguous.
#include <cstring>
#include <limits>
#include <vector>

#include "kernels.h"

namespace lethe {

namespace {

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
