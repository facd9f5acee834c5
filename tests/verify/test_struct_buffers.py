"""Buffers of user structs (`Particle* p`): layouts by the C rules, per-field generators, poison,
hashes and comparison with padding ignored, and the end-to-end check on OpenCL (PoCL) against the
CPU runtime original: the port passes, a port writing one field wrong fails, a port scribbling on
padding passes, and a struct laid out otherwise by a runner is refused before any trial."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from cuport.ir import types as t
from cuport.ir.layout import LayoutError, StructLayout, struct_layout
from cuport.verify import guards
from cuport.verify.compare import compare
from cuport.verify.inputs import GeneratorError, generate_struct
from cuport.verify.protocol import ParamType
from cuport.verify.spec import check_signature, parse_spec

HERE = Path(__file__).parent / "structs"
VEC3 = t.Struct("Vec3", (("x", t.F32), ("y", t.F32), ("z", t.F32)))
PARTICLE = t.Struct("Particle", (("pos", VEC3), ("vel", VEC3), ("tag", t.I32), ("alive", t.I8), ("mass", t.F64)))


def _particle() -> StructLayout:
    return struct_layout(PARTICLE)


# --- layout -----------------------------------------------------------------------------------


def test_particle_layout_follows_c_rules() -> None:
    lay = _particle()
    assert (lay.size, lay.align) == (40, 8)
    offsets = {leaf.name: leaf.offset for leaf in lay.leaves}
    assert offsets == {"pos.x": 0, "pos.y": 4, "pos.z": 8, "vel.x": 12, "vel.y": 16, "vel.z": 20,
                       "tag": 24, "alive": 28, "mass": 32}
    mask = lay.field_mask()
    assert not mask[29:32].any() and mask[28] and mask[32:40].all()  # 3 bytes after alive are padding


def test_vector_and_array_fields_align_as_cuda_declares_them() -> None:
    st = t.Struct("S", (("c", t.I8), ("v", t.Vector(t.F32, 4)), ("h", t.Array(t.I16, 3)), ("d", t.Vector(t.F32, 2))))
    lay = struct_layout(st)
    by = {leaf.name: leaf for leaf in lay.leaves}
    assert by["v"].offset == 16 and by["v"].shape == (4,)  # float4: 16-byte aligned
    assert by["h"].offset == 32 and by["h"].shape == (3,)
    assert by["d"].offset == 40  # float2: 8-byte aligned
    assert (lay.size, lay.align) == (48, 16)
    assert lay.numpy.itemsize == 48


def test_structs_that_cannot_be_laid_out_say_why() -> None:
    with pytest.raises(LayoutError, match="pointer field"):
        struct_layout(t.Struct("L", (("next", t.Pointer(t.F32)),)))
    with pytest.raises(LayoutError, match="no known fields"):
        struct_layout(t.Struct("Opaque"))


def test_layout_round_trips_through_json() -> None:
    lay = _particle()
    assert StructLayout.from_json(lay.to_json()) == lay


# --- spec and generators --------------------------------------------------------------------------


def test_spec_takes_a_generator_per_field_nested_keys_too(tmp_path: Path) -> None:
    spec = parse_spec(
        '[k]\ngrid = 1\nblock = 32\nargs = [{ len = 8, init = { "pos.x" = "zeros", pos.y = "ones", tag = "randint(0, 9)" } }]\n',
        tmp_path / "k.cuport.toml",
    )
    init = spec.kernels["k"].args[0].init
    assert isinstance(init, tuple)
    assert set(init) == {("pos.x", "zeros"), ("pos.y", "ones"), ("tag", "randint(0, 9)")}


def test_a_field_table_for_a_plain_pointer_is_a_signature_error(tmp_path: Path) -> None:
    spec = parse_spec('[k]\ngrid = 1\nblock = 32\nargs = [{ len = 8, init = { x = "zeros" } }]\n', tmp_path / "k.toml")
    problems = check_signature(spec.kernels["k"], [ParamType("pointer", "float32")])
    assert problems and "not to a struct" in problems[0].message


def test_generated_structs_take_each_field_from_its_generator() -> None:
    lay = _particle()
    init = (("pos", "uniform(-1, 1)"), ("pos.z", "fill(7)"), ("vel", "zeros"), ("tag", "randint(10, 20)"),
            ("alive", "ones"), ("mass", "uniform(5, 6)"))
    v = generate_struct(init, lay, 50, np.random.default_rng(1))
    assert v.dtype == lay.numpy and v.shape == (50,)
    assert np.all(np.abs(v["pos.x"]) <= 1) and np.all(v["pos.z"] == 7) and np.all(v["vel.y"] == 0)
    assert np.all((v["tag"] >= 10) & (v["tag"] < 20)) and np.all(v["alive"] == 1) and np.all(v["mass"] >= 5)


def test_unknown_and_missing_fields_are_errors() -> None:
    lay = _particle()
    with pytest.raises(GeneratorError, match="no field 'tga'"):
        generate_struct((("pos", "zeros"), ("tga", "zeros")), lay, 2, np.random.default_rng(0))
    with pytest.raises(GeneratorError, match="no generator for field"):
        generate_struct((("pos", "zeros"),), lay, 2, np.random.default_rng(0))


# --- guards and comparison: padding never counts -------------------------------------------------


def _scribble_padding(raw: np.ndarray, lay: StructLayout, value: int) -> np.ndarray:
    out = raw.copy().reshape(-1, lay.size)
    out[:, ~lay.field_mask()] = value
    return out.reshape(-1)


def test_padding_is_never_compared_but_fields_are() -> None:
    lay = _particle()
    v = generate_struct("uniform(-1, 1)", lay, 20, np.random.default_rng(2))
    raw = v.view(np.uint8).reshape(-1)
    same = _scribble_padding(raw, lay, 0x5A).view(lay.numpy)
    assert compare(v, same).ok
    wrong = v.copy()
    wrong["tag"][7] += 1
    cmp = compare(v, wrong)
    assert not cmp.ok and cmp.first_mismatch is not None and cmp.first_mismatch.field == "tag"
    assert cmp.first_mismatch.index == (7,) and "field(s) 'tag'" in cmp.reason
    near = v.copy()
    near["mass"] *= 1 + 1e-12  # within float64's tolerance; an int field would have to be exact
    assert compare(v, near).ok


def test_guards_poison_fields_and_hash_only_fields() -> None:
    lay = _particle()
    rng = np.random.default_rng(3)
    out = guards.allocate(None, "struct:Particle", 4 * lay.size, rng, lay)
    after = out.buffer.data.copy()
    assert guards.unwritten(out, after) == 4
    view = guards.payload_view(out, after)
    assert np.isnan(view["pos.x"]).all()
    view[:] = np.zeros(4, dtype=lay.numpy)
    view["alive"] = 1
    assert guards.unwritten(out, after) == 0

    payload = generate_struct("uniform(0, 1)", lay, 4, rng)
    inp = guards.allocate(payload, "struct:Particle", 4 * lay.size, rng, lay)
    after = inp.buffer.data.copy()
    body = after[inp.buffer.offset : inp.buffer.offset + inp.buffer.nbytes]
    body[:] = _scribble_padding(body, lay, 0xEE)
    assert not guards.changed(inp, after)  # padding rewritten: not a change of the input
    body[24] ^= 1  # the first particle's tag
    assert guards.changed(inp, after)


# --- end to end: OpenCL on PoCL against the CPU runtime ------------------------------------------

cpu_cuda = pytest.importorskip("cuport.verify.cpu_cuda")


@pytest.fixture(scope="module")
def ported_particles(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    from cuport.parse.reader import read_source
    from cuport.targets.base import PortRequest
    from cuport.targets.opencl import TARGET

    src = HERE / "particles.cu"
    result = TARGET.port_file(read_source(src).value, PortRequest(src, ("advance", "damp"), (), (), 32))
    assert all(k.status == "ported" for k in result.kernels), result.kernels
    cl = next(f.content for f in result.files if f.relpath.endswith(".cl"))
    return tmp_path_factory.mktemp("structs"), cl


def _verify(workdir: Path, cl_text: str, kernel: str, name: str = "port.cl"):  # noqa: ANN202
    from cuport.verify.differential import verify_kernel
    from cuport.verify.opencl_runner import OpenCLRunner
    from cuport.verify.protocol import Artifact
    from cuport.verify.spec import load_spec

    (workdir / name).write_text(cl_text)
    kspec = load_spec(HERE / "particles.cuport.toml").kernels[kernel]
    orig = Artifact(HERE / "particles.cu", "cuda")
    return verify_kernel(cpu_cuda.CpuCudaRunner(), OpenCLRunner(), orig, Artifact(workdir / name, "opencl"),
                         kspec, kspec.trial_count, 11)


def test_struct_kernels_verify_on_opencl(ported_particles: tuple[Path, str]) -> None:
    workdir, cl = ported_particles
    for kernel in ("advance", "damp"):
        r = _verify(workdir, cl, kernel)
        assert r.status == "pass", (kernel, r.reason)
        assert not r.weak


def test_a_port_writing_one_field_wrong_is_caught(ported_particles: tuple[Path, str]) -> None:
    workdir, cl = ported_particles
    assert "q.tag = q.tag * 2" in cl
    r = _verify(workdir, cl.replace("q.tag = q.tag * 2", "q.tag = q.tag * 3"), "advance", "mutant.cl")
    assert r.status == "fail" and r.first_mismatch and r.first_mismatch["field"] == "tag", r.reason


def test_a_port_that_leaves_a_field_unwritten_is_caught(ported_particles: tuple[Path, str]) -> None:
    workdir, cl = ported_particles
    line = next(x for x in cl.splitlines() if x.strip() == "out[i] = q;")
    mutant = cl.replace(line, line.replace("out[i] = q;", "out[i].pos = q.pos; out[i].vel = q.vel; out[i].tag = q.tag; "
                                          "out[i].alive = q.alive;"))
    r = _verify(workdir, mutant, "advance", "unwritten.cl")
    assert r.status == "fail" and "never written" in r.reason, r.reason


def test_padding_written_by_the_port_does_not_matter(ported_particles: tuple[Path, str]) -> None:
    workdir, cl = ported_particles
    line = next(x for x in cl.splitlines() if x.strip() == "out[i] = q;")
    scribble = line + "\n    ((__global uchar*)&out[i])[29] = 0x5a; ((__global uchar*)&out[i])[31] = (uchar)i;"
    r = _verify(workdir, cl.replace(line, scribble), "advance", "padding.cl")
    assert r.status == "pass", r.reason


def test_a_struct_laid_out_otherwise_by_pocl_is_refused(tmp_path: Path) -> None:
    """OpenCL C's float3 is 16 bytes, CUDA's 12: PoCL's probe says so before any trial."""
    from cuport.verify.opencl_runner import OpenCLRunner
    from cuport.verify.protocol import Artifact

    lay = struct_layout(t.Struct("Body", (("pos", t.Vector(t.F32, 3)), ("id", t.I32))))


    manifest = {"schema": "cuport.opencl/1", "warp_size": 32, "kernels": {"shift": {
        "kernel": "shift", "name": "shift", "symbols": [], "dynamic_shared": False, "warp_scratch": False,
        "params": [{"kind": "pointer", "dtype": "struct:Body", "const": False, "name": "b", "layout": lay.to_json()}]}}}
    cl = ("// cuport-manifest: " + json.dumps(manifest) + "\ntypedef struct Body { float3 pos; int id; } Body;\n"
          "__kernel void shift(__global Body* b) { b[get_global_id(0)].id += 1; }\n")
    (tmp_path / "body.cl").write_text(cl)
    prepared = OpenCLRunner().prepare(Artifact(tmp_path / "body.cl", "opencl"), ["shift"])
    assert getattr(prepared, "status", None) == "compile_error"
    assert "sizeof(Body): PoCL has 32, the port's layout says 16" in prepared.message


