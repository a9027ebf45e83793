#!/usr/bin/env python3
"""Pillow's resized pixels of each image, as hashes: the golden file of media's PillowResizeGoldenTest.

For every file given (or every file in a folder given), decodes it as PillowGoldenTest's file says
(ImageOps.exif_transpose, then convert("RGB")) and prints one line per resize:
"name<TAB>resize<TAB>width<TAB>height<TAB>sha256 of the RGB bytes", where resize is
- "clip": the short side to 224 with bicubic (long side truncated, as transformers does), then the
  centre 224 x 224 crop with offsets (size - 224) // 2: the encoder's CLIP input before normalising;
- "bilinear-301x250" and "bicubic-97x131": the whole image to that size (up or down, the aspect not
  kept), as the generator's fixed-size preprocessors resize.
Run with Debian's Pillow (python3-pil), the Pillow the decoder's golden hashes come from.
"""
import hashlib
import io
import os
import sys

import PIL
from PIL import Image, ImageOps

SIZE = 224
FIXED = (("bilinear-301x250", Image.BILINEAR, (301, 250)), ("bicubic-97x131", Image.BICUBIC, (97, 131)))


def clip_window(image):
    width, height = image.size
    if width <= height:
        size = (SIZE, SIZE * height // width)
    else:
        size = (SIZE * width // height, SIZE)
    resized = image.resize(size, Image.BICUBIC)
    left = (size[0] - SIZE) // 2
    top = (size[1] - SIZE) // 2
    return resized.crop((left, top, left + SIZE, top + SIZE))


def row(name, resize, image):
    return "%s\t%s\t%d\t%d\t%s" % (name, resize, image.width, image.height,
                                   hashlib.sha256(image.tobytes()).hexdigest())


def main():
    paths = []
    for arg in sys.argv[1:]:
        if os.path.isdir(arg):
            paths += sorted(os.path.join(arg, n) for n in os.listdir(arg))
        else:
            paths.append(arg)
    print("# Pillow %s" % PIL.__version__)
    for path in paths:
        with open(path, "rb") as f:
            image = ImageOps.exif_transpose(Image.open(io.BytesIO(f.read()))).convert("RGB")
        name = os.path.basename(path)
        print(row(name, "clip", clip_window(image)))
        for resize, resample, size in FIXED:
            print(row(name, resize, image.resize(size, resample)))


if __name__ == "__main__":
    main()
