// GNU statement expressions `({ ...; value; })` (ppcg's min/max macros, written out here) with
// decltype, which preprocessing reads GCC's __typeof__ as: the statements run in a block of their
// own before the statement that uses them, the value lands in a temporary; in a loop condition
// they run again before each test, in a lazily evaluated operand only when it is evaluated.
__global__ void clamp_rows(float* out, int b0, int n) {
  for (int c = 0; c <= ({ decltype(368) _x = (368); decltype(32 * b0 + 30) _y = (32 * b0 + 30); _x < _y ? _x : _y; }); c += 32) {
    int m = ({ decltype(c) _x = (c); decltype(n) _y = (n); _x < _y ? _x : _y; }) + ({ int _x = n; _x > 7 ? 7 : _x; });
    out[c] = (float)m;
    for (int k = ({ decltype(c) _x = (c); _x > 3 ? _x - 3 : 0; }); k < c; k += 1) out[k] += 1.0f;
  }
}

__global__ void lazy(int* out, int n) { out[0] = n > 0 && ({ int k = n * 2; k > 4; }); }

// Refused: decltype of an lvalue (a reference in C++).
__global__ void lvalue_type(float* out, int n) {
  decltype(out[0]) v = out[1];
  out[2] = v;
}

/* EXPECT-IR
__global__ void clamp_rows(float* out, int b0, int n) {
  for (int c = 0;; c += 32) {
    int stmt_value_1;
    {
      int _x = 368;
      int _y = 32 * b0 + 30;
      stmt_value_1 = _x < _y ? _x : _y;
    }
    if (!(c <= stmt_value_1)) {
      break;
    }
    {
      int stmt_value_2;
      {
        int _x = c;
        int _y = n;
        stmt_value_2 = _x < _y ? _x : _y;
      }
      int stmt_value_3;
      {
        int _x = n;
        stmt_value_3 = _x > 7 ? 7 : _x;
      }
      int m = stmt_value_2 + stmt_value_3;
      out[c] = (float)m;
      {
        int stmt_value_4;
        {
          int _x = c;
          stmt_value_4 = _x > 3 ? _x - 3 : 0;
        }
        for (int k = stmt_value_4; k < c; k += 1) {
          out[k] += 1.0f;
        }
      }
    }
  }
}

__global__ void lazy(int* out, int n) {
  bool tmp_2 = n > 0;
  if (tmp_2) {
    bool stmt_value_1;
    {
      int k = n * 2;
      stmt_value_1 = k > 4;
    }
    tmp_2 = stmt_value_1;
  }
  out[0] = (int)tmp_2;
}

// FAILED lvalue_type
statement_expressions.cu:17:3: error[CL001]: cannot lower decltype/__typeof__: only of a name or of a value that is no lvalue, without side effects
      decltype(out[0]) v = out[1];
      ^
*/
