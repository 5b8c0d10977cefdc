/** What users ask for: VM specs and shadow policies, with their strict loader. */
package io.shadowvm.core.vm;