def test_a_packed_struct_is_refused_by_the_cpu_runtime_size(tmp_path: Path) -> None:
    from cuport.verify.differential import verify_kernel
    from cuport.verify.protocol import Artifact
    from cuport.verify.spec import load_spec

    (tmp_path / "pk.cu").write_text(
        "#pragma pack(push, 1)\nstruct Rec { char c; int k; };\n#pragma pack(pop)\n"
        "__global__ void bump(Rec* r, int n) { int i = threadIdx.x; if (i < n) r[i].k += r[i].c; }\n")
    (tmp_path / "pk.cuport.toml").write_text(
        '[bump]\ngrid = 1\nblock = 32\nsizes = { n = [5] }\nargs = [{ len = "n", init = "randint(0, 9)" }, "n"]\n')
    kspec = load_spec(tmp_path / "pk.cuport.toml").kernels["bump"]
    art = Artifact(tmp_path / "pk.cu", "cuda")
    runner = cpu_cuda.CpuCudaRunner()
    r = verify_kernel(runner, runner, art, art, kspec, 1, 1)
    assert r.status == "error" and "sizeof(Rec) = 5" in r.reason and "gives 8" in r.reason


def test_cuport_spec_proposes_struct_buffers(tmp_path: Path) -> None:
    from cuport.parse.cst import parse_cst
    from cuport.parse.inventory import inventory
    from cuport.source import SourceText
    from cuport.verify import infer

    source = SourceText.from_text("particles.cu", (HERE / "particles.cu").read_text())
    proposals = {p.kernel: p for p in infer.propose(source, inventory(source, parse_cst(source)))}
    text = infer.render(list(proposals.values()), "particles.cu")
    spec = parse_spec(text, tmp_path / "p.cuport.toml")
    advance, damp = spec.kernels["advance"].args, spec.kernels["damp"].args
    assert advance[0].init is None and advance[0].out  # stores whole structs: a poisoned output
    assert isinstance(advance[1].init, tuple) and ("alive", "randint(-128, 128)") in advance[1].init
    assert ("pos", "uniform(-1, 1)") in advance[1].init and ("tag", "randint(-1000000, 1000000)") in advance[1].init
    assert isinstance(damp[0].init, tuple) and damp[0].out  # updates fields: read and written
    signature = [ParamType("pointer", "struct:Particle"), ParamType("pointer", "struct:Particle", True),
                 ParamType("scalar", "float32"), ParamType("scalar", "int32")]
    assert not check_signature(spec.kernels["advance"], signature)


