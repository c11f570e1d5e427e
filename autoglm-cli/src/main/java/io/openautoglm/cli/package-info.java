/**
 * The {@code autoglm} command line: {@link io.openautoglm.cli.AutoGlmCli} and its commands (run, validate, optimize,
 * models, gnn, completion). Packaged with every module as {@code autoglm-cli/target/autoglm.jar}; see
 * {@code docs/cli.md}.
 */
package io.openautoglm.cli;
