"""Helper `@triton.jit` functions a port may call; a file carries only the ones it uses.

Warp operations work on the block vector: lane = tid % 32 and warps are consecutive runs of 32
lanes, so a shuffle is a `tl.gather` inside the vector and a vote is a reduction over a
`[BLOCK // 32, 32]` view broadcast back to every lane. Source lanes follow PTX `shfl.sync`:
a source outside the caller's `width` segment yields the caller's own value.
"""

from __future__ import annotations

HELPERS: dict[str, str] = {
    "any": '''
@triton.jit
def _any(mask):
    """True when some lane of the mask is set (loop conditions, uniform loads)."""
    return tl.max(mask.to(tl.int32), 0) != 0
''',
    "shfl": '''
@triton.jit
def _shfl_idx(v, src_lane, width, tid):
    segment = tid - tid % width
    return tl.gather(v, segment + src_lane % width, 0)


@triton.jit
def _shfl_down(v, delta, width, tid):
    lane = tid % width
    return tl.gather(v, tl.where(lane + delta < width, tid + delta, tid), 0)


@triton.jit
def _shfl_up(v, delta, width, tid):
    lane = tid % width
    return tl.gather(v, tl.where(lane >= delta, tid - delta, tid), 0)


@triton.jit
def _shfl_xor(v, lane_mask, width, tid):
    lane = tid % width
    return tl.gather(v, tl.where((lane ^ lane_mask) < width, tid ^ lane_mask, tid), 0)
''',
    "vote": '''
@triton.jit
def _per_warp(x, BLOCK: tl.constexpr):
    return tl.reshape(x, (BLOCK // 32, 32))


@triton.jit
def _to_lanes(per_warp, BLOCK: tl.constexpr):
    return tl.reshape(tl.broadcast_to(tl.expand_dims(per_warp, 1), (BLOCK // 32, 32)), (BLOCK,))


@triton.jit
def _ballot(pred, BLOCK: tl.constexpr):
    lane = (tl.arange(0, BLOCK) % 32).to(tl.uint32)
    bits = pred.to(tl.uint32) << lane
    return _to_lanes(tl.reduce(_per_warp(bits, BLOCK), 1, _bit_or), BLOCK)


@triton.jit
def _bit_or(a, b):
    return a | b


@triton.jit
def _warp_add(v, BLOCK: tl.constexpr):
    return _to_lanes(tl.sum(_per_warp(v, BLOCK), 1), BLOCK)


@triton.jit
def _warp_min(v, BLOCK: tl.constexpr):
    return _to_lanes(tl.min(_per_warp(v, BLOCK), 1), BLOCK)


@triton.jit
def _warp_max(v, BLOCK: tl.constexpr):
    return _to_lanes(tl.max(_per_warp(v, BLOCK), 1), BLOCK)
''',
    "segment": '''
@triton.jit
def _segment_sum(v, W: tl.constexpr, BLOCK: tl.constexpr):
    """Sum over each run of W lanes, given to every lane of the run."""
    s = tl.sum(tl.reshape(v, (BLOCK // W, W)), 1)
    return tl.reshape(tl.broadcast_to(tl.expand_dims(s, 1), (BLOCK // W, W)), (BLOCK,))


@triton.jit
def _segment_max(v, W: tl.constexpr, BLOCK: tl.constexpr):
    s = tl.max(tl.reshape(v, (BLOCK // W, W)), 1)
    return tl.reshape(tl.broadcast_to(tl.expand_dims(s, 1), (BLOCK // W, W)), (BLOCK,))


@triton.jit
def _segment_min(v, W: tl.constexpr, BLOCK: tl.constexpr):
    s = tl.min(tl.reshape(v, (BLOCK // W, W)), 1)
    return tl.reshape(tl.broadcast_to(tl.expand_dims(s, 1), (BLOCK // W, W)), (BLOCK,))
''',
    "scan": '''
@triton.jit
def _warp_window_sum(v, C: tl.constexpr, BLOCK: tl.constexpr):
    """Per lane, the sum of the last C lanes of its warp up to itself (a shuffle-up ladder over
    offsets 1..C/2); C = 32 is the warp's inclusive prefix sum."""
    cs = tl.reshape(tl.cumsum(tl.reshape(v, (BLOCK // 32, 32)), 1), (BLOCK,))
    if C < 32:
        tid = tl.arange(0, BLOCK)
        back = tl.gather(cs, tl.where(tid % 32 >= C, tid - C, tid), 0)
        cs = cs - tl.where(tid % 32 >= C, back, tl.zeros_like(back))
    return cs
''',
    "simd": '''
@triton.jit
def _simd_pick(a, b, LANES: tl.constexpr, SIGNED: tl.constexpr, MAX: tl.constexpr):
    """__vmaxs4 and friends: 32-bit words (uint32) as LANES lanes of 32 // LANES bits, each
    result lane the larger (smaller) of the two. Flipping a lane's top bit orders signed lanes
    as unsigned ones."""
    BITS: tl.constexpr = 32 // LANES
    FLIP: tl.constexpr = (1 << (BITS - 1)) if SIGNED else 0
    out = a & 0
    for k in tl.static_range(LANES):
        la = (a >> (k * BITS)) & ((1 << BITS) - 1)
        lb = (b >> (k * BITS)) & ((1 << BITS) - 1)
        if MAX:
            pick = tl.where((la ^ FLIP) > (lb ^ FLIP), la, lb)
        else:
            pick = tl.where((la ^ FLIP) < (lb ^ FLIP), la, lb)
        out = out | (pick << (k * BITS))
    return out
''',
}


def prelude(used: set[str]) -> str:
    return "".join(HELPERS[name] for name in ("any", "shfl", "vote", "segment", "scan", "simd") if name in used)