def test_a_triton_port_reading_fields_as_strided_loads_verifies(tmp_path: Path) -> None:
    """The Triton emitter refuses struct values, but the runner hands a struct buffer over as its
    bytes: a port that loads each field at its offset verifies, one with a wrong offset fails."""
    pytest.importorskip("triton")
    from cuport.verify.differential import verify_kernel
    from cuport.verify.protocol import Artifact
    from cuport.verify.spec import load_spec
    from cuport.verify.triton_runner import TritonRunner

    kspec = load_spec(HERE / "particles.cuport.toml").kernels["damp"]
    good = HERE / "particles_damp_triton.py"
    wrong = tmp_path / "wrong_offset.py"
    wrong.write_text(good.read_text().replace("TAG=24)", "TAG=28)"))
    orig = Artifact(HERE / "particles.cu", "cuda")
    runner = cpu_cuda.CpuCudaRunner()
    ok = verify_kernel(runner, TritonRunner(), orig, Artifact(good, "triton"), kspec, 2, 5)
    assert ok.status == "pass", ok.reason
    bad = verify_kernel(runner, TritonRunner(), orig, Artifact(wrong, "triton"), kspec, 2, 5)
    assert bad.status == "fail" and bad.first_mismatch and bad.first_mismatch["field"] == "tag", bad.reason
