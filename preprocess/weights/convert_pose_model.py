#!/usr/bin/env python3
"""Imports a released SimpleBaseline pose model (.pth) into the project's weight file, head included.

    convert_pose_model.py --in pose_resnet_50_256x192.pth.tar --out res50_256x192_msra.h5

Needs PyTorch and h5py (Debian: apt install python3-torch python3-h5py).

Layouts it recognises (the names are those of the published model code):
  msra      the MSRA reference (microsoft/human-pose-estimation.pytorch, lib/models/pose_resnet.py):
            ResNet tensors at the top level (conv1, bn1, layer1..4), deconv_layers.<n>.* and
            final_layer.*; a "module." prefix (saved from DataParallel) is removed.
  mmpose1   mmpose 1.x TopdownPoseEstimator with HeatmapHead: backbone.* and head.*.
  mmpose0   mmpose 0.x TopDown with TopdownHeatmapSimpleHead: backbone.* and keypoint_head.*.
A file may hold the state dict itself or a checkpoint dict with it under "state_dict"
(mmpose's checkpoints and the MSRA training checkpoints). After the prefixes are removed, every
name and shape is checked: a ResNet of torchvision's layout (any depth of 18/34/50/101/152 and
any first-stage width), deconv_layers.<3i> transposed convs each followed by deconv_layers.<3i+1>
batch norm, and one final_layer conv with bias. Heads with extra convs (mmpose's conv_layers),
other backbones or the "caffe" block style cannot be told from a pytorch-style one by their
names: the first two are refused, the last is not supported (MSRA released pytorch style).

Prints the [model] settings the weights need (give them to pose_eval / pose_infer as flags or
in the config). Exit status 0 on success, 1 with a message on stderr otherwise.
"""
import argparse
import os
import re
import sys

try:
    import h5py  # noqa: F401  (pose_weights needs it; checked here for the message)
    import torch
except ImportError as missing:
    sys.exit(f"convert_pose_model: needs PyTorch and h5py, which {sys.executable} lacks ({missing}); "
             "install python3-torch and python3-h5py or run it with a python that has them")

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import convert_torchvision as tv  # noqa: E402  (found through the line above)
import pose_weights  # noqa: E402

# layout -> (backbone prefix, head prefix)
LAYOUTS = {
    "msra": ("", ""),
    "mmpose1": ("backbone.", "head."),
    "mmpose0": ("backbone.", "keypoint_head."),
}
DEPTHS = {"resnet18": 18, "resnet34": 34, "resnet50": 50, "resnet101": 101, "resnet152": 152}


ConversionError = tv.ConversionError  # one error class for both converters' checks


def load_state_dict(path):
    if not os.path.isfile(path):
        raise ConversionError(f"'{path}' does not exist or is not a file")
    try:
        # weights_only where this torch has it: a released file should hold tensors, not code.
        try:
            state = torch.load(path, map_location="cpu", weights_only=True)
        except TypeError:
            state = torch.load(path, map_location="cpu")
    except Exception as e:  # torch.load raises many types (pickle, zip, runtime)
        raise ConversionError(f"cannot read '{path}' as a PyTorch file: {e}")
    if isinstance(state, dict) and isinstance(state.get("state_dict"), dict):
        state = state["state_dict"]
    if not isinstance(state, dict) or not state or not all(torch.is_tensor(v) for v in state.values()):
        raise ConversionError(f"'{path}' holds neither a state dict (a dict of tensors) nor a checkpoint "
                              "with one under 'state_dict'")
    return state


def detect_layout(state, path):
    """The layout name and the state dict with its prefixes removed (ours are MSRA's names)."""
    if all(k.startswith("module.") for k in state):
        state = {k[len("module."):]: v for k, v in state.items()}
    if "final_layer.weight" in state:
        layout = "msra"
    elif "head.final_layer.weight" in state:
        layout = "mmpose1"
    elif "keypoint_head.final_layer.weight" in state:
        layout = "mmpose0"
    else:
        raise ConversionError(f"'{path}' has no final_layer.weight, head.final_layer.weight or "
                              "keypoint_head.final_layer.weight: not a SimpleBaseline model of the MSRA "
                              "reference or mmpose (a head with extra convs is not supported)")
    backbone, head = LAYOUTS[layout]
    renamed = {}
    for name, tensor in state.items():
        if name.endswith(".num_batches_tracked"):
            continue  # unused: BN momentum is fixed
        if layout != "msra" and name.startswith(head):
            renamed[name[len(head):]] = tensor
        elif layout != "msra" and name.startswith(backbone):
            renamed[name[len(backbone):]] = tensor
        elif layout == "msra":
            renamed[name] = tensor
        else:
            raise ConversionError(f"'{path}' ({layout} layout): tensor '{name}' is neither under "
                                  f"'{backbone}' nor under '{head}'")
    return layout, renamed


