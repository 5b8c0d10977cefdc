/**
 * Weighted Maglev lookup tables (Eisenbud et al., NSDI 2016): an immutable table of a prime number of slots,
 * each naming a backend, filled so that every backend owns a share of slots proportional to its weight and a
 * weight change moves few slots. Tables are built off the data path and swapped whole.
 */
package io.shadowvm.redirect.maglev;
