#!/usr/bin/env python3
"""Pillow's side of media's PreprocessBenchmark: the same CLIP preprocessing on the same files.

Reads "group<TAB>path" lines (from a file, or stdin with "-"), then for each group decodes,
EXIF-transposes, converts to RGB, resizes the short side to 224 with bicubic, centre-crops
224x224 and normalises to planar float32, as transformers' CLIPImageProcessor does, and prints
"group<TAB>files<TAB>wall_ms_per_image<TAB>cpu_ms_per_image". The bytes are read once, before
timing, as the Java side does. With a dump folder, also writes each file's output (planar float32,
little-endian) as <line number>.f32 there, so the Java side can compare its values with Pillow's.
"""
import io
import os
import sys
import time
from collections import OrderedDict

import numpy as np
from PIL import Image, ImageOps

SIZE = 224
MEAN = np.array([0.48145466, 0.4578275, 0.40821073], dtype=np.float32)
STD = np.array([0.26862954, 0.26130258, 0.27577711], dtype=np.float32)


def clip_window(image):
    """The short side to 224 with bicubic (long side truncated), then the centre 224 x 224."""
    width, height = image.size
    if width <= height:
        size = (SIZE, SIZE * height // width)
    else:
        size = (SIZE * width // height, SIZE)
    image = image.resize(size, Image.BICUBIC)
    left = (size[0] - SIZE) // 2
    top = (size[1] - SIZE) // 2
    return image.crop((left, top, left + SIZE, top + SIZE))


def preprocess(data):
    image = Image.open(io.BytesIO(data))
    image = clip_window(ImageOps.exif_transpose(image).convert("RGB"))
    pixels = (np.asarray(image, dtype=np.float32) * np.float32(1 / 255) - MEAN) / STD
    return pixels.transpose(2, 0, 1).copy()


def time_group(blobs, min_seconds):
    for data in blobs:  # warm-up: first-use costs (imports, plugin lookup) are not per image
        preprocess(data)
    done = 0
    start = time.perf_counter()
    start_cpu = time.process_time()
    while True:
        for data in blobs:
            preprocess(data)
        done += len(blobs)
        elapsed = time.perf_counter() - start
        if elapsed >= min_seconds:
            return elapsed * 1000 / done, (time.process_time() - start_cpu) * 1000 / done


def main():
    if len(sys.argv) < 2:
        sys.exit("usage: pillow_preprocess_bench.py LIST|- [min_seconds_per_group [DUMP_DIR]]")
    lines = sys.stdin if sys.argv[1] == "-" else open(sys.argv[1], encoding="utf-8")
    min_seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 2.0
    dump = sys.argv[3] if len(sys.argv) > 3 else None
    groups = OrderedDict()
    for number, line in enumerate(l.rstrip("\n") for l in lines):
        group, path = line.split("\t", 1)
        with open(path, "rb") as f:
            data = f.read()
        groups.setdefault(group, []).append(data)
        if dump:
            preprocess(data).astype("<f4").tofile(os.path.join(dump, "%d.f32" % number))
    for group, blobs in groups.items():
        wall, cpu = time_group(blobs, min_seconds)
        print("%s\t%d\t%.3f\t%.3f" % (group, len(blobs), wall, cpu), flush=True)


if __name__ == "__main__":
    main()
