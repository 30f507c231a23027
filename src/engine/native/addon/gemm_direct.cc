// Matrix products in AVX-512 or AVX2 + FMA (simd.h), for the same reason as conv_direct.cc:
// Debian's OpenBLAS may be held to its AVX2 kernels (OPENBLAS_CORETYPE), and the dense layers'
// products then run at half an AVX-512 machine's width. B is packed per block of 256 rows of k
// into panels of 64 columns (zero-padded), A is read in place through its strides (a transposed
// A costs nothing), and each 6 × 64 block of C (6 × 16 in AVX2's 16 registers) is accumulated
// in registers. Every element of C is summed over k in ascending order, whatever the blocking
// or the vector width, so results do not depend on the run or the machine.
// Built only under AVX-512: where AVX2 is the widest, OpenBLAS's own kernels for the machine are
// faster (an MLP epoch on an AVX2 EPYC: 2.82 s through sgemm, 3.47 s through these blocks at
// 6 × 16), so there matmul.cc calls sgemm. The code compiles at either width (simd.h).
#include <algorithm>
#include <cstdint>
#include <vector>

#include "kernels.h"
#include "simd.h"

namespace lethe {

#if defined(LETHE_SIMD) && defined(__AVX512F__)

namespace {

using namespace simd;

constexpr int kPanel = 64;   // columns of a packed panel of B
constexpr int kBlockK = 256; // rows of k per packed block
constexpr int kRows = 6;     // rows of C per register block
constexpr int kMaxNV = kMaxAcc / kRows;        // vectors of columns per register block (4, or 2 in AVX2)
constexpr int kBlockCols = kMaxNV * kLanes;    // a panel's columns per register block (64, or 16)
static_assert(kPanel % kBlockCols == 0, "a panel splits into whole register blocks");

// C[i, j0 + j] (+)= Σ_p A(i, p0 + p) · bp[p][j] for rows < rows ≤ kRows, columns < cols ≤ NV·kLanes.
// A(i, p) = a[i·rowStride + p·kStride]; `first` starts from zero, `last` adds bias and act.
template <int NV, bool TA>
void block(const float* a, int64_t rowStride, int64_t kStride, const float* bp, int kc, float* c, int64_t ldc, int rows,
           int cols, bool first, bool last, const float* bias, int act) {
  const Mask mask = firstLanes(cols - (NV - 1) * kLanes);
  Vec acc[kRows][NV];
  _Pragma("GCC unroll 32") for (int i = 0; i < kRows; i++) {
    _Pragma("GCC unroll 32") for (int v = 0; v < NV; v++) {
      if (first || i >= rows) acc[i][v] = zero();
      else if (v == NV - 1) acc[i][v] = loadMasked(mask, c + i * ldc + v * kLanes);
      else acc[i][v] = load(c + i * ldc + v * kLanes);
    }
  }
  // Rows past `rows` read row 0 again (their sums are never stored).
  const float* ar[kRows];
  _Pragma("GCC unroll 32") for (int i = 0; i < kRows; i++) ar[i] = a + (i < rows ? i : 0) * rowStride;
  for (int p = 0; p < kc; p++) {
    Vec b[NV];
    _Pragma("GCC unroll 32") for (int v = 0; v < NV; v++) b[v] = load(bp + p * kPanel + v * kLanes);
    _Pragma("GCC unroll 32") for (int i = 0; i < kRows; i++) {
      const Vec x = broadcast(TA ? ar[0][p * kStride + (i < rows ? i : 0)] : ar[i][p]);
      _Pragma("GCC unroll 32") for (int v = 0; v < NV; v++) acc[i][v] = fmadd(x, b[v], acc[i][v]);
    }
  }
  Vec bv[NV];
  if (last && bias != nullptr) {
    _Pragma("GCC unroll 32") for (int v = 0; v < NV; v++) bv[v] =
        v == NV - 1 ? loadMasked(mask, bias + v * kLanes) : load(bias + v * kLanes);
  }
  _Pragma("GCC unroll 32") for (int i = 0; i < kRows; i++) {
    if (i >= rows) break;
    _Pragma("GCC unroll 32") for (int v = 0; v < NV; v++) {
      Vec r = acc[i][v];
      if (last && bias != nullptr) r = add(r, bv[v]);
      if (last && act == ACT_RELU) r = relu(r);
      float* o = c + i * ldc + v * kLanes;
      if (v == NV - 1) storeMasked(o, mask, r);
      else store(o, r);
    }
  }
}

using BlockFn = void (*)(const float*, int64_t, int64_t, const float*, int, float*, int64_t, int, int, bool, bool,
                         const float*, int);

template <bool TA>
BlockFn blockFor(int nv) {
  if constexpr (kMaxNV >= 4) {
    if (nv == 4) return block<4, TA>;
    if (nv == 3) return block<3, TA>;
  }
  return nv == 2 ? block<2, TA> : block<1, TA>;
}

}  // namespace

bool matmulDirect(const float* a, const float* b, float* c, int m, int n, int k, bool transA, bool transB,
                  const float* bias, int act) {
  if (m <= 0 || n <= 0 || k <= 0) return false;
  // A(i, p): a[i·k + p], or a[p·m + i] transposed. B(p, j): b[p·n + j], or b[j·k + p] transposed.
  const int64_t rowStride = transA ? 1 : k, kStride = transA ? m : 1;
  const int panels = (n + kPanel - 1) / kPanel;
  thread_local std::vector<float> packed;
  for (int p0 = 0; p0 < k; p0 += kBlockK) {
    const int kc = std::min(kBlockK, k - p0);
    packed.resize(size_t(panels) * kc * kPanel);
    for (int q = 0; q < panels; q++) {
      float* dst = packed.data() + size_t(q) * kc * kPanel;
      const int j0 = q * kPanel, w = std::min(kPanel, n - j0);
      for (int p = 0; p < kc; p++) {
        float* row = dst + size_t(p) * kPanel;
        if (!transB) {
          const float* src = b + int64_t(p0 + p) * n + j0;
          for (int j = 0; j < w; j++) row[j] = src[j];
        } else {
          for (int j = 0; j < w; j++) row[j] = b[int64_t(j0 + j) * k + p0 + p];
        }
        for (int j = w; j < kPanel; j++) row[j] = 0.f;
      }
    }
    const bool first = p0 == 0, last = p0 + kc == k;
    for (int q = 0; q < panels; q++) {
      const int j0 = q * kPanel, cols = std::min(kPanel, n - j0);
      // One register block per panel in AVX-512; several narrower ones in AVX2.
      for (int s0 = 0; s0 < cols; s0 += kBlockCols) {
        const int sc = std::min(kBlockCols, cols - s0), j = j0 + s0;
        const BlockFn fn = transA ? blockFor<true>((sc + kLanes - 1) / kLanes) : blockFor<false>((sc + kLanes - 1) / kLanes);
        const float* bp = packed.data() + size_t(q) * kc * kPanel + s0;
        for (int i0 = 0; i0 < m; i0 += kRows) {
          const float* ai = a + int64_t(i0) * rowStride + int64_t(p0) * kStride;
          fn(ai, rowStride, kStride, bp, kc, c + int64_t(i0) * n + j, n, std::min(kRows, m - i0), sc, first, last,
             bias != nullptr ? bias + j : nullptr, act);
        }
      }
    }
  }
  return true;
}

#else

bool matmulDirect(const float*, const float*, float*, int, int, int, bool, bool, const float*, int) { return false; }

#endif

}  // namespace lethe
