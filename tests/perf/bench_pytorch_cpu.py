#!/usr/bin/python3
"""PyTorch's side of the CPU comparison (tests/perf/cpu_vs_pytorch.sh): one SimpleBaseline
training step (forward, joints MSE loss with target weights, backward, Adam) in fp32 on random
inputs, the same network as pose_bench_train_step builds: a ResNet of the given depth and
stage-1 width, three 4x4 stride-2 deconvolutions with BN and ReLU, a 1x1 conv to 17 heatmaps.
Prints the median ms/step after warm-up, in the format of pose_bench_train_step.

    /usr/bin/python3 tests/perf/bench_pytorch_cpu.py --depth 18 --width 16 --deconv 64 \
        --input 96x128 --batch 8 --threads 1
"""
import argparse
import time

import torch
import torch.nn as nn

# Blocks per stage and whether the stages use bottlenecks (expansion 4).
LAYOUTS = {18: ([2, 2, 2, 2], False), 34: ([3, 4, 6, 3], False), 50: ([3, 4, 6, 3], True)}


def conv_bn(cin, cout, kernel, stride, relu=True):
    layers = [nn.Conv2d(cin, cout, kernel, stride, kernel // 2, bias=False), nn.BatchNorm2d(cout)]
    return nn.Sequential(*layers, *([nn.ReLU(inplace=True)] if relu else []))


class Block(nn.Module):
    def __init__(self, cin, width, stride, bottleneck):
        super().__init__()
        cout = width * 4 if bottleneck else width
        if bottleneck:
            self.body = nn.Sequential(conv_bn(cin, width, 1, 1), conv_bn(width, width, 3, stride),
                                      conv_bn(width, cout, 1, 1, relu=False))
        else:
            self.body = nn.Sequential(conv_bn(cin, width, 3, stride), conv_bn(width, cout, 3, 1, relu=False))
        self.skip = conv_bn(cin, cout, 1, stride, relu=False) if stride != 1 or cin != cout else nn.Identity()
        self.out_channels = cout

    def forward(self, x):
        return torch.relu(self.body(x) + self.skip(x))


def pose_resnet(depth, width, deconv):
    blocks, bottleneck = LAYOUTS[depth]
    layers = [conv_bn(3, width, 7, 2), nn.MaxPool2d(3, 2, 1)]
    channels = width
    for stage, count in enumerate(blocks):
        for i in range(count):
            block = Block(channels, width << stage, 2 if stage > 0 and i == 0 else 1, bottleneck)
            layers.append(block)
            channels = block.out_channels
    for _ in range(3):
        layers += [nn.ConvTranspose2d(channels, deconv, 4, stride=2, padding=1, bias=False),
                   nn.BatchNorm2d(deconv), nn.ReLU(inplace=True)]
        channels = deconv
    layers.append(nn.Conv2d(channels, 17, 1))
    return nn.Sequential(*layers)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--depth", type=int, default=18, choices=sorted(LAYOUTS))
    p.add_argument("--width", type=int, default=16)
    p.add_argument("--deconv", type=int, default=64)
    p.add_argument("--input", default="96x128", help="WxH, as pose_bench_train_step")
    p.add_argument("--batch", type=int, default=8)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--steps", type=int, default=10)
    p.add_argument("--warmup", type=int, default=3)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(1)
    w, h = (int(v) for v in a.input.split("x"))
    model = pose_resnet(a.depth, a.width, a.deconv)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    x = torch.randn(a.batch, 3, h, w)
    target = torch.rand(a.batch, 17, h // 4, w // 4)
    weight = torch.ones(a.batch, 17, 1, 1)
    times = []
    for i in range(a.warmup + a.steps):
        start = time.perf_counter()
        optimizer.zero_grad(set_to_none=True)
        out = model(x)
        loss = 0.5 * ((out * weight - target * weight) ** 2).mean()
        loss.backward()
        optimizer.step()
        if i >= a.warmup:
            times.append(1000 * (time.perf_counter() - start))
    ms = sorted(times)[len(times) // 2]
    print(f"torch ResNet-{a.depth}/w{a.width} {h}x{w} batch {a.batch:4d} threads {a.threads}"
          f"  {ms:9.2f} ms/step  {1000 * a.batch / ms:8.1f} img/s")


if __name__ == "__main__":
    main()
