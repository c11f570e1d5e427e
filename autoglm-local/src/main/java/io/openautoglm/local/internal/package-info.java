/**
 * Implementation of the local engine: model location, the DJL embedding engine, the task predictors.
 * Not API: anything here may change without notice.
 */
package io.openautoglm.local.internal;
