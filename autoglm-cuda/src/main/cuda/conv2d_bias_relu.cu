// Fused 2-D convolution + bias + ReLU (NCHW, float32) as an implicit GEMM, plus the unfused pair
// (the same convolution without the activation, then a separate ReLU) kept for comparison.
//
// GEMM view: M = K output channels, N = batch * P * Q output pixels, reduction = C * R * S, with
// reduction index kk = (c * R + r) * S + s. Every output element is ONE sequential fmaf chain over kk
// in ascending order, starting from +0, with padded taps contributing fmaf(0, w, acc); the tile shape
// only decides which thread owns which element, never the order. That is what lets the Java CPU path
// (io.openautoglm.cuda.internal.CpuConv) reproduce the result bit for bit. Build with -fmad=false so
// that no other multiply-add gets contracted.
//
// The committed PTX next to the Java classes is generated from this file by
// autoglm-cuda/scripts/gen-ptx.sh; PtxResourceTest fails when it is stale.

struct ConvParams {
    int N, C, H, W, K, P, Q;
    int strideH, strideW, padH, padW;
    int CRS;   // reduction length
    int NPQ;   // GEMM columns
};

// NaN propagates (like torch.relu); both zeros map to +0 so that the sign of a zero accumulator,
// which depends on how padded taps were added, never reaches the output.
__device__ __forceinline__ float relu(float v) {
    return (v > 0.0f || v != v) ? v : 0.0f;
}

// taps[kk] = {c * H * W + r * dilH * W + s * dilW, r * dilH, s * dilW, 0}: the decomposition of kk,
// computed once on the host, so the inner loop does no integer division.
template <int BM, int BN, int BK, int TM, int TN, int THREADS, bool RELU>
__device__ __forceinline__ void conv_body(const float* __restrict__ x, const float* __restrict__ wT,
                                          const float* __restrict__ bias, const int4* __restrict__ taps,
                                          float* __restrict__ y, const ConvParams p) {
    constexpr int TX = BN / TN;
    constexpr int TY = BM / TM;
    static_assert(TX * TY == THREADS, "thread grid must cover the tile");
    constexpr int MG = TM / 4;              // groups of 4 channels per thread
    constexpr int NG = TN / 4;              // groups of 4 pixels per thread
    constexpr int B_ROWSTEP = THREADS / BN;
    constexpr int B_PER = BK / B_ROWSTEP;
    constexpr int A_ROWSTEP = THREADS / BM;
    constexpr int A_PER = BK / A_ROWSTEP;
    static_assert(THREADS % BN == 0 && THREADS % BM == 0, "loads need whole rows");
    static_assert(BK % B_ROWSTEP == 0 && BK % A_ROWSTEP == 0, "loads must tile the stage depth");

    __shared__ __align__(16) float As[2][BK][BM];
    __shared__ __align__(16) float Bs[2][BK][BN];

    const int tid = threadIdx.x;
    const int tx = tid % TX;
    const int ty = tid / TX;
    const int m0 = blockIdx.y * BM;
    const int j0 = blockIdx.x * BN;
    const int PQ = p.P * p.Q;

    // Per-thread gather state for the B (input) tile: one fixed output pixel per thread.
    const int bj = tid % BN;
    const int brow = tid / BN;
    const int j = j0 + bj;
    const bool jvalid = j < p.NPQ;
    int ih0 = 0, iw0 = 0, base = 0;
    if (jvalid) {
        const int n = j / PQ;
        const int pq = j - n * PQ;
        const int oh = pq / p.Q;
        const int ow = pq - oh * p.Q;
        ih0 = oh * p.strideH - p.padH;
        iw0 = ow * p.strideW - p.padW;
        base = n * p.C * p.H * p.W + ih0 * p.W + iw0;
    }
    const int am = tid % BM;
    const int arow = tid / BM;
    const bool mvalid = m0 + am < p.K;

    float acc[TM][TN];
#pragma unroll
    for (int i = 0; i < TM; ++i)
#pragma unroll
        for (int k = 0; k < TN; ++k) acc[i][k] = 0.0f;

    float ra[A_PER];
    float rb[B_PER];

    auto load = [&](int k0) {
#pragma unroll
        for (int i = 0; i < A_PER; ++i) {
            const int kk = k0 + arow + i * A_ROWSTEP;
            ra[i] = (mvalid && kk < p.CRS) ? __ldg(&wT[kk * p.K + m0 + am]) : 0.0f;
        }
#pragma unroll
        for (int i = 0; i < B_PER; ++i) {
            const int kk = k0 + brow + i * B_ROWSTEP;
            float v = 0.0f;
            if (jvalid && kk < p.CRS) {
                const int4 t = __ldg(&taps[kk]);
                const int ih = ih0 + t.y;
                const int iw = iw0 + t.z;
                if ((unsigned)ih < (unsigned)p.H && (unsigned)iw < (unsigned)p.W) {
                    v = __ldg(&x[base + t.x]);
                }
            }
            rb[i] = v;
        }
    };
    auto store = [&](int buf) {
#pragma unroll
        for (int i = 0; i < A_PER; ++i) As[buf][arow + i * A_ROWSTEP][am] = ra[i];
#pragma unroll
        for (int i = 0; i < B_PER; ++i) Bs[buf][brow + i * B_ROWSTEP][bj] = rb[i];
    };

    load(0);
    store(0);
    __syncthreads();

    int buf = 0;
    for (int k0 = 0; k0 < p.CRS; k0 += BK) {
        const bool more = k0 + BK < p.CRS;
        if (more) load(k0 + BK);   // global loads in flight while this tile is multiplied
#pragma unroll
        for (int kk = 0; kk < BK; ++kk) {
            float a[TM];
            float b[TN];
#pragma unroll
            for (int g = 0; g < MG; ++g) {
                const float4 v = *reinterpret_cast<const float4*>(&As[buf][kk][g * (BM / MG) + ty * 4]);
                a[g * 4 + 0] = v.x; a[g * 4 + 1] = v.y; a[g * 4 + 2] = v.z; a[g * 4 + 3] = v.w;
            }
#pragma unroll
            for (int g = 0; g < NG; ++g) {
                const float4 v = *reinterpret_cast<const float4*>(&Bs[buf][kk][g * (BN / NG) + tx * 4]);
                b[g * 4 + 0] = v.x; b[g * 4 + 1] = v.y; b[g * 4 + 2] = v.z; b[g * 4 + 3] = v.w;
            }
#pragma unroll
            for (int i = 0; i < TM; ++i)
#pragma unroll
                for (int k = 0; k < TN; ++k) acc[i][k] = fmaf(a[i], b[k], acc[i][k]);
        }
        if (more) store(buf ^ 1);
        __syncthreads();
        buf ^= 1;
    }

    // Epilogue: bias, then (fused) ReLU, written once. Four consecutive pixels of one image are one
    // 16-byte store when P * Q is a multiple of 4 (then a group never straddles two images).
    const bool vec = (PQ & 3) == 0;
#pragma unroll
    for (int gi = 0; gi < MG; ++gi) {
#pragma unroll
        for (int i = 0; i < 4; ++i) {
            const int k = m0 + gi * (BM / MG) + ty * 4 + i;
            if (k >= p.K) continue;
            const float bk = __ldg(&bias[k]);
#pragma unroll
            for (int gj = 0; gj < NG; ++gj) {
                const int jj = j0 + gj * (BN / NG) + tx * 4;
                if (jj >= p.NPQ) continue;
                float v[4];
#pragma unroll
                for (int c = 0; c < 4; ++c) {
                    const float t = acc[gi * 4 + i][gj * 4 + c] + bk;
                    v[c] = RELU ? relu(t) : t;
                }
                if (vec) {
                    const int n = jj / PQ;
                    const int pq = jj - n * PQ;
                    *reinterpret_cast<float4*>(&y[(n * p.K + k) * PQ + pq]) = make_float4(v[0], v[1], v[2], v[3]);
                } else {
#pragma unroll
                    for (int c = 0; c < 4; ++c) {
                        const int jc = jj + c;
                        if (jc < p.NPQ) {
                            const int n = jc / PQ;
                            const int pq = jc - n * PQ;
                            y[(n * p.K + k) * PQ + pq] = v[c];
                        }
                    }
                }
            }
        }
    }
}

