# A Triton port of `damp` (particles.cu) written by hand: the struct buffer arrives as its bytes and
# each field is a strided load at its offset in the 40-byte Particle (vel.x @12, vel.z @20, tag @24).
import triton
import triton.language as tl

KERNELS = {"damp": "launch_damp"}
SIGNATURES = {"damp": [("pointer", "struct:Particle", False), ("scalar", "float32", False), ("scalar", "int32", False)]}
SIZE = 40


@triton.jit
def damp_kernel(p, k, n, BLOCK: tl.constexpr, SIZE: tl.constexpr, TAG: tl.constexpr):
    i = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    mask = i < n
    base = p + i * SIZE
    vx = (base + 12).to(tl.pointer_type(tl.float32))
    vz = (base + 20).to(tl.pointer_type(tl.float32))
    tag = (base + TAG).to(tl.pointer_type(tl.int32))
    tl.store(vx, tl.load(vx, mask=mask) * k, mask=mask)
    tl.store(vz, tl.load(vz, mask=mask) * k, mask=mask)
    tl.store(tag, tl.load(tag, mask=mask) + 1, mask=mask)


def launch_damp(p, k, n, grid, block, shared=0):
    count = grid[0] * block[0]
    damp_kernel[(triton.cdiv(count, 32),)](p, k, n, BLOCK=32, SIZE=SIZE, TAG=24)
