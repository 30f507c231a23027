// Arithmetic on float buffers, nothing else: shapes are checked and buffers sized by the
// TypeScript side (src/engine/native/kernels/), which also owns dtypes and the fallback.
#pragma once
#include <cstdint>

namespace lethe {

// Geometry of an NHWC convolution with an [fh, fw, ci, co] filter, as computed by tfjs's
// backend_util.computeConv2DInfo.
struct ConvGeom {
  int n, h, w, ci;      // input
  int oh, ow, co;       // output
  int fh, fw;           // filter
  int sy, sx;           // strides
  int dy, dx;           // dilations
  int top, left;        // padding before the first row / column
};

enum Act : int { ACT_LINEAR = 0, ACT_RELU = 1 };

// out[b] = op(A[b]) · op(B[b]) for b < batch; aStride/bStride 0 broadcast one matrix.
// bias (may be null) has n entries and is added to every row, then act is applied.
void matmul(const float* a, const float* b, float* out, int batch, int m, int n, int k,
            bool transA, bool transB, int64_t aStride, int64_t bStride, const float* bias, int act);

// One product c [m, n] = op(a) · op(b) (+ bias, then act) in AVX-512 or AVX2 + FMA
// (gemm_direct.cc); false where not built or m, n or k is 0, and then nothing was written.
bool matmulDirect(const float* a, const float* b, float* c, int m, int n, int k, bool transA, bool transB,
                  const float* bias, int act);

void conv2d(const float* x, const float* f, float* out, const ConvGeom& g, const float* bias, int act);
void conv2dBackpropInput(const float* dy, const float* f, float* dx, const ConvGeom& g);
void conv2dBackpropFilter(const float* x, const float* dy, float* df, const ConvGeom& g);
// The same three without im2col (conv_direct.cc, AVX-512 or AVX2 + FMA); false where not built
// or not covered, and then nothing was written.
bool conv2dDirect(const float* x, const float* f, float* out, const ConvGeom& g, const float* bias, int act);
bool conv2dBackpropInputDirect(const float* dy, const float* f, float* dx, const ConvGeom& g);
bool conv2dBackpropFilterDirect(const float* x, const float* dy, float* df, const ConvGeom& g);

// Max pooling over NHWC; the filter is [fh, fw] per channel (co == ci).
void maxPool(const float* x, float* out, const ConvGeom& g);
// dx receives dy at the first maximal input of each window (tfjs's tie rule).
void maxPoolGrad(const float* dy, const float* x, float* dx, const ConvGeom& g);

enum BinaryOp : int { BIN_ADD = 0, BIN_SUB = 1, BIN_MUL = 2, BIN_DIV = 3 };
// out[i, j] = a[..] op b[..] over an [outer, inner] output. Each operand's mode says how it
// is indexed: 0 full [i*inner + j], 1 scalar [0], 2 row [j], 3 column [i].
void binary(int op, const float* a, int aMode, const float* b, int bMode, float* out,
            int64_t outer, int64_t inner);

enum UnaryOp : int {
  UN_RELU = 0, UN_STEP = 1, UN_SQRT = 2, UN_SQUARE = 3, UN_NEG = 4, UN_EXP = 5, UN_LOG = 6, UN_RSQRT = 7,
};
void unary(int op, const float* x, float* out, int64_t size, float alpha);

// dy · step(x): ReLU's gradient in one pass (dx = dy where x > 0, else 0; NaN in x propagates).
void reluGrad(const float* dy, const float* x, float* dx, int64_t size);

enum ReduceOp : int { RED_SUM = 0, RED_MEAN = 1, RED_MAX = 2 };
// Reduces an [outer, inner] array over inner (innerAxis true: out has outer entries) or over
// outer (out has inner entries). Sums run in double, in index order, as tfjs's cpu backend does.
void reduce(int op, const float* x, float* out, int64_t outer, int64_t inner, bool innerAxis);

}  // namespace lethe

namespace lethe {

// y = offset + (x - mean) · scale / √(variance + ε), each parameter indexed cyclically by its
// own length as tfjs's cpu kernel does, in double like it. scale/offset may be null (1 / 0).
void batchNorm(const float* x, int64_t n, const float* mean, int64_t nm, const float* variance, int64_t nv,
               const float* offset, int64_t no, const float* scale, int64_t ns, double epsilon, float* out);

// out = x repeated reps[d] times along each axis d (rank ≤ 8).
void tile(const float* x, const int64_t* shape, const int64_t* reps, int rank, float* out);

// One Adam update, the same float32 operations in the same order as tfjs's AdamOptimizer:
// m' = m·β1 + g·(1-β1); v' = v·β2 + g²·(1-β2); w' = (m'/(1-β1ᵗ)) / (√(v'/(1-β2ᵗ)) + ε) · (-lr) + w.
struct AdamConsts {
  float beta1, oneMinusBeta1, beta2, oneMinusBeta2, biasCorrection1, biasCorrection2, epsilon, negLr;
};
void adam(const float* w, const float* g, const float* m, const float* v, float* w2, float* m2, float* v2,
          int64_t n, const AdamConsts& c);
// The same update written over w, m and v.
void adamInPlace(float* w, const float* g, float* m, float* v, int64_t n, const AdamConsts& c);

}  // namespace lethe
