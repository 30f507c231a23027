#!/usr/bin/python3
"""PyTorch side of `npm run bench:engine` (bench/engine.ts): tuned PyTorch CPU on Fashion-MNIST.

Tuned as in DESIGN.md "Engine": OPENBLAS_NUM_THREADS=1 before torch is imported (OpenBLAS's
threads and torch's own pool otherwise fight over the cores), torch.set_num_threads(THREADS),
Adam(foreach=True). Reads the same IDX.gz files as Lethe (gzip + numpy), builds the same
architectures, and prints ONE line of JSON on stdout (everything else goes to stderr).

Run it with Debian's interpreter: /usr/bin/python3 bench/torch_engine.py --help
"""
import os

# Must happen before torch is imported: OpenBLAS reads it once, at load time.
os.environ["OPENBLAS_NUM_THREADS"] = "1"

import argparse
import gzip
import json
import statistics
import sys
import time

DATA_DIR = os.environ.get("LETHE_DATA_DIR", "/usr/share/datasets/fashion-mnist")
EPOCH_SAMPLES = 60000


def log(*a):
    print(*a, file=sys.stderr, flush=True)


def system_busy_seconds():
    """Busy CPU-seconds of the whole machine (Linux /proc/stat), or None."""
    try:
        with open("/proc/stat") as f:
            v = [int(x) for x in f.readline().split()[1:]]
        return (v[0] + v[1] + v[2] + v[5] + v[6] + v[7]) / 100.0  # user nice system irq softirq steal
    except (OSError, ValueError, IndexError):
        return None


def mark():
    t = os.times()
    return (time.perf_counter(), system_busy_seconds(), t.user + t.system)


def other_cores(a, b):
    """Average cores kept busy by OTHER processes between two marks: a benchmark on a shared
    machine must say when its numbers are tainted."""
    if a[1] is None or b[1] is None or b[0] <= a[0]:
        return None
    return max(0.0, (b[1] - a[1] - (b[2] - a[2])) / (b[0] - a[0]))


def own_cores(a, b):
    return (b[2] - a[2]) / (b[0] - a[0]) if b[0] > a[0] else None


def read_idx(path):
    import numpy as np

    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        buf = f.read()
    if buf[0] != 0 or buf[1] != 0 or buf[2] != 0x08:
        raise ValueError(f"{path}: not a uint8 IDX file")
    nd = buf[3]
    dims = [int.from_bytes(buf[4 + 4 * i: 8 + 4 * i], "big") for i in range(nd)]
    return np.frombuffer(buf, dtype=np.uint8, offset=4 + 4 * nd).reshape(dims)


def find(base):
    for name in (base + ".gz", base):
        p = os.path.join(DATA_DIR, name)
        if os.path.exists(p):
            return p
    raise FileNotFoundError(f"{DATA_DIR}: missing {base}[.gz]")


def load_data(torch):
    import numpy as np

    def images(base):  # N x 1 x 28 x 28 float32 in [0, 1], like Lethe's x / 255
        a = read_idx(find(base)).astype(np.float32) / 255.0
        return torch.from_numpy(a[:, None, :, :].copy())

    def labels(base):
        return torch.from_numpy(read_idx(find(base)).astype(np.int64))

    return (images("train-images-idx3-ubyte"), labels("train-labels-idx1-ubyte"),
            images("t10k-images-idx3-ubyte"), labels("t10k-labels-idx1-ubyte"))


def build(torch, arch):
    nn = torch.nn
    if arch == "mlp":  # src/models/mlp.ts
        model = nn.Sequential(
            nn.Flatten(),
            nn.Linear(784, 256), nn.ReLU(),
            nn.Linear(256, 128), nn.ReLU(),
            nn.Linear(128, 10),
        )
    elif arch == "small-cnn":  # src/models/small-cnn.ts (NCHW here, NHWC there)
        model = nn.Sequential(
            nn.Conv2d(1, 32, 3, padding=1), nn.ReLU(),    # 'same' padding for a 3x3 kernel
            nn.MaxPool2d(2),                              # tfjs maxPooling2d: pool 2, stride 2, valid
            nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(),
            nn.MaxPool2d(2),
            nn.Flatten(),
            nn.Linear(64 * 7 * 7, 128), nn.ReLU(),
            nn.Linear(128, 10),
        )
    elif arch == "resnet-mini":  # src/models/resnet-mini.ts
        model = ResNetMini(torch)
    else:
        raise ValueError(f"unknown model {arch}")
    # Same initialisation family as Lethe (glorot uniform weights, zero biases); irrelevant to speed.
    for m in model.modules():
        if isinstance(m, (nn.Linear, nn.Conv2d)):
            nn.init.xavier_uniform_(m.weight)
            if m.bias is not None:
                nn.init.zeros_(m.bias)
    return model


