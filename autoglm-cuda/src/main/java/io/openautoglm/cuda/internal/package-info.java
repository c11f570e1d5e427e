/**
 * Implementations behind {@link io.openautoglm.cuda.FusedConv2dBiasRelu}: the CUDA engine and its
 * shared module, the bit-exact CPU engine, the double-precision reference, the one-time CUDA probe
 * and the tile-shape cost model. Not API: names and signatures may change in any release.
 */
package io.openautoglm.cuda.internal;
