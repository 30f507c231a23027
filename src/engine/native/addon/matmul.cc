// Matrix products over OpenBLAS sgemm, with the fused bias + activation epilogue.
#include <cblas.h>

#include "kernels.h"

namespace lethe {

void epilogue(float* out, int64_t rows, int n, const float* bias, int act) {
  if (bias == nullptr && act == ACT_LINEAR) return;
  for (int64_t r = 0; r < rows; r++) {
    float* o = out + r * n;
    if (bias != nullptr)
      for (int j = 0; j < n; j++) o[j] += bias[j];
    if (act == ACT_RELU)
      for (int j = 0; j < n; j++) o[j] = o[j] > 0.f || o[j] != o[j] ? o[j] : 0.f;
  }
}

void matmul(const float* a, const float* b, float* out, int batch, int m, int n, int k,
            bool transA, bool transB, int64_t aStride, int64_t bStride, const float* bias, int act) {
  const int lda = transA ? m : k;
  const int ldb = transB ? k : n;
  for (int i = 0; i < batch; i++) {
    float* c = out + static_cast<int64_t>(i) * m * n;
    if (matmulDirect(a + i * aStride, b + i * bStride, c, m, n, k, transA, transB, bias, act)) continue;
    if (k == 0) {
      for (int64_t j = 0; j < static_cast<int64_t>(m) * n; j++) c[j] = 0.f;
    } else {
      cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                  m, n, k, 1.f, a + i * aStride, lda, b + i * bStride, ldb, 0.f, c, n);
    }
    epilogue(c, m, n, bias, act);
  }
}

}  // namespace lethe
