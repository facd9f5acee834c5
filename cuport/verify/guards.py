"""Guard zones, poisoning and input hashing: the harness treats every run as adversarial.

- Each buffer sits between two guard zones of random canary bytes, fresh per run, so an
  out-of-bounds write (PoCL and the Triton interpreter do no bounds checks) is seen, not silently
  absorbed by a neighbour.
- Outputs with no `init` are poisoned before the run (a NaN bit pattern for floats, 0xA5 bytes for
  integers) and must be fully written: a port that skips the tail cannot pass by luck.
- Buffers that are not outputs are hashed before and after: a kernel must not change its inputs.

Buffers of user structs are poisoned, checked and hashed field by field (`StructLayout`): their
padding bytes are never held against a kernel (a struct copy may or may not carry them).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np

from cuport.ir.layout import StructLayout
from cuport.verify.inputs import split_dtype, typed_view
from cuport.verify.protocol import Buffer

# Large enough to catch the usual off-by-a-few and off-by-a-block-row writes, small enough to
# keep many buffers cheap. The payload start stays 64-byte aligned, as kernels using float4 need.
GUARD_BYTES = 256

# Bit patterns used to poison outputs with no init. For floats a quiet NaN with a payload that
# arithmetic never produces; for integers 0xA5 in every byte.
_FLOAT_POISON = {2: 0x7E5A, 4: 0x7FC5A5A5, 8: 0x7FF8A5A5A5A5A5A5}
_INT_POISON_BYTE = 0xA5


@dataclass
class GuardedBuffer:
    buffer: Buffer
    front: np.ndarray  # the canary bytes before the payload
    back: np.ndarray  # and after it
    initial: np.ndarray  # the payload bytes as handed to the kernel
    poisoned: bool
    input_hash: str
    layout: StructLayout | None = None  # for buffers of user structs

    @property
    def total_bytes(self) -> int:
        return self.front.size + self.initial.size + self.back.size


def _poison_bytes(dtype: str, nbytes: int) -> np.ndarray:
    base, _ = split_dtype(dtype)
    if base.kind == "f":
        word = np.array([_FLOAT_POISON[base.itemsize]], dtype=f"<u{base.itemsize}")
        reps = nbytes // base.itemsize
        return np.tile(word, reps).view(np.uint8)
    return np.full(nbytes, _INT_POISON_BYTE, dtype=np.uint8)


def _struct_poison(layout: StructLayout, nbytes: int) -> np.ndarray:
    """Each field poisoned as a buffer of its type would be; padding 0xA5."""
    raw = np.full(nbytes, _INT_POISON_BYTE, dtype=np.uint8)
    count = nbytes // layout.size
    elems = raw.reshape(count, layout.size)
    for leaf in layout.leaves:
        elems[:, leaf.offset : leaf.offset + leaf.nbytes] = _poison_bytes(leaf.dtype, leaf.nbytes)
    return raw


def allocate(payload: np.ndarray | None, dtype: str, nbytes: int, rng: np.random.Generator,
             layout: StructLayout | None = None) -> GuardedBuffer:
    """A buffer holding `payload` (or poison when None), between two zones of random canaries.
    `layout`: the struct the elements are (dtype "struct:Name"), for poison, views and hashes."""
    poisoned = payload is None
    if payload is not None:
        body = np.ascontiguousarray(payload).view(np.uint8).reshape(-1)
    elif layout is not None:
        body = _struct_poison(layout, nbytes)
    else:
        body = _poison_bytes(dtype, nbytes)
    if body.size != nbytes:
        raise ValueError(f"payload has {body.size} bytes, expected {nbytes}")
    canary_type = "uint8" if layout is not None else dtype
    front, back = _canary(canary_type, rng), _canary(canary_type, rng)
    data = np.concatenate([front, body, back])
    buf = Buffer(data=data, offset=GUARD_BYTES, nbytes=nbytes, dtype=dtype)
    return GuardedBuffer(buf, front, back, body.copy(), poisoned, _field_digest(body, layout), layout)


def _field_digest(raw: np.ndarray, layout: StructLayout | None) -> str:
    """The digest of the bytes a kernel is answerable for: all of them, or a struct's fields."""
    if layout is None:
        return digest(raw)
    return digest(raw.reshape(-1, layout.size)[:, layout.field_mask()])


