// N-API entry points: unwrap typed arrays and numbers, check that every buffer is large
// enough for the sizes given (so a caller's mistake throws instead of corrupting memory),
// and call the kernels. Shapes, dtypes and the choice of kernel belong to TypeScript.
#include <cblas.h>
#include <napi.h>

#include <string>

#include "kernels.h"
#include "parallel.h"

namespace {

using lethe::ConvGeom;

const float* inF32(const Napi::CallbackInfo& info, size_t i, int64_t need, const char* name) {
  if (!info[i].IsTypedArray() || info[i].As<Napi::TypedArray>().TypedArrayType() != napi_float32_array)
    throw Napi::TypeError::New(info.Env(), std::string(name) + ": expected a Float32Array");
  auto a = info[i].As<Napi::Float32Array>();
  if (static_cast<int64_t>(a.ElementLength()) < need)
    throw Napi::RangeError::New(info.Env(), std::string(name) + ": buffer has " + std::to_string(a.ElementLength()) +
                                                " floats, needs " + std::to_string(need));
  return a.Data();
}

float* outF32(const Napi::CallbackInfo& info, size_t i, int64_t need, const char* name) {
  return const_cast<float*>(inF32(info, i, need, name));
}

const float* optF32(const Napi::CallbackInfo& info, size_t i, int64_t need, const char* name) {
  if (info[i].IsNull() || info[i].IsUndefined()) return nullptr;
  return inF32(info, i, need, name);
}

int64_t num(const Napi::CallbackInfo& info, size_t i) {
  if (!info[i].IsNumber()) throw Napi::TypeError::New(info.Env(), "argument " + std::to_string(i) + ": expected a number");
  return info[i].As<Napi::Number>().Int64Value();
}

// An Int32Array of 15 entries: n h w ci oh ow co fh fw sy sx dy dx top left.
ConvGeom geom(const Napi::CallbackInfo& info, size_t i) {
  if (!info[i].IsTypedArray() || info[i].As<Napi::TypedArray>().TypedArrayType() != napi_int32_array ||
      info[i].As<Napi::Int32Array>().ElementLength() != 15)
    throw Napi::TypeError::New(info.Env(), "geometry: expected an Int32Array of 15");
  const int32_t* v = info[i].As<Napi::Int32Array>().Data();
  for (int j = 0; j < 13; j++)
    if (v[j] < 0 || (j >= 7 && v[j] == 0)) throw Napi::RangeError::New(info.Env(), "geometry: bad value");
  return ConvGeom{v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11], v[12], v[13], v[14]};
}

int64_t inSize(const ConvGeom& g) { return int64_t(g.n) * g.h * g.w * g.ci; }
int64_t outSize(const ConvGeom& g) { return int64_t(g.n) * g.oh * g.ow * g.co; }
int64_t filterSize(const ConvGeom& g) { return int64_t(g.fh) * g.fw * g.ci * g.co; }

// matmul(a, b, out, batch, m, n, k, transA, transB, aStride, bStride, bias|null, act)
Napi::Value MatMul(const Napi::CallbackInfo& info) {
  const int64_t batch = num(info, 3), m = num(info, 4), n = num(info, 5), k = num(info, 6);
  const bool ta = num(info, 7) != 0, tb = num(info, 8) != 0;
  const int64_t as = num(info, 9), bs = num(info, 10);
  const float* a = inF32(info, 0, (batch - 1) * as + m * k, "a");
  const float* b = inF32(info, 1, (batch - 1) * bs + k * n, "b");
  float* out = outF32(info, 2, batch * m * n, "out");
  const float* bias = optF32(info, 11, n, "bias");
  lethe::matmul(a, b, out, batch, m, n, k, ta, tb, as, bs, bias, static_cast<int>(num(info, 12)));
  return info.Env().Undefined();
}

// A float buffer of a geometry kernel: the floats it needs for the geometry, and its name in errors.
struct GeomBuf {
  int64_t (*size)(const ConvGeom&);
  const char* name;
};

// The arguments of a geometry kernel: its N buffers first (the last one written), checked
// against the geometry that follows them at info[N].
template <size_t N>
struct GeomArgs {
  ConvGeom g;
  const float* buf[N];

  GeomArgs(const Napi::CallbackInfo& info, const GeomBuf (&bufs)[N]) : g(geom(info, N)) {
    for (size_t i = 0; i < N; i++) buf[i] = inF32(info, i, bufs[i].size(g), bufs[i].name);
  }
  float* out() const { return const_cast<float*>(buf[N - 1]); }
};

// A kernel over two inputs, an output and a geometry, with its buffers: Geom3<op> is its entry
// point, called from JavaScript with (a, b, out, geom).
struct Geom3Op {
  void (*kernel)(const float*, const float*, float*, const ConvGeom&);
  GeomBuf a, b, out;
};

template <const Geom3Op& Op>
Napi::Value Geom3(const Napi::CallbackInfo& info) {
  const GeomArgs<3> args(info, {Op.a, Op.b, Op.out});
  Op.kernel(args.buf[0], args.buf[1], args.out(), args.g);
  return info.Env().Undefined();
}

