// The vector lanes the direct kernels (conv_direct.cc, gemm_direct.cc, pool.cc) are written in:
// 16 floats in __m512 where the compiler targets AVX-512F, else 8 floats in __m256 where it
// targets AVX2 + FMA; LETHE_SIMD is then defined. Every operation is lane-wise (one fused
// multiply-add per lane, no horizontal sums), so a kernel sums each output element in the same
// order at either width and gives the same bits. Shapes that depend on the register file (32 zmm
// against 16 ymm) are the kernels' own: kMaxAcc is the accumulators a register block may hold.
#pragma once

#if defined(__AVX512F__) || (defined(__AVX2__) && defined(__FMA__))
#define LETHE_SIMD 1
#include <immintrin.h>

namespace lethe::simd {

#if defined(__AVX512F__)

constexpr int kLanes = 16;
constexpr int kMaxAcc = 24;
using Vec = __m512;
// The lanes a masked operation touches.
struct Mask {
  __mmask16 k;
};

inline Mask allLanes() { return Mask{__mmask16(0xFFFF)}; }
// The first `lanes` lanes (1 … kLanes; more means all).
inline Mask firstLanes(int lanes) {
  return Mask{lanes >= kLanes ? __mmask16(0xFFFF) : __mmask16((1u << lanes) - 1)};
}
inline Vec zero() { return _mm512_setzero_ps(); }
inline Vec broadcast(float x) { return _mm512_set1_ps(x); }
inline Vec load(const float* p) { return _mm512_loadu_ps(p); }
// Masked-off lanes read nothing and are 0 (or `rest`).
inline Vec loadMasked(Mask m, const float* p) { return _mm512_maskz_loadu_ps(m.k, p); }
inline Vec loadMaskedOr(Vec rest, Mask m, const float* p) { return _mm512_mask_loadu_ps(rest, m.k, p); }
inline void store(float* p, Vec v) { _mm512_storeu_ps(p, v); }
inline void storeMasked(float* p, Mask m, Vec v) { _mm512_mask_storeu_ps(p, m.k, v); }
inline Vec fmadd(Vec a, Vec b, Vec c) { return _mm512_fmadd_ps(a, b, c); }
inline Vec add(Vec a, Vec b) { return _mm512_add_ps(a, b); }
// a > b ? a : b per lane; b where either is NaN.
inline Vec max(Vec a, Vec b) { return _mm512_max_ps(a, b); }
// The lanes of `within` where a > b (ordered) / a == b (ordered).
inline Mask greater(Mask within, Vec a, Vec b) { return Mask{_mm512_mask_cmp_ps_mask(within.k, a, b, _CMP_GT_OQ)}; }
inline Mask equal(Mask within, Vec a, Vec b) { return Mask{_mm512_mask_cmp_ps_mask(within.k, a, b, _CMP_EQ_OQ)}; }
// The lanes of a not in b.
inline Mask without(Mask a, Mask b) { return Mask{__mmask16(a.k & ~b.k)}; }
// v in the lanes of m, +0 elsewhere.
inline Vec keep(Mask m, Vec v) { return _mm512_maskz_mov_ps(m.k, v); }
// ReLU as the cpu backend's: x where x > 0 or x is NaN, else +0.
inline Vec relu(Vec v) { return _mm512_maskz_mov_ps(_mm512_cmp_ps_mask(v, _mm512_setzero_ps(), _CMP_NLE_UQ), v); }

#else

constexpr int kLanes = 8;
// 16 ymm registers: 12 accumulators leave room for the loaded and broadcast operands.
constexpr int kMaxAcc = 12;
using Vec = __m256;
// A lane mask (all ones or all zeros per lane); `full` lets loads and stores over every lane
// skip vmaskmov, which is slow on some cores.
struct Mask {
  __m256i k;
  bool full;
};

inline Mask allLanes() { return Mask{_mm256_set1_epi32(-1), true}; }
inline Mask firstLanes(int lanes) {
  return Mask{_mm256_cmpgt_epi32(_mm256_set1_epi32(lanes), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7)), lanes >= kLanes};
}
inline Vec zero() { return _mm256_setzero_ps(); }
inline Vec broadcast(float x) { return _mm256_set1_ps(x); }
inline Vec load(const float* p) { return _mm256_loadu_ps(p); }
inline Vec loadMasked(Mask m, const float* p) { return m.full ? _mm256_loadu_ps(p) : _mm256_maskload_ps(p, m.k); }
inline Vec loadMaskedOr(Vec rest, Mask m, const float* p) {
  return m.full ? _mm256_loadu_ps(p) : _mm256_blendv_ps(rest, _mm256_maskload_ps(p, m.k), _mm256_castsi256_ps(m.k));
}
inline void store(float* p, Vec v) { _mm256_storeu_ps(p, v); }
inline void storeMasked(float* p, Mask m, Vec v) {
  if (m.full) _mm256_storeu_ps(p, v);
  else _mm256_maskstore_ps(p, m.k, v);
}
inline Vec fmadd(Vec a, Vec b, Vec c) { return _mm256_fmadd_ps(a, b, c); }
inline Vec add(Vec a, Vec b) { return _mm256_add_ps(a, b); }
inline Vec max(Vec a, Vec b) { return _mm256_max_ps(a, b); }
inline Mask greater(Mask within, Vec a, Vec b) {
  return Mask{_mm256_and_si256(within.k, _mm256_castps_si256(_mm256_cmp_ps(a, b, _CMP_GT_OQ))), false};
}
inline Mask equal(Mask within, Vec a, Vec b) {
  return Mask{_mm256_and_si256(within.k, _mm256_castps_si256(_mm256_cmp_ps(a, b, _CMP_EQ_OQ))), false};
}
inline Mask without(Mask a, Mask b) { return Mask{_mm256_andnot_si256(b.k, a.k), false}; }
inline Vec keep(Mask m, Vec v) { return _mm256_and_ps(_mm256_castsi256_ps(m.k), v); }
inline Vec relu(Vec v) { return _mm256_and_ps(_mm256_cmp_ps(v, _mm256_setzero_ps(), _CMP_NLE_UQ), v); }

#endif

}  // namespace lethe::simd

#endif
