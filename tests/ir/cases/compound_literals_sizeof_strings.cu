// `(double2){ 1, -1 }` is a value of the type, initialised like a declared variable; `sizeof("abc")`
// counts the characters and the terminating NUL.
__global__ void literals(double2* out, int* n) {
  out[0] = (double2){ 1, -1 };
  out[1] = (double2){ 0.5 };
  n[0] = sizeof("abc");
  int letters[sizeof("hello") - 1];
  letters[0] = 1;
  n[1] = letters[0];
}
// Not allowed: an array compound literal.
__global__ void array_literal(int* out) { out[0] = ((int[2]){ 1, 2 })[0]; }

/* EXPECT-IR
__global__ void literals(double2* out, int* n) {
  out[0] = make_double2((double)1, (double)-1);
  out[1] = make_double2(0.5, (double)0);
  n[0] = (int)4ull;
  int letters[5];
  letters[0] = 1;
  n[1] = letters[0];
}

// FAILED array_literal
compound_literals_sizeof_strings.cu:12:53: error[CL001]: cannot lower a compound literal of type int[2]: not supported (arrays)
    __global__ void array_literal(int* out) { out[0] = ((int[2]){ 1, 2 })[0]; }
                                                        ^
*/
