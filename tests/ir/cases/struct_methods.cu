// Member functions are device functions taking the object by pointer (`this_`); constructors
// return the object they build; member operators are member calls; class templates are
// instantiated with their arguments (`Cplx<double>` is the struct Cplx_double).
// TEMPLATE: scale T=double
template <typename T>
struct Cplx {
  T re;
  T im;
  __device__ Cplx(T r, T i) : re(r), im(i) {}
  __device__ Cplx() : re(0), im(0) {}
  __device__ Cplx(const Cplx& o) {
    re = o.re;
    im = o.im;
  }
  __device__ T norm2() const { return re * re + this->im * im; }
  __device__ Cplx operator*(const Cplx& o) const { return Cplx(re * o.re - im * o.im, re * o.im + im * o.re); }
  __device__ Cplx& operator+=(const Cplx& o) {
    re += o.re;
    im += o.im;
    return *this;
  }
};

class Counter {
 public:
  unsigned int state;
  int step = 3;
  __device__ Counter(unsigned int seed) { state = seed; }
  __device__ int next() {
    state = state * 1103515245u + step;
    return (int)(state >> 16);
  }
  __device__ int operator()() { return next() & 255; }
};

typedef struct {
  float x;
  float y;
} Pair;

template <typename T>
__global__ void scale(const T* re, const T* im, T* out) {
  int i = threadIdx.x;
  Cplx<T> a = Cplx<T>(re[i], im[i]);
  Cplx<T> acc;
  acc += a * a;
  out[i] = acc.norm2();
}

__global__ void draw(int* out, const Pair* pairs, float* sums) {
  Counter c(threadIdx.x);
  int first = c.next();
  out[threadIdx.x] = first + c();
  Pair p = {pairs[threadIdx.x].y, 1.0f};
  sums[threadIdx.x] = p.x + p.y;
}


// A copy constructor that does more than copy the fields: the class stays opaque (refused).
struct Tracked {
  int v;
  int copies;
  __device__ Tracked(const Tracked& o) : v(o.v), copies(o.copies + 1) {}
};

__global__ void copy_tracked(const Tracked* in, int* out) {
  out[threadIdx.x] = in[threadIdx.x].v;
}

// A union's members share storage: no IR form (refused).
typedef struct {
  union {
    int lo_hi[2];
    long long both;
  };
} Overlay;

__global__ void overlay(const Overlay* in, long long* out) {
  out[threadIdx.x] = in[threadIdx.x].both;
}

/* EXPECT-IR
typedef struct Counter {
  unsigned int state;
  int step;
} Counter;

typedef struct Cplx_double {
  double re;
  double im;
} Cplx_double;

typedef struct Pair {
  float x;
  float y;
} Pair;

__device__ Counter Counter_ctor(unsigned int seed) {
  Counter this_;
  this_.step = 3;
  this_.state = seed;
  return this_;
}

__device__ int Counter_next(Counter* this_) {
  this_->state = this_->state * 1103515245u + (unsigned int)this_->step;
  return (int)(this_->state >> 16);
}

__device__ int Counter_operator_call(Counter* this_) {
  return Counter_next(this_) & 255;
}

template <typename T = double>
__global__ void scale(const double* re, const double* im, double* out) {
  int i = (int)threadIdx.x;
  Cplx_double a = Cplx_ctor<double>(re[i], im[i]);
  Cplx_double acc = Cplx_ctor_ovl1<double>();
  Cplx_operator_add_assign<double>(&acc, Cplx_operator_mul<double>(&a, a));
  out[i] = Cplx_norm2<double>(&acc);
}

__global__ void draw(int* out, const Pair* pairs, float* sums) {
  Counter c = Counter_ctor(threadIdx.x);
  int first = Counter_next(&c);
  out[threadIdx.x] = first + Counter_operator_call(&c);
  Pair p = {pairs[threadIdx.x].y, 1.0f};
  sums[threadIdx.x] = p.x + p.y;
}

template <typename T = double>
__device__ Cplx_double Cplx_ctor(double r, double i) {
  Cplx_double this_;
  this_.re = r;
  this_.im = i;
  return this_;
}

template <typename T = double>
__device__ Cplx_double Cplx_ctor_ovl1() {
  Cplx_double this_;
  this_.re = (double)0;
  this_.im = (double)0;
  return this_;
}

template <typename T = double>
__device__ Cplx_double Cplx_operator_mul(Cplx_double* this_, Cplx_double o) {
  return Cplx_ctor<double>(this_->re * o.re - this_->im * o.im, this_->re * o.im + this_->im * o.re);
}

template <typename T = double>
__device__ Cplx_double Cplx_operator_add_assign(Cplx_double* this_, Cplx_double o) {
  this_->re += o.re;
  this_->im += o.im;
  return *this_;
}

template <typename T = double>
__device__ double Cplx_norm2(Cplx_double* this_) {
  return this_->re * this_->re + this_->im * this_->im;
}

// FAILED Tracked_ctor
struct_methods.cu:63:3: error[CL001]: cannot lower member 'Tracked' of Tracked: the class's fields are unknown
      __device__ Tracked(const Tracked& o) : v(o.v), copies(o.copies + 1) {}
      ^

// FAILED copy_tracked
struct_methods.cu:67:22: error[CL001]: cannot lower member 'v' of Tracked: struct fields unknown
      out[threadIdx.x] = in[threadIdx.x].v;
                         ^

// FAILED overlay
struct_methods.cu:79:22: error[CL001]: cannot lower member 'both' of Overlay: struct fields unknown
      out[threadIdx.x] = in[threadIdx.x].both;
                         ^
*/
