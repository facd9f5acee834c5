// What the constexpr evaluation refuses: a constexpr function with a loop, a variable template
// whose initializer is not a constant, a constexpr call with an argument only known at run time.
template <typename T> constexpr T ones() {
  T v = 0;
  for (int i = 0; i < 4; i++) v = v * 2 + 1;
  return v;
}

template <typename T> const T START = ones<T>();

template <int N> constexpr int scaled(int a) { return a * N; }

__global__ void uses_loop(int* out) { out[0] = START<int>; }

__global__ void runtime_arg(int* out, int n) { out[0] = scaled<2>(n); }

/* EXPECT-IR
// FAILED uses_loop
variable_templates_refused.cu:4:3: error[CL001]: cannot lower constexpr function 'ones': statement 'declaration' is not evaluated at compile time
      T v = 0;
      ^

// FAILED runtime_arg
variable_templates_refused.cu:15:67: error[CL001]: cannot lower constexpr function 'scaled': an argument that is not an integer constant
    __global__ void runtime_arg(int* out, int n) { out[0] = scaled<2>(n); }
                                                                      ^
*/
