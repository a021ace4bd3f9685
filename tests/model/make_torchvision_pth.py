#!/usr/bin/env python3
"""Test helper for test_weight_file: saves the state dict of a randomly initialised
torchvision resnet18 (--pth) and, as JSON (--json), facts about every tensor in it: name,
whether it is a parameter or a buffer, shape, float64 sum, first and last values.
The C++ test converts the .pth with convert_torchvision.py and checks the weight file against
these facts. Needs torch and torchvision (run with /usr/bin/python3 on Debian).
"""
import argparse
import json

import torch
import torchvision


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pth", required=True)
    parser.add_argument("--json", required=True)
    args = parser.parse_args()

    torch.manual_seed(0)
    model = torchvision.models.resnet18()
    # Fresh running stats are all 0 or 1; random ones show that buffers are copied, not remade.
    with torch.no_grad():
        for module in model.modules():
            if isinstance(module, torch.nn.BatchNorm2d):
                module.running_mean.uniform_(-1.0, 1.0)
                module.running_var.uniform_(0.5, 2.0)
    state = model.state_dict()
    torch.save(state, args.pth)

    param_names = {name for name, _ in model.named_parameters()}
    tensors = []
    for name, tensor in state.items():
        flat = tensor.detach().double().flatten()  # float32 -> float64 is exact
        tensors.append({
            "name": name,
            "kind": "param" if name in param_names else "buffer",
            "shape": list(tensor.shape),
            "sum": flat.sum().item(),
            "first": flat[0].item(),
            "last": flat[-1].item(),
        })
    with open(args.json, "w") as out:
        json.dump({"tensors": tensors}, out, indent=1)


if __name__ == "__main__":
    main()
