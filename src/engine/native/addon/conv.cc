// NHWC convolutions as im2col + sgemm. The patch matrix is built chunk by chunk of output
// positions, so the scratch stays cache-sized and never holds the whole im2col matrix.
#include <cblas.h>

#include <algorithm>
#include <cstring>
#include <vector>

#include "kernels.h"

namespace lethe {

void epilogue(float* out, int64_t rows, int n, const float* bias, int act);

namespace {

// Floats of patch scratch per chunk (4 MB).
constexpr int64_t kChunkFloats = int64_t(1) << 20;

std::vector<float>& scratch(int64_t size) {
  thread_local std::vector<float> buf;
  if (static_cast<int64_t>(buf.size()) < size) buf.resize(size);
  return buf;
}

int64_t chunkRows(int64_t k, int64_t m) {
  return std::min<int64_t>(m, std::max<int64_t>(64, kChunkFloats / std::max<int64_t>(k, 1)));
}

// The convolution reads x directly as the [M, ci] patch matrix.
bool isPointwise(const ConvGeom& g) {
  return g.fh == 1 && g.fw == 1 && g.sy == 1 && g.sx == 1 && g.top == 0 && g.left == 0 && g.oh == g.h &&
         g.ow == g.w;
}

// Rows m0 … m0+mc of the im2col matrix, as [mc, fh*fw*ci]; row m is output position
// (b, oy, ox), column (ky, kx, c) the input it multiplies (0 outside the padded input).
void gather(const float* x, float* p, const ConvGeom& g, int64_t m0, int64_t mc) {
  const int64_t k = int64_t(g.fh) * g.fw * g.ci;
  const size_t rowBytes = sizeof(float) * g.ci;
  int64_t ox = m0 % g.ow, oy = (m0 / g.ow) % g.oh, b = m0 / (int64_t(g.ow) * g.oh);
  for (int64_t j = 0; j < mc; j++) {
    float* dst = p + j * k;
    for (int ky = 0; ky < g.fh; ky++) {
      const int64_t iy = oy * g.sy + int64_t(ky) * g.dy - g.top;
      for (int kx = 0; kx < g.fw; kx++, dst += g.ci) {
        const int64_t ix = ox * g.sx + int64_t(kx) * g.dx - g.left;
        if (iy < 0 || iy >= g.h || ix < 0 || ix >= g.w) {
          if (g.ci == 1) *dst = 0.f;
          else std::memset(dst, 0, rowBytes);
        } else if (g.ci == 1) {
          // A first layer on grey images: one float per tap, not worth a memcpy call.
          *dst = x[(b * g.h + iy) * g.w + ix];
        } else {
          std::memcpy(dst, x + ((b * g.h + iy) * g.w + ix) * g.ci, rowBytes);
        }
      }
    }
    if (++ox == g.ow) {
      ox = 0;
      if (++oy == g.oh) {
        oy = 0;
        b++;
      }
    }
  }
}

// The transpose of gather: adds each row of cols [mc, K] into the inputs it was read from.
void scatterAdd(const float* cols, float* dx, const ConvGeom& g, int64_t m0, int64_t mc) {
  const int64_t k = int64_t(g.fh) * g.fw * g.ci;
  int64_t ox = m0 % g.ow, oy = (m0 / g.ow) % g.oh, b = m0 / (int64_t(g.ow) * g.oh);
  for (int64_t j = 0; j < mc; j++) {
    const float* src = cols + j * k;
    for (int ky = 0; ky < g.fh; ky++) {
      const int64_t iy = oy * g.sy + int64_t(ky) * g.dy - g.top;
      for (int kx = 0; kx < g.fw; kx++, src += g.ci) {
        const int64_t ix = ox * g.sx + int64_t(kx) * g.dx - g.left;
        if (iy < 0 || iy >= g.h || ix < 0 || ix >= g.w) continue;
        float* d = dx + ((b * g.h + iy) * g.w + ix) * g.ci;
        for (int c = 0; c < g.ci; c++) d[c] += src[c];
      }
    }
    if (++ox == g.ow) {
      ox = 0;
      if (++oy == g.oh) {
        oy = 0;
        b++;
      }
    }
  }
}

// Calls body(m0, mc, scratch) for each chunk m0 … m0+mc of the m output rows, in order, the
// scratch holding mc × k floats: the chunking every non-pointwise convolution shares.
template <typename Body>
void forChunks(int64_t m, int64_t k, Body body) {
  const int64_t chunk = chunkRows(k, m);
  float* scratchRows = scratch(chunk * k).data();
  for (int64_t m0 = 0; m0 < m; m0 += chunk) body(m0, std::min(chunk, m - m0), scratchRows);
}

// forChunks with each chunk's im2col rows gathered from x into the scratch, as patches [mc, k].
template <typename Body>
void forPatchChunks(const float* x, const ConvGeom& g, int64_t m, int64_t k, Body body) {
  forChunks(m, k, [&](int64_t m0, int64_t mc, float* patches) {
    gather(x, patches, g, m0, mc);
    body(m0, mc, patches);
  });
}

}  // namespace

void conv2d(const float* x, const float* f, float* out, const ConvGeom& g, const float* bias, int act) {
  const int64_t m = int64_t(g.n) * g.oh * g.ow;
  const int64_t k = int64_t(g.fh) * g.fw * g.ci;
  if (m == 0) return;
  if (conv2dDirect(x, f, out, g, bias, act)) return;
  if (isPointwise(g)) {
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, m, g.co, k, 1.f, x, k, f, g.co, 0.f, out, g.co);
    epilogue(out, m, g.co, bias, act);
    return;
  }
  forPatchChunks(x, g, m, k, [&](int64_t m0, int64_t mc, const float* p) {
    float* o = out + m0 * g.co;
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, mc, g.co, k, 1.f, p, k, f, g.co, 0.f, o, g.co);
    epilogue(o, mc, g.co, bias, act);
  });
}

