// Helper functions the OpenCL target emits, each only when a kernel uses it.
// A section starts with `//@ <family> [needs: <family>,...]`; {T} is the OpenCL scalar type, {U} the
// unsigned integer type of the same width, {SP} the address space, {KIND}/{OP} the variant, and
// {SRC}/{COMBINE}/{UPDATE} expressions filled in by helpers.py.

//@ lid
// CUDA's linear thread index inside the block (x fastest), which fixes warp membership.
static inline uint cuport_lid(void) {
    return (uint)(get_local_id(0) + get_local_size(0) * (get_local_id(1) + get_local_size(1) * get_local_id(2)));
}
static inline uint cuport_block_threads(void) {
    return (uint)(get_local_size(0) * get_local_size(1) * get_local_size(2));
}

//@ shfl needs: lid
// __shfl*_sync through __local memory: every work-item publishes its value, then reads its source
// lane's (PTX lane arithmetic; an out-of-segment or missing source lane keeps the own value).
static inline {T} cuport_shfl_{KIND}_{T}(__local ulong* scratch, {T} v, int lane_arg, int width) {
    __local {T}* s = (__local {T}*)scratch;
    uint lid = cuport_lid();
    int lane = (int)(lid % CUPORT_WARP_SIZE);
    int base = lane & ~(width - 1);
    barrier(CLK_LOCAL_MEM_FENCE);
    s[lid] = v;
    barrier(CLK_LOCAL_MEM_FENCE);
    int src = {SRC};
    int ok = {OK};
    uint at = lid - (uint)lane + (uint)src;
    {T} r = (ok && at < cuport_block_threads()) ? s[at] : v;
    barrier(CLK_LOCAL_MEM_FENCE);
    return r;
}

//@ vote needs: lid
// Warp votes: each work-item publishes its predicate; the vote reads the 32 lanes of its warp.
static inline uint cuport_vote_{KIND}(__local ulong* scratch, int pred) {
    __local uint* s = (__local uint*)scratch;
    uint lid = cuport_lid();
    uint first = lid - lid % CUPORT_WARP_SIZE;
    uint n = min((uint)CUPORT_WARP_SIZE, cuport_block_threads() - first);
    barrier(CLK_LOCAL_MEM_FENCE);
    s[lid] = pred != 0;
    barrier(CLK_LOCAL_MEM_FENCE);
    uint ballot = 0;
    for (uint i = 0; i < n; ++i) ballot |= s[first + i] << i;
    barrier(CLK_LOCAL_MEM_FENCE);
    return {COMBINE};
}

//@ reduce needs: lid
// __reduce_*_sync: the lanes of the warp combined in lane order.
static inline {T} cuport_reduce_{OP}_{T}(__local ulong* scratch, {T} v) {
    __local {T}* s = (__local {T}*)scratch;
    uint lid = cuport_lid();
    uint first = lid - lid % CUPORT_WARP_SIZE;
    uint n = min((uint)CUPORT_WARP_SIZE, cuport_block_threads() - first);
    barrier(CLK_LOCAL_MEM_FENCE);
    s[lid] = v;
    barrier(CLK_LOCAL_MEM_FENCE);
    {T} acc = s[first];
    for (uint i = 1; i < n; ++i) { {T} b = s[first + i]; acc = {COMBINE}; }
    barrier(CLK_LOCAL_MEM_FENCE);
    return acc;
}

//@ syncthreads needs: lid
// __syncthreads_count/and/or: a barrier that also combines one predicate over the block.
static inline int cuport_syncthreads_{KIND}(__local ulong* scratch, int pred) {
    __local int* s = (__local int*)scratch;
    uint lid = cuport_lid();
    uint n = cuport_block_threads();
    barrier(CLK_LOCAL_MEM_FENCE | CLK_GLOBAL_MEM_FENCE);
    s[lid] = pred != 0;
    barrier(CLK_LOCAL_MEM_FENCE);
    int acc = 0;
    for (uint i = 0; i < n; ++i) acc += s[i];
    barrier(CLK_LOCAL_MEM_FENCE);
    return {COMBINE};
}

//@ atomic
// Atomic read-modify-write with no OpenCL built-in: a compare-and-swap loop on the bit pattern.
static inline {T} cuport_atomic_{OP}_{T}_{SP}(volatile __{SP} {T}* p, {T} val) {
    volatile __{SP} {U}* q = (volatile __{SP} {U}*)p;
    {U} old_bits = *q, assumed;
    {T} old;
    do {
        assumed = old_bits;
        old = as_{T}(assumed);
        old_bits = {CMPXCHG}(q, assumed, as_{U}(({T})({UPDATE})));
    } while (old_bits != assumed);
    return old;
}

//@ atomic_cas
static inline {T} cuport_atomic_cas_{T}_{SP}(volatile __{SP} {T}* p, {T} compare, {T} val) {
    volatile __{SP} {U}* q = (volatile __{SP} {U}*)p;
    return as_{T}({CMPXCHG}(q, as_{U}(compare), as_{U}(val)));
}

//@ ffs
static inline int cuport_ffs_{T}({T} x) {
    return x == 0 ? 0 : (int)(8 * sizeof({T}) - clz(x & -x));
}

//@ brev
static inline {T} cuport_brev_{T}({T} x) {
    {T} r = 0;
    for (int i = 0; i < (int)(8 * sizeof({T})); ++i) { r = (r << 1) | (x & 1); x >>= 1; }
    return r;
}

//@ half_round
// A float rounded to the nearest half (ties to even) and back: CUDA's half arithmetic computed in
// float. The half lives in a ushort buffer, as OpenCL C without cl_khr_fp16 only stores halves.
static inline float{N} cuport_half_round{N}(float{N} x)
{
    ushort h[{W}];
    vstore_half{N}_rte(x, 0, (half*)h);
    return vload_half{N}(0, (half*)h);
}
