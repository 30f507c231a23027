# The native backend's addon: arithmetic over OpenBLAS, built at `npm ci` by install.mjs
# (node-gyp --nodedir=<local headers>; -march=native, so it is built where it runs).
{
  "targets": [
    {
      "target_name": "lethe_native",
      "sources": [
        "addon/addon.cc",
        "addon/matmul.cc",
        "addon/gemm_direct.cc",
        "addon/conv.cc",
        "addon/conv_direct.cc",
        "addon/pool.cc",
        "addon/elementwise.cc",
        "addon/optim.cc",
        "addon/parallel.cc"
      ],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
      "defines": ["NAPI_VERSION=8", "NAPI_CPP_EXCEPTIONS", "NODE_ADDON_API_DISABLE_DEPRECATED"],
      "cflags!": ["-fno-exceptions"],
      "cflags_cc!": ["-fno-exceptions"],
      "cflags_cc": ["-std=c++17", "-fexceptions", "-O3", "-march=native", "-ffp-contract=off", "-fno-math-errno"],
      "libraries": ["-lopenblas"]
    }
  ]
}
