"""The PyTorch half of bin/bench-torch: the same local training the simulator times, on the same data.

Usage: torch_side_by_side.py MODEL X.f32 Y.i32 N BATCH EPOCHS LR MOMENTUM THREADS

MODEL is logreg:IN:CLASSES, mlp:IN:H1xH2...:CLASSES or cnn:C1:C2:FC:CLASSES (28x28x1 inputs, 5x5 SAME convolutions,
2x2 max pooling: the LEAF CNN). X.f32 holds N samples (float32, little-endian, sample-major), Y.i32 their labels.
Trains EPOCHS epochs of momentum SGD at batch BATCH in file order and prints one JSON line:
{"seconds": ..., "samples": ..., "steps": ..., "loss": ...}.
"""
import json
import sys
import time

import numpy as np
import torch
from torch import nn


def build(spec):
    kind, *parts = spec.split(":")
    if kind == "logreg":
        d, k = int(parts[0]), int(parts[1])
        return nn.Linear(d, k), (d,)
    if kind == "mlp":
        d, hidden, k = int(parts[0]), [int(h) for h in parts[1].split("x")], int(parts[2])
        layers, prev = [], d
        for h in hidden:
            layers += [nn.Linear(prev, h), nn.ReLU()]
            prev = h
        layers.append(nn.Linear(prev, k))
        return nn.Sequential(*layers), (d,)
    if kind == "cnn":
        c1, c2, fc, k = (int(p) for p in parts)
        net = nn.Sequential(
            nn.Conv2d(1, c1, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(c1, c2, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
            nn.Flatten(), nn.Linear(c2 * 7 * 7, fc), nn.ReLU(), nn.Linear(fc, k))
        return net, (1, 28, 28)
    raise SystemExit("unknown model " + spec)


def main(argv):
    spec, xf, yf = argv[1], argv[2], argv[3]
    n, batch, epochs = int(argv[4]), int(argv[5]), int(argv[6])
    lr, momentum, threads = float(argv[7]), float(argv[8]), int(argv[9])
    torch.set_num_threads(threads)
    torch.manual_seed(1)
    net, shape = build(spec)
    x = torch.from_numpy(np.fromfile(xf, dtype="<f4").reshape((n,) + shape))
    y = torch.from_numpy(np.fromfile(yf, dtype="<i4").astype(np.int64))
    opt = torch.optim.SGD(net.parameters(), lr=lr, momentum=momentum)
    loss_fn = nn.CrossEntropyLoss()
    steps, total = 0, 0.0
    t0 = time.perf_counter()
    for _ in range(epochs):
        for s in range(0, n, batch):
            xb, yb = x[s:s + batch], y[s:s + batch]
            opt.zero_grad(set_to_none=True)
            loss = loss_fn(net(xb), yb)
            loss.backward()
            opt.step()
            steps += 1
            total += loss.item()
    seconds = time.perf_counter() - t0
    print(json.dumps({"seconds": seconds, "samples": n * epochs, "steps": steps, "loss": total / steps}))


if __name__ == "__main__":
    main(sys.argv)
