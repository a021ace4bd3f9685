#!/usr/bin/env python3
"""Writes pose_resnet_tiny.h5: a whole-network PyTorch reference for the C++ PoseResNet.

A SimpleBaseline PoseResNet built like MSRA's pose_resnet.py (docs/reference_behaviour.md section 5) but with
a ResNet-18 backbone of base width 8 and 32 deconv filters so the file stays small: one
train-mode forward and backward in float64, with the initial weights, inputs, outputs, loss,
every gradient and the BN running statistics after the step. See README.md in this folder.

    /usr/bin/python3 tests/data/reference/make_pose_resnet_reference.py

Needs torch and h5py (Debian: python3-torch python3-h5py). Deterministic: the same torch
version writes the same bytes.
"""
import argparse
import os
import sys

import h5py
import numpy as np
import torch
from torch import nn

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "..", "preprocess", "weights"))
import pose_weights  # noqa: E402  (found through the line above)

ARCH = "resnet18"
BLOCKS = (2, 2, 2, 2)
BASE_WIDTH = 8
DECONV_FILTERS = 32
NUM_JOINTS = 17
BATCH = 2
# Half the COCO input of 256x192: divisible by 32, so the heatmaps are input / 4 (32x24) as in
# the real network (64x48 would give a 2x2 layer4 and 16x16 heatmaps).
INPUT_HEIGHT, INPUT_WIDTH = 128, 96
BN_MOMENTUM = 0.1
BN_EPS = 1e-5


def bn(channels):
    return nn.BatchNorm2d(channels, eps=BN_EPS, momentum=BN_MOMENTUM)


