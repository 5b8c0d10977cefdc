/**
 * Time series with a constant step ({@link io.shadowvm.predict.data.Series}) and the loaders of the shipped
 * traces and of user CSV files. Loaders resample to a constant step and say how many points they filled.
 */
package io.shadowvm.predict.data;
