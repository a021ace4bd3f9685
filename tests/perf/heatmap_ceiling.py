#!/usr/bin/env python3
"""AP ceiling of a heatmap size: the keypoints a perfect network would give if its peaks sat
exactly where the reference puts its training targets (every joint rounded to the nearest
heatmap pixel of its box's crop), written as a COCO results file for pose_coco_eval.

  tests/perf/heatmap_ceiling.py GT.json HEATMAP_WxH INPUT_WxH OUT.json [--jitter PX]
  build/bin/pose_coco_eval --gt GT.json --results OUT.json

--jitter adds a uniform error of up to PX heatmap pixels per axis after the rounding.
The crop follows the reference: box centre, aspect ratio fixed to the input's, padding 1.25.
"""
import argparse
import json
import random


def size(text):
    w, h = text.lower().split("x")
    return int(w), int(h)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("gt")
    p.add_argument("heatmap", type=size)
    p.add_argument("input", type=size)
    p.add_argument("out")
    p.add_argument("--jitter", type=float, default=0.0)
    a = p.parse_args()
    (hw, hh), (iw, ih) = a.heatmap, a.input
    rng = random.Random(0)
    results = []
    for ann in json.load(open(a.gt))["annotations"]:
        if ann.get("iscrowd", 0) or ann["num_keypoints"] == 0:
            continue
        x, y, w, h = ann["bbox"]
        cx, cy = x + w * 0.5, y + h * 0.5
        if w > iw / ih * h:
            h = w * ih / iw
        else:
            w = h * iw / ih
        crop_w, crop_h = w * 1.25, h * 1.25
        x0, y0 = cx - crop_w / 2, cy - crop_h / 2
        px, py = crop_w / hw, crop_h / hh  # image pixels per heatmap pixel
        kps = []
        for k in range(17):
            u = int((ann["keypoints"][3 * k] - x0) / px + 0.5)
            v = int((ann["keypoints"][3 * k + 1] - y0) / py + 0.5)
            du, dv = (rng.uniform(-a.jitter, a.jitter) for _ in range(2)) if a.jitter else (0.0, 0.0)
            kps += [x0 + (u + du) * px, y0 + (v + dv) * py, 1.0]
        results.append({"image_id": ann["image_id"], "category_id": 1, "keypoints": kps, "score": 1.0})
    json.dump(results, open(a.out, "w"))


if __name__ == "__main__":
    main()
