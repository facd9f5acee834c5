// Lambdas defined and called in one function: one device function per call signature.
// [=] copies, [&] references (pointer parameters), auto parameters from the arguments,
// a lambda calling a lambda it captured, a deduced return type.
__global__ void lambdas(float* a, const int* idx, int n) {
  int s = 2;
  float scale = 0.5f;
  auto get = [=](int i) { return a[idx[i]] * scale; };
  auto bump = [&](int by) { s += by; };
  auto twice = [&](auto x) { return x + x + get(0); };
  auto pick = [s](int i) -> float {
    switch (i) {
      case 0: return s;
      default: return 1;
    }
  };
  int i = threadIdx.x;
  if (i < n) {
    bump(i);
    a[i] = get(i) + s + twice(1.5f) + twice(2) + pick(i);
  }
}

// s changes after the definition: the by-value capture keeps the value it had there.
__global__ void snapshot(int* out) {
  int s = 1;
  auto f = [=]() { return s * 10; };
  s = 5;
  out[0] = f() + s;
}

/* EXPECT-IR
__global__ void lambdas(float* a, const int* idx, int n) {
  int s = 2;
  float scale = 0.5f;
  const int pick_s_1 = s;
  int i = (int)threadIdx.x;
  if (i < n) {
    lambdas_bump(&s, i);
    a[i] = lambdas_get(a, idx, scale, i) + (float)s + lambdas_twice(a, idx, scale, 1.5f) + lambdas_twice_2(a, idx, scale, 2) + lambdas_pick(pick_s_1, i);
  }
}

__device__ void lambdas_bump(int* s, int by) {
  *s += by;
}

__device__ float lambdas_get(float* a, const int* idx, float scale, int i) {
  return a[idx[i]] * scale;
}

__device__ float lambdas_twice(float* a, const int* idx, float scale, float x) {
  return x + x + lambdas_get(a, idx, scale, 0);
}

__device__ float lambdas_twice_2(float* a, const int* idx, float scale, int x) {
  return (float)(x + x) + lambdas_get(a, idx, scale, 0);
}

__device__ float lambdas_pick(int s, int i) {
  {
    if (i == 0) {
      return (float)s;
    } else {
      return (float)1;
    }
  }
}

__global__ void snapshot(int* out) {
  int s = 1;
  const int f_s_1 = s;
  s = 5;
  out[0] = snapshot_f(f_s_1) + s;
}

__device__ int snapshot_f(int s) {
  return s * 10;
}
*/
