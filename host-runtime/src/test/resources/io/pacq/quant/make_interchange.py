# Writes an interchange file with NumPy and the standard library only, as another tool would
# (run: python3 make_interchange.py). QuantizedFileTest reads it; the values are repeated there.
import json
import struct

import numpy as np


def write_interchange(path, qcodes, scales, zeros=None, bits=4, group_size=128, group_cols=1):
    tensors = [("qcodes", np.ascontiguousarray(qcodes, dtype="u1"), "U8"),
               ("scales", np.ascontiguousarray(scales, dtype="<f2"), "F16")]
    if zeros is not None:
        tensors.append(("zeros", np.ascontiguousarray(zeros, dtype="u1"), "U8"))
    header = {"__metadata__": {"bits": str(bits), "group_size": str(group_size),
                               "group_cols": str(group_cols)}}
    offset, blobs = 0, []
    for name, a, dtype in tensors:
        b = a.tobytes()
        header[name] = {"dtype": dtype, "shape": list(a.shape), "data_offsets": [offset, offset + len(b)]}
        offset += len(b)
        blobs.append(b)
    h = json.dumps(header, separators=(",", ":")).encode()
    h += b" " * (-len(h) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)))
        f.write(h)
        f.write(b"".join(blobs))


if __name__ == "__main__":
    # K = 32, N = 5, INT4, g = 16, gn = 2: scales and zeros [2, 3]
    write_interchange("interchange_numpy.safetensors",
                      qcodes=(np.arange(160) % 16).reshape(32, 5),
                      scales=[[0.5, 1, 2], [0.25, -1, 1.5]],
                      zeros=[[0, 1, 2], [3, 4, 15]],
                      bits=4, group_size=16, group_cols=2)
