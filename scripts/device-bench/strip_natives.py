"""Rewrites jars in place without the native libraries of other platforms than linux-x64 (the
device bundle must fit the 64 MiB a device call can take)."""
import sys, zipfile, re, os
NATIVE = re.compile(r'\.(so|dll|dylib|jnilib|a)(\.\d+)*$|\.dSYM/', re.I)
KEEP = re.compile(r'linux[-_/]?(x64|x86_64|amd64)|(x86_64|amd64|x64)[-_/]?linux|/linux/x86_64/|linux/amd64', re.I)
def strip(src, dst):
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, 'w', zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            n = item.filename
            if NATIVE.search(n) and not KEEP.search(n):
                continue
            zout.writestr(item, zin.read(n))
for src in sys.argv[1:]:
    tmp = src + '.tmp'
    strip(src, tmp); os.replace(tmp, src)
    print(os.path.getsize(src)//1024, 'K', src)
