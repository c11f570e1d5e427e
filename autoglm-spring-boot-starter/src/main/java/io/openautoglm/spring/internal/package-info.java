/** The starter's wiring: the metered, circuit-guarded model wrapper, the meters, the health contributor. Not an API. */
package io.openautoglm.spring.internal;
