// A user's own function whose name looks like CUDA's is theirs: not renamed, not reported.
#include <hip/hip_runtime.h>

static int cudaCheckLast(const char *where) { return where != nullptr; }

int main() { return cudaCheckLast("main") + (hipGetLastError() != hipSuccess); }
