# Writes GPTQ and AWQ layers with NumPy only, packing them the way AutoGPTQ's QuantLinear.pack (v1
# layout: loops of shifts and ORs along K, zeros minus one along N) and AutoAWQ's WQLinear_GEMM
# (nibble order 0 2 4 6 1 3 5 7) do, from a float weight and a round-to-nearest quantizer, as those
# tools would. Next to each layer the unpacked truth is stored under "expect.<layer>.*":
# qcodes U8 [K, N] (checkpoint row order), zeros U8 [K/g, N] (real zero points), scales F16
# [K/g, N], g_idx I32 [K]. Run: python3 make_checkpoints.py (writes checkpoints_numpy.safetensors);
# CheckpointNumpyFixtureTest reads it.
import json
import struct

import numpy as np


def write_safetensors(path, tensors):
    dtypes = {"<i4": "I32", "|u1": "U8", "<f2": "F16"}
    header = {"__metadata__": {"format": "pt"}}
    offset, blobs = 0, []
    for name, a in tensors:
        a = np.ascontiguousarray(a)
        b = a.tobytes()
        header[name] = {"dtype": dtypes[a.dtype.str], "shape": list(a.shape),
                        "data_offsets": [offset, offset + len(b)]}
        offset += len(b)
        blobs.append(b)
    h = json.dumps(header, separators=(",", ":")).encode()
    h += b" " * (-len(h) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)))
        f.write(h)
        f.write(b"".join(blobs))


def quantize(w, bits, g, g_idx, sym):
    """Round-to-nearest per group (rows of w [K, N] with the same g_idx), GPTQ's conventions."""
    k, n = w.shape
    maxq = 2 ** bits - 1
    groups = k // g
    scales = np.zeros((groups, n), np.float16)
    zeros = np.zeros((groups, n), np.int64)
    for gr in range(groups):
        rows = w[g_idx == gr]
        lo = np.minimum(rows.min(axis=0), 0)
        hi = np.maximum(rows.max(axis=0), 0)
        if sym:
            m = np.maximum(-lo, hi)
            lo, hi = -m, m
        s = ((hi - lo) / maxq).astype(np.float16)
        s[s == 0] = 1
        z = np.full(n, (maxq + 1) // 2) if sym else np.clip(np.round(-lo / s.astype(np.float64)), 1, maxq)
        scales[gr], zeros[gr] = s, z
    s_rows = scales[g_idx].astype(np.float64)
    q = np.clip(np.round(w / s_rows) + zeros[g_idx], 0, maxq).astype(np.int64)
    return q, zeros, scales


def pack_gptq(q, zeros, bits):
    k, n = q.shape
    per = 32 // bits
    qweight = np.zeros((k // 32 * bits, n), np.uint32)
    i, row = 0, 0
    while row < qweight.shape[0]:
        for j in range(i, i + per):
            qweight[row] |= q[j].astype(np.uint32) << np.uint32(bits * (j - i))
        i += per
        row += 1
    stored = (zeros - 1).astype(np.uint32)          # the v1 layout keeps zero - 1
    qzeros = np.zeros((zeros.shape[0], n // 32 * bits), np.uint32)
    i, col = 0, 0
    while col < qzeros.shape[1]:
        for j in range(i, i + per):
            qzeros[:, col] |= stored[:, j] << np.uint32(bits * (j - i))
        i += per
        col += 1
    return qweight.view(np.int32), qzeros.view(np.int32)


def pack_awq(q, zeros):
    order = [0, 2, 4, 6, 1, 3, 5, 7]
    def pack(a):
        out = np.zeros((a.shape[0], a.shape[1] // 8), np.uint32)
        for col in range(a.shape[1] // 8):
            for i in range(8):
                out[:, col] |= a[:, col * 8 + order[i]].astype(np.uint32) << np.uint32(4 * i)
        return out.view(np.int32)
    return pack(q), pack(zeros)


def layer(rng, name, fmt, k, n, bits, g, act_order, sym):
    w = rng.standard_normal((k, n)) * 0.02
    g_idx = np.arange(k) // g
    if act_order:
        g_idx = g_idx[rng.permutation(k)]
    q, zeros, scales = quantize(w, bits, g, g_idx, sym)
    if fmt == "gptq":
        qweight, qzeros = pack_gptq(q, zeros, bits)
        packed = [(name + ".qweight", qweight), (name + ".qzeros", qzeros), (name + ".scales", scales),
                  (name + ".g_idx", g_idx.astype("<i4"))]
    else:
        qweight, qzeros = pack_awq(q, zeros)
        packed = [(name + ".qweight", qweight), (name + ".qzeros", qzeros), (name + ".scales", scales)]
    truth = [("expect." + name + ".qcodes", q.astype("u1")), ("expect." + name + ".zeros", zeros.astype("u1")),
             ("expect." + name + ".scales", scales), ("expect." + name + ".g_idx", g_idx.astype("<i4"))]
    return packed + truth


if __name__ == "__main__":
    rng = np.random.default_rng(20250)
    t = []
    t += layer(rng, "gptq.int4.act_order", "gptq", 128, 64, 4, 32, True, False)
    t += layer(rng, "gptq.int2", "gptq", 64, 64, 2, 16, False, False)
    t += layer(rng, "gptq.int8.sym", "gptq", 64, 32, 8, 32, False, True)
    t += layer(rng, "awq.int4", "awq", 128, 64, 4, 64, False, False)
    write_safetensors("checkpoints_numpy.safetensors", t)