// BK is the reduction depth of one shared-memory stage: small tiles get a deeper stage so that each
// global-load latency is covered by more arithmetic when the grid is too small to hide it.
#define CONV_ENTRY(NAME, BM, BN, BK, TM, TN, THREADS)                                                       \
    extern "C" __global__ void __launch_bounds__(THREADS) NAME##_relu(                                  \
        const float* __restrict__ x, const float* __restrict__ wT, const float* __restrict__ bias,       \
        const int4* __restrict__ taps, float* __restrict__ y, const ConvParams p) {                     \
        conv_body<BM, BN, BK, TM, TN, THREADS, true>(x, wT, bias, taps, y, p);                               \
    }                                                                                                    \
    extern "C" __global__ void __launch_bounds__(THREADS) NAME##_linear(                                \
        const float* __restrict__ x, const float* __restrict__ wT, const float* __restrict__ bias,       \
        const int4* __restrict__ taps, float* __restrict__ y, const ConvParams p) {                     \
        conv_body<BM, BN, BK, TM, TN, THREADS, false>(x, wT, bias, taps, y, p);                              \
    }

// Entry names must match io.openautoglm.cuda.internal.TileConfig. An H200 sweep over six shapes
// (128x128, 64x256, 64x128, 64x64, 32x64, 32x32; docs/benchmarks.md) found 128x128 best for
// K >= 128 on large grids and 64x64 best or within 1% everywhere else; only those two are shipped.
// The 64x64 tile takes a stage depth of 32: against 16 it ran the batch-32 3x3 layer 13% faster.
CONV_ENTRY(conv_128x128, 128, 128, 8, 8, 8, 256)
CONV_ENTRY(conv_64x64, 64, 64, 32, 4, 4, 256)

// The separate activation of the unfused pair: in place, 16-byte accesses where aligned.
extern "C" __global__ void relu_inplace(float* __restrict__ y, const int n) {
    const int n4 = n >> 2;
    float4* y4 = reinterpret_cast<float4*>(y);
    for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n4; i += gridDim.x * blockDim.x) {
        float4 v = y4[i];
        v.x = relu(v.x); v.y = relu(v.y); v.z = relu(v.z); v.w = relu(v.w);
        y4[i] = v;
    }
    for (int i = (n4 << 2) + blockIdx.x * blockDim.x + threadIdx.x; i < n; i += gridDim.x * blockDim.x) {
        y[i] = relu(y[i]);
    }
}
