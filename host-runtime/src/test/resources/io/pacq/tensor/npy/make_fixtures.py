# Regenerates the .npy fixtures of NpyTest with NumPy itself (run: python3 make_fixtures.py).
# The expected values are written out again, independently, in NpyTest.
import numpy as np
from numpy.lib import format as fmt

def save(name, a):
    np.save(name, a, allow_pickle=False)

save("f2_2x3.npy", np.array([[1.5, -2.0, 2.0**-10], [65504.0, -0.0, 2.0**-24]], dtype="<f2"))
save("f4_3x4.npy", (np.arange(12, dtype="<f4").reshape(3, 4) * np.float32(0.25) - np.float32(1)))
save("u1_5.npy", np.array([0, 1, 127, 128, 255], dtype="u1"))
save("i1_2x2.npy", np.array([[-128, -1], [0, 127]], dtype="i1"))
save("i2_3.npy", np.array([-32768, 0, 32767], dtype="<i2"))
save("i4_2x2.npy", np.array([[-2147483648, -1], [0, 2147483647]], dtype="<i4"))
save("f4_scalar.npy", np.array(3.25, dtype="<f4"))
save("i2_0x5.npy", np.zeros((0, 5), dtype="<i2"))
for v in (2, 3):
    with open("f4_v%d.npy" % v, "wb") as f:
        fmt.write_array(f, np.arange(6, dtype="<f4").reshape(2, 3), version=(v, 0))
save("f4_fortran.npy", np.asfortranarray(np.arange(6, dtype="<f4").reshape(2, 3)))
save("f4_bigendian.npy", np.arange(6, dtype=">f4").reshape(2, 3))
save("f8.npy", np.arange(3, dtype="<f8"))
save("structured.npy", np.zeros(2, dtype=[("a", "<f4"), ("b", "<i4")]))
