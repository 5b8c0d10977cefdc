/**
 * ShadowVM's shared foundation: topology and VM model, strict configuration loading, clocks, the agent
 * runner and the base exception. Depends on Jackson only; must not depend on any other ShadowVM module.
 */
package io.shadowvm.core;
