#!/usr/bin/env python3
"""Pillow's resized pixels of each image, as hashes: the golden file of media's PillowResizeGoldenTest.

For every file given (or every file in a folder given), decodes it as PillowGoldenTest's file says
(ImageOps.exif_transpose, then convert("RGB"), pillow_rgb_hashes.rgb_of) and prints one line per
resize: "name<TAB>resize<TAB>width<TAB>height<TAB>sha256 of the RGB bytes", where resize is
- "clip": the short side to 224 with bicubic (long side truncated, as transformers does), then the
  centre 224 x 224 crop with offsets (size - 224) // 2 (pillow_preprocess_bench.clip_window): the
  encoder's CLIP input before normalising;
- "bilinear-301x250" and "bicubic-97x131": the whole image to that size (up or down, the aspect not
  kept), as the generator's fixed-size preprocessors resize.
Run with Debian's Pillow (python3-pil), the Pillow the decoder's golden hashes come from.
"""
import hashlib
import os
import sys

import PIL
from PIL import Image

from pillow_preprocess_bench import clip_window
from pillow_rgb_hashes import paths_of, rgb_of

FIXED = (("bilinear-301x250", Image.BILINEAR, (301, 250)),
         ("bicubic-97x131", Image.BICUBIC, (97, 131)))


def row(name, resize, image):
    return "%s\t%s\t%d\t%d\t%s" % (name, resize, image.width, image.height,
                                   hashlib.sha256(image.tobytes()).hexdigest())


def main():
    print("# Pillow %s" % PIL.__version__)
    for path in paths_of(sys.argv[1:]):
        with open(path, "rb") as f:
            image = rgb_of(f.read())
        name = os.path.basename(path)
        print(row(name, "clip", clip_window(image)))
        for resize, resample, size in FIXED:
            print(row(name, resize, image.resize(size, resample)))


if __name__ == "__main__":
    main()
