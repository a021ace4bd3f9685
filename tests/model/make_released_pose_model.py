#!/usr/bin/env python3
"""Test helper for test_released_models: saves a randomly initialised SimpleBaseline model as a
released one would be saved, in one of the layouts convert_pose_model.py imports, and a
reference file with an input batch and PyTorch's heatmaps for it (eval mode, float64).

    make_released_pose_model.py --out DIR msra:50 mmpose1:18 ...

writes DIR/<layout>_resnet<depth>.pth and DIR/<layout>_resnet<depth>.h5 (the reference) for
each layout:depth given, in one run (PyTorch starts slowly).

Layouts: msra (a plain state dict), msra_checkpoint (under "state_dict" with DataParallel's
"module." prefix, as the reference's checkpoint.pth.tar), mmpose1 (backbone.* and head.* under
"state_dict" beside "meta"), mmpose0 (backbone.* and keypoint_head.*). The network is small
(first-stage width 8, 32 deconv filters, 128x96 input) so the test runs in seconds, but has the
real structure: torchvision's ResNet blocks, 3 x (ConvTranspose2d 4/2/1 without bias, BN,
ReLU), a 1x1 conv with bias. The reference is a weight-format file (group "reference":
"input" NCHW, "heatmaps" NCHW) with the network's settings as root attributes.
Needs torch and h5py (Debian: python3-torch python3-h5py).
"""
import argparse
import os
import sys

import h5py
import numpy as np
import torch
from torch import nn

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "preprocess", "weights"))
import pose_weights  # noqa: E402  (found through the line above)

WIDTH = 8
DECONV_FILTERS = 32
JOINTS = 17
BATCH = 2
INPUT_HEIGHT, INPUT_WIDTH = 128, 96
BLOCKS = {18: ("basic", (2, 2, 2, 2)), 34: ("basic", (3, 4, 6, 3)), 50: ("bottleneck", (3, 4, 6, 3)),
          101: ("bottleneck", (3, 4, 23, 3)), 152: ("bottleneck", (3, 8, 36, 3))}