void conv2dBackpropInput(const float* dy, const float* f, float* dx, const ConvGeom& g) {
  const int64_t m = int64_t(g.n) * g.oh * g.ow;
  const int64_t k = int64_t(g.fh) * g.fw * g.ci;
  if (m > 0 && conv2dBackpropInputDirect(dy, f, dx, g)) return;
  if (isPointwise(g)) {
    // dx [M, ci] = dy [M, co] · fᵀ, f being [ci, co].
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, m, g.ci, g.co, 1.f, dy, g.co, f, g.co, 0.f, dx, g.ci);
    return;
  }
  std::memset(dx, 0, sizeof(float) * int64_t(g.n) * g.h * g.w * g.ci);
  if (m == 0) return;
  forChunks(m, k, [&](int64_t m0, int64_t mc, float* cols) {
    // cols [mc, K] = dy rows · fᵀ, f being [K, co].
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, mc, k, g.co, 1.f, dy + m0 * g.co, g.co, f, g.co, 0.f,
                cols, k);
    scatterAdd(cols, dx, g, m0, mc);
  });
}

void conv2dBackpropFilter(const float* x, const float* dy, float* df, const ConvGeom& g) {
  const int64_t m = int64_t(g.n) * g.oh * g.ow;
  const int64_t k = int64_t(g.fh) * g.fw * g.ci;
  if (m == 0) {
    std::memset(df, 0, sizeof(float) * k * g.co);
    return;
  }
  if (conv2dBackpropFilterDirect(x, dy, df, g)) return;
  if (isPointwise(g)) {
    cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, k, g.co, m, 1.f, x, k, dy, g.co, 0.f, df, g.co);
    return;
  }
  forPatchChunks(x, g, m, k, [&](int64_t m0, int64_t mc, const float* p) {
    // df [K, co] (+)= patchesᵀ · dy rows: already the filter layout [fh, fw, ci, co].
    cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, k, g.co, mc, 1.f, p, k, dy + m0 * g.co, g.co,
                m0 == 0 ? 0.f : 1.f, df, g.co);
  });
}

}  // namespace lethe
