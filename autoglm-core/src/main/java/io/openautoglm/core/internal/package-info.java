/** Task implementations. Not API: may change in any release. */
package io.openautoglm.core.internal;
