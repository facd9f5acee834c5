// Static integer constants and member types of a struct or class template instance: `S::kN`,
// `K::kN`, `typename K::T` (a template type parameter bound to a class instance works the same:
// tests/ir/test_class_statics.py). They fold to literals (the IR has no class scope); inside a
// member function the class's own constants are in scope unqualified.
template <int N_, typename T_>
struct Traits {
  using T = T_;
  typedef T_* Ptr;
  static constexpr int kN = N_;
  static const int kTwice = kN * 2;
  static constexpr bool kBig = N_ > 2 && kTwice != 6;
  static constexpr int kPick = kBig ? 10 : 20;
};
struct Fixed {
  static constexpr unsigned kMask = 0xffu;
  int v;
  __device__ int masked() const { return v & kMask; }
};
typedef Traits<4, float> K;
__global__ void traits_kernel(typename K::T* out, typename K::Ptr in) {
  typename K::T tile[K::kTwice];
  tile[0] = in[0] * K::kN;
  if constexpr (K::kBig) out[0] = tile[0] + K::kPick;
}
__global__ void fixed_kernel(int* out) {
  Fixed f{out[0]};
  out[1] = f.masked() + Fixed::kMask;
}

/* EXPECT-IR
typedef struct Fixed {
  int v;
} Fixed;

__device__ int Fixed_masked(Fixed* this_) {
  return (int)((unsigned int)this_->v & 255u);
}

__global__ void traits_kernel(float* out, float* in) {
  float tile[8];
  tile[0] = in[0] * (float)4;
  {
    out[0] = tile[0] + (float)10;
  }
}

__global__ void fixed_kernel(int* out) {
  Fixed f = {out[0]};
  out[1] = (int)((unsigned int)Fixed_masked(&f) + 255u);
}
*/