constexpr Geom3Op kConv2DBackpropInput{lethe::conv2dBackpropInput, {outSize, "dy"}, {filterSize, "filter"}, {inSize, "dx"}};
constexpr Geom3Op kConv2DBackpropFilter{lethe::conv2dBackpropFilter, {inSize, "x"}, {outSize, "dy"}, {filterSize, "df"}};
constexpr Geom3Op kMaxPoolGrad{lethe::maxPoolGrad, {outSize, "dy"}, {inSize, "x"}, {inSize, "dx"}};

// conv2d(x, filter, out, geom, bias|null, act)
Napi::Value Conv2D(const Napi::CallbackInfo& info) {
  const GeomArgs<3> args(info, {{inSize, "x"}, {filterSize, "filter"}, {outSize, "out"}});
  lethe::conv2d(args.buf[0], args.buf[1], args.out(), args.g, optF32(info, 4, args.g.co, "bias"),
                static_cast<int>(num(info, 5)));
  return info.Env().Undefined();
}

// maxPool(x, out, geom)
Napi::Value MaxPool(const Napi::CallbackInfo& info) {
  const GeomArgs<2> args(info, {{inSize, "x"}, {outSize, "out"}});
  lethe::maxPool(args.buf[0], args.out(), args.g);
  return info.Env().Undefined();
}

int64_t modeSize(int64_t mode, int64_t outer, int64_t inner) {
  return mode == 0 ? outer * inner : mode == 1 ? 1 : mode == 2 ? inner : outer;
}

// binary(op, a, aMode, b, bMode, out, outer, inner)
Napi::Value Binary(const Napi::CallbackInfo& info) {
  const int64_t op = num(info, 0), am = num(info, 2), bm = num(info, 4), outer = num(info, 6), inner = num(info, 7);
  if (op < 0 || op > 3 || am < 0 || am > 3 || bm < 0 || bm > 3) throw Napi::RangeError::New(info.Env(), "binary: bad op or mode");
  lethe::binary(static_cast<int>(op), inF32(info, 1, modeSize(am, outer, inner), "a"), static_cast<int>(am),
                inF32(info, 3, modeSize(bm, outer, inner), "b"), static_cast<int>(bm),
                outF32(info, 5, outer * inner, "out"), outer, inner);
  return info.Env().Undefined();
}

// unary(op, x, out, size, alpha)
Napi::Value Unary(const Napi::CallbackInfo& info) {
  const int64_t op = num(info, 0), size = num(info, 3);
  if (op < 0 || op > 7) throw Napi::RangeError::New(info.Env(), "unary: bad op");
  lethe::unary(static_cast<int>(op), inF32(info, 1, size, "x"), outF32(info, 2, size, "out"), size,
               info[4].As<Napi::Number>().FloatValue());
  return info.Env().Undefined();
}

// reluGrad(dy, x, dx, size)
Napi::Value ReluGrad(const Napi::CallbackInfo& info) {
  const int64_t size = num(info, 3);
  lethe::reluGrad(inF32(info, 0, size, "dy"), inF32(info, 1, size, "x"), outF32(info, 2, size, "dx"), size);
  return info.Env().Undefined();
}

// reduce(op, x, out, outer, inner, innerAxis)
Napi::Value Reduce(const Napi::CallbackInfo& info) {
  const int64_t op = num(info, 0), outer = num(info, 3), inner = num(info, 4);
  const bool innerAxis = num(info, 5) != 0;
  if (op < 0 || op > 2 || outer < 1 || inner < 1) throw Napi::RangeError::New(info.Env(), "reduce: bad op or size");
  lethe::reduce(static_cast<int>(op), inF32(info, 1, outer * inner, "x"),
                outF32(info, 2, innerAxis ? outer : inner, "out"), outer, inner, innerAxis);
  return info.Env().Undefined();
}

lethe::AdamConsts adamConsts(const Napi::CallbackInfo& info, size_t i) {
  if (!info[i].IsTypedArray() || info[i].As<Napi::TypedArray>().TypedArrayType() != napi_float64_array ||
      info[i].As<Napi::Float64Array>().ElementLength() != 8)
    throw Napi::TypeError::New(info.Env(), "adam: constants must be a Float64Array of 8");
  const double* k = info[i].As<Napi::Float64Array>().Data();
  return lethe::AdamConsts{float(k[0]), float(k[1]), float(k[2]), float(k[3]), float(k[4]), float(k[5]), float(k[6]), float(k[7])};
}

// adam(w, g, m, v, w2, m2, v2, size, consts Float64Array[8]); all seven buffers distinct.
Napi::Value Adam(const Napi::CallbackInfo& info) {
  const int64_t n = num(info, 7);
  lethe::adam(inF32(info, 0, n, "w"), inF32(info, 1, n, "g"), inF32(info, 2, n, "m"), inF32(info, 3, n, "v"),
              outF32(info, 4, n, "w2"), outF32(info, 5, n, "m2"), outF32(info, 6, n, "v2"), n, adamConsts(info, 8));
  return info.Env().Undefined();
}

