// ++, -- and assignments inside an expression, on a variable the statement names only once,
// become statements before (prefix, assignment) or after (postfix) it.
__global__ void effects(int* out, const int* in, int n) {
  int k = 0;
  int a, b;
  a = b = 0;
  out[k++] = in[0];
  int v = in[++k];
  out[n] = (a += 2) * v;
  b = out[k--] + b;
}
// Not allowed: the variable occurs twice, or the update is only conditionally evaluated.
__global__ void twice(int* out, int i) { out[i] = i++; }
__global__ void lazy(int* out, int i, int n) { if (n > 0 && out[i++] > 0) out[0] = 1; }

/* EXPECT-IR
__global__ void effects(int* out, const int* in, int n) {
  int k = 0;
  int a;
  int b;
  b = 0;
  a = b;
  out[k] = in[0];
  k += 1;
  k += 1;
  int v = in[k];
  a += 2;
  out[n] = a * v;
  b = out[k] + b;
  k -= 1;
}

// FAILED twice
nested_effects.cu:13:51: error[CL006]: ++ inside an expression is not supported
    __global__ void twice(int* out, int i) { out[i] = i++; }
                                                      ^

// FAILED lazy
nested_effects.cu:14:65: error[CL006]: ++ inside an expression is not supported
    __global__ void lazy(int* out, int i, int n) { if (n > 0 && out[i++] > 0) out[0] = 1; }
                                                                    ^
*/