class BasicBlock(nn.Module):
    """torchvision's ResNet-18/34 block: two 3x3 convs, the stride on the first, and a 1x1
    projection (downsample.0 conv, downsample.1 BN) where the shape changes."""

    def __init__(self, inplanes, planes, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(inplanes, planes, 3, stride, 1, bias=False)
        self.bn1 = bn(planes)
        self.relu = nn.ReLU()
        self.conv2 = nn.Conv2d(planes, planes, 3, 1, 1, bias=False)
        self.bn2 = bn(planes)
        self.downsample = None
        if stride != 1 or inplanes != planes:
            self.downsample = nn.Sequential(nn.Conv2d(inplanes, planes, 1, stride, bias=False), bn(planes))

    def forward(self, x):
        shortcut = x if self.downsample is None else self.downsample(x)
        y = self.relu(self.bn1(self.conv1(x)))
        return self.relu(self.bn2(self.conv2(y)) + shortcut)


class PoseResNet(nn.Module):
    """MSRA's PoseResNet: ResNet without avgpool/fc, 3 x [ConvTranspose2d(4, 2, 1, no bias),
    BN, ReLU], then a 1x1 conv with bias to the heatmaps. Names match the state dicts of
    torchvision and MSRA."""

    def __init__(self, width, blocks, deconv_filters, joints):
        super().__init__()
        self.conv1 = nn.Conv2d(3, width, 7, 2, 3, bias=False)
        self.bn1 = bn(width)
        self.relu = nn.ReLU()
        self.maxpool = nn.MaxPool2d(3, 2, 1)
        inplanes = width
        for stage, count in enumerate(blocks):
            planes = width * 2 ** stage
            stride = 1 if stage == 0 else 2
            layers = [BasicBlock(inplanes if b == 0 else planes, planes, stride if b == 0 else 1) for b in range(count)]
            setattr(self, f"layer{stage + 1}", nn.Sequential(*layers))
            inplanes = planes
        head = []
        for _ in range(3):
            head += [nn.ConvTranspose2d(inplanes, deconv_filters, 4, 2, 1, output_padding=0, bias=False),
                     bn(deconv_filters), nn.ReLU()]
            inplanes = deconv_filters
        self.deconv_layers = nn.Sequential(*head)
        self.final_layer = nn.Conv2d(deconv_filters, joints, 1, 1, 0)

    def forward(self, x):
        x = self.maxpool(self.relu(self.bn1(self.conv1(x))))
        x = self.layer4(self.layer3(self.layer2(self.layer1(x))))
        return self.final_layer(self.deconv_layers(x))


def initialise(model):
    """Deterministic (the caller seeds torch). Backbone convs as torchvision initialises them
    (kaiming normal, fan_out, relu). Unlike the real initialisation, every BN gets a random
    scale in [0.5, 1.5], shift in [-0.2, 0.2] and running statistics, so a swapped or ignored
    BN tensor changes the results. Deconv and final conv weights are normal with std 0.1
    instead of MSRA's 0.001: with 0.001 the heatmaps would be almost the final bias and every
    gradient below the final layer about 1000x smaller, down where float32 rounding in the C++
    run would swamp the comparison."""
    with torch.no_grad():
        for name, module in model.named_modules():
            if isinstance(module, nn.Conv2d) and not name.startswith("final_layer"):
                nn.init.kaiming_normal_(module.weight, mode="fan_out", nonlinearity="relu")
            elif isinstance(module, nn.ConvTranspose2d):
                nn.init.normal_(module.weight, std=0.1)
            elif isinstance(module, nn.BatchNorm2d):
                module.weight.uniform_(0.5, 1.5)
                module.bias.uniform_(-0.2, 0.2)
                module.running_mean.uniform_(-0.5, 0.5)
                module.running_var.uniform_(0.5, 1.5)
        nn.init.normal_(model.final_layer.weight, std=0.1)
        model.final_layer.bias.uniform_(-0.05, 0.05)


def make_batch(heatmap_height, heatmap_width):
    """Input normal(0, 1); targets Gaussian blobs (sigma 2, peak 1) at random places, as the
    data pipeline makes them; target weights 0 or 1 with some zeros. Zero-weight joints keep a
    non-zero target, so the loss must mask the target as well as the prediction."""
    image = torch.randn(BATCH, 3, INPUT_HEIGHT, INPUT_WIDTH)
    ys = torch.arange(heatmap_height, dtype=torch.float32).view(1, 1, -1, 1)
    xs = torch.arange(heatmap_width, dtype=torch.float32).view(1, 1, 1, -1)
    cy = torch.rand(BATCH, NUM_JOINTS, 1, 1) * heatmap_height
    cx = torch.rand(BATCH, NUM_JOINTS, 1, 1) * heatmap_width
    target = torch.exp(-((xs - cx) ** 2 + (ys - cy) ** 2) / (2 * 2.0 ** 2))
    weight = (torch.rand(BATCH, NUM_JOINTS, 1) < 0.75).float()
    assert 0 < weight.sum() < weight.numel(), "want some zero and some non-zero target weights"
    return image, target, weight


def joints_mse_loss(output, target, target_weight):
    """MSRA JointsMSELoss with target weight (docs/reference_behaviour.md section 4): per joint
    0.5 * mean over batch and pixels of (w * pred - w * gt)^2, averaged over joints."""
    n, joints = output.shape[:2]
    pred = output.reshape(n, joints, -1)
    gt = target.reshape(n, joints, -1)
    per_joint = [0.5 * ((pred[:, j] * target_weight[:, j] - gt[:, j] * target_weight[:, j]) ** 2).mean()
                 for j in range(joints)]
    return sum(per_joint) / joints


def float32(tensor):
    return tensor.detach().cpu().to(torch.float32).numpy()


def write_reference(path, model, initial_params, initial_buffers, image, target, weight, output, loss):
    partial = path + ".partial"  # renamed at the end: no half-written reference
    with h5py.File(partial, "w") as f:
        pose_weights.write_header(f, "tests/data/reference/make_pose_resnet_reference.py "
                                     f"(torch {torch.__version__}; float64, train mode)")
        f.attrs["arch"] = np.bytes_(ARCH)
        for key, value in [("base_width", BASE_WIDTH), ("deconv_filters", DECONV_FILTERS),
                           ("num_joints", NUM_JOINTS), ("input_height", INPUT_HEIGHT),
                           ("input_width", INPUT_WIDTH), ("heatmap_height", output.shape[2]),
                           ("heatmap_width", output.shape[3]), ("batch", BATCH)]:
            f.attrs[key] = np.int64(value)
        f.attrs["bn_momentum"] = np.float64(BN_MOMENTUM)
        f.attrs["bn_eps"] = np.float64(BN_EPS)
        f.create_dataset("input", data=float32(image))
        f.create_dataset("target", data=float32(target))
        f.create_dataset("target_weight", data=float32(weight.squeeze(2)))
        f.create_dataset("output", data=float32(output))
        f.create_dataset("loss", data=np.float32(loss.item()))
        pose_weights.write_tensors(f, "params", initial_params)
        pose_weights.write_tensors(f, "buffers", initial_buffers)
        pose_weights.write_tensors(f, "grads", [(k, float32(p.grad)) for k, p in model.named_parameters()])
        pose_weights.write_tensors(f, "buffers_after", running_stats(model))
    os.replace(partial, path)


def running_stats(model):
    return [(k, float32(b)) for k, b in model.named_buffers() if not k.endswith("num_batches_tracked")]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default=os.path.join(HERE, "pose_resnet_tiny.h5"))
    args = parser.parse_args()

    torch.manual_seed(0)
    torch.set_num_threads(1)  # one summation order, so the file is the same on every machine
    model = PoseResNet(BASE_WIDTH, BLOCKS, DECONV_FILTERS, NUM_JOINTS)
    initialise(model)
    # Everything is drawn in float32 and only then widened: float32 -> float64 is exact, so
    # the stored float32 weights and inputs are exactly what the float64 run used.
    image, target, weight = make_batch(INPUT_HEIGHT // 4, INPUT_WIDTH // 4)
    initial_params = [(k, float32(p)) for k, p in model.named_parameters()]
    initial_buffers = running_stats(model)

    model.double().train()  # train mode: BN uses batch statistics and updates running ones
    output = model(image.double())
    assert output.shape == target.shape, f"heatmaps {tuple(output.shape)} vs targets {tuple(target.shape)}"
    loss = joints_mse_loss(output, target.double(), weight.double())
    loss.backward()

    write_reference(args.out, model, initial_params, initial_buffers, image, target, weight, output, loss)
    print(f"wrote {args.out}: loss {loss.item():.6g}, output {tuple(output.shape)}, "
          f"{sum(p.numel() for p in model.parameters())} parameters")


if __name__ == "__main__":
    main()
