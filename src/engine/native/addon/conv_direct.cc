// Direct ("implicit GEMM") NHWC convolutions in AVX-512 or AVX2 + FMA (simd.h), without an
// im2col matrix: every output row (one pixel's channels) is accumulated in registers from the
// input pixels its taps read, through a small table of pointers per block of rows (a tap that
// falls in the padding reads a row of zeros). The three kernels of a convolution's training step share it:
//   forward       out[m, j] = Σ_t Σ_c x(m, t)[c] · f[t, c, j]
//   input grad    dx[m, c]  = Σ_t Σ_j dy(m, t)[j] · f[t, c, j]   (the transposed convolution)
//   filter grad   df[t, c, j] = Σ_m x(m, t)[c] · dy[m, j]
// Each output element is summed in one fixed order (taps, then channels; or, for the filter
// gradient, rows m ascending within parts of kFilterPartRows rows, then the parts in order), so
// results do not depend on the blocking, the threads (parallel.h) or the run, and the forward
// and input-gradient rows not on the batch size either. OpenBLAS is not used
// here: Debian's OpenBLAS may run AVX2 kernels only (OPENBLAS_CORETYPE), this code uses the
// full vector width the machine has. The vector width changes only how many columns share a
// register, never an element's order of sums, so AVX2 and AVX-512 give the same bits. Built only
// where the compiler targets AVX-512F or AVX2 + FMA; elsewhere every entry point returns false
// and conv.cc runs im2col + sgemm.
#include <cstdint>
#include <algorithm>
#include <cstring>
#include <vector>

#include "kernels.h"
#include "parallel.h"
#include "simd.h"

