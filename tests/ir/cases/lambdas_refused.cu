// Lambdas that escape or keep state are refused, each with its reason.
__device__ int apply(int x) { return x; }

__global__ void passed(int* out) {
  auto f = [](int x) { return x + 1; };
  out[0] = apply(f);
}

__global__ void in_place(int* out) {
  out[0] = [](int x) { return x * 2; }(3);
}

__global__ void mutable_state(int* out) {
  int c = 0;
  auto f = [c]() mutable { return ++c; };
  out[0] = f() + f();
}

__global__ void shadowed(int* out) {
  int x = 1;
  auto f = [&]() { return x; };
  {
    int x = 2;
    out[0] = f() + x;
  }
}

/* EXPECT-IR
__device__ int apply(int x) {
  return x;
}

// FAILED passed
lambdas_refused.cu:6:18: error[CL001]: cannot lower lambda 'f' used as a value: it escapes (stored, passed or returned); only calls of a lambda in the function that defines it are lowered
      out[0] = apply(f);
                     ^

// FAILED in_place
lambdas_refused.cu:10:12: error[CL001]: cannot lower a call through an expression: not supported
      out[0] = [](int x) { return x * 2; }(3);
               ^

// FAILED mutable_state
lambdas_refused.cu:15:12: error[CL001]: cannot lower mutable lambda 'f': its copies keep state between calls; not supported
      auto f = [c]() mutable { return ++c; };
               ^

// FAILED shadowed
lambdas_refused.cu:24:14: error[CL001]: cannot lower call of lambda 'f': 'x' names another variable here than where it was defined
        out[0] = f() + x;
                 ^
*/
