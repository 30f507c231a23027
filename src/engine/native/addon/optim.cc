// Kernels that fuse a chain of tfjs element-wise ops into one pass, keeping every
// intermediate rounding of the chain (float32 where tfjs rounds to float32, double where its
// cpu kernel computes in double), so results equal the unfused ones bit for bit.
#include <cmath>
#include <cstring>

#include "kernels.h"

namespace lethe {

namespace {

// One element of the update; every step rounds to float, as each tfjs op does.
inline void adamStep(float w, float g, float m, float v, float& w2, float& m2, float& v2, float b1, float c1, float b2,
                     float c2, float bc1, float bc2, float eps, float nlr) {
  const float mi = m * b1 + g * c1;
  const float vi = v * b2 + (g * g) * c2;
  const float mh = mi / bc1;
  const float vh = vi / bc2;
  const float denom = std::sqrt(vh) + eps;
  m2 = mi;
  v2 = vi;
  w2 = (mh / denom) * nlr + w;
}

}  // namespace

// Constants copied to locals, so the compiler sees no store can change them, and vectorises.
#define LETHE_ADAM_CONSTS                                                                   \
  const float b1 = c.beta1, c1 = c.oneMinusBeta1, b2 = c.beta2, c2 = c.oneMinusBeta2;     \
  const float bc1 = c.biasCorrection1, bc2 = c.biasCorrection2, eps = c.epsilon, nlr = c.negLr;

void adam(const float* __restrict w, const float* __restrict g, const float* __restrict m, const float* __restrict v,
          float* __restrict w2, float* __restrict m2, float* __restrict v2, int64_t n, const AdamConsts& c) {
  LETHE_ADAM_CONSTS
  for (int64_t i = 0; i < n; i++) adamStep(w[i], g[i], m[i], v[i], w2[i], m2[i], v2[i], b1, c1, b2, c2, bc1, bc2, eps, nlr);
}

void adamInPlace(float* __restrict w, const float* __restrict g, float* __restrict m, float* __restrict v, int64_t n,
                 const AdamConsts& c) {
  LETHE_ADAM_CONSTS
  for (int64_t i = 0; i < n; i++) adamStep(w[i], g[i], m[i], v[i], w[i], m[i], v[i], b1, c1, b2, c2, bc1, bc2, eps, nlr);
}

void batchNorm(const float* x, int64_t n, const float* mean, int64_t nm, const float* variance, int64_t nv,
               const float* offset, int64_t no, const float* scale, int64_t ns, double epsilon, float* out) {
  const float one = 1.f, zero = 0.f;
  if (scale == nullptr) scale = &one, ns = 1;
  if (offset == nullptr) offset = &zero, no = 1;
  int64_t mi = 0, vi = 0, oi = 0, si = 0;
  for (int64_t i = 0; i < n; i++) {
    const double y = static_cast<double>(offset[oi]) +
                     (static_cast<double>(x[i]) - mean[mi]) * scale[si] / std::sqrt(static_cast<double>(variance[vi]) + epsilon);
    out[i] = static_cast<float>(y);
    if (++mi == nm) mi = 0;
    if (++vi == nv) vi = 0;
    if (++oi == no) oi = 0;
    if (++si == ns) si = 0;
  }
}

namespace {

// Writes the tile of x's axes d… at out and returns its size.
int64_t tileFrom(int d, const float* x, const int64_t* shape, const int64_t* reps, int rank, float* out) {
  int64_t inner = 1;
  for (int j = d + 1; j < rank; j++) inner *= shape[j];
  int64_t block = 0;
  if (d == rank - 1) {
    std::memcpy(out, x, sizeof(float) * shape[d]);
    block = shape[d];
  } else {
    for (int64_t i = 0; i < shape[d]; i++) block += tileFrom(d + 1, x + i * inner, shape, reps, rank, out + block);
  }
  for (int64_t r = 1; r < reps[d]; r++) std::memcpy(out + r * block, out, sizeof(float) * block);
  return block * reps[d];
}

}  // namespace

void tile(const float* x, const int64_t* shape, const int64_t* reps, int rank, float* out) {
  if (rank == 0) {
    out[0] = x[0];
    return;
  }
  tileFrom(0, x, shape, reps, rank, out);
}

}  // namespace lethe
