"""The recipes of `lethe bench train`, run in PyTorch on the same machine, measured the same way.

Trains the default MLP (784-256-128-10, ReLU) one epoch on MNIST per optimiser and batch size and
prints one JSON object: samples per second of the training steps (index the batch, forward, loss,
backward, optimiser step), FLOPs per sample (the products of `lethe bench train`), GFLOP/s, and
`peak_fraction` over a 1024^3 matrix product timed in the same process. As in Lethe's bench, the
epoch is timed in 16 segments with one 1024^3 product timed after each, so both share the
machine's state of the moment.

Usage: pytorch_train_bench.py DATA_DIR THREADS  (DATA_DIR holds mnist/*-ubyte.gz)
"""
import gzip
import json
import os
import struct
import sys
import time

import numpy as np
import torch

SIZES = [784, 256, 128, 10]
RECIPES = {"adam": dict(lr=1e-3), "sgd": dict(lr=0.05, momentum=0.9)}
BATCH_SIZES = [64, 256]
SEGMENTS = 16
PEAK = 1024
MEAN, STD = 0.1307, 0.3081


def read_idx(path):
    with gzip.open(path) as f:
        data = f.read()
    magic, = struct.unpack(">i", data[:4])
    dims = magic & 0xFF
    shape = struct.unpack(">" + "i" * dims, data[4:4 + 4 * dims])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def load(root, split):
    images = read_idx(os.path.join(root, "mnist", f"{split}-images-idx3-ubyte.gz")).reshape(-1, SIZES[0])
    labels = read_idx(os.path.join(root, "mnist", f"{split}-labels-idx1-ubyte.gz"))
    features = (images.astype(np.float32) / 255 - MEAN) / STD
    return torch.from_numpy(features), torch.from_numpy(labels.astype(np.int64))


def flops_per_sample():
    layers = list(zip(SIZES, SIZES[1:]))
    forward = sum(2 * i * o for i, o in layers)
    input_deltas = sum(2 * i * o for i, o in layers[1:])  # the first layer's input needs no gradient
    return 2 * forward + input_deltas


def time_peak(a, b, c):
    start = time.perf_counter()
    torch.mm(a, b, out=c)
    return time.perf_counter() - start


def measure(x, y, test_x, test_y, optimiser, batch):
    torch.manual_seed(20261124)
    layers = []
    for i, (inputs, outputs) in enumerate(zip(SIZES, SIZES[1:])):
        layers.append(torch.nn.Linear(inputs, outputs))
        if i < len(SIZES) - 2:
            layers.append(torch.nn.ReLU())
    model = torch.nn.Sequential(*layers)
    make = torch.optim.Adam if optimiser == "adam" else torch.optim.SGD
    step = make(model.parameters(), **RECIPES[optimiser])
    loss = torch.nn.CrossEntropyLoss()
    a, b = torch.randn(PEAK, PEAK), torch.randn(PEAK, PEAK)
    c = torch.mm(a, b)
    order = torch.randperm(len(x))
    steps = (len(x) + batch - 1) // batch
    train_seconds = peak_seconds = 0.0
    for segment in range(SEGMENTS):
        first, last = steps * segment // SEGMENTS, steps * (segment + 1) // SEGMENTS
        start = time.perf_counter()
        for s in range(first, last):
            rows = order[s * batch:(s + 1) * batch]
            step.zero_grad(set_to_none=True)
            loss(model(x[rows]), y[rows]).backward()
            step.step()
        train_seconds += time.perf_counter() - start
        peak_seconds += time_peak(a, b, c)
    with torch.no_grad():
        accuracy = (model(test_x).argmax(1) == test_y).float().mean().item()
    flops = flops_per_sample()
    gflops = len(x) * flops / train_seconds / 1e9
    peak_gflops = SEGMENTS * 2 * PEAK ** 3 / peak_seconds / 1e9
    return dict(optimiser=optimiser, batch_size=batch, seconds=train_seconds, samples_per_second=len(x) / train_seconds,
                flops_per_sample=flops, gflops=gflops, peak_gflops=peak_gflops, peak_fraction=gflops / peak_gflops,
                test_accuracy=accuracy)


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: pytorch_train_bench.py DATA_DIR THREADS")
    root, threads = sys.argv[1], int(sys.argv[2])
    torch.set_num_threads(threads)
    x, y = load(root, "train")
    test_x, test_y = load(root, "t10k")
    measure(x[:20000], y[:20000], test_x, test_y, "adam", 256)  # warm-up, as Lethe's bench does
    batches = [measure(x, y, test_x, test_y, o, b) for o in RECIPES for b in BATCH_SIZES]
    for r in batches:
        print(f"pytorch {r['optimiser']}, batch {r['batch_size']}: {r['samples_per_second']:.0f} samples/s, "
              f"{r['gflops']:.1f} GFLOP/s (1024^3 {r['peak_gflops']:.1f}): peak_fraction {r['peak_fraction']:.3f}, "
              f"test accuracy {r['test_accuracy']:.2%}", file=sys.stderr)
    print(json.dumps(dict(framework="pytorch", version=torch.__version__, threads=threads,
                          omp_wait_policy=os.environ.get("OMP_WAIT_POLICY"), batches=batches)))


if __name__ == "__main__":
    main()
