// Assignments, ++ and -- in the condition of if/while/for/do and in a for-loop's step. A loop's
// condition statements run again before every test (a `continue` included).
__device__ int next_value(const int* p, int i) { return p[i]; }

__global__ void conditions(int* out, const int* in, unsigned k, int n) {
  int v, r;
  if ((r = atomicCAS(&out[0], 0, 1)) != 0) out[1] = r;
  while (k >>= 1) out[2] += k;
  int m = 0;
  while ((v = in[m]) > 0) m++;
  int left = n;
  while (left--) out[3] += left;
  int i = 0;
  do {
    out[4] += i;
  } while (++i < n);
  int j = 0;
  for (int q = 0; q < n; j = q++) out[5] += j;
  for (int q = 0; (v = next_value(in, q)) != 0; q++) {
    if (v < 0) continue;
    out[6] += v;
  }
}
// Not allowed: `continue` would skip the test's side effect.
__global__ void do_continue(int* out, int n) {
  int i = 0;
  do {
    if (out[i] < 0) continue;
    out[i] = 0;
  } while (++i < n);
}

/* EXPECT-IR
__device__ int next_value(const int* p, int i) {
  return p[i];
}

__global__ void conditions(int* out, const int* in, unsigned int k, int n) {
  int v;
  int r;
  r = atomicCAS(&out[0], 0, 1);
  if (r != 0) {
    out[1] = r;
  }
  for (k >>= 1; (bool)k; k >>= 1) {
    out[2] += k;
  }
  int m = 0;
  for (v = in[m]; v > 0; v = in[m]) {
    m += 1;
  }
  int left = n;
  for (;; ) {
    bool tmp_1 = (bool)left;
    left -= 1;
    if (!tmp_1) {
      break;
    }
    {
      out[3] += left;
    }
  }
  int i = 0;
  do {
    {
      out[4] += i;
    }
    i += 1;
  } while (i < n);
  int j = 0;
  for (int q = 0; q < n; j = q, q += 1) {
    out[5] += j;
  }
  for (int q = 0;; q += 1) {
    v = next_value(in, q);
    if (!(v != 0)) {
      break;
    }
    {
      if (v < 0) {
        continue;
      }
      out[6] += v;
    }
  }
}

// FAILED do_continue
effects_in_conditions.cu:27:3: error[CL006]: a side effect in a do-while test (a 'continue' in the body would skip it) inside an expression is not supported
      do {
      ^
*/
