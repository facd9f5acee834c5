"""The environment that untrusted code (originals, ports, LLM candidates) runs in.

Runners start every child from this allow-list, never from the parent's environment, so API keys
and other secrets (OPENAI_API_KEY, cloud credentials, tokens) never reach code under test.
"""

from __future__ import annotations

import os

# Exact names a child may inherit.
ALLOWED_NAMES = frozenset(
    {"PATH", "HOME", "LANG", "LC_ALL", "LC_CTYPE", "TMPDIR", "TZ", "USER", "LOGNAME", "SHELL",
     "VIRTUAL_ENV", "PYTHONPATH", "PYTHONHASHSEED", "LD_LIBRARY_PATH", "CC", "CXX"}
)
# Prefixes of the toolchains and runtimes the runners drive.
ALLOWED_PREFIXES = ("CUPORT_", "POCL_", "OCL_", "PYOPENCL_", "TRITON_", "CUDA_", "NVIDIA_", "HIP_", "ROCM_",
                    "ASAN_", "UBSAN_", "OMP_")
# Never passed on, whatever the prefix says (a prefix rule must not let a secret through).
SECRET_MARKERS = ("KEY", "TOKEN", "SECRET", "PASSWORD", "CREDENTIAL")


def candidate_env(base: dict[str, str] | None = None) -> dict[str, str]:
    """The allow-listed part of `base` (default: this process's environment)."""
    src = os.environ if base is None else base
    out = {}
    for name, value in src.items():
        if any(m in name.upper() for m in SECRET_MARKERS):
            continue
        if name in ALLOWED_NAMES or name.startswith(ALLOWED_PREFIXES):
            out[name] = value
    return out


# Limits for every child that runs code under test (set between fork and exec). The wall-clock
# timeout is the runner's; these stop what a timeout cannot: core dumps of huge processes, a
# candidate filling the disk, a descriptor leak.
MAX_FILE_BYTES = 4 << 30
MAX_OPEN_FILES = 4096


def limit_resources() -> None:
    """`preexec_fn` for runner subprocesses: no core files, bounded file size and descriptors."""
    import resource

    def lower(which: int, value: int) -> None:
        soft, hard = resource.getrlimit(which)
        new_hard = value if hard == resource.RLIM_INFINITY else min(hard, value)
        resource.setrlimit(which, (min(new_hard, value), new_hard))

    lower(resource.RLIMIT_CORE, 0)
    lower(resource.RLIMIT_FSIZE, MAX_FILE_BYTES)
    lower(resource.RLIMIT_NOFILE, MAX_OPEN_FILES)