def ResNetMini(torch):
    """A stem and three residual blocks (16, 32, 64 channels) with batch norm, as src/models/resnet-mini.ts:
    bias-free 3x3 convolutions, a 1x1 projection where the shape changes, global average pooling, one dense
    layer. Batch norm with Keras's defaults (momentum 0.99, epsilon 1e-3)."""
    nn = torch.nn

    def bn(c):
        return nn.BatchNorm2d(c, eps=1e-3, momentum=0.01)

    class Block(nn.Module):
        def __init__(self, cin, cout, stride):
            super().__init__()
            self.conv1, self.bn1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False), bn(cout)
            self.conv2, self.bn2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False), bn(cout)
            self.proj = None if stride == 1 and cin == cout else nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), bn(cout))

        def forward(self, x):
            h = torch.relu(self.bn1(self.conv1(x)))
            h = self.bn2(self.conv2(h))
            return torch.relu(h + (x if self.proj is None else self.proj(x)))

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.stem, self.stem_bn = nn.Conv2d(1, 16, 3, 1, 1, bias=False), bn(16)
            self.blocks = nn.Sequential(Block(16, 16, 1), Block(16, 32, 2), Block(32, 64, 2))
            self.logits = nn.Linear(64, 10)

        def forward(self, x):
            h = self.blocks(torch.relu(self.stem_bn(self.stem(x))))
            return self.logits(h.mean(dim=(2, 3)))

    return Net()


def count_params(model):
    """Every weight, as Keras's countParams counts them: parameters and batch norm's running statistics."""
    return sum(p.numel() for p in model.parameters()) + sum(
        b.numel() for name, b in model.named_buffers() if not name.endswith("num_batches_tracked"))


def layer_shapes(torch, model):
    """Output shape of every layer that computes or reshapes, per sample, channels last (as tfjs)."""
    shapes = []
    hooks = []

    def hook(mod, inp, out):
        s = list(out.shape[1:])
        if len(s) == 3:
            s = [s[1], s[2], s[0]]  # CHW -> HWC
        shapes.append({"layer": type(mod).__name__, "shape": s})

    # A graph (resnet-mini): its convolutions, in order; a stack: every layer but ReLU (tfjs fuses it into conv/dense).
    graph = not isinstance(model, torch.nn.Sequential)
    for m in (model.modules() if graph else model):
        if isinstance(m, torch.nn.Conv2d) if graph else not isinstance(m, torch.nn.ReLU):
            hooks.append(m.register_forward_hook(hook))
    with torch.no_grad():
        model(torch.zeros(1, 1, 28, 28))
    for h in hooks:
        h.remove()
    return shapes


