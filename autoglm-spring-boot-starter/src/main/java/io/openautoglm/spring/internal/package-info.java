/** The starter's wiring: the metered, circuit-guarded model wrapper, the meters, the health contributors. Not an API. */
package io.openautoglm.spring.internal;