def _canary(dtype: str, rng: np.random.Generator) -> np.ndarray:
    """Random guard bytes. For float buffers, random values of magnitude 0.5..2 rather than random
    bytes: a stray `y[n] = a * x[n] + y[n]` then always changes the bytes, where a random bit
    pattern (a huge y, a tiny x) would often absorb it unseen."""
    base, _ = split_dtype(dtype)
    if base.kind != "f":
        return rng.integers(0, 256, size=GUARD_BYTES, dtype=np.uint8)
    count = GUARD_BYTES // base.itemsize
    values = rng.uniform(0.5, 2.0, size=count) * rng.choice([-1.0, 1.0], size=count)
    return values.astype(base).view(np.uint8)


def digest(raw: np.ndarray) -> str:
    return hashlib.blake2b(np.ascontiguousarray(raw).tobytes(), digest_size=16).hexdigest()


def check_guards(g: GuardedBuffer, after: np.ndarray, what: str) -> list[str]:
    """Problems with the allocation after the run: wrong size, canaries overwritten."""
    if after.dtype != np.uint8 or after.shape != (g.total_bytes,):
        return [f"{what}: the runner returned {after.size} bytes for an allocation of {g.total_bytes}"]
    problems = []
    off, n = g.buffer.offset, g.buffer.nbytes
    for zone, lo, hi, canary in (("before", 0, off, g.front), ("after", off + n, after.size, g.back)):
        bad = np.flatnonzero(after[lo:hi] != canary)
        if bad.size:
            if zone == "before":
                where = f"{off - int(bad[0])} byte(s) before the start"
            else:
                where = f"{int(bad[-1]) + 1} byte(s) past the end"
            problems.append(f"{what}: out-of-bounds write, {bad.size} guard byte(s) changed, up to {where} of the buffer")
    return problems


def unwritten(g: GuardedBuffer, after: np.ndarray) -> int:
    """How many elements of a poisoned output still hold the poison after the run."""
    if not g.poisoned:
        return 0
    if g.layout is not None:
        return _unwritten_structs(g, after)
    base, _ = split_dtype(g.buffer.dtype)
    if base.kind != "f" and base.itemsize <= 2:
        # 8- and 16-bit integers hit 0xA5.. by chance too often; the comparison catches them
        return 0
    payload = after[g.buffer.offset : g.buffer.offset + g.buffer.nbytes]
    poison = _poison_bytes(g.buffer.dtype, g.buffer.nbytes)
    words = payload.view(f"<u{base.itemsize}")
    return int(np.count_nonzero(words == poison.view(f"<u{base.itemsize}")))


def _unwritten_structs(g: GuardedBuffer, after: np.ndarray) -> int:
    """Structs with a field that still holds its poison (fields of 8 and 16 bits excepted, as above)."""
    assert g.layout is not None
    payload = after[g.buffer.offset : g.buffer.offset + g.buffer.nbytes].reshape(-1, g.layout.size)
    left = np.zeros(payload.shape[0], dtype=bool)
    for leaf in g.layout.leaves:
        base, _ = split_dtype(leaf.dtype)
        if base.kind != "f" and base.itemsize <= 2:
            continue
        poison = _poison_bytes(leaf.dtype, leaf.nbytes)
        left |= np.all(payload[:, leaf.offset : leaf.offset + leaf.nbytes] == poison, axis=1)
    return int(np.count_nonzero(left))


def changed(g: GuardedBuffer, after: np.ndarray) -> bool:
    """Did the payload change? (For buffers that must stay as they were.)"""
    return _field_digest(after[g.buffer.offset : g.buffer.offset + g.buffer.nbytes], g.layout) != g.input_hash


def _typed(g: GuardedBuffer, raw: np.ndarray) -> np.ndarray:
    return raw.view(g.layout.numpy) if g.layout is not None else typed_view(raw, g.buffer.dtype)


def payload_view(g: GuardedBuffer, after: np.ndarray) -> np.ndarray:
    """A typed view of the payload of `after` (the runner's returned allocation, which the harness owns)."""
    return _typed(g, after[g.buffer.offset : g.buffer.offset + g.buffer.nbytes])


def initial_view(g: GuardedBuffer) -> np.ndarray:
    """The payload as handed to the kernel, typed."""
    return _typed(g, g.initial)