namespace lethe {

#if defined(LETHE_SIMD)

namespace {

using namespace simd;

// Vectors of columns per register block at 6 rows (4 of 16 floats, or 2 of 8), and so the
// columns of one block.
constexpr int kMaxNV = kMaxAcc / 6;
constexpr int kBlockCols = kMaxNV * kLanes;
// Filters up to this height and width run here; larger ones in im2col + sgemm.
constexpr int kMaxTaps = 64;

// The image a kernel's rows read from and how row m and tap t map onto its pixels.
struct Source {
  const float* data;
  int n, h, w, c;   // the image read (NHWC)
  int rh, rw;       // the grid of rows: row m is pixel (b, y, x) of an n × rh × rw grid
  int fh, fw;       // taps
  int sy, sx, dy, dx, top, left;
  bool transposed;  // false: reads (y·sy + ky·dy − top, …); true: the pixel whose forward taps reached (y, x)
};

// Where tap k of a row at position p (along one axis) reads in an image of `size` pixels: the
// pixel index, or -1 for padding.
inline int tapIndex(const Source& s, int p, int k, int stride, int dil, int pad, int size) {
  if (!s.transposed) {
    const int i = p * stride + k * dil - pad;
    return i >= 0 && i < size ? i : -1;
  }
  // The transposed convolution: the output pixel o whose tap k read p (o·stride + k·dil − pad = p).
  const int q = p + pad - k * dil;
  if (q < 0) return -1;
  if (stride == 1) return q < size ? q : -1;
  return q % stride == 0 && q / stride < size ? q / stride : -1;
}

// ptrs[t * R + i] = the c floats row m0 + i reads at tap t, or zero (rows ≥ rows too).
template <int R>
void rowPointers(const Source& s, int64_t m0, int rows, const float* zero, const float** ptrs) {
  const int taps = s.fh * s.fw;
  int x = int(m0 % s.rw), y = int((m0 / s.rw) % s.rh);
  int64_t b = m0 / (int64_t(s.rw) * s.rh);
  // Small filters only reach here (conv2dDirect checks), so these fit on the stack.
  int iy[kMaxTaps], ix[kMaxTaps];
  for (int i = 0; i < R; i++) {
    if (i >= rows) {
      for (int t = 0; t < taps; t++) ptrs[t * R + i] = zero;
      continue;
    }
    for (int ky = 0; ky < s.fh; ky++) iy[ky] = tapIndex(s, y, ky, s.sy, s.dy, s.top, s.h);
    for (int kx = 0; kx < s.fw; kx++) ix[kx] = tapIndex(s, x, kx, s.sx, s.dx, s.left, s.w);
    const float* image = s.data + b * s.h * s.w * s.c;
    for (int ky = 0; ky < s.fh; ky++)
      for (int kx = 0; kx < s.fw; kx++)
        ptrs[(ky * s.fw + kx) * R + i] =
            iy[ky] < 0 || ix[kx] < 0 ? zero : image + (int64_t(iy[ky]) * s.w + ix[kx]) * s.c;
    if (++x == s.rw) {
      x = 0;
      if (++y == s.rh) {
        y = 0;
        b++;
      }
    }
  }
}

// The lanes of the last of nv vectors over cols columns.
inline Mask tailMask(int cols, int nv) { return firstLanes(cols - (nv - 1) * kLanes); }

// Rows m0 … m0+rows (≤ R) of out[·, j0 … j0+cols] (cols ≤ NV·kLanes) = Σ_t Σ_c ptrs[t][i][c] · w[t, c, j].
template <int R, int NV>
void gemmRows(const float* const* ptrs, const int* tapOf, int taps, int c, const float* w, int ldw, float* out, int ldo,
              int rows, int cols, const float* bias, int act) {
  Vec acc[R][NV];
  _Pragma("GCC unroll 32") for (int i = 0; i < R; i++)
    _Pragma("GCC unroll 32") for (int v = 0; v < NV; v++) acc[i][v] = zero();
  const Mask mask = tailMask(cols, NV);
  for (int t = 0; t < taps; t++) {
    const float* p[R];
    _Pragma("GCC unroll 32") for (int i = 0; i < R; i++) p[i] = ptrs[t * R + i];
    const float* wt = w + int64_t(tapOf != nullptr ? tapOf[t] : t) * c * ldw;
    for (int ch = 0; ch < c; ch++) {
      Vec b[NV];
      _Pragma("GCC unroll 32") for (int v = 0; v < NV - 1; v++) b[v] = load(wt + v * kLanes);
      b[NV - 1] = loadMasked(mask, wt + (NV - 1) * kLanes);
      _Pragma("GCC unroll 32") for (int i = 0; i < R; i++) {
        const Vec a = broadcast(p[i][ch]);
        _Pragma("GCC unroll 32") for (int v = 0; v < NV; v++) acc[i][v] = fmadd(a, b[v], acc[i][v]);
      }
      wt += ldw;
    }
  }
  Vec bv[NV];
  if (bias != nullptr) {
    _Pragma("GCC unroll 32") for (int v = 0; v < NV - 1; v++) bv[v] = load(bias + v * kLanes);
    bv[NV - 1] = loadMasked(mask, bias + (NV - 1) * kLanes);
  }
  _Pragma("GCC unroll 32") for (int i = 0; i < R; i++) {
    if (i >= rows) break;
    float* o = out + int64_t(i) * ldo;
    _Pragma("GCC unroll 32") for (int v = 0; v < NV; v++) {
      Vec r = acc[i][v];
      if (bias != nullptr) r = add(r, bv[v]);
      if (act == ACT_RELU) r = relu(r);
      if (v == NV - 1) storeMasked(o + v * kLanes, mask, r);
      else store(o + v * kLanes, r);
    }
  }
}

template <int R>
using GemmRowsFn = void (*)(const float* const*, const int*, int, int, const float*, int, float*, int, int, int, const float*,
                            int);

template <int R>
GemmRowsFn<R> gemmRowsFor(int nv) {
  if constexpr (R * 4 <= kMaxAcc) {
    if (nv == 4) return gemmRows<R, 4>;
  }
  if constexpr (R * 3 <= kMaxAcc) {
    if (nv == 3) return gemmRows<R, 3>;
  }
  if constexpr (R * 2 <= kMaxAcc) {
    if (nv == 2) return gemmRows<R, 2>;
  }
  return gemmRows<R, 1>;
}

std::vector<float>& zeroRow(int64_t size) {
  thread_local std::vector<float> z;
  if (static_cast<int64_t>(z.size()) < size) z.assign(size, 0.f);
  return z;
}

// Below this many channels a row's taps are gathered into one contiguous patch (im2col of R rows,
// in L1) rather than read through a pointer per tap: with one channel (a grey first layer) the
// pointers would cost as much as the arithmetic.
constexpr int kGatherBelow = 8;

// patch[i][t·c + ch] = ptrs[t][i][ch] for the R rows of a pointer table.
template <int R>
void gatherRows(const float* const* ptrs, int taps, int c, float* patch) {
  const int k = taps * c;
  for (int i = 0; i < R; i++)
    for (int t = 0; t < taps; t++) {
      const float* p = ptrs[t * R + i];
      float* d = patch + i * k + t * c;
      for (int ch = 0; ch < c; ch++) d[ch] = p[ch];
    }
}

// patch[j][t·c + ch] for the mc rows m0 … m0+mc of a forward source, line segment by line
// segment: for a fixed tap a segment reads consecutive pixels, so this is a strided copy with
// the bounds decided once per tap and segment rather than a pointer per row and tap.
void gatherPatches(const Source& s, int64_t m0, int mc, float* patch) {
  const int taps = s.fh * s.fw, c = s.c, k = taps * c;
  int done = 0;
  while (done < mc) {
    const int64_t m = m0 + done;
    const int x0 = int(m % s.rw), y = int((m / s.rw) % s.rh);
    const int64_t b = m / (int64_t(s.rw) * s.rh);
    const int len = int(std::min<int64_t>(s.rw - x0, mc - done));
    float* p = patch + int64_t(done) * k;
    const float* image = s.data + b * s.h * s.w * c;
    for (int ky = 0; ky < s.fh; ky++) {
      const int iy = y * s.sy + ky * s.dy - s.top;
      const bool rowOk = iy >= 0 && iy < s.h;
      const float* line = image + int64_t(rowOk ? iy : 0) * s.w * c;
      for (int kx = 0; kx < s.fw; kx++) {
        float* d = p + (ky * s.fw + kx) * c;
        // Segment positions j whose pixel ix = (x0 + j)·sx + kx·dx − left lies inside [0, w).
        int lo = 0, hi = rowOk ? len : 0;
        const int base = x0 * s.sx + kx * s.dx - s.left;
        while (lo < hi && base + lo * s.sx < 0) lo++;
        while (hi > lo && base + (hi - 1) * s.sx >= s.w) hi--;
        for (int j = 0; j < len; j++) {
          if (j >= lo && j < hi) {
            const float* src = line + int64_t(base + j * s.sx) * c;
            if (c == 1) d[int64_t(j) * k] = *src;
            else std::memcpy(d + int64_t(j) * k, src, sizeof(float) * c);
          } else if (c == 1) {
            d[int64_t(j) * k] = 0.f;
          } else {
            std::memset(d + int64_t(j) * k, 0, sizeof(float) * c);
          }
        }
      }
    }
    done += len;
  }
}

// Rows per gathered chunk of a forward convolution with few channels (a few lines of a 28×28 image).
constexpr int kGatherChunk = 512;

// out [m rows of n] = the rows of s times w [taps, s.c, n], + bias, then act. Every output row is
// one block's, and a block's rows are summed alone, so the row ranges run on any threads.
template <int R>
void implicitGemm(const Source& s, const float* w, int n, float* out, const float* bias, int act) {
  const int64_t m = int64_t(s.n) * s.rh * s.rw;
  const int taps = s.fh * s.fw;
  const bool gather = s.c < kGatherBelow && taps > 1;
  const float* zero = zeroRow(s.c).data();
  // Rows of work per unit, for sizing the parts: about 100 k multiply-adds each at least.
  const int64_t unitFlops = int64_t(R) * taps * s.c * n;
  const int64_t minUnits = std::max<int64_t>(1, (int64_t(1) << 17) / std::max<int64_t>(unitFlops, 1));
  if (gather && !s.transposed) {
    // Whole chunks of rows gathered at once, then R-row blocks of one tap of taps·c channels.
    const int k = taps * s.c;
    const int64_t chunks = (m + kGatherChunk - 1) / kGatherChunk;
    parallelRange(chunks, std::max<int64_t>(1, minUnits * R / kGatherChunk), [&](int64_t begin, int64_t end) {
      thread_local std::vector<float> patch;
      thread_local std::vector<const float*> table;
      patch.resize(size_t(kGatherChunk) * k);
      table.resize(R);
      for (int64_t chunk = begin; chunk < end; chunk++) {
        const int64_t c0 = chunk * kGatherChunk;
        const int mc = int(std::min<int64_t>(kGatherChunk, m - c0));
        gatherPatches(s, c0, mc, patch.data());
        for (int r0 = 0; r0 < mc; r0 += R) {
          const int rows = std::min(R, mc - r0);
          for (int i = 0; i < R; i++) table[i] = patch.data() + int64_t(r0 + std::min(i, rows - 1)) * k;
          for (int j0 = 0; j0 < n; j0 += kBlockCols) {
            const int cols = std::min(n - j0, kBlockCols);
            const int nv = (cols + kLanes - 1) / kLanes;
            gemmRowsFor<R>(nv)(table.data(), nullptr, 1, k, w + j0, n, out + (c0 + r0) * n + j0, n, rows, cols,
                               bias != nullptr ? bias + j0 : nullptr, act);
          }
        }
      }
    });
    return;
  }
  parallelRange((m + R - 1) / R, minUnits, [&](int64_t begin, int64_t end) {
    thread_local std::vector<const float*> table, patchRows;
    thread_local std::vector<float> patch;
    thread_local std::vector<int> tapOf;
    table.resize(size_t(taps) * R);
    tapOf.resize(taps);
    if (gather) {
      patch.resize(size_t(R) * taps * s.c);
      patchRows.resize(R);
      for (int i = 0; i < R; i++) patchRows[i] = patch.data() + size_t(i) * taps * s.c;
    }
    for (int64_t block = begin; block < end; block++) {
      const int64_t m0 = block * R;
      const int rows = int(std::min<int64_t>(R, m - m0));
      rowPointers<R>(s, m0, rows, zero, table.data());
      int live = taps;
      if (gather) {
        gatherRows<R>(table.data(), taps, s.c, patch.data());
      } else {
        // Taps that only padding reaches for every row of the block (the top and bottom lines of a
        // 'same' convolution, 3 of 4 taps of a stride-2 transposed one) add nothing: left out.
        live = 0;
        for (int t = 0; t < taps; t++) {
          bool any = false;
          for (int i = 0; i < R; i++) any |= table[t * R + i] != zero;
          if (!any) continue;
          if (live != t)
            for (int i = 0; i < R; i++) table[live * R + i] = table[t * R + i];
          tapOf[live++] = t;
        }
      }
      for (int j0 = 0; j0 < n; j0 += kBlockCols) {
        const int cols = std::min(n - j0, kBlockCols);
        const int nv = (cols + kLanes - 1) / kLanes;
        // Gathered: one "tap" of taps·c channels, the same sums in the same order.
        gemmRowsFor<R>(nv)(gather ? patchRows.data() : table.data(), gather ? nullptr : tapOf.data(), gather ? 1 : live,
                           gather ? taps * s.c : s.c, w + j0, n, out + m0 * n + j0, n, rows, cols,
                           bias != nullptr ? bias + j0 : nullptr, act);
      }
    }
  });
}

void implicitGemm(const Source& s, const float* w, int n, float* out, const float* bias, int act) {
  // As many rows per block as the accumulators of the widest column block allow.
  const int nv = std::min(kMaxNV, (n + kLanes - 1) / kLanes);
#if defined(__AVX512F__)
  if (nv >= 4) return implicitGemm<6>(s, w, n, out, bias, act);
  if (nv == 3) return implicitGemm<8>(s, w, n, out, bias, act);
  if (nv == 2) return implicitGemm<8>(s, w, n, out, bias, act);
  return implicitGemm<16>(s, w, n, out, bias, act);
#else
  if (nv >= 2) return implicitGemm<6>(s, w, n, out, bias, act);
  return implicitGemm<12>(s, w, n, out, bias, act);
#endif
}

// The filter gradient: rows k0 … k0+rows (≤ R) of df [K, n] (+)= Σ_m x(m, t_k)[c_k] · g[m, j], over
// the mc rows of one chunk; cols[t][mm] = the c floats of chunk row mm at tap t.
template <int R, int NV>
void filterRows(const float* const* cols, int mcStride, int mc, const int* tk, const int* ck, const float* g, int ldg,
                float* df, int ldd, int rows, int ncols, bool first) {
  Vec acc[R][NV];
  const Mask mask = tailMask(ncols, NV);
  _Pragma("GCC unroll 32") for (int r = 0; r < R; r++)
    _Pragma("GCC unroll 32") for (int v = 0; v < NV; v++)
      acc[r][v] = first || r >= rows ? zero()
                  : v == NV - 1       ? loadMasked(mask, df + int64_t(r) * ldd + v * kLanes)
                                      : load(df + int64_t(r) * ldd + v * kLanes);
  const float* const* pr[R];
  int cr[R];
  _Pragma("GCC unroll 32") for (int r = 0; r < R; r++) {
    pr[r] = cols + int64_t(tk[r]) * mcStride;
    cr[r] = ck[r];
  }
  for (int mm = 0; mm < mc; mm++) {
    Vec b[NV];
    const float* gr = g + int64_t(mm) * ldg;
    _Pragma("GCC unroll 32") for (int v = 0; v < NV - 1; v++) b[v] = load(gr + v * kLanes);
    b[NV - 1] = loadMasked(mask, gr + (NV - 1) * kLanes);
    _Pragma("GCC unroll 32") for (int r = 0; r < R; r++) {
      const Vec a = broadcast(pr[r][mm][cr[r]]);
      _Pragma("GCC unroll 32") for (int v = 0; v < NV; v++) acc[r][v] = fmadd(a, b[v], acc[r][v]);
    }
  }
  _Pragma("GCC unroll 32") for (int r = 0; r < R; r++) {
    if (r >= rows) break;
    _Pragma("GCC unroll 32") for (int v = 0; v < NV; v++) {
      float* o = df + int64_t(r) * ldd + v * kLanes;
      if (v == NV - 1) storeMasked(o, mask, acc[r][v]);
      else store(o, acc[r][v]);
    }
  }
}

// filterRows for rows whose values at a chunk row sit side by side: rowAt(mm)[r] is row k0 + r's
// value at chunk row mm, so one pointer (or none) is loaded per chunk row rather than one per row.
// Rows past `rows` repeat the last one.
template <int R, int NV, typename RowAt>
inline void filterRowsAt(RowAt rowAt, int mc, const float* g, int ldg, float* df, int ldd, int rows, int ncols,
                         bool first) {
  Vec acc[R][NV];
  const Mask mask = tailMask(ncols, NV);
  _Pragma("GCC unroll 32") for (int r = 0; r < R; r++)
    _Pragma("GCC unroll 32") for (int v = 0; v < NV; v++)
      acc[r][v] = first || r >= rows ? zero()
                  : v == NV - 1       ? loadMasked(mask, df + int64_t(r) * ldd + v * kLanes)
                                      : load(df + int64_t(r) * ldd + v * kLanes);
  int off[R];
  _Pragma("GCC unroll 32") for (int r = 0; r < R; r++) off[r] = r < rows ? r : rows - 1;
  for (int mm = 0; mm < mc; mm++) {
    Vec b[NV];
    const float* gr = g + int64_t(mm) * ldg;
    const float* pr = rowAt(mm);
    _Pragma("GCC unroll 32") for (int v = 0; v < NV - 1; v++) b[v] = load(gr + v * kLanes);
    b[NV - 1] = loadMasked(mask, gr + (NV - 1) * kLanes);
    _Pragma("GCC unroll 32") for (int r = 0; r < R; r++) {
      const Vec a = broadcast(pr[off[r]]);
      _Pragma("GCC unroll 32") for (int v = 0; v < NV; v++) acc[r][v] = fmadd(a, b[v], acc[r][v]);
    }
  }
  _Pragma("GCC unroll 32") for (int r = 0; r < R; r++) {
    if (r >= rows) break;
    _Pragma("GCC unroll 32") for (int v = 0; v < NV; v++) {
      float* o = df + int64_t(r) * ldd + v * kLanes;
      if (v == NV - 1) storeMasked(o, mask, acc[r][v]);
      else store(o, acc[r][v]);
    }
  }
}

// Gathered rows: patch[mm·k + r] is row k0 + r's value at chunk row mm (patch already offset by k0).
template <int R, int NV>
void filterRowsPatch(const float* patch, int k, int mc, const float* g, int ldg, float* df, int ldd, int rows, int ncols,
                     bool first) {
  filterRowsAt<R, NV>([patch, k](int mm) { return patch + int64_t(mm) * k; }, mc, g, ldg, df, ldd, rows, ncols, first);
}

// Rows of one tap t, channels c0 … c0+rows: rowsOfTap[mm] = cols[t][mm], the c floats chunk row
// mm reads at tap t.
template <int R, int NV>
void filterRowsTap(const float* const* rowsOfTap, int c0, int mc, const float* g, int ldg, float* df, int ldd, int rows,
                   int ncols, bool first) {
  filterRowsAt<R, NV>([rowsOfTap, c0](int mm) { return rowsOfTap[mm] + c0; }, mc, g, ldg, df, ldd, rows, ncols, first);
}

template <int R>
using FilterRowsPatchFn = void (*)(const float*, int, int, const float*, int, float*, int, int, int, bool);

// As filterRowsFor: R was chosen for the widest column block (R·nv ≤ kMaxAcc), so narrower ones fit too.
template <int R>
FilterRowsPatchFn<R> filterRowsPatchFor(int nv) {
  if constexpr (R * 4 <= kMaxAcc) {
    if (nv == 4) return filterRowsPatch<R, 4>;
  }
  if constexpr (R * 3 <= kMaxAcc) {
    if (nv == 3) return filterRowsPatch<R, 3>;
  }
  if constexpr (R * 2 <= kMaxAcc) {
    if (nv == 2) return filterRowsPatch<R, 2>;
  }
  return filterRowsPatch<R, 1>;
}

template <int R>
using FilterRowsTapFn = void (*)(const float* const*, int, int, const float*, int, float*, int, int, int, bool);

template <int R>
FilterRowsTapFn<R> filterRowsTapFor(int nv) {
  if constexpr (R * 4 <= kMaxAcc) {
    if (nv == 4) return filterRowsTap<R, 4>;
  }
  if constexpr (R * 3 <= kMaxAcc) {
    if (nv == 3) return filterRowsTap<R, 3>;
  }
  if constexpr (R * 2 <= kMaxAcc) {
    if (nv == 2) return filterRowsTap<R, 2>;
  }
  return filterRowsTap<R, 1>;
}

template <int R>
using FilterRowsFn = void (*)(const float* const*, int, int, const int*, const int*, const float*, int, float*, int, int,
                              int, bool);

template <int R>
FilterRowsFn<R> filterRowsFor(int nv) {
  if constexpr (R * 4 <= kMaxAcc) {
    if (nv == 4) return filterRows<R, 4>;
  }
  if constexpr (R * 3 <= kMaxAcc) {
    if (nv == 3) return filterRows<R, 3>;
  }
  if constexpr (R * 2 <= kMaxAcc) {
    if (nv == 2) return filterRows<R, 2>;
  }
  return filterRows<R, 1>;
}

// Rows of x per chunk of the filter gradient: its slice of dy stays in L1/L2 across the K rows.
constexpr int kFilterChunk = 128;

// Blocks of df's rows that never straddle two taps, each reading one pointer per chunk row
// (filterRowsTap), at the cost of a partial block per tap where R does not divide the channels.
// In AVX2 the loads of filterRows' pointer per row and chunk row bound it; in AVX-512, with four
// times the columns per block, they do not, and blocks run across taps (filterRows).
constexpr bool kTapBlocks = kLanes < 16;

// Rows m per part of the filter gradient: a multiple of kFilterChunk, and small enough that a
// training batch makes many parts for the threads to share.
constexpr int64_t kFilterPartRows = 16 * kFilterChunk;

// The filter gradient in parts of kFilterPartRows rows m: each part sums its rows in order into
// a partial df of its own (part 0 into df), and the partials are then added to df in part order.
// The parts depend only on m, so the sums, and the bits, do not depend on the threads.
template <int R>
void filterGrad(const Source& s, const float* g, int n, float* df) {
  const int64_t m = int64_t(s.n) * s.rh * s.rw;
  const int taps = s.fh * s.fw;
  const int64_t k = int64_t(taps) * s.c;
  const bool gather = s.c < kGatherBelow && taps > 1;
  const float* zero = zeroRow(gather ? k : s.c).data();
  const int64_t parts = (m + kFilterPartRows - 1) / kFilterPartRows;
  thread_local std::vector<float> partials;
  partials.resize(size_t(parts - 1) * k * n);
  float* const partial = partials.data();
  const int tapsRead = gather ? 1 : taps;
  parallelFor(parts, [&](int64_t p) {
    float* out = p == 0 ? df : partial + (p - 1) * k * n;
    const int64_t begin = p * kFilterPartRows, end = std::min(m, begin + kFilterPartRows);
    // cols[t][mm] for taps 0 … taps-1, and tap `taps` all zeros (the padding rows of a k block).
    // Gathered (few channels): cols[0][mm] is chunk row mm's whole patch of k floats, and the
    // rows of df read tap 0 at offset k, or tap 1 (zeros) for padding.
    thread_local std::vector<const float*> cols;
    thread_local std::vector<float> patch;
    cols.resize(size_t(taps + 1) * kFilterChunk);
    if (gather) patch.resize(size_t(kFilterChunk) * k);
    for (int64_t m0 = begin; m0 < end; m0 += kFilterChunk) {
      const int mc = int(std::min<int64_t>(kFilterChunk, end - m0));
      const bool first = m0 == begin;
      // rowPointers lays its table out as [t][i], the layout of cols.
      if (gather) {
        gatherPatches(s, m0, mc, patch.data());
        for (int i = 0; i < kFilterChunk; i++) cols[i] = patch.data() + size_t(std::min(i, mc - 1)) * k;
      } else {
        rowPointers<kFilterChunk>(s, m0, mc, zero, cols.data());
      }
      for (int i = 0; i < kFilterChunk; i++) cols[size_t(tapsRead) * kFilterChunk + i] = zero;
      const float* gc = g + m0 * n;
      if (kTapBlocks && !gather) {
        for (int t = 0; t < taps; t++)
          for (int c0 = 0; c0 < s.c; c0 += R) {
            const int rows = std::min(R, s.c - c0);
            const int64_t k0 = int64_t(t) * s.c + c0;
            for (int j0 = 0; j0 < n; j0 += kBlockCols) {
              const int ncols = std::min(n - j0, kBlockCols);
              const int nv = (ncols + kLanes - 1) / kLanes;
              filterRowsTapFor<R>(nv)(cols.data() + size_t(t) * kFilterChunk, c0, mc, gc + j0, n, out + k0 * n + j0, n,
                                      rows, ncols, first);
            }
          }
        continue;
      }
      for (int64_t k0 = 0; k0 < k; k0 += R) {
        const int rows = int(std::min<int64_t>(R, k - k0));
        int tk[R], ck[R];
        _Pragma("GCC unroll 32") for (int r = 0; r < R; r++) {
          tk[r] = r >= rows ? tapsRead : gather ? 0 : int((k0 + r) / s.c);
          ck[r] = r >= rows ? 0 : gather ? int(k0 + r) : int((k0 + r) % s.c);
        }
        for (int j0 = 0; j0 < n; j0 += kBlockCols) {
          const int ncols = std::min(n - j0, kBlockCols);
          const int nv = (ncols + kLanes - 1) / kLanes;
          if (gather)
            filterRowsPatchFor<R>(nv)(patch.data() + k0, int(k), mc, gc + j0, n, out + k0 * n + j0, n, rows, ncols, first);
          else
            filterRowsFor<R>(nv)(cols.data(), kFilterChunk, mc, tk, ck, gc + j0, n, out + k0 * n + j0, n, rows, ncols,
                                 first);
        }
      }
    }
  });
  const int64_t size = k * n;
  for (int64_t p = 1; p < parts; p++) {
    const float* q = partial + (p - 1) * size;
    for (int64_t i = 0; i < size; i++) df[i] += q[i];
  }
}

Source forwardSource(const float* x, const ConvGeom& g) {
  return Source{x, g.n, g.h, g.w, g.ci, g.oh, g.ow, g.fh, g.fw, g.sy, g.sx, g.dy, g.dx, g.top, g.left, false};
}

bool covered(const ConvGeom& g) {
  return g.ci > 0 && g.co > 0 && g.fh <= kMaxTaps && g.fw <= kMaxTaps;
}

}  // namespace

bool conv2dDirect(const float* x, const float* f, float* out, const ConvGeom& g, const float* bias, int act) {
  if (!covered(g)) return false;
  implicitGemm(forwardSource(x, g), f, g.co, out, bias, act);
  return true;
}

bool conv2dBackpropInputDirect(const float* dy, const float* f, float* dx, const ConvGeom& g) {
  if (!covered(g)) return false;
  // The transposed convolution reads dy (an n × oh × ow × co image) on the grid of dx, with the
  // filter transposed per tap to [t, co, ci].
  const int taps = g.fh * g.fw;
  thread_local std::vector<float> ft;
  ft.resize(size_t(taps) * g.ci * g.co);
  for (int t = 0; t < taps; t++)
    for (int c = 0; c < g.ci; c++)
      for (int j = 0; j < g.co; j++) ft[(size_t(t) * g.co + j) * g.ci + c] = f[(size_t(t) * g.ci + c) * g.co + j];
  const Source s{dy, g.n, g.oh, g.ow, g.co, g.h, g.w, g.fh, g.fw, g.sy, g.sx, g.dy, g.dx, g.top, g.left, true};
  implicitGemm(s, ft.data(), g.ci, dx, nullptr, ACT_LINEAR);
  return true;
}

bool conv2dBackpropFilterDirect(const float* x, const float* dy, float* df, const ConvGeom& g) {
  if (!covered(g) || int64_t(g.n) * g.oh * g.ow == 0) return false;
  const Source s = forwardSource(x, g);
  const int nv = std::min(kMaxNV, (g.co + kLanes - 1) / kLanes);
  // A 3×3 filter over one channel (a grey first layer) has 9 rows of k: one block of exactly 9.
  if (nv * 9 <= kMaxAcc && int64_t(g.fh) * g.fw * g.ci == 9 && g.ci < kGatherBelow) filterGrad<9>(s, dy, g.co, df);
#if defined(__AVX512F__)
  else if (nv >= 4) filterGrad<6>(s, dy, g.co, df);
  else if (nv == 3) filterGrad<8>(s, dy, g.co, df);
  else if (nv == 2) filterGrad<12>(s, dy, g.co, df);
  else filterGrad<16>(s, dy, g.co, df);
#else
  else if (nv >= 2) filterGrad<6>(s, dy, g.co, df);
  else filterGrad<12>(s, dy, g.co, df);
#endif
  return true;
}

#else

bool conv2dDirect(const float*, const float*, float*, const ConvGeom&, const float*, int) { return false; }
bool conv2dBackpropInputDirect(const float*, const float*, float*, const ConvGeom&) { return false; }
bool conv2dBackpropFilterDirect(const float*, const float*, float*, const ConvGeom&) { return false; }

#endif

}  // namespace lethe