def bench_model(torch, arch, data, batches, warmup, repeats, infer_n, batch_size, seed):
    F = torch.nn.functional
    x_train, y_train, x_test, y_test = data
    torch.manual_seed(seed)
    model = build(torch, arch)
    n_params = count_params(model)
    shapes = layer_shapes(torch, model)
    # PyTorch at its best: channels_last (NHWC) convolutions measured ~30% faster here than NCHW.
    fmt = torch.contiguous_format if arch == "mlp" else torch.channels_last
    model = model.to(memory_format=fmt)
    if arch != "mlp":
        x_train = x_train.contiguous(memory_format=fmt)
        x_test = x_test.contiguous(memory_format=fmt)
    # tfjs Adam's epsilon is 1e-7; irrelevant to speed, matched anyway.
    opt = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7, foreach=True)
    gen = torch.Generator().manual_seed(seed)

    n = x_train.shape[0]
    full = batches is None
    window_batches = -(-n // batch_size) if full else batches

    # An endless stream of shuffled batches (a fresh permutation every pass over the data),
    # indexed out of the preloaded tensors, as Lethe's makeBatch copies rows out of its subset.
    def stream():
        while True:
            perm = torch.randperm(n, generator=gen)
            for s in range(0, n, batch_size):
                yield perm[s:s + batch_size]

    it = stream()
    losses = []

    def step():
        idx = next(it)
        xb, yb = x_train[idx].contiguous(memory_format=fmt), y_train[idx]
        opt.zero_grad(set_to_none=True)
        loss = F.cross_entropy(model(xb), yb)
        loss.backward()
        opt.step()
        losses.append(loss.item())  # a sync point, as Lethe's dataSync of the loss
        return len(idx)

    model.train()
    warm_times = []
    for _ in range(warmup):
        t = time.perf_counter()
        step()
        warm_times.append(time.perf_counter() - t)

    if full:
        # Windows of exactly one epoch: restart the stream so every window covers all 60k samples.
        def window():
            nonlocal it
            it = stream()
            return sum(step() for _ in range(window_batches))
    else:
        def window():
            return sum(step() for _ in range(window_batches))

    windows = []
    for r in range(repeats):
        a = mark()
        samples = window()
        b = mark()
        dt = b[0] - a[0]
        oc = other_cores(a, b)
        windows.append({"batches": window_batches, "samples": samples, "seconds": dt,
                        "s_per_epoch": dt * EPOCH_SAMPLES / samples, "other_cores": oc, "own_cores": own_cores(a, b)})
        log(f"torch {arch}: window {r + 1}/{repeats}: {window_batches} batches, {samples} samples "
            f"in {dt:.2f} s -> {dt * EPOCH_SAMPLES / samples:.2f} s/epoch"
            + (f" (cores: own {own_cores(a, b):.2f}, other processes {oc:.2f})" if oc is not None else ""))

    # Inference: softmax probabilities in batches of 1000, copied out, like Lethe's predictProbs.
    model.eval()
    xt = x_test[:infer_n]

    def infer():
        out = []
        with torch.inference_mode():
            for s in range(0, xt.shape[0], 1000):
                out.append(F.softmax(model(xt[s:s + 1000]), dim=1).numpy().copy())
        return out

    with torch.inference_mode():
        model(xt[:1000])  # warm-up
    infer_times = []
    a = mark()
    for _ in range(max(repeats, 1)):
        t = time.perf_counter()
        infer()
        infer_times.append(time.perf_counter() - t)
    b = mark()
    infer_other, infer_own = other_cores(a, b), own_cores(a, b)
    infer_s = statistics.median(infer_times)

    per_epoch = [w["s_per_epoch"] for w in windows]
    return {
        "model": arch,
        "params": n_params,
        "shapes": shapes,
        "train": {
            "batch_size": batch_size,
            "warmup_batches": warmup,
            "warmup_batch_seconds": warm_times,
            "windows": windows,
            "s_per_epoch": statistics.median(per_epoch) if per_epoch else None,
            "s_per_epoch_min": min(per_epoch) if per_epoch else None,
            "extrapolated": not full,
            "last_loss": losses[-1] if losses else None,
        },
        "infer": {
            "samples": int(xt.shape[0]),
            "batch_size": 1000,
            "runs_seconds": infer_times,
            "seconds": infer_s,
            "samples_per_s": xt.shape[0] / infer_s,
            "other_cores": infer_other,
            "own_cores": infer_own,
        },
    }


def parse_batches(spec, models):
    """'full' | N | 'mlp=full,small-cnn=100' -> {model: None (full epoch) | N}."""
    default = {"mlp": None, "small-cnn": 100, "resnet-mini": 20}
    out = {m: default.get(m) for m in models}
    if spec is None:
        return out
    for part in spec.split(","):
        if "=" in part:
            k, v = part.split("=", 1)
            if k not in out:
                continue
        else:
            k, v = None, part
        val = None if v == "full" else int(v)
        if val is not None and val < 1:
            raise ValueError("--batches must be >= 1 or 'full'")
        for m in ([k] if k else out.keys()):
            out[m] = val
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--models", default="mlp,small-cnn,resnet-mini")
    ap.add_argument("--batches", default=None,
                    help="batches per timed window: N, 'full' (one 60k epoch), or mlp=full,small-cnn=100 (default)")
    ap.add_argument("--warmup", type=int, default=3, help="untimed warm-up batches before the windows")
    ap.add_argument("--repeats", type=int, default=3, help="timed windows per model (median reported)")
    ap.add_argument("--infer-samples", type=int, default=10000)
    ap.add_argument("--batch-size", type=int, default=128)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()

    try:
        import torch
    except ImportError as e:
        print(json.dumps({"error": "no-torch", "message": str(e), "python": sys.executable}), flush=True)
        sys.exit(3)

    torch.set_num_threads(args.threads)
    models = [m for m in args.models.split(",") if m]
    batches = parse_batches(args.batches, models)

    t = time.perf_counter()
    data = load_data(torch)
    load_s = time.perf_counter() - t
    log(f"torch: data loaded in {load_s:.1f} s")

    results = []
    for m in models:
        results.append(bench_model(torch, m, data, batches[m], args.warmup, args.repeats,
                                   min(args.infer_samples, data[2].shape[0]), args.batch_size, args.seed))

    cfg = torch.__config__.show()
    blas = next((l.split("=", 1)[1].strip() for l in cfg.splitlines() if "BLAS_INFO" in l), None)
    print(json.dumps({
        "engine": "pytorch",
        "info": {
            "torch": torch.__version__,
            "python": sys.version.split()[0],
            "executable": sys.executable,
            "threads": torch.get_num_threads(),
            "interop_threads": torch.get_num_interop_threads(),
            "OPENBLAS_NUM_THREADS": os.environ.get("OPENBLAS_NUM_THREADS"),
            "blas": blas,
            "mkldnn": torch.backends.mkldnn.is_available(),
            "adam_foreach": True,
            "data_load_seconds": load_s,
        },
        "results": results,
    }), flush=True)


if __name__ == "__main__":
    main()
