// Element-wise kernels and reductions. Results match tfjs's cpu backend, which computes in
// double and rounds to float: for + - × ÷ and √ that is the correctly rounded float result,
// and the transcendental ones are computed in double here too.
#include <algorithm>
#include <cmath>
#include <vector>

#include "kernels.h"
#include "parallel.h"

namespace lethe {

namespace {

template <int OP>
inline float apply(float a, float b) {
  if constexpr (OP == BIN_ADD) return a + b;
  if constexpr (OP == BIN_SUB) return a - b;
  if constexpr (OP == BIN_MUL) return a * b;
  return a / b;
}

// One output row; SA / SB are the operands' strides (0 broadcasts one value).
template <int OP, int SA, int SB>
void row(const float* __restrict a, const float* __restrict b, float* __restrict o, int64_t n) {
  for (int64_t j = 0; j < n; j++) o[j] = apply<OP>(a[j * SA], b[j * SB]);
}

// Output elements [begin, end) of the [outer, inner] result, row piece by row piece.
template <int OP>
void binaryRange(const float* a, int aMode, const float* b, int bMode, float* out, int64_t inner, int64_t begin,
                 int64_t end) {
  const bool aStep = aMode == 0 || aMode == 2, bStep = bMode == 0 || bMode == 2;
  for (int64_t e = begin; e < end;) {
    const int64_t i = e / inner, j = e % inner, len = std::min(inner - j, end - e);
    const float* ar = (aMode == 0 ? a + i * inner : aMode == 3 ? a + i : a) + (aStep ? j : 0);
    const float* br = (bMode == 0 ? b + i * inner : bMode == 3 ? b + i : b) + (bStep ? j : 0);
    float* o = out + e;
    if (aStep && bStep) row<OP, 1, 1>(ar, br, o, len);
    else if (aStep) row<OP, 1, 0>(ar, br, o, len);
    else if (bStep) row<OP, 0, 1>(ar, br, o, len);
    else row<OP, 0, 0>(ar, br, o, len);
    e += len;
  }
}

template <int OP>
void binaryOp(const float* a, int aMode, const float* b, int bMode, float* out, int64_t outer, int64_t inner) {
  if (inner <= 0) return;
  parallelRange(outer * inner, kElementGrain,
                [&](int64_t begin, int64_t end) { binaryRange<OP>(a, aMode, b, bMode, out, inner, begin, end); });
}

}  // namespace

void binary(int op, const float* a, int aMode, const float* b, int bMode, float* out, int64_t outer, int64_t inner) {
  switch (op) {
    case BIN_ADD: return binaryOp<BIN_ADD>(a, aMode, b, bMode, out, outer, inner);
    case BIN_SUB: return binaryOp<BIN_SUB>(a, aMode, b, bMode, out, outer, inner);
    case BIN_MUL: return binaryOp<BIN_MUL>(a, aMode, b, bMode, out, outer, inner);
    default: return binaryOp<BIN_DIV>(a, aMode, b, bMode, out, outer, inner);
  }
}

// Lethe never reads the floating-point exception flags, so the element-wise selects below may be
// compiled as if no operation traps: with GCC's default -ftrapping-math it keeps a branch per element
// (the sign of a ReLU's input is a coin flip: reluGrad took 22 ms on 3.2 M floats with random signs,
// 4.5 ms with all positive). The values are the same bits either way.
#if defined(__GNUC__) && !defined(__clang__)
#define LETHE_SELECTS __attribute__((optimize("no-trapping-math")))
#else
#define LETHE_SELECTS
#endif

namespace {

LETHE_SELECTS void unaryRange(int op, const float* __restrict x, float* __restrict o, int64_t n, float alpha) {
  switch (op) {
    case UN_RELU:  // Math.max(0, x): NaN stays NaN, -0 becomes 0.
      for (int64_t i = 0; i < n; i++) o[i] = x[i] > 0.f || x[i] != x[i] ? x[i] : 0.f;
      break;
    case UN_STEP:  // both compares on every element, then selects (see LETHE_SELECTS).
      for (int64_t i = 0; i < n; i++) {
        const bool nan = x[i] != x[i], positive = x[i] > 0.f;
        o[i] = nan ? x[i] : positive ? 1.f : alpha;
      }
      break;
    case UN_SQRT:
      for (int64_t i = 0; i < n; i++) o[i] = std::sqrt(x[i]);
      break;
    case UN_SQUARE:
      for (int64_t i = 0; i < n; i++) o[i] = x[i] * x[i];
      break;
    case UN_NEG:
      for (int64_t i = 0; i < n; i++) o[i] = -x[i];
      break;
    case UN_EXP:
      for (int64_t i = 0; i < n; i++) o[i] = static_cast<float>(std::exp(static_cast<double>(x[i])));
      break;
    case UN_LOG:
      for (int64_t i = 0; i < n; i++) o[i] = static_cast<float>(std::log(static_cast<double>(x[i])));
      break;
    case UN_RSQRT:
      for (int64_t i = 0; i < n; i++) o[i] = static_cast<float>(1.0 / std::sqrt(static_cast<double>(x[i])));
      break;
  }
}

LETHE_SELECTS void reluGradRange(const float* __restrict dy, const float* __restrict x, float* __restrict dx, int64_t n) {
  // dy · step(x), step(NaN) = NaN: every operand computed on every element, then selected.
  for (int64_t i = 0; i < n; i++) {
    const float xv = x[i], d = dy[i];
    const bool nan = xv != xv, positive = xv > 0.f;
    const float zero = d * 0.f;
    dx[i] = nan ? xv : positive ? d : zero;
  }
}

}  // namespace

void unary(int op, const float* x, float* out, int64_t size, float alpha) {
  parallelRange(size, kElementGrain,
                [&](int64_t begin, int64_t end) { unaryRange(op, x + begin, out + begin, end - begin, alpha); });
}

void reluGrad(const float* dy, const float* x, float* dx, int64_t size) {
  parallelRange(size, kElementGrain,
                [&](int64_t begin, int64_t end) { reluGradRange(dy + begin, x + begin, dx + begin, end - begin); });
}

void reduce(int op, const float* x, float* out, int64_t outer, int64_t inner, bool innerAxis) {
  const int64_t count = innerAxis ? inner : outer;
  const float n = static_cast<float>(count);
  // tfjs's cpu Mean divides every element by the count, then sums.
  auto term = [op, n](float v) -> double { return op == RED_MEAN ? static_cast<double>(v / n) : v; };
  if (op == RED_MAX) {
    if (innerAxis) {
      for (int64_t i = 0; i < outer; i++) {
        const float* r = x + i * inner;
        float m = r[0];
        for (int64_t j = 1; j < inner; j++)
          if (r[j] > m || r[j] != r[j]) m = r[j];
        out[i] = m;
      }
    } else {
      for (int64_t j = 0; j < inner; j++) out[j] = x[j];
      for (int64_t i = 1; i < outer; i++)
        for (int64_t j = 0; j < inner; j++)
          if (x[i * inner + j] > out[j] || x[i * inner + j] != x[i * inner + j]) out[j] = x[i * inner + j];
    }
    return;
  }
  if (innerAxis) {
    for (int64_t i = 0; i < outer; i++) {
      const float* r = x + i * inner;
      double s = 0;
      for (int64_t j = 0; j < inner; j++) s += term(r[j]);
      out[i] = static_cast<float>(s);
    }
  } else {
    thread_local std::vector<double> acc;
    acc.assign(inner, 0.0);
    for (int64_t i = 0; i < outer; i++) {
      const float* r = x + i * inner;
      for (int64_t j = 0; j < inner; j++) acc[j] += term(r[j]);
    }
    for (int64_t j = 0; j < inner; j++) out[j] = static_cast<float>(acc[j]);
  }
}

}  // namespace lethe
