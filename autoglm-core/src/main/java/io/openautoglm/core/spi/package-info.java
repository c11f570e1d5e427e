/**
 * The service-provider interface for model backends. A backend module ships a {@link
 * io.openautoglm.core.spi.ModelProvider} listed in {@code META-INF/services/io.openautoglm.core.spi.ModelProvider};
 * {@link io.openautoglm.core.Models} finds it by model name, like JDBC drivers or DJL engines.
 * Providers read their options with {@link io.openautoglm.core.spi.OptionReader}, so that every provider spells
 * booleans and numbers the same way and no error repeats an option's value.
 */
package io.openautoglm.core.spi;