// adamInPlace(w, g, m, v, size, consts): updates w, m and v; the four buffers distinct.
Napi::Value AdamInPlace(const Napi::CallbackInfo& info) {
  const int64_t n = num(info, 4);
  lethe::adamInPlace(outF32(info, 0, n, "w"), inF32(info, 1, n, "g"), outF32(info, 2, n, "m"), outF32(info, 3, n, "v"), n,
                     adamConsts(info, 5));
  return info.Env().Undefined();
}

int64_t lengthOf(const Napi::CallbackInfo& info, size_t i) {
  if (info[i].IsNull() || info[i].IsUndefined()) return 1;
  return static_cast<int64_t>(info[i].As<Napi::Float32Array>().ElementLength());
}

// batchNorm(x, mean, variance, offset|null, scale|null, epsilon, out)
Napi::Value BatchNorm(const Napi::CallbackInfo& info) {
  const float* x = inF32(info, 0, 0, "x");
  const int64_t n = info[0].As<Napi::Float32Array>().ElementLength();
  const int64_t nm = lengthOf(info, 1), nv = lengthOf(info, 2), no = lengthOf(info, 3), ns = lengthOf(info, 4);
  if (nm < 1 || nv < 1 || no < 1 || ns < 1) throw Napi::RangeError::New(info.Env(), "batchNorm: empty parameter");
  lethe::batchNorm(x, n, inF32(info, 1, nm, "mean"), nm, inF32(info, 2, nv, "variance"), nv, optF32(info, 3, no, "offset"), no,
                   optF32(info, 4, ns, "scale"), ns, info[5].As<Napi::Number>().DoubleValue(), outF32(info, 6, n, "out"));
  return info.Env().Undefined();
}

// tile(x, shape Float64Array, reps Float64Array, out)
Napi::Value Tile(const Napi::CallbackInfo& info) {
  auto shapeArr = info[1].As<Napi::Float64Array>();
  auto repsArr = info[2].As<Napi::Float64Array>();
  const int rank = static_cast<int>(shapeArr.ElementLength());
  if (rank > 8 || static_cast<int>(repsArr.ElementLength()) != rank) throw Napi::RangeError::New(info.Env(), "tile: bad rank");
  int64_t shape[8], reps[8], in = 1, out = 1;
  for (int d = 0; d < rank; d++) {
    shape[d] = static_cast<int64_t>(shapeArr[d]);
    reps[d] = static_cast<int64_t>(repsArr[d]);
    if (shape[d] < 1 || reps[d] < 1) throw Napi::RangeError::New(info.Env(), "tile: bad shape or reps");
    in *= shape[d];
    out *= shape[d] * reps[d];
  }
  lethe::tile(inF32(info, 0, in, "x"), shape, reps, rank, outF32(info, 3, out, "out"));
  return info.Env().Undefined();
}

Napi::Value SetThreads(const Napi::CallbackInfo& info) {
  openblas_set_num_threads(static_cast<int>(num(info, 0)));
  return info.Env().Undefined();
}

Napi::Value SetKernelThreads(const Napi::CallbackInfo& info) {
  lethe::setKernelThreads(static_cast<int>(num(info, 0)));
  return info.Env().Undefined();
}

Napi::Value BlasInfo(const Napi::CallbackInfo& info) {
  auto o = Napi::Object::New(info.Env());
  o.Set("coreName", openblas_get_corename());
  o.Set("config", openblas_get_config());
  o.Set("threads", openblas_get_num_threads());
  o.Set("kernelThreads", lethe::kernelThreads());
  return o;
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("matmul", Napi::Function::New(env, MatMul));
  exports.Set("conv2d", Napi::Function::New(env, Conv2D));
  exports.Set("conv2dBackpropInput", Napi::Function::New(env, Geom3<kConv2DBackpropInput>));
  exports.Set("conv2dBackpropFilter", Napi::Function::New(env, Geom3<kConv2DBackpropFilter>));
  exports.Set("maxPool", Napi::Function::New(env, MaxPool));
  exports.Set("maxPoolGrad", Napi::Function::New(env, Geom3<kMaxPoolGrad>));
  exports.Set("binary", Napi::Function::New(env, Binary));
  exports.Set("unary", Napi::Function::New(env, Unary));
  exports.Set("reluGrad", Napi::Function::New(env, ReluGrad));
  exports.Set("reduce", Napi::Function::New(env, Reduce));
  exports.Set("adam", Napi::Function::New(env, Adam));
  exports.Set("adamInPlace", Napi::Function::New(env, AdamInPlace));
  exports.Set("batchNorm", Napi::Function::New(env, BatchNorm));
  exports.Set("tile", Napi::Function::New(env, Tile));
  exports.Set("setThreads", Napi::Function::New(env, SetThreads));
  exports.Set("setKernelThreads", Napi::Function::New(env, SetKernelThreads));
  exports.Set("blasInfo", Napi::Function::New(env, BlasInfo));
  return exports;
}

}  // namespace

NODE_API_MODULE(lethe_native, Init)