def head_shapes(state, inplanes, path):
    """Name -> expected shape of the head, and its settings, read from the deconv tensors."""
    numbers = sorted({int(m.group(1)) for k in state for m in [re.match(r"deconv_layers\.(\d+)\.", k)] if m})
    convs = [n for n in numbers if n % 3 == 0]
    if not convs or convs != list(range(0, 3 * len(convs), 3)) or numbers != sorted(convs + [n + 1 for n in convs]):
        raise ConversionError(f"'{path}': deconv_layers numbered {numbers}, expected transposed convs at "
                              "0, 3, 6, ... each followed by batch norm")
    shapes, filters, kernels = {}, [], []
    with_bias = "deconv_layers.0.bias" in state
    for i, n in enumerate(convs):
        weight = state.get(f"deconv_layers.{n}.weight")
        if weight is None or weight.dim() != 4:
            raise ConversionError(f"'{path}': deconv_layers.{n}.weight missing or not 4-d")
        planes, kernel = int(weight.shape[1]), int(weight.shape[2])
        shapes[f"deconv_layers.{n}.weight"] = (inplanes, planes, kernel, kernel)
        if with_bias:
            shapes[f"deconv_layers.{n}.bias"] = (planes,)
        shapes.update(tv.bn_shapes(f"deconv_layers.{n + 1}", planes))
        filters.append(planes)
        kernels.append(kernel)
        inplanes = planes
    final = state["final_layer.weight"]
    if final.dim() != 4:
        raise ConversionError(f"'{path}': final_layer.weight has shape {tuple(final.shape)}, expected 4-d")
    joints, final_kernel = int(final.shape[0]), int(final.shape[2])
    shapes["final_layer.weight"] = (joints, inplanes, final_kernel, final_kernel)
    shapes["final_layer.bias"] = (joints,)
    settings = {
        "num_joints": joints,
        "num_deconv_layers": len(filters),
        "num_deconv_filters": ",".join(map(str, filters)),
        "num_deconv_kernels": ",".join(map(str, kernels)),
        "final_conv_kernel": final_kernel,
        "deconv_with_bias": "true" if with_bias else "false",
    }
    return shapes, settings


def expected_tensors(state, path):
    """Name -> shape of every tensor of the model, and the [model] settings it needs."""
    backbone_state = {k: v for k, v in state.items() if not k.startswith(("deconv_layers.", "final_layer."))}
    arch, _ = tv.detect_arch(backbone_state, path)
    if "conv1.weight" not in state:
        raise ConversionError(f"'{path}': no conv1.weight: not a ResNet backbone")
    width = int(state["conv1.weight"].shape[0])
    block = "bottleneck" if "layer1.0.conv3.weight" in state else "basic"
    counts = [max(int(k.split(".")[1]) for k in state if k.startswith(f"layer{s}.")) + 1 for s in range(1, 5)]
    shapes = tv.expected_shapes(block, counts, width)
    expansion = 4 if block == "bottleneck" else 1
    head, settings = head_shapes(state, width * 8 * expansion, path)
    shapes.update(head)
    return shapes, {"backbone": arch, "base_width": width, **settings}


def check(state, expected, layout, path):
    problems = tv.name_and_shape_problems(state, expected)
    if problems:
        raise ConversionError(f"'{path}' ({layout} layout, names without prefixes): " + "; ".join(problems))
    tv.check_floating_point(state, path)


def write_weights(state, expected, source, out_path):
    # Written in the order of `expected` (the network's order), as our own exports are.
    params = [(k, state[k].float().numpy()) for k in expected if not k.endswith(tv.BUFFER_SUFFIXES)]
    buffers = [(k, state[k].float().numpy()) for k in expected if k.endswith(tv.BUFFER_SUFFIXES)]
    partial = out_path + ".partial"  # renamed at the end: no half-written file under out_path
    try:
        with h5py.File(partial, "w") as f:
            pose_weights.write_header(f, source)
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
    parser.add_argument("--in", dest="in_path", required=True, help="released model or checkpoint (.pth, .pth.tar)")
    parser.add_argument("--out", dest="out_path", required=True, help="weight file to write (.h5)")
    args = parser.parse_args()
    try:
        layout, state = detect_layout(load_state_dict(args.in_path), args.in_path)
        expected, settings = expected_tensors(state, args.in_path)
        check(state, expected, layout, args.in_path)
        source = f"{layout} {settings['backbone']} pose model from {os.path.basename(args.in_path)}"
        params, buffers = write_weights(state, expected, source, args.out_path)
    except ConversionError as e:
        print(f"convert_pose_model: error: {e}", file=sys.stderr)
        return 1
    values = sum(v.size for _, v in params)
    print(f"wrote {args.out_path}: {layout} layout, {settings['backbone']}, {len(params)} params "
          f"({values / 1e6:.2f} M values), {len(buffers)} BN buffers")
    print("model settings (config [model] keys, or --model.KEY flags):")
    for key, value in settings.items():
        print(f"  model.{key} = {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
