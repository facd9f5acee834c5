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
// Not allowed: the variable occurs twice, or is updated in a lazily evaluated operand and read
// elsewhere in the statement.
__global__ void twice(int* out, int i) { out[i] = i++; }
__global__ void lazy(int* out, int i, int n) { out[i] = n > 0 && out[i++] > 0; }

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
nested_effects.cu:14:51: error[CL006]: ++ inside an expression is not supported
    __global__ void twice(int* out, int i) { out[i] = i++; }
                                                      ^

// FAILED lazy
nested_effects.cu:15:57: error[CL006]: an update of 'i' (also used outside its lazily evaluated operand) inside an expression is not supported
    __global__ void lazy(int* out, int i, int n) { out[i] = n > 0 && out[i++] > 0; }
                                                            ^
*/
