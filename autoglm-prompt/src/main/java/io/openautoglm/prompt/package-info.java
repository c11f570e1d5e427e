/**
 * Prompt templates and pluggable prompt optimisers (label wording search, demonstration selection,
 * instruction proposal, and a composite), searched against a labelled dev set under a budget.
 *
 * <p>Not built yet: this module will hold them once its issue lands. It contains no classes so far.
 */
package io.openautoglm.prompt;
