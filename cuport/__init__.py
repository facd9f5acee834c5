"""cuport: port CUDA to Triton, HIP and OpenCL, and prove every port by running it."""

__version__ = "0.1.0"
