#!/usr/bin/env python3
"""Converts a torchvision ResNet state dict (.pth) into the project's weight file.

    convert_torchvision.py --in resnet50-19c8e357.pth --out resnet50.h5

Needs PyTorch and h5py (Debian: apt install python3-torch python3-h5py). If the python3 first
on PATH lacks them, run the script with the one that has them, e.g. /usr/bin/python3.

Accepts resnet18/34/50/101/152 as torchvision saves them (a plain state dict). Names stay as
they are (conv1.*, bn1.*, layer<i>.<b>.*); fc.* (the ImageNet classifier, which the pose
network does not have) and num_batches_tracked (unused: BN momentum is fixed) are dropped.
Every name and shape is checked against the torchvision layout of the detected depth, so a
wide_resnet, resnext or DataParallel ("module.") checkpoint is refused with the reason.
Exit status 0 on success, 1 with a message on stderr otherwise.
"""
import argparse
import os
import sys

try:
    import h5py
    import torch
except ImportError as missing:
    sys.exit(f"convert_torchvision: needs PyTorch and h5py, which {sys.executable} lacks ({missing}); "
             "install python3-torch and python3-h5py or run it with a python that has them")

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pose_weights  # noqa: E402  (found through the line above)

# (block type, blocks per stage) -> torchvision name
ARCHS = {
    ("basic", (2, 2, 2, 2)): "resnet18",
    ("basic", (3, 4, 6, 3)): "resnet34",
    ("bottleneck", (3, 4, 6, 3)): "resnet50",
    ("bottleneck", (3, 4, 23, 3)): "resnet101",
    ("bottleneck", (3, 8, 36, 3)): "resnet152",
}
BUFFER_SUFFIXES = (".running_mean", ".running_var")


class ConversionError(Exception):
    pass


def bn_shapes(prefix, channels):
    return {f"{prefix}.{field}": (channels,) for field in ("weight", "bias", "running_mean", "running_var")}


def expected_shapes(block, counts, width=64):
    """Name -> shape of every tensor the converter keeps, for torchvision's ResNet layout with
    `width` channels in the first stage (64 in every torchvision ResNet)."""
    shapes = {"conv1.weight": (width, 3, 7, 7), **bn_shapes("bn1", width)}
    expansion = 4 if block == "bottleneck" else 1
    inplanes = width
    for stage, count in enumerate(counts):
        planes = width * 2 ** stage
        for b in range(count):
            p = f"layer{stage + 1}.{b}"
            if block == "basic":
                convs = [(planes, inplanes, 3, 3), (planes, planes, 3, 3)]
            else:
                convs = [(planes, inplanes, 1, 1), (planes, planes, 3, 3), (planes * expansion, planes, 1, 1)]
            for i, shape in enumerate(convs, start=1):
                shapes[f"{p}.conv{i}.weight"] = shape
                shapes.update(bn_shapes(f"{p}.bn{i}", shape[0]))
            # torchvision adds a projection where the first block changes stride or width.
            if b == 0 and (stage > 0 or inplanes != planes * expansion):
                shapes[f"{p}.downsample.0.weight"] = (planes * expansion, inplanes, 1, 1)
                shapes.update(bn_shapes(f"{p}.downsample.1", planes * expansion))
            inplanes = planes * expansion
    return shapes


def load_state_dict(path):
    if not os.path.isfile(path):
        raise ConversionError(f"'{path}' does not exist or is not a file")
    try:
        state = torch.load(path, map_location="cpu")
    except Exception as e:  # torch.load raises many types (pickle, zip, runtime)
        raise ConversionError(f"cannot read '{path}' as a PyTorch file: {e}")
    if not isinstance(state, dict) or not all(torch.is_tensor(v) for v in state.values()):
        raise ConversionError(f"'{path}' does not hold a state dict (a dict of tensors); "
                              "a training checkpoint must have its model state dict extracted first")
    return state


