/** {@code shadowvm testbed up|down|status|load}: wraps the scripts in {@code testbed/}. */
package io.shadowvm.cli.testbed;
