#!/usr/bin/env python3
"""Plots training curves from one or several train_log.jsonl files into one PNG.

    scripts/plot_training.py --out curves.png runs/a/train_log.jsonl runs/b/train_log.jsonl

Top row against epoch, bottom row against wall-clock hours since each run's first line: the
training loss, the PCK accuracy, the learning rate and the validation AP (COCO keypoint AP of
the validation lines). Each run is one colour, labelled by its run folder (or --labels).
Needs matplotlib (Debian: python3-matplotlib). Exit status 0 on success, 1 for a log that
cannot be read (named with its line), 2 for bad arguments.
"""
import argparse
import json
import os
import sys

try:
    import matplotlib
    matplotlib.use("Agg")  # files only: no display needed
    import matplotlib.pyplot as plt
except ImportError as missing:
    sys.exit(f"plot_training: needs matplotlib, which {sys.executable} lacks ({missing}); "
             "install python3-matplotlib (scripts/install_deps.sh does)")

PANELS = [("loss", "training loss", "train"), ("accuracy", "PCK accuracy", "train"),
          ("lr", "learning rate", "train"), ("AP", "validation AP", "validation")]


class LogError(Exception):
    pass


def read_log(path):
    """The log's lines as dicts; LogError naming the file and line for anything unreadable."""
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read().splitlines()
    except OSError as e:
        raise LogError(f"cannot read '{path}': {e.strerror}")
    lines = []
    for number, line in enumerate(text, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as e:
            raise LogError(f"'{path}' line {number}: not JSON ({e.msg})")
        if not isinstance(record, dict) or "kind" not in record or "epoch" not in record:
            raise LogError(f"'{path}' line {number}: not a training-log line (no 'kind' or 'epoch')")
        lines.append(record)
    if not any(r["kind"] == "train" for r in lines):
        raise LogError(f"'{path}': no training lines")
    return lines


def epoch_of(record):
    """Epochs done at this line: fractional within an epoch for training lines."""
    if record["kind"] == "train" and record.get("steps_per_epoch"):
        return record["epoch"] - 1 + record["step"] / record["steps_per_epoch"]
    return float(record["epoch"])


def series(lines, key, kind):
    """(epochs, hours, values) of `key` over the lines of `kind`; hours are None without times."""
    chosen = [r for r in lines if r["kind"] == kind and isinstance(r.get(key), (int, float))]
    times = [r.get("time") for r in lines if isinstance(r.get("time"), (int, float))]
    start = min(times) if times else None
    hours = [(r["time"] - start) / 3600 if start is not None and "time" in r else None for r in chosen]
    return [epoch_of(r) for r in chosen], hours, [r[key] for r in chosen]


def plot(runs, out_path):
    figure, axes = plt.subplots(2, len(PANELS), figsize=(4.2 * len(PANELS), 7), squeeze=False)
    for label, lines in runs:
        for column, (key, title, kind) in enumerate(PANELS):
            epochs, hours, values = series(lines, key, kind)
            marker = "o" if kind == "validation" else None
            axes[0][column].plot(epochs, values, marker=marker, label=label)
            timed = [(h, v) for h, v in zip(hours, values) if h is not None]
            if timed:
                axes[1][column].plot([h for h, _ in timed], [v for _, v in timed], marker=marker, label=label)
    for column, (key, title, _) in enumerate(PANELS):
        for row, xlabel in enumerate(("epoch", "wall-clock hours")):
            ax = axes[row][column]
            ax.set_title(title)
            ax.set_xlabel(xlabel)
            ax.grid(True, alpha=0.3)
            if key == "lr":
                ax.set_yscale("log")
    axes[0][0].legend(fontsize="small")
    figure.tight_layout()
    partial = out_path + ".partial.png"  # renamed at the end: never a half-written out_path
    figure.savefig(partial, dpi=80)
    os.replace(partial, out_path)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("logs", nargs="+", help="train_log.jsonl files (one per run)")
    parser.add_argument("--out", required=True, help="PNG to write")
    parser.add_argument("--labels", help="comma-separated run labels, one per log (default: the run folders)")
    args = parser.parse_args()
    labels = args.labels.split(",") if args.labels else [
        os.path.basename(os.path.dirname(os.path.abspath(p))) for p in args.logs]
    if len(labels) != len(args.logs):
        parser.error(f"--labels: {len(labels)} labels for {len(args.logs)} logs")
    try:
        runs = [(label, read_log(path)) for label, path in zip(labels, args.logs)]
        plot(runs, args.out)
    except LogError as e:
        print(f"plot_training: error: {e}", file=sys.stderr)
        return 1
    except OSError as e:
        print(f"plot_training: error: cannot write '{args.out}': {e.strerror}", file=sys.stderr)
        return 1
    print(f"wrote {args.out}: {len(runs)} run(s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