class Block(nn.Module):
    """torchvision's BasicBlock or Bottleneck (stride on the 3x3 conv, "pytorch" style)."""

    def __init__(self, kind, inplanes, planes, stride):
        super().__init__()
        expansion = 4 if kind == "bottleneck" else 1
        if kind == "basic":
            shapes = [(inplanes, planes, 3, stride), (planes, planes, 3, 1)]
        else:
            shapes = [(inplanes, planes, 1, 1), (planes, planes, 3, stride), (planes, planes * 4, 1, 1)]
        self.count = len(shapes)
        for i, (cin, cout, k, s) in enumerate(shapes, start=1):
            setattr(self, f"conv{i}", nn.Conv2d(cin, cout, k, s, k // 2, bias=False))
            setattr(self, f"bn{i}", nn.BatchNorm2d(cout))
        self.downsample = None
        if stride != 1 or inplanes != planes * expansion:
            self.downsample = nn.Sequential(nn.Conv2d(inplanes, planes * expansion, 1, stride, bias=False),
                                            nn.BatchNorm2d(planes * expansion))

    def forward(self, x):
        y = x
        for i in range(1, self.count + 1):
            y = getattr(self, f"bn{i}")(getattr(self, f"conv{i}")(y))
            if i < self.count:
                y = torch.relu(y)
        shortcut = x if self.downsample is None else self.downsample(x)
        return torch.relu(y + shortcut)


class Backbone(nn.Module):
    def __init__(self, depth):
        super().__init__()
        kind, counts = BLOCKS[depth]
        expansion = 4 if kind == "bottleneck" else 1
        self.conv1 = nn.Conv2d(3, WIDTH, 7, 2, 3, bias=False)
        self.bn1 = nn.BatchNorm2d(WIDTH)
        inplanes = WIDTH
        for stage, count in enumerate(counts):
            planes = WIDTH * 2 ** stage
            blocks = []
            for b in range(count):
                blocks.append(Block(kind, inplanes, planes, 2 if stage > 0 and b == 0 else 1))
                inplanes = planes * expansion
            setattr(self, f"layer{stage + 1}", nn.Sequential(*blocks))
        self.out_channels = inplanes

    def forward(self, x):
        x = nn.functional.max_pool2d(torch.relu(self.bn1(self.conv1(x))), 3, 2, 1)
        return self.layer4(self.layer3(self.layer2(self.layer1(x))))


class Head(nn.Module):
    def __init__(self, inplanes):
        super().__init__()
        layers = []
        for _ in range(3):
            layers += [nn.ConvTranspose2d(inplanes, DECONV_FILTERS, 4, 2, 1, bias=False),
                       nn.BatchNorm2d(DECONV_FILTERS), nn.ReLU()]
            inplanes = DECONV_FILTERS
        self.deconv_layers = nn.Sequential(*layers)
        self.final_layer = nn.Conv2d(DECONV_FILTERS, JOINTS, 1)

    def forward(self, x):
        return self.final_layer(self.deconv_layers(x))


class Model(nn.Module):
    def __init__(self, depth):
        super().__init__()
        self.backbone = Backbone(depth)
        self.head = Head(self.backbone.out_channels)

    def forward(self, x):
        return self.head(self.backbone(x))


def randomise(model):
    """Every weight random with a scale that keeps activations near 1, and every BN with a
    random scale, shift and running statistics, so a tensor loaded into the wrong place or not
    at all changes the heatmaps."""
    with torch.no_grad():
        for module in model.modules():
            if isinstance(module, (nn.Conv2d, nn.ConvTranspose2d)):
                nn.init.kaiming_normal_(module.weight, nonlinearity="relu")
                if module.bias is not None:
                    module.bias.uniform_(-0.1, 0.1)
            elif isinstance(module, nn.BatchNorm2d):
                module.weight.uniform_(0.5, 1.5)
                module.bias.uniform_(-0.2, 0.2)
                module.running_mean.uniform_(-0.5, 0.5)
                module.running_var.uniform_(0.5, 1.5)
                module.num_batches_tracked.fill_(1000)


def released_state(model, layout):
    """The state dict as the layout's project saves it."""
    backbone = model.backbone.state_dict()
    head = model.head.state_dict()
    if layout == "msra":
        return {**backbone, **head}
    if layout == "msra_checkpoint":
        return {"epoch": 140, "state_dict": {f"module.{k}": v for k, v in {**backbone, **head}.items()}}
    head_prefix = {"mmpose1": "head.", "mmpose0": "keypoint_head."}[layout]
    state = {**{f"backbone.{k}": v for k, v in backbone.items()}, **{f"{head_prefix}{k}": v for k, v in head.items()}}
    return {"meta": {"epoch": 210}, "state_dict": state}


def write_case(layout, depth, out_dir, seed):
    torch.manual_seed(seed)
    model = Model(depth)
    randomise(model)
    model.eval()
    name = os.path.join(out_dir, f"{layout}_resnet{depth}")
    torch.save(released_state(model, layout), name + ".pth")

    image = torch.randn(BATCH, 3, INPUT_HEIGHT, INPUT_WIDTH)
    with torch.no_grad():
        heatmaps = model.double()(image.double())
    with h5py.File(name + ".h5", "w") as f:
        pose_weights.write_header(f, f"PyTorch {layout} resnet{depth} reference")
        for key, value in {"depth": depth, "base_width": WIDTH, "deconv_filters": DECONV_FILTERS,
                           "num_joints": JOINTS, "input_height": INPUT_HEIGHT, "input_width": INPUT_WIDTH}.items():
            f.attrs[key] = np.int64(value)
        pose_weights.write_tensors(f, "reference", [("input", image.numpy()), ("heatmaps", heatmaps.numpy())])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", required=True, help="folder for the files")
    parser.add_argument("cases", nargs="+", help="layout:depth, layout one of msra, msra_checkpoint, mmpose1, mmpose0")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    for case in args.cases:
        layout, _, depth = case.partition(":")
        if layout not in ("msra", "msra_checkpoint", "mmpose1", "mmpose0") or not depth.isdigit() or int(depth) not in BLOCKS:
            parser.error(f"{case}: expected layout:depth")
        write_case(layout, int(depth), args.out, args.seed)


if __name__ == "__main__":
    main()