def detect_arch(state, path):
    if any(k.startswith("module.") for k in state):
        raise ConversionError(f"'{path}' has 'module.'-prefixed names (saved from DataParallel); "
                              "strip the prefix first")
    counts = []
    for stage in range(1, 5):
        blocks = {int(k.split(".")[1]) for k in state if k.startswith(f"layer{stage}.") and k.split(".")[1].isdigit()}
        if not blocks:
            raise ConversionError(f"'{path}' has no layer{stage}.* tensors: not a torchvision ResNet")
        counts.append(max(blocks) + 1)
    block = "bottleneck" if "layer1.0.conv3.weight" in state else "basic"
    arch = ARCHS.get((block, tuple(counts)))
    if arch is None:
        raise ConversionError(f"'{path}': {block} blocks {counts} per stage match no torchvision "
                              f"resnet18/34/50/101/152")
    return arch, expected_shapes(block, counts)


def name_and_shape_problems(state, expected, wrong_shape_hint=""):
    """What differs between a state dict and the expected {name: shape}: missing, unexpected and
    wrongly shaped tensors, a few named each; empty when they agree."""
    missing = [k for k in expected if k not in state]
    unexpected = [k for k in state if k not in expected]
    wrong = [f"{k} {tuple(v.shape)} (expected {expected[k]})" for k, v in state.items()
             if k in expected and tuple(v.shape) != expected[k]]
    problems = []
    if missing:
        problems.append(f"missing {len(missing)}: {', '.join(missing[:5])}")
    if unexpected:
        problems.append(f"unexpected {len(unexpected)}: {', '.join(unexpected[:5])}")
    if wrong:
        problems.append(f"wrong shape {len(wrong)}{wrong_shape_hint}: {', '.join(wrong[:5])}")
    return problems


def check_floating_point(state, path):
    not_float = [k for k, v in state.items() if not v.is_floating_point()]
    if not_float:
        raise ConversionError(f"'{path}': tensors that are not floating point: {', '.join(not_float[:5])}")


def check_names_and_shapes(state, expected, arch, path):
    kept = {k: v for k, v in state.items() if not k.startswith("fc.") and not k.endswith(".num_batches_tracked")}
    problems = name_and_shape_problems(kept, expected, " (a wide or grouped variant?)")
    if problems:
        raise ConversionError(f"'{path}' is not a torchvision {arch} state dict: " + "; ".join(problems))
    check_floating_point(kept, path)
    return kept


def write_weights(kept, arch, in_path, out_path):
    params = [(k, v.float().numpy()) for k, v in kept.items() if not k.endswith(BUFFER_SUFFIXES)]
    buffers = [(k, v.float().numpy()) for k, v in kept.items() if k.endswith(BUFFER_SUFFIXES)]
    partial = out_path + ".partial"  # renamed at the end: no half-written file under out_path
    try:
        # The folder of --out may not exist yet (the README's pretrained/).
        os.makedirs(os.path.dirname(out_path) or ".", exist_ok=True)
        with h5py.File(partial, "w") as f:
            pose_weights.write_header(f, f"torchvision {arch} from {os.path.basename(in_path)}")
            pose_weights.write_tensors(f, "params", params)
            pose_weights.write_tensors(f, "buffers", buffers)
        os.replace(partial, out_path)
    except OSError as e:
        if os.path.exists(partial):
            os.remove(partial)
        raise ConversionError(f"cannot write '{out_path}': {e}")
    return params, buffers


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--in", dest="in_path", required=True, help="torchvision state dict (.pth)")
    parser.add_argument("--out", dest="out_path", required=True, help="weight file to write (.h5)")
    args = parser.parse_args()
    try:
        state = load_state_dict(args.in_path)
        arch, expected = detect_arch(state, args.in_path)
        kept = check_names_and_shapes(state, expected, arch, args.in_path)
        params, buffers = write_weights(kept, arch, args.in_path, args.out_path)
    except ConversionError as e:
        print(f"convert_torchvision: error: {e}", file=sys.stderr)
        return 1
    values = sum(v.size for _, v in params)
    print(f"wrote {args.out_path}: {arch}, {len(params)} params ({values / 1e6:.2f} M values), "
          f"{len(buffers)} BN buffers")
    return 0


if __name__ == "__main__":
    sys.exit(main())
