#!/usr/bin/env python3
"""PyTorch's side of the GPU comparison: SimpleBaseline ResNet-50 at 256x192 (torchvision
backbone, three 4x4 stride-2 deconvolutions of 256 filters, 1x1 conv to 17 heatmaps), one
training step (forward, joints MSE loss, backward, Adam) with AMP fp16 and channels_last,
random inputs. Prints the median ms/step after warm-up and the peak GPU memory PyTorch
allocated, per batch size; run it in the same visit as pose_bench_train_step (docs/gpu_host.md).

    python3 scripts/bench_pytorch_pose.py --batch 64,128 [--compile] [--eval]
"""
import argparse
import time

import torch
import torch.nn as nn
import torchvision


def pose_resnet50():
    backbone = torchvision.models.resnet50()
    layers = list(backbone.children())[:-2]  # drop avgpool and fc
    head = []
    channels = 2048
    for _ in range(3):
        head += [nn.ConvTranspose2d(channels, 256, 4, stride=2, padding=1, bias=False),
                 nn.BatchNorm2d(256), nn.ReLU(inplace=True)]
        channels = 256
    head.append(nn.Conv2d(256, 17, 1))
    return nn.Sequential(*layers, *head)


def bench(batch, steps, warmup, compiled):
    model = pose_resnet50().cuda().to(memory_format=torch.channels_last)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    scaler = torch.amp.GradScaler("cuda")
    forward = torch.compile(model) if compiled else model
    x = torch.randn(batch, 3, 256, 192, device="cuda").to(memory_format=torch.channels_last)
    target = torch.rand(batch, 17, 64, 48, device="cuda")
    weight = torch.ones(batch, 17, 1, 1, device="cuda")
    torch.cuda.reset_peak_memory_stats()
    times = []
    for i in range(warmup + steps):
        torch.cuda.synchronize()
        start = time.perf_counter()
        optimizer.zero_grad(set_to_none=True)
        with torch.autocast("cuda", dtype=torch.float16):
            out = forward(x)
        loss = 0.5 * ((out.float() * weight - target * weight) ** 2).mean()
        scaler.scale(loss).backward()
        scaler.step(optimizer)
        scaler.update()
        torch.cuda.synchronize()
        if i >= warmup:
            times.append((time.perf_counter() - start) * 1000)
    times.sort()
    median = times[len(times) // 2]
    peak = torch.cuda.max_memory_allocated() / 2**20
    mode = "torch.compile" if compiled else "eager"
    print(f"pytorch  ResNet-50 256x192 batch {batch:4d}  {median:9.2f} ms/step  {1000 * batch / median:8.1f} img/s  "
          f"peak memory {peak:.0f} MiB (torch {torch.__version__}, AMP fp16, channels_last, {mode})", flush=True)


def bench_eval(batch, steps, warmup, compiled):
    """Evaluation with flip test: two fp16 inference forwards per batch, no gradients."""
    model = pose_resnet50().cuda().to(memory_format=torch.channels_last).eval()
    forward = torch.compile(model) if compiled else model
    x = torch.randn(batch, 3, 256, 192, device="cuda").to(memory_format=torch.channels_last)
    torch.cuda.reset_peak_memory_stats()
    times = []
    with torch.no_grad(), torch.autocast("cuda", dtype=torch.float16):
        for i in range(warmup + steps):
            torch.cuda.synchronize()
            start = time.perf_counter()
            forward(x)
            forward(torch.flip(x, dims=[3]))
            torch.cuda.synchronize()
            if i >= warmup:
                times.append((time.perf_counter() - start) * 1000)
    times.sort()
    median = times[len(times) // 2]
    peak = torch.cuda.max_memory_allocated() / 2**20
    mode = "torch.compile" if compiled else "eager"
    print(f"pytorch  ResNet-50 256x192 batch {batch:4d}  {median:9.2f} ms/eval batch with flip (2 forwards)  "
          f"{1000 * batch / median:8.1f} img/s  peak memory {peak:.0f} MiB (torch {torch.__version__}, fp16, "
          f"channels_last, {mode})", flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batch", default="64,128")
    parser.add_argument("--steps", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument("--compile", action="store_true", help="torch.compile the model (compiling takes minutes)")
    parser.add_argument("--eval", action="store_true", help="time evaluation with flip test instead of training")
    args = parser.parse_args()
    torch.backends.cudnn.benchmark = True
    for batch in (int(b) for b in args.batch.split(",")):
        (bench_eval if args.eval else bench)(batch, args.steps, args.warmup, args.compile)


if __name__ == "__main__":
    main()
